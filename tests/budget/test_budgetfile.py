"""The budget-file parser: one error naming file, entry and field; sums checked against the
totals the source states."""

import pytest

from werkcentrum.budget.budgetfile import (
    BudgetFileError,
    bundled_budget_files,
    parse_budget_file,
    parse_budget_text,
)

GOOD = """
schema_version = 1
region = "twente"

[[budgets]]
version = "plan"
title = "Plan"
years = [2025, 2026]

[budgets.impulse_budget]
amounts = { 2025 = 500, 2026 = 100 }

[[budgets.income]]
code = "grant"
label = "Grant"
kind = "structural"
amount = 1000

[[budgets.costs]]
code = "staff"
label = "Staff"
category = "staff"
nature = "structural"
fte = 1.5
cost_per_fte = 600

[[budgets.costs]]
code = "rent"
label = "Rent"
category = "rent"
area_m2 = 1
rent_per_m2_month = 10

[[budgets.investments]]
code = "fit-out"
label = "Fit-out"
year = 2025
amount = 50

[budgets.stated.2025]
income = 1000
costs = 1020
gap = -20
investment_room = 430
"""


def parse(text=GOOD, **kwargs):
    return parse_budget_text(text, "budget.toml", **kwargs)


def error(text, **kwargs) -> BudgetFileError:
    with pytest.raises(BudgetFileError) as info:
        parse(text, **kwargs)
    return info.value


def test_good_file():
    data = parse()
    (budget,) = data.budgets
    assert budget.primary  # the only budget
    assert budget.budget.years == (2025, 2026)
    costs = {line.code: line for line in budget.budget.costs}
    assert costs["staff"].amounts == {2025: 900, 2026: 900}
    assert costs["rent"].amounts == {2025: 120, 2026: 120}
    assert budget.budget.investments[0].amounts == {2025: 50}
    assert budget.stated == {
        2025: {"income": 1000, "costs": 1020, "gap": -20, "investment_room": 430}
    }


def test_bundled_files_parse():
    files = bundled_budget_files()
    assert "twente" in files
    for code, path in files.items():
        assert parse_budget_file(path, region=code).region == code


@pytest.mark.parametrize(
    ("old", "new", "entry", "field", "words"),
    [
        (
            'kind = "structural"',
            'kind = "cash"',
            "budgets[0] (plan).income[0] (grant)",
            "kind",
            "cash",
        ),
        (
            "amount = 1000",
            "amount = 1000.5",
            "budgets[0] (plan).income[0] (grant)",
            "amount",
            "whole euros",
        ),
        (
            "amount = 1000",
            "amount = -1",
            "budgets[0] (plan).income[0] (grant)",
            "amount",
            "negative",
        ),
        ("amount = 1000", "", "budgets[0] (plan).income[0] (grant)", "amount", "missing"),
        (
            'nature = "structural"\n',
            "",
            "budgets[0] (plan).costs[0] (staff)",
            "nature",
            "structural or temporary",
        ),
        ("fte = 1.5", "fte = 1.555", "budgets[0] (plan).costs[0] (staff)", "fte", "2 decimals"),
        ("fte = 1.5", "fte = 0", "budgets[0] (plan).costs[0] (staff)", "fte", "more than 0"),
        ("fte = 1.5\n", "", "budgets[0] (plan).costs[0] (staff)", "fte", "cost_per_fte needs fte"),
        (
            "cost_per_fte = 600",
            "cost_per_fte = 600\namount = 901",
            "budgets[0] (plan).costs[0] (staff)",
            "amount",
            "1.5 FTE x 600 = 900",
        ),
        (
            "rent_per_m2_month = 10\n",
            "",
            "budgets[0] (plan).costs[1] (rent)",
            "rent_per_m2_month",
            "both",
        ),
        (
            'code = "rent"',
            'code = "staff"',
            "budgets[0] (plan).costs[1] (staff)",
            "code",
            "duplicate",
        ),
        ("year = 2025\n", "", "budgets[0] (plan).investments[0] (fit-out)", "amount", "one year"),
        (
            "year = 2025",
            "year = 2030",
            "budgets[0] (plan).investments[0] (fit-out)",
            "year",
            "not a year of this budget",
        ),
        (
            "2026 = 100",
            "2027 = 100",
            "budgets[0] (plan)",
            "impulse_budget.amounts.2027",
            "not a year",
        ),
        (
            "years = [2025, 2026]",
            "years = [2026, 2025]",
            "budgets[0] (plan)",
            "years[1]",
            "ascending",
        ),
        (
            "investment_room = 430",
            "investment_room = 431",
            "budgets[0] (plan)",
            "stated.2025.investment_room",
            "add up to 430, the source states 431",
        ),
        ("gap = -20", "surplus = 1", "budgets[0] (plan)", "stated.2025.surplus", "unknown total"),
        (
            'title = "Plan"',
            'title = "Plan"\ncolour = "red"',
            "budgets[0] (plan)",
            "colour",
            "unknown key",
        ),
        ("schema_version = 1", "schema_version = 2", "file", "schema_version", "must be 1"),
    ],
)
def test_errors_name_file_entry_and_field(old, new, entry, field, words):
    assert old in GOOD
    exc = error(GOOD.replace(old, new, 1))
    assert (exc.file, exc.entry, exc.field) == ("budget.toml", entry, field)
    assert words in exc.message
    assert str(exc).count("\n") == 0
    assert str(exc).startswith(f"budget.toml: {entry}: {field}: ")


def test_syntax_error_names_the_line():
    exc = error(GOOD.replace('title = "Plan"', "title = Plan"))
    assert (exc.entry, exc.field) == ("file", "syntax")
    assert "line" in exc.message


def test_wrong_region():
    exc = error(GOOD, region="achterhoek")
    assert (exc.field, "achterhoek" in exc.message) == ("region", True)


def test_several_budgets_need_exactly_one_primary():
    second = GOOD[GOOD.index("[[budgets]]") : GOOD.index("[budgets.stated")]
    second = second.replace('version = "plan"', 'version = "other"')
    two = GOOD + second
    assert error(two).message == "mark one budget with primary = true"
    one = two.replace('title = "Plan"', 'title = "Plan"\nprimary = true', 1)
    assert parse(one).primary.version == "plan"
    both = one.replace(
        'version = "other"\ntitle = "Plan"', 'version = "other"\ntitle = "Plan"\nprimary = true'
    )
    exc = error(both)
    assert (exc.entry, exc.field) == ("budgets[1] (other)", "primary")


def test_pm_lines_have_no_amount():
    text = GOOD.replace("amount = 1000", "pm = true\namount = 1", 1)
    exc = error(text)
    assert exc.field == "amount" and "p.m." in exc.message
    pm = GOOD.replace("amount = 1000", "pm = true", 1).replace("income = 1000\n", "")
    pm = pm.replace("gap = -20\n", "").replace("investment_room = 430\n", "")
    assert parse(pm).budgets[0].budget.income[0].pm


def test_unreadable_and_non_utf8(tmp_path):
    with pytest.raises(BudgetFileError, match="read"):
        parse_budget_file(tmp_path / "missing.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(GOOD.replace("Grant", "Bijdrage é").encode("latin-1"))
    with pytest.raises(BudgetFileError, match="UTF-8"):
        parse_budget_file(bad)
