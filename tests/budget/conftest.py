import pytest

from werkcentrum.budget.loader import load_budgets
from werkcentrum.budget.models import Budget

PLANNING = "meerjarenbegroting-2025-2028"
PLAN = "inrichtingsplan-2024"


@pytest.fixture
def budgets(twente):
    load_budgets("twente")
    return {b.version: b for b in Budget.objects.filter(region=twente)}


@pytest.fixture
def planning(budgets):
    return budgets[PLANNING]
