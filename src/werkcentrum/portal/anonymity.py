"""k-anonymity for the employer portal (pure Python, no Django).

Employers search work-fit candidates without seeing who they are (like the former
"Twenteportaal"). Every shown attribute combination must be shared by at least ``k``
candidates (default 5, minimum 2): the attributes are generalised along their hierarchies
until no shown profile is rarer than that, and the few candidates that still do not fit
(at most ``max_suppression`` of them, default 5 %) are left out and counted.

The shown attributes (quasi-identifiers) and their hierarchies (``default_hierarchies``)::

    occupation      ESCO label -> ISCO unit group (4 digits) -> minor (3) -> sub-major (2) -> *
    place           municipality -> subregion -> region -> *
    education       geen/basisonderwijs ... wo -> tot en met vmbo / mbo-1/2 / mbo-3/4 / hbo/wo -> *
    hours           "24–32" -> ≤16 / 17–24 / 25–32 / 33–40 -> part-time / full-time -> *
    experience      years -> 0–1 / 2–5 / 6–10 / >10 -> *
    work_and_learn  yes / no -> *

There is no age, gender, origin or any other protected attribute, and records carrying one
are refused (``PROTECTED_ATTRIBUTES``); so is any key that is not ``id`` or a hierarchy.

Algorithm (full-domain generalisation, optimal over the lattice): every attribute is shown
at one level for the whole result; the level vectors form a lattice (5×4×3×4×3×2 = 1440
nodes for the default hierarchies). A node is *feasible* when the records in groups smaller
than k number at most ``floor(max_suppression · n)``. Feasibility is monotone (generalising
merges groups, so a node above a feasible node is feasible) because groups are keyed by the
value's whole path up the hierarchy, which makes every hierarchy a tree even when two
occupations share a label. Among the feasible nodes ``anonymise`` returns the one with the
least information loss ``Σ w_i · level_i / height_i`` with priority weights ``w_i = 2^(m-1-i)``
(i = position in ``priority``): fully generalising an attribute costs more than fully
generalising all later attributes together, while partial steps can still be traded (occupation
at ISCO unit-group level plus a known subregion beats the exact ESCO label with everything
else "*" when that is what k allows). Ties go to the node that keeps attributes earlier in
``priority`` more specific. The search is a branch-and-bound over the lattice and exact:
single-attribute counts rule out levels that are too specific on their own; then each check
of a node either proves it feasible (only nodes with less loss stay candidates) or infeasible
(its whole down-set is dropped), and the next node to check is the one that removes the most
candidates in the worse of the two outcomes. A check counts the group
sizes in one pass over the records (integer keys, ``collections.Counter``).

Complexity: encoding O(n · m) plus the level functions once per distinct raw value; each
check O(n); a few dozen checks for realistic data (never more than the lattice size), and
O(|lattice|²/64) word operations for the bookkeeping (bitsets). Output O(n log n).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from numbers import Real
from operator import add
from typing import Any, NamedTuple

TOP = "*"
MIN_K = 2
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSION = 0.05
DEFAULT_PRIORITY = ("occupation", "place", "education", "hours", "experience", "work_and_learn")

# Words that must never name an attribute of a portal record: protected grounds (equal
# treatment law) and direct identifiers. Any key other than "id" and the hierarchies is
# refused anyway; these get a message that says why.
PROTECTED_ATTRIBUTES = frozenset(
    {
        "age", "leeftijd", "birth", "birthdate", "birthday", "dob", "geboortedatum",
        "geboortejaar", "geboorteland", "gender", "sex", "geslacht", "origin", "herkomst",
        "ethnicity", "etniciteit", "race", "nationality", "nationaliteit", "religion",
        "religie", "geloof", "disability", "handicap", "beperking", "health", "gezondheid",
        "pregnancy", "zwangerschap", "orientation", "marital", "burgerlijke", "name", "naam",
        "bsn", "address", "adres", "postcode", "email", "phone", "telefoon",
    }
)  # fmt: skip

EDUCATION_LEVELS = ("geen/basisonderwijs", "vmbo", "mbo-1", "mbo-2", "mbo-3", "mbo-4", "hbo", "wo")
EDUCATION_BANDS = {
    "geen/basisonderwijs": "tot en met vmbo",
    "vmbo": "tot en met vmbo",
    "mbo-1": "mbo-1/2",
    "mbo-2": "mbo-1/2",
    "mbo-3": "mbo-3/4",
    "mbo-4": "mbo-3/4",
    "hbo": "hbo/wo",
    "wo": "hbo/wo",
}
HOURS_BANDS = ("≤16", "17–24", "25–32", "33–40")  # by the midpoint of the wish; >40 counts as 33–40
PART_TIME, FULL_TIME = "part-time", "full-time"
EXPERIENCE_BANDS = ("0–1", "2–5", "6–10", ">10")  # years ≤1, ≤5, ≤10, more
YES, NO = "yes", "no"


class AnonymisationError(ValueError):
    """Invalid input: a bad record, a protected attribute, a bad hierarchy or parameter."""


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Hierarchy:
    """A generalisation hierarchy: ``levels[0]`` is the most specific, the last returns "*".

    Level functions must be pure (they are called once per distinct raw value) and return
    strings. Levels need not be nested functions of each other: groups are keyed by the
    value's path from its level to the top, so the lattice is monotone regardless.
    """

    name: str
    levels: tuple[Callable[[Any], str], ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name == "id":
            raise AnonymisationError(f"invalid hierarchy name {self.name!r}")
        levels = tuple(self.levels)
        if not levels or not all(callable(level) for level in levels):
            raise AnonymisationError(f"hierarchy {self.name!r} needs at least one callable level")
        object.__setattr__(self, "levels", levels)

    @property
    def height(self) -> int:
        return len(self.levels) - 1

    def generalise(self, value: Any, level: int) -> str:
        return self.levels[level](value)


@dataclass(frozen=True)
class AnonymisedGroup:
    """One shown profile. ``member_ids`` are never shown to employers: they route an employer's
    "ask for contact" to the adviser."""

    attributes: dict[str, str]
    count: int
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class AnonymisedResult:
    groups: tuple[AnonymisedGroup, ...]
    levels: dict[str, int]
    suppressed: int
    k: int

    @property
    def shown(self) -> int:
        return sum(group.count for group in self.groups)


class Occupation(NamedTuple):
    """A raw occupation value; a mapping with "label" and "isco_group" (or "isco") works too."""

    label: str
    isco_group: str


# --------------------------------------------------------------------------- default hierarchies


def _occupation(value: Any) -> tuple[str, str]:
    if isinstance(value, Mapping):
        label, isco = value.get("label"), value.get("isco_group", value.get("isco"))
    elif isinstance(value, tuple | list) and len(value) == 2:
        label, isco = value
    else:
        raise AnonymisationError(f"occupation must be (label, isco_group), not {value!r}")
    if not isinstance(label, str) or not label.strip():
        raise AnonymisationError(f"occupation label must be a non-empty string, not {label!r}")
    if not isinstance(isco, str) or not re.fullmatch(r"\d{4}", isco):
        raise AnonymisationError(f"ISCO unit group must be four digits, not {isco!r}")
    return label.strip(), isco


def _education(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(EDUCATION_LEVELS):
            return EDUCATION_LEVELS[value]
    elif isinstance(value, str):
        text = re.sub(r"\s+", " ", value.strip().lower())
        if text in {"geen", "basisonderwijs", "geen/basisonderwijs", "geen / basisonderwijs"}:
            return EDUCATION_LEVELS[0]
        match = re.fullmatch(r"mbo[ -]?([1-4])", text)
        if match:
            return f"mbo-{match.group(1)}"
        if text in EDUCATION_BANDS:
            return text
    raise AnonymisationError(f"unknown education level {value!r}")


def _number(value: Any, what: str, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise AnonymisationError(f"{what} must be a number, not {value!r}")
    if not 0 <= value <= upper:
        raise AnonymisationError(f"{what} must be between 0 and {upper:g}, not {value!r}")
    return value


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _hours(value: Any) -> tuple[float, float]:
    if isinstance(value, str):
        parts = re.split(r"\s*[-–]\s*", value.strip())
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            raise AnonymisationError(f"hours must look like '24–32', not {value!r}") from None
        value = tuple(numbers) if len(numbers) == 2 else numbers[0] if len(numbers) == 1 else value
    if isinstance(value, tuple | list) and len(value) == 2:
        low, high = (_number(part, "hours", 168) for part in value)
    else:
        low = high = _number(value, "hours", 168)
    if low > high:
        raise AnonymisationError(f"hours range {value!r} runs backwards")
    return low, high


def _hours_exact(value: Any) -> str:
    low, high = _hours(value)
    return _fmt(low) if low == high else f"{_fmt(low)}–{_fmt(high)}"


def _hours_band(value: Any) -> str:
    low, high = _hours(value)
    middle = (low + high) / 2
    for limit, band in zip((16, 24, 32), HOURS_BANDS, strict=False):
        if middle <= limit:
            return band
    return HOURS_BANDS[-1]


def _hours_kind(value: Any) -> str:
    return FULL_TIME if _hours_band(value) == HOURS_BANDS[-1] else PART_TIME


def _experience_band(value: Any) -> str:
    years = _number(value, "experience", 80)
    for limit, band in zip((1, 5, 10), EXPERIENCE_BANDS, strict=False):
        if years <= limit:
            return band
    return EXPERIENCE_BANDS[-1]


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"yes", "ja", "y", "j", "true"}:
            return YES
        if text in {"no", "nee", "n", "false"}:
            return NO
    raise AnonymisationError(f"work_and_learn must be yes or no, not {value!r}")


def _top(_value: Any) -> str:
    return TOP


def default_hierarchies(
    subregion_of: Mapping[str, str],
    region_of: Mapping[str, str],
    isco_labels: Mapping[str, str] | None = None,
) -> dict[str, Hierarchy]:
    """The six portal hierarchies, in ``DEFAULT_PRIORITY`` order.

    ``subregion_of`` maps a municipality (as it appears in the records: CBS code or name) to
    its subregion; ``region_of`` maps a subregion (or, failing that, a municipality) to its
    region. ``isco_labels`` optionally labels ISCO codes of 2, 3 or 4 digits ("2512" ->
    "2512 Softwareontwikkelaars"). Raw values:

    - occupation: ``(label, isco_group)``, ``Occupation`` or ``{"label", "isco_group"}``;
    - place: a municipality key of ``subregion_of``;
    - education: one of ``EDUCATION_LEVELS`` (or its index 0..7, as in the vacancy model);
    - hours: a number, ``(min, max)`` or "24–32"; banded by the midpoint of the wish;
    - experience: years (number ≥ 0);
    - work_and_learn: a bool (or "yes"/"no"/"ja"/"nee").
    Invalid values raise ``AnonymisationError``.
    """
    subregions = dict(subregion_of)
    regions = dict(region_of)
    labels = dict(isco_labels or {})

    def isco(code: str) -> str:
        label = labels.get(code)
        return f"{code} {label}" if label else code

    def municipality(value: Any) -> str:
        if not isinstance(value, str) or value not in subregions:
            raise AnonymisationError(f"unknown municipality {value!r}")
        return value

    def region(value: Any) -> str:
        subregion = subregions[municipality(value)]
        found = regions.get(subregion, regions.get(value))
        if found is None:
            raise AnonymisationError(f"no region for subregion {subregion!r}")
        return found

    occupation = Hierarchy(
        "occupation",
        (
            lambda value: _occupation(value)[0],
            lambda value: isco(_occupation(value)[1]),
            lambda value: isco(_occupation(value)[1][:3]),
            lambda value: isco(_occupation(value)[1][:2]),
            _top,
        ),
    )
    place = Hierarchy(
        "place", (municipality, lambda value: subregions[municipality(value)], region, _top)
    )
    education = Hierarchy(
        "education", (_education, lambda value: EDUCATION_BANDS[_education(value)], _top)
    )
    hours = Hierarchy("hours", (_hours_exact, _hours_band, _hours_kind, _top))
    experience = Hierarchy(
        "experience",
        (lambda value: _fmt(_number(value, "experience", 80)), _experience_band, _top),
    )
    work_and_learn = Hierarchy("work_and_learn", (_yes_no, _top))
    return {h.name: h for h in (occupation, place, education, hours, experience, work_and_learn)}


# --------------------------------------------------------------------------- validation helpers


def protected_words(name: str) -> set[str]:
    """The protected words in an attribute name ("candidate_age" -> {"age"})."""
    text = str(name).strip().lower()
    tokens = set(re.split(r"[^a-z0-9]+", text)) | {re.sub(r"[^a-z0-9]+", "", text)}
    return tokens & PROTECTED_ATTRIBUTES


def _ordered(hierarchies: Mapping[str, Hierarchy], priority: Sequence[str]) -> list[str]:
    if isinstance(priority, str):
        raise AnonymisationError("priority must be a sequence of attribute names")
    if len(set(priority)) != len(priority):
        raise AnonymisationError(f"priority lists an attribute twice: {list(priority)!r}")
    known = [name for name in priority if name in hierarchies]
    return known + [name for name in hierarchies if name not in known]


def _weights(order: list[str]) -> dict[str, int]:
    """Priority weights 2^(m-1-i): fully generalising an attribute costs more than fully
    generalising all attributes after it together."""
    return {name: 2 ** (len(order) - 1 - index) for index, name in enumerate(order)}


def information_loss(
    levels: Mapping[str, int],
    hierarchies: Mapping[str, Hierarchy],
    priority: Sequence[str] = DEFAULT_PRIORITY,
) -> float:
    """Normalised information loss in [0, 1] of a level vector: Σ w·level/height / Σ w."""
    order = _ordered(hierarchies, priority)
    weights = _weights(order)
    total = sum(weights[name] for name in order if hierarchies[name].height)
    loss = sum(
        weights[name] * levels[name] / hierarchies[name].height
        for name in order
        if hierarchies[name].height
    )
    return loss / total if total else 0.0


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _freeze(value: Any) -> Any:
    """A hashable cache key that keeps 1, 1.0 and True apart."""
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind is tuple or kind is list:
        return (kind, tuple(map(_freeze, value)))
    if isinstance(value, Mapping):
        return (dict, tuple(sorted((str(key), _freeze(item)) for key, item in value.items())))
    if isinstance(value, tuple | list):
        return (kind, tuple(map(_freeze, value)))
    return (kind, value)


def _check_keys(record: Any, expected: frozenset[str], position: int) -> None:
    if not isinstance(record, Mapping):
        raise AnonymisationError(f"record {position} is not a mapping")
    keys = set(record)
    protected = sorted(word for key in keys for word in protected_words(key))
    if protected:
        raise AnonymisationError(
            f"record {position} carries protected or identifying attributes {protected}: "
            "they must never reach the portal"
        )
    if keys - expected:
        raise AnonymisationError(f"record {position} has unknown keys {sorted(keys - expected)}")
    raise AnonymisationError(f"record {position} lacks keys {sorted(expected - keys)}")


# --------------------------------------------------------------------------- anonymise


class _Encoded:
    """Records as integer codes: per attribute, per level, the code of each record's path."""

    def __init__(self, records: Sequence[Mapping[str, Any]], hierarchies, order) -> None:
        expected = frozenset(("id", *order))
        self.ids: list[int] = []
        self.index: list[list[int]] = [[] for _ in order]  # per attribute: distinct-value index
        self.paths: list[list[tuple[str, ...]]] = [[] for _ in order]  # per distinct value
        caches: list[dict[Any, int]] = [{} for _ in order]
        seen: set[int] = set()
        for position, record in enumerate(records):
            if type(record) is not dict and not isinstance(record, Mapping):
                _check_keys(record, expected, position)
            if record.keys() != expected:
                _check_keys(record, expected, position)
            record_id = record["id"]
            if isinstance(record_id, bool) or not isinstance(record_id, int):
                raise AnonymisationError(f"record {position}: id must be an int, not {record_id!r}")
            if record_id in seen:
                raise AnonymisationError(f"record {position}: duplicate id {record_id}")
            seen.add(record_id)
            self.ids.append(record_id)
            for attribute, name in enumerate(order):
                value = record[name]
                cache = caches[attribute]
                try:
                    key = _freeze(value)
                    found = cache.get(key)
                except TypeError:  # unhashable inside: no caching for this value
                    key, found = None, None
                if found is None:
                    path = self._path(hierarchies[name], value, record_id)
                    found = len(self.paths[attribute])
                    self.paths[attribute].append(path)
                    if key is not None:
                        cache[key] = found
                self.index[attribute].append(found)
        self.n = len(self.ids)
        # codes[attribute][level][distinct value] = code of the path from that level up
        self.codes: list[list[list[int]]] = []
        self.cards: list[list[int]] = []
        for attribute, name in enumerate(order):
            per_level, cards = [], []
            for level in range(hierarchies[name].height + 1):
                numbering: dict[tuple[str, ...], int] = {}
                per_level.append(
                    [numbering.setdefault(p[level:], len(numbering)) for p in self.paths[attribute]]
                )
                cards.append(len(numbering))
            self.codes.append(per_level)
            self.cards.append(cards)

    @staticmethod
    def _path(hierarchy: Hierarchy, value: Any, record_id: int) -> tuple[str, ...]:
        try:
            path = tuple(level(value) for level in hierarchy.levels)
        except AnonymisationError as exc:
            raise AnonymisationError(f"record {record_id}: {hierarchy.name}: {exc}") from None
        except (ValueError, TypeError, LookupError) as exc:
            raise AnonymisationError(
                f"record {record_id}: {hierarchy.name}: cannot generalise {value!r} ({exc})"
            ) from exc
        if not all(isinstance(part, str) for part in path):
            raise AnonymisationError(f"hierarchy {hierarchy.name!r} returned a non-string")
        if path[-1] != TOP:
            raise AnonymisationError(f"hierarchy {hierarchy.name!r}: the last level must be '*'")
        return path


def _validate_parameters(k: Any, max_suppression: Any) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise AnonymisationError(f"k must be an integer of at least {MIN_K}, not {k!r}")
    if (
        isinstance(max_suppression, bool)
        or not isinstance(max_suppression, Real)
        or not 0 <= max_suppression < 1
    ):
        raise AnonymisationError(f"max_suppression must be in [0, 1), not {max_suppression!r}")


def _validate_hierarchies(hierarchies: Mapping[str, Hierarchy]) -> None:
    for name, hierarchy in hierarchies.items():
        if not isinstance(hierarchy, Hierarchy) or hierarchy.name != name:
            raise AnonymisationError(f"hierarchies[{name!r}] must be a Hierarchy named {name!r}")
        if protected_words(name):
            raise AnonymisationError(f"{name!r} is a protected attribute: never shown")


def suppression_budget(n: int, max_suppression: float) -> int:
    """How many records may be left out: floor(max_suppression · n), robust to float noise."""
    return math.floor(max_suppression * n + 1e-9)


def anonymise(
    records: Sequence[Mapping[str, Any]],
    hierarchies: Mapping[str, Hierarchy],
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    priority: Sequence[str] = DEFAULT_PRIORITY,
) -> AnonymisedResult:
    """Generalise ``records`` until every shown group has at least ``k`` members.

    ``records`` are mappings with an int ``id`` and exactly one key per hierarchy. The result
    shows each attribute at one level (``levels``, 0 = most specific); groups smaller than k
    are left out and counted in ``suppressed`` (at most ``floor(max_suppression · n)``). With
    fewer than k records nothing can be shown: everything is suppressed, levels all "*".
    Groups are sorted by count (descending), then by their attribute values. Deterministic
    and independent of the order of ``records``.
    """
    _validate_parameters(k, max_suppression)
    _validate_hierarchies(hierarchies)
    order = _ordered(hierarchies, priority)
    data = _Encoded(records, hierarchies, order)
    heights = [hierarchies[name].height for name in order]
    n = data.n
    if n < k:  # nothing can be shown (also n == 0)
        return AnonymisedResult((), {name: hierarchies[name].height for name in hierarchies}, n, k)
    budget = suppression_budget(n, max_suppression)
    checker = _Checker(data, k)
    chosen = _search(checker, heights, budget)
    return _result(checker, hierarchies, order, chosen)


class _Checker:
    """Counts the records in groups smaller than k at a lattice node, in one pass."""

    def __init__(self, data: _Encoded, k: int) -> None:
        self.data, self.k = data, k
        self.multipliers: list[int] = []
        multiplier = 1
        for cards in data.cards:
            self.multipliers.append(multiplier)
            multiplier *= cards[0]
        self.columns: dict[tuple[int, int], list[int]] = {}
        self.value_counts: dict[int, Counter[int]] = {}
        self.checks = 0

    def column(self, attribute: int, level: int) -> list[int] | None:
        """Each record's premultiplied code, or None when the column is constant."""
        if self.data.cards[attribute][level] <= 1:
            return None
        column = self.columns.get((attribute, level))
        if column is None:
            multiplier = self.multipliers[attribute]
            scaled = [code * multiplier for code in self.data.codes[attribute][level]]
            column = list(map(scaled.__getitem__, self.data.index[attribute]))
            self.columns[attribute, level] = column
        return column

    def keys(self, node: Sequence[int]) -> Iterable[int] | None:
        columns = [c for a, level in enumerate(node) if (c := self.column(a, level)) is not None]
        if not columns:
            return None
        keys: Iterable[int] = columns[0]
        for column in columns[1:]:
            keys = map(add, keys, column)
        return keys

    def suppressed(self, node: Sequence[int]) -> int:
        self.checks += 1
        keys = self.keys(node)
        if keys is None:
            return 0 if self.data.n >= self.k else self.data.n
        k = self.k
        return sum(count for count in Counter(keys).values() if count < k)

    def single(self, attribute: int, level: int) -> int:
        """Suppressed records if only this attribute were shown at this level."""
        counts = self.value_counts.get(attribute)
        if counts is None:
            counts = self.value_counts[attribute] = Counter(self.data.index[attribute])
        per_code: Counter[int] = Counter()
        codes = self.data.codes[attribute][level]
        for value, count in counts.items():
            per_code[codes[value]] += count
        return sum(count for count in per_code.values() if count < self.k)


def _search(checker: _Checker, heights: list[int], budget: int) -> tuple[int, ...]:
    """The feasible node with the least (loss, levels in priority order); see module doc."""
    m = len(heights)
    lcm = math.lcm(*[h for h in heights if h]) if any(heights) else 1
    weights = [2 ** (m - 1 - i) * (lcm // h if h else 0) for i, h in enumerate(heights)]
    top = tuple(heights)

    # Levels ruled out by one attribute alone (a projection is coarser than any node).
    floors = []
    for attribute, height in enumerate(heights):
        level = 0
        while level < height and checker.single(attribute, level) > budget:
            level += 1
        floors.append(level)

    nodes = sorted(
        product(*(range(low, high + 1) for low, high in zip(floors, heights, strict=True))),
        key=lambda node: (sum(w * level for w, level in zip(weights, node, strict=True)), node),
    )
    position = {node: i for i, node in enumerate(nodes)}
    # down[i]: bitset of the nodes at or below node i (componentwise ≤).
    down = [0] * len(nodes)
    for i, node in enumerate(nodes):  # key order is a linear extension: lower nodes come first
        mask = 1 << i
        for a in range(m):
            if node[a] > floors[a]:
                mask |= down[position[(*node[:a], node[a] - 1, *node[a + 1 :])]]
        down[i] = mask

    best = position[top]
    candidates = (1 << best) - 1  # nodes with less loss than the best known feasible node
    while candidates:
        total = candidates.bit_count()
        pick, pick_score = -1, -1
        rest = candidates
        while rest:
            i = (rest & -rest).bit_length() - 1
            rest &= rest - 1
            if_feasible = (candidates >> i).bit_count()
            if_infeasible = (down[i] & candidates).bit_count()
            score = min(if_feasible, if_infeasible)
            if score > pick_score:
                pick, pick_score = i, score
                if score * 2 >= total:
                    break
        if checker.suppressed(nodes[pick]) <= budget:
            best = pick
            candidates &= (1 << pick) - 1
        else:
            candidates &= ~down[pick]
    return nodes[best]


def _result(
    checker: _Checker,
    hierarchies: Mapping[str, Hierarchy],
    order: list[str],
    node: tuple[int, ...],
) -> AnonymisedResult:
    data, k = checker.data, checker.k
    keys = checker.keys(node)
    members: dict[int, list[int]] = {}
    for position, key in enumerate(keys if keys is not None else [0] * data.n):
        members.setdefault(key, []).append(position)
    shown: dict[tuple[str, ...], list[int]] = {}
    suppressed = 0
    names = list(hierarchies)
    slot = {name: order.index(name) for name in names}
    for positions in members.values():
        if len(positions) < k:
            suppressed += len(positions)
            continue
        first = positions[0]
        values = tuple(
            data.paths[slot[name]][data.index[slot[name]][first]][node[slot[name]]]
            for name in names
        )
        # Distinct paths can share a label (two ESCO occupations called "banketbakker"):
        # merging them only makes the shown group larger.
        shown.setdefault(values, []).extend(data.ids[p] for p in positions)
    groups = sorted(
        (
            AnonymisedGroup(dict(zip(names, values, strict=True)), len(ids), tuple(sorted(ids)))
            for values, ids in shown.items()
        ),
        key=lambda group: (-group.count, tuple(group.attributes.values())),
    )
    levels = {name: node[slot[name]] for name in names}
    return AnonymisedResult(tuple(groups), levels, suppressed, k)
