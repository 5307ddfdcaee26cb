"""``werkcentrum send_appointment_reminders``: e-mail reminders for appointments within 24 h.

Idempotent, so it is safe to run often: production schedules it every 15 minutes (a cron
entry or a systemd timer, e.g. ``*/15 * * * * werkcentrum send_appointment_reminders``), or lets
Celery beat run the same job (``werkcentrum.appointments.tasks``). The e-mails are queued in the
outbox and sent by the task queue.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send reminder e-mails for appointments starting within 24 hours (once each)."

    def handle(self, *args, **options):
        from werkcentrum.appointments.services import send_due_reminders

        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
