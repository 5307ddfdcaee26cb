"""Writes to the service menu: a coordinator's edit and the administrator's approval record.

A change to what a service *is* (texts, eligibility, validity) bumps its version and marks it
"awaiting PHA approval" until an administrator records the approval of the portfolio holders'
meeting (approved_by, approved_on). Operational status (places left, budget available) can
change without a new version: it is what a guide must see before a referral.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from werkcentrum.frontdoor.errors import ServiceError

from .models import Service

STATUS_FIELDS = ("places_left", "budget_available")


def can_edit(user, service: Service) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_coordinator or user.is_administrator)
        and (user.region_id == service.region_id or user.is_superuser)
    )


def can_approve(user, service: Service) -> bool:
    return bool(
        user.is_authenticated
        and user.is_administrator
        and (user.region_id in (None, service.region_id) or user.is_superuser)
    )


@transaction.atomic
def edit_service(service: Service, user, changes: dict) -> bool:
    """Apply ``changes`` (field -> value) to ``service``. Returns True when the content
    changed (new version, awaiting approval); status-only changes keep the version."""
    if not can_edit(user, service):
        raise ServiceError(_("Only a coordinator of this region can change the service menu."))
    service = Service.objects.select_for_update().get(pk=service.pk)
    changed = {k: v for k, v in changes.items() if getattr(service, k) != v}
    if not changed:
        return False
    capacity = changed.get("capacity", service.capacity)
    places_left = changed.get("places_left", service.places_left)
    if places_left is not None and (capacity is None or places_left > capacity):
        raise ServiceError(
            _("Places left cannot be more than the places per period."), "places_left"
        )
    for key, value in changed.items():
        setattr(service, key, value)
    content_changed = any(key not in STATUS_FIELDS for key in changed)
    if content_changed:
        service.version += 1
        service.approved_by = ""
        service.approved_on = None
    service.edited_by = user
    service.save()
    return content_changed


@transaction.atomic
def record_approval(service: Service, user, *, approved_by: str, approved_on: date) -> None:
    """Record the PHA's approval of the current version."""
    if not can_approve(user, service):
        raise ServiceError(_("Only an administrator can record an approval."))
    approved_by = " ".join((approved_by or "").split())
    if not approved_by:
        raise ServiceError(_("Say who approved it (e.g. the PHA)."), "approved_by")
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.approved_by = approved_by[:200]
    service.approved_on = approved_on
    service.edited_by = user
    service.save(update_fields=["approved_by", "approved_on", "edited_by", "updated_at"])
