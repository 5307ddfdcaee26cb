"""The outbox: every e-mail the Werkcentrum sends is a row here first.

The row is written in the same transaction as the change it is about, so a rolled-back change
sends nothing and a committed one is never forgotten; the task queue then sends it
(``tasks.send_email``) and records the outcome. Failed rows are the dead-letter list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Optional idempotency key ("appointment-confirmation:42"): one row, one e-mail per key.
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"))
    to = models.JSONField(_("to"), default=list)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    # [[filename, text content, MIME type], ...], e.g. an .ics file.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)  # never contains the body
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]

    def __str__(self):
        return self.subject
