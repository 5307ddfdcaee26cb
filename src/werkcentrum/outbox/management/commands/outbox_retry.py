"""``werkcentrum outbox_retry``: queue failed e-mails once more, after fixing the cause.

Also hands over e-mails still queued after an hour (the broker was down when they were
queued; the retries of a task take a quarter of an hour at most). Sending is idempotent,
so running it twice, or while workers are busy, sends nothing twice.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.services import requeue

STALE_AFTER = timedelta(hours=1)


class Command(BaseCommand):
    help = "Queue failed e-mails again, and e-mails still queued after an hour."

    def handle(self, *args, **options):
        Status = OutboundEmail.Status
        stale = Q(status=Status.QUEUED, created_at__lt=timezone.now() - STALE_AFTER)
        count = requeue(OutboundEmail.objects.filter(Q(status=Status.FAILED) | stale))
        self.stdout.write(f"{count} e-mail(s) queued again")
