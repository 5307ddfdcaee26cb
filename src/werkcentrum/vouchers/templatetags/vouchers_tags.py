from django import template

from werkcentrum.vouchers.reasons import euro as format_euro

register = template.Library()


@register.filter
def euro(value) -> str:
    """€ 2.500 in Dutch, € 2,500 in English; — when empty."""
    return format_euro(value)
