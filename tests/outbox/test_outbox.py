"""The outbox: queue in the caller's transaction, send after commit (in-process, "eager", in
tests), once per key, retried on SMTP trouble and marked failed after the last attempt."""

import io
import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from werkcentrum.outbox import tasks
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.services import queue_email
from werkcentrum.outbox.tasks import send_email

pytestmark = pytest.mark.django_db

BODY = "Beste Yvonne,\n\nUw afspraak staat.\n"
Status = OutboundEmail.Status


def queue(**extra):
    return queue_email("Uw afspraak", BODY, ["yvonne@example.org"], **extra)


@pytest.fixture
def failing_smtp(monkeypatch):
    """The mail server fails the first ``calls["fail"]`` sends (default: all of them)."""
    calls = {"n": 0, "fail": 10**6}
    send = EmailBackend.send_messages

    def send_messages(self, messages):
        calls["n"] += 1
        if calls["n"] <= calls["fail"]:
            raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed ({BODY})")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return calls


def test_queued_email_is_sent_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue(
            reply_to="guide@example.org", attachments=[("a.ics", "BEGIN", "text/calendar")]
        )
        assert mailoutbox == [] and email.status == Status.QUEUED  # not before the commit
    assert len(callbacks) == 1
    (message,) = mailoutbox
    assert (message.subject, message.body, message.to) == (
        "Uw afspraak",
        BODY,
        ["yvonne@example.org"],
    )
    assert message.reply_to == ["guide@example.org"]
    assert message.attachments == [("a.ics", "BEGIN", "text/calendar")]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 1, "")
    assert email.sent_at is not None


def test_no_recipients_no_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_email("Leeg", BODY, ["", None]) is None
        assert queue_email("Leeg", BODY, []) is None
    assert mailoutbox == [] and not OutboundEmail.objects.exists()


def test_duplicate_recipients_get_one_copy(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email("Twee", BODY, ["a@example.org", "b@example.org", "a@example.org"])
    assert email.to == ["a@example.org", "b@example.org"]
    assert mailoutbox[0].to == ["a@example.org", "b@example.org"]


def test_a_rolled_back_transaction_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue()
            raise RuntimeError("the change that queued the e-mail fails")
    assert mailoutbox == [] and not OutboundEmail.objects.exists()


def test_the_same_key_is_one_row_and_one_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(key="appointment-confirmation:42")
        again = queue(key="appointment-confirmation:42")
    with django_capture_on_commit_callbacks(execute=True):
        later = queue(key="appointment-confirmation:42")  # also after it was sent
    assert first.pk == again.pk == later.pk
    assert OutboundEmail.objects.count() == 1 and len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        queue(key="appointment-confirmation:43")
    assert len(mailoutbox) == 2


def test_sending_twice_sends_once(mailoutbox):
    email = OutboundEmail.objects.create(subject="Eén keer", body=BODY, to=["a@example.org"])
    assert send_email.apply(args=[email.pk]).result == "sent"
    assert send_email.apply(args=[email.pk]).result == "skipped"  # a redelivered task
    assert send_email(email.pk) == "skipped"
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


def test_smtp_trouble_is_retried_until_it_works(
    mailoutbox, failing_smtp, django_capture_on_commit_callbacks
):
    failing_smtp["fail"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 3, "")
    assert len(mailoutbox) == 1


def test_after_the_last_retry_the_email_is_marked_failed_without_its_body(
    mailoutbox, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == failing_smtp["n"] == 1 + tasks.MAX_RETRIES
    assert email.last_error.startswith("SMTPServerDisconnected: Connection unexpectedly closed")
    assert BODY not in email.last_error
    assert mailoutbox == []
    # A failed e-mail is not sent by a late duplicate task either.
    failing_smtp["fail"] = 0
    assert send_email(email.pk) == "skipped" and mailoutbox == []


def test_backoff_grows_exponentially():
    assert [tasks.backoff(n) for n in range(tasks.MAX_RETRIES)] == [30, 60, 120, 240, 480]


def test_other_errors_fail_at_once(mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    def broken(self, messages):
        raise ValueError("no such template")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.last_error == "ValueError: no such template"


def test_outbox_retry_queues_failed_and_stuck_emails_again(
    mailoutbox, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        failed = queue(key="failed")
    failing_smtp["fail"] = 0  # the mail server is back
    stuck = OutboundEmail.objects.create(subject="Vast", body=BODY, to=["b@example.org"])
    recent = OutboundEmail.objects.create(subject="Net", body=BODY, to=["c@example.org"])
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        created_at=stuck.created_at - timedelta(hours=2)
    )
    assert OutboundEmail.objects.get(pk=failed.pk).status == Status.FAILED

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outbox_retry", stdout=out)
    assert out.getvalue().strip() == "2 e-mail(s) queued again"
    assert sorted(m.to[0] for m in mailoutbox) == ["b@example.org", "yvonne@example.org"]
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {failed.pk: "sent", stuck.pk: "sent", recent.pk: "queued"}
    assert OutboundEmail.objects.get(pk=failed.pk).attempts == 1 + tasks.MAX_RETRIES + 1

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outbox_retry", stdout=out)
    assert out.getvalue().strip() == "0 e-mail(s) queued again"
    assert len(mailoutbox) == 2


def test_admin_lists_failed_emails_without_their_body_and_sends_them_again(
    client, administrator, mailoutbox, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        failed = queue()
        queue_email("Gelukt", "Verstuurd.", ["d@example.org"])  # fails too: the server is down
    OutboundEmail.objects.exclude(pk=failed.pk).update(status=Status.SENT)
    client.force_login(administrator)
    url = reverse("admin:outbox_outboundemail_changelist")

    page = client.get(url, {"status__exact": "failed"})  # the dead-letter list
    assert page.status_code == 200
    html = page.content.decode()
    assert "Uw afspraak" in html and "SMTPServerDisconnected" in html and "Gelukt" not in html
    assert "Uw afspraak staat" not in html
    detail = client.get(reverse("admin:outbox_outboundemail_change", args=[failed.pk]))
    assert detail.status_code == 200 and "Uw afspraak staat" not in detail.content.decode()

    failing_smtp["fail"] = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert [m.subject for m in mailoutbox] == ["Uw afspraak"]
