"""The budget arithmetic, without Django: lines in, per-year figures and warnings out.

A :class:`Budget` holds income lines (structural, temporary or in kind), cost lines (staff,
rent, activities, other; each structural or temporary), one-off investments and the impulse
budget, all in whole euros per year. :func:`summarise` computes every total from the lines
(never from a stated total):

    income           = sum of the income lines
    costs            = sum of the cost lines
    gap              = income - costs                    (negative: a shortfall)
    investment_room  = impulse_budget + gap - one_off_investment

:func:`warnings` flags every year in which the structural costs (structural staff formation,
rent, anything else marked structural) are more than the structural income: the difference is
then paid from temporary money (impulse budget, regional labour-market funds, the training
fund), which the region's own rule forbids (DOMAIN.md §11). In-kind contributions do not count
as structural money: they are hours a partner lends, not money the Werkcentrum can spend.

Amounts are ``int`` (whole euros); FTE and m² are ``Decimal``. Products that are not whole
euros (20.95 FTE x 90,001) are rounded half up to the euro once, on the line, so that the
totals always equal the sum of the amounts shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CONTRACT_KEYS",
    "Budget",
    "BudgetWarning",
    "CostCategory",
    "CostLine",
    "IncomeKind",
    "IncomeLine",
    "InvestmentLine",
    "Nature",
    "RealisationRow",
    "WarningKind",
    "YearSummary",
    "by_financier",
    "compare",
    "rent_cost",
    "staff_cost",
    "summarise",
    "warnings",
]

# The keys of one year in ``werkcentrum budget summary --json`` (the CLI contract).
CONTRACT_KEYS = (
    "income",
    "costs",
    "gap",
    "impulse_budget",
    "one_off_investment",
    "investment_room",
)

MONTHS_PER_YEAR = 12
QUARTERS = (1, 2, 3, 4)


class IncomeKind(StrEnum):
    STRUCTURAL = "structural"
    TEMPORARY = "temporary"
    IN_KIND = "in_kind"


class CostCategory(StrEnum):
    STAFF = "staff"
    RENT = "rent"
    ACTIVITIES = "activities"
    OTHER = "other"


class Nature(StrEnum):
    """Whether a cost is a lasting obligation (to be paid from structural money) or not."""

    STRUCTURAL = "structural"
    TEMPORARY = "temporary"


# When a cost line does not say: rent is a lasting obligation, activities and other costs can
# stop with their money. Staff must always say which formation it is.
DEFAULT_NATURE = {
    CostCategory.RENT: Nature.STRUCTURAL,
    CostCategory.ACTIVITIES: Nature.TEMPORARY,
    CostCategory.OTHER: Nature.TEMPORARY,
}


def whole_euros(value: Decimal) -> int:
    """Round to the euro, half up (never float arithmetic)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def staff_cost(fte: Decimal, cost_per_fte: int) -> int:
    """Yearly staff cost of ``fte`` at ``cost_per_fte`` euros each: 20.9 x 90,000 = 1,881,000."""
    return whole_euros(Decimal(fte) * cost_per_fte)


def rent_cost(area_m2: Decimal, rent_per_m2_month: int) -> int:
    """Yearly rent of ``area_m2`` at ``rent_per_m2_month``: 300 m² x €100 x 12 = 360,000."""
    return whole_euros(Decimal(area_m2) * rent_per_m2_month * MONTHS_PER_YEAR)


def _frozen_amounts(amounts: Mapping[int, int]) -> Mapping[int, int]:
    for year, amount in amounts.items():
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"year {year!r} is not an integer")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"amount {amount!r} for {year} is not whole euros (int)")
    return MappingProxyType(dict(amounts))


@dataclass(frozen=True)
class _Line:
    code: str
    label: str
    amounts: Mapping[int, int] = field(default_factory=dict)
    pm: bool = False  # "pro memorie": named in the source, no amount yet

    def __post_init__(self):
        object.__setattr__(self, "amounts", _frozen_amounts(self.amounts))
        if self.pm and any(self.amounts.values()):
            raise ValueError(f"{self.code}: a p.m. line has no amounts")

    def amount(self, year: int) -> int:
        return self.amounts.get(year, 0)


@dataclass(frozen=True)
class IncomeLine(_Line):
    kind: IncomeKind = IncomeKind.STRUCTURAL
    financier: str = ""

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "kind", IncomeKind(self.kind))


@dataclass(frozen=True)
class CostLine(_Line):
    category: CostCategory = CostCategory.OTHER
    nature: Nature | None = None  # None: the category's default (staff must say)
    fte: Decimal | None = None
    cost_per_fte: int | None = None
    area_m2: Decimal | None = None
    rent_per_m2_month: int | None = None

    def __post_init__(self):
        super().__post_init__()
        category = CostCategory(self.category)
        object.__setattr__(self, "category", category)
        if self.nature is None:
            if category not in DEFAULT_NATURE:
                raise ValueError(f"{self.code}: say whether the formation is structural")
            object.__setattr__(self, "nature", DEFAULT_NATURE[category])
        else:
            object.__setattr__(self, "nature", Nature(self.nature))
        derived = self.derived_amount()
        if derived is not None:
            for year, amount in self.amounts.items():
                if amount != derived:
                    raise ValueError(
                        f"{self.code}: {year} is {amount}, but the drivers give {derived}"
                    )

    def derived_amount(self) -> int | None:
        """The yearly amount the drivers give (FTE x cost per FTE, m² x rent x 12), if any."""
        if self.fte is not None and self.cost_per_fte is not None:
            return staff_cost(self.fte, self.cost_per_fte)
        if self.area_m2 is not None and self.rent_per_m2_month is not None:
            return rent_cost(self.area_m2, self.rent_per_m2_month)
        return None

    @property
    def structural(self) -> bool:
        return self.nature == Nature.STRUCTURAL


@dataclass(frozen=True)
class InvestmentLine(_Line):
    pass


@dataclass(frozen=True)
class Budget:
    years: tuple[int, ...]
    income: tuple[IncomeLine, ...] = ()
    costs: tuple[CostLine, ...] = ()
    investments: tuple[InvestmentLine, ...] = ()
    impulse_budget: Mapping[int, int] = field(default_factory=dict)
    impulse_financier: str = ""

    def __post_init__(self):
        years = tuple(self.years)
        if not years or list(years) != sorted(set(years)):
            raise ValueError("years must be ascending and distinct")
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "income", tuple(self.income))
        object.__setattr__(self, "costs", tuple(self.costs))
        object.__setattr__(self, "investments", tuple(self.investments))
        object.__setattr__(self, "impulse_budget", _frozen_amounts(self.impulse_budget))
        codes = [line.code for line in self.lines()]
        if len(codes) != len(set(codes)):
            raise ValueError("line codes must be unique within a budget")
        outside = {
            year
            for line in self.lines()
            for year in line.amounts
            if year not in years and line.amounts[year]
        } | {year for year, amount in self.impulse_budget.items() if year not in years and amount}
        if outside:
            raise ValueError(f"amounts for years outside the budget: {sorted(outside)}")

    def lines(self) -> Iterable[_Line]:
        yield from self.income
        yield from self.costs
        yield from self.investments


@dataclass(frozen=True)
class YearSummary:
    year: int
    income_by_kind: Mapping[IncomeKind, int]
    costs_by_category: Mapping[CostCategory, int]
    income: int
    costs: int
    gap: int
    impulse_budget: int
    one_off_investment: int
    investment_room: int
    structural_income: int
    structural_costs: int

    @property
    def financing(self) -> int:
        """Income plus the impulse budget: the source's "financing" total (3,430,497)."""
        return self.income + self.impulse_budget

    @property
    def structural_shortfall(self) -> int:
        """How much of the structural costs temporary money pays (0 when covered)."""
        return max(self.structural_costs - self.structural_income, 0)

    def as_contract(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in CONTRACT_KEYS}


def summarise_year(budget: Budget, year: int) -> YearSummary:
    income_by_kind = {kind: 0 for kind in IncomeKind}
    for line in budget.income:
        income_by_kind[line.kind] += line.amount(year)
    costs_by_category = {category: 0 for category in CostCategory}
    structural_costs = 0
    for line in budget.costs:
        costs_by_category[line.category] += line.amount(year)
        if line.structural:
            structural_costs += line.amount(year)
    income = sum(line.amount(year) for line in budget.income)
    costs = sum(line.amount(year) for line in budget.costs)
    gap = income - costs
    impulse = budget.impulse_budget.get(year, 0)
    investment = sum(line.amount(year) for line in budget.investments)
    return YearSummary(
        year=year,
        income_by_kind=MappingProxyType(income_by_kind),
        costs_by_category=MappingProxyType(costs_by_category),
        income=income,
        costs=costs,
        gap=gap,
        impulse_budget=impulse,
        one_off_investment=investment,
        investment_room=impulse + gap - investment,
        structural_income=income_by_kind[IncomeKind.STRUCTURAL],
        structural_costs=structural_costs,
    )


def summarise(budget: Budget) -> dict[int, YearSummary]:
    """Year -> its figures, for every year of the budget (ascending)."""
    return {year: summarise_year(budget, year) for year in budget.years}


class WarningKind(StrEnum):
    STRUCTURAL_FROM_TEMPORARY = "structural_from_temporary"
    NO_INVESTMENT_ROOM = "no_investment_room"


@dataclass(frozen=True)
class BudgetWarning:
    year: int
    kind: WarningKind
    amount: int  # the shortfall, a positive number of euros
    structural_costs: int = 0
    structural_income: int = 0


def warnings(budget: Budget) -> list[BudgetWarning]:
    """Per year, in year order: structural costs paid from temporary money, then a negative
    investment room (the impulse budget does not cover the gap and the investments)."""
    result = []
    for year, s in summarise(budget).items():
        if s.structural_costs > s.structural_income:
            result.append(
                BudgetWarning(
                    year,
                    WarningKind.STRUCTURAL_FROM_TEMPORARY,
                    s.structural_shortfall,
                    s.structural_costs,
                    s.structural_income,
                )
            )
        if s.investment_room < 0:
            result.append(BudgetWarning(year, WarningKind.NO_INVESTMENT_ROOM, -s.investment_room))
    return result


def by_financier(budget: Budget, year: int, impulse_label: str = "") -> dict[str, int]:
    """Financier -> what it contributes in ``year`` (income lines plus the impulse budget),
    in order of first appearance; lines without a financier are grouped under their label."""
    result: dict[str, int] = {}
    for line in budget.income:
        key = line.financier or line.label
        result[key] = result.get(key, 0) + line.amount(year)
    if budget.impulse_budget.get(year, 0) or budget.impulse_financier:
        key = budget.impulse_financier or impulse_label or "impulse budget"
        result[key] = result.get(key, 0) + budget.impulse_budget.get(year, 0)
    return result


@dataclass(frozen=True)
class RealisationRow:
    """Budget against realisation for one line and one year."""

    budget: int
    quarters: Mapping[int, int | None]  # quarter -> realised, None = not entered yet

    @property
    def realised(self) -> int:
        return sum(amount for amount in self.quarters.values() if amount is not None)

    @property
    def remaining(self) -> int:
        return self.budget - self.realised

    @property
    def entered_quarters(self) -> int:
        return sum(1 for amount in self.quarters.values() if amount is not None)

    @property
    def percent(self) -> int | None:
        """Realised as a whole percentage of the budget, rounded half up; None without budget."""
        if not self.budget:
            return None
        return whole_euros(Decimal(self.realised) * 100 / Decimal(self.budget))


def compare(budget: int, quarters: Mapping[int, int]) -> RealisationRow:
    """Budget and the realisation entered per quarter (missing quarters: not entered)."""
    unknown = set(quarters) - set(QUARTERS)
    if unknown:
        raise ValueError(f"quarters must be 1..4, not {sorted(unknown)}")
    return RealisationRow(budget, MappingProxyType({q: quarters.get(q) for q in QUARTERS}))
