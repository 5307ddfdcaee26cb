"""A manager makes the quarterly report in the browser: the form, the progress page, the PDF
download and the HTML report; the pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import expect, login
from tests.e2e.test_accessibility import check
from werkcentrum.monitoring.loader import load_targets
from werkcentrum.monitoring.models import ReportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_makes_and_downloads_the_quarterly_report(
    page, axe, twente, manager, live_server, tmp_path
):
    load_targets("twente")
    login(page, "manager", PASSWORD)
    page.goto("/monitoring/")
    page.get_by_role("link", name="Quarterly and annual reports").click()
    check(axe, page, "reports")
    page.locator("#id_kind").select_option("quarterly")
    page.locator("#id_year").fill("2026")
    page.locator("#id_quarter").select_option("3")
    page.get_by_role("button", name="Make the report").click()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=30_000)
    check(axe, page, "report ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    download = info.value
    assert download.suggested_filename == "werkcentrum-twente-2026-q3.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Open in the browser").click()
    expect(page.get_by_role("heading", name="Kwartaalrapportage Q3 2026", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Plaatsingen ten opzichte van streefcijfer")
    check(axe, page, "report (HTML)")
    assert ReportJob.objects.get().status == "done"
