"""Reads for the screens and the API: scoped by ``visible_to`` and logged when they show
personal data. No per-row queries (select_related / prefetch_related)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from werkcentrum.privacy.bsn import decrypt_bsn, mask_bsn
from werkcentrum.privacy.services import log_processing

from .models import (
    TOPIC_CHOICES,
    Consent,
    ConsentCategory,
    Contact,
    Handover,
    Person,
    TriageOverride,
)
from .states import ContactStatus, HandoverStatus

STALE_OPEN_AFTER = timedelta(days=2)

CONTACT_LIST_RELATED = (
    "person",
    "municipality",
    "walk_in_point",
    "responsible_partner",
    "owner_user",
    "owner_partner",
)

# The queue rows show the person's name and the contact's own fields only: the other relations
# would be loaded for up to 250 rows per page and never read (load test, issue 7).
QUEUE_RELATED = ("person",)


def contact_detail(user, pk: int) -> Contact:
    contact = get_object_or_404(
        Contact.objects.visible_to(user).select_related(
            *CONTACT_LIST_RELATED, "region", "created_by"
        ),
        pk=pk,
    )
    log_processing(actor=user, activity="intake", operation="read", obj=contact)
    return contact


def timeline(contact: Contact):
    return contact.events.select_related("actor").order_by("at", "id")


def handovers_of(contact: Contact):
    return contact.handovers.select_related(
        "partner", "created_by", "decided_by", "suggested_partner", "consent"
    )


def my_queue(user):
    """Open work owned by this guide, oldest first; returned handovers first."""
    latest_handover = Handover.objects.filter(contact=OuterRef("pk")).order_by("-created_at")
    contacts = (
        Contact.objects.visible_to(user)
        .filter(owner_user=user)
        .exclude(status=ContactStatus.ANSWERED)
        .select_related(*QUEUE_RELATED)
        .annotate(last_handover_status=Subquery(latest_handover.values("status")[:1]))
        .annotate(
            returned_first=Case(
                When(
                    status=ContactStatus.OPEN, last_handover_status=HandoverStatus.RETURNED, then=0
                ),
                default=1,
            )
        )
        .order_by("returned_first", "created_at")
    )
    return contacts


def unassigned_queue(user):
    """Questions owned by the region's Werkcentrum (web form, guide gone) waiting for a guide."""
    return (
        Contact.objects.visible_to(user)
        .filter(
            status=ContactStatus.OPEN, owner_user__isnull=True, owner_partner__kind="werkcentrum"
        )
        .select_related(*QUEUE_RELATED)
        .order_by("created_at")
    )


def partner_inbox(user, status: str = HandoverStatus.PENDING):
    """Handovers to the user's own organisation, oldest first, with the due time."""
    if status == HandoverStatus.RETURNED:
        base = Handover.objects.returned_by(user.partner_id if user.is_partner_employee else None)
    else:
        base = Handover.objects.visible_to(user).filter(status=status)
    handovers = base.select_related(
        "contact",
        "contact__person",
        "contact__municipality",
        "partner",
        "consent",
        "created_by",
    ).order_by("due_at" if status == HandoverStatus.PENDING else "-decided_at", "id")
    return handovers


def handover_for_partner(user, pk: int) -> Handover:
    handover = get_object_or_404(
        Handover.objects.visible_to(user).select_related(
            "contact",
            "contact__person",
            "contact__municipality",
            "consent",
            "partner",
            "created_by",
            "contact__walk_in_point",
        ),
        pk=pk,
    )
    if handover.contact.person_id and handover.consent.is_active:
        log_processing(
            actor=user,
            activity="partner_pickup",
            operation="read",
            obj=handover,
            persons=[handover.contact.person],
        )
    return handover


@dataclass(frozen=True)
class SharedField:
    label: str
    value: str


def shared_data(handover: Handover) -> dict[str, list[tuple[str, str]]] | None:
    """Exactly what the consent covers, grouped by category; None when nothing may be shown
    (consent withdrawn or expired, or the handover no longer with this partner)."""
    consent: Consent = handover.consent
    if not consent.is_active or handover.status not in (
        HandoverStatus.PENDING,
        HandoverStatus.ACCEPTED,
    ):
        return None
    contact = handover.contact
    person: Person | None = contact.person
    shared: dict[str, list[tuple[str, str]]] = {}
    if consent.covers(ConsentCategory.CONTACT_DETAILS) and person:
        shared[ConsentCategory.CONTACT_DETAILS] = [
            ("name", person.full_name),
            ("email", person.email),
            ("phone", person.phone),
        ]
    if consent.covers(ConsentCategory.QUESTION):
        labels = dict(TOPIC_CHOICES)
        shared[ConsentCategory.QUESTION] = [
            ("question", contact.question),
            ("topics", ", ".join(str(labels.get(t, t)) for t in contact.topics)),
        ]
    if consent.covers(ConsentCategory.SITUATION):
        shared[ConsentCategory.SITUATION] = [
            ("municipality", str(contact.municipality or "")),
            ("age", str(contact.age or "")),
            ("work_status", contact.get_work_status_display()),
            ("benefit", contact.get_benefit_display()),
        ]
    if consent.covers(ConsentCategory.DATE_OF_BIRTH) and person and person.date_of_birth:
        shared[ConsentCategory.DATE_OF_BIRTH] = [
            ("date_of_birth", person.date_of_birth.strftime("%d-%m-%Y"))
        ]
    if consent.covers(ConsentCategory.BSN) and person and person.has_bsn:
        shared[ConsentCategory.BSN] = [("bsn", decrypt_bsn(person.bsn_encrypted) or "")]
    return shared


def masked_bsn(person: Person) -> str:
    return mask_bsn(decrypt_bsn(person.bsn_encrypted)) if person.has_bsn else ""


@dataclass
class EscalationList:
    overdue: list
    returned: list
    unassigned: list
    stale: list

    @property
    def without_outcome(self) -> int:
        return len(self.unassigned) + len(self.stale)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.returned) + len(self.unassigned) + len(self.stale)


def escalation_list(user, now=None) -> EscalationList:
    """What the coordinator must act on: overdue handovers, returned handovers waiting for a
    guide, questions nobody picked up, and open questions without an outcome for too long."""
    now = now or timezone.now()
    handovers = Handover.objects.visible_to(user).select_related(
        "contact", "contact__person", "partner", "created_by", "contact__owner_user"
    )
    overdue = list(
        handovers.filter(status=HandoverStatus.PENDING, due_at__lt=now).order_by("due_at")
    )
    latest_handover = Handover.objects.filter(contact=OuterRef("pk")).order_by("-created_at", "-id")
    open_contacts = (
        Contact.objects.visible_to(user)
        .filter(status=ContactStatus.OPEN)
        .select_related(*CONTACT_LIST_RELATED)
        .annotate(
            # Coalesce: contacts without any handover must not vanish from exclude() (NULL logic).
            last_handover_status=Coalesce(
                Subquery(latest_handover.values("status")[:1]), Value("")
            ),
            last_handover_partner=Subquery(latest_handover.values("partner__name")[:1]),
            last_return_reason=Subquery(latest_handover.values("return_reason")[:1]),
        )
    )
    returned = list(
        open_contacts.filter(last_handover_status=HandoverStatus.RETURNED).order_by("updated_at")
    )
    unassigned = list(
        open_contacts.filter(owner_user__isnull=True)
        .exclude(last_handover_status=HandoverStatus.RETURNED)
        .order_by("created_at")
    )
    stale = list(
        open_contacts.filter(owner_user__isnull=False, created_at__lt=now - STALE_OPEN_AFTER)
        .exclude(last_handover_status=HandoverStatus.RETURNED)
        .order_by("created_at")
    )
    return EscalationList(overdue=overdue, returned=returned, unassigned=unassigned, stale=stale)


def partner_pickup_stats(user, since=None):
    """Per partner: handovers received, accepted, returned, overdue and mean pick-up hours."""
    since = since or timezone.now() - timedelta(days=7)
    now = timezone.now()
    rows = (
        Handover.objects.visible_to(user)
        .filter(created_at__gte=since)
        .values("partner__name")
        .annotate(
            received=Count("id"),
            accepted=Count("id", filter=Q(status=HandoverStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=HandoverStatus.RETURNED)),
            overdue=Count("id", filter=Q(status=HandoverStatus.PENDING, due_at__lt=now)),
            late=Count("id", filter=Q(decided_at__gt=F("due_at"))),
            pickup=Avg(F("decided_at") - F("created_at"), filter=Q(decided_at__isnull=False)),
        )
        .order_by("-overdue", "-late", "partner__name")
    )
    return list(rows)


def override_stats(user, since=None):
    """Which rules guides override, and to what: input for improving the rules."""
    since = since or timezone.now() - timedelta(days=7)
    overrides = TriageOverride.objects.filter(
        contact__in=Contact.objects.visible_to(user), at__gte=since
    )
    return list(
        overrides.values("rule_id", "proposed_partner__name", "chosen_partner__name")
        .annotate(count=Count("id"))
        .order_by("-count", "rule_id")
    )


def search_persons(user, region, **criteria):
    from .persons import find_matches

    if not (user.is_front_office or user.is_administrator):
        return []
    matches = find_matches(region, **criteria)
    for match in matches:
        log_processing(actor=user, activity="person_lookup", operation="read", obj=match.person)
    return matches
