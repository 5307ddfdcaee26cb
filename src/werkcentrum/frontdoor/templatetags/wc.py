from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def weekday_name(day: int) -> str:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    try:
        return names[int(day)]
    except (ValueError, IndexError, TypeError):
        return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
