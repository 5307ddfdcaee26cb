"""The pure budget core: DOMAIN.md §11 reproduced from the bundled file, and properties."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.budget import calc
from werkcentrum.budget.budgetfile import bundled_budget_files, parse_budget_file

YEARS = (2025, 2026, 2027, 2028)
IMPULSE = {2025: 910129, 2026: 827390, 2027: 1116977, 2028: 1291475}
ROOM = {2025: 174583, 2026: 566844, 2027: 856431, 2028: 1030929}


@pytest.fixture(scope="module")
def twente():
    return parse_budget_file(bundled_budget_files()["twente"], region="twente")


@pytest.fixture(scope="module")
def planning(twente):
    return next(b for b in twente.budgets if b.version == "meerjarenbegroting-2025-2028")


@pytest.fixture(scope="module")
def plan(twente):
    return next(b for b in twente.budgets if b.version == "inrichtingsplan-2024")


def test_the_multi_year_budget_is_primary(twente, planning):
    assert twente.primary is planning
    assert planning.budget.years == YEARS


def test_multi_year_figures_of_the_source(planning):
    summaries = calc.summarise(planning.budget)
    assert list(summaries) == list(YEARS)
    for year, s in summaries.items():
        assert s.income == 2_295_004
        assert s.costs == 2_555_550
        assert s.gap == -260_546
        assert s.impulse_budget == IMPULSE[year]
        assert s.one_off_investment == (475_000 if year == 2025 else 0)
        assert s.investment_room == ROOM[year]
        assert s.as_contract() == {
            "income": 2_295_004,
            "costs": 2_555_550,
            "gap": -260_546,
            "impulse_budget": IMPULSE[year],
            "one_off_investment": 475_000 if year == 2025 else 0,
            "investment_room": ROOM[year],
        }
        assert s.costs_by_category == {
            calc.CostCategory.STAFF: 2_245_550,
            calc.CostCategory.RENT: 160_000,
            calc.CostCategory.ACTIVITIES: 150_000,
            calc.CostCategory.OTHER: 0,
        }


def test_impulse_budget_averages_the_plans_yearly_figure(planning):
    assert sum(IMPULSE.values()) == 4_145_971
    assert round(Decimal(sum(planning.budget.impulse_budget.values())) / 4) == 1_036_493


def test_one_off_investment_itemised(planning):
    items = {line.code: line.amount(2025) for line in planning.budget.investments}
    assert items == {
        "fit-out": 200_000,
        "inventory": 100_000,
        "training": 100_000,
        "marketing": 75_000,
    }


def test_income_classification_of_the_multi_year_budget(planning):
    s = calc.summarise(planning.budget)[2025]
    assert s.income_by_kind == {
        calc.IncomeKind.STRUCTURAL: 648_545 + 75_000 + 132_275,
        calc.IncomeKind.TEMPORARY: 600_000 + 704_184,
        calc.IncomeKind.IN_KIND: 135_000,
    }


def test_plan_financing_and_operating_costs(plan):
    (s,) = calc.summarise(plan.budget).values()
    assert s.financing == 3_430_497  # income + impulse budget: the plan's financing total
    assert s.impulse_budget == 1_036_493
    assert s.costs == 2_985_000
    assert s.costs_by_category[calc.CostCategory.STAFF] == 2_475_000
    assert s.costs_by_category[calc.CostCategory.RENT] == 360_000
    assert s.costs_by_category[calc.CostCategory.ACTIVITIES] == 150_000
    assert s.one_off_investment == 475_000
    staff = {line.code: line for line in plan.budget.costs}
    assert staff["base-formation"].fte == Decimal("20.9")
    assert staff["base-formation"].amount(2024) == 1_881_000
    assert staff["training-fund-formation"].amount(2024) == 594_000
    assert staff["rent-regional"].amount(2024) == 360_000


def test_plan_financiers_as_in_the_source(plan):
    assert calc.by_financier(plan.budget, 2024) == {
        "SZW": 1_685_038,
        "UWV": 268_275,
        "Arbeidsmarktregio": 668_000,
        "ROC Twente": 75_000,
        "Zorgstart": 30_000,
        "Twents Fonds voor Vakmanschap": 704_184,
        "Sociale partners": 0,
        "SBB": 0,
    }
    assert sum(calc.by_financier(plan.budget, 2024).values()) == 3_430_497


def test_structural_formation_paid_from_temporary_money_is_flagged_every_year(planning):
    found = calc.warnings(planning.budget)
    assert [w.year for w in found] == list(YEARS)
    for w in found:
        assert w.kind == calc.WarningKind.STRUCTURAL_FROM_TEMPORARY
        assert w.structural_costs == 1_881_000 + 160_000
        assert w.structural_income == 855_820
        assert w.amount == 2_041_000 - 855_820


def test_plan_also_flags_missing_investment_room(plan):
    kinds = [(w.kind, w.amount) for w in calc.warnings(plan.budget)]
    assert kinds == [
        (calc.WarningKind.STRUCTURAL_FROM_TEMPORARY, 2_241_000 - 856_820),
        (calc.WarningKind.NO_INVESTMENT_ROOM, 29_503),
    ]


def test_covered_structural_costs_give_no_warning():
    budget = calc.Budget(
        years=(2025,),
        income=[calc.IncomeLine("grant", "Grant", {2025: 100}, kind="structural")],
        costs=[calc.CostLine("staff", "Staff", {2025: 100}, category="staff", nature="structural")],
    )
    assert calc.warnings(budget) == []
    one_more = calc.Budget(
        years=(2025,),
        income=[
            calc.IncomeLine("grant", "Grant", {2025: 99}, kind="structural"),
            calc.IncomeLine("guide", "Guide", {2025: 1000}, kind="in_kind"),
        ],
        costs=[calc.CostLine("staff", "Staff", {2025: 100}, category="staff", nature="structural")],
    )
    (warning,) = calc.warnings(one_more)  # in kind is no structural money
    assert warning.amount == 1


def test_drivers():
    assert calc.staff_cost(Decimal("20.9"), 90_000) == 1_881_000
    assert calc.staff_cost(Decimal("0.01"), 50) == 1  # 0.5 rounds half up
    assert calc.rent_cost(Decimal(300), 100) == 360_000
    with pytest.raises(ValueError, match="drivers give"):
        calc.CostLine(
            "x",
            "X",
            {2025: 1},
            category="staff",
            nature="structural",
            fte=Decimal(1),
            cost_per_fte=2,
        )


def test_amounts_must_be_whole_euros():
    with pytest.raises(TypeError, match="whole euros"):
        calc.IncomeLine("x", "X", {2025: 1.5}, kind="structural")


def test_staff_must_say_its_formation():
    with pytest.raises(ValueError, match="structural"):
        calc.CostLine("x", "X", {2025: 1}, category="staff")
    assert calc.CostLine("r", "R", {}, category="rent").nature == calc.Nature.STRUCTURAL
    assert calc.CostLine("a", "A", {}, category="activities").nature == calc.Nature.TEMPORARY


def test_compare():
    row = calc.compare(1000, {1: 200, 3: 300})
    assert row.quarters == {1: 200, 2: None, 3: 300, 4: None}
    assert (row.realised, row.remaining, row.entered_quarters, row.percent) == (500, 500, 2, 50)
    assert calc.compare(0, {}).percent is None
    with pytest.raises(ValueError):
        calc.compare(1, {5: 1})


# --- properties -------------------------------------------------------------------------------

AMOUNT = st.integers(min_value=0, max_value=10**10)


@st.composite
def budgets(draw):
    years = tuple(sorted(draw(st.sets(st.integers(2000, 2100), min_size=1, max_size=5))))

    def per_year():
        return draw(st.dictionaries(st.sampled_from(years), AMOUNT, max_size=len(years)))

    codes = iter(range(10_000))
    income = [
        calc.IncomeLine(
            f"i{next(codes)}",
            "income",
            per_year(),
            kind=draw(st.sampled_from(list(calc.IncomeKind))),
            financier=draw(st.sampled_from(["", "SZW", "UWV", "AMR"])),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    costs = []
    for _ in range(draw(st.integers(0, 6))):
        category = draw(st.sampled_from(list(calc.CostCategory)))
        nature = draw(
            st.sampled_from([*calc.Nature, None] if category != "staff" else list(calc.Nature))
        )
        costs.append(
            calc.CostLine(f"c{next(codes)}", "cost", per_year(), category=category, nature=nature)
        )
    investments = [
        calc.InvestmentLine(f"v{next(codes)}", "investment", per_year())
        for _ in range(draw(st.integers(0, 3)))
    ]
    return calc.Budget(
        years=years,
        income=income,
        costs=costs,
        investments=investments,
        impulse_budget=per_year(),
        impulse_financier=draw(st.sampled_from(["", "SZW"])),
    )


@settings(max_examples=200, deadline=None)
@given(budgets())
def test_totals_are_the_sum_of_the_lines(budget):
    for year, s in calc.summarise(budget).items():
        assert s.income == sum(line.amounts.get(year, 0) for line in budget.income)
        assert s.costs == sum(line.amounts.get(year, 0) for line in budget.costs)
        assert s.one_off_investment == sum(line.amounts.get(year, 0) for line in budget.investments)
        assert sum(s.income_by_kind.values()) == s.income
        assert sum(s.costs_by_category.values()) == s.costs
        for kind in calc.IncomeKind:
            assert s.income_by_kind[kind] == sum(
                line.amounts.get(year, 0) for line in budget.income if line.kind == kind
            )
        assert sum(calc.by_financier(budget, year).values()) == s.financing
        assert all(isinstance(value, int) for value in s.as_contract().values())


@settings(max_examples=200, deadline=None)
@given(budgets())
def test_investment_room_identity(budget):
    for year, s in calc.summarise(budget).items():
        assert s.gap == s.income - s.costs
        assert s.investment_room == s.impulse_budget + s.gap - s.one_off_investment
        assert s.impulse_budget == budget.impulse_budget.get(year, 0)


@settings(max_examples=300, deadline=None)
@given(budgets())
def test_warning_iff_structural_costs_exceed_structural_income(budget):
    structural = {
        (w.year): w
        for w in calc.warnings(budget)
        if w.kind == calc.WarningKind.STRUCTURAL_FROM_TEMPORARY
    }
    no_room = {
        w.year for w in calc.warnings(budget) if w.kind == calc.WarningKind.NO_INVESTMENT_ROOM
    }
    for year, s in calc.summarise(budget).items():
        costs = sum(
            line.amounts.get(year, 0)
            for line in budget.costs
            if line.nature == calc.Nature.STRUCTURAL
        )
        income = sum(
            line.amounts.get(year, 0)
            for line in budget.income
            if line.kind == calc.IncomeKind.STRUCTURAL
        )
        assert (year in structural) == (costs > income)
        if costs > income:
            assert structural[year].amount == costs - income > 0
        assert (year in no_room) == (s.investment_room < 0)


@given(
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=500_000),
)
def test_staff_cost_is_exact(fte, cost):
    result = calc.staff_cost(fte, cost)
    exact = fte * cost
    assert abs(Decimal(result) - exact) <= Decimal("0.5")
    if exact == exact.to_integral_value():
        assert result == exact


@given(st.integers(0, 10**9), st.dictionaries(st.sampled_from([1, 2, 3, 4]), AMOUNT))
def test_comparison_adds_up(budget, quarters):
    row = calc.compare(budget, quarters)
    assert row.realised == sum(quarters.values())
    assert row.remaining == budget - row.realised
    assert row.entered_quarters == len(quarters)
