from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingActivity(models.Model):
    """An entry of the processing register (verwerkingsregister)."""

    code = models.SlugField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    data_categories = models.JSONField(_("data categories"), default=list)
    retention = models.CharField(_("retention"), max_length=200)

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    def __str__(self):
        return self.name


class Operation(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")


class ProcessingLogEntry(models.Model):
    """One processing of one data subject's personal data, in the spirit of the VNG
    'Logboek dataverwerkingen': who, when, which activity, which subject, which object."""

    activity = models.ForeignKey(
        ProcessingActivity, on_delete=models.PROTECT, related_name="log_entries"
    )
    operation = models.CharField(max_length=10, choices=Operation.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_role = models.CharField(max_length=30, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    subject_person = models.ForeignKey(
        "frontdoor.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processing_log",
    )
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    trace_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("processing log entry")
        verbose_name_plural = _("processing log")
        indexes = [models.Index(fields=["subject_person", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.activity_id} {self.operation} {self.object_type}:{self.object_id}"


class AuditEvent(models.Model):
    """Audit trail of user actions (logins, changes, administrative acts)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
