"""``werkcentrum send_event_reminders``: e-mail a reminder the day before an event.

Idempotent, so it is safe to run often: production schedules it every hour (a cron entry or a
systemd timer, e.g. ``0 * * * * werkcentrum send_event_reminders``), or lets Celery beat run
the same job (``werkcentrum.events.tasks``). The e-mails are queued in the outbox and sent by
the task queue.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send reminder e-mails for events starting within 24 hours (once per registration)."

    def handle(self, *args, **options):
        from werkcentrum.events.services import send_due_reminders

        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
