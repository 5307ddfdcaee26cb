"""The training fund in the browser: the fund's LLO adviser records an LLO conversation, the
resident applies in My Werkcentrum, the fund assesses, commits, registers the proof of
completion and pays, and the resident sees the voucher paid. axe-core checks the pages
(WCAG 2.1 AA, no serious or critical violations) on the way."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, expect, login, new_context  # noqa: F401 - fixtures
from tests.e2e.test_accessibility import check
from werkcentrum.residents.accounts import register_by_email
from werkcentrum.vouchers.models import Application, LedgerEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def resident_account(twente):
    user, _ = register_by_email(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def resident_login(page, email: str) -> None:
    page.goto("/mijn/inloggen/")
    section = page.locator("section", has=page.get_by_role("heading", name="With a password"))
    section.locator("input[name=email]").fill(email)  # both forms have an id_email
    section.locator("input[name=password]").fill(PASSWORD)
    section.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()


def test_from_llo_conversation_to_payment_in_the_browser(
    new_context,  # noqa: F811
    axe,
    twente,
    fund_staff,
    budgets,
    training,
    resident_account,
    live_server,
):
    # The resident has no LLO conversation yet: the page explains how to get one.
    me = new_context().new_page()
    resident_login(me, resident_account.email)
    me.get_by_role("link", name="Training voucher").click()
    expect(me.get_by_role("heading", name="First: an LLO conversation")).to_be_visible()
    expect(me.get_by_role("link", name="Book an appointment").last).to_have_attribute(
        "href", "/mijn/afspraken/"
    )
    check(axe, me, "training voucher, no LLO conversation")

    # The fund's LLO adviser records the conversation.
    desk = new_context().new_page()
    login(desk, "fonds", PASSWORD)
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Training fund").click()
    desk.get_by_role("link", name="Record an LLO conversation").click()
    desk.get_by_label("First name").fill("Yvonne")
    desk.get_by_label("Last name").fill("Jansen")
    desk.get_by_label("E-mail").fill("yvonne.jansen@example.org")
    desk.get_by_label("Advice: apply for a training voucher").check()
    desk.get_by_role("textbox", name="Advice").fill(
        "Verzorgende IG (BBL) past goed; scholingscheque aanvragen."
    )
    check(axe, desk, "LLO conversation form")
    desk.get_by_role("button", name="Record conversation").click()
    expect(desk.locator(".alert--success")).to_contain_text("They can now apply")

    # The resident applies for the catalogue training.
    me.reload()
    me.get_by_role("link", name="Apply for a training voucher").click()
    me.get_by_label("Training from the catalogue").select_option(label=str(training))
    check(axe, me, "training voucher application form")
    me.get_by_role("button", name="Send application").click()
    expect(me.locator(".alert--success")).to_contain_text("We received your application")
    application = Application.objects.get(person=resident_account.person)
    expect(me.locator("main")).to_contain_text("The fund is assessing the application.")

    # The fund assesses (the rules propose 1,296: the cost minus 10%), commits, registers the
    # proof and pays.
    desk.get_by_role("link", name="Applications").click()
    desk.get_by_role("link", name=application.reference).click()
    expect(desk.locator("main")).to_contain_text("is a priority sector")
    check(axe, desk, "assessment")
    desk.get_by_role("button", name="Record decision").click()
    expect(desk.locator(".alert--success")).to_contain_text("approved: € 1,296")
    desk.get_by_role("button", name="Commit € 1,296").click()
    expect(desk.locator(".alert--success")).to_contain_text("€ 1,296 committed")
    desk.get_by_role("textbox", name="Proof").fill("Diploma VIG-2026-0042")
    desk.get_by_role("button", name="Register proof of completion").click()
    expect(desk.locator(".alert--success")).to_contain_text("Proof of completion registered")
    desk.get_by_role("button", name="Pay", exact=True).click()
    expect(desk.locator(".alert--success")).to_contain_text("paid: € 1,296")

    application.refresh_from_db()
    assert application.status == "paid"
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [
        ("commitment", 1296),
        ("payment", 1296),
    ]

    # The budget shows the spend; the resident sees the voucher paid.
    desk.goto("/fonds/budget/")
    expect(desk.get_by_role("row", name=re.compile("Care & Welfare"))).to_contain_text("€ 1,296")
    check(axe, desk, "budget")
    me.reload()
    expect(me.locator("main")).to_contain_text("Paid: € 1,296")
    check(axe, me, "training voucher paid")
