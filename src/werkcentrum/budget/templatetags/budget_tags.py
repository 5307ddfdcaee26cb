from django import template

from werkcentrum.budget.presentation import amount as format_amount
from werkcentrum.budget.presentation import number as format_number

register = template.Library()


@register.filter
def amount(value) -> str:
    """Whole euros with thousands grouping: 1.234.567 (Dutch), 1,234,567 (English)."""
    return format_amount(value)


@register.filter
def decimal(value) -> str:
    """FTE or m²: 20,9 (Dutch)."""
    return "" if value is None else format_number(value)
