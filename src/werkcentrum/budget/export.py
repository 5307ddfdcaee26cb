"""The budget as an Excel workbook (openpyxl): a summary sheet with the multi-year figures,
the warnings and the financiers, then one sheet per year with every line, its budget, the
realisation per quarter and what remains.

Every amount is a real number (whole euros, shown with thousands grouping). Totals are the
values the platform computed (``calc.py``), not formulas: the file then shows the same figures
as the screens and the CLI in any viewer, also one that does not evaluate formulas.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import presentation as p
from .models import Section
from .selectors import BudgetFigures, comparison

EUROS = "#,##0;-#,##0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WARN = PatternFill("solid", fgColor="FFF4CE")


def _text(ws, row: int, column: int, value, font=None):
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a label is never a formula
    if font is not None:
        cell.font = font
    return cell


def _euros(ws, row: int, column: int, value, font=None, fill=None):
    cell = ws.cell(row=row, column=column, value=value)
    cell.number_format = EUROS
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _widths(ws, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _summary_sheet(ws, data: BudgetFigures) -> None:
    budget = data.budget
    ws.title = _("Summary")[:31]
    _text(ws, 1, 1, f"{budget.region.name} — {budget.title}", TITLE)
    _text(ws, 2, 1, _("Version: %(version)s") % {"version": budget.version})
    if budget.source:
        _text(ws, 3, 1, _("Source: %(source)s") % {"source": budget.source})
    _text(ws, 4, 1, _("Exported: %(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})

    row = 6
    _text(ws, row, 1, _("Euros per year"), BOLD)
    for column, year in enumerate(data.years, start=2):
        _text(ws, row, column, year, BOLD).alignment = Alignment(horizontal="right")
    for summary_row in p.summary_rows(data):
        row += 1
        font = BOLD if summary_row.strong else None
        _text(ws, row, 1, summary_row.label, font)
        for column, (value, warn) in enumerate(
            zip(summary_row.values, summary_row.warn, strict=True), start=2
        ):
            _euros(ws, row, column, value, font, WARN if warn else None)

    row += 2
    _text(ws, row, 1, _("Warnings"), BOLD)
    if not data.warnings:
        row += 1
        _text(ws, row, 1, _("None: the structural costs are covered by structural income."))
    for warning in data.warnings:
        row += 1
        _text(ws, row, 1, p.warning_text(warning))

    row += 2
    _text(ws, row, 1, _("Financing by financier"), BOLD)
    for column, year in enumerate(data.years, start=2):
        _text(ws, row, column, year, BOLD).alignment = Alignment(horizontal="right")
    for name, values in data.financiers():
        row += 1
        _text(ws, row, 1, name)
        for column, value in enumerate(values, start=2):
            _euros(ws, row, column, value)
    _widths(ws, {1: 58, **{c: 14 for c in range(2, len(data.years) + 2)}})
    ws.freeze_panes = "B7"


def _year_sheet(ws, data: BudgetFigures, year: int) -> None:
    ws.title = str(year)
    headers = [
        _("Section"),
        _("Code"),
        _("Line"),
        _("Kind or category"),
        _("Nature"),
        _("Financier"),
        _("Basis"),
        _("Budget"),
        _("Q1"),
        _("Q2"),
        _("Q3"),
        _("Q4"),
        _("Realised"),
        _("Remaining"),
    ]
    _text(ws, 1, 1, f"{data.budget.title} — {year}", TITLE)
    for column, header in enumerate(headers, start=1):
        _text(ws, 3, column, header, BOLD)
    rows = comparison(data, year)
    summary = data.summaries[year]
    sections = (
        (Section.INCOME, _("Income"), summary.income),
        (Section.COST, _("Costs"), summary.costs),
        (Section.INVESTMENT, _("One-off investments"), summary.one_off_investment),
    )
    row = 3
    for section, title, total in sections:
        section_rows = [r for r in rows if r.line.section == section]
        if not section_rows:
            continue
        for item in section_rows:
            row += 1
            line = item.line
            _text(ws, row, 1, str(Section(section).label))
            _text(ws, row, 2, line.code)
            _text(ws, row, 3, line.label)
            _text(ws, row, 4, p.line_kind(line))
            _text(ws, row, 5, p.line_nature(line))
            _text(ws, row, 6, line.financier)
            _text(ws, row, 7, p.line_basis(line))
            if line.pm:
                _text(ws, row, 8, "p.m.")
            else:
                _euros(ws, row, 8, item.row.budget)
            for q in (1, 2, 3, 4):
                _euros(ws, row, 8 + q, item.row.quarters[q])
            _euros(ws, row, 13, item.row.realised if item.row.entered_quarters else None)
            _euros(ws, row, 14, item.row.remaining)
        row += 1
        _text(ws, row, 3, _("Total %(section)s") % {"section": str(title).lower()}, BOLD)
        _euros(ws, row, 8, total, BOLD)
        realised = [r.row for r in section_rows]
        for q in (1, 2, 3, 4):
            entered = [r.quarters[q] for r in realised if r.quarters[q] is not None]
            _euros(ws, row, 8 + q, sum(entered) if entered else None, BOLD)
        entered_any = any(r.entered_quarters for r in realised)
        _euros(ws, row, 13, sum(r.realised for r in realised) if entered_any else None, BOLD)
        _euros(ws, row, 14, sum(r.remaining for r in realised), BOLD)
        row += 1

    row += 1
    for label, value, warn in (
        (_("Gap (income − costs)"), summary.gap, False),
        (_("Impulse budget"), summary.impulse_budget, False),
        (_("One-off investments"), summary.one_off_investment, False),
        (
            _("Investment room (impulse budget + gap − investments)"),
            summary.investment_room,
            summary.investment_room < 0,
        ),
        (
            _("Structural costs paid from temporary money"),
            summary.structural_shortfall,
            summary.structural_shortfall > 0,
        ),
    ):
        row += 1
        _text(ws, row, 3, label, BOLD)
        _euros(ws, row, 8, value, BOLD, WARN if warn else None)
    _widths(ws, {1: 14, 2: 24, 3: 50, 4: 24, 5: 12, 6: 28, 7: 26, **{c: 13 for c in range(8, 15)}})
    ws.freeze_panes = "D4"


def build_workbook(data: BudgetFigures) -> Workbook:
    workbook = Workbook()
    _summary_sheet(workbook.active, data)
    for year in data.years:
        _year_sheet(workbook.create_sheet(), data, year)
    workbook.properties.title = data.budget.title
    workbook.properties.creator = "Werkcentrum"
    return workbook


def workbook_bytes(data: BudgetFigures) -> bytes:
    buffer = BytesIO()
    build_workbook(data).save(buffer)
    return buffer.getvalue()


def write_workbook(data: BudgetFigures, path: str | Path) -> None:
    Path(path).write_bytes(workbook_bytes(data))
