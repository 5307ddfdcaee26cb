"""Writes for trajectories. Starting one goes through frontdoor.services.start_advice (one
place for the contact's lifecycle); this module plans, notes, reassigns and closes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.regions.selectors import werkcentrum_partner

from .models import Outcome, Trajectory, TrajectoryNote


def organisation_of(user, region):
    """The organisation whose notes a user may read: their partner, else the Werkcentrum."""
    return user.partner if user.partner_id else werkcentrum_partner(region)


def _require_staff(user, trajectory: Trajectory) -> None:
    require_staff(
        user,
        lambda u: u.is_front_office or u.is_employer_services,
        _("Only advisers can work on a trajectory."),
        trajectory.contact.region_id,
        _("This trajectory belongs to another region."),
    )


def _lock(trajectory: Trajectory) -> Trajectory:
    return Trajectory.objects.select_for_update().select_related("contact").get(pk=trajectory.pk)


@transaction.atomic
def update_plan(trajectory: Trajectory, user, *, goal: str, plan: str) -> Trajectory:
    _require_staff(user, trajectory)
    trajectory = _lock(trajectory)
    if not trajectory.is_open:
        raise Conflict(_("This trajectory is closed."))
    if not (goal or "").strip():
        raise ServiceError(_("Describe the goal."), field="goal")
    trajectory.goal, trajectory.plan = goal.strip(), (plan or "").strip()
    trajectory.save(update_fields=["goal", "plan"])
    return trajectory


@transaction.atomic
def add_note(trajectory: Trajectory, user, text: str) -> TrajectoryNote:
    _require_staff(user, trajectory)
    if not (text or "").strip():
        raise ServiceError(_("The note is empty."), field="text")
    return TrajectoryNote.objects.create(
        trajectory=trajectory,
        author=user,
        text=text.strip(),
        organisation=organisation_of(user, trajectory.contact.region),
    )


def notes_for(trajectory: Trajectory, user):
    """Only the notes of the reader's own organisation."""
    return trajectory.notes.filter(
        organisation=organisation_of(user, trajectory.contact.region)
    ).select_related("author")


@transaction.atomic
def reassign(trajectory: Trajectory, user, adviser) -> Trajectory:
    _require_staff(user, trajectory)
    if not (user.is_coordinator or user.is_administrator or user.pk == trajectory.adviser_id):
        raise NotAllowed(
            _("Only the adviser or a coordinator can hand the trajectory to someone else.")
        )
    if not (
        adviser.is_active
        and adviser.region_id == trajectory.contact.region_id
        and (adviser.is_front_office or adviser.is_employer_services)
    ):
        raise ServiceError(_("Choose an active adviser of this region."), field="adviser")
    trajectory = _lock(trajectory)
    trajectory.adviser = adviser
    trajectory.save(update_fields=["adviser"])
    frontdoor.move_trajectory_contact(trajectory.contact, user, adviser)
    return trajectory


@transaction.atomic
def close(trajectory: Trajectory, user, *, outcome: str, note: str = "") -> Trajectory:
    """A trajectory closes only with an outcome (a reason when stopped); the question is then
    answered with that outcome in its timeline."""
    _require_staff(user, trajectory)
    if outcome not in Outcome.values:
        raise ServiceError(_("Choose the outcome."), field="outcome")
    note = (note or "").strip()
    if outcome == Outcome.STOPPED and not note:
        raise ServiceError(_("Say why the trajectory stopped."), field="note")
    trajectory = _lock(trajectory)
    if not trajectory.is_open:
        raise Conflict(_("This trajectory is already closed."))
    trajectory.outcome, trajectory.outcome_note, trajectory.closed_at = (
        outcome,
        note,
        timezone.now(),
    )
    trajectory.save(update_fields=["outcome", "outcome_note", "closed_at"])
    summary = f"{Outcome(outcome).label}" + (f": {note}" if note else "")
    frontdoor.finish_trajectory_contact(trajectory.contact, user, summary)
    return trajectory
