"""Apply the retention rules (``privacy/data/retention.toml``) to the database.

One handler per record type knows which records a rule makes expire (``expired``: a queryset of
the records that a run would change now, so a second run finds nothing) and what to do with
them (``apply``, with the per-record-type code of ``anonymise.py``). A run goes rule by rule (in
the file's order), in batches of primary keys, each batch in its own transaction that locks the
batch and checks it is still expired before changing it: a crash or a time limit leaves every
batch done or not done, and the next run simply goes on. Every applied run writes its counts per rule to the audit
trail (action ``retention_run``) and the log; never personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import anonymise
from .retention import (
    RECORD_TYPES,
    RETENTION_FILE,
    Policy,
    RetentionFileError,
    Rule,
    RuleResult,
    load,
    summary_json,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # records per transaction
WINDOW = 20  # batches whose keys are read at once


@dataclass(frozen=True)
class Context:
    """The moment of the run and every rule's cut-off (a person's identity is kept while
    another rule still keeps a record that needs it)."""

    now: datetime
    cutoffs: dict[str, datetime]

    def cutoff(self, record: str) -> datetime | None:
        return self.cutoffs.get(record)


# -- what "closed before the cut-off" means, shared by several rules ---------------------------


def application_closed_before(cutoff: datetime, prefix: str = "") -> Q:
    """Voucher applications paid, rejected or withdrawn before ``cutoff``."""
    from werkcentrum.vouchers.states import ApplicationStatus as S

    p = prefix
    return (
        Q(**{f"{p}status": S.PAID, f"{p}paid_at__lt": cutoff})
        | Q(**{f"{p}status": S.REJECTED, f"{p}decided_at__lt": cutoff})
        | Q(**{f"{p}status": S.WITHDRAWN, f"{p}withdrawn_at__lt": cutoff})
    )


def llo_closed_before(cutoff: datetime) -> Q:
    """LLO conversations held before the cut-off date whose applications (if any) all closed
    before the cut-off."""
    from werkcentrum.vouchers.models import Application

    still_open = Application.objects.filter(llo_conversation=OuterRef("pk")).exclude(
        application_closed_before(cutoff)
    )
    return Q(held_on__lt=cutoff.date()) & ~Q(Exists(still_open))


def consent_ended_before(cutoff: datetime) -> Q:
    return Q(withdrawn_at__lt=cutoff) | Q(withdrawn_at__isnull=True, valid_until__lt=cutoff.date())


def identity_hold(ctx: Context, *, consents: bool = True) -> Q:
    """Persons whose name and date of birth a retained record still needs: a voucher
    application or LLO conversation within its period (fiscal obligation) and, unless
    ``consents`` is False, a consent within its period (proof of consent). A record type without
    a rule is kept for ever, so it always holds."""
    from werkcentrum.frontdoor.models import Consent
    from werkcentrum.vouchers.models import Application, LLOConversation

    person = OuterRef("pk")
    held = []
    cutoff = ctx.cutoff("voucher_application")
    applications = Application.objects.filter(person=person)
    held.append(applications.exclude(application_closed_before(cutoff)) if cutoff else applications)
    cutoff = ctx.cutoff("llo_conversation")
    llo = LLOConversation.objects.filter(person=person)
    held.append(llo.exclude(llo_closed_before(cutoff)) if cutoff else llo)
    if consents:
        cutoff = ctx.cutoff("consent")
        given = Consent.objects.filter(person=person)
        held.append(given.exclude(consent_ended_before(cutoff)) if cutoff else given)
    q = Q()
    for queryset in held:
        q |= Q(Exists(queryset))
    return q


def person_activity(cutoff: datetime) -> list[Exists]:
    """What makes a person active at or after ``cutoff`` (or still open), one ``Exists`` per
    kind of record: a person qualifies when none of them holds. Kept as separate conditions,
    so the database can use anti-joins (fast for the whole table and for one batch alike)."""
    from werkcentrum.accounts.models import User
    from werkcentrum.appointments.models import Booking
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.events.models import Registration
    from werkcentrum.frontdoor.models import Consent, Contact, Handover
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
    from werkcentrum.orientation.models import TalentWallResult
    from werkcentrum.residents.models import DeletionRequest, DeletionStatus
    from werkcentrum.trajectories.models import Trajectory
    from werkcentrum.vouchers.models import Application, LLOConversation
    from werkcentrum.vouchers.states import OPEN_STATUSES

    p = OuterRef("pk")
    day = cutoff.date()
    since = [
        Contact.objects.filter(person=p).filter(
            Q(updated_at__gte=cutoff) | ~Q(status=ContactStatus.ANSWERED)
        ),
        Trajectory.objects.filter(contact__person=p).filter(
            Q(started_at__gte=cutoff) | Q(closed_at__gte=cutoff) | Q(closed_at__isnull=True)
        ),
        Handover.objects.filter(contact__person=p).filter(
            Q(created_at__gte=cutoff) | Q(decided_at__gte=cutoff) | Q(status=HandoverStatus.PENDING)
        ),
        Consent.objects.filter(person=p).filter(
            Q(given_at__gte=cutoff)
            | Q(withdrawn_at__gte=cutoff)
            | Q(withdrawn_at__isnull=True, valid_until__gte=day)
        ),
        Application.objects.filter(person=p).filter(
            Q(submitted_at__gte=cutoff)
            | Q(decided_at__gte=cutoff)
            | Q(completed_at__gte=cutoff)
            | Q(paid_at__gte=cutoff)
            | Q(withdrawn_at__gte=cutoff)
            | Q(status__in=OPEN_STATUSES)
        ),
        LLOConversation.objects.filter(person=p).filter(
            Q(held_on__gte=day) | Q(created_at__gte=cutoff)
        ),
        Booking.objects.filter(person=p).filter(
            Q(created_at__gte=cutoff) | Q(slot__starts_at__gte=cutoff) | Q(cancelled_at__gte=cutoff)
        ),
        Registration.objects.filter(person=p).filter(
            Q(created_at__gte=cutoff) | Q(event__ends_at__gte=cutoff)
        ),
        CandidateProfile.objects.filter(person=p).filter(
            Q(updated_at__gte=cutoff)
            | Q(consent_given_at__gte=cutoff)
            | Q(consent_withdrawn_at__gte=cutoff)
            | Q(proposals__updated_at__gte=cutoff)
            | Q(placements__created_at__gte=cutoff)
        ),
        User.objects.filter(person=p).filter(
            Q(last_login__gte=cutoff) | Q(date_joined__gte=cutoff)
        ),
        TalentWallResult.objects.filter(person=p).filter(
            Q(created_at__gte=cutoff) | Q(shared_at__gte=cutoff)
        ),
        DeletionRequest.objects.filter(person=p, status=DeletionStatus.OPEN),
    ]
    return [Exists(queryset) for queryset in since]


def person_needs_work(ctx: Context, *, consents: bool = True) -> Q:
    """Persons of whom something is left to remove (given that they qualify)."""
    from werkcentrum.accounts.models import User
    from werkcentrum.appointments.models import Booking
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.events.models import Registration
    from werkcentrum.frontdoor.models import Contact
    from werkcentrum.orientation.models import TalentWallResult

    p = OuterRef("pk")
    q = anonymise.person_has_contact_details()
    for queryset in (
        User.objects.filter(person=p),
        TalentWallResult.objects.filter(person=p),
        CandidateProfile.objects.filter(person=p),
        Contact.objects.filter(person=p).filter(anonymise.contact_has_text()),
        Booking.objects.filter(person=p).filter(anonymise.booking_has_text()),
        Registration.objects.filter(person=p),
    ):
        q |= Q(Exists(queryset))
    return q | (anonymise.person_has_identity() & ~identity_hold(ctx, consents=consents))


# -- the handlers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handler:
    """``expired(rule, cutoff, ctx)``: what a run changes now; ``apply(rule, pks, ctx)``: change
    those rows, return how many. ``computed``: the ``counts_from`` names that are not fields."""

    record: str
    expired: Callable[[Rule, datetime, Context], QuerySet]
    apply: Callable[[Rule, list, Context], int]
    computed: frozenset[str] = field(default_factory=frozenset)
    qualifiers: dict[str, Q] = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(RECORD_TYPES[self.record].model)


def _model(record: str):
    return apps.get_model(RECORD_TYPES[record].model)


def _plain(record: str, qualifiers: dict[str, Q] | None = None):
    """A record type that expires on one of its own date fields and is deleted."""
    qualifiers = qualifiers or {}

    def expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
        value = cutoff.date() if rule.counts_from_a_calendar_date else cutoff
        qs = _model(record).objects.filter(**{f"{rule.counts_from}__lt": value})
        return qs.filter(qualifiers[rule.only]) if rule.only else qs

    def apply(rule: Rule, pks: list, ctx: Context) -> int:
        return anonymise.delete(_model(record), pks)

    return Handler(record, expired, apply, qualifiers=qualifiers)


def _contact_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.frontdoor.models import Contact, Handover
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
    from werkcentrum.trajectories.models import Trajectory

    late_trajectory = Trajectory.objects.filter(contact=OuterRef("pk")).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    )
    late_handover = Handover.objects.filter(contact=OuterRef("pk")).filter(
        Q(status=HandoverStatus.PENDING) | Q(decided_at__gte=cutoff) | Q(created_at__gte=cutoff)
    )
    return (
        Contact.objects.filter(status=ContactStatus.ANSWERED)
        .filter(Q(answered_at__lt=cutoff) | Q(answered_at__isnull=True, updated_at__lt=cutoff))
        .filter(~Q(Exists(late_trajectory)), ~Q(Exists(late_handover)))
        .filter(anonymise.contact_has_text())
    )


def _person_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.frontdoor.models import Person

    qs = Person.objects.filter(updated_at__lt=cutoff)
    for active in person_activity(cutoff):
        qs = qs.filter(~active)
    return qs.filter(person_needs_work(ctx))


def _person_apply(rule: Rule, pks: list, ctx: Context) -> int:
    from werkcentrum.frontdoor.models import Person

    keep = Person.objects.filter(pk__in=pks).filter(identity_hold(ctx)).values_list("pk", flat=True)
    return anonymise.anonymise_persons(pks, keep_identity=set(keep))


def _consent_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.frontdoor.models import Consent

    return Consent.objects.filter(consent_ended_before(cutoff)).exclude(purpose="")


def _candidate_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.candidates.models import CandidateProfile, Placement, Proposal

    recent_proposal = Proposal.objects.filter(candidate=OuterRef("pk")).filter(
        Q(created_at__gte=cutoff) | Q(updated_at__gte=cutoff)
    )
    recent_placement = Placement.objects.filter(candidate=OuterRef("pk"), created_at__gte=cutoff)
    return CandidateProfile.objects.filter(updated_at__lt=cutoff).filter(
        ~Q(consent_given_at__gte=cutoff),
        ~Q(consent_withdrawn_at__gte=cutoff),
        ~Q(Exists(recent_proposal)),
        ~Q(Exists(recent_placement)),
    )


def _appointment_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.appointments.models import Booking

    return Booking.objects.filter(slot__starts_at__lt=cutoff).filter(anonymise.booking_has_text())


def _registration_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.events.models import Registration

    qs = Registration.objects.filter(event__ends_at__lt=cutoff)
    return qs.exclude(name="") if rule.action == "anonymise" else qs


def _registration_apply(rule: Rule, pks: list, ctx: Context) -> int:
    from werkcentrum.events.models import Registration

    if rule.action == "delete":
        return anonymise.delete(Registration, pks)
    return anonymise.anonymise_registrations(pks)


def _llo_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.vouchers.models import LLOConversation

    return LLOConversation.objects.filter(llo_closed_before(cutoff)).filter(
        anonymise.llo_has_text()
    )


def _application_expired(rule: Rule, cutoff: datetime, ctx: Context) -> QuerySet:
    from werkcentrum.vouchers.models import Application

    return Application.objects.filter(application_closed_before(cutoff)).filter(
        anonymise.application_has_text()
    )


def _with(apply: Callable[[list], int]):
    return lambda rule, pks, ctx: apply(pks)


def _handlers() -> dict[str, Handler]:
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.monitoring.models import ReportJob
    from werkcentrum.outbox.models import OutboundEmail
    from werkcentrum.residents.models import DeletionStatus

    done = [ReportJob.Status.DONE, ReportJob.Status.FAILED]
    sent, failed = OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED
    handlers = [
        Handler(
            "contact",
            _contact_expired,
            _with(anonymise.anonymise_contacts),
            frozenset({"closed_at"}),
            {"closed": Q()},
        ),
        Handler(
            "person",
            _person_expired,
            _person_apply,
            frozenset({"last_activity"}),
            {"inactive": Q()},
        ),
        Handler(
            "consent",
            _consent_expired,
            _with(anonymise.anonymise_consents),
            frozenset({"ended_at"}),
            {"ended": Q()},
        ),
        Handler(
            "candidate_profile",
            _candidate_expired,
            lambda rule, pks, ctx: anonymise.delete(CandidateProfile, pks),
            frozenset({"last_mediation"}),
        ),
        _plain("talent_wall_result"),
        Handler(
            "appointment",
            _appointment_expired,
            _with(anonymise.anonymise_bookings),
            frozenset({"starts_at"}),
        ),
        Handler(
            "event_registration",
            _registration_expired,
            _registration_apply,
            frozenset({"event_end"}),
        ),
        Handler(
            "llo_conversation",
            _llo_expired,
            _with(anonymise.anonymise_llo_conversations),
            frozenset({"closed_at"}),
            {"closed": Q()},
        ),
        Handler(
            "voucher_application",
            _application_expired,
            _with(anonymise.anonymise_applications),
            frozenset({"closed_at"}),
            {"closed": Q()},
        ),
        _plain("portal_search"),
        _plain("contact_request", {"handled": Q(status="handled"), "all": Q()}),
        _plain(
            "deletion_request",
            {"handled": Q(status__in=[DeletionStatus.DONE, DeletionStatus.REFUSED])},
        ),
        _plain(
            "outbound_email",
            {"sent": Q(status=sent), "sent_or_failed": Q(status__in=[sent, failed])},
        ),
        _plain("processing_log"),
        _plain("report_job", {"finished": Q(status__in=done)}),
        _plain("session"),
        _plain("login_log"),
        _plain("failed_login"),
    ]
    return {h.record: h for h in handlers}


_HANDLERS: dict[str, Handler] | None = None


def handlers() -> dict[str, Handler]:
    global _HANDLERS  # noqa: PLW0603 - built once, after the apps are ready
    if _HANDLERS is None:
        _HANDLERS = _handlers()
    return _HANDLERS


# -- loading and checking the file against the models -------------------------------------------


def retention_file() -> Path:
    return Path(getattr(settings, "RETENTION_FILE", None) or RETENTION_FILE)


def check_policy(policy: Policy) -> Policy:
    """The file's rules against the installed models: the model exists, and every date a rule
    counts from is a date field of it or computed by its handler."""
    for number, rule in enumerate(policy.rules, start=1):
        entry = f"rule {number} ({rule.record})"
        try:
            model = apps.get_model(rule.model)
        except (LookupError, ValueError) as exc:
            raise RetentionFileError(
                policy.source, entry, "model", f"no such model {rule.model!r} is installed"
            ) from exc
        handler = handlers()[rule.record]
        if rule.counts_from in handler.computed:
            continue
        try:
            date_field = model._meta.get_field(rule.counts_from)
        except FieldDoesNotExist as exc:
            raise RetentionFileError(
                policy.source,
                entry,
                "counts_from",
                f"{rule.model} has no field {rule.counts_from!r}",
            ) from exc
        if not isinstance(date_field, models.DateField):  # DateTimeField is a DateField
            raise RetentionFileError(
                policy.source,
                entry,
                "counts_from",
                f"{rule.model}.{rule.counts_from} is not a date",
            )
    return policy


def load_policy(path: str | Path | None = None) -> Policy:
    """The retention file (``settings.RETENTION_FILE`` or the bundled one), fully checked.
    Raises ``RetentionFileError`` with the file, the rule and the field."""
    return check_policy(load(Path(path) if path else retention_file()))


# -- running --------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    results: list[RuleResult]
    dry_run: bool
    completed: bool = True

    def as_json(self) -> dict:
        return summary_json(self.results, dry_run=self.dry_run)

    @property
    def total(self) -> int:
        return sum(r.count for r in self.results)


def context(policy: Policy, now: datetime | None = None) -> Context:
    now = timezone.localtime(now or timezone.now())
    return Context(now, policy.cutoffs(now))


def expired(policy: Policy, record: str, now: datetime | None = None) -> QuerySet:
    """The records of one rule that a run would change now."""
    ctx = context(policy, now)
    rule = policy.rule(record)
    return handlers()[record].expired(rule, ctx.cutoffs[record], ctx)


def _apply(handler: Handler, rule: Rule, cutoff: datetime, ctx: Context, batch_size: int) -> int:
    """Change what ``rule`` makes expire, ``batch_size`` records per transaction. The expired
    primary keys are read a window of batches at a time (walking up the primary key), so the
    selecting query runs once per window rather than once per batch."""
    done = 0
    last = None
    while True:
        candidates = handler.expired(rule, cutoff, ctx).order_by("pk")
        if last is not None:
            candidates = candidates.filter(pk__gt=last)
        window = list(candidates.values_list("pk", flat=True)[: batch_size * WINDOW])
        if not window:
            return done
        last = window[-1]
        for start in range(0, len(window), batch_size):
            done += _apply_batch(handler, rule, cutoff, ctx, window[start : start + batch_size])


def _apply_batch(handler: Handler, rule: Rule, cutoff: datetime, ctx: Context, pks: list) -> int:
    with transaction.atomic():
        # Lock first, then look again: what changed meanwhile (a person who came back, a
        # question reopened) is seen, and a new row pointing to a locked one waits for us.
        list(
            handler.model.objects.filter(pk__in=pks)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        still = list(
            handler.expired(rule, cutoff, ctx).filter(pk__in=pks).values_list("pk", flat=True)
        )
        return handler.apply(rule, still, ctx) if still else 0


def run(
    policy: Policy | None = None,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    records: Collection[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> RunSummary:
    """Apply (or with ``dry_run`` only count) the rules of ``policy`` at ``now``: all of them,
    or those of ``records`` (the other rules' cut-offs still count for what they keep)."""
    policy = policy or load_policy()
    if records is not None:
        unknown = set(records) - {rule.record for rule in policy.rules}
        if unknown:
            raise ValueError(f"no retention rule for: {', '.join(sorted(unknown))}")
    ctx = context(policy, now)
    summary = RunSummary([], dry_run, completed=False)
    try:
        for rule in policy.rules:
            if records is not None and rule.record not in records:
                continue
            handler = handlers()[rule.record]
            cutoff = ctx.cutoffs[rule.record]
            if dry_run:
                count = handler.expired(rule, cutoff, ctx).count()
            else:
                count = _apply(handler, rule, cutoff, ctx, batch_size)
            summary.results.append(RuleResult(rule.record, rule.action, cutoff, count))
        summary.completed = True
    finally:
        _record(summary, policy)
    return summary


def _record(summary: RunSummary, policy: Policy) -> None:
    counts = ", ".join(f"{r.record} {r.action} {r.count}" for r in summary.results) or "nothing"
    if summary.dry_run:
        logger.info("retention dry run (policy %s): %s", policy.version, counts)
        return
    from .services import audit

    detail = summary.as_json() | {"policy": policy.version, "completed": summary.completed}
    audit(user=None, action="retention_run", detail=detail)
    if summary.completed:
        logger.info("retention run (policy %s): %s", policy.version, counts)
    else:
        logger.error("retention run interrupted (policy %s) after: %s", policy.version, counts)
