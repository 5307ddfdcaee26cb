"""The Excel export opens with openpyxl and holds the same figures as the screens and CLI."""

from io import BytesIO

import openpyxl
import pytest
from django.utils import translation

from werkcentrum.budget import selectors
from werkcentrum.budget.export import workbook_bytes
from werkcentrum.budget.models import BudgetLine, Realisation

ROOM = {2025: 174_583, 2026: 566_844, 2027: 856_431, 2028: 1_030_929}


@pytest.fixture
def workbook(planning, manager):
    housing = BudgetLine.objects.get(budget=planning, code="housing")
    Realisation.objects.create(
        line=housing, year=2025, quarter=1, amount=40_000, entered_by=manager
    )
    Realisation.objects.create(
        line=housing, year=2025, quarter=2, amount=41_000, entered_by=manager
    )
    with translation.override("en"):
        content = workbook_bytes(selectors.figures(planning))
    return openpyxl.load_workbook(BytesIO(content))


def rows_by_label(sheet, column):
    return {
        row[column - 1]: row
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[column - 1], str)
    }


def test_summary_sheet(workbook):
    summary = workbook.worksheets[0]
    assert summary.title == "Summary"
    rows = rows_by_label(summary, 1)
    assert rows["Euros per year"][1:5] == (2025, 2026, 2027, 2028)
    assert rows["Income"][1:5] == (2_295_004,) * 4
    assert rows["Costs"][1:5] == (2_555_550,) * 4
    assert rows["Gap (income − costs)"][1:5] == (-260_546,) * 4
    assert rows["Impulse budget"][1:5] == (910_129, 827_390, 1_116_977, 1_291_475)
    assert rows["One-off investments"][1:5] == (475_000, 0, 0, 0)
    room = rows["Investment room (impulse budget + gap − investments)"][1:5]
    assert room == tuple(ROOM.values())
    assert all(isinstance(value, int) for value in room)  # real numbers, not text
    assert sum(1 for label in rows if label.startswith("2025: the structural costs")) == 1


def test_year_sheets(workbook, planning):
    assert workbook.sheetnames == ["Summary", "2025", "2026", "2027", "2028"]
    sheet = workbook["2025"]
    lines = rows_by_label(sheet, 2)  # by code
    assert lines["szw-grant"][7] == 648_545
    assert lines["base-formation"][6] == "20.9 FTE × € 90,000"
    assert lines["base-formation"][7] == 1_881_000
    housing = lines["housing"]
    assert housing[7:14] == (160_000, 40_000, 41_000, None, None, 81_000, 79_000)
    totals = rows_by_label(sheet, 3)
    assert totals["Total income"][7] == 2_295_004
    assert totals["Total costs"][7] == 2_555_550
    assert totals["Total costs"][12] == 81_000
    assert totals["Total one-off investments"][7] == 475_000
    assert totals["Investment room (impulse budget + gap − investments)"][7] == 174_583
    assert sheet["H5"].number_format == "#,##0;-#,##0"
    data = selectors.figures(planning)
    total_of_lines = sum(line.by_year[0] for line in data.income_lines)
    assert totals["Total income"][7] == total_of_lines
