"""Explainable matching of vacancies and job-seeker candidates (pure Python + numpy).

Matching job seekers is high-risk AI under the EU AI Act (Annex III, point 4): every result
names its factor contributions and the hard filters in force, ``explain()`` shows any pair,
and the ranking is advice for an adviser, who decides. Protected attributes are not inputs:
the profiles have no such fields. See docs/matching.md.

    >>> from werkcentrum.matching import CandidateIndex, CandidateProfile, VacancyProfile
    >>> index = CandidateIndex([CandidateProfile(
    ...     id=1, occupations=(("esco-kok", "5120"),), skills=("koken",), education_level=3,
    ...     hours_min=24, hours_max=36, lat=52.22, lon=6.89, travel_radius_km=15)])
    >>> vacancy = VacancyProfile(id=9, esco_id="esco-kok", isco_group="5120",
    ...     required_skills=("koken",), desired_skills=(), education_level=3, hours=32,
    ...     lat=52.22, lon=6.89)
    >>> [(r.id, round(r.score, 2)) for r in index.top(vacancy, k=5)]
    [(1, 0.97)]
"""

from .engine import CandidateIndex, VacancyIndex
from .factors import EARTH_RADIUS_KM, HOURS_DECAY, text_tokens
from .profiles import (
    EDUCATION_LEVELS,
    FACTORS,
    FILTERS,
    PROTECTED_ATTRIBUTES,
    CandidateProfile,
    Filters,
    ProfileError,
    Result,
    VacancyProfile,
    Weights,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "EDUCATION_LEVELS",
    "FACTORS",
    "FILTERS",
    "HOURS_DECAY",
    "PROTECTED_ATTRIBUTES",
    "CandidateIndex",
    "CandidateProfile",
    "Filters",
    "ProfileError",
    "Result",
    "VacancyIndex",
    "VacancyProfile",
    "Weights",
    "text_tokens",
]
