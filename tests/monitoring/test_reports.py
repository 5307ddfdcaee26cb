"""The quarterly and annual reports: the figures they print (from the same overview as the
dashboard), computed totals, suppression, the budget, both renderers, constant queries."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.monitoring.data import _contacts, _placements
from werkcentrum.budget.loader import load_budgets
from werkcentrum.monitoring import reports

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
END_OF_YEAR = date(YEAR, 12, 31)


def _table(report, caption):
    return next(t for t in reports.tables(report) if t.caption == caption)


def _row(table, label):
    return next(r for r in table.rows if r[0] == label)


def _text(report) -> str:
    parts = []
    for section in report.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, reports.Paragraph):
                parts.append(block.text)
    return "\n".join(parts)


def test_quarterly_report_counts_placements_up_to_the_end_of_the_quarter(twente, targets):
    _placements(twente, 7, start_date=date(YEAR, 8, 3))  # Q3, social assistance Enschede
    _placements(twente, 6, regime="ww", municipality="Almelo", start_date=date(YEAR, 2, 2))
    _placements(twente, 9, regime="ww", municipality="Almelo", start_date=date(YEAR, 10, 5))  # Q4
    report = reports.build(twente, "quarterly", YEAR, 3, today=END_OF_YEAR, lang="en")
    assert report.title == f"Quarterly report Q3 {YEAR}"
    assert (report.period.start, report.period.last_day) == (date(YEAR, 7, 1), date(YEAR, 9, 30))
    regime = _table(report, "Per benefit regime")
    assert _row(regime, "WW (UWV)")[3] == "6"  # Q4 is after the quarter
    assert _row(regime, "Social assistance (municipality)")[3] == "7"
    total = regime.rows[-1]
    assert total[0] == "Total" and total[3] == "13" and regime.total
    quarters = _table(report, "All placements per quarter")
    assert [r[2] for r in quarters.rows] == ["6", "0", "7", "9"]
    enschede = _row(_table(report, "Per municipality"), "Enschede")
    assert enschede[4] == "7"
    assert report.filename == f"werkcentrum-twente-{YEAR}-q3"


def test_annual_report_computes_the_total_where_the_source_printed_another(twente, targets):
    report = reports.build(twente, "annual", 2021, lang="en")
    regime = _table(report, "Per benefit regime")
    assert regime.rows[-1][1] == "1,392"  # DOMAIN.md §9: the rows add up to 1,392
    assert "prints a total of 1,393 placements; the sum of its rows is 1,392" in _text(report)
    assert report.filename == "werkcentrum-twente-2021-jaarverslag"


def test_small_numbers_are_not_printed(twente, targets, guide, uwv):
    _placements(twente, 3, regime="wia", municipality="Almelo", start_date=date(YEAR, 2, 2))
    _placements(twente, 11, start_date=date(YEAR, 2, 2))
    _contacts(twente, guide, uwv, 2)
    report = reports.build(twente, "annual", YEAR, today=END_OF_YEAR, lang="en")
    regime = _table(report, "Per benefit regime")
    assert _row(regime, "WIA (UWV)")[3] == "<5"
    # the total (14) is shown, so the 11 is hidden too: else 14 - 11 gives the 3 away
    assert _row(regime, "Social assistance (municipality)")[3] == "x"
    assert regime.rows[-1][3] == "14"
    reach = _table(report, "By channel")
    assert _row(reach, "Walk-in")[1] == "<5"
    assert "2 contacts" not in _text(report)


def test_budget_status_for_the_year(twente, targets):
    load_budgets("twente")
    report = reports.build(twente, "annual", 2026, lang="en")
    budget = next(s for s in report.sections if s.title == "Budget status")
    facts = dict(next(b for b in budget.blocks if isinstance(b, reports.Facts)).pairs)
    assert facts["Gap (income minus costs)"] == "€ -260,546"
    assert facts["Investment room"] == "€ 566,844"
    assert "Budget 2026: gap € -260,546, investment room € 566,844." in _text(report)
    later = reports.build(twente, "annual", 2031, lang="en")
    assert "has no figures for 2031" in _text(later)


def test_a_future_or_running_period_says_so(twente, targets):
    future = reports.build(twente, "annual", YEAR + 1, lang="en")
    assert "has not started yet" in future.sections[0].blocks[0].text
    today = timezone.localdate()
    running = reports.build(twente, "quarterly", YEAR, (today.month - 1) // 3 + 1, lang="en")
    assert "not over yet" in running.sections[0].blocks[0].text


@pytest.mark.parametrize(
    "kind, year, quarter", [("monthly", 2026, None), ("quarterly", 2026, 5), ("annual", 1999, None)]
)
def test_reports_that_cannot_be_made(twente, kind, year, quarter):
    with pytest.raises(reports.ReportError):
        reports.build(twente, kind, year, quarter)


def test_both_renderers(twente, targets, guide, uwv):
    load_budgets("twente")
    _placements(twente, 12, start_date=date(YEAR, 5, 5))
    _contacts(twente, guide, uwv, 6)
    report = reports.build(twente, "annual", YEAR, today=END_OF_YEAR)  # Dutch
    assert report.title == f"Jaarverslag {YEAR}"
    pdf = reports.render_pdf(report)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) >= 6
    html = reports.render_html(report)
    assert html.startswith("<!doctype html>") and '<html lang="nl">' in html
    for section in report.sections:
        assert section.title in html
    assert html.count("<svg") >= 4 and "None" not in html
    assert "Streefcijfers" in html and "Begroting" in html


def test_a_report_uses_the_same_number_of_queries_however_much_data(twente, targets, guide, uwv):
    load_budgets("twente")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            reports.build(twente, "quarterly", YEAR, 4, today=END_OF_YEAR)
        return len(ctx)

    _contacts(twente, guide, uwv, 2)
    _placements(twente, 2, start_date=date(YEAR, 11, 1))
    small = count()
    _contacts(twente, guide, uwv, 12, handover_every=1)
    _placements(twente, 20, regime="ww", municipality="Almelo", start_date=date(YEAR, 10, 1))
    assert count() == small
