"""Reads: a region's budgets, one budget as a ``calc.Budget`` with its figures, and the
realisation per line and quarter. A constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import calc
from .models import Budget, BudgetLine, Realisation, Section


def budgets_for(region) -> list[Budget]:
    return list(Budget.objects.filter(region=region).order_by("position", "pk"))


def pick(budgets: list[Budget], version: str | None) -> Budget | None:
    """The budget with ``version``, else the primary one (None when there are none)."""
    if version:
        found = next((b for b in budgets if b.version == version), None)
        if found is not None:
            return found
    return next((b for b in budgets if b.primary), budgets[0] if budgets else None)


def primary_budget(region, version: str | None = None) -> Budget | None:
    return pick(budgets_for(region), version)


def _calc_line(line: BudgetLine, amounts: dict[int, int]):
    common = {"code": line.code, "label": line.label, "amounts": amounts, "pm": line.pm}
    if line.section == Section.INCOME:
        return calc.IncomeLine(**common, kind=line.kind, financier=line.financier)
    if line.section == Section.COST:
        return calc.CostLine(
            **common,
            category=line.category,
            nature=line.nature,
            fte=Decimal(line.fte) if line.fte is not None else None,
            cost_per_fte=line.cost_per_fte,
            area_m2=Decimal(line.area_m2) if line.area_m2 is not None else None,
            rent_per_m2_month=line.rent_per_m2_month,
        )
    return calc.InvestmentLine(**common)


@dataclass
class BudgetFigures:
    """One budget with everything the screens, the CLI and the export show."""

    budget: Budget
    years: list[int]
    lines: list[BudgetLine]  # each with .by_year: [amount per year] and .calc
    calc_budget: calc.Budget
    summaries: dict[int, calc.YearSummary]
    warnings: list[calc.BudgetWarning]

    def section(self, section: str) -> list[BudgetLine]:
        return [line for line in self.lines if line.section == section]

    @property
    def income_lines(self):
        return self.section(Section.INCOME)

    @property
    def cost_lines(self):
        return self.section(Section.COST)

    @property
    def investment_lines(self):
        return self.section(Section.INVESTMENT)

    def financiers(self) -> list[tuple[str, list[int]]]:
        """Financier -> contribution per year (income lines plus the impulse budget)."""
        per_year = {
            year: calc.by_financier(self.calc_budget, year, self.budget.impulse_label)
            for year in self.years
        }
        names: list[str] = []
        for year in self.years:
            names += [name for name in per_year[year] if name not in names]
        return [(name, [per_year[year].get(name, 0) for year in self.years]) for name in names]


def figures(budget: Budget) -> BudgetFigures:
    years = list(budget.years.order_by("year").values_list("year", "impulse_budget"))
    lines = list(
        BudgetLine.objects.filter(budget=budget).prefetch_related("amounts").order_by("position")
    )
    year_list = [year for year, _impulse in years]
    for line in lines:
        amounts = {a.year: a.amount for a in line.amounts.all()}
        line.calc = _calc_line(line, amounts)
        line.by_year = [line.calc.amount(year) for year in year_list]
    calc_budget = calc.Budget(
        years=tuple(year_list),
        income=[line.calc for line in lines if line.section == Section.INCOME],
        costs=[line.calc for line in lines if line.section == Section.COST],
        investments=[line.calc for line in lines if line.section == Section.INVESTMENT],
        impulse_budget=dict(years),
        impulse_financier=budget.impulse_financier,
    )
    return BudgetFigures(
        budget=budget,
        years=year_list,
        lines=lines,
        calc_budget=calc_budget,
        summaries=calc.summarise(calc_budget),
        warnings=calc.warnings(calc_budget),
    )


def realisation(budget: Budget, year: int) -> dict[int, dict[int, int]]:
    """Line id -> {quarter: amount} of what was entered for ``year``."""
    result: dict[int, dict[int, int]] = {}
    rows = Realisation.objects.filter(line__budget=budget, year=year).values_list(
        "line_id", "quarter", "amount"
    )
    for line_id, quarter, amount in rows:
        result.setdefault(line_id, {})[quarter] = amount
    return result


@dataclass
class ComparisonRow:
    line: BudgetLine
    row: calc.RealisationRow


def comparison(data: BudgetFigures, year: int) -> list[ComparisonRow]:
    """Budget against realisation for every line in ``year``, in budget order."""
    entered = realisation(data.budget, year)
    index = data.years.index(year)
    return [
        ComparisonRow(line, calc.compare(line.by_year[index], entered.get(line.pk, {})))
        for line in data.lines
    ]
