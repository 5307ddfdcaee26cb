"""Reports in the browser: ask for one, watch its progress, read or download it.

/monitoring/reports/                 the form and the region's recent reports
/monitoring/reports/<id>/            one report: progress while it is being made, then links
/monitoring/reports/<id>/status/     the progress fragment the page polls (htmx)
/monitoring/reports/<id>/pdf/        the PDF (download)
/monitoring/reports/<id>/html/       the standalone HTML page
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from werkcentrum.core.errors import NotAllowed, ServiceError

from . import services
from .forms import ReportForm
from .models import ReportJob
from .views import _guard, _region

RECENT = 20
# The standalone report page carries its own styles and no scripts.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def _default_quarter(today):
    """The last finished quarter: what a manager reports on."""
    quarter = (today.month - 1) // 3  # 0 in the first quarter: Q4 of last year
    return (today.year, quarter) if quarter else (today.year - 1, 4)


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request):
    region, region_asked = _region(request)
    _guard(services.require_viewer, request.user, region)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.request_report(
                    user=request.user,
                    region=region,
                    kind=data["kind"],
                    year=data["year"],
                    quarter=data["quarter"],
                    lang=data["lang"],
                    request=request,
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                return redirect("monitoring:report", pk=job.pk)
        else:
            status = 400
    else:
        year, quarter = _default_quarter(timezone.localdate())
        form = ReportForm(initial={"kind": "quarterly", "year": year, "quarter": quarter})
    jobs = list(
        ReportJob.objects.filter(region=region)
        .select_related("requested_by")
        .defer("pdf", "html")[:RECENT]
    )
    return render(
        request,
        "monitoring/reports.html",
        {
            "region": region,
            "region_param": region.code if region_asked else "",
            "form": form,
            "jobs": jobs,
        },
        status=status,
    )


def _job(request, pk, *, defer=("pdf", "html")) -> ReportJob:
    job = ReportJob.objects.select_related("region").defer(*defer).filter(pk=pk).first()
    if job is None:
        raise Http404
    try:
        services.require_report_reader(request.user, job)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return job


def _job_context(job: ReportJob) -> dict:
    return {"job": job, "stuck": services.is_stuck(job), "region": job.region}


@require_GET
@login_required
def report_detail(request, pk):
    job = _job(request, pk)
    return render(request, "monitoring/report_job.html", _job_context(job))


@require_GET
@login_required
def report_status(request, pk):
    job = _job(request, pk)
    return render(request, "monitoring/_report_status.html", _job_context(job))


@require_GET
@login_required
def report_pdf(request, pk):
    job = _job(request, pk, defer=("html",))
    if job.status != ReportJob.Status.DONE or not job.pdf:
        messages.info(request, _("That report is not ready yet."))
        return redirect("monitoring:report", pk=job.pk)
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename or "report"}.pdf"'
    return response


@require_GET
@login_required
def report_html(request, pk):
    job = _job(request, pk, defer=("pdf",))
    if job.status != ReportJob.Status.DONE or not job.html:
        messages.info(request, _("That report is not ready yet."))
        return redirect("monitoring:report", pk=job.pk)
    response = HttpResponse(job.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = REPORT_CSP
    return response
