"""What residents ask of the Werkcentrum about their own data (AVG art. 17)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionStatus(models.TextChoices):
    OPEN = "open", _("Received, being handled")
    DONE = "done", _("Deleted")
    REFUSED = "refused", _("Not (fully) possible, reason given")


class DeletionRequest(models.Model):
    """A resident's request to be forgotten. The data protection officer handles it within a
    month; what the law requires to be kept (placements counted in reports) is explained."""

    person = models.ForeignKey(
        "frontdoor.Person",
        null=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
    )
    reference = models.CharField(max_length=20, unique=True)
    reason = models.TextField(_("reason (optional)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeletionStatus.choices, default=DeletionStatus.OPEN
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer to the resident"), blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_deletion_request_per_person",
            )
        ]

    def __str__(self):
        return self.reference
