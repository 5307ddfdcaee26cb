"""What a resident sees in the portal: only what belongs to their own person record.

Every query here filters on ``user.person`` explicitly; there is no way to ask for another
person's data (resident-to-resident leakage is tested)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.appointments.models import Booking
from werkcentrum.frontdoor.models import Consent, Contact, ContactEvent, Handover
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.trajectories.models import Trajectory

from .models import DeletionRequest

Kind = ContactEvent.Kind

# What the person sees of a question's history: the steps, never internal notes or triage.
RESIDENT_EVENTS = {
    Kind.CREATED: _("We received your question."),
    Kind.CLAIMED: _("A guide of the Werkcentrum is working on your question."),
    Kind.ANSWERED: _("Your question has been answered."),
    Kind.ADVICE_STARTED: _("An advice trajectory with a career adviser started."),
    Kind.CONSENT_GIVEN: _("You gave consent to share your data with %(partner)s."),
    Kind.CONSENT_WITHDRAWN: _("Consent for %(partner)s was withdrawn."),
    Kind.HANDED_OVER: _("Your question was passed on to %(partner)s."),
    Kind.ACCEPTED: _("%(partner)s picked up your question and will contact you."),
    Kind.RETURNED: _(
        "%(partner)s is not the right place for your question; your guide finds the right one."
    ),
    Kind.WITHDRAWN: _("The handover to %(partner)s was stopped."),
    Kind.REOPENED: _("Your question was opened again."),
    Kind.NOTIFIED: _("We sent you an e-mail about this."),
}


def _person(user):
    return user.person


def my_questions(user):
    """Own questions, newest first, with their handovers (one query each, no N+1)."""
    return (
        Contact.objects.filter(person=_person(user))
        .select_related("responsible_partner", "region")
        .prefetch_related(
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related("partner").order_by("created_at", "id"),
            ),
            Prefetch("trajectories", queryset=Trajectory.objects.order_by("-started_at")),
        )
        .order_by("-created_at", "-id")
    )


def with_latest_handover(contacts) -> list[Contact]:
    """Attach ``latest_handover`` (from the prefetched handovers: no extra queries)."""
    contacts = list(contacts)
    for contact in contacts:
        handovers = list(contact.handovers.all())
        contact.latest_handover = handovers[-1] if handovers else None
    return contacts


def my_question(user, pk: int) -> Contact:
    return with_latest_handover([get_object_or_404(my_questions(user), pk=pk)])[0]


def timeline(contact: Contact) -> list[dict]:
    steps = []
    for event in contact.events.order_by("at", "id"):
        text = RESIDENT_EVENTS.get(event.kind)
        if text is None:
            continue
        partner = (event.data or {}).get("partner", "")
        steps.append({"at": event.at, "text": str(text) % {"partner": partner}})
    return steps


def my_consents(user):
    return (
        Consent.objects.filter(person=_person(user))
        .select_related("partner", "contact")
        .order_by("-given_at", "-id")
    )


def split_consents(consents) -> tuple[list, list]:
    today = timezone.localdate()
    active, ended = [], []
    for consent in consents:
        live = consent.withdrawn_at is None and consent.valid_until >= today
        (active if live else ended).append(consent)
    return active, ended


def my_processing_log(user):
    """Who processed my data, when and why — from the processing log (the register gives the
    purpose). The resident's own actions are included and marked as such."""
    return (
        ProcessingLogEntry.objects.filter(subject_person=_person(user))
        .select_related("activity")
        .order_by("-at", "-id")
    )


def who(entry: ProcessingLogEntry, user, roles: dict) -> str:
    """Who processed the data, as the person should read it: "you", an organisation, or the
    Werkcentrum with the role (never an employee's name)."""
    if entry.actor_id == user.pk:
        return str(_("You"))
    if entry.actor_organisation:
        return entry.actor_organisation
    if entry.actor_role in ("", "system"):
        return str(_("The system"))
    return f"{_('Werkcentrum')} ({roles.get(entry.actor_role, entry.actor_role)})"


def my_bookings(user):
    return (
        Booking.objects.filter(person=_person(user))
        .select_related("slot__walk_in_point", "slot__adviser")
        .order_by("-slot__starts_at")
    )


def upcoming_bookings(user, now=None):
    now = now or timezone.now()
    return my_bookings(user).booked().filter(slot__ends_at__gt=now).order_by("slot__starts_at")


def open_deletion_request(user) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(person=_person(user)).order_by("-requested_at").first()
