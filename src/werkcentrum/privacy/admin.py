from django.contrib import admin

from .models import AuditEvent, ProcessingActivity, ProcessingLogEntry


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "legal_basis", "retention"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcessingLogEntry)
class ProcessingLogEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "activity",
        "operation",
        "actor",
        "actor_role",
        "object_type",
        "object_id",
    ]
    list_filter = ["activity", "operation", "actor_role"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
