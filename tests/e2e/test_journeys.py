"""Journeys 1-3 (and the public question form) end to end in a real browser.

See JOURNEYS.md (journeys 1, 2, 3 and 5): a walk-in registered and handed over by the guide, the partner picks it up or
returns it, the coordinator keeps the loop closed, and a resident asks a question on the web.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import (
    PHONE,
    REFERENCE,
    expect,
    has_horizontal_scroll,
    login,
    logout,
    widest_elements,
)
from tests.factories import contact as make_contact
from tests.factories import handover as make_handover
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor.models import Contact, Handover
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.regions.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YVONNE_QUESTION = (
    "Ik werk als oproepkracht bij een drogist en wil omscholen naar de ouderenzorg. "
    "Kan ik een opleiding vergoed krijgen?"
)


def tab_to(page, selector: str, max_presses: int = 60) -> int:
    """Press Tab until the element matching ``selector`` has focus; return the presses."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} not reached in {max_presses} Tabs; focus is on {focused}")


# -- journey 1 + 2: walk-in, warm handover, the partner accepts ------------------------------


def test_walk_in_is_handed_over_and_the_partner_accepts(page, twente, guide, live_server):
    login(page, "guide", PASSWORD)
    expect(page.get_by_role("heading", name="My questions")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="New contact").click()
    expect(page.get_by_role("heading", name="New contact", level=1)).to_be_visible()
    # The guide works at a walk-in point: channel and place are filled in already.
    expect(page.locator("input[name=channel][value=walk_in]")).to_be_checked()
    expect(page.locator("select[name=walk_in_point]")).to_have_value(str(guide.walk_in_point_id))

    page.locator("#id_question").press_sequentially(YVONNE_QUESTION, delay=2)
    proposal = page.locator("#proposal")
    expect(proposal.locator("strong")).to_have_text(re.compile(r"\w{3,}"))
    proposed_partner = proposal.locator("strong").inner_text().strip()
    expect(proposal.locator(".proposal__reasons li").first).to_be_visible()

    page.locator("#id_municipality").select_option(label="Oldenzaal")
    page.locator("#id_age").fill("26")
    page.locator("#id_first_name").fill("Yvonne")
    page.locator("#id_last_name").fill("Jansen")
    page.locator("#id_date_of_birth").fill("2000-05-14")
    page.locator("#id_email").fill("yvonne.jansen@example.org")
    page.locator("#id_phone").fill("06 12345678")
    page.get_by_role("button", name="Register question").click()

    heading = page.get_by_role("heading", name=re.compile(r"Question V\d{6}"), level=1)
    expect(heading).to_be_visible()
    contact = Contact.objects.select_related("responsible_partner").latest("pk")
    assert contact.reference in heading.inner_text()
    assert contact.responsible_partner.name == proposed_partner
    assert contact.person.last_name == "Jansen" and contact.walk_in_point == guide.walk_in_point
    expect(page.locator(".alert--success")).to_contain_text(f"Question {contact.reference}")

    # Hand over: partner preselected from the triage, consent read aloud and ticked.
    page.locator("#handover > summary").click()
    handover_form = page.locator("#handover form")
    expect(handover_form.locator("select[name=partner]")).to_have_value(
        str(contact.responsible_partner_id)
    )
    expect(handover_form.locator("input[name=categories][value=contact_details]")).to_be_checked()
    expect(handover_form.locator("input[name=categories][value=question]")).to_be_checked()
    expect(handover_form.locator("input[name=categories][value=date_of_birth]")).not_to_be_checked()
    handover_form.locator("input[name=contact_details_checked]").check()
    handover_form.locator("input[name=consent_given]").check()
    handover_form.get_by_role("button", name="Hand over with consent").click()
    expect(page.locator(".alert--info")).to_contain_text(
        f"Handed over to {proposed_partner}; waiting for pick-up before"
    )
    handover = Handover.objects.get(contact=contact)
    assert handover.status == HandoverStatus.PENDING

    # Journey 2: an employee of that partner picks it up.
    make_user("partner_employee", Role.PARTNER_EMPLOYEE, twente, partner=handover.partner)
    logout(page)
    login(page, "partner_employee", PASSWORD)
    expect(page.get_by_role("heading", name=f"Inbox of {handover.partner.name}")).to_be_visible()
    row = page.locator("tbody tr", has_text=contact.reference)
    expect(row).to_contain_text("Yvonne Jansen")
    row.get_by_role("link", name=contact.reference).click()
    expect(page.get_by_role("heading", name=f"Handover {contact.reference}")).to_be_visible()

    shared = page.locator("section.card", has=page.get_by_role("heading", name="Shared"))
    labels = [t.strip() for t in shared.locator("dt").all_inner_texts()]
    assert set(labels) <= {"Name", "E-mail", "Phone", "Question", "Topics"}, labels
    assert {"Name", "E-mail", "Question"} <= set(labels), labels
    expect(shared).to_contain_text("Yvonne Jansen")
    expect(shared).to_contain_text("omscholen naar de ouderenzorg")
    # Not consented: date of birth, municipality, age.
    expect(shared).not_to_contain_text("14-05-2000")
    expect(shared).not_to_contain_text("Oldenzaal")

    mail.outbox.clear()
    page.get_by_role("button", name="Accept handover").click()
    expect(page.locator(".alert--success")).to_contain_text("Accepted.")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED
    to_yvonne = [m for m in mail.outbox if "yvonne.jansen@example.org" in m.to]
    assert len(to_yvonne) == 1, [(m.subject, m.to) for m in mail.outbox]
    assert contact.reference in to_yvonne[0].subject

    # The guide sees the loop closed.
    logout(page)
    login(page, "guide", PASSWORD)
    page.goto(f"/guide/contacts/{contact.pk}/")
    title = page.locator(".cluster", has=page.get_by_role("heading", level=1))
    expect(title.locator(".badge").first).to_have_text("Picked up by partner")
    handovers_table = page.locator(
        "section.card", has=page.get_by_role("heading", name="Handovers")
    )
    expect(handovers_table.locator(".badge--accepted")).to_have_text("Accepted")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Accepted by partner")
    expect(timeline).to_contain_text("Person informed")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.HANDED_OVER


# -- journey 2: the partner returns it; it lands on top of the guide's queue ------------------


def test_returned_handover_is_first_in_the_guide_queue_with_the_reason(
    page, new_context, twente, guide, uwv, uwv_employee, live_server
):
    older = make_contact(twente, guide, question="Waar vind ik vacatures in de techniek?")
    Contact.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=3))
    contact = make_contact(twente, guide)
    make_handover(contact, guide, uwv)
    better = Partner.objects.get(code="werkcentrum-twente-loopbaan")

    login(page, "uwv_employee", PASSWORD)
    page.locator("tbody tr", has_text=contact.reference).get_by_role("link").click()
    page.get_by_label("Why are you returning it?").fill(
        "Geen uitkering bij ons; dit is een loopbaanvraag."
    )
    page.get_by_label("Better partner (optional)").select_option(str(better.pk))
    page.get_by_role("button", name="Return to the guide").click()
    expect(page.locator(".alert--success")).to_contain_text("Returned to the guide")
    expect(page.get_by_role("heading", name=re.compile("Inbox of"))).to_be_visible()
    expect(page.locator("tbody tr", has_text=contact.reference)).to_have_count(0)

    guide_page = new_context().new_page()
    login(guide_page, "guide", PASSWORD)
    mine = guide_page.locator("section", has=guide_page.get_by_role("heading", name="Owned by me"))
    first_row = mine.locator("tbody tr").first
    expect(first_row).to_contain_text(contact.reference)
    expect(first_row.locator(".badge--returned")).to_have_text("Returned")
    first_row.get_by_role("link", name=contact.reference).click()
    returned = guide_page.locator(".alert--warning")
    expect(returned).to_contain_text(f"Returned by {uwv.name}")
    expect(returned).to_contain_text("Geen uitkering bij ons; dit is een loopbaanvraag.")
    expect(returned).to_contain_text(f"They suggest: {better.name}.")
    expect(guide_page.locator(".timeline")).to_contain_text("Returned by partner")


# -- journey 3: the coordinator reminds a partner that is late --------------------------------


def test_coordinator_reminds_partner_of_an_overdue_handover(
    page, twente, guide, coordinator, uwv, live_server
):
    contact = make_contact(twente, guide)
    handover = make_handover(contact, guide, uwv)
    Handover.objects.filter(pk=handover.pk).update(due_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()

    login(page, "coordinator", PASSWORD)
    expect(page.get_by_role("heading", name="Escalation list")).to_be_visible()
    overdue = page.locator(
        "section", has=page.get_by_role("heading", name="Overdue handovers")
    ).locator("tbody tr", has_text=contact.reference)
    expect(overdue).to_contain_text(uwv.name)
    expect(overdue.locator(".badge--overdue")).to_be_visible()
    overdue.get_by_role("button", name="Remind partner").click()
    expect(page.locator(".alert--success")).to_have_text(f"Reminder sent to {uwv.name}.")
    expect(page.locator("tbody tr", has_text=contact.reference).locator(".small")).to_contain_text(
        "reminded"
    )
    handover.refresh_from_db()
    assert handover.reminded_at is not None
    assert any("Herinnering" in m.subject for m in mail.outbox), [m.subject for m in mail.outbox]


# -- journey 1, keyboard only -----------------------------------------------------------------


def test_intake_by_keyboard_only(page, twente, guide, live_server):
    login(page, "guide", PASSWORD)
    expect(page.get_by_role("heading", name="My questions")).to_be_visible()

    page.keyboard.press("Alt+n")
    expect(page).to_have_url(re.compile(r"/guide/new/$"))
    expect(page.get_by_role("heading", name="New contact", level=1)).to_be_visible()

    # The question field has the focus at once (autofocus); otherwise it is a few Tabs away.
    if not page.evaluate("() => document.activeElement.id === 'id_question'"):
        presses = tab_to(page, "#id_question")
        assert presses <= 25, f"{presses} Tabs from the top of the page to the question"
    page.keyboard.type("Ik heb een WW-uitkering en zoek werk als kok.")
    expect(page.locator("#proposal strong")).to_have_text(re.compile(r"\w{3,}"))

    tab_to(page, "#id_municipality", max_presses=3)
    page.keyboard.type("Oldenzaal")  # type-ahead in a closed <select>
    expect(page.locator("#id_municipality option:checked")).to_have_text("Oldenzaal")
    tab_to(page, "#id_last_name", max_presses=15)
    page.keyboard.type("Kok")
    page.keyboard.press("Enter")  # implicit submission from a text input

    heading = page.get_by_role("heading", name=re.compile(r"Question V\d{6}"), level=1)
    expect(heading).to_be_visible()
    contact = Contact.objects.latest("pk")
    assert contact.person.last_name == "Kok"
    assert contact.question.startswith("Ik heb een WW-uitkering")

    # Hand over by keyboard: the <summary> is reachable and opens with Enter.
    presses = tab_to(page, "#handover > summary", max_presses=60)
    print(f"keyboard: {presses} Tabs from the top of the detail page to 'Hand over'")
    page.keyboard.press("Enter")
    expect(page.locator("#handover")).to_have_attribute("open", "")
    tab_to(page, "input[name=contact_details_checked]", max_presses=20)
    page.keyboard.press("Space")
    tab_to(page, "input[name=consent_given]", max_presses=2)
    page.keyboard.press("Space")
    tab_to(page, "#handover button[type=submit]", max_presses=3)
    page.keyboard.press("Enter")
    expect(page.locator(".alert--info")).to_contain_text("waiting for pick-up before")
    assert Handover.objects.filter(contact=contact, status=HandoverStatus.PENDING).exists()


# -- journey 5 (part): the public question form -----------------------------------------------


def test_resident_asks_a_question_on_the_website(page, twente, live_server):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("heading", name="Ask your question")).to_be_visible()
    expect(page.get_by_label("By e-mail")).to_be_checked()
    page.get_by_label("Your question").fill(
        "Ik ben oud-verpleegkundige zonder uitkering en wil weer aan het werk in de zorg."
    )
    page.get_by_label("Municipality").select_option(label="Losser")
    page.get_by_label("First name").fill("Caroline")
    page.get_by_label("Last name").fill("de Vries")
    page.get_by_label("E-mail", exact=True).fill("caroline@example.org")
    page.locator("input[name=privacy_ok]").check()
    page.get_by_role("button", name="Send question").click()

    expect(page.get_by_role("heading", name="Thank you, we received your question")).to_be_visible()
    receipt = page.locator(".alert--success")
    expect(receipt).to_contain_text(REFERENCE)
    reference = REFERENCE.search(receipt.inner_text()).group(0)
    contact = Contact.objects.select_related("person").get(pk=int(reference[1:]))
    assert contact.channel == "digital" and contact.person.email == "caroline@example.org"
    assert contact.municipality.name == "Losser"


def test_public_form_shows_errors_next_to_the_fields(page, twente, live_server):
    page.goto("/vraag/")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".form-field--invalid").first).to_be_visible()
    question = page.locator("#id_question")
    expect(question).to_have_attribute("aria-invalid", "true")
    described = question.get_attribute("aria-describedby") or ""
    assert "id_question_error" in described.split()
    expect(page.locator("#id_question_error")).to_be_visible()


# -- phone-sized screens ----------------------------------------------------------------------


def test_no_horizontal_scroll_on_a_phone(
    new_context, twente, guide, uwv, uwv_employee, live_server
):
    handover = make_handover(make_contact(twente, guide), guide, uwv)
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    phone.goto("/vraag/")
    expect(phone.get_by_role("heading", name="Ask your question")).to_be_visible()
    assert not has_horizontal_scroll(phone), widest_elements(phone)
    phone.get_by_role("button", name="Send question").click()  # with the error messages
    expect(phone.locator(".form-field--invalid").first).to_be_visible()
    assert not has_horizontal_scroll(phone), widest_elements(phone)

    login(phone, "uwv_employee", PASSWORD)
    expect(phone.locator("tbody tr", has_text=handover.contact.reference)).to_be_visible()
    assert not has_horizontal_scroll(phone), widest_elements(phone)
    phone.locator("tbody tr", has_text=handover.contact.reference).get_by_role("link").click()
    expect(phone.get_by_role("button", name="Accept handover")).to_be_visible()
    assert not has_horizontal_scroll(phone), widest_elements(phone)


def test_consent_end_date_is_prefilled_in_dutch(new_context, twente, guide, live_server):
    """In the default language too: an <input type=date> only shows an ISO value (YYYY-MM-DD),
    so a Dutch-formatted initial value would leave the required field empty."""
    contact = make_contact(twente, guide)
    page = new_context(language=None).new_page()
    login(page, "guide", PASSWORD)
    page.goto(f"/guide/contacts/{contact.pk}/")
    page.locator("#handover > summary").click()
    expected = (timezone.localdate() + timedelta(days=90)).isoformat()
    expect(page.locator("#id_valid_until")).to_have_value(expected)
