"""The matching engine (engine.py, pure numpy) fed from the database.

One index per region and direction lives in each process. Before every search it catches up
with what changed since its last sync (rows with a newer ``updated_at``): a profile or vacancy
that changes is upserted, one that lost consent, availability or its open status is removed.
So every app server stays current without a message bus, and a change costs O(changes).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Max

from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from . import engine


def _point(municipality) -> tuple[float, float]:
    if municipality is None or municipality.lat is None:
        return (0.0, 0.0)
    return (municipality.lat, municipality.lon)


def candidate_profile(c: CandidateProfile) -> engine.CandidateProfile:
    lat, lon = _point(c.municipality)
    return engine.CandidateProfile(
        id=c.pk,
        occupations=tuple((o["esco_id"], o["isco_group"]) for o in c.occupations),
        skills=tuple(s.lower() for s in c.skills),
        education_level=c.education_level,
        hours_min=c.hours_min,
        hours_max=c.hours_max,
        lat=lat,
        lon=lon,
        travel_radius_km=float(c.travel_radius_km),
        wants_work_and_learn=c.wants_work_and_learn,
        available=c.available,
        job_agreement_eligible=c.job_agreement_eligible,
        work_fit=c.work_fit,
        text=c.summary,
    )


def vacancy_profile(v: Vacancy) -> engine.VacancyProfile:
    lat, lon = _point(v.municipality)
    return engine.VacancyProfile(
        id=v.pk,
        esco_id=v.esco_id,
        isco_group=v.isco_group,
        required_skills=tuple(s.lower() for s in v.required_skills),
        desired_skills=tuple(s.lower() for s in v.desired_skills),
        education_level=v.education_level,
        hours=v.hours,
        lat=lat,
        lon=lon,
        work_and_learn=v.work_and_learn,
        job_agreement=v.job_agreement,
        open=v.status == VacancyStatus.OPEN,
        text=v.description,
    )


SYNC_OVERLAP = timedelta(minutes=5)


@dataclass
class _Synced:
    index: object
    synced_to: object  # the newest updated_at seen
    count: int


_lock = threading.Lock()
_candidate_indexes: dict[int, _Synced] = {}
_vacancy_indexes: dict[int, _Synced] = {}


def _matchable_candidates(region_id):
    return CandidateProfile.objects.filter(region_id=region_id).select_related("municipality")


def _is_matchable(c: CandidateProfile) -> bool:
    return c.has_consent


def _sync(cache, region_id, queryset, to_profile, keep, make_index) -> object:
    with _lock:
        state = cache.get(region_id)
        newest = queryset.aggregate(m=Max("updated_at"))["m"]
        total = queryset.count()
        if state is None or total < state.count:
            # First use, or rows were deleted (retention runs): rebuild from scratch. Views also
            # skip ids that no longer exist, so a delete between two syncs never breaks a page.
            index = make_index([to_profile(row) for row in queryset if keep(row)])
            cache[region_id] = state = _Synced(index, newest, total)
            return state.index
        changed = newest is not None and (state.synced_to is None or newest > state.synced_to)
        if changed or total != state.count:
            # Re-read an overlap window: a transaction that stamped its row a little before the
            # newest value we saw may have committed only now. Upserts are idempotent.
            since = state.synced_to - SYNC_OVERLAP if state.synced_to else None
            for row in queryset.filter(updated_at__gt=since) if since else queryset:
                if keep(row):
                    state.index.upsert(to_profile(row))
                else:
                    state.index.remove(row.pk)
            state.synced_to = max(filter(None, [newest, state.synced_to]), default=None)
        state.count = total
        return state.index


def candidate_index(region_id) -> engine.CandidateIndex:
    return _sync(
        _candidate_indexes,
        region_id,
        _matchable_candidates(region_id),
        candidate_profile,
        _is_matchable,
        engine.CandidateIndex,
    )


def vacancy_index(region_id) -> engine.VacancyIndex:
    queryset = Vacancy.objects.filter(region_id=region_id).select_related("municipality")
    return _sync(
        _vacancy_indexes,
        region_id,
        queryset,
        vacancy_profile,
        lambda v: v.status == VacancyStatus.OPEN,
        engine.VacancyIndex,
    )


def reset_indexes() -> None:
    """Forget all in-process indexes (tests, and after bulk loads)."""
    with _lock:
        _candidate_indexes.clear()
        _vacancy_indexes.clear()


def candidates_for(
    vacancy: Vacancy, top: int = 50, weights=None, filters=None
) -> list[engine.Result]:
    return candidate_index(vacancy.region_id).top(
        vacancy_profile(vacancy),
        k=top,
        weights=weights or engine.Weights(),
        filters=filters or engine.Filters(),
    )


def vacancies_for(
    candidate: CandidateProfile, top: int = 50, weights=None, filters=None
) -> list[engine.Result]:
    return vacancy_index(candidate.region_id).top(
        candidate_profile(candidate),
        k=top,
        weights=weights or engine.Weights(),
        filters=filters or engine.Filters(),
    )


def result_dict(result: engine.Result) -> dict:
    """The CLI/API shape. Unrounded, so the factors add up to the score exactly as computed."""
    return {
        "id": result.id,
        "score": result.score,
        "factors": dict(result.factors),
        "filters_applied": list(result.filters_applied),
    }
