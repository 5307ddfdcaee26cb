"""The talent wall in a real browser (Debian's Chromium): a resident fills the form on a phone,
sees the result, and axe finds no serious WCAG 2.1 AA violations on either page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (  # noqa: F401 - fixtures
    PHONE,
    browser,
    expect,
    has_horizontal_scroll,
    new_context,
    widest_elements,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def check(axe, page, name: str) -> None:
    """No serious or critical WCAG 2.1 AA violation (everything found is printed)."""
    page.wait_for_load_state("networkidle")
    violations = axe.run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]}).response[
        "violations"
    ]
    found = [f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}x)" for v in violations]
    if found:
        print(f"\naxe on {name}:", *found, sep="\n  ")
    blocking = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert not blocking, f"axe on {name}: {found}"


@pytest.fixture
def phone(new_context):  # noqa: F811
    return new_context(language=None, viewport=PHONE).new_page()


def test_fill_in_on_a_phone_and_see_the_result(axe, phone, twente, live_server):  # noqa: F811
    phone.goto("/talentenmuur/")
    assert not has_horizontal_scroll(phone), widest_elements(phone)
    check(axe, phone, "talent wall form")

    # submit half-filled: the summary links to the first gap, the answers stay
    groups = phone.locator("[role=radiogroup]")
    assert groups.count() == 48
    for i in range(20):
        groups.nth(i).locator("input[type=radio]").nth(4).check()
    phone.locator("main form[action='/talentenmuur/'] button[type=submit]").click()
    summary = phone.locator("[role=alert]")
    expect(summary).to_be_visible()
    check(axe, phone, "talent wall form with errors")
    summary.locator("a").click()
    assert phone.evaluate("() => document.activeElement.type") == "radio"

    for i in range(48):
        groups.nth(i).locator("input[type=radio]").nth(i % 5).check()
    phone.locator("main form[action='/talentenmuur/'] button[type=submit]").click()
    phone.wait_for_url("**/talentenmuur/resultaat/")
    expect(phone.locator("h1")).to_be_visible()
    assert phone.locator("meter").count() >= 6 + 5
    assert not has_horizontal_scroll(phone), widest_elements(phone)
    check(axe, phone, "talent wall result")
