"""The application's lifecycle as data: which status may follow which (used by services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMMITTED = "committed", _("Committed")
    COMPLETED = "completed", _("Training completed")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.COMMITTED, S.WITHDRAWN}),
    S.COMMITTED: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.COMPLETED: frozenset({S.PAID}),
    S.REJECTED: frozenset(),
    S.PAID: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# At most one of these per person at a time (a partial unique index).
OPEN_STATUSES = (S.SUBMITTED, S.APPROVED, S.COMMITTED, S.COMPLETED)
# A granted voucher: counts for "once per period" (a voucher withdrawn before payment does not).
GRANTED_STATUSES = (S.APPROVED, S.COMMITTED, S.COMPLETED, S.PAID)
# Statuses the applicant may still withdraw from; fund staff may also withdraw a commitment.
APPLICANT_WITHDRAWABLE = (S.SUBMITTED, S.APPROVED)
STAFF_WITHDRAWABLE = (S.SUBMITTED, S.APPROVED, S.COMMITTED)

# The steps an applicant sees, in order.
STEPS = (S.SUBMITTED, S.APPROVED, S.COMMITTED, S.COMPLETED, S.PAID)


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())
