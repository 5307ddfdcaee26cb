"""Two workers run the task for the same e-mail at the same moment (real PostgreSQL, real
threads, each with its own connection): the second waits for the first and sends nothing."""

import threading
import time

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.tasks import send_email

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_workers_send_one_email_once(mailoutbox, monkeypatch, is_postgres):
    assert is_postgres
    email = OutboundEmail.objects.create(subject="Eén keer", body="Hallo", to=["a@example.org"])
    sending, release = threading.Event(), threading.Event()
    send = EmailBackend.send_messages

    def slow_send(self, messages):  # the first worker is still talking to the mail server
        sending.set()
        assert release.wait(timeout=30)
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    results = {}

    def worker(name):
        try:
            # .result, not .get(): a Celery worker may have run in this process before
            results[name] = send_email.apply(args=[email.pk]).result
        finally:
            connection.close()

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert sending.wait(timeout=30)
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    deadline = time.monotonic() + 30  # a guard, not a timed assertion
    while not waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert waiting_on_a_lock(), "the second worker should wait for the first one's claim"
    release.set()
    for thread in (first, second):
        thread.join(timeout=30)
        assert not thread.is_alive()

    assert results == {"first": "sent", "second": "skipped"}
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
