from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def weekday_name(day: int) -> str:
    names = [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]
    try:
        return names[int(day)]
    except (ValueError, IndexError, TypeError):
        return ""


@register.filter
def iso_datetime(value: str):
    """An ISO timestamp stored in event data, as an aware datetime for the |date filter."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value or "")
    return timezone.localtime(parsed) if parsed else None


@register.filter
def consent_labels(categories) -> str:
    from werkcentrum.frontdoor.models import ConsentCategory

    labels = dict(ConsentCategory.choices)
    return ", ".join(str(labels.get(c, c)) for c in categories or [])


@register.filter
def hours(value) -> str:
    """A timedelta as hours with one decimal ("26.5 h"), for pick-up times."""
    if value is None:
        return "—"
    return f"{value.total_seconds() / 3600:.1f} h"
