"""Reads for the talent wall: the validated data files and what the region offers per area."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, reverse

from werkcentrum.employers.models import Chain
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from .talentwall import Area, TalentWall, load_wall

logger = logging.getLogger(__name__)

VACANCIES_PER_AREA = 5
TRAININGS_PER_AREA = 3


@lru_cache(maxsize=1)
def wall() -> TalentWall:
    """The bundled statements and areas, with the chains checked against the model's choices."""
    return load_wall(chains=set(Chain.values))


def open_vacancies(region, area: Area, limit: int = VACANCIES_PER_AREA) -> list[Vacancy]:
    """The newest open vacancies in the region for the area's ISCO unit groups."""
    return list(
        Vacancy.objects.filter(
            region=region, status=VacancyStatus.OPEN, isco_group__in=area.isco_groups
        )
        .select_related("employer", "municipality")
        .order_by("-created_at", "-id")[:limit]
    )


def _training_url(training) -> str | None:
    pk = getattr(training, "pk", None)
    if pk is None:
        return None
    try:
        return reverse("training:detail", args=[pk])
    except NoReverseMatch:
        return None


def trainings(region, area: Area, limit: int = TRAININGS_PER_AREA) -> list[dict]:
    """Trainings for the area from the training catalogue, when that module is available.

    Never fails the page: without the module (or its tables) the list is simply empty.
    """
    try:
        from werkcentrum.training.selectors import trainings_for
    except (ImportError, AttributeError):
        return []
    try:
        with transaction.atomic():  # a savepoint: a failing query must not break the request
            found = list(
                trainings_for(
                    region, isco_groups=list(area.isco_groups), sectors=[area.chain], limit=limit
                )
                or []
            )[:limit]
    except (AttributeError, TypeError, DatabaseError):
        logger.warning("training.selectors.trainings_for failed", exc_info=True)
        return []
    return [
        {
            "title": getattr(t, "title", None) or getattr(t, "name", None) or str(t),
            "provider": str(getattr(t, "provider", "") or ""),
            "url": _training_url(t),
        }
        for t in found
    ]
