"""Deletion requests end to end: a resident asks in My Werkcentrum, the data protection officer
(an administrator) sees what will be erased and kept at /beheer/verwijderverzoeken/, carries it
out or refuses it; the resident is e-mailed through the outbox. Nobody else gets in."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessLog
from django.urls import reverse
from django.utils import timezone, translation

from tests.appointments.conftest import adviser, oldenzaal, slots  # noqa: F401 - fixtures
from tests.conftest import make_user
from tests.privacy import builders
from tests.residents.conftest import make_resident
from werkcentrum.accounts.models import Role, User
from werkcentrum.appointments.models import Booking, BookingStatus
from werkcentrum.candidates.models import CandidateProfile, Placement
from werkcentrum.employers.models import Employer
from werkcentrum.events.models import Registration, RegistrationStatus
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.models import Consent, Contact, ContactEvent, Handover, Person
from werkcentrum.monitoring import indicators
from werkcentrum.monitoring.figures import year_period
from werkcentrum.orientation.models import TalentWallResult
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.privacy import erasure
from werkcentrum.privacy.models import AuditEvent, ProcessingLogEntry
from werkcentrum.regions.models import Municipality
from werkcentrum.residents import export
from werkcentrum.residents.models import DeletionRequest, DeletionStatus

QUESTION = "Ik ben Yvonne, ik heb schulden bij Eneco en zoek werk in de zorg."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def log_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def resident_with_everything(twente, guide, uwv, uwv_employee, adviser, slots):  # noqa: F811
    """A resident with a question handed over and picked up, a second one waiting for a
    partner, an upcoming appointment, a job-seeker profile with a placement, a talent-wall
    result, an upcoming event registration and e-mails in the outbox."""
    resident = make_resident(twente)
    p = resident.person
    municipality = Municipality.objects.get(name="Oldenzaal")

    def question(text):
        return frontdoor.register_contact(
            region=twente,
            channel="walk_in",
            walk_in_point=guide.walk_in_point,
            asker_type="resident",
            question=text,
            created_by=guide,
            person=p,
            municipality=municipality,
            benefit="ww",
        )

    picked_up = question(QUESTION)
    consent = frontdoor.record_consent(
        picked_up, guide, partner=uwv, categories=["contact_details", "question"]
    )
    handover = frontdoor.create_handover(
        picked_up, guide, partner=uwv, consent=consent, message="Yvonne wil gebeld worden."
    )
    frontdoor.accept_handover(handover, uwv_employee)
    frontdoor.answer_contact(picked_up, guide, "UWV helpt Yvonne met solliciteren.")
    waiting = question("Tweede vraag van Yvonne over omscholing.")
    second = frontdoor.record_consent(
        waiting, guide, partner=uwv, categories=["contact_details", "question"]
    )
    pending = frontdoor.create_handover(waiting, guide, partner=uwv, consent=second)
    booking = Booking.objects.create(slot=slots[0], person=p, note="Yvonne neemt haar cv mee.")
    profile = CandidateProfile.objects.create(
        person=p,
        region=twente,
        municipality=municipality,
        benefit_regime="ww",
        consent_given_at=timezone.now(),
        summary="Yvonne werkte tien jaar in de thuiszorg.",
    )
    employer = Employer.objects.create(region=twente, name="Zorggroep", kvk_number="87654321")
    placement = Placement.objects.create(
        region=twente,
        employer=employer,
        candidate=profile,
        start_date=timezone.localdate(),
        hours=24,
        benefit_regime="ww",
        source="direct",
    )
    talent = TalentWallResult.objects.create(person=p, code="SAE", scores={"S": 9})
    upcoming = builders.event(twente, adviser, timezone.now() + timedelta(days=10))
    registration = builders.registration(upcoming, timezone.now(), person=p)
    sent = builders.outbound(timezone.now() - timedelta(days=5), to=p.email)
    login = AccessLog.objects.create(
        username=p.email, ip_address="192.0.2.9", user_agent="Firefox", http_accept="*/*"
    )
    return SimpleNamespace(
        resident=resident,
        person=p,
        picked_up=picked_up,
        waiting=waiting,
        handover=handover,
        pending=pending,
        consents=[consent, second],
        booking=booking,
        placement=placement,
        talent=talent,
        registration=registration,
        sent=sent,
        login=login,
        email=p.email,
    )


def _figures(region):
    f = indicators.Filters(region, year_period(timezone.localdate().year))
    return {
        "reach": indicators.reach(f),
        "handovers_received": sum(r["received"] for r in indicators.handovers(f)),
        "placements": indicators.placements(f),
        "vouchers": indicators.vouchers(f),
    }


def _ask_for_deletion(client, resident):
    log_in(client, resident)
    response = client.post(
        reverse("residents:deletion"), {"reason": "Ik verhuis naar Utrecht.", "confirm": "on"}
    )
    assert response.status_code == 302
    return DeletionRequest.objects.get(person=resident.person)


def test_a_resident_asks_and_the_administrator_carries_it_out(
    client,
    twente,
    administrator,
    resident_with_everything,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    r = resident_with_everything
    personal = [r.email, "Yvonne", "Jansen", "Eneco", "Utrecht", "thuiszorg", "cv mee"]
    before = client.get(reverse("residents:export_json"))
    assert before.status_code == 302  # not logged in yet
    request = _ask_for_deletion(client, r.resident)
    exported = json.dumps(json.loads(client.get(reverse("residents:export_json")).content))
    assert "Eneco" in exported and r.email in exported
    figures = _figures(twente)

    log_in(client, administrator)
    page = client.get(reverse("privacy:deletion_requests")).content.decode()
    assert request.reference in page and "Yvonne Jansen" in page
    detail = client.get(reverse("privacy:deletion_request", args=[request.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    for expected in (
        "Name, date of birth, e-mail address, phone number, postcode and BSN",
        "Placements in work",
        "counted towards the placement targets",
        "Handovers waiting for a partner, to be withdrawn",
        "Upcoming appointments, to be cancelled",
        "Ik verhuis naar Utrecht.",
    ):
        assert expected in text, expected
    assert ProcessingLogEntry.objects.filter(
        activity_id="self_service", operation="read", actor=administrator, subject_person=r.person
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:deletion_carry_out", args=[request.pk]),
            {"answer": "We hebben uw gegevens verwijderd.", "confirm": "on"},
        )
    assert response.status_code == 302

    # The request is closed with the answer, and the resident is told by e-mail.
    request.refresh_from_db()
    assert request.status == DeletionStatus.DONE and request.handled_by == administrator
    assert request.answer == "We hebben uw gegevens verwijderd." and request.reason == ""
    (mail,) = [m for m in mailoutbox if request.reference in m.subject]
    assert mail.to == [r.email] and "We hebben uw gegevens verwijderd." in mail.body

    # The person's data is gone or anonymised ...
    p = Person.objects.get(pk=r.person.pk)
    assert (p.first_name, p.last_name, p.email, p.phone, p.date_of_birth) == ("", "", "", "", None)
    assert not User.objects.filter(pk=r.resident.pk).exists()
    for contact in Contact.objects.filter(person=p):
        assert contact.question == "" and contact.outcome == "" and contact.status == "answered"
    assert not ContactEvent.objects.filter(contact__person=p).exclude(note="").exists()
    assert Handover.objects.get(pk=r.handover.pk).message == ""
    assert Handover.objects.get(pk=r.pending.pk).status == "withdrawn"
    assert all(c.withdrawn_at and c.purpose == "" for c in Consent.objects.filter(person=p))
    booking = Booking.objects.get(pk=r.booking.pk)
    assert booking.status == BookingStatus.CANCELLED and booking.note == ""
    assert not CandidateProfile.objects.filter(person=p).exists()
    assert Placement.objects.get(pk=r.placement.pk).candidate is None
    assert not TalentWallResult.objects.filter(pk=r.talent.pk).exists()
    registration = Registration.objects.get(pk=r.registration.pk)
    assert registration.status == RegistrationStatus.CANCELLED and registration.name == ""
    assert registration.person is None
    assert not OutboundEmail.objects.filter(pk=r.sent.pk).exists()
    assert not AccessLog.objects.filter(pk=r.login.pk).exists()

    # ... the resident's export no longer shows it (and the account no longer logs in) ...
    client.logout()
    log_in(client, administrator)
    stand_in = SimpleNamespace(person=p, pk=None)
    exported = json.dumps(export.collect(stand_in), default=str)
    for secret in personal:
        assert secret not in exported, secret
    # ... nothing of it is left in the database's rows of the person's records ...
    rows = json.dumps(
        [
            list(Person.objects.filter(pk=p.pk).values()),
            list(Contact.objects.filter(person=p).values()),
            list(ContactEvent.objects.filter(contact__person=p).values()),
            list(Handover.objects.filter(contact__person=p).values()),
            list(Consent.objects.filter(person=p).values()),
            list(Booking.objects.filter(person=p).values()),
            list(OutboundEmail.objects.exclude(key=f"deletion-request:{request.pk}").values()),
        ],
        default=str,
    )
    for secret in personal:
        assert secret not in rows, secret
    # ... and every monitoring total stays the same.
    assert _figures(twente) == figures

    audit = AuditEvent.objects.get(action="deletion_request_carried_out")
    assert audit.user == administrator and audit.object_id == str(request.pk)
    for secret in personal:
        assert secret not in json.dumps(audit.detail)
    assert audit.detail["counts"]["contacts"] == 2
    assert ProcessingLogEntry.objects.filter(
        activity_id="self_service", operation="delete", subject_person=p, object_id=str(request.pk)
    ).exists()
    assert request.reference in client.get(reverse("privacy:deletion_requests")).content.decode()


def test_the_resident_can_no_longer_log_in_or_export(client, twente, administrator):
    resident = make_resident(twente)
    request = _ask_for_deletion(client, resident)
    erasure.carry_out(request.pk, administrator, "Verwijderd.")
    response = client.get(reverse("residents:export_json"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_refusing_needs_a_reason_and_keeps_the_data(
    client, twente, administrator, guide, django_capture_on_commit_callbacks, mailoutbox
):
    resident = make_resident(twente)
    frontdoor.register_contact(
        region=twente,
        channel="digital",
        asker_type="resident",
        question=QUESTION,
        person=resident.person,
    )
    request = _ask_for_deletion(client, resident)
    log_in(client, administrator)
    url = reverse("privacy:deletion_refuse", args=[request.pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Uw voucher moet zeven jaar bewaard blijven."})
    request.refresh_from_db()
    assert request.status == DeletionStatus.REFUSED
    assert request.answer == "Uw voucher moet zeven jaar bewaard blijven."
    assert Contact.objects.get(person=resident.person).question == QUESTION
    assert Person.objects.get(pk=resident.person.pk).email
    (mail,) = [m for m in mailoutbox if request.reference in m.subject]
    assert "zeven jaar" in mail.body and mail.to == [resident.email]
    assert AuditEvent.objects.filter(action="deletion_request_refused").count() == 1
    log_in(client, resident)
    page = client.get(reverse("residents:data")).content.decode()
    assert "Uw voucher moet zeven jaar bewaard blijven." in page


def test_a_request_is_handled_once(client, twente, administrator):
    resident = make_resident(twente)
    request = _ask_for_deletion(client, resident)
    log_in(client, administrator)
    url = reverse("privacy:deletion_carry_out", args=[request.pk])
    assert client.post(url, {"answer": "Klaar."}).status_code == 400, "confirmation required"
    client.post(url, {"answer": "Klaar.", "confirm": "on"})
    response = client.post(url, {"answer": "Nog eens.", "confirm": "on"}, follow=True)
    assert "already been handled" in response.content.decode()
    response = client.post(
        reverse("privacy:deletion_refuse", args=[request.pk]), {"reason": "Toch niet."}
    )
    request.refresh_from_db()
    assert (request.status, request.answer) == (DeletionStatus.DONE, "Klaar.")
    assert AuditEvent.objects.filter(action="deletion_request_carried_out").count() == 1


def test_a_paid_voucher_keeps_name_and_date_of_birth_for_its_seven_years(
    client, twente, administrator
):
    resident = make_resident(twente)
    fund_adviser = make_user("fonds", Role.COORDINATOR, twente)
    three_years_ago = timezone.now() - timedelta(days=3 * 365)
    application = builders.application(
        twente, fund_adviser, three_years_ago, person_=resident.person
    )
    request = _ask_for_deletion(client, resident)
    plan = erasure.plan(resident.person)
    assert plan.identity_kept
    until = timezone.localdate(application.paid_at).replace(
        year=timezone.localdate(application.paid_at).year + 7
    )
    assert plan.identity_kept_until == until
    log_in(client, administrator)
    page = client.get(reverse("privacy:deletion_request", args=[request.pk])).content.decode()
    assert "fiscal retention obligation" in page and until.isoformat() in page
    client.post(
        reverse("privacy:deletion_carry_out", args=[request.pk]),
        {"answer": "Verwijderd, behalve uw scholingscheque.", "confirm": "on"},
    )
    p = Person.objects.get(pk=resident.person.pk)
    assert (p.first_name, p.last_name) == ("Yvonne", "Jansen")
    assert p.email == "" and not User.objects.filter(pk=resident.pk).exists()
    application.refresh_from_db()
    assert application.motivation, "kept as it is until its seven years have passed"


@pytest.mark.parametrize(
    "role", ["guide", "coordinator", "manager", "partner", "employer", "resident"]
)
def test_only_administrators_get_in(client, twente, uwv, role):
    resident = make_resident(twente)
    request = DeletionRequest.objects.create(person=resident.person, reference="D0000TEST")
    if role == "resident":
        user = resident
    elif role == "partner":
        user = make_user("partner", Role.PARTNER_EMPLOYEE, twente, partner=uwv)
    elif role == "employer":
        employer = Employer.objects.create(region=twente, name="X", kvk_number="11223344")
        user = make_user("employer", Role.EMPLOYER, twente, employer=employer)
    else:
        user = make_user(role, Role(role), twente)
    urls = [
        ("get", reverse("privacy:deletion_requests")),
        ("get", reverse("privacy:deletion_request", args=[request.pk])),
        ("post", reverse("privacy:deletion_carry_out", args=[request.pk])),
        ("post", reverse("privacy:deletion_refuse", args=[request.pk])),
    ]
    log_in(client, user)
    for method, url in urls:
        data = {"answer": "x", "confirm": "on", "reason": "x"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 403, (role, url)
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    request.refresh_from_db()
    assert request.status == DeletionStatus.OPEN
    assert Person.objects.get(pk=resident.person.pk).email


def test_the_services_refuse_non_administrators(twente, guide):
    resident = make_resident(twente)
    request = DeletionRequest.objects.create(person=resident.person, reference="D0000SVC1")
    with pytest.raises(erasure.NotAllowed):
        erasure.carry_out(request.pk, guide, "Klaar.")
    with pytest.raises(erasure.NotAllowed):
        erasure.refuse(request.pk, resident, "Nee.")


def test_the_list_shows_what_is_overdue(client, twente, administrator):
    resident = make_resident(twente)
    request = DeletionRequest.objects.create(person=resident.person, reference="D0000LATE")
    DeletionRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - timedelta(days=40)
    )
    log_in(client, administrator)
    page = client.get(reverse("privacy:deletion_requests")).content.decode()
    assert "D0000LATE" in page and "badge--overdue" in page
    assert ProcessingLogEntry.objects.filter(
        subject_person=resident.person, activity_id="self_service", actor=administrator
    ).exists()


def test_the_navigation_links_the_screen_for_administrators(client, administrator, guide):
    log_in(client, administrator)
    url = reverse("privacy:deletion_requests")
    assert url in client.get(reverse("privacy:deletion_requests")).content.decode()
    log_in(client, guide)
    assert url not in client.get(reverse("frontdoor:guide_queue")).content.decode()
