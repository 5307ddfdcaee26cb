"""Records of every retained type, made at a chosen moment (frozen time), for the retention
and deletion-request tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from tests import factories
from werkcentrum.appointments.models import Booking, BookingStatus, Slot
from werkcentrum.candidates.models import CandidateProfile, Placement
from werkcentrum.employers.models import Employer
from werkcentrum.events.models import Event, EventKind, Registration
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.monitoring.models import ReportJob
from werkcentrum.orientation.models import TalentWallResult
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.portal.models import ContactRequest, PortalSearch
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality
from werkcentrum.residents.models import DeletionRequest, DeletionStatus
from werkcentrum.vouchers.models import Application, LLOConversation, LLOOutcome

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 3, 10, 3, 30, tzinfo=AMSTERDAM)  # the moment of the run
MINUTE = timedelta(minutes=1)


def at(moment: datetime):
    """Freeze time at ``moment`` (auto_now fields take it)."""
    return time_machine.travel(moment, tick=False)


def years_before(years: int, moment: datetime = NOW) -> datetime:
    return moment.replace(year=moment.year - years)


@dataclass
class Case:
    """Records on both sides of one rule's cut-off: ``expired`` must change, ``kept`` not."""

    expired: list
    kept: list
    changed: object  # callable(record) -> bool
    extra: dict = field(default_factory=dict)


def gone(record) -> bool:
    return not type(record).objects.filter(pk=record.pk).exists()


def refreshed(record):
    return type(record).objects.get(pk=record.pk)


_counter = iter(range(1, 10**9))


def person(region, moment: datetime, **extra):
    n = next(_counter)
    with at(moment):
        return factories.person(
            region, first=f"Naam{n}", last=f"Achternaam{n}", email=f"p{n}@example.org", **extra
        )


def answered_contact(region, guide, moment: datetime, *, person=None, question=None):
    with at(moment):
        contact = frontdoor.register_contact(
            region=region,
            channel="walk_in",
            walk_in_point=guide.walk_in_point,
            asker_type="resident",
            question=question or f"Vraag {next(_counter)} over werk en schulden.",
            created_by=guide,
            person=person,
            municipality=Municipality.objects.get(name="Oldenzaal"),
            age=34,
            benefit="ww",
        )
        return frontdoor.answer_contact(contact, guide, "Doorverwezen naar de werkgeverservice.")


def consent(region, guide, partner, moment: datetime, *, valid_days=90):
    p = person(region, moment)
    contact = answered_contact(region, guide, moment, person=p)
    with at(moment):
        return frontdoor.record_consent(
            contact,
            guide,
            partner=partner,
            categories=["contact_details", "question"],
            valid_until=moment.date() + timedelta(days=valid_days),
        )


def employer(region):
    n = next(_counter)
    return Employer.objects.get_or_create(
        kvk_number=f"{90000000 + n}", defaults={"region": region, "name": f"Bedrijf {n}"}
    )[0]


def slot(adviser, moment: datetime) -> Slot:
    return Slot.objects.create(
        adviser=adviser,
        walk_in_point=adviser.walk_in_point,
        starts_at=moment,
        ends_at=moment + timedelta(minutes=30),
    )


def event(region, organiser, ends: datetime) -> Event:
    return Event.objects.create(
        region=region,
        kind=EventKind.JOB_FAIR,
        title="Banenmarkt",
        starts_at=ends - timedelta(hours=4),
        ends_at=ends,
        walk_in_point=region.walk_in_points.first(),
        city="Enschede",
        capacity=50,
        organiser=organiser,
    )


def registration(event_, moment: datetime, *, person=None) -> Registration:
    n = next(_counter)
    with at(moment):
        return Registration.objects.create(
            event=event_, person=person, name=f"Deelnemer {n}", email=f"d{n}@example.org"
        )


def llo(region, adviser, person_, held_on, summary="Advies: opleiding in de zorg."):
    return LLOConversation.objects.create(
        region=region,
        person=person_,
        adviser=adviser,
        held_on=held_on,
        summary=summary,
        outcome=LLOOutcome.APPLY,
    )


def application(region, adviser, moment: datetime, *, status="paid", person_=None):
    """A voucher application closed (paid, rejected or withdrawn) at ``moment``."""
    p = person_ or person(region, moment - timedelta(days=60))
    with at(moment - timedelta(days=60)):
        conversation = llo(region, adviser, p, (moment - timedelta(days=60)).date())
    closing = {
        "paid": {"paid_at": moment, "decided_at": moment - timedelta(days=50)},
        "rejected": {"decided_at": moment},
        "withdrawn": {"withdrawn_at": moment},
    }[status]
    decision = "rejected" if status == "rejected" else "approved"
    return Application.objects.create(
        region=region,
        applicant_kind="resident",
        person=p,
        llo_conversation=conversation,
        training_title="Verzorgende IG",
        provider="ROC van Twente",
        level="mbo3",
        sector="care",
        cost=1440,
        motivation="Ik wil de zorg in.",
        decision_note="Past in de regeling.",
        status=status,
        submitted_at=moment - timedelta(days=55),
        decision=decision,
        amount_granted=1000 if decision == "approved" else None,
        **closing,
    )


def outbound(moment: datetime, status=OutboundEmail.Status.SENT, to="someone@example.org"):
    with at(moment):
        return OutboundEmail.objects.create(
            subject="Bevestiging", body="Beste Yvonne, ...", to=[to], status=status
        )


# -- one case per rule: records just before and just after the cut-off --------------------------


def case_contact(w) -> Case:
    cutoff = years_before(2)
    old = answered_contact(w.region, w.guide, cutoff - MINUTE, person=person(w.region, cutoff))
    young = answered_contact(w.region, w.guide, cutoff + MINUTE)
    with at(cutoff - timedelta(days=30)):
        still_open = factories.contact(w.region, w.guide)
    return Case([old], [young, still_open], lambda c: refreshed(c).question == "")


def case_person(w) -> Case:
    cutoff = years_before(2)
    old = person(w.region, cutoff - MINUTE)
    young = person(w.region, cutoff + MINUTE)
    returning = person(w.region, cutoff - timedelta(days=100))
    answered_contact(w.region, w.guide, cutoff + MINUTE, person=returning)
    return Case([old], [young, returning], lambda p: refreshed(p).email == "")


def case_consent(w) -> Case:
    cutoff = years_before(5)
    withdrawn_old = consent(w.region, w.guide, w.partner, cutoff - timedelta(days=10))
    withdrawn_young = consent(w.region, w.guide, w.partner, cutoff - timedelta(days=10))
    type(withdrawn_old).objects.filter(pk=withdrawn_old.pk).update(withdrawn_at=cutoff - MINUTE)
    type(withdrawn_old).objects.filter(pk=withdrawn_young.pk).update(withdrawn_at=cutoff + MINUTE)
    # Expiry counts from the last valid day (a date): the day before the cut-off's date expired.
    expired = consent(w.region, w.guide, w.partner, cutoff - timedelta(days=91), valid_days=90)
    last_day = consent(w.region, w.guide, w.partner, cutoff - timedelta(days=90), valid_days=90)
    assert expired.valid_until == cutoff.date() - timedelta(days=1)
    assert last_day.valid_until == cutoff.date()
    return Case(
        [withdrawn_old, expired],
        [withdrawn_young, last_day],
        lambda c: refreshed(c).purpose == "",
    )


def _profile(w, moment: datetime) -> CandidateProfile:
    with at(moment):
        return CandidateProfile.objects.create(
            person=person(w.region, moment),
            region=w.region,
            municipality=Municipality.objects.get(name="Oldenzaal"),
            benefit_regime="ww",
            consent_given_at=moment,
            summary="Tien jaar ervaring als heftruckchauffeur.",
        )


def case_candidate_profile(w) -> Case:
    cutoff = years_before(2)
    old = _profile(w, cutoff - MINUTE)
    young = _profile(w, cutoff + MINUTE)
    with at(cutoff - MINUTE):
        placement = Placement.objects.create(
            region=w.region,
            employer=employer(w.region),
            candidate=old,
            start_date=(cutoff - MINUTE).date(),
            hours=32,
            benefit_regime="ww",
            source="direct",
        )
    return Case([old], [young], gone, {"placement": placement})


def case_talent_wall_result(w) -> Case:
    cutoff = years_before(2)
    results = []
    for moment in (cutoff - MINUTE, cutoff + MINUTE):
        with at(moment):
            results.append(
                TalentWallResult.objects.create(
                    person=person(w.region, moment), code="RIA", scores={"R": 5}
                )
            )
    return Case(results[:1], results[1:], gone)


def case_appointment(w) -> Case:
    cutoff = years_before(2)
    bookings = []
    for moment in (cutoff - MINUTE, cutoff + MINUTE):
        with at(moment - timedelta(days=3)):
            bookings.append(
                Booking.objects.create(
                    slot=slot(w.adviser, moment),
                    person=person(w.region, moment - timedelta(days=3)),
                    note="Wil praten over schulden.",
                )
            )
    with at(cutoff - timedelta(days=9)):
        cancelled = Booking.objects.create(
            slot=slot(w.adviser, cutoff - timedelta(days=5)),
            person=person(w.region, cutoff - timedelta(days=9)),
            status=BookingStatus.CANCELLED,
            cancelled_at=cutoff - timedelta(days=8),
            cancel_reason="Ziek.",
        )
    return Case(
        [bookings[0], cancelled],
        bookings[1:],
        lambda b: refreshed(b).note == "" and refreshed(b).cancel_reason == "",
    )


def case_event_registration(w) -> Case:
    cutoff = years_before(1)
    old = registration(event(w.region, w.adviser, cutoff - MINUTE), cutoff - timedelta(days=20))
    young = registration(event(w.region, w.adviser, cutoff + MINUTE), cutoff - timedelta(days=20))
    return Case([old], [young], lambda r: refreshed(r).name == "")


def case_llo_conversation(w) -> Case:
    cutoff = years_before(7)
    day = cutoff.date()
    old = llo(w.region, w.adviser, person(w.region, cutoff), day - timedelta(days=1))
    young = llo(w.region, w.adviser, person(w.region, cutoff), day)
    # Held long ago, but its application was paid after the cut-off: not yet.
    recent = application(w.region, w.adviser, cutoff + MINUTE).llo_conversation
    return Case([old], [young, recent], lambda c: refreshed(c).summary == "")


def case_voucher_application(w) -> Case:
    cutoff = years_before(7)
    old = [
        application(w.region, w.adviser, cutoff - MINUTE, status=status)
        for status in ("paid", "rejected", "withdrawn")
    ]
    young = application(w.region, w.adviser, cutoff + MINUTE)
    return Case(old, [young], lambda a: refreshed(a).motivation == "")


def case_portal_search(w) -> Case:
    cutoff = years_before(1)
    searches = []
    for moment in (cutoff - MINUTE, cutoff + MINUTE):
        with at(moment):
            searches.append(
                PortalSearch.objects.create(user=w.employer_user, employer=w.employer, params={})
            )
    return Case(searches[:1], searches[1:], gone)


def case_contact_request(w) -> Case:
    cutoff = years_before(1)
    rows = []
    for moment, status in (
        (cutoff - MINUTE, "handled"),
        (cutoff + MINUTE, "handled"),
        (cutoff - MINUTE, "open"),
    ):
        with at(moment):
            rows.append(
                ContactRequest.objects.create(
                    employer=w.employer,
                    requested_by=w.employer_user,
                    attributes={},
                    member_ids=[1, 2, 3, 4, 5],
                    status=status,
                )
            )
    return Case(rows[:1], rows[1:], gone)


def case_deletion_request(w) -> Case:
    cutoff = years_before(2)
    rows = []
    for handled, status in (
        (cutoff - MINUTE, DeletionStatus.DONE),
        (cutoff - MINUTE, DeletionStatus.REFUSED),
        (cutoff + MINUTE, DeletionStatus.DONE),
    ):
        rows.append(
            DeletionRequest.objects.create(
                person=person(w.region, cutoff - timedelta(days=40)),
                reference=f"D{secrets.token_hex(4).upper()}",
                status=status,
                handled_at=handled,
            )
        )
    with at(cutoff - timedelta(days=40)):
        still_open = DeletionRequest.objects.create(
            person=person(w.region, cutoff - timedelta(days=40)), reference="DOPEN001"
        )
    return Case(rows[:2], [rows[2], still_open], gone)


def case_outbound_email(w) -> Case:
    cutoff = NOW - timedelta(days=90)
    old = outbound(cutoff - MINUTE)
    failed = outbound(cutoff - MINUTE, OutboundEmail.Status.FAILED)
    young = outbound(cutoff + MINUTE)
    waiting = outbound(cutoff - timedelta(days=10), OutboundEmail.Status.QUEUED)
    return Case([old, failed], [young, waiting], gone)


def case_processing_log(w) -> Case:
    cutoff = years_before(2)
    entries = []
    p = person(w.region, cutoff - timedelta(days=1))
    for moment in (cutoff - MINUTE, cutoff + MINUTE):
        with at(moment):
            entries.append(
                ProcessingLogEntry.objects.create(
                    activity_id="intake",
                    operation="read",
                    actor=w.guide,
                    subject_person=p,
                    object_type="person",
                    object_id=str(p.pk),
                )
            )
    return Case(entries[:1], entries[1:], gone)


def case_report_job(w) -> Case:
    cutoff = years_before(1)
    jobs = []
    for moment, status in (
        (cutoff - MINUTE, ReportJob.Status.DONE),
        (cutoff + MINUTE, ReportJob.Status.DONE),
        (cutoff - MINUTE, ReportJob.Status.QUEUED),
    ):
        with at(moment):
            jobs.append(
                ReportJob.objects.create(
                    region=w.region, kind="annual", year=2024, requested_by=w.guide, status=status
                )
            )
    return Case(jobs[:1], jobs[1:], gone)


def case_session(w) -> Case:
    from django.contrib.sessions.models import Session

    cutoff = NOW - timedelta(days=1)
    old = Session.objects.create(session_key="a" * 32, session_data="", expire_date=cutoff - MINUTE)
    young = Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=cutoff + MINUTE
    )
    return Case([old], [young], gone)


def _axes(model, moment, **extra):
    with at(moment):
        fields = {
            "user_agent": "Firefox",
            "ip_address": "192.0.2.7",
            "username": "guide",
            "http_accept": "text/html",
            "path_info": "/accounts/login/",
        }
        return model.objects.create(**fields | extra)


def case_login_log(w) -> Case:
    from axes.models import AccessLog

    cutoff = years_before(1)
    return Case([_axes(AccessLog, cutoff - MINUTE)], [_axes(AccessLog, cutoff + MINUTE)], gone)


def case_failed_login(w) -> Case:
    from axes.models import AccessAttempt

    cutoff = NOW - timedelta(days=90)
    failed = {"get_data": "", "post_data": "username=guide", "failures_since_start": 3}
    old = _axes(AccessAttempt, cutoff - MINUTE, **failed)
    young = _axes(AccessAttempt, cutoff + MINUTE, **failed | {"user_agent": "Chrome"})
    return Case([old], [young], gone)


CASES = {
    name.removeprefix("case_"): function
    for name, function in globals().items()
    if name.startswith("case_")
}
