"""Handling a resident's deletion request (AVG art. 17) by the data protection officer.

``plan(person)`` says what carrying out the request will erase, what must be kept and why, and
what is still open. ``carry_out`` closes what is open, erases the person's data with the same
per-record-type code as the retention run (``anonymise.py``), closes the request with an answer
and e-mails it to the resident; ``refuse`` closes it with a reason. Both write the audit trail
(counts only) and the processing log.

What stays, and why:

* what the monitoring figures count (questions without their content, handovers, appointments,
  placements), without anything that identifies the person;
* voucher applications and LLO conversations within their seven years (fiscal retention
  obligation, art. 17(3)(b)), with the name and date of birth they need; the nightly retention
  run removes those once the period has passed;
* the processing log (accountability, art. 5(2)), which then points to an empty person record,
  and the request itself (proof of handling), each until its own retention period ends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError

from . import anonymise
from .retention_runner import context, identity_hold, load_policy
from .services import audit, log_processing

logger = logging.getLogger(__name__)

ACTIVITY = "self_service"
ANSWER_DAYS = 30  # AVG art. 12(3): within one month


@dataclass(frozen=True)
class Line:
    label: str
    count: int | None = None
    why: str = ""
    key: str = ""


@dataclass
class Plan:
    """What carrying out a deletion request does to one person's data."""

    erase: list[Line] = field(default_factory=list)
    keep: list[Line] = field(default_factory=list)
    open_matters: list[Line] = field(default_factory=list)
    identity_kept: bool = False
    identity_kept_until: date | None = None
    identity_kept_while_open: bool = False


def _require_administrator(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_administrator):
        raise NotAllowed(_("Only administrators handle deletion requests."))


def open_requests():
    from werkcentrum.residents.models import DeletionRequest, DeletionStatus

    return (
        DeletionRequest.objects.filter(status=DeletionStatus.OPEN)
        .select_related("person", "person__account")
        .order_by("requested_at", "id")
    )


def handled_requests():
    from werkcentrum.residents.models import DeletionRequest, DeletionStatus

    return (
        DeletionRequest.objects.exclude(status=DeletionStatus.OPEN)
        .select_related("handled_by")
        .order_by("-handled_at", "-id")
    )


def due_date(request) -> date:
    return timezone.localdate(request.requested_at) + timedelta(days=ANSWER_DAYS)


def _records(person, now: datetime) -> dict:
    """The person's records, as querysets (one place for both the plan and the erasure)."""
    from werkcentrum.appointments.models import Booking, BookingStatus
    from werkcentrum.candidates.models import CandidateProfile, Placement, Proposal
    from werkcentrum.events.models import Registration, RegistrationStatus
    from werkcentrum.frontdoor.models import Consent, Contact, Handover
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
    from werkcentrum.orientation.models import TalentWallResult
    from werkcentrum.privacy.models import ProcessingLogEntry
    from werkcentrum.trajectories.models import Trajectory
    from werkcentrum.vouchers.models import Application, LLOConversation
    from werkcentrum.vouchers.states import OPEN_STATUSES

    today = timezone.localdate(now)
    contacts = Contact.objects.filter(person=person)
    consents = Consent.objects.filter(person=person)
    bookings = Booking.objects.filter(person=person)
    registrations = Registration.objects.filter(person=person)
    applications = Application.objects.filter(person=person)
    return {
        "contacts": contacts,
        "open_contacts": contacts.exclude(status=ContactStatus.ANSWERED),
        "handovers": Handover.objects.filter(contact__person=person),
        "pending_handovers": Handover.objects.filter(
            contact__person=person, status=HandoverStatus.PENDING
        ),
        "open_trajectories": Trajectory.objects.filter(
            contact__person=person, closed_at__isnull=True
        ),
        "consents": consents,
        "active_consents": consents.filter(withdrawn_at__isnull=True, valid_until__gte=today),
        "bookings": bookings,
        "upcoming_bookings": bookings.filter(status=BookingStatus.BOOKED, slot__starts_at__gt=now),
        "registrations": registrations,
        "upcoming_registrations": registrations.filter(event__ends_at__gt=now).exclude(
            status=RegistrationStatus.CANCELLED
        ),
        "profiles": CandidateProfile.objects.filter(person=person),
        "proposals": Proposal.objects.filter(candidate__person=person),
        "placements": Placement.objects.filter(candidate__person=person),
        "talent_wall": TalentWallResult.objects.filter(person=person),
        "llo": LLOConversation.objects.filter(person=person),
        "applications": applications,
        "open_applications": applications.filter(status__in=OPEN_STATUSES),
        "log": ProcessingLogEntry.objects.filter(subject_person=person),
    }


def addresses(person) -> list[str]:
    """Where the answer goes: the person's e-mail address and their account's."""
    if person is None:
        return []
    found = [person.email]
    account = getattr(person, "account", None) if person.pk else None
    if account is not None:
        found.append(account.email)
    return [a for a in dict.fromkeys(a.strip().lower() for a in found if a) if a]


def login_history(person):
    """django-axes' records of the resident's logins and failed attempts (IP address, browser),
    found by the names they log in with."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if person is None:
        return []
    names = {person.email}
    account = getattr(person, "account", None)
    if account is not None:
        names |= {account.username, account.email}
    names.discard("")
    return [
        model.objects.filter(username__in=names)
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    ]


def emails_to(emails: list[str]):
    """The outbox's e-mails to these addresses, sent or not (one still waiting, such as a
    reminder, should not go out any more; the sending task skips a deleted row)."""
    from werkcentrum.outbox.models import OutboundEmail

    if not emails:
        return OutboundEmail.objects.none()
    q = Q()
    for address in emails:
        q |= Q(to_text__icontains=f'"{address}"')
    return OutboundEmail.objects.annotate(to_text=Cast("to", TextField())).filter(q)


def _held_until(records: dict, now: datetime, policy) -> tuple[date | None, bool]:
    """Until when the voucher records keep the identity: the last closing plus the period
    (and whether an application is still open, which keeps it longer)."""
    rule = policy.rule("voucher_application")
    closings = []
    for application in records["applications"]:
        moment = {
            "paid": application.paid_at,
            "rejected": application.decided_at,
            "withdrawn": application.withdrawn_at,
        }.get(application.status)
        if moment is not None:
            closings.append(timezone.localdate(moment))
    closings += [c.held_on for c in records["llo"]]
    if rule is None or not closings:
        return None, records["open_applications"].exists()
    return rule.period.after(max(closings)), records["open_applications"].exists()


def plan(person, now: datetime | None = None) -> Plan:
    """What carrying out a deletion request for ``person`` erases, keeps and closes."""
    from werkcentrum.frontdoor.models import Person

    now = now or timezone.now()
    result = Plan()
    if person is None:
        return result
    policy = load_policy()
    ctx = context(policy, now)
    records = _records(person, now)
    held = Person.objects.filter(pk=person.pk).filter(identity_hold(ctx, consents=False)).exists()
    result.identity_kept = held
    if held:
        result.identity_kept_until, result.identity_kept_while_open = _held_until(
            records, now, policy
        )
    count = {name: qs.count() for name, qs in records.items()}
    account = 1 if getattr(person, "account", None) is not None else 0
    sent = emails_to(addresses(person)).count()

    erase = result.erase
    if held:
        erase.append(Line(_("E-mail address, phone number, postcode and BSN")))
    else:
        erase.append(Line(_("Name, date of birth, e-mail address, phone number, postcode and BSN")))
    erase.append(Line(_("Login account for My Werkcentrum"), account))
    erase.append(
        Line(
            _("Login history (IP address and browser)"),
            sum(q.count() for q in login_history(person)),
        )
    )
    erase.append(
        Line(
            _("Questions: the question, the answer, notes, messages and trajectory notes"),
            count["contacts"],
        )
    )
    erase.append(
        Line(_("Consents: the purpose (active consents are withdrawn)"), count["consents"])
    )
    erase.append(Line(_("Job-seeker profile and proposals to employers"), count["profiles"]))
    erase.append(Line(_("Talent wall results"), count["talent_wall"]))
    erase.append(
        Line(_("Appointments: notes (upcoming appointments are cancelled)"), count["bookings"])
    )
    erase.append(
        Line(
            _("Event registrations: name and e-mail address (upcoming ones are cancelled)"),
            count["registrations"],
        )
    )
    erase.append(Line(_("E-mails to the person in the outbox"), sent))
    if not held and (count["llo"] or count["applications"]):
        erase.append(
            Line(
                _("LLO conversations and voucher applications: advice, motivation and notes"),
                count["llo"] + count["applications"],
            )
        )

    keep = result.keep
    figures = _("counted in the monitoring figures and reports; kept without the person")
    keep.append(
        Line(
            _(
                "Questions without their content: channel, place, municipality, topics, dates, "
                "service level"
            ),
            count["contacts"],
            figures,
            "figures",
        )
    )
    keep.append(
        Line(_("Handovers: partner, status and dates"), count["handovers"], figures, "figures")
    )
    keep.append(
        Line(
            _("Appointments: time, place and whether they were kept"),
            count["bookings"],
            figures,
            "figures",
        )
    )
    keep.append(
        Line(
            _("Placements in work"),
            count["placements"],
            _("counted towards the placement targets; kept without the link to the person"),
            "figures",
        )
    )
    if held:
        if result.identity_kept_until:
            why = _(
                "fiscal retention obligation: seven years after payment, rejection or "
                "withdrawal, until %(date)s"
            ) % {"date": result.identity_kept_until.isoformat()}
        else:
            why = _(
                "fiscal retention obligation: seven years after payment, rejection or withdrawal"
            )
        if result.identity_kept_while_open:
            why += " " + _("(an application is still open: the fund finishes it first)")
        keep.append(
            Line(
                _("Voucher applications and LLO conversations, with name and date of birth"),
                count["applications"] + count["llo"],
                why,
            )
        )
    keep.append(
        Line(
            _("Processing log of the person's data"),
            count["log"],
            _(
                "accountability (AVG art. 5(2)); no longer linked to a name; deleted after its "
                "own retention period"
            ),
        )
    )
    keep.append(
        Line(
            _("This deletion request"),
            1,
            _("proof of handling; deleted two years after it was handled"),
        )
    )

    matters = result.open_matters
    for key, label in (
        ("open_contacts", _("Open questions, to be closed")),
        ("pending_handovers", _("Handovers waiting for a partner, to be withdrawn")),
        ("open_trajectories", _("Open advice trajectories, to be stopped")),
        ("active_consents", _("Active consents, to be withdrawn")),
        ("upcoming_bookings", _("Upcoming appointments, to be cancelled")),
        ("upcoming_registrations", _("Upcoming event registrations, to be cancelled")),
        ("open_applications", _("Open voucher applications, kept: the fund finishes them")),
    ):
        if count[key]:
            matters.append(Line(label, count[key]))
    return result


def _close_open_matters(person, user, records: dict, now: datetime) -> None:
    """Stop what is still running, so that nothing waits for a person who is gone."""
    from werkcentrum.appointments.models import BookingStatus
    from werkcentrum.events import services as events
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus

    records["pending_handovers"].update(status=HandoverStatus.WITHDRAWN, decided_at=now)
    records["open_trajectories"].update(
        closed_at=now, outcome="stopped", outcome_note=anonymise.REMOVED
    )
    records["open_contacts"].update(
        status=ContactStatus.ANSWERED,
        owner_user=None,
        owner_partner=None,
        answered_at=now,
    )
    records["active_consents"].update(withdrawn_at=now)
    records["upcoming_bookings"].update(status=BookingStatus.CANCELLED, cancelled_at=now)
    for registration in records["upcoming_registrations"]:
        events.cancel(registration, user=user, now=now)  # a freed seat goes to the waiting list


def erase_person(person, user, now: datetime | None = None) -> dict:
    """Erase ``person``'s data (inside the caller's transaction); counts of what changed."""
    from werkcentrum.frontdoor.models import Person
    from werkcentrum.outbox.models import OutboundEmail

    now = now or timezone.now()
    policy = load_policy()
    ctx = context(policy, now)
    records = _records(person, now)
    emails = addresses(person)
    _close_open_matters(person, user, records, now)
    held = Person.objects.filter(pk=person.pk).filter(identity_hold(ctx, consents=False)).exists()
    counts = {
        "consents": anonymise.anonymise_consents(records["consents"].values_list("pk", flat=True)),
        "contacts": records["contacts"].filter(anonymise.contact_has_text()).count(),
        "profiles": records["profiles"].count(),
        "talent_wall": records["talent_wall"].count(),
        "registrations": records["registrations"].count(),
        "emails": anonymise.delete(
            OutboundEmail, list(emails_to(emails).values_list("pk", flat=True))
        ),
    }
    if not held:
        counts["llo"] = anonymise.anonymise_llo_conversations(
            records["llo"].values_list("pk", flat=True)
        )
        counts["applications"] = anonymise.anonymise_applications(
            records["applications"].values_list("pk", flat=True)
        )
    counts["accounts"] = 1 if getattr(person, "account", None) is not None else 0
    counts["logins"] = sum(queryset.delete()[0] for queryset in login_history(person))
    anonymise.anonymise_persons([person.pk], keep_identity={person.pk} if held else ())
    counts["identity_kept"] = held
    return counts


def _send(request, emails: list[str], template: str, subject) -> bool:
    """Queue the answer in the resident's language (the site's); ``subject`` is a lazy text."""
    from werkcentrum.outbox.services import queue_email

    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"request": request})
        subject = str(subject) % {"ref": request.reference}
    return queue_email(subject, body, emails, key=f"deletion-request:{request.pk}") is not None


def _lock_open(request_pk: int):
    from werkcentrum.residents.models import DeletionRequest, DeletionStatus

    request = (
        DeletionRequest.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=request_pk)
        .first()
    )
    if request is None:
        raise NotAllowed(_("This deletion request does not exist."))
    if request.status != DeletionStatus.OPEN:
        raise Conflict(_("This deletion request has already been handled."))
    return request


def carry_out(request_pk: int, user, answer: str, *, http_request=None):
    """Erase the person's data, close the request with ``answer`` and e-mail it."""
    from werkcentrum.residents.models import DeletionStatus

    _require_administrator(user)
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("Write the answer to the resident."), field="answer")
    now = timezone.now()
    with transaction.atomic():
        request = _lock_open(request_pk)
        person = request.person
        emails = addresses(person)
        counts = erase_person(person, user, now) if person is not None else {}
        request.status = DeletionStatus.DONE
        request.handled_at = now
        request.handled_by = user
        request.answer = answer[:5000]
        request.reason = ""  # the resident's own words are not needed as proof
        request.save(update_fields=["status", "handled_at", "handled_by", "answer", "reason"])
        log_processing(actor=user, activity=ACTIVITY, operation="delete", obj=request)
        audit(
            user=user,
            action="deletion_request_carried_out",
            obj=request,
            request=http_request,
            detail={"counts": counts, "emailed": bool(emails)},
        )
        sent = _send(
            request,
            emails,
            "privacy/email/deletion_done.txt",
            gettext_lazy("Your data has been deleted (%(ref)s)"),
        )
    logger.info("deletion request %s carried out (%s)", request.reference, counts)
    return request, sent


def refuse(request_pk: int, user, reason: str, *, http_request=None):
    """Close the request without erasing, with the reason (which the resident reads)."""
    from werkcentrum.residents.models import DeletionStatus

    _require_administrator(user)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for refusing."), field="reason")
    now = timezone.now()
    with transaction.atomic():
        request = _lock_open(request_pk)
        emails = addresses(request.person)
        request.status = DeletionStatus.REFUSED
        request.handled_at = now
        request.handled_by = user
        request.answer = reason[:5000]
        request.save(update_fields=["status", "handled_at", "handled_by", "answer"])
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=request)
        audit(
            user=user,
            action="deletion_request_refused",
            obj=request,
            request=http_request,
            detail={"emailed": bool(emails)},
        )
        sent = _send(
            request,
            emails,
            "privacy/email/deletion_refused.txt",
            gettext_lazy("Your deletion request %(ref)s"),
        )
    logger.info("deletion request %s refused", request.reference)
    return request, sent
