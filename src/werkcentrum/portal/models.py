from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalSearch(models.Model):
    """Every anonymised search by an employer is logged (and counted for the rate limit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    employer = models.ForeignKey("employers.Employer", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    params = models.JSONField(default=dict)
    groups_shown = models.PositiveIntegerField(default=0)
    candidates_covered = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.employer_id} {self.at:%Y-%m-%d %H:%M}"


class ContactRequest(models.Model):
    """An employer asks to get in touch with a group of candidates. It goes to the employer's
    account holder, never to the candidates; the member ids stay on the server."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="contact_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    attributes = models.JSONField()
    member_ids = models.JSONField()
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.employer} {self.created_at:%Y-%m-%d}"
