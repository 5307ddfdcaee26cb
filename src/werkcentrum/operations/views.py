"""/beheer/taken/: the background tasks that need an administrator.

GET  /beheer/taken/                          failed and stuck e-mails and reports
POST /beheer/taken/emails/<id>/retry/        send one e-mail again
POST /beheer/taken/emails/retry/             send every failed or stuck e-mail again
POST /beheer/taken/reports/<id>/retry/       make one report again
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from werkcentrum.core.errors import NotAllowed

from . import deadletters


def _admin_only(request) -> None:
    try:
        deadletters.require_administrator(request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc


@require_GET
@login_required
def tasks(request):
    _admin_only(request)
    emails = list(deadletters.failed_emails()[: deadletters.LIMIT + 1])
    reports = list(deadletters.failed_reports()[: deadletters.LIMIT + 1])
    return render(
        request,
        "operations/tasks.html",
        {
            "emails": emails[: deadletters.LIMIT],
            "more_emails": len(emails) > deadletters.LIMIT,
            "reports": reports[: deadletters.LIMIT],
            "more_reports": len(reports) > deadletters.LIMIT,
            "limit": deadletters.LIMIT,
        },
    )


@require_POST
@login_required
def retry_email(request, pk):
    _admin_only(request)
    if deadletters.retry_email(request.user, pk, request=request):
        messages.success(request, _("The e-mail is queued to be sent again."))
    else:
        messages.info(request, _("Nothing to do: that e-mail was sent or is queued already."))
    return redirect("operations:tasks")


@require_POST
@login_required
def retry_all_emails(request):
    _admin_only(request)
    count = deadletters.retry_all_emails(request.user, request=request)
    messages.success(
        request,
        ngettext(
            "%(count)d e-mail is queued to be sent again.",
            "%(count)d e-mails are queued to be sent again.",
            count,
        )
        % {"count": count},
    )
    return redirect("operations:tasks")


@require_POST
@login_required
def retry_report(request, pk):
    _admin_only(request)
    if deadletters.retry_report(request.user, pk, request=request):
        messages.success(request, _("The report is queued to be made again."))
    else:
        messages.info(request, _("Nothing to do: that report is ready or waiting already."))
    return redirect("operations:tasks")
