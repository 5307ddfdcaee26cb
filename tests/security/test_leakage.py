"""Leakage, tested explicitly: across partner organisations, between residents, between
employers and between regions — in lists, detail pages, the API (list and detail), search and
exports, and for actions (a refused action changes nothing).

The world (see ``__init__``): resident X (Yvonne Jansen) asked a question that is handed over to
partner A (UWV Twente); resident Y (Karel Bosschaart) one handed over to partner B (Enschede's
social assistance). X and Y each have an appointment, a consent, a voucher application and a
candidate profile proposed to a vacancy: X to employer A's (anonymously), Y to employer B's
(Y shared their identity with employer B). Y asked for deletion. A guide in the Achterhoek
registered a question of Anouk Achterveld there.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from werkcentrum.appointments.models import Booking, BookingStatus
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.models import Consent, Contact, Handover
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.residents.models import DeletionRequest
from werkcentrum.vacancies.models import Vacancy
from werkcentrum.vouchers.models import Application

from . import (
    COORDINATOR,
    EMPLOYER,
    GUIDE,
    GUIDE_ACHTERHOEK,
    MANAGER,
    PARTNER_A,
    PARTNER_B,
    RESIDENT,
    call,
    world_fixture,
)

world = pytest.fixture(scope="module")(world_fixture)
X, Y = RESIDENT, "resident_y"  # Y is not a role of the matrix: logged in here only
EMPLOYER_B = "employer_b"


@pytest.fixture(autouse=True)
def _no_second_factor_required(settings):
    settings.WERKCENTRUM_REQUIRE_STAFF_2FA = False


@pytest.fixture
def w(world, db):
    return world


def get(w, role, name, *args, **query):
    return call(w, role, "GET", reverse(name, args=args), query or None)


def post(w, role, name, *args, **data):
    """A POST whose changes stay until the end of the test (to look at the database)."""
    return call(w, role, "POST", reverse(name, args=args), data, keep=True)


def api(w, role, path, method="GET", data=None):
    return call(w, role, method, f"/api/v1/{path}", data, json=True, keep=method == "POST")


def ids(outcome) -> set[int]:
    assert outcome.status == 200, outcome.text()[:500]
    return {row["id"] for row in json.loads(outcome.text())["results"]}


def assert_shows(outcome, *texts):
    assert outcome.status == 200, (outcome.status, outcome.location)
    page = outcome.text()
    for text in texts:
        assert text in page, f"{text!r} missing"


def assert_hides(outcome, *texts):
    page = outcome.text()
    for text in texts:
        assert text not in page, f"{text!r} leaked"


def refresh(obj):
    obj.refresh_from_db()
    return obj


# -- partner A and partner B ------------------------------------------------------------------------


def test_each_partner_sees_only_its_own_handovers_in_the_inbox(w):
    m = w.marks
    for tab in ("pending", "accepted", "returned"):
        a = get(w, PARTNER_A, "frontdoor:partner_inbox", tab=tab)
        b = get(w, PARTNER_B, "frontdoor:partner_inbox", tab=tab)
        assert_hides(a, m["contact_b"], m["resident_y"], m["resident_y_email"])
        assert_hides(b, m["contact"], m["resident"], m["resident_email"])
    assert_shows(get(w, PARTNER_A, "frontdoor:partner_inbox"), m["contact"], m["resident"])
    assert_shows(get(w, PARTNER_B, "frontdoor:partner_inbox"), m["contact_b"], m["resident_y"])

    # accepted and returned handovers stay in their own organisation's tabs
    frontdoor.accept_handover(w.handover_b, w.users[PARTNER_B])
    a = get(w, PARTNER_A, "frontdoor:partner_inbox", tab="accepted")
    assert_hides(a, m["contact_b"], m["resident_y"])
    assert_shows(get(w, PARTNER_B, "frontdoor:partner_inbox", tab="accepted"), m["contact_b"])
    frontdoor.return_handover(w.handover, w.users[PARTNER_A], reason="Niet voor ons.")
    b = get(w, PARTNER_B, "frontdoor:partner_inbox", tab="returned")
    assert_hides(b, m["contact"], m["resident"])
    # partner A's own returned handover: the history, without the person
    assert_hides(get(w, PARTNER_A, "frontdoor:partner_inbox", tab="returned"), m["resident"])


def test_a_partner_cannot_open_or_decide_another_partners_handover(w):
    handover_b = w.handover_b
    assert get(w, PARTNER_A, "frontdoor:partner_handover", handover_b.pk).status == 404
    for name in ("frontdoor:partner_accept", "frontdoor:partner_return"):
        outcome = post(w, PARTNER_A, name, handover_b.pk, reason="Mis", suggested_partner="")
        assert outcome.status == 404 and not outcome.writes
    assert refresh(handover_b).status == HandoverStatus.PENDING
    assert refresh(handover_b.contact).status == ContactStatus.HANDOVER_PENDING


def test_the_api_scopes_contacts_and_handovers_to_the_partner(w):
    a_contacts = ids(api(w, PARTNER_A, "contacts"))
    assert w.contact.pk in a_contacts
    assert not a_contacts & {w.contact_b.pk, w.contact_t.pk, w.contact_ah.pk}
    assert ids(api(w, PARTNER_B, "contacts")) == {w.contact_b.pk}
    a_handovers = ids(api(w, PARTNER_A, "handovers"))
    assert a_handovers == {w.handover.pk}
    # filters narrow, never widen
    assert ids(api(w, PARTNER_A, f"handovers?partner={w.partner_b.code}")) == set()
    assert ids(api(w, PARTNER_A, "contacts?status=handover_pending")) == {w.contact.pk}
    assert ids(api(w, PARTNER_A, "handovers?status=pending&page=1&pageSize=100")) == a_handovers

    assert api(w, PARTNER_A, f"contacts/{w.contact_b.pk}").status == 404
    assert api(w, PARTNER_A, f"handovers/{w.handover_b.pk}").status == 404
    for step, data in (("accept", {}), ("return", {"reason": "Mis"})):
        outcome = api(w, PARTNER_A, f"handovers/{w.handover_b.pk}/{step}", "POST", data)
        assert outcome.status == 404 and not outcome.writes
    assert refresh(w.handover_b).status == HandoverStatus.PENDING

    # the partner's own detail: what the consent covers, and not the other person
    mine = api(w, PARTNER_A, f"handovers/{w.handover.pk}")
    assert_shows(mine, w.marks["resident"])
    assert_hides(mine, w.marks["resident_y"], w.marks["contact_b"])


def test_partners_have_no_search_and_no_exports_of_personal_data(w):
    y_email = w.marks["resident_y_email"]
    search = {"first_name": "Karel", "last_name": "Bosschaart", "email": y_email}
    assert get(w, PARTNER_A, "frontdoor:person_search", **search).status == 403
    assert get(w, PARTNER_A, "candidates:list").status == 403
    assert get(w, PARTNER_A, "candidates:detail", w.candidate_y.pk).status == 403
    assert get(w, PARTNER_A, "events:attendance_csv", w.event.pk).status == 403
    assert get(w, PARTNER_A, "appointments:ics", w.booking_y.pk).status == 403
    assert get(w, PARTNER_A, "residents:export_json").status == 403
    assert get(w, PARTNER_A, "budget:export").status == 403
    assert get(w, PARTNER_A, "monitoring:drill", "contacts").status == 403
    assert get(w, PARTNER_A, "frontdoor:contact_detail", w.contact_b.pk).status == 403
    # the public labour-market export is aggregates only
    assert_hides(get(w, PARTNER_A, "labourmarket:export_csv"), w.marks["resident_y"], y_email)


def test_a_withdrawn_consent_ends_the_partners_access_at_once(w):
    frontdoor.withdraw_consent(w.consent, w.users[GUIDE], "De persoon trekt in")
    assert_hides(get(w, PARTNER_A, "frontdoor:partner_inbox"), w.marks["contact"])
    assert get(w, PARTNER_A, "frontdoor:partner_handover", w.handover.pk).status == 404
    assert api(w, PARTNER_A, f"handovers/{w.handover.pk}").status == 404
    assert api(w, PARTNER_A, f"contacts/{w.contact.pk}").status == 404
    assert w.contact.pk not in ids(api(w, PARTNER_A, "contacts"))


# -- resident X and resident Y ------------------------------------------------------------------------


def test_a_resident_sees_only_their_own_questions(w):
    m = w.marks
    home = get(w, X, "residents:home")
    assert_shows(home, m["contact"])
    assert_hides(home, m["contact_b"], m["resident_y"], m["partner_b"])
    assert get(w, X, "residents:question", w.contact_b.pk).status == 404
    assert get(w, X, "residents:question", w.contact_t.pk).status == 404
    assert_shows(get(w, Y, "residents:question", w.contact_b.pk), m["contact_b"])  # control


def test_a_resident_cannot_see_or_cancel_anothers_appointment(w):
    y_booking = w.booking_y
    page = get(w, X, "residents:appointments")
    assert_shows(page, reverse("residents:appointment_ics", args=[w.booking.pk]))
    assert_hides(page, reverse("residents:appointment_ics", args=[y_booking.pk]))
    assert get(w, X, "residents:appointment_cancel", y_booking.pk).status == 404
    assert get(w, X, "residents:appointment_ics", y_booking.pk).status == 404
    outcome = post(w, X, "residents:appointment_cancel", y_booking.pk, reason="Weg ermee")
    assert outcome.status == 404 and not outcome.writes
    assert refresh(y_booking).status == BookingStatus.BOOKED
    assert Booking.objects.filter(pk=w.booking.pk, status=BookingStatus.BOOKED).exists()


def test_a_resident_cannot_see_or_withdraw_anothers_consent(w):
    page = get(w, X, "residents:consents")
    assert_shows(page, w.marks["partner_a"])
    assert_hides(page, w.marks["partner_b"], w.marks["vacancy_b"], w.marks["employer_b"])
    outcome = post(w, X, "residents:consent_withdraw", w.consent_b.pk)
    assert outcome.status == 302  # back to their own consents, with "not yours"
    assert refresh(w.consent_b).withdrawn_at is None
    assert refresh(w.handover_b).status == HandoverStatus.PENDING
    assert Consent.objects.get(pk=w.consent.pk).withdrawn_at is None


def test_a_resident_cannot_decide_about_anothers_proposal(w):
    shared_at = refresh(w.proposal_b).identity_shared_at
    assert shared_at is not None  # Y shared their identity with employer B
    outcome = post(w, X, "residents:identity", w.proposal_b.pk, share="0")
    assert outcome.status == 404 and not outcome.writes
    assert refresh(w.proposal_b).identity_shared_at == shared_at


def test_a_resident_sees_and_withdraws_only_their_own_voucher_applications(w):
    m = w.marks
    page = get(w, X, "vouchers:resident")
    assert_shows(page, m["application"])
    assert_hides(page, m["application_y"], m["employer_application"])
    outcome = post(w, X, "vouchers:resident_withdraw", w.application_y.pk, reason="Weg")
    assert outcome.status == 404 and not outcome.writes
    assert refresh(w.application_y).status == "submitted"
    # and not the application an employer made for someone else
    outcome = post(w, X, "vouchers:resident_withdraw", w.employer_application.pk)
    assert outcome.status == 404


def test_the_data_export_holds_only_the_residents_own_data(w):
    outcome = get(w, X, "residents:export_json")
    data = json.loads(outcome.text())
    text = outcome.text()
    assert data["person"]["email"] == w.marks["resident_email"]
    assert [q["reference"] for q in data["questions"]] == [w.marks["contact"]]
    assert_hides(outcome, w.marks["resident_y_email"], "Bosschaart", w.marks["contact_b"])
    assert_hides(outcome, w.marks["contact_t"], w.marks["partner_b"], w.marks["vacancy_b"])
    assert w.deletion_request.reference not in text
    assert get(w, X, "residents:export_pdf").response["Content-Type"] == "application/pdf"


def test_a_residents_deletion_request_and_processing_log_are_their_own(w):
    y_request = w.deletion_request
    for name in ("residents:data", "residents:deletion", "residents:home"):
        assert_hides(get(w, X, name), y_request.reference)
    outcome = post(w, X, "residents:deletion", reason="Alles weg", confirm="on")
    assert outcome.status == 302
    assert DeletionRequest.objects.filter(person=w.users[X].person).count() == 1
    assert DeletionRequest.objects.filter(person=w.users[Y].person).count() == 1

    # partner B read Y's handover: that shows in Y's processing log, not in X's
    url = reverse("frontdoor:partner_handover", args=[w.handover_b.pk])
    call(w, PARTNER_B, "GET", url, keep=True)
    assert w.marks["partner_b"] in get(w, Y, "residents:log").text()
    assert_hides(get(w, X, "residents:log"), w.marks["partner_b"])


# -- employer A and employer B ------------------------------------------------------------------------


def test_an_employer_sees_only_its_own_vacancies_and_proposals(w):
    m = w.marks
    home = get(w, EMPLOYER, "portal:home")
    assert_shows(home, m["vacancy"])
    assert_hides(home, m["vacancy_b"], m["employer_b"])
    proposals = get(w, EMPLOYER, "portal:proposals")
    assert_shows(proposals, m["vacancy"])
    # X did not share who they are; Y shared with employer B, not with A
    assert_hides(proposals, m["resident"], m["resident_email"], m["resident_y"], m["vacancy_b"])
    other = get(w, EMPLOYER_B, "portal:proposals")
    assert_shows(other, m["vacancy_b"], m["resident_y"])  # control: B knows Y
    assert_hides(other, m["vacancy"], m["resident"])


def test_an_employer_posts_vacancies_only_for_itself(w):
    m = w.marks
    page = call(w, EMPLOYER, "GET", reverse("vacancies:new") + f"?employer={w.employer_b.pk}")
    assert_shows(page, m["employer"])
    assert_hides(page, m["employer_b"])
    before = Vacancy.objects.filter(employer=w.employer_b).count()
    post(w, EMPLOYER, "vacancies:new", employer=w.employer_b.pk, title="Kapper", hours=20)
    assert Vacancy.objects.filter(employer=w.employer_b).count() == before


def test_an_employer_cannot_reach_candidates_or_other_employers_applications(w):
    m = w.marks
    for name, args in (
        ("vacancies:detail", [w.vacancy.pk]),
        ("candidates:list", []),
        ("candidates:detail", [w.candidate.pk]),
        ("employers:detail", [w.employer.pk]),
    ):
        assert get(w, EMPLOYER, name, *args).status == 403, name
    assert api(w, EMPLOYER, "contacts").status == 403
    search = get(w, EMPLOYER, "portal:search", search="1")
    assert_hides(search, m["resident"], m["resident_y"], m["resident_email"])

    assert_hides(get(w, EMPLOYER_B, "vouchers:employer"), m["employer_application"])
    outcome = post(w, EMPLOYER_B, "vouchers:employer_withdraw", w.employer_application.pk)
    assert outcome.status == 404 and not outcome.writes
    assert refresh(w.employer_application).status == "submitted"
    assert Application.objects.filter(employer=w.employer_b).count() == 0


# -- the Achterhoek and Twente ------------------------------------------------------------------------


def test_a_guide_sees_only_their_own_regions_questions(w):
    m = w.marks
    queue = get(w, GUIDE_ACHTERHOEK, "frontdoor:guide_queue")
    assert_shows(queue, m["contact_ah"])
    assert_hides(queue, m["contact"], m["contact_b"], m["contact_t"], m["resident"])
    assert_hides(get(w, GUIDE, "frontdoor:guide_queue"), m["contact_ah"], m["achterhoek_person"])
    for contact in (w.contact, w.contact_t):
        assert get(w, GUIDE_ACHTERHOEK, "frontdoor:contact_detail", contact.pk).status == 404
    assert get(w, GUIDE, "frontdoor:contact_detail", w.contact_ah.pk).status == 404


def test_a_guide_cannot_act_on_another_regions_records(w):
    contact = refresh(w.contact_t)
    status = contact.status
    for name, data in (
        ("frontdoor:contact_answer", {"outcome": "Klaar"}),
        ("frontdoor:contact_claim", {}),
        ("frontdoor:contact_reopen", {}),
    ):
        outcome = post(w, GUIDE_ACHTERHOEK, name, contact.pk, **data)
        assert outcome.status == 404 and not outcome.writes, name
    assert refresh(contact).status == status
    outcome = post(w, GUIDE_ACHTERHOEK, "frontdoor:handover_withdraw", w.handover.pk, reason="X")
    assert outcome.status == 404 and not outcome.writes
    outcome = post(w, GUIDE_ACHTERHOEK, "frontdoor:consent_withdraw", w.consent.pk)
    assert outcome.status == 404 and not outcome.writes
    assert refresh(w.handover).status == HandoverStatus.PENDING
    assert refresh(w.consent).withdrawn_at is None


def test_the_api_scopes_contacts_and_handovers_to_the_region(w):
    assert ids(api(w, GUIDE_ACHTERHOEK, "contacts")) == {w.contact_ah.pk}
    assert ids(api(w, GUIDE_ACHTERHOEK, "handovers")) == set()
    twente = ids(api(w, GUIDE, "contacts"))
    assert {w.contact.pk, w.contact_b.pk, w.contact_t.pk} <= twente
    assert w.contact_ah.pk not in twente
    assert api(w, GUIDE_ACHTERHOEK, f"contacts/{w.contact.pk}").status == 404
    assert api(w, GUIDE_ACHTERHOEK, f"handovers/{w.handover.pk}").status == 404
    for path, data in (
        (f"contacts/{w.contact_t.pk}/answer", {"outcome": "Klaar"}),
        (f"contacts/{w.contact_t.pk}/claim", {}),
        (f"handovers/{w.handover.pk}/withdraw", {"reason": "Mis"}),
    ):
        outcome = api(w, GUIDE_ACHTERHOEK, path, "POST", data)
        assert outcome.status == 404 and not outcome.writes, path
    assert Contact.objects.get(pk=w.contact_t.pk).status == ContactStatus.IN_TRAJECTORY
    assert Handover.objects.get(pk=w.handover.pk).status == HandoverStatus.PENDING


def test_person_search_finds_only_the_own_regions_persons(w):
    m = w.marks
    query = {"first_name": "Yvonne", "last_name": "Jansen", "email": m["resident_email"]}
    assert_shows(get(w, GUIDE, "frontdoor:person_search", **query), m["resident"])
    assert_hides(get(w, GUIDE_ACHTERHOEK, "frontdoor:person_search", **query), m["resident"])


def test_candidates_trajectories_and_appointments_stay_in_their_region(w):
    m = w.marks
    assert_hides(get(w, GUIDE_ACHTERHOEK, "candidates:list"), m["resident"], m["resident_y"])
    for name, args in (
        ("candidates:detail", [w.candidate.pk]),
        ("candidates:edit", [w.candidate.person_id]),
        ("trajectories:detail", [w.trajectory.pk]),
        ("appointments:ics", [w.booking.pk]),
        ("appointments:rebook", [w.booking.pk]),
    ):
        assert get(w, GUIDE_ACHTERHOEK, name, *args).status == 404, name
    book = get(w, GUIDE_ACHTERHOEK, "appointments:book", contact=w.contact.pk)
    assert book.status == 404
    assert_hides(get(w, GUIDE_ACHTERHOEK, "trajectories:list"), m["trajectory_person"])
    outcome = post(w, GUIDE_ACHTERHOEK, "appointments:cancel", w.booking.pk, reason="Weg")
    assert outcome.status == 404 and not outcome.writes
    assert refresh(w.booking).status == BookingStatus.BOOKED


def test_a_region_in_the_url_does_not_open_another_regions_figures(w):
    for role in (MANAGER, COORDINATOR):
        for name in ("budget:overview", "budget:realisation", "budget:export"):
            assert get(w, role, name, region="achterhoek").status == 403, (role, name)
        # monitoring takes a region from the URL for administrators only: the own region shows
        page = get(w, role, "monitoring:dashboard", region="achterhoek")
        assert page.status == 200 and page.response.context["region"].code == "twente"
    drill = get(w, COORDINATOR, "monitoring:drill", "contacts", region="achterhoek")
    assert_shows(drill, w.marks["contact"])  # Twente's records
    assert_hides(drill, w.marks["contact_ah"], w.marks["achterhoek_person"])


def test_machine_clients_with_a_token_are_scoped_like_their_user(w):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=w.users[PARTNER_A]).key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get("/api/v1/handovers").json()
    assert [row["id"] for row in body["results"]] == [w.handover.pk]
    assert client.get(f"/api/v1/handovers/{w.handover_b.pk}").status_code == 404
    assert client.get(f"/api/v1/contacts/{w.contact_b.pk}").status_code == 404
    response = client.post(f"/api/v1/handovers/{w.handover_b.pk}/accept")
    assert response.status_code == 404
    assert refresh(w.handover_b).status == HandoverStatus.PENDING
