"""Issue 4's journeys in the browser: a resident asks in My Werkcentrum, a guide hands the
question over, the partner accepts and the resident sees the new status; a resident books and
cancels an appointment; an employer posts a vacancy and sees a proposed candidate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, expect, has_horizontal_scroll, login, widest_elements
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services as appointments
from werkcentrum.appointments.models import Booking, BookingStatus
from werkcentrum.frontdoor.models import Contact, Handover, HandoverStatus
from werkcentrum.residents.accounts import register_by_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Ik heb sinds kort een WW-uitkering en zoek werk als monteur."


@pytest.fixture
def resident(twente):
    user, _ = register_by_email(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    return user


def log_in_by_link(page, email: str) -> None:
    """The real e-mail link flow: ask for a link, open it from the e-mail, confirm."""
    page.goto("/mijn/inloggen/")
    page.locator("#id_email").first.fill(email)
    page.get_by_role("button", name="Send me a login link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    link = re.search(r"http://\S+/mijn/inloggen/link/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Log in to My Werkcentrum").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()


def test_resident_asks_guide_hands_over_partner_accepts_resident_sees_status(
    new_context, twente, guide, uwv, resident, live_server
):
    me = new_context().new_page()
    log_in_by_link(me, resident.email)
    me.get_by_role("link", name="Ask a question").first.click()
    me.locator("#id_question").fill(QUESTION)
    me.locator("#id_municipality").select_option(label="Oldenzaal")
    me.get_by_role("button", name="Send question").click()
    expect(me.locator(".alert--success")).to_contain_text("We received your question")
    contact = Contact.objects.get(person=resident.person)
    expect(me.locator("#status-title + p + p")).to_contain_text("a guide of the Werkcentrum")

    # A guide picks it up from the queue and hands it over with consent.
    desk = new_context().new_page()
    login(desk, "guide", PASSWORD)
    desk.locator("tr", has_text=contact.reference).get_by_role("link").first.click()
    desk.get_by_role("button", name="Pick up this question").click()
    desk.locator("#handover > summary").click()
    form = desk.locator("#handover form")
    form.locator("select[name=partner]").select_option(str(uwv.pk))
    form.locator("input[name=contact_details_checked]").check()
    form.locator("input[name=consent_given]").check()
    form.get_by_role("button", name="Hand over with consent").click()
    expect(desk.locator(".alert--info")).to_contain_text(f"Handed over to {uwv.name}")
    handover = Handover.objects.get(contact=contact)

    me.reload()
    expect(me.locator("main")).to_contain_text(f"Your question has been passed on to {uwv.name}")

    # UWV accepts; the resident sees it, and sees that UWV looked at the data and why.
    make_user("uwv_employee", Role.PARTNER_EMPLOYEE, twente, partner=uwv)
    partner = new_context().new_page()
    login(partner, "uwv_employee", PASSWORD)
    partner.locator("tbody tr", has_text=contact.reference).get_by_role("link").first.click()
    partner.get_by_role("button", name="Accept handover").click()
    expect(partner.locator(".alert--success")).to_contain_text("Accepted.")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED

    me.reload()
    expect(me.locator("main")).to_contain_text(f"{uwv.name} has picked up your question")
    expect(me.locator(".timeline")).to_contain_text("picked up your question and will contact you")
    me.get_by_role("link", name="My questions").first.click()
    me.get_by_role("link", name="My data", exact=True).click()
    me.get_by_role("link", name="See the log").click()
    expect(me.locator("table")).to_contain_text(uwv.name)


def test_resident_books_and_cancels_an_appointment(new_context, twente, coordinator, resident):
    point = twente.walk_in_points.get(code="oldenzaal-sociaal-plein")
    coordinator.walk_in_point = point
    coordinator.save()
    day = timezone.localdate() + timedelta(days=2)
    slots = appointments.publish_availability(coordinator, point, day, "09:00", "10:00")
    page = new_context(viewport=PHONE).new_page()
    log_in_by_link(page, resident.email)
    page.goto("/mijn/afspraken/")
    page.locator("#id_place").select_option(str(point.pk))
    page.get_by_role("button", name="Show free times").click()
    page.locator(f"input[name=slot][value='{slots[1].pk}']").check()
    page.locator("#id_note").fill("Omscholing bespreken")
    page.get_by_role("button", name="Book this time").click()
    expect(page.locator(".alert--success")).to_contain_text("Your appointment is booked")
    booking = Booking.objects.get(person=resident.person)
    assert booking.slot == slots[1] and booking.is_booked
    assert not has_horizontal_scroll(page), widest_elements(page)

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel this appointment").click()
    expect(page.locator(".alert--success")).to_contain_text("cancelled")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    expect(page.get_by_text("No appointments planned.")).to_be_visible()


def test_employer_posts_a_vacancy_and_sees_a_proposal(new_context, twente):
    from io import StringIO

    from django.core.management import call_command

    from werkcentrum.candidates import services as candidates
    from werkcentrum.candidates.models import CandidateProfile, Proposal, ProposalStatus
    from werkcentrum.employers.models import Employer
    from werkcentrum.matching import services as matching
    from werkcentrum.vacancies.models import Vacancy

    matching.reset_indexes()
    call_command(
        "generate",
        region="twente",
        employers=2,
        vacancies=0,
        candidates=150,
        seed=5,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    adviser = make_user("adviser", Role.EMPLOYER_ADVISER, twente)
    employer = Employer.objects.create(
        region=twente, name="Cevdet ICT Solutions", kvk_number="59876543", account_holder=adviser
    )
    make_user("cevdet", Role.EMPLOYER, twente, employer=employer)

    page = new_context().new_page()
    login(page, "cevdet", PASSWORD)
    page.get_by_role("link", name="New vacancy").first.click()
    page.locator("#id_title").press_sequentially("softwareontwikkelaar", delay=10)
    page.locator("#occupation-suggestions input[name=esco_id]").first.wait_for()
    page.locator("#id_hours").fill("32")
    page.locator("#id_municipality").select_option(label="Almelo")
    page.get_by_role("button", name="Register vacancy").click()
    vacancy = Vacancy.objects.get(employer=employer)

    # The account holder proposes the best match (anonymised for the employer).
    result = matching.candidates_for(vacancy, top=1)[0]
    candidate = CandidateProfile.objects.select_related("person").get(pk=result.id)
    proposal = candidates.shortlist(
        adviser, vacancy=vacancy, candidate=candidate, match=matching.result_dict(result)
    )
    candidates.move_proposal(adviser, proposal, ProposalStatus.PROPOSED)

    page.goto("/portal/")
    page.get_by_role("link", name="1 candidate proposed").click()
    card = page.locator("article", has_text=Proposal.objects.get().pseudonym)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Anonymous until the candidate agrees")
    assert candidate.person.last_name not in page.content()
    matching.reset_indexes()
