"""Lifecycle rules as data: which status may follow which (one place, used by services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HANDOVER_PENDING = "handover_pending", _("Handed over, waiting for pick-up")
    HANDED_OVER = "handed_over", _("Picked up by partner")
    IN_TRAJECTORY = "in_trajectory", _("In advice trajectory")
    ANSWERED = "answered", _("Answered")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for pick-up")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CONTACT_TRANSITIONS: dict[str, set[str]] = {
    ContactStatus.OPEN: {
        ContactStatus.OPEN,
        ContactStatus.ANSWERED,
        ContactStatus.HANDOVER_PENDING,
        ContactStatus.IN_TRAJECTORY,
    },
    ContactStatus.HANDOVER_PENDING: {
        ContactStatus.HANDED_OVER,
        ContactStatus.OPEN,
        ContactStatus.HANDOVER_PENDING,
    },
    ContactStatus.HANDED_OVER: {ContactStatus.ANSWERED},
    ContactStatus.IN_TRAJECTORY: {ContactStatus.ANSWERED, ContactStatus.IN_TRAJECTORY},
    ContactStatus.ANSWERED: {ContactStatus.OPEN},
}

HANDOVER_TRANSITIONS: dict[str, set[str]] = {
    HandoverStatus.PENDING: {
        HandoverStatus.ACCEPTED,
        HandoverStatus.RETURNED,
        HandoverStatus.WITHDRAWN,
    },
    HandoverStatus.ACCEPTED: set(),
    HandoverStatus.RETURNED: set(),
    HandoverStatus.WITHDRAWN: set(),
}

# Statuses in which a contact must have exactly one owner (a guide or a partner).
OWNED_STATUSES = (
    ContactStatus.OPEN,
    ContactStatus.HANDOVER_PENDING,
    ContactStatus.HANDED_OVER,
    ContactStatus.IN_TRAJECTORY,
)


def can_transition(table: dict[str, set[str]], current: str, new: str) -> bool:
    return new in table.get(current, set())
