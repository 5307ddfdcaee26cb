"""The matching engine's plain data: profiles, weights, filters and results.

Pure Python, no Django. The profiles carry only what a job match may legitimately use (EU AI
Act, Annex III point 4: matching job seekers is high-risk AI). Protected attributes (age, date
of birth, gender, origin, nationality, religion, health, ...) are not fields of these classes,
so they can never become an input; ``tests/matching`` asserts that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

#: Factor names in the fixed order in which contributions are summed (the order matters for
#: bit-for-bit reproducible sums; ``Result.factors`` keeps this order too).
FACTORS: tuple[str, ...] = (
    "occupation",
    "skills",
    "distance",
    "hours",
    "education",
    "work_and_learn",
    "semantic",
)

#: Hard filter names as they appear in ``Result.filters_applied`` and ``Result.excluded_by``.
FILTERS: tuple[str, ...] = (
    "within_travel_radius",
    "available_only",
    "job_agreement_only",
    "min_education",
    "work_fit_only",
)

#: Field names that must never appear on a profile (checked by the tests).
PROTECTED_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "age",
        "gender",
        "sex",
        "nationality",
        "origin",
        "religion",
        "date_of_birth",
        "birth_date",
        "ethnicity",
        "health",
        "disability",
        "marital_status",
        "sexual_orientation",
        "name",
        "photo",
    }
)

EDUCATION_LEVELS: dict[int, str] = {
    0: "none",
    1: "vmbo",
    2: "mbo1",
    3: "mbo2",
    4: "mbo3",
    5: "mbo4",
    6: "hbo",
    7: "wo",
}
MAX_OCCUPATIONS = 3
MAX_HOURS = 80

_ISCO_RE = re.compile(r"^\d{4}$")


class ProfileError(ValueError):
    """A profile, weight set or filter set that the engine cannot use."""


def normalise_label(label: str) -> str:
    """Skill labels compare case- and whitespace-insensitively: ``' Heftruck  Rijden'`` ->
    ``'heftruck rijden'``."""
    return " ".join(str(label).split()).lower()


def normalise_labels(labels) -> tuple[str, ...]:
    """Normalised, de-duplicated (first occurrence kept), empty labels dropped."""
    out: dict[str, None] = {}
    for label in labels:
        norm = normalise_label(label)
        if norm:
            out.setdefault(norm, None)
    return tuple(out)


def _check_int(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProfileError(f"{name} must be an integer in [{low}, {high}], got {value!r}")


def _check_coords(lat, lon) -> None:
    if not (isinstance(lat, int | float) and math.isfinite(lat) and -90 <= lat <= 90):
        raise ProfileError(f"lat must be in [-90, 90], got {lat!r}")
    if not (isinstance(lon, int | float) and math.isfinite(lon) and -180 <= lon <= 180):
        raise ProfileError(f"lon must be in [-180, 180], got {lon!r}")


def _check_isco(value) -> None:
    if not isinstance(value, str) or not _ISCO_RE.match(value):
        raise ProfileError(f"isco_group must be a 4-digit string such as '8332', got {value!r}")


@dataclass(frozen=True)
class CandidateProfile:
    """What the engine may know about a job seeker. No protected attributes, by design.

    ``occupations`` are the (ESCO occupation id, ISCO-08 unit group) pairs the candidate wants,
    at most three (an empty tuple is allowed: the occupation factor is then 0).
    ``education_level``: 0 none, 1 vmbo, 2 mbo1, 3 mbo2, 4 mbo3, 5 mbo4, 6 hbo, 7 wo.
    ``text`` is an optional experience summary, used only by the ``semantic`` factor (weight 0
    by default); advisers must keep it factual (no health, origin, age, ...).
    """

    id: int
    occupations: tuple[tuple[str, str], ...]
    skills: tuple[str, ...]
    education_level: int
    hours_min: int
    hours_max: int
    lat: float
    lon: float
    travel_radius_km: float
    wants_work_and_learn: bool = False
    available: bool = True
    job_agreement_eligible: bool = False
    work_fit: bool = True
    text: str = ""

    def __post_init__(self) -> None:
        _check_int("id", self.id, -(2**63), 2**63 - 1)
        occupations = tuple(tuple(o) for o in self.occupations)
        if len(occupations) > MAX_OCCUPATIONS:
            raise ProfileError(f"at most {MAX_OCCUPATIONS} desired occupations")
        for occ in occupations:
            if len(occ) != 2 or not isinstance(occ[0], str) or not occ[0].strip():
                raise ProfileError(f"occupation must be (esco_id, isco_group), got {occ!r}")
            _check_isco(occ[1])
        object.__setattr__(self, "occupations", tuple((o[0].strip(), o[1]) for o in occupations))
        if isinstance(self.skills, str):
            raise ProfileError("skills must be a sequence of labels, not one string")
        object.__setattr__(self, "skills", normalise_labels(self.skills))
        _check_int("education_level", self.education_level, 0, 7)
        _check_int("hours_min", self.hours_min, 0, MAX_HOURS)
        _check_int("hours_max", self.hours_max, 0, MAX_HOURS)
        if self.hours_min > self.hours_max:
            raise ProfileError("hours_min must not exceed hours_max")
        _check_coords(self.lat, self.lon)
        radius = self.travel_radius_km
        if not (isinstance(radius, int | float) and math.isfinite(radius) and radius > 0):
            raise ProfileError(f"travel_radius_km must be a positive number, got {radius!r}")
        if not isinstance(self.text, str):
            raise ProfileError("text must be a string")


@dataclass(frozen=True)
class VacancyProfile:
    """A vacancy as the engine sees it: one ESCO occupation, must-have (``required_skills``)
    and nice-to-have (``desired_skills``) skills, the minimum education level, the weekly hours
    and the place of work."""

    id: int
    esco_id: str
    isco_group: str
    required_skills: tuple[str, ...]
    desired_skills: tuple[str, ...]
    education_level: int
    hours: int
    lat: float
    lon: float
    work_and_learn: bool = False
    job_agreement: bool = False
    open: bool = True
    text: str = ""

    def __post_init__(self) -> None:
        _check_int("id", self.id, -(2**63), 2**63 - 1)
        if not isinstance(self.esco_id, str) or not self.esco_id.strip():
            raise ProfileError("esco_id must be a non-empty string")
        object.__setattr__(self, "esco_id", self.esco_id.strip())
        _check_isco(self.isco_group)
        for name in ("required_skills", "desired_skills"):
            if isinstance(getattr(self, name), str):
                raise ProfileError(f"{name} must be a sequence of labels, not one string")
        required = normalise_labels(self.required_skills)
        # A skill listed as both must-have and nice-to-have counts once, as must-have.
        desired = tuple(s for s in normalise_labels(self.desired_skills) if s not in required)
        object.__setattr__(self, "required_skills", required)
        object.__setattr__(self, "desired_skills", desired)
        _check_int("education_level", self.education_level, 0, 7)
        _check_int("hours", self.hours, 0, MAX_HOURS)
        _check_coords(self.lat, self.lon)
        if not isinstance(self.text, str):
            raise ProfileError("text must be a string")


@dataclass(frozen=True)
class Weights:
    """Relative factor weights; an adviser may change them per search. Validated non-negative
    and finite; normalised to sum 1 when used (``normalised()``), so only ratios matter."""

    occupation: float = 0.40
    skills: float = 0.25
    distance: float = 0.15
    hours: float = 0.10
    education: float = 0.07
    work_and_learn: float = 0.03
    semantic: float = 0.0

    def __post_init__(self) -> None:
        total = 0.0
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ProfileError(f"weight {f.name} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ProfileError(f"weight {f.name} must be finite and >= 0, got {value!r}")
            total += value
        if total <= 0:
            raise ProfileError("at least one weight must be positive")

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> Weights:
        """Weights from e.g. a search form; unknown names are an error, missing ones default."""
        unknown = set(values) - set(FACTORS)
        if unknown:
            raise ProfileError(f"unknown weight(s): {', '.join(sorted(unknown))}")
        return cls(**{k: float(v) for k, v in values.items()})

    def normalised(self) -> dict[str, float]:
        """Factor name -> weight / sum of weights, in ``FACTORS`` order."""
        raw = [float(getattr(self, name)) for name in FACTORS]
        total = math.fsum(raw)
        return {name: value / total for name, value in zip(FACTORS, raw, strict=True)}


@dataclass(frozen=True)
class Filters:
    """Hard filters. A pair failing a switched-on filter is not ranked at all; ``explain()``
    still scores it and names the filter(s) that excluded it.

    - ``within_travel_radius``: the distance is at most the candidate's travel radius.
    - ``available_only``: the ranked side is available (candidates ``available``; vacancies
      ``open``). The side you search *from* is never filtered.
    - ``job_agreement_only``: a job-agreement (banenafspraak) vacancy only goes to candidates
      eligible for the job agreement; other vacancies are unaffected.
    - ``min_education``: the candidate meets the vacancy's education level (hard instead of
      the soft ``education`` factor).
    - ``work_fit_only``: only work-fit candidates (e.g. the employer-facing portal). Applies to
      ``CandidateIndex`` only; ``VacancyIndex`` ignores it.
    """

    within_travel_radius: bool = True
    available_only: bool = True
    job_agreement_only: bool = False
    min_education: bool = False
    work_fit_only: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            if not isinstance(getattr(self, f.name), bool):
                raise ProfileError(f"filter {f.name} must be True or False")

    def active(self, *, candidate_side: bool = True) -> tuple[str, ...]:
        """Names of the switched-on filters that apply to the given index kind."""
        names = [name for name in FILTERS if getattr(self, name)]
        if not candidate_side:
            names = [n for n in names if n != "work_fit_only"]
        return tuple(names)


@dataclass(frozen=True)
class Result:
    """One ranked (or explained) pair.

    ``score`` is the sum of ``factors`` (contribution = normalised weight x factor score, each
    in [0, weight]); ``factor_scores`` are the raw factor scores in [0, 1]. ``filters_applied``
    names the hard filters in force; ``excluded_by`` (only from ``explain()``) names the ones
    this pair fails: an empty tuple means the pair would be ranked. The score is advice for an
    adviser, never a decision.
    """

    id: int
    score: float
    factors: dict[str, float]
    filters_applied: tuple[str, ...]
    excluded_by: tuple[str, ...] = ()
    factor_scores: dict[str, float] = field(default_factory=dict)
    distance_km: float = 0.0
