"""Reads of the training catalogue: the public search and suggestions for the talent wall."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from werkcentrum.regions.models import Municipality, Region

from .models import Level, Training

MAX_TERMS = 6
NORMALISER_MIN_SCORE = 0.75  # only a confident occupation match widens a text search


def _json_list_has(field: str, values: Iterable[str]) -> Q:
    """Rows whose JSON list ``field`` holds one of ``values``.

    The codes are plain tokens (ISCO digits, funding slugs), so matching the quoted token in
    the stored JSON text works the same on SQLite (no JSON ``contains``) and PostgreSQL.
    """
    condition = Q(pk__in=[])
    for value in values:
        condition |= Q(**{f"{field}__icontains": f'"{value}"'})
    return condition


def _occupation_groups(q: str) -> list[str]:
    """The ISCO group of the best ESCO match for ``q`` if confident ("chauffeur" -> 8332)."""
    from werkcentrum.occupations.normalise import default_normaliser

    matches = default_normaliser().normalise(q, top=1)
    return [m.isco_group for m in matches if m.score >= NORMALISER_MIN_SCORE]


def search(
    region: Region,
    *,
    q: str = "",
    level: str = "",
    sector: str = "",
    learning_form: str = "",
    funding: str = "",
    max_cost: int | None = None,
    max_weeks: int | None = None,
    municipality: Municipality | str | None = None,
) -> QuerySet[Training]:
    """Active trainings of ``region`` matching every given filter, by title.

    ``q``: every word must occur in the title, provider, description or place, or the
    training leads to the occupation ``q`` names. ``municipality`` (a Municipality or CBS
    code): trainings there plus the online/region-wide ones (no municipality).
    """
    trainings = Training.objects.filter(region=region, active=True).select_related("municipality")
    q = (q or "").strip()
    if q:
        text = Q()
        for term in q.split()[:MAX_TERMS]:
            text &= (
                Q(title__icontains=term)
                | Q(provider__icontains=term)
                | Q(description__icontains=term)
                | Q(municipality__name__icontains=term)
            )
        groups = _occupation_groups(q)
        trainings = trainings.filter(text | _json_list_has("isco_groups", groups))
    if level:
        trainings = trainings.filter(level=level)
    if sector:
        trainings = trainings.filter(sector=sector)
    if learning_form:
        trainings = trainings.filter(learning_form=learning_form)
    if funding:
        trainings = trainings.filter(_json_list_has("funding", [funding]))
    if max_cost is not None:
        trainings = trainings.filter(cost_eur__lte=max_cost)
    if max_weeks is not None:
        trainings = trainings.filter(duration_weeks__lte=max_weeks)
    if municipality:
        code = municipality if isinstance(municipality, str) else municipality.code
        trainings = trainings.filter(Q(municipality__code=code) | Q(municipality__isnull=True))
    return trainings.order_by("title", "provider", "pk")


def trainings_for(
    region: Region,
    *,
    isco_groups: Iterable[str] = (),
    sectors: Iterable[str] = (),
    limit: int = 5,
) -> list[Training]:
    """Up to ``limit`` active trainings of ``region`` for a candidate profile: first those
    leading to one of ``isco_groups`` (most groups in common first), then those in one of
    ``sectors``; within each, lower level and shorter duration first (quickest way to work)."""
    groups = {g for g in isco_groups if g}
    sectors = {s for s in sectors if s}
    if limit <= 0 or not (groups or sectors):
        return []
    candidates = Training.objects.filter(region=region, active=True).filter(
        _json_list_has("isco_groups", sorted(groups)) | Q(sector__in=sorted(sectors))
    )
    level_rank = {value: rank for rank, value in enumerate(Level.values)}

    def rank(training: Training):
        common = len(groups.intersection(training.isco_groups))
        return (
            0 if common else 1,
            -common,
            level_rank.get(training.level, len(level_rank)),
            training.duration_weeks,
            training.title,
            training.pk,
        )

    return sorted(candidates.select_related("municipality"), key=rank)[:limit]
