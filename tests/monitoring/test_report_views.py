"""Reports in the browser: asked for, made by the task queue with progress, downloaded; who may;
bad input; a failing or stuck job; the task is idempotent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.monitoring import reports, services
from werkcentrum.monitoring.models import ReportJob
from werkcentrum.monitoring.tasks import make_report
from werkcentrum.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

REPORTS = reverse("monitoring:reports")
QUARTERLY = {"kind": "quarterly", "year": "2026", "quarter": "3", "lang": "nl"}


def _ask(client, data=QUARTERLY):
    return client.post(REPORTS, data)


def test_a_manager_asks_for_a_report_and_downloads_it(
    client, manager, targets, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(REPORTS)
    assert page.status_code == 200 and "Make the report" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "monitoring:report", args=[job.pk]
    )
    assert job.status == "done" and job.progress == 100 and job.requested_by == manager
    assert job.title == "Kwartaalrapportage Q3 2026"
    detail = client.get(response.url).content.decode()
    assert "Download the PDF" in detail and "hx-trigger" not in detail
    pdf = client.get(reverse("monitoring:report_pdf", args=[job.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="werkcentrum-twente-2026-q3.pdf"' in pdf["Content-Disposition"]
    html = client.get(reverse("monitoring:report_html", args=[job.pk]))
    assert html.status_code == 200 and "Kwartaalrapportage Q3 2026" in html.content.decode()
    assert html["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script" not in html["Content-Security-Policy"]
    assert AuditEvent.objects.filter(action="report_requested", user=manager).count() == 1
    listing = client.get(REPORTS).content.decode()
    assert "Kwartaalrapportage Q3 2026" in listing and "/pdf/" in listing


def test_progress_is_shown_while_the_report_is_made(client, coordinator, targets):
    client.force_login(coordinator)
    _ask(client)
    job = ReportJob.objects.get()
    assert job.status == "queued"  # the task runs after the commit (not in this test)
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=45, step="Budget")
    fragment = client.get(reverse("monitoring:report_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="45"' in fragment
    assert "Budget" in fragment and "45 percent done" in fragment
    pdf = client.get(reverse("monitoring:report_pdf", args=[job.pk]))
    assert pdf.status_code == 302  # not ready: back to the progress page


def test_asking_twice_gives_the_same_job_and_there_is_a_limit(client, manager, targets):
    client.force_login(manager)
    first = _ask(client).url
    assert _ask(client).url == first and ReportJob.objects.count() == 1
    _ask(client, QUARTERLY | {"quarter": "2"})
    _ask(client, QUARTERLY | {"kind": "annual", "quarter": ""})
    response = _ask(client, QUARTERLY | {"quarter": "1"})
    assert (
        response.status_code == 409
        and "already have reports being made" in response.content.decode()
    )
    assert ReportJob.objects.count() == 3


@pytest.mark.parametrize(
    "data",
    [
        QUARTERLY | {"quarter": ""},
        QUARTERLY | {"year": "1999"},
        QUARTERLY | {"year": "<script>"},
        QUARTERLY | {"kind": "monthly"},
        QUARTERLY | {"lang": "de"},
    ],
)
def test_bad_input_changes_nothing(client, manager, data):
    client.force_login(manager)
    response = _ask(client, data)
    assert response.status_code == 400 and ReportJob.objects.count() == 0
    assert "Please correct the following" in response.content.decode()


def test_who_may_make_and_read_reports(client, twente, achterhoek, guide, uwv_employee, manager):
    job = services.request_report(
        user=manager, region=twente, kind="annual", year=2026, quarter=None
    )
    urls = [REPORTS] + [
        reverse(f"monitoring:{name}", args=[job.pk])
        for name in ("report", "report_status", "report_pdf", "report_html")
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    other = make_user("manager-achterhoek", Role.MANAGER, achterhoek)
    for user in (guide, uwv_employee, other):
        client.force_login(user)
        for url in urls[1:]:
            assert client.get(url).status_code == 403, (user, url)
    for user in (guide, uwv_employee):
        client.force_login(user)
        assert client.get(REPORTS).status_code == 403
        assert _ask(client).status_code == 403
    assert ReportJob.objects.count() == 1
    client.force_login(other)
    assert job.title not in client.get(REPORTS).content.decode() or not job.title
    assert client.get(reverse("monitoring:report", args=[10**9])).status_code == 404


def test_a_failing_report_says_so_without_details(
    client, manager, targets, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("database exploded at /secret/path")

    monkeypatch.setattr(reports, "build", broken)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        url = _ask(client).url
    job = ReportJob.objects.get()
    assert job.status == "failed" and job.finished_at is not None
    page = client.get(url).content.decode()
    assert "could not be made" in page and "Make it again" in page
    assert "exploded" not in page and "Traceback" not in page


def test_a_stuck_report_can_be_made_again(client, manager, targets):
    client.force_login(manager)
    url = _ask(client).url
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now() - timedelta(minutes=20)
    )
    page = client.get(url).content.decode()
    assert "Make it again" in page and "hx-trigger" not in page
    again = _ask(client).url
    assert again != url
    job.refresh_from_db()
    assert job.status == "failed"


def test_the_task_is_idempotent(manager, twente, targets):
    job = services.request_report(
        user=manager, region=twente, kind="quarterly", year=2026, quarter=1
    )
    assert make_report(job.pk) == "done"
    assert make_report(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.pdf).startswith(b"%PDF") and job.html
