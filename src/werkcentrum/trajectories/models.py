"""Career-advice trajectories (basic service): goal, action plan, notes, an outcome to close."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Outcome(models.TextChoices):
    WORK = "work", _("Work")
    TRAINING = "training", pgettext_lazy("trajectory outcome", "Training")
    REFERRED = "referred", _("Referred to a partner")
    STOPPED = "stopped", _("Stopped")


class TrajectoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office or user.is_employer_services:
            return self.filter(contact__region_id=user.region_id)
        return self.none()


class Trajectory(models.Model):
    """Always has an adviser (nobody lost); closing needs an outcome (and a reason when stopped)."""

    contact = models.ForeignKey(
        "frontdoor.Contact", on_delete=models.CASCADE, related_name="trajectories"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trajectories"
    )
    goal = models.TextField(_("goal"))
    plan = models.TextField(_("action plan"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome explained"), blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(closed_at__isnull=True),
                name="one_open_trajectory_per_contact",
            ),
            models.CheckConstraint(
                name="closed_trajectory_has_outcome",
                condition=Q(closed_at__isnull=True, outcome="")
                | Q(closed_at__isnull=False) & ~Q(outcome=""),
            ),
            models.CheckConstraint(
                name="stopped_trajectory_has_reason",
                condition=~Q(outcome="stopped") | ~Q(outcome_note=""),
            ),
        ]

    def __str__(self):
        return f"{self.contact} ({self.adviser})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class TrajectoryNote(models.Model):
    """A note is visible only within the author's organisation (its partner, or the Werkcentrum)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    organisation = models.ForeignKey("regions.Partner", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.trajectory_id} {self.at:%Y-%m-%d}"
