"""Writes: target versions. Every change is a NEW ``TargetSet`` version (the newest counts),
in one transaction, with the permission check and an audit-trail entry.

Who may edit: coordinators and managers of the region, and administrators."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.core.errors import Conflict, ServiceError
from werkcentrum.privacy.services import audit

from .models import ReportJob, Target, TargetSet
from .targetfile import Row


def can_view(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_manager or user.is_coordinator or user.is_administrator)
    )


def can_edit_targets(user) -> bool:
    return can_view(user)


def can_drill_down(user) -> bool:
    """Records behind a figure: coordinators (own region) and administrators; not managers."""
    return bool(
        getattr(user, "is_authenticated", False) and (user.is_coordinator or user.is_administrator)
    )


def require_viewer(user, region_id: int | None) -> None:
    require_staff(
        user,
        can_view,
        _("Only managers, coordinators and the programme office can see the monitoring."),
        region_id,
        _("These figures belong to another region."),
    )


def require_target_editor(user, region_id: int | None) -> None:
    require_staff(
        user,
        can_edit_targets,
        _("Only coordinators, managers and the programme office can change targets."),
        region_id,
        _("These targets belong to another region."),
    )


def require_drill_down(user, region_id: int | None) -> None:
    require_staff(
        user,
        can_drill_down,
        _("Only coordinators and administrators can see the records behind a figure."),
        region_id,
        _("These records belong to another region."),
    )


def rows_of(target_set: TargetSet | None) -> set[Row]:
    if target_set is None:
        return set()
    return {Row(t.indicator, t.dimension, t.key, t.value) for t in target_set.targets.all()}


def save_version(
    *,
    region,
    year: int,
    rows: list[Row],
    note: str,
    user=None,
    source: str = "",
    printed_total: int | None = None,
    request=None,
) -> TargetSet:
    """Store ``rows`` as the next version of the region's targets for ``year``."""
    if user is not None:
        require_target_editor(user, region.pk)
    if len({(r.indicator, r.dimension, r.key) for r in rows}) != len(rows):
        raise ServiceError(_("A target appears twice."))
    try:
        with transaction.atomic():
            latest = TargetSet.objects.filter(region=region, year=year).aggregate(v=Max("version"))
            target_set = TargetSet.objects.create(
                region=region,
                year=year,
                version=(latest["v"] or 0) + 1,
                note=note[:300],
                source=source[:300],
                printed_total=printed_total,
                created_by=user,
            )
            Target.objects.bulk_create(
                Target(
                    target_set=target_set,
                    indicator=r.indicator,
                    dimension=r.dimension,
                    key=r.key,
                    value=r.value,
                )
                for r in rows
            )
            if user is not None:
                audit(
                    user=user,
                    action="targets_version_saved",
                    obj=target_set,
                    request=request,
                    detail={"year": year, "version": target_set.version, "rows": len(rows)},
                )
    except IntegrityError as exc:  # two simultaneous edits: one wins
        raise Conflict(_("Someone else saved these targets at the same time; try again.")) from exc
    return target_set


# -- reports asked for in the browser ---------------------------------------------------------

MAX_WAITING_REPORTS = 3  # per person: enough for a quarter and a year side by side
# A report still "being made" after this long lost its worker: it counts as failed.
STUCK_AFTER = timedelta(minutes=15)


def is_stuck(job: ReportJob, now=None) -> bool:
    now = now or timezone.now()
    return (
        job.status == ReportJob.Status.RUNNING
        and job.started_at is not None
        and now - job.started_at > STUCK_AFTER
    )


def request_report(
    *, user, region, kind: str, year: int, quarter: int | None, lang: str = "nl", request=None
) -> ReportJob:
    """Queue a report; the task makes it after the transaction commits. The same report
    already waiting or being made for this person is returned instead of a second one."""
    from . import reports
    from .tasks import make_report

    require_viewer(user, region.pk)
    try:
        reports.period_for(kind, year, quarter)
    except reports.ReportError as exc:
        raise ServiceError(str(exc)) from exc
    quarter = quarter if kind == reports.QUARTERLY else None
    ReportJob.objects.filter(
        requested_by=user,
        status=ReportJob.Status.RUNNING,
        started_at__lt=timezone.now() - STUCK_AFTER,
    ).update(
        status=ReportJob.Status.FAILED,
        error="stuck: the worker stopped",
        finished_at=timezone.now(),
    )
    waiting = ReportJob.objects.filter(
        requested_by=user, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
    )
    same = waiting.filter(region=region, kind=kind, year=year, quarter=quarter, lang=lang).first()
    if same is not None:
        return same
    if waiting.count() >= MAX_WAITING_REPORTS:
        raise Conflict(_("You already have reports being made; wait until they are ready."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            region=region, kind=kind, year=year, quarter=quarter, lang=lang, requested_by=user
        )
        audit(
            user=user,
            action="report_requested",
            obj=job,
            request=request,
            detail={"kind": kind, "year": year, "quarter": quarter},
        )
        transaction.on_commit(lambda: make_report.delay(job.pk), robust=True)
    return job


def require_report_reader(user, job: ReportJob) -> None:
    require_viewer(user, job.region_id)
