"""Every change to contacts, consents and handovers goes through here.

Each service runs in one transaction, checks who may do it and whether the lifecycle allows
it (states.py), writes the timeline, the processing log and the audit trail, and keeps the
invariant: a contact is answered, or it has exactly one owner (a guide or a partner).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.models import Role, User
from werkcentrum.accounts.permissions import require_staff
from werkcentrum.core.workdays import add_working_days
from werkcentrum.privacy.services import audit, log_processing
from werkcentrum.regions.models import Municipality, Partner, Region, WalkInPoint
from werkcentrum.regions.selectors import werkcentrum_partner
from werkcentrum.triage import RuleSet, Situation, load_rules_toml

from . import notifications
from .errors import Conflict, NotAllowed, ServiceError
from .models import (
    REQUIRED_HANDOVER_CATEGORIES,
    Consent,
    ConsentCategory,
    Contact,
    ContactEvent,
    Handover,
    Person,
    RoutingRuleSet,
    TriageOverride,
)
from .routing import Proposal, propose
from .states import CONTACT_TRANSITIONS, ContactStatus, HandoverStatus, can_transition

DEFAULT_CONSENT_DAYS = 90


# -- helpers ---------------------------------------------------------------------------------


def _event(contact: Contact, kind: str, actor=None, note: str = "", **data) -> ContactEvent:
    return ContactEvent.objects.create(
        contact=contact,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        data=data,
    )


def _move(contact: Contact, status: str, *, owner_user=None, owner_partner=None) -> None:
    if not can_transition(CONTACT_TRANSITIONS, contact.status, status):
        raise Conflict(
            _("This question is %(current)s and cannot become %(new)s.")
            % {"current": contact.get_status_display(), "new": ContactStatus(status).label}
        )
    contact.status = status
    contact.owner_user = owner_user
    contact.owner_partner = owner_partner
    contact.save(update_fields=["status", "owner_user", "owner_partner", "updated_at"])


def _require_front_office(
    user: User, contact: Contact | None = None, region: Region | None = None
) -> None:
    require_staff(
        user,
        lambda u: u.is_front_office,
        _("Only guides and coordinators can do this."),
        contact.region_id if contact else (region.id if region else None),
        _("This question belongs to another region."),
    )


def _lock(contact: Contact) -> Contact:
    return Contact.objects.select_for_update().get(pk=contact.pk)


def situation_for(contact: Contact) -> Situation:
    return Situation(
        asker=contact.asker_type,
        municipality=contact.municipality.code if contact.municipality else None,
        age=contact.age,
        work_status=contact.work_status or None,
        benefit=contact.benefit or None,
        topics=tuple(contact.topics) or None,
        question=contact.question,
    )


# -- intake ----------------------------------------------------------------------------------


@transaction.atomic
def register_contact(
    *,
    region: Region,
    channel: str,
    asker_type: str,
    question: str,
    created_by: User | None = None,
    walk_in_point: WalkInPoint | None = None,
    referred_by: Partner | None = None,
    municipality: Municipality | None = None,
    person: Person | None = None,
    organisation_name: str = "",
    topics: list[str] | None = None,
    age: int | None = None,
    work_status: str = "",
    benefit: str = "",
) -> Contact:
    """Register a question from any channel and attach the triage proposal.

    A question registered by a guide is owned by that guide; one from the public web form is
    owned by the region's Werkcentrum until a guide picks it up.
    """
    question = (question or "").strip()
    if not question:
        raise ServiceError(_("Please describe the question."), field="question")
    if created_by is not None:
        _require_front_office(created_by, region=region)
    if walk_in_point is not None and walk_in_point.region_id != region.id:
        raise ServiceError(
            _("This walk-in point belongs to another region."), field="walk_in_point"
        )
    contact = Contact(
        region=region,
        channel=channel,
        asker_type=asker_type,
        question=question,
        walk_in_point=walk_in_point,
        referred_by=referred_by,
        municipality=municipality,
        person=person,
        organisation_name=organisation_name.strip(),
        topics=list(topics or []),
        age=age,
        work_status=work_status or "",
        benefit=benefit or "",
        created_by=created_by,
        status=ContactStatus.OPEN,
    )
    if created_by is not None:
        contact.owner_user = created_by
    else:
        contact.owner_partner = werkcentrum_partner(region)
    proposal = propose(region, situation_for(contact), municipality)
    _apply_proposal(contact, proposal)
    contact.save()
    _event(contact, ContactEvent.Kind.CREATED, created_by, channel=channel)
    _event(
        contact,
        ContactEvent.Kind.TRIAGED,
        None,
        level=proposal.decision.service_level,
        partner=proposal.partner.name,
        reasons=list(proposal.decision.reasons),
    )
    log_processing(actor=created_by, activity="intake", operation="create", obj=contact)
    return contact


def _apply_proposal(contact: Contact, proposal: Proposal) -> None:
    contact.service_level = proposal.decision.service_level
    contact.responsible_partner = proposal.partner
    contact.triage = proposal.to_dict()
    if not contact.topics:
        contact.topics = list(proposal.decision.topics)
    if not contact.benefit and proposal.decision.benefit_inferred and proposal.decision.benefit:
        contact.benefit = proposal.decision.benefit


@transaction.atomic
def attach_person(contact: Contact, person: Person, user: User) -> Contact:
    _require_front_office(user, contact)
    if person.region_id != contact.region_id:
        raise ServiceError(_("This person is registered in another region."), field="person")
    contact = _lock(contact)
    contact.person = person
    contact.save(update_fields=["person", "updated_at"])
    log_processing(actor=user, activity="intake", operation="update", obj=contact)
    return contact


@transaction.atomic
def override_triage(
    contact: Contact, user: User, *, level: str, partner: Partner, reason: str
) -> Contact:
    """A guide overrides the proposal with a reason; the override is kept for learning."""
    _require_front_office(user, contact)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for overriding the proposal."), field="reason")
    if level not in {"light", "basic", "specialist"}:
        raise ServiceError(_("Unknown service level."), field="level")
    contact = _lock(contact)
    TriageOverride.objects.create(
        contact=contact,
        user=user,
        rule_id=contact.triage.get("rule_id", ""),
        rules_version=contact.triage.get("rules_version", 0),
        topics=contact.topics,
        proposed_level=contact.service_level,
        proposed_partner=contact.responsible_partner,
        chosen_level=level,
        chosen_partner=partner,
        reason=reason,
    )
    contact.service_level = level
    contact.responsible_partner = partner
    contact.triage_overridden = True
    contact.save(
        update_fields=["service_level", "responsible_partner", "triage_overridden", "updated_at"]
    )
    _event(contact, ContactEvent.Kind.OVERRIDDEN, user, reason, level=level, partner=partner.name)
    audit(
        user=user,
        action="triage_overridden",
        obj=contact,
        detail={"level": level, "partner": partner.code},
    )
    return contact


# -- ownership within the front office ---------------------------------------------------------


@transaction.atomic
def claim_contact(contact: Contact, user: User) -> Contact:
    """A guide takes an unassigned question (e.g. from the web form) from the Werkcentrum queue."""
    _require_front_office(user, contact)
    contact = _lock(contact)
    if contact.status != ContactStatus.OPEN or contact.owner_user_id is not None:
        raise Conflict(_("Someone else already picked up this question."))
    _move(contact, ContactStatus.OPEN, owner_user=user)
    _event(contact, ContactEvent.Kind.CLAIMED, user)
    return contact


@transaction.atomic
def reassign_contact(contact: Contact, user: User, to_user: User, note: str = "") -> Contact:
    _require_front_office(user, contact)
    if not (
        to_user.is_front_office and to_user.region_id == contact.region_id and to_user.is_active
    ):
        raise ServiceError(_("Choose an active guide of this region."), field="to_user")
    contact = _lock(contact)
    if contact.status != ContactStatus.OPEN:
        raise Conflict(_("Only open questions can be reassigned."))
    _move(contact, ContactStatus.OPEN, owner_user=to_user)
    _event(contact, ContactEvent.Kind.REASSIGNED, user, note, to=str(to_user))
    audit(user=user, action="reassign", obj=contact, detail={"to_user": to_user.pk})
    return contact


@transaction.atomic
def answer_contact(contact: Contact, user: User, outcome: str) -> Contact:
    """Light service: the question is answered on the spot (what was answered is noted)."""
    _require_front_office(user, contact)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ServiceError(_("Note what was answered."), field="outcome")
    contact = _lock(contact)
    if contact.status == ContactStatus.IN_TRAJECTORY:
        raise Conflict(
            _("This question is in an advice trajectory, which closes with its outcome.")
        )
    _move(contact, ContactStatus.ANSWERED)
    contact.outcome = outcome
    contact.answered_at = timezone.now()
    contact.save(update_fields=["outcome", "answered_at"])
    _event(contact, ContactEvent.Kind.ANSWERED, user, outcome)
    log_processing(actor=user, activity="intake", operation="update", obj=contact)
    return contact


@transaction.atomic
def start_advice(
    contact: Contact,
    user: User,
    note: str = "",
    *,
    adviser: User | None = None,
    goal: str = "",
    plan: str = "",
) -> Contact:
    """Basic service: a career-advice trajectory with an adviser, who owns the question until
    the trajectory closes with an outcome (trajectories app)."""
    from werkcentrum.trajectories.models import Trajectory

    _require_front_office(user, contact)
    adviser = adviser or user
    if not (
        adviser.is_active
        and adviser.region_id == contact.region_id
        and (adviser.is_front_office or adviser.is_employer_services)
    ):
        raise ServiceError(_("Choose an active adviser of this region."), field="adviser")
    contact = _lock(contact)
    if contact.status != ContactStatus.OPEN:
        raise Conflict(_("Only an open question can start an advice trajectory."))
    _move(contact, ContactStatus.IN_TRAJECTORY, owner_user=adviser)
    Trajectory.objects.create(
        contact=contact,
        adviser=adviser,
        goal=(goal or note or contact.question).strip()[:5000],
        plan=plan.strip(),
    )
    _event(contact, ContactEvent.Kind.ADVICE_STARTED, user, note, adviser=str(adviser))
    return contact


@transaction.atomic
def move_trajectory_contact(contact: Contact, user: User, adviser: User) -> Contact:
    contact = _lock(contact)
    _move(contact, ContactStatus.IN_TRAJECTORY, owner_user=adviser)
    _event(contact, ContactEvent.Kind.REASSIGNED, user, to=str(adviser))
    return contact


@transaction.atomic
def finish_trajectory_contact(contact: Contact, user: User, outcome: str) -> Contact:
    contact = _lock(contact)
    _move(contact, ContactStatus.ANSWERED)
    contact.outcome = outcome
    contact.answered_at = timezone.now()
    contact.save(update_fields=["outcome", "answered_at"])
    _event(contact, ContactEvent.Kind.ANSWERED, user, outcome)
    log_processing(actor=user, activity="intake", operation="update", obj=contact)
    return contact


@transaction.atomic
def reopen_contact(contact: Contact, user: User, note: str = "") -> Contact:
    _require_front_office(user, contact)
    contact = _lock(contact)
    if contact.status != ContactStatus.ANSWERED:
        raise Conflict(_("Only an answered question can be reopened."))
    _move(contact, ContactStatus.OPEN, owner_user=user)
    _event(contact, ContactEvent.Kind.REOPENED, user, note)
    return contact


# -- consent and warm handover -----------------------------------------------------------------


@transaction.atomic
def record_consent(
    contact: Contact,
    user: User,
    *,
    partner: Partner,
    categories: list[str],
    valid_until: date | None = None,
    method: str = Consent.Method.VERBAL,
) -> Consent:
    _require_front_office(user, contact)
    if contact.person is None:
        raise ServiceError(
            _("Register the person first: a handover needs contact details."), field="person"
        )
    unknown = set(categories) - set(ConsentCategory.values)
    if unknown:
        raise ServiceError(
            _("Unknown data category: %s") % ", ".join(sorted(unknown)), field="categories"
        )
    missing = REQUIRED_HANDOVER_CATEGORIES - set(categories)
    if missing:
        raise ServiceError(
            _("A handover always shares the name, contact details and the question."),
            field="categories",
        )
    if ConsentCategory.BSN in categories and not contact.person.has_bsn:
        categories = [c for c in categories if c != ConsentCategory.BSN]
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=DEFAULT_CONSENT_DAYS)
    if valid_until < today:
        raise ServiceError(_("The consent cannot end in the past."), field="valid_until")
    consent = Consent.objects.create(
        person=contact.person,
        contact=contact,
        partner=partner,
        categories=sorted(set(categories)),
        purpose=_("Warm handover of question %(ref)s to %(partner)s")
        % {"ref": contact.reference, "partner": partner.name},
        method=method,
        valid_until=valid_until,
        recorded_by=user,
    )
    _event(
        contact,
        ContactEvent.Kind.CONSENT_GIVEN,
        user,
        partner=partner.name,
        categories=consent.categories,
        valid_until=valid_until.isoformat(),
    )
    log_processing(
        actor=user, activity="consent", operation="create", obj=consent, persons=[contact.person]
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, user: User | None, note: str = "") -> Consent:
    """Withdrawing consent (by the person in the portal, or recorded by a guide) stops sharing
    at once: a handover still waiting is withdrawn and the question goes back to the guide who
    made it."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        return consent
    if user is not None and user.is_resident:
        if consent.person_id != user.person_id:
            raise NotAllowed(_("This consent is not yours."))
    elif user is not None and not (user.is_front_office or user.is_administrator):
        raise NotAllowed(
            _("Only guides and coordinators can record that the person withdrew consent.")
        )
    if user is not None and user.is_front_office and consent.contact.region_id != user.region_id:
        raise NotAllowed(_("This question belongs to another region."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    _event(
        consent.contact,
        ContactEvent.Kind.CONSENT_WITHDRAWN,
        user,
        note,
        partner=consent.partner.name,
    )
    for handover in consent.handovers.filter(status=HandoverStatus.PENDING):
        _close_pending(handover, user, HandoverStatus.WITHDRAWN, note or _("Consent withdrawn"))
    log_processing(
        actor=user, activity="consent", operation="update", obj=consent, persons=[consent.person]
    )
    return consent


def pickup_deadline(partner: Partner, start=None):
    return add_working_days(
        timezone.localtime(start or timezone.now()), partner.pickup_working_days
    )


@transaction.atomic
def create_handover(
    contact: Contact, user: User, *, partner: Partner, consent: Consent, message: str = ""
) -> Handover:
    _require_front_office(user, contact)
    contact = _lock(contact)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)  # withdrawn meanwhile?
    if consent.contact_id != contact.pk or consent.partner_id != partner.pk:
        raise ServiceError(
            _("The consent must be for this question and this partner."), field="consent"
        )
    if not consent.is_active:
        raise ServiceError(_("The consent has been withdrawn or has expired."), field="consent")
    if not partner.active:
        raise ServiceError(_("This partner no longer takes handovers."), field="partner")
    if partner.pk == werkcentrum_partner(contact.region).pk:
        raise ServiceError(
            _("Hand over to a partner, not to the Werkcentrum itself."), field="partner"
        )
    if contact.status != ContactStatus.OPEN:
        raise Conflict(_("Only an open question can be handed over."))
    now = timezone.now()
    handover = Handover.objects.create(
        contact=contact,
        partner=partner,
        consent=consent,
        message=(message or "").strip(),
        created_by=user,
        created_at=now,
        due_at=pickup_deadline(partner, now),
    )
    _move(contact, ContactStatus.HANDOVER_PENDING, owner_partner=partner)
    _event(
        contact,
        ContactEvent.Kind.HANDED_OVER,
        user,
        handover.message,
        partner=partner.name,
        due_at=handover.due_at.isoformat(),
        handover=handover.pk,
    )
    log_processing(
        actor=user, activity="handover", operation="create", obj=handover, persons=[contact.person]
    )
    audit(user=user, action="handover_created", obj=handover, detail={"partner": partner.code})
    transaction.on_commit(lambda: notifications.partner_new_handover(handover.pk))
    return handover


def _require_partner_employee(user: User, handover: Handover) -> None:
    if not (user.is_partner_employee and user.partner_id == handover.partner_id):
        raise NotAllowed(
            _("Only employees of %(partner)s can do this.") % {"partner": handover.partner.name}
        )


def _decide(handover: Handover, user: User, status: str, **fields) -> Handover:
    """Move a pending handover to a decided status. The conditional UPDATE makes exactly one of
    two simultaneous decisions win, on SQLite and on PostgreSQL alike."""
    now = timezone.now()
    won = Handover.objects.filter(pk=handover.pk, status=HandoverStatus.PENDING).update(
        status=status,
        decided_at=now,
        decided_by=user if getattr(user, "pk", None) else None,
        **fields,
    )
    handover.refresh_from_db()
    if not won:
        who = handover.decided_by or _("someone else")
        raise Conflict(
            _("This handover was already %(status)s by %(who)s at %(at)s.")
            % {
                "status": handover.get_status_display().lower(),
                "who": who,
                "at": timezone.localtime(handover.decided_at).strftime("%d-%m-%Y %H:%M")
                if handover.decided_at
                else "?",
            }
        )
    return handover


@transaction.atomic
def accept_handover(handover: Handover, user: User) -> Handover:
    _require_partner_employee(user, handover)
    if not Consent.objects.filter(pk=handover.consent_id).active().exists():
        raise Conflict(
            _("The person's consent has ended; this handover can no longer be accepted.")
        )
    handover = _decide(handover, user, HandoverStatus.ACCEPTED)
    contact = _lock(handover.contact)
    _move(contact, ContactStatus.HANDED_OVER, owner_partner=handover.partner)
    _event(contact, ContactEvent.Kind.ACCEPTED, user, partner=handover.partner.name)
    audit(user=user, action="handover_accepted", obj=handover)
    log_processing(
        actor=user,
        activity="partner_pickup",
        operation="update",
        obj=handover,
        persons=[contact.person],
    )
    transaction.on_commit(lambda: notifications.resident_handover_accepted(handover.pk))
    return handover


@transaction.atomic
def return_handover(
    handover: Handover, user: User, *, reason: str, suggested_partner: Partner | None = None
) -> Handover:
    """The partner returns the handover; it lands straight back with the guide who made it."""
    _require_partner_employee(user, handover)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why you return this handover."), field="reason")
    if suggested_partner is not None and suggested_partner.pk == handover.partner_id:
        raise ServiceError(
            _("Suggest a partner other than your own organisation."), field="suggested_partner"
        )
    handover = _decide(
        handover,
        user,
        HandoverStatus.RETURNED,
        return_reason=reason,
        suggested_partner=suggested_partner,
    )
    audit(user=user, action="handover_returned", obj=handover, detail={"reason": reason[:200]})
    _back_to_front_office(
        handover,
        user,
        ContactEvent.Kind.RETURNED,
        reason,
        suggested=suggested_partner.name if suggested_partner else "",
    )
    log_processing(
        actor=user,
        activity="partner_pickup",
        operation="update",
        obj=handover,
        persons=[handover.contact.person],
    )
    return handover


def _back_to_front_office(handover: Handover, actor, kind: str, note: str, **data) -> None:
    contact = _lock(handover.contact)
    guide = handover.created_by
    if guide.is_active and guide.is_front_office and guide.region_id == contact.region_id:
        _move(contact, ContactStatus.OPEN, owner_user=guide)
    else:  # the guide left: the Werkcentrum queue owns it so nobody is lost
        _move(contact, ContactStatus.OPEN, owner_partner=werkcentrum_partner(contact.region))
    _event(contact, kind, actor, note, partner=handover.partner.name, **data)


def _close_pending(handover: Handover, user, status: str, note: str) -> Handover:
    handover = _decide(handover, user, status, return_reason=note)
    audit(user=user, action=f"handover_{status}", obj=handover, detail={"note": note[:200]})
    _back_to_front_office(handover, user, ContactEvent.Kind.WITHDRAWN, note)
    return handover


@transaction.atomic
def withdraw_handover(handover: Handover, user: User, reason: str) -> Handover:
    _require_front_office(user, handover.contact)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why you withdraw this handover."), field="reason")
    return _close_pending(handover, user, HandoverStatus.WITHDRAWN, reason)


@transaction.atomic
def reroute_handover(
    handover: Handover, user: User, *, partner: Partner, reason: str
) -> Handover | Contact:
    """Coordinator re-routes: withdraw and, if the person already consented to sharing with the
    new partner, hand over at once; otherwise the question goes back to its guide to ask."""
    withdraw_handover(handover, user, reason)
    consent = (
        Consent.objects.active()
        .filter(contact=handover.contact, partner=partner)
        .order_by("-given_at")
        .first()
    )
    if consent is not None:
        return create_handover(
            handover.contact, user, partner=partner, consent=consent, message=reason
        )
    return handover.contact


@transaction.atomic
def remind_partner(handover: Handover, user: User) -> Handover:
    _require_front_office(user, handover.contact)
    if handover.status != HandoverStatus.PENDING:
        raise Conflict(_("You can only send a reminder for a handover that is still waiting."))
    handover.reminded_at = timezone.now()
    handover.save(update_fields=["reminded_at"])
    _event(handover.contact, ContactEvent.Kind.REMINDED, user, partner=handover.partner.name)
    transaction.on_commit(lambda: notifications.partner_reminder(handover.pk))
    return handover


# -- rules -------------------------------------------------------------------------------------


@transaction.atomic
def save_rules(region: Region, user: User, *, source_text: str, change_note: str) -> RoutingRuleSet:
    """A coordinator publishes a new version of the region's triage rules."""
    if not (user.role == Role.COORDINATOR or user.is_administrator):
        raise NotAllowed(_("Only coordinators can change the triage rules."))
    if user.role == Role.COORDINATOR and user.region_id != region.id:
        raise NotAllowed(_("You can only change the rules of your own region."))
    change_note = (change_note or "").strip()
    if not change_note:
        raise ServiceError(_("Describe the change."), field="change_note")
    try:
        rules: RuleSet = load_rules_toml(source_text)
    except ValueError as exc:
        raise ServiceError(str(exc), field="source_text") from exc
    latest = (
        RoutingRuleSet.objects.select_for_update()
        .filter(region=region)
        .order_by("-version")
        .first()
    )
    version = max(latest.version if latest else 0, rules.version) + 1
    rule_set = RoutingRuleSet.objects.create(
        region=region,
        version=version,
        rules={**rules.to_dict(), "version": version},
        source_text=source_text,
        change_note=change_note,
        created_by=user,
    )
    audit(
        user=user,
        action="rules_changed",
        obj=rule_set,
        detail={"version": version, "note": change_note},
    )
    return rule_set
