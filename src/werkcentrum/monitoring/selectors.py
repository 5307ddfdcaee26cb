"""Reads of the targets: the version in force per year (the newest), and its rows."""

from __future__ import annotations

from .models import TargetSet


def current_set(region, year: int) -> TargetSet | None:
    return (
        TargetSet.objects.filter(region=region, year=year)
        .select_related("created_by")
        .order_by("-version")
        .first()
    )


def versions(region, year: int) -> list[TargetSet]:
    return list(
        TargetSet.objects.filter(region=region, year=year)
        .select_related("created_by")
        .order_by("-version")
    )


def target_years(region) -> list[int]:
    return sorted(set(TargetSet.objects.filter(region=region).values_list("year", flat=True)))


def targets_of(target_set: TargetSet | None) -> dict[tuple[str, str, str], int]:
    """(indicator, dimension, key) -> value of one version."""
    if target_set is None:
        return {}
    return {(t.indicator, t.dimension, t.key): t.value for t in target_set.targets.all()}
