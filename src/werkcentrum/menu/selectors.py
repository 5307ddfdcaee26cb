"""Reads of the service menu: the public list, and the eligible services for a situation.

Every read is a constant number of queries (services with their provider in one query, the
region's municipality names in one more); the eligibility itself is evaluated in memory by
the pure engine.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from werkcentrum.regions.models import Region
from werkcentrum.triage import Situation

from . import eligibility
from .eligibility import Match
from .models import Service


def _json_list_has(field: str, value: str) -> Q:
    """Rows whose JSON list ``field`` holds ``value`` (a plain token), the same on SQLite and
    PostgreSQL (the quoted token in the stored JSON text)."""
    return Q(**{f"{field}__icontains": f'"{value}"'})


def place_names(region: Region) -> dict[str, str]:
    """CBS code -> municipality name for the region (for readable reasons)."""
    return dict(region.municipalities.values_list("code", "name"))


def active_services(region: Region) -> QuerySet[Service]:
    return Service.objects.filter(region=region, active=True).select_related("provider")


def valid_services(region: Region, today: date | None = None) -> QuerySet[Service]:
    """Active services of the region within their validity dates on ``today``."""
    today = today or timezone.localdate()
    return (
        active_services(region)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )


def search(
    region: Region,
    *,
    q: str = "",
    asker: str = "",
    provider: str = "",
    topic: str = "",
    today: date | None = None,
) -> QuerySet[Service]:
    """The public list: valid services matching every given filter, by name. ``asker``:
    services open to residents or employers; ``provider``: partner code; ``topic``: theme."""
    services = valid_services(region, today)
    for term in (q or "").split()[:6]:
        services = services.filter(
            Q(name__icontains=term)
            | Q(description__icontains=term)
            | Q(provider__name__icontains=term)
            | Q(target_groups__icontains=term)
        )
    if asker:
        # an empty askers list means both
        services = services.filter(Q(askers=[]) | _json_list_has("askers", asker))
    if provider:
        services = services.filter(provider__code=provider)
    if topic:
        services = services.filter(_json_list_has("topics", topic))
    return services.order_by("name", "code", "pk")


def eligible_for(
    region: Region,
    situation: Situation,
    *,
    today: date | None = None,
    limit: int | None = None,
    include_possible: bool = True,
) -> list[Match]:
    """The region's services that fit ``situation`` today, best first (see eligibility)."""
    today = today or timezone.localdate()
    matches = eligibility.eligible_services(
        list(valid_services(region, today)),
        situation,
        today,
        place_names=place_names(region),
        include_possible=include_possible,
    )
    return matches[:limit] if limit is not None else matches


def eligible_for_contact(contact, *, today: date | None = None, limit: int | None = None):
    """The eligible services for a front-door contact, from what the guide recorded."""
    from werkcentrum.frontdoor.services import situation_for

    return eligible_for(contact.region, situation_for(contact), today=today, limit=limit)
