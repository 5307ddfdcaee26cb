"""WCAG 2.1 AA checks with axe-core on the main screens, as the people of journeys 1-3 and 5 see
them (Dutch, the default language). Fails on "serious" and "critical" violations; everything
axe finds is printed so that "moderate" and "minor" findings are visible too.

Every <details> is opened before the scan, so the folded parts of a form are checked as well.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import expect, login
from tests.factories import contact as make_contact
from tests.factories import handover as make_handover
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Handover
from werkcentrum.regions.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def scene(twente, guide, coordinator, uwv, uwv_employee, live_server):
    """A small day at the Werkcentrum: waiting, overdue and returned handovers."""
    waiting = make_handover(make_contact(twente, guide), guide, uwv)
    overdue = make_handover(
        make_contact(twente, guide, question="Ik heb een WIA-uitkering en kan deels werken."),
        guide,
        uwv,
    )
    Handover.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(days=2))
    returned = make_handover(
        make_contact(twente, guide, question="Ik wil omscholen naar de zorg, wie betaalt dat?"),
        guide,
        uwv,
    )
    services.return_handover(
        returned,
        uwv_employee,
        reason="Geen uitkering bij ons; dit is een loopbaanvraag.",
        suggested_partner=Partner.objects.get(code="werkcentrum-twente-loopbaan"),
    )
    return {"waiting": waiting, "overdue": overdue, "returned": returned}


def open_all_details(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']}  ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}\n       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def check(axe, page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    results = axe.run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        print(f"\naxe on {name} ({page.url}):{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {name} ({page.url}):{describe(blocking)}"


@pytest.fixture
def dutch_page(new_context):
    return new_context(language=None).new_page()


# -- public -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,url",
    [
        ("home", "/"),
        ("question form", "/vraag/"),
        ("walk-in points", "/inlooppunten/"),
        ("vacancy search", "/vacatures/?q=kok"),
    ],
)
def test_public_pages(axe, dutch_page, twente, live_server, name, url):
    dutch_page.goto(url)
    open_all_details(dutch_page)
    check(axe, dutch_page, name)


def test_question_form_with_errors(axe, dutch_page, twente, live_server):
    dutch_page.goto("/vraag/")
    dutch_page.locator("main form button[type=submit]").click()
    expect(dutch_page.locator(".form-field--invalid").first).to_be_visible()
    open_all_details(dutch_page)
    check(axe, dutch_page, "question form after a failed submit")


def test_login_page(axe, dutch_page, twente, live_server):
    dutch_page.goto("/accounts/login/")
    check(axe, dutch_page, "login")


# -- staff --------------------------------------------------------------------------------------


def test_guide_screens(axe, dutch_page, scene):
    page = dutch_page
    login(page, "guide", PASSWORD)
    page.goto("/guide/")
    check(axe, page, "guide queue")

    page.goto("/guide/new/")
    page.locator("#id_question").fill("Ik werk als oproepkracht en wil omscholen naar de zorg.")
    expect(page.locator("#proposal strong")).to_have_text(re.compile(r"\w{3,}"))
    open_all_details(page)
    check(axe, page, "intake with a triage proposal")

    page.goto(f"/guide/contacts/{scene['returned'].contact_id}/")
    open_all_details(page)
    check(axe, page, "contact detail (returned, all sections open)")

    page.goto(f"/guide/contacts/{scene['waiting'].contact_id}/")
    check(axe, page, "contact detail (waiting for pick-up)")


def test_partner_screens(axe, dutch_page, scene):
    page = dutch_page
    login(page, "uwv_employee", PASSWORD)
    page.goto("/partner/inbox/")
    expect(page.locator("tbody tr").first).to_be_visible()
    check(axe, page, "partner inbox")

    page.goto(f"/partner/handovers/{scene['waiting'].pk}/")
    check(axe, page, "partner handover")


def test_coordinator_escalations(axe, dutch_page, scene):
    page = dutch_page
    login(page, "coordinator", PASSWORD)
    page.goto("/coordinator/escalations/")
    expect(page.locator("tr.is-overdue").first).to_be_visible()
    open_all_details(page)
    check(axe, page, "escalation list")
