"""``queue_email``: the one way the Werkcentrum sends an e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from .models import OutboundEmail


def queue_email(
    subject: str,
    body: str,
    to: Iterable[str],
    *,
    reply_to: str | None = None,
    key: str | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
) -> OutboundEmail | None:
    """Queue an e-mail in the caller's transaction; it is handed to the task queue on commit.

    Returns None when there is no recipient. With a ``key`` ("appointment-reminder:42") the
    same message queued twice is one row and one e-mail: the existing row is returned.
    ``attachments`` are ``(filename, text content, MIME type)`` triples.
    """
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return None
    fields = {
        "subject": str(subject)[:500],
        "body": str(body),
        "to": recipients,
        "reply_to": reply_to or "",
        "attachments": [list(attachment) for attachment in attachments],
    }
    if key is None:
        email = OutboundEmail.objects.create(**fields)
    else:
        email, created = OutboundEmail.objects.get_or_create(key=key, defaults=fields)
        if not created:
            return email
    dispatch_on_commit(email.pk)
    return email


def dispatch_on_commit(pk: int) -> None:
    """Hand the e-mail to the task queue once the transaction commits (at once outside one).

    Robust: when the broker is down the row stays queued and ``werkcentrum outbox_retry``
    hands it over again; the change that queued it is committed either way.
    """

    def send_email_task() -> None:
        from .tasks import send_email  # imports Celery only when an e-mail is actually sent

        send_email.delay(pk)

    transaction.on_commit(send_email_task, robust=True)


def requeue(emails) -> int:
    """Queue the given e-mails (a queryset) once more unless already sent; returns how many."""
    with transaction.atomic():
        pks = list(
            emails.exclude(status=OutboundEmail.Status.SENT)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=pks).update(status=OutboundEmail.Status.QUEUED)
        for pk in pks:
            dispatch_on_commit(pk)
    return len(pks)
