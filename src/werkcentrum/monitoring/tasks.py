"""The task that makes one report asked for in the browser (``ReportJob``).

Idempotent: it claims the job only while it is waiting, so a redelivered or duplicate task does
nothing. Progress is written to the job as it goes (the page polls it). Any error marks the job
failed (the details go to the log, never to the page)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from werkcentrum.config.celery import app

from .models import ReportJob

logger = logging.getLogger(__name__)
Status = ReportJob.Status


@app.task
def make_report(pk: int) -> str:
    """Make report job ``pk``: "done", "failed" or "skipped" (not waiting)."""
    from . import reports

    claimed = ReportJob.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        return "skipped"
    job = ReportJob.objects.select_related("region").get(pk=pk)

    def progress(percent: int, step: str) -> None:
        ReportJob.objects.filter(pk=pk).update(progress=min(max(percent, 1), 99), step=step[:200])

    try:
        report = reports.build(
            job.region, job.kind, job.year, job.quarter, lang=job.lang, progress=progress
        )
        with override(job.lang):
            progress(92, _("Making the PDF"))
        pdf = reports.render_pdf(report)
        html = reports.render_html(report)
    except Exception:  # recorded on the job; the page says it failed, the log says why
        logger.exception("report job %s failed", pk)
        ReportJob.objects.filter(pk=pk).update(
            status=Status.FAILED, error="error: see the log", finished_at=timezone.now()
        )
        return "failed"
    ReportJob.objects.filter(pk=pk, status=Status.RUNNING).update(
        status=Status.DONE,
        progress=100,
        step="",
        title=report.title[:200],
        filename=report.filename[:100],
        pdf=pdf,
        html=html,
        finished_at=timezone.now(),
    )
    return "done"
