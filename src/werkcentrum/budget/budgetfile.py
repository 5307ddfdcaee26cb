"""Parse and validate a region's budget file (``budget/data/<region>.toml``), without Django.

:func:`parse_budget_file` / :func:`parse_budget_text` return a :class:`BudgetFile` or raise one
:class:`BudgetFileError` naming the file, the entry (``"budgets[1] (meerjarenbegroting-2025-
2028)"``, ``"budgets[1].income[3] (roc)"``, 0-based in file order), the field and what is wrong;
validation stops at the first problem. The lines are turned into :class:`calc.Budget` objects
and the totals the file states (``[budgets.stated.<year>]``, the figures printed in the source)
are checked against what the lines add up to: a file whose lines do not reproduce its source
is refused. The format is documented in docs/budget.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from werkcentrum.core.datafile import MISSING as _MISSING
from werkcentrum.core.datafile import (
    DataFileError,
    FieldReader,
    parse_toml,
    read_text,
    type_name,
)

from . import calc

__all__ = [
    "MAX_AMOUNT",
    "SCHEMA_VERSION",
    "STATED_KEYS",
    "BudgetData",
    "BudgetFile",
    "BudgetFileError",
    "bundled_budget_files",
    "parse_budget_file",
    "parse_budget_text",
    "stated_value",
]

SCHEMA_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_AMOUNT = 10_000_000_000  # ten billion euros: anything above is a typo
MAX_FTE = Decimal(10_000)
MAX_AREA = Decimal(1_000_000)
YEARS = (2000, 2100)
MAX_YEARS = 10

# Totals a file may state for a year (checked, never used as data).
STATED_KEYS = (
    *calc.CONTRACT_KEYS,
    "financing",
    *(category.value for category in calc.CostCategory),
    *(kind.value for kind in calc.IncomeKind),
)

_SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_YEAR_RE = re.compile(r"\d{4}")
_MAX = {"version": 80, "code": 80, "title": 200, "label": 200, "source": 300, "financier": 100}
_MAX_NOTE = 1000

_TOP_KEYS = {"schema_version", "region", "budgets"}
_BUDGET_KEYS = {
    "version",
    "title",
    "source",
    "note",
    "primary",
    "years",
    "impulse_budget",
    "income",
    "costs",
    "investments",
    "stated",
}
_IMPULSE_KEYS = {"label", "financier", "amounts"}
_LINE_KEYS = {"code", "label", "note", "amount", "amounts", "pm"}
_INCOME_KEYS = _LINE_KEYS | {"kind", "financier"}
_COST_KEYS = _LINE_KEYS | {
    "category",
    "nature",
    "fte",
    "cost_per_fte",
    "area_m2",
    "rent_per_m2_month",
}
_INVESTMENT_KEYS = _LINE_KEYS | {"year"}


class BudgetFileError(DataFileError):
    """A budget file is unreadable, not valid TOML, violates the schema or does not add up."""


@dataclass(frozen=True)
class BudgetData:
    version: str
    title: str
    source: str
    note: str
    primary: bool
    impulse_label: str
    budget: calc.Budget
    notes: Mapping[str, str]  # line code -> note
    stated: Mapping[int, Mapping[str, int]]


@dataclass(frozen=True)
class BudgetFile:
    region: str
    budgets: tuple[BudgetData, ...]
    source_file: str

    @property
    def primary(self) -> BudgetData:
        return next(b for b in self.budgets if b.primary)


def bundled_budget_files() -> dict[str, Path]:
    """Region code -> the ``data/<code>.toml`` budget file shipped with the package."""
    if not DATA_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.toml"))}


def stated_value(summary: calc.YearSummary, key: str) -> int:
    """The computed figure a stated key refers to."""
    if key in calc.CONTRACT_KEYS or key == "financing":
        return getattr(summary, key)
    if key in {category.value for category in calc.CostCategory}:
        return summary.costs_by_category[calc.CostCategory(key)]
    return summary.income_by_kind[calc.IncomeKind(key)]


def parse_budget_file(path: str | Path, *, region: str | None = None) -> BudgetFile:
    source = str(path)
    text = read_text(path, BudgetFileError)
    return parse_budget_text(text, source, region=region)


def parse_budget_text(text: str, source_file: str, *, region: str | None = None) -> BudgetFile:
    """Parse a budget file; ``region``: the region code the file must declare (None: any)."""
    document = parse_toml(text, source_file, BudgetFileError)
    return _Parser(str(source_file), document, region).parse()


# --------------------------------------------------------------------------- internals


def _label(prefix: str, index: int, key: Any) -> str:
    if isinstance(key, str) and key.strip():
        return f"{prefix}[{index}] ({key.strip()})"
    return f"{prefix}[{index}]"


def _euros(amount: int) -> str:
    return f"{amount:,}"


class _Parser(FieldReader):
    error = BudgetFileError

    def __init__(self, source: str, document: dict[str, Any], expected_region: str | None):
        self.source = source
        self.doc = document
        self.expected_region = expected_region

    # ---- typed getters -----------------------------------------------------------------

    def get_slug(self, entry: str, table: dict, key: str) -> str:
        value = self.get_str(entry, table, key, max_length=_MAX[key])
        if not _SLUG_RE.fullmatch(value):
            self.fail(entry, key, f"{value!r} is not a code (lowercase letters, digits, '-', '_')")
        return value

    def get_bool(self, entry: str, table: dict, key: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.fail(entry, key, f"must be true or false, not {type_name(value)}")
        return value

    def check_amount(self, entry: str, field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            hint = " (whole euros, no decimals)" if isinstance(value, float) else ""
            self.fail(entry, field, f"must be an integer, not {type_name(value)}{hint}")
        if value < 0:
            self.fail(entry, field, f"{value} is negative")
        if value > MAX_AMOUNT:
            self.fail(entry, field, f"{_euros(value)} is more than {_euros(MAX_AMOUNT)}")
        return value

    def get_positive_int(self, entry: str, table: dict, key: str) -> int | None:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return None
        amount = self.check_amount(entry, key, value)
        if amount == 0:
            self.fail(entry, key, "must be more than 0")
        return amount

    def get_decimal(self, entry: str, table: dict, key: str, maximum: Decimal) -> Decimal | None:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(entry, key, f"must be a number, not {type_name(value)}")
        try:
            number = Decimal(str(value).strip())  # str(20.9) == "20.9": what the file says
        except InvalidOperation:
            self.fail(entry, key, f"{value!r} is not a number")
        if not number.is_finite() or number <= 0:
            self.fail(entry, key, f"{value} must be more than 0")
        if number > maximum:
            self.fail(entry, key, f"{value} is more than {maximum}")
        if number != number.quantize(Decimal("0.01")):
            self.fail(entry, key, f"{value} has more than 2 decimals")
        return number

    def year_table(self, entry: str, field: str, value: Any, years: tuple[int, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(entry, field, f"must be a table of year = amount, not {type_name(value)}")
        result = {}
        for key, amount in value.items():
            if not _YEAR_RE.fullmatch(key):
                self.fail(entry, f"{field}.{key}", "is not a year")
            year = int(key)
            if year not in years:
                self.fail(
                    entry, f"{field}.{key}", f"{year} is not a year of this budget {_span(years)}"
                )
            result[year] = self.check_amount(entry, f"{field}.{key}", amount)
        return result

    # ---- sections ----------------------------------------------------------------------

    def parse(self) -> BudgetFile:
        doc = self.doc
        self.check_keys("file", doc, _TOP_KEYS)
        schema = doc.get("schema_version", _MISSING)
        if schema is _MISSING:
            self.fail("file", "schema_version", f"missing (required, must be {SCHEMA_VERSION})")
        if schema != SCHEMA_VERSION or isinstance(schema, bool):
            self.fail("file", "schema_version", f"must be {SCHEMA_VERSION}, not {schema!r}")
        region = self.get_str("file", doc, "region", max_length=50)
        if not _SLUG_RE.fullmatch(region):
            self.fail("file", "region", f"{region!r} is not a region code (lowercase slug)")
        if self.expected_region is not None and region != self.expected_region:
            self.fail(
                "file", "region", f"file is for region {region!r}, not {self.expected_region!r}"
            )
        entries = doc.get("budgets", _MISSING)
        if entries is _MISSING:
            self.fail("file", "budgets", "missing (at least one [[budgets]] entry)")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            self.fail("file", "budgets", "must be an array of tables ([[budgets]])")
        if not entries:
            self.fail("file", "budgets", "at least one [[budgets]] entry is required")

        budgets: list[BudgetData] = []
        first_index: dict[str, int] = {}
        for index, table in enumerate(entries):
            item = self.budget(index, table, single=len(entries) == 1)
            entry = _label("budgets", index, item.version)
            if item.version in first_index:
                self.fail(
                    entry,
                    "version",
                    f"duplicate version (also budgets[{first_index[item.version]}])",
                )
            first_index[item.version] = index
            if item.primary and any(b.primary for b in budgets):
                self.fail(entry, "primary", "only one budget can be primary")
            budgets.append(item)
        if not any(b.primary for b in budgets):
            self.fail("file", "budgets", "mark one budget with primary = true")
        return BudgetFile(region=region, budgets=tuple(budgets), source_file=self.source)

    def budget(self, index: int, table: dict, *, single: bool) -> BudgetData:
        entry = _label("budgets", index, table.get("version"))
        self.check_keys(entry, table, _BUDGET_KEYS)
        version = self.get_slug(entry, table, "version")
        title = self.get_str(entry, table, "title", max_length=_MAX["title"])
        source = self.get_str(entry, table, "source", required=False, max_length=_MAX["source"])
        note = self.get_str(entry, table, "note", required=False, max_length=_MAX_NOTE)
        primary = self.get_bool(entry, table, "primary") or single
        years = self.years(entry, table)

        impulse = table.get("impulse_budget", {})
        if not isinstance(impulse, dict):
            self.fail(entry, "impulse_budget", f"must be a table, not {type_name(impulse)}")
        self.check_keys(f"{entry}.impulse_budget", impulse, _IMPULSE_KEYS)
        impulse_label = self.get_str(
            entry, impulse, "label", required=False, max_length=_MAX["label"]
        )
        impulse_financier = self.get_str(
            entry, impulse, "financier", required=False, max_length=_MAX["financier"]
        )
        impulse_amounts = self.year_table(
            entry, "impulse_budget.amounts", impulse.get("amounts", {}), years
        )

        notes: dict[str, str] = {}
        seen: dict[str, str] = {}
        income = [
            self.income_line(f"{entry}.{label}", line, years, notes)
            for label, line in self.lines(entry, table, "income", seen)
        ]
        costs = [
            self.cost_line(f"{entry}.{label}", line, years, notes)
            for label, line in self.lines(entry, table, "costs", seen)
        ]
        investments = [
            self.investment_line(f"{entry}.{label}", line, years, notes)
            for label, line in self.lines(entry, table, "investments", seen)
        ]
        if not income and not costs:
            self.fail(entry, "income", "a budget needs income or cost lines")
        budget = calc.Budget(
            years=years,
            income=income,
            costs=costs,
            investments=investments,
            impulse_budget=impulse_amounts,
            impulse_financier=impulse_financier,
        )
        stated = self.stated(entry, table, years, budget)
        return BudgetData(
            version=version,
            title=title,
            source=source,
            note=note,
            primary=primary,
            impulse_label=impulse_label,
            budget=budget,
            notes=notes,
            stated=stated,
        )

    def years(self, entry: str, table: dict) -> tuple[int, ...]:
        value = table.get("years", _MISSING)
        if value is _MISSING:
            self.fail(entry, "years", "missing (required, e.g. [2025, 2026])")
        if not isinstance(value, list) or not value:
            self.fail(entry, "years", "must be a non-empty array of years")
        if len(value) > MAX_YEARS:
            self.fail(entry, "years", f"more than {MAX_YEARS} years")
        low, high = YEARS
        for position, year in enumerate(value):
            if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
                self.fail(entry, f"years[{position}]", f"{year!r} is not a year ({low}..{high})")
            if position and year <= value[position - 1]:
                self.fail(entry, f"years[{position}]", "years must be ascending, each once")
        return tuple(value)

    def lines(self, entry: str, table: dict, key: str, seen: dict[str, str]):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            self.fail(entry, key, f"must be an array of tables ([[budgets.{key}]])")
        for index, line in enumerate(value):
            label = _label(key, index, line.get("code"))
            code = self.get_slug(f"{entry}.{label}", line, "code")
            if code in seen:
                self.fail(f"{entry}.{label}", "code", f"duplicate code (also {seen[code]})")
            seen[code] = f"{key}[{index}]"
            yield label, line

    def common(self, entry: str, line: dict, notes: dict) -> tuple[str, str, bool]:
        code = line["code"].strip()
        label = self.get_str(entry, line, "label", max_length=_MAX["label"])
        note = self.get_str(entry, line, "note", required=False, max_length=_MAX_NOTE)
        if note:
            notes[code] = note
        return code, label, self.get_bool(entry, line, "pm")

    def amounts(
        self, entry: str, line: dict, years: tuple[int, ...], pm: bool, *, every_year: bool = True
    ) -> dict[int, int]:
        """``amount`` (every year of the budget), ``amounts`` (per year) or ``pm``."""
        given = [key for key in ("amount", "amounts") if key in line]
        if pm:
            if given:
                self.fail(entry, given[0], "a p.m. line (pm = true) has no amount")
            return {}
        if not given:
            self.fail(
                entry, "amount", "missing: give amount, amounts = { year = ... } or pm = true"
            )
        if len(given) == 2:
            self.fail(entry, "amounts", "give amount or amounts, not both")
        if given[0] == "amounts":
            return self.year_table(entry, "amounts", line["amounts"], years)
        amount = self.check_amount(entry, "amount", line["amount"])
        if not every_year:
            return {years[0]: amount}
        return {year: amount for year in years}

    def income_line(self, entry: str, line: dict, years, notes) -> calc.IncomeLine:
        self.check_keys(entry, line, _INCOME_KEYS)
        code, label, pm = self.common(entry, line, notes)
        kind = self.choice(entry, line, "kind", [k.value for k in calc.IncomeKind])
        financier = self.get_str(
            entry, line, "financier", required=False, max_length=_MAX["financier"]
        )
        return calc.IncomeLine(
            code=code,
            label=label,
            amounts=self.amounts(entry, line, years, pm),
            pm=pm,
            kind=calc.IncomeKind(kind),
            financier=financier,
        )

    def cost_line(self, entry: str, line: dict, years, notes) -> calc.CostLine:
        self.check_keys(entry, line, _COST_KEYS)
        code, label, pm = self.common(entry, line, notes)
        category = calc.CostCategory(
            self.choice(entry, line, "category", [c.value for c in calc.CostCategory])
        )
        if "nature" in line:
            nature = calc.Nature(self.choice(entry, line, "nature", [n.value for n in calc.Nature]))
        elif category == calc.CostCategory.STAFF:
            self.fail(entry, "nature", "missing: is this formation structural or temporary?")
        else:
            nature = calc.DEFAULT_NATURE[category]

        fte = self.get_decimal(entry, line, "fte", MAX_FTE)
        cost_per_fte = self.get_positive_int(entry, line, "cost_per_fte")
        area = self.get_decimal(entry, line, "area_m2", MAX_AREA)
        rent = self.get_positive_int(entry, line, "rent_per_m2_month")
        if category != calc.CostCategory.STAFF:
            for key, value in (("fte", fte), ("cost_per_fte", cost_per_fte)):
                if value is not None:
                    self.fail(entry, key, "only staff lines have FTE")
        if category != calc.CostCategory.RENT:
            for key, value in (("area_m2", area), ("rent_per_m2_month", rent)):
                if value is not None:
                    self.fail(entry, key, "only rent lines have an area")
        if cost_per_fte is not None and fte is None:
            self.fail(entry, "fte", "missing: cost_per_fte needs fte")
        if (area is None) != (rent is None):
            missing = "rent_per_m2_month" if rent is None else "area_m2"
            self.fail(entry, missing, "missing: give both area_m2 and rent_per_m2_month")

        derived = None
        if cost_per_fte is not None:
            derived, how = calc.staff_cost(fte, cost_per_fte), f"{fte} FTE x {_euros(cost_per_fte)}"
        elif area is not None:
            derived, how = calc.rent_cost(area, rent), f"{area} m² x {_euros(rent)} x 12"
        if derived is not None:
            if pm:
                self.fail(entry, "pm", "a line with drivers has an amount; leave pm out")
            if "amounts" in line:
                self.fail(entry, "amounts", "the drivers give the amount; leave amounts out")
            if "amount" in line:
                stated = self.check_amount(entry, "amount", line["amount"])
                if stated != derived:
                    self.fail(entry, "amount", f"{_euros(stated)}, but {how} = {_euros(derived)}")
            amounts = {year: derived for year in years}
        else:
            amounts = self.amounts(entry, line, years, pm)
        return calc.CostLine(
            code=code,
            label=label,
            amounts=amounts,
            pm=pm,
            category=category,
            nature=nature,
            fte=fte,
            cost_per_fte=cost_per_fte,
            area_m2=area,
            rent_per_m2_month=rent,
        )

    def investment_line(self, entry: str, line: dict, years, notes) -> calc.InvestmentLine:
        self.check_keys(entry, line, _INVESTMENT_KEYS)
        code, label, pm = self.common(entry, line, notes)
        if "year" in line:
            year = line["year"]
            if isinstance(year, bool) or not isinstance(year, int) or year not in years:
                self.fail(entry, "year", f"{year!r} is not a year of this budget {_span(years)}")
            if "amount" not in line:
                self.fail(entry, "amount", "missing: year needs an amount")
            amounts = self.amounts(entry, {"amount": line["amount"]}, (year,), pm, every_year=False)
        else:
            if "amount" in line and len(years) > 1:
                self.fail(entry, "amount", "a one-off investment falls in one year: add year = ...")
            amounts = self.amounts(entry, line, years, pm, every_year=False)
        return calc.InvestmentLine(code=code, label=label, amounts=amounts, pm=pm)

    def choice(self, entry: str, table: dict, key: str, choices: list[str]) -> str:
        value = self.get_str(entry, table, key)
        if value not in choices:
            self.fail(entry, key, f"unknown {key} {value!r} (allowed: {', '.join(choices)})")
        return value

    def stated(self, entry: str, table: dict, years, budget: calc.Budget) -> dict:
        value = table.get("stated", {})
        if not isinstance(value, dict):
            self.fail(entry, "stated", f"must be a table of years, not {type_name(value)}")
        summaries = calc.summarise(budget)
        result: dict[int, dict[str, int]] = {}
        for key, figures in value.items():
            field = f"stated.{key}"
            if not _YEAR_RE.fullmatch(key) or int(key) not in years:
                self.fail(entry, field, f"{key!r} is not a year of this budget {_span(years)}")
            if not isinstance(figures, dict):
                self.fail(entry, field, f"must be a table, not {type_name(figures)}")
            year = int(key)
            result[year] = {}
            for name, figure in figures.items():
                if name not in STATED_KEYS:
                    self.fail(
                        entry,
                        f"{field}.{name}",
                        f"unknown total (allowed: {', '.join(STATED_KEYS)})",
                    )
                if isinstance(figure, bool) or not isinstance(figure, int):
                    self.fail(
                        entry, f"{field}.{name}", f"must be an integer, not {type_name(figure)}"
                    )
                computed = stated_value(summaries[year], name)
                if computed != figure:
                    self.fail(
                        entry,
                        f"{field}.{name}",
                        f"the lines add up to {_euros(computed)}, the source states {_euros(figure)}",
                    )
                result[year][name] = figure
        return result


def _span(years: tuple[int, ...]) -> str:
    return f"({years[0]})" if len(years) == 1 else f"({years[0]}-{years[-1]})"
