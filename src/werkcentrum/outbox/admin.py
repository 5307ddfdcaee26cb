"""The outbox in the admin. Filter on status "Failed" for the dead-letter list; "Send again"
queues the selected failed e-mails once more. The body (personal data) is not shown."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboundEmail
from .services import requeue


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["key", "subject"]
    date_hierarchy = "created_at"
    fields = ["key", "subject", "to", "reply_to", "status", "attempts", "last_error"]
    fields += ["created_at", "sent_at"]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        count = requeue(queryset.filter(status=OutboundEmail.Status.FAILED))
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
