"""The rows and texts that the screens, the CLI table and the Excel export share, so all three
show the same figures under the same names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from . import calc
from .models import CostCategory, IncomeKind, Nature
from .selectors import BudgetFigures


def amount(value) -> str:
    """Whole euros with the language's grouping: 1.234.567 in Dutch, 1,234,567 in English."""
    if value is None or value == "":
        return "—"
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def dotted(value: int) -> str:
    """Whole euros the Dutch way regardless of the language (the CLI): -260.546."""
    return f"{value:,}".replace(",", ".")


def number(value) -> str:
    """FTE and m² with the language's decimal sign and no trailing zeros: 20,9 in Dutch."""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(value, use_l10n=True)


@dataclass
class Row:
    key: str
    label: str
    values: list[int]
    strong: bool = False
    warn: list[bool] = field(default_factory=list)  # per year: a warning here

    @property
    def any_warning(self) -> bool:
        return any(self.warn)

    @property
    def cells(self) -> list[tuple[int, bool]]:
        return list(zip(self.values, self.warn, strict=True))


def summary_rows(data: BudgetFigures) -> list[Row]:
    s = [data.summaries[year] for year in data.years]

    def row(key, label, values, strong=False, warn=None):
        values = list(values)
        return Row(key, str(label), values, strong, list(warn) if warn else [False] * len(values))

    kinds = {
        calc.IncomeKind.STRUCTURAL: _("Structural income"),
        calc.IncomeKind.TEMPORARY: _("Temporary income"),
        calc.IncomeKind.IN_KIND: _("Contributions in kind"),
    }
    rows = [
        row(f"income_{kind.value}", label, (x.income_by_kind[kind] for x in s))
        for kind, label in kinds.items()
    ]
    rows.append(row("income", _("Income"), (x.income for x in s), strong=True))
    rows += [
        row(
            f"costs_{category.value}",
            category.label,
            (x.costs_by_category[calc.CostCategory(category.value)] for x in s),
        )
        for category in CostCategory
        if category != CostCategory.OTHER
        or any(x.costs_by_category[calc.CostCategory.OTHER] for x in s)
    ]
    rows += [
        row("costs", _("Costs"), (x.costs for x in s), strong=True),
        row("gap", _("Gap (income − costs)"), (x.gap for x in s), strong=True),
        row("impulse_budget", _("Impulse budget"), (x.impulse_budget for x in s)),
        row("financing", _("Financing (income + impulse budget)"), (x.financing for x in s)),
        row("one_off_investment", _("One-off investments"), (x.one_off_investment for x in s)),
        row(
            "investment_room",
            _("Investment room (impulse budget + gap − investments)"),
            (x.investment_room for x in s),
            strong=True,
            warn=(x.investment_room < 0 for x in s),
        ),
        row(
            "structural_costs",
            _("Structural costs (structural staff, rent)"),
            (x.structural_costs for x in s),
        ),
        row(
            "structural_shortfall",
            _("Structural costs paid from temporary money"),
            (x.structural_shortfall for x in s),
            warn=(x.structural_shortfall > 0 for x in s),
        ),
    ]
    return rows


def warning_text(
    warning: calc.BudgetWarning, fmt: Callable[[int], str] = amount, years: str = ""
) -> str:
    """One warning as a sentence; ``years`` replaces the year ("2025–2028") for a group."""
    year = years or warning.year
    if warning.kind == calc.WarningKind.STRUCTURAL_FROM_TEMPORARY:
        return _(
            "%(year)s: the structural costs (€ %(costs)s) are more than the structural income "
            "(€ %(income)s): € %(shortfall)s of lasting costs is paid from temporary money."
        ) % {
            "year": year,
            "costs": fmt(warning.structural_costs),
            "income": fmt(warning.structural_income),
            "shortfall": fmt(warning.amount),
        }
    return _(
        "%(year)s: the impulse budget does not cover the gap and the one-off investments "
        "(€ %(amount)s short)."
    ) % {"year": year, "amount": fmt(warning.amount)}


def _years_label(years: list[int]) -> str:
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


def grouped_warning_texts(warnings: list[calc.BudgetWarning]) -> list[str]:
    """The warnings as sentences, the same warning in several years said once ("2025–2028:
    ..."), in order of first appearance."""
    groups: dict[tuple, list[calc.BudgetWarning]] = {}
    for warning in warnings:
        key = (warning.kind, warning.amount, warning.structural_costs, warning.structural_income)
        groups.setdefault(key, []).append(warning)
    return [
        warning_text(items[0], years=_years_label([w.year for w in items]))
        for items in groups.values()
    ]


def line_kind(line) -> str:
    """Kind of income, or category of cost, as shown next to a line."""
    if line.kind:
        return str(IncomeKind(line.kind).label)
    if line.category:
        return str(CostCategory(line.category).label)
    return _("One-off investment")


def line_nature(line) -> str:
    return str(Nature(line.nature).label) if line.nature else ""


def line_basis(line, fmt: Callable[[int], str] = amount, num: Callable = number) -> str:
    """How a cost line's amount comes about: "20,9 FTE × € 90.000" or "300 m² × € 100 × 12"."""
    if line.fte is not None and line.cost_per_fte is not None:
        return _("%(fte)s FTE × € %(cost)s") % {
            "fte": num(line.fte),
            "cost": fmt(line.cost_per_fte),
        }
    if line.area_m2 is not None and line.rent_per_m2_month is not None:
        return _("%(area)s m² × € %(rent)s a month × 12") % {
            "area": num(line.area_m2),
            "rent": fmt(line.rent_per_m2_month),
        }
    if line.fte is not None:
        return _("%(fte)s FTE") % {"fte": num(line.fte)}
    return ""
