"""The one check behind every "only this kind of staff, only in their own region" rule."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from werkcentrum.core.errors import NotAllowed


def require_staff(
    user,
    allowed: Callable[[object], bool],
    message: str,
    region_id: int | None = None,
    other_region_message: str | None = None,
) -> None:
    """Raise NotAllowed unless ``allowed(user)`` holds and, when a region is given, the user
    works in that region. Administrators pass everywhere (their reads are logged)."""
    if user.is_administrator:
        return
    if not allowed(user):
        raise NotAllowed(message)
    if region_id is not None and user.region_id != region_id:
        raise NotAllowed(other_region_message or _("This belongs to another region."))
