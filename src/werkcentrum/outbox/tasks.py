"""The task that sends one queued e-mail (``OutboundEmail``).

Idempotent and safe with several workers: the first statement is a conditional update that
claims the row only while it is queued and keeps it locked until the outcome is recorded, so a
second worker (a redelivery, a duplicate task) waits and then finds it sent. SMTP and
connection errors are retried with exponential backoff; after the last retry, or at once on
any other error, the row is marked failed with the error (never the body).
"""

from __future__ import annotations

import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from werkcentrum.config.celery import app

from .models import OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status

MAX_RETRIES = 5
# Temporary trouble worth another try: the mail server refused, hung up or could not be reached.
RETRYABLE = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)


def backoff(retries: int) -> int:
    """Seconds before the next attempt: 30 s, 1, 2, 4 and 8 minutes."""
    return 30 * 2**retries


def describe(exc: BaseException, body: str) -> str:
    """The error for ``last_error``: its type and message, never the e-mail's body."""
    text = f"{type(exc).__name__}: {exc}"
    if body.strip():
        text = text.replace(body, "[body]")
    return text[:1000]


def _message(email: OutboundEmail) -> EmailMessage:
    message = EmailMessage(
        email.subject,
        email.body,
        settings.DEFAULT_FROM_EMAIL,
        email.to,
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    for filename, content, mimetype in email.attachments:
        message.attach(filename, content, mimetype)
    return message


@app.task(bind=True, max_retries=MAX_RETRIES)
def send_email(self, pk: int) -> str:
    """Send ``OutboundEmail`` ``pk`` once: "sent", "skipped" (not queued) or "failed"; raises
    celery's Retry when it tries again later."""
    with transaction.atomic():
        # Claim and lock: only a queued row is sent, and only by one worker at a time.
        claimed = OutboundEmail.objects.filter(pk=pk, status=Status.QUEUED).update(
            attempts=F("attempts") + 1
        )
        if not claimed:
            return "skipped"  # sent already, failed (re-queue with outbox_retry) or deleted
        email = OutboundEmail.objects.get(pk=pk)
        error = None
        try:
            _message(email).send(fail_silently=False)
        except Exception as exc:  # recorded on the row below; never lost, never the body
            error = exc
        if error is None:
            email.status, email.sent_at, email.last_error = Status.SENT, timezone.now(), ""
        else:
            retry = isinstance(error, RETRYABLE) and self.request.retries < MAX_RETRIES
            email.status = Status.QUEUED if retry else Status.FAILED
            email.last_error = describe(error, email.body)
        email.save(update_fields=["status", "sent_at", "last_error"])
    if error is None:
        return "sent"
    if email.status == Status.FAILED:
        logger.error(
            "e-mail %s failed after %s attempt(s): %s", pk, email.attempts, email.last_error
        )
        return "failed"
    logger.warning(
        "e-mail %s attempt %s failed, retrying: %s", pk, email.attempts, email.last_error
    )
    raise self.retry(countdown=backoff(self.request.retries))
