"""Writes: the realisation per quarter (the only budget data entered on screen). One
transaction, the permission check, every change in the audit trail; bad input changes nothing.

Who may do what: managers and administrators (the programme office) read and enter; coordinators
read. Everyone only in their own region (administrators everywhere)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.core.errors import Conflict, ServiceError
from werkcentrum.privacy.services import audit

from .budgetfile import MAX_AMOUNT
from .calc import QUARTERS
from .models import Budget, Realisation


def can_view(user) -> bool:
    return bool(user.is_manager or user.is_coordinator or user.is_administrator)


def can_edit(user) -> bool:
    return bool(user.is_manager or user.is_administrator)


def require_viewer(user, region_id: int) -> None:
    require_staff(
        user,
        can_view,
        _("Only managers, coordinators and the programme office can see the budget."),
        region_id,
        _("This budget belongs to another region."),
    )


def require_editor(user, region_id: int) -> None:
    require_staff(
        user,
        can_edit,
        _("Only managers and the programme office can enter the realisation."),
        region_id,
        _("This budget belongs to another region."),
    )


def record_realisation(
    *,
    user,
    budget: Budget,
    year: int,
    quarter: int,
    amounts: Mapping[int, int | None],
    request=None,
) -> int:
    """Set the realisation of ``year`` Q``quarter`` per line (line id -> whole euros; None
    clears an entry). All or nothing; returns the number of lines that changed."""
    require_editor(user, budget.region_id)
    years = set(budget.years.values_list("year", flat=True))
    if year not in years:
        raise ServiceError(_("That year is not part of this budget."), field="year")
    if quarter not in QUARTERS:
        raise ServiceError(_("Choose a quarter from 1 to 4."), field="quarter")
    lines = {line.pk: line for line in budget.lines.all()}
    for line_id, amount in amounts.items():
        if line_id not in lines:
            raise ServiceError(_("That line is not part of this budget."))
        if amount is None:
            continue
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ServiceError(_("Enter whole euros, 0 or more."), field=f"line_{line_id}")
        if amount > MAX_AMOUNT:
            raise ServiceError(_("That amount is too large."), field=f"line_{line_id}")

    changes: dict[str, list[int | None]] = {}
    try:
        with transaction.atomic():
            existing = {
                r.line_id: r
                for r in Realisation.objects.select_for_update().filter(
                    line__budget=budget, year=year, quarter=quarter
                )
            }
            for line_id, amount in amounts.items():
                current = existing.get(line_id)
                old = current.amount if current is not None else None
                if old == amount:
                    continue
                if amount is None:
                    current.delete()
                elif current is None:
                    Realisation.objects.create(
                        line_id=line_id, year=year, quarter=quarter, amount=amount, entered_by=user
                    )
                else:
                    current.amount = amount
                    current.entered_by = user
                    current.save(update_fields=["amount", "entered_by", "entered_at"])
                changes[lines[line_id].code] = [old, amount]
            if changes:
                audit(
                    user=user,
                    action="budget_realisation_recorded",
                    obj=budget,
                    request=request,
                    detail={"year": year, "quarter": quarter, "changes": changes},
                )
    except IntegrityError as exc:  # someone else entered the same quarter at the same moment
        raise Conflict(
            _("Someone else entered this quarter at the same moment. Please try again.")
        ) from exc
    return len(changes)
