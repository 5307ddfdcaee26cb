"""Loading budget files into the database: all or nothing, idempotent, realisation kept."""

from pathlib import Path

import pytest

from werkcentrum.budget import selectors
from werkcentrum.budget.budgetfile import bundled_budget_files
from werkcentrum.budget.loader import BudgetFileError, load_all_bundled_budgets, load_budgets
from werkcentrum.budget.models import Budget, BudgetLine, LineAmount, Realisation

from .conftest import PLAN, PLANNING

TEXT = bundled_budget_files()["twente"].read_text(encoding="utf-8")


def write(tmp_path, text) -> Path:
    path = tmp_path / "twente.toml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return (
        sorted(Budget.objects.values_list("version", "title", "primary")),
        sorted(
            BudgetLine.objects.values_list(
                "budget__version", "code", "label", "kind", "category", "nature"
            )
        ),
        sorted(
            LineAmount.objects.values_list("line__budget__version", "line__code", "year", "amount")
        ),
    )


def test_load_bundled(twente):
    assert load_budgets("twente") == [PLAN, PLANNING]
    planning = Budget.objects.get(region=twente, version=PLANNING)
    assert planning.primary and not Budget.objects.get(version=PLAN).primary
    data = selectors.figures(planning)
    assert data.years == [2025, 2026, 2027, 2028]
    assert {y: s.investment_room for y, s in data.summaries.items()} == {
        2025: 174_583,
        2026: 566_844,
        2027: 856_431,
        2028: 1_030_929,
    }
    base = BudgetLine.objects.get(budget=planning, code="base-formation")
    assert (str(base.fte), base.cost_per_fte, base.nature) == ("20.90", 90_000, "structural")


def test_load_all_bundled_budgets(twente):
    assert load_all_bundled_budgets() == {"twente": [PLAN, PLANNING]}


def test_loading_twice_gives_the_same_figures(twente):
    load_budgets("twente")
    first = snapshot()
    load_budgets("twente")
    assert snapshot() == first


def test_a_bad_file_changes_nothing(twente, tmp_path):
    load_budgets("twente")
    before = snapshot()
    broken = TEXT.replace("amount = 648545", "amount = 648546", 1)  # no longer adds up
    with pytest.raises(BudgetFileError) as info:
        load_budgets("twente", write(tmp_path, broken))
    assert "stated.2024.financing" in str(info.value)
    assert "(inrichtingsplan-2024)" in str(info.value)
    assert snapshot() == before


def test_a_changed_file_updates_lines_and_amounts(twente, tmp_path):
    load_budgets("twente")
    changed = TEXT.replace('label = "Activiteiten"\n', 'label = "Activiteiten en projecten"\n')
    load_budgets("twente", write(tmp_path, changed))
    line = BudgetLine.objects.get(budget__version=PLANNING, code="activities")
    assert line.label == "Activiteiten en projecten"


def test_realisation_is_never_thrown_away(planning, tmp_path, manager):
    line = BudgetLine.objects.get(budget=planning, code="housing")
    Realisation.objects.create(line=line, year=2025, quarter=1, amount=40_000, entered_by=manager)
    start = TEXT.index('[[budgets.costs]]\ncode = "housing"')
    end = TEXT.index("[[budgets.costs]]", start + 10)
    without = TEXT[:start] + TEXT[end:]
    without = without.replace("rent = 160000\n", "").replace("costs = 2555550", "costs = 2395550")
    without = without.replace("gap = -260546", "gap = -100546")
    without = without.replace("investment_room = 174583", "investment_room = 334583")
    without = without.replace("investment_room = 566844", "investment_room = 726844")
    without = without.replace("investment_room = 856431", "investment_room = 1016431")
    without = without.replace("investment_room = 1030929", "investment_room = 1190929")
    with pytest.raises(BudgetFileError) as info:
        load_budgets("twente", write(tmp_path, without))
    assert "housing" in str(info.value) and "2025 Q1" in str(info.value)
    assert Realisation.objects.filter(line=line).exists()


def test_unknown_region_and_missing_file(twente):
    with pytest.raises(BudgetFileError, match="no bundled budget file"):
        load_budgets("achterhoek")
    with pytest.raises(BudgetFileError, match="not loaded"):
        load_budgets("nowhere", bundled_budget_files()["twente"])
