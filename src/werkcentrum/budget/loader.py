"""Load a region's budget file into the database, all or nothing.

The file is parsed and checked completely first (``budgetfile.py``: schema, and the lines must
add up to the totals the source states); then one transaction writes every budget of the file:
budgets upsert on (region, version), lines on (budget, code), amounts and years are replaced.
Realisation already entered is never thrown away: a file that drops a line or a year that has
realisation is refused with an error naming it. Budgets no longer in the file are removed
unless they have realisation (then the file is refused too). Loading the same file twice
gives the same figures.
"""

from __future__ import annotations

from pathlib import Path

from .budgetfile import (
    BudgetData,
    BudgetFileError,
    bundled_budget_files,
    parse_budget_file,
)

__all__ = [
    "BudgetFileError",
    "budget_file_for",
    "load_all_bundled_budgets",
    "load_budgets",
]


def budget_file_for(region_code: str) -> Path:
    files = bundled_budget_files()
    if region_code not in files:
        known = ", ".join(sorted(files)) or "none"
        raise BudgetFileError(
            region_code, "region", "code", f"no bundled budget file (known: {known})"
        )
    return files[region_code]


def load_budgets(region_code: str, path: str | Path | None = None) -> list[str]:
    """Load the region's budget file (default: the bundled one); returns the versions loaded,
    in file order. A bad file raises :class:`BudgetFileError` and changes nothing."""
    from django.db import transaction

    from werkcentrum.regions.models import Region

    from .models import Budget

    source = Path(path) if path is not None else budget_file_for(region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise BudgetFileError(
            str(source), "region", "region", f"region {region_code!r} is not loaded"
        )
    data = parse_budget_file(source, region=region_code)

    with transaction.atomic():
        existing = {b.version: b for b in Budget.objects.select_for_update().filter(region=region)}
        versions = [item.version for item in data.budgets]
        for version, budget in existing.items():
            if version not in versions:
                _refuse_if_realised(source, f"budget {version}", budget.lines.all(), None)
                budget.delete()
        # The primary flag moves in two steps so the one-primary constraint never sees two.
        Budget.objects.filter(region=region).exclude(version=data.primary.version).update(
            primary=False
        )
        for position, item in enumerate(data.budgets):
            entry = f"budgets[{position}] ({item.version})"
            _write(region, existing.get(item.version), item, position, str(source), entry)
    return versions


def _refuse_if_realised(source, entry: str, lines, years) -> None:
    from .models import Realisation

    realised = Realisation.objects.filter(line__in=lines)
    if years is not None:
        realised = realised.exclude(year__in=years)
    first = realised.select_related("line").order_by("line__position", "year", "quarter").first()
    if first is not None:
        raise BudgetFileError(
            str(source),
            entry,
            first.line.code,
            f"has realisation entered for {first.year} Q{first.quarter}; "
            "keep the line and the year in the file",
        )


def _write(region, budget, item: BudgetData, position: int, source: str, entry: str) -> None:
    from .models import Budget, BudgetLine, BudgetYear, LineAmount, Section

    calc_budget = item.budget
    values = {
        "title": item.title,
        "source": item.source,
        "note": item.note,
        "primary": item.primary,
        "impulse_label": item.impulse_label,
        "impulse_financier": calc_budget.impulse_financier,
        "position": position,
        "source_file": source[:300],
    }
    if budget is None:
        budget = Budget.objects.create(region=region, version=item.version, **values)
    else:
        for field, value in values.items():
            setattr(budget, field, value)
        budget.save()

    years = calc_budget.years
    lines = {line.code: line for line in budget.lines.all()}
    codes = {line.code for line in calc_budget.lines()}
    _refuse_if_realised(source, entry, [lines[c] for c in lines if c not in codes], None)
    _refuse_if_realised(source, entry, list(lines.values()), years)
    BudgetLine.objects.filter(budget=budget).exclude(code__in=codes).delete()

    BudgetYear.objects.filter(budget=budget).delete()
    BudgetYear.objects.bulk_create(
        BudgetYear(budget=budget, year=year, impulse_budget=calc_budget.impulse_budget.get(year, 0))
        for year in years
    )

    rows = [(Section.INCOME, line) for line in calc_budget.income]
    rows += [(Section.COST, line) for line in calc_budget.costs]
    rows += [(Section.INVESTMENT, line) for line in calc_budget.investments]
    amounts = []
    for index, (section, line) in enumerate(rows):
        fields = {
            "section": section,
            "label": line.label,
            "note": item.notes.get(line.code, ""),
            "position": index,
            "pm": line.pm,
            "kind": getattr(line, "kind", "") or "",
            "category": getattr(line, "category", "") or "",
            "nature": getattr(line, "nature", "") or "",
            "financier": getattr(line, "financier", ""),
            "fte": getattr(line, "fte", None),
            "cost_per_fte": getattr(line, "cost_per_fte", None),
            "area_m2": getattr(line, "area_m2", None),
            "rent_per_m2_month": getattr(line, "rent_per_m2_month", None),
        }
        current = lines.get(line.code)
        if current is None:
            current = BudgetLine.objects.create(budget=budget, code=line.code, **fields)
        else:
            for field, value in fields.items():
                setattr(current, field, value)
            current.save()
        amounts += [
            LineAmount(line=current, year=year, amount=line.amount(year))
            for year in years
            if not line.pm
        ]
    LineAmount.objects.filter(line__budget=budget).delete()
    LineAmount.objects.bulk_create(amounts)


def load_all_bundled_budgets() -> dict[str, list[str]]:
    """Load every bundled budget file whose region is loaded; region code -> versions."""
    from werkcentrum.regions.models import Region

    loaded = set(Region.objects.values_list("code", flat=True))
    return {code: load_budgets(code) for code in bundled_budget_files() if code in loaded}
