"""Writes: target versions. Every change is a NEW ``TargetSet`` version (the newest counts),
in one transaction, with the permission check and an audit-trail entry.

Who may edit: coordinators and managers of the region, and administrators."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.core.errors import Conflict, ServiceError
from werkcentrum.privacy.services import audit

from .models import Target, TargetSet
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
