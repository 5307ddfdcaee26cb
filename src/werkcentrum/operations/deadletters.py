"""What failed in the background, and queueing it again (``views`` is the page)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from werkcentrum.core.errors import NotAllowed
from werkcentrum.monitoring.models import ReportJob
from werkcentrum.monitoring.services import STUCK_AFTER
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.services import requeue
from werkcentrum.privacy.services import audit

# An e-mail still queued after this long was never picked up (the broker was down): the
# retries of one task take a quarter of an hour at most. The same as `werkcentrum outbox_retry`.
EMAIL_STUCK_AFTER = timedelta(hours=1)
# A report still waiting after this long was never picked up (the broker was down).
REPORT_WAITING_TOO_LONG = timedelta(hours=1)
LIMIT = 200  # rows per list; the page says when there are more


def require_administrator(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_administrator):
        raise NotAllowed("Only administrators can see and restart background tasks.")


def _email_dead(now=None) -> Q:
    now = now or timezone.now()
    Status = OutboundEmail.Status
    return Q(status=Status.FAILED) | Q(status=Status.QUEUED, created_at__lt=now - EMAIL_STUCK_AFTER)


def _report_dead(now=None) -> Q:
    now = now or timezone.now()
    Status = ReportJob.Status
    return (
        Q(status=Status.FAILED)
        | Q(status=Status.RUNNING, started_at__lt=now - STUCK_AFTER)
        | Q(status=Status.QUEUED, created_at__lt=now - REPORT_WAITING_TOO_LONG)
    )


def failed_emails() -> QuerySet[OutboundEmail]:
    """Failed e-mails and e-mails stuck in the queue, newest first (the body is not loaded)."""
    return OutboundEmail.objects.filter(_email_dead()).defer("body", "attachments")


def failed_reports() -> QuerySet[ReportJob]:
    """Failed reports, reports whose worker stopped, and reports never picked up."""
    return (
        ReportJob.objects.filter(_report_dead())
        .select_related("region", "requested_by")
        .defer("pdf", "html")
    )


def retry_email(user, pk: int, request=None) -> bool:
    """Queue one failed or stuck e-mail again; False when there was nothing to do (sent
    meanwhile, already queued again, or gone)."""
    require_administrator(user)
    with transaction.atomic():
        count = requeue(OutboundEmail.objects.filter(_email_dead(), pk=pk))
        if count:
            audit(user=user, action="email_requeued", request=request, detail={"email": pk})
    return bool(count)


def retry_all_emails(user, request=None) -> int:
    """Queue every failed or stuck e-mail again (what `werkcentrum outbox_retry` does)."""
    require_administrator(user)
    with transaction.atomic():
        count = requeue(OutboundEmail.objects.filter(_email_dead()))
        if count:
            audit(user=user, action="emails_requeued", request=request, detail={"count": count})
    return count


def retry_report(user, pk: int, request=None) -> bool:
    """Make a failed or stuck report again: the same job goes back to waiting and the task is
    queued after the commit. False when there was nothing to do (done, or already waiting)."""
    from werkcentrum.monitoring.tasks import make_report

    require_administrator(user)
    with transaction.atomic():
        requeued = (
            ReportJob.objects.filter(_report_dead(), pk=pk)
            .exclude(status=ReportJob.Status.DONE)
            .update(
                status=ReportJob.Status.QUEUED,
                progress=0,
                step="",
                error="",
                started_at=None,
                finished_at=None,
            )
        )
        if requeued:
            audit(user=user, action="report_requeued", request=request, detail={"report": pk})
            transaction.on_commit(lambda: make_report.delay(pk), robust=True)
    return bool(requeued)
