"""The dead-letter list of the task queue: /beheer/taken/ shows failed and stuck e-mails and
reports to administrators only, and "send again" / "make again" queue the work once more —
idempotently: pressing twice, or a redelivered task, sends or makes nothing twice."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.monitoring.loader import load_targets
from werkcentrum.monitoring.models import ReportJob
from werkcentrum.monitoring.tasks import make_report
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.services import queue_email
from werkcentrum.outbox.tasks import send_email
from werkcentrum.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

TASKS = reverse("operations:tasks")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def failed_email(db):
    email = OutboundEmail.objects.create(
        subject="Afspraak bevestigd",
        body="Beste Yvonne, geheim 123",
        to=["yvonne@example.org"],
        status=OutboundEmail.Status.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    return email


@pytest.fixture
def failed_report(manager, twente):
    return ReportJob.objects.create(
        region=twente,
        kind="quarterly",
        year=2026,
        quarter=1,
        requested_by=manager,
        status=ReportJob.Status.FAILED,
        error="error: see the log",
        finished_at=timezone.now(),
    )


# -- who may --------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(TASKS)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.parametrize(
    "role", [Role.GUIDE, Role.COORDINATOR, Role.MANAGER, Role.EMPLOYER_ADVISER]
)
def test_only_administrators_see_the_page(client, twente, role, failed_email, failed_report):
    client.force_login(make_user(f"user_{role}", role, twente))
    assert client.get(TASKS).status_code == 403
    for url in (
        reverse("operations:retry_email", args=[failed_email.pk]),
        reverse("operations:retry_all_emails"),
        reverse("operations:retry_report", args=[failed_report.pk]),
    ):
        assert client.post(url).status_code == 403
    failed_email.refresh_from_db()
    failed_report.refresh_from_db()
    assert failed_email.status == "failed" and failed_report.status == "failed"


def test_partner_employees_and_residents_are_refused(client, uwv_employee):
    client.force_login(uwv_employee)
    assert client.get(TASKS).status_code == 403


def test_retry_needs_post(client, administrator, failed_email):
    client.force_login(administrator)
    url = reverse("operations:retry_email", args=[failed_email.pk])
    assert client.get(url).status_code == 405


# -- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_failed_and_stuck_work_with_when_what_attempts_error(
    client, administrator, manager, twente, failed_email, failed_report
):
    long_ago = timezone.now() - timedelta(hours=2)
    stuck_email = OutboundEmail.objects.create(subject="Herinnering workshop", to=["a@b.nl"])
    OutboundEmail.objects.filter(pk=stuck_email.pk).update(created_at=long_ago, attempts=1)
    OutboundEmail.objects.create(subject="Net verstuurd", to=["c@d.nl"], status="sent")
    OutboundEmail.objects.create(subject="Net in de wachtrij", to=["e@f.nl"])
    stuck_report = ReportJob.objects.create(
        region=twente,
        kind="annual",
        year=2025,
        requested_by=manager,
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=20),
    )
    ReportJob.objects.create(
        region=twente, kind="annual", year=2024, requested_by=manager, status="done"
    )
    client.force_login(administrator)

    page = client.get(TASKS).content.decode()

    assert "Background tasks" in page
    assert "Afspraak bevestigd" in page and "Herinnering workshop" in page
    assert "Net verstuurd" not in page and "Net in de wachtrij" not in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "Stuck in the queue" in page and "<td>6</td>" in page
    assert "geheim 123" not in page and "yvonne@example.org" not in page  # no body, no address
    assert "Quarterly report Q1 2026" in page and "error: see the log" in page
    assert "Annual report 2025" in page and "The worker stopped" in page
    assert "Annual report 2024" not in page
    assert reverse("operations:retry_report", args=[stuck_report.pk]) in page
    assert reverse("operations:retry_email", args=[failed_email.pk]) in page


def test_an_empty_list_says_so(client, administrator):
    client.force_login(administrator)
    page = client.get(TASKS).content.decode()
    assert "No failed e-mails." in page and "No failed reports." in page


def test_the_page_is_in_the_administrators_menu(client, administrator, guide):
    client.force_login(administrator)
    assert f'href="{TASKS}"' in client.get(TASKS).content.decode()
    client.force_login(guide)
    page = client.get(reverse("frontdoor:guide_queue")).content.decode()
    assert "Background tasks" not in page and TASKS not in page


# -- trying again -----------------------------------------------------------------------------------


def test_send_again_sends_once_however_often_it_is_pressed(
    client, administrator, failed_email, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    url = reverse("operations:retry_email", args=[failed_email.pk])

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 302 and response.url == TASKS
    failed_email.refresh_from_db()
    assert failed_email.status == "queued" and len(callbacks) == 1

    # Pressed again before the worker ran: nothing more is queued.
    with django_capture_on_commit_callbacks() as again:
        client.post(url)
    assert again == []
    assert "already" in client.get(TASKS).content.decode()

    # The worker runs (and the message is delivered twice by the broker): one e-mail.
    callbacks[0]()
    assert send_email.apply(args=[failed_email.pk]).get() == "skipped"
    failed_email.refresh_from_db()
    assert failed_email.status == "sent" and len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Afspraak bevestigd"
    assert AuditEvent.objects.filter(action="email_requeued", user=administrator).count() == 1

    # Sent now: pressing once more does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mailoutbox) == 1


def test_send_all_again(
    client, administrator, failed_email, mailoutbox, django_capture_on_commit_callbacks
):
    other = OutboundEmail.objects.create(
        subject="Tweede", body="x", to=["b@example.org"], status="failed"
    )
    OutboundEmail.objects.create(subject="Verstuurd", to=["c@example.org"], status="sent")
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("operations:retry_all_emails"))
    assert sorted(m.subject for m in mailoutbox) == ["Afspraak bevestigd", "Tweede"]
    other.refresh_from_db()
    assert other.status == "sent"
    assert "2 e-mails are queued to be sent again." in client.get(TASKS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("operations:retry_all_emails"))
    assert len(mailoutbox) == 2


def test_an_email_that_keeps_failing_ends_on_the_list_again(
    administrator, client, monkeypatch, django_capture_on_commit_callbacks
):
    """The task retries an SMTP error with backoff; after the last retry the e-mail is a dead
    letter again, with the error and the attempts, and the body is never in the error."""

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email("Uw afspraak", "Beste Sara", ["sara@example.org"])
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 6  # one try and five retries
    assert "SMTPServerDisconnected" in email.last_error and "Beste Sara" not in email.last_error
    client.force_login(administrator)
    assert "Uw afspraak" in client.get(TASKS).content.decode()


def test_make_again_requeues_a_failed_report_once(
    client, administrator, failed_report, django_capture_on_commit_callbacks
):
    load_targets("twente")
    client.force_login(administrator)
    url = reverse("operations:retry_report", args=[failed_report.pk])

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
    failed_report.refresh_from_db()
    assert failed_report.status == "queued" and failed_report.error == ""
    assert failed_report.finished_at is None and len(callbacks) == 1

    with django_capture_on_commit_callbacks() as again:
        client.post(url)
    assert again == []  # waiting already: nothing more is queued

    callbacks[0]()  # the worker makes it
    assert make_report(failed_report.pk) == "skipped"  # a redelivered task does nothing
    failed_report.refresh_from_db()
    assert failed_report.status == "done" and bytes(failed_report.pdf).startswith(b"%PDF")
    assert failed_report.requested_by is not None  # still the manager's report
    assert AuditEvent.objects.filter(action="report_requeued", user=administrator).count() == 1

    with django_capture_on_commit_callbacks() as done_already:
        client.post(url)
    assert done_already == []
    assert "Quarterly report Q1 2026" not in client.get(TASKS).content.decode()


def test_make_again_for_a_report_whose_worker_stopped(
    client, administrator, manager, twente, django_capture_on_commit_callbacks
):
    job = ReportJob.objects.create(
        region=twente,
        kind="annual",
        year=2025,
        requested_by=manager,
        status=ReportJob.Status.RUNNING,
        progress=40,
        started_at=timezone.now() - timedelta(minutes=20),
    )
    running = ReportJob.objects.create(
        region=twente,
        kind="annual",
        year=2024,
        requested_by=manager,
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(administrator)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("operations:retry_report", args=[job.pk]))
        client.post(reverse("operations:retry_report", args=[running.pk]))
    job.refresh_from_db()
    running.refresh_from_db()
    assert job.status == "queued" and job.progress == 0 and len(callbacks) == 1
    assert running.status == "running"  # still being made: left alone
