"""The factor scores, vectorised. Every function is elementwise (numpy broadcasting), returns
float64 in [0, 1], and gives bit-identical results for a row whether it is computed in a full
column or in a gathered subset — the exact acceleration in ``engine.py`` relies on that.

Factor definitions (docs/matching.md has the rationale):

- occupation: best over the candidate's desired occupations of 1.0 same ESCO occupation,
  0.7 same ISCO unit group (4 digits), 0.4 same minor group (3), 0.2 same sub-major group (2),
  else 0.
- skills: (|required ∩ cand| + 0.5·|desired ∩ cand|) / (|required| + 0.5·|desired|); 1.0 if the
  vacancy lists no skills.
- distance: haversine km d; 1 − d/radius (candidate's travel radius), 0 beyond.
- hours: 1 if the vacancy's hours lie in [hours_min, hours_max], else linearly down to 0 at
  16 hours outside.
- education: 1 if the candidate's level ≥ the vacancy's, 0.5 one level below, else 0.
- work_and_learn: 1 if the vacancy offers working-and-learning and the candidate wants it,
  0.5 if it offers it and the candidate has not asked for it, 0 if it does not offer it.
- semantic: cosine of the two free texts' word sets (optional; weight 0 by default).
"""

from __future__ import annotations

import re

import numpy as np

EARTH_RADIUS_KM = 6371.0088
HOURS_DECAY = 16.0
OCCUPATION_LEVELS = {"esco": 1.0, "isco4": 0.7, "isco3": 0.4, "isco2": 0.2}

_WORD = re.compile(r"\w+", re.UNICODE)
#: Frequent Dutch function words that say nothing about work.
STOPWORDS = frozenset(
    """aan als bij dan dat de deze die dit door een en er het heb hebben heeft hij hem
    ik in is je jij kan kon maar me met mijn na naar niet nog nu of om onder ook op over
    te tot uit van veel voor was wat we wel werd wie wij wordt zal ze zij zijn zo zoals
    the and for with""".split()
)


def text_tokens(text: str) -> tuple[str, ...]:
    """Distinct lower-case words of at least three characters, stopwords removed."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
            seen.setdefault(word, None)
    return tuple(seen)


def isco_codes(isco_group: str) -> tuple[int, int, int]:
    """'8332' -> (8332, 833, 83): unit, minor and sub-major group as integers (4-digit codes
    keep their leading zeros apart because the width is fixed)."""
    unit = int(isco_group)
    return unit, unit // 10, unit // 100


def occupation_score(c_esco, c_isco4, c_isco3, c_isco2, v_esco, v_isco4, v_isco3, v_isco2):
    """Best level over the last axis (the candidate's desired-occupation slots). Empty slots
    hold -1 and never match (vacancy-side codes are >= 0, unknown ESCO ids -2)."""
    level = np.where(
        c_esco == v_esco,
        1.0,
        np.where(
            c_isco4 == v_isco4,
            0.7,
            np.where(c_isco3 == v_isco3, 0.4, np.where(c_isco2 == v_isco2, 0.2, 0.0)),
        ),
    )
    return level.max(axis=-1)


def haversine_km(lat_rad_a, lon_rad_a, cos_lat_a, lat_rad_b, lon_rad_b, cos_lat_b):
    """Great-circle distance in km from radians and pre-computed cos(latitude)."""
    s_lat = np.sin((lat_rad_b - lat_rad_a) * 0.5)
    s_lon = np.sin((lon_rad_b - lon_rad_a) * 0.5)
    a = s_lat * s_lat + (cos_lat_a * cos_lat_b) * (s_lon * s_lon)
    return (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def distance_score(distance_km, radius_km):
    """1 at the door, linearly down to 0 at the travel radius, 0 beyond (radius > 0)."""
    return np.maximum(0.0, 1.0 - distance_km / radius_km)


def hours_score(hours, hours_min, hours_max):
    """1 within [min, max]; the gap outside decays linearly to 0 at HOURS_DECAY hours."""
    gap = np.maximum(np.maximum(hours_min - hours, hours - hours_max), 0.0)
    return np.maximum(0.0, 1.0 - gap / HOURS_DECAY)


def education_score(candidate_level, required_level):
    """1 at or above the required level, 0.5 one level below, 0 further below."""
    short = required_level - candidate_level
    return np.where(short <= 0, 1.0, np.where(short == 1, 0.5, 0.0))


def work_and_learn_score(vacancy_offers, candidate_wants):
    """1 offered and wanted, 0.5 offered (candidate has not asked), 0 not offered."""
    return np.where(vacancy_offers, np.where(candidate_wants, 1.0, 0.5), 0.0)


def skills_score(numerator, denominator):
    """Weighted share of the vacancy's skills the candidate has; 1.0 if it lists none."""
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 1.0)


def semantic_score(shared, count_a, count_b):
    """Cosine similarity of two word sets: shared / sqrt(|A|·|B|), 0 if either is empty."""
    product = count_a * count_b
    safe = np.where(product > 0, product, 1.0)
    return np.where(product > 0, np.minimum(shared / np.sqrt(safe), 1.0), 0.0)


def combine(contributions: list) -> np.ndarray:
    """Sum contributions left to right in FACTORS order (fixed order => reproducible floats)."""
    total = contributions[0]
    for part in contributions[1:]:
        total = total + part
    return total
