"""The talent wall (talentenmuur): interest statements -> RIASEC profile -> occupational areas.

Pure Python, no Django: data files in, frozen dataclasses out, so the scoring can be used and
property-tested anywhere.

- ``data/statements.toml``: the six interest types in plain words and 48 statements (8 per
  type, original to the project) answered on a 1-5 agree scale.
- ``data/areas.toml``: occupational areas with a RIASEC profile, ISCO-08 unit groups, example
  ESCO occupations, the region's occupational chain and development paths.

Scoring (:func:`score`): per type the mean of the answered statements of that type, mapped
from 1..5 onto 0..100 and rounded half up. At least 80 % of all statements must be answered
and at least half of each type's statements. :attr:`Profile.code` is the Holland code: the
three highest types; ties are broken by the fixed order R, I, A, S, E, C.

Fit (:func:`rank_areas`): the area's weighted mean of the profile's scores (weights 3/2/1 for
the letters of a Holland code "SIR", or explicit weights), 0..100. Ties are broken by area
code. The explanation names the (at most two) types that contribute most.
"""

from __future__ import annotations

import math
import random
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

__all__ = [
    "AREAS_FILE",
    "Area",
    "DataError",
    "DevelopmentPath",
    "IncompleteAnswers",
    "Profile",
    "RankedArea",
    "STATEMENTS_FILE",
    "SCALE",
    "Statement",
    "TYPES",
    "TalentWall",
    "TypeInfo",
    "default_wall",
    "form_groups",
    "load_areas",
    "load_statements",
    "load_wall",
    "rank_areas",
    "score",
]

TYPES: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
MIN_ANSWERED_FRACTION = 0.8
MIN_PER_TYPE_FRACTION = 0.5
HOLLAND_WEIGHTS = (3, 2, 1)
MAX_WEIGHT = 5
# A profile whose highest and lowest score differ less than this is "flat": no clear interest.
FLAT_SPREAD = 15
# A second type is named in an area's explanation only when its score is at least this.
DRIVER_MIN_SCORE = 50
# The fixed seed of the order in which the statements are shown (changing it reshuffles the form).
FORM_SEED = 20_26_11
FORM_GROUPS = 6

DATA_DIR = Path(__file__).resolve().parent / "data"
STATEMENTS_FILE = DATA_DIR / "statements.toml"
AREAS_FILE = DATA_DIR / "areas.toml"

_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_ISCO_RE = re.compile(r"^[0-9]{4}$")


def _lang(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "nl"


# -- errors -----------------------------------------------------------------------------------


class DataError(ValueError):
    """Bad data in one of the TOML files: names the file, the entry and the field."""

    def __init__(self, file: Path | str, entry: str, field: str, problem: str):
        self.file = Path(file).name
        self.entry = entry
        self.field = field
        self.problem = problem
        where = f"{self.file}: {entry}" + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")


class IncompleteAnswers(ValueError):
    """Too few statements answered to say something sensible."""

    def __init__(self, answered: int, required: int, missing: Sequence[str], short_types=()):
        self.answered = answered
        self.required = required
        self.missing = tuple(missing)
        self.short_types = tuple(short_types)
        detail = f"{answered} statements answered, at least {required} needed"
        if short_types:
            detail += "; too few answered for type(s) " + ", ".join(short_types)
        super().__init__(detail)


# -- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeInfo:
    letter: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str

    def name(self, lang: str | None = "nl") -> str:
        return self.name_en if _lang(lang) == "en" else self.name_nl

    def description(self, lang: str | None = "nl") -> str:
        return self.description_en if _lang(lang) == "en" else self.description_nl


@dataclass(frozen=True)
class Statement:
    id: str
    type: str
    nl: str
    en: str

    def text(self, lang: str | None = "nl") -> str:
        return self.en if _lang(lang) == "en" else self.nl


@dataclass(frozen=True)
class DevelopmentPath:
    nl: str
    en: str

    def text(self, lang: str | None = "nl") -> str:
        return self.en if _lang(lang) == "en" else self.nl


@dataclass(frozen=True)
class Area:
    code: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    weights: tuple[int, ...]  # one per type, in TYPES order
    isco_groups: tuple[str, ...]
    esco_ids: tuple[str, ...]
    chain: str
    paths: tuple[DevelopmentPath, ...]

    def name(self, lang: str | None = "nl") -> str:
        return self.name_en if _lang(lang) == "en" else self.name_nl

    def description(self, lang: str | None = "nl") -> str:
        return self.description_en if _lang(lang) == "en" else self.description_nl

    def weight(self, letter: str) -> int:
        return self.weights[TYPES.index(letter)]

    @property
    def holland(self) -> str:
        """The area's letters, heaviest first (ties in R, I, A, S, E, C order)."""
        order = sorted(
            (t for t in TYPES if self.weight(t) > 0),
            key=lambda t: (-self.weight(t), TYPES.index(t)),
        )
        return "".join(order)


@dataclass(frozen=True)
class TalentWall:
    types: tuple[TypeInfo, ...]
    statements: tuple[Statement, ...]
    areas: tuple[Area, ...]

    @cached_property
    def statements_by_id(self) -> dict[str, Statement]:
        return {s.id: s for s in self.statements}

    @cached_property
    def types_by_letter(self) -> dict[str, TypeInfo]:
        return {t.letter: t for t in self.types}

    @cached_property
    def areas_by_code(self) -> dict[str, Area]:
        return {a.code: a for a in self.areas}


# -- loading and validation -------------------------------------------------------------------


def _read_toml(path: Path) -> dict:
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise DataError(path, "file", "", "not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(path, "file", "", f"not valid TOML ({exc})") from exc


def _text(path, entry, raw: dict, field: str, max_length: int = 300) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, entry, field, "missing or empty text")
    value = " ".join(value.split())
    if len(value) > max_length:
        raise DataError(path, entry, field, f"longer than {max_length} characters")
    return value


def _unknown_fields(path, entry, raw: dict, allowed: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise DataError(path, entry, extra[0], "unknown field (typo?)")


def load_statements(path: Path | str = STATEMENTS_FILE) -> tuple[tuple[TypeInfo, ...], tuple]:
    """The six types and the statements, validated; raises :class:`DataError` on bad data."""
    path = Path(path)
    data = _read_toml(path)
    raw_types = data.get("types")
    if not isinstance(raw_types, dict):
        raise DataError(path, "types", "", "missing [types.R] ... [types.C] tables")
    types = []
    for letter in TYPES:
        raw = raw_types.get(letter)
        entry = f"type '{letter}'"
        if not isinstance(raw, dict):
            raise DataError(path, entry, "", "missing")
        _unknown_fields(
            path, entry, raw, {"name_nl", "name_en", "description_nl", "description_en"}
        )
        types.append(
            TypeInfo(
                letter=letter,
                name_nl=_text(path, entry, raw, "name_nl", 40),
                name_en=_text(path, entry, raw, "name_en", 40),
                description_nl=_text(path, entry, raw, "description_nl"),
                description_en=_text(path, entry, raw, "description_en"),
            )
        )
    extra_types = sorted(set(raw_types) - set(TYPES))
    if extra_types:
        raise DataError(path, f"type '{extra_types[0]}'", "", f"unknown type, use one of {TYPES}")

    raw_statements = data.get("statements")
    if not isinstance(raw_statements, list) or not raw_statements:
        raise DataError(path, "statements", "", "missing [[statements]] entries")
    statements: list[Statement] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_statements, start=1):
        entry = f"statement #{index}"
        if not isinstance(raw, dict):
            raise DataError(path, entry, "", "not a table")
        sid = raw.get("id")
        if not isinstance(sid, str) or not _ID_RE.match(sid):
            raise DataError(path, entry, "id", "missing, or not a short lower-case id")
        entry = f"statement #{index} ('{sid}')"
        if sid in seen:
            raise DataError(path, entry, "id", "duplicate id")
        seen.add(sid)
        _unknown_fields(path, entry, raw, {"id", "type", "nl", "en"})
        stype = raw.get("type")
        if stype not in TYPES:
            raise DataError(path, entry, "type", f"must be one of {', '.join(TYPES)}")
        statements.append(
            Statement(
                id=sid,
                type=stype,
                nl=_text(path, entry, raw, "nl", 120),
                en=_text(path, entry, raw, "en", 120),
            )
        )
    for letter in TYPES:
        if not any(s.type == letter for s in statements):
            raise DataError(path, f"type '{letter}'", "statements", "no statements of this type")
    return tuple(types), tuple(statements)


def _weights(path, entry, raw: dict) -> tuple[int, ...]:
    holland, profile = raw.get("holland"), raw.get("profile")
    if (holland is None) == (profile is None):
        raise DataError(path, entry, "holland", "give exactly one of 'holland' or 'profile'")
    if holland is not None:
        if (
            not isinstance(holland, str)
            or not 2 <= len(holland) <= 3
            or any(letter not in TYPES for letter in holland)
            or len(set(holland)) != len(holland)
        ):
            raise DataError(
                path, entry, "holland", "must be 2 or 3 different letters of R, I, A, S, E, C"
            )
        by_letter = dict(zip(holland, HOLLAND_WEIGHTS, strict=False))
        return tuple(by_letter.get(t, 0) for t in TYPES)
    if not isinstance(profile, dict) or not profile:
        raise DataError(path, entry, "profile", "must be a table like { R = 3, I = 1 }")
    for letter, weight in profile.items():
        if letter not in TYPES:
            raise DataError(path, entry, "profile", f"unknown type '{letter}'")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
            raise DataError(
                path, entry, "profile", f"weight of '{letter}' must be a whole number 0..5"
            )
    weights = tuple(int(profile.get(t, 0)) for t in TYPES)
    if not any(weights):
        raise DataError(path, entry, "profile", "at least one weight must be above 0")
    return weights


def _string_list(path, entry, raw: dict, field: str, pattern=None, low=1, high=20) -> tuple:
    value = raw.get(field)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(path, entry, field, "must be a list of strings")
    if not low <= len(value) <= high:
        raise DataError(path, entry, field, f"needs {low} to {high} items, has {len(value)}")
    if len(set(value)) != len(value):
        raise DataError(path, entry, field, "contains a duplicate")
    for item in value:
        if pattern is not None and not pattern.match(item):
            raise DataError(path, entry, field, f"'{item}' has the wrong form")
    return tuple(value)


def load_areas(
    path: Path | str = AREAS_FILE,
    *,
    chains: Collection[str] | None = None,
    known_isco_groups: Collection[str] | None = None,
    known_esco_ids: Collection[str] | None = None,
) -> tuple[Area, ...]:
    """The occupational areas, validated; optionally against the known chains, ISCO unit groups
    and ESCO occupations (the Django side passes the chains, the tests all three)."""
    path = Path(path)
    data = _read_toml(path)
    raw_areas = data.get("areas")
    if not isinstance(raw_areas, list) or not raw_areas:
        raise DataError(path, "areas", "", "missing [[areas]] entries")
    allowed = {
        "code",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "holland",
        "profile",
        "isco_groups",
        "esco_ids",
        "chain",
        "paths",
    }
    areas: list[Area] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_areas, start=1):
        entry = f"area #{index}"
        if not isinstance(raw, dict):
            raise DataError(path, entry, "", "not a table")
        code = raw.get("code")
        if not isinstance(code, str) or not _ID_RE.match(code):
            raise DataError(path, entry, "code", "missing, or not a short lower-case code")
        entry = f"area #{index} ('{code}')"
        if code in seen:
            raise DataError(path, entry, "code", "duplicate code")
        seen.add(code)
        _unknown_fields(path, entry, raw, allowed)
        isco_groups = _string_list(path, entry, raw, "isco_groups", _ISCO_RE, 1, 12)
        esco_ids = _string_list(path, entry, raw, "esco_ids", None, 3, 6)
        if known_isco_groups is not None:
            for group in isco_groups:
                if group not in known_isco_groups:
                    raise DataError(path, entry, "isco_groups", f"unknown ISCO unit group {group}")
        if known_esco_ids is not None:
            for esco_id in esco_ids:
                if esco_id not in known_esco_ids:
                    raise DataError(path, entry, "esco_ids", f"unknown ESCO occupation {esco_id}")
        chain = raw.get("chain")
        if not isinstance(chain, str) or not chain:
            raise DataError(path, entry, "chain", "missing")
        if chains is not None and chain not in chains:
            raise DataError(
                path, entry, "chain", f"unknown chain '{chain}', use one of {sorted(chains)}"
            )
        raw_paths = raw.get("paths")
        if not isinstance(raw_paths, list) or not 1 <= len(raw_paths) <= 4:
            raise DataError(path, entry, "paths", "needs 1 to 4 development paths")
        paths = []
        for number, raw_path in enumerate(raw_paths, start=1):
            if not isinstance(raw_path, dict):
                raise DataError(path, entry, f"paths[{number}]", "must be { nl = ..., en = ... }")
            _unknown_fields(path, f"{entry} path {number}", raw_path, {"nl", "en"})
            paths.append(
                DevelopmentPath(
                    nl=_text(path, f"{entry} path {number}", raw_path, "nl"),
                    en=_text(path, f"{entry} path {number}", raw_path, "en"),
                )
            )
        areas.append(
            Area(
                code=code,
                name_nl=_text(path, entry, raw, "name_nl", 60),
                name_en=_text(path, entry, raw, "name_en", 60),
                description_nl=_text(path, entry, raw, "description_nl"),
                description_en=_text(path, entry, raw, "description_en"),
                weights=_weights(path, entry, raw),
                isco_groups=isco_groups,
                esco_ids=esco_ids,
                chain=chain,
                paths=tuple(paths),
            )
        )
    return tuple(areas)


def load_wall(
    statements_file: Path | str = STATEMENTS_FILE,
    areas_file: Path | str = AREAS_FILE,
    **area_checks,
) -> TalentWall:
    types, statements = load_statements(statements_file)
    return TalentWall(
        types=types, statements=statements, areas=load_areas(areas_file, **area_checks)
    )


@lru_cache(maxsize=1)
def default_wall() -> TalentWall:
    """The bundled data files (structure checked; chains and ESCO codes are checked by the
    Django side and the tests)."""
    return load_wall()


# -- scoring ----------------------------------------------------------------------------------


def _round(value: float) -> int:
    """Round half up (Python's round() rounds half to even)."""
    return int(math.floor(value + 0.5))


@dataclass(frozen=True)
class Profile:
    """Scores 0..100 per type in R, I, A, S, E, C order."""

    scores: tuple[int, ...]
    answered: int = 0

    def __post_init__(self):
        if len(self.scores) != len(TYPES):
            raise ValueError(f"a profile needs {len(TYPES)} scores, got {len(self.scores)}")
        for value in self.scores:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise ValueError(f"scores must be whole numbers from 0 to 100, got {value!r}")

    @classmethod
    def from_scores(cls, scores: Mapping[str, int] | Sequence[int], answered: int = 0) -> Profile:
        """From {"R": 80, ...} (all six types) or a sequence in R, I, A, S, E, C order."""
        if isinstance(scores, Mapping):
            if set(scores) != set(TYPES):
                raise ValueError("scores must be given for exactly the types R, I, A, S, E, C")
            values = tuple(scores[t] for t in TYPES)
        else:
            values = tuple(scores)
        return cls(scores=values, answered=answered)

    def score(self, letter: str) -> int:
        return self.scores[TYPES.index(letter)]

    def as_dict(self) -> dict[str, int]:
        return dict(zip(TYPES, self.scores, strict=True))

    @property
    def ranking(self) -> tuple[str, ...]:
        """All six types, highest score first; ties in the fixed order R, I, A, S, E, C."""
        return tuple(sorted(TYPES, key=lambda t: (-self.score(t), TYPES.index(t))))

    @property
    def code(self) -> str:
        """The Holland code: the three highest types."""
        return "".join(self.ranking[:3])

    @property
    def is_flat(self) -> bool:
        """No type stands out: the answers are (almost) the same for every type."""
        return max(self.scores) - min(self.scores) < FLAT_SPREAD


def required_answers(statements: Sequence[Statement]) -> int:
    return math.ceil(MIN_ANSWERED_FRACTION * len(statements))


def score(answers: Mapping[str, int], statements: Sequence[Statement] | None = None) -> Profile:
    """Score the answers (statement id -> 1..5) into a :class:`Profile`.

    Raises ``ValueError`` for unknown ids or values outside 1..5, and
    :class:`IncompleteAnswers` (a ``ValueError``) when fewer than 80 % of all statements, or
    fewer than half of one type's statements, are answered.
    """
    if statements is None:
        statements = default_wall().statements
    by_id = {s.id: s for s in statements}
    unknown = sorted(k for k in answers if k not in by_id)
    if unknown:
        raise ValueError("unknown statement id(s): " + ", ".join(map(str, unknown[:10])))
    for key in sorted(answers):
        value = answers[key]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValueError(
                f"the answer to statement '{key}' must be a whole number from 1 to 5, got {value!r}"
            )
    per_type: dict[str, list[int]] = {t: [] for t in TYPES}
    counts: dict[str, int] = dict.fromkeys(TYPES, 0)
    for statement in statements:
        counts[statement.type] += 1
        if statement.id in answers:
            per_type[statement.type].append(answers[statement.id])
    required = required_answers(statements)
    short = tuple(
        t for t in TYPES if len(per_type[t]) < math.ceil(MIN_PER_TYPE_FRACTION * counts[t])
    )
    if len(answers) < required or short:
        missing = [s.id for s in statements if s.id not in answers]
        raise IncompleteAnswers(len(answers), required, missing, short)
    scores = tuple(
        _round((sum(values) / len(values) - 1) * 25) if values else 0
        for values in (per_type[t] for t in TYPES)
    )
    return Profile(scores=scores, answered=len(answers))


# -- areas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedArea:
    area: Area
    fit: int  # 0..100
    drivers: tuple[tuple[str, int], ...]  # (type, score), most important first
    explanation_nl: str
    explanation_en: str

    def explanation(self, lang: str | None = "nl") -> str:
        return self.explanation_en if _lang(lang) == "en" else self.explanation_nl


def _join(parts: Sequence[str], word: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def _explain(drivers, types: Mapping[str, TypeInfo]) -> tuple[str, str]:
    if not drivers:
        return (
            "Je scores voor de interesses van dit gebied zijn laag.",
            "Your scores for the interests of this area are low.",
        )
    nl = [f"{types[t].name_nl} ({s})" for t, s in drivers]
    en = [f"{types[t].name_en} ({s})" for t, s in drivers]
    if len(drivers) == 1:
        return (
            f"Komt vooral door je score voor {nl[0]}.",
            f"Mainly because of your score for {en[0]}.",
        )
    return (
        f"Komt vooral door je scores voor {_join(nl, 'en')}.",
        f"Mainly because of your scores for {_join(en, 'and')}.",
    )


def rank_areas(
    profile: Profile,
    areas: Iterable[Area] | None = None,
    top: int | None = 5,
    types: Iterable[TypeInfo] | None = None,
) -> tuple[RankedArea, ...]:
    """Areas by fit (highest first, ties by area code); the ``top`` best (all when None)."""
    wall = default_wall() if areas is None or types is None else None
    areas = tuple(wall.areas if areas is None else areas)
    type_info = {t.letter: t for t in (wall.types if types is None else types)}
    ranked: list[tuple[float, str, RankedArea]] = []
    for area in areas:
        total = sum(area.weights)
        exact = sum(w * s for w, s in zip(area.weights, profile.scores, strict=True)) / total
        contributions = sorted(
            (
                (area.weight(t) * profile.score(t), area.weight(t), t)
                for t in TYPES
                if area.weight(t) > 0 and profile.score(t) > 0
            ),
            key=lambda c: (-c[0], -c[1], TYPES.index(c[2])),
        )
        # The strongest contributor, plus the second one when it is a real interest (>= 50).
        drivers = tuple(
            (t, profile.score(t))
            for i, (_, _, t) in enumerate(contributions[:2])
            if i == 0 or profile.score(t) >= DRIVER_MIN_SCORE
        )
        nl, en = _explain(drivers, type_info)
        item = RankedArea(
            area=area, fit=_round(exact), drivers=drivers, explanation_nl=nl, explanation_en=en
        )
        ranked.append((round(exact, 9), area.code, item))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    result = tuple(r[2] for r in ranked)
    return result if top is None else result[: max(top, 0)]


# -- the form ---------------------------------------------------------------------------------


def form_groups(
    statements: Sequence[Statement] | None = None,
    groups: int = FORM_GROUPS,
    seed: int = FORM_SEED,
) -> tuple[tuple[Statement, ...], ...]:
    """The statements in a fixed pseudo-random order, in ``groups`` parts of (nearly) equal
    size, mixed across types so the types are not obvious: rounds of one statement per type in
    a shuffled order, never the same type twice in a row where that can be avoided."""
    if statements is None:
        statements = default_wall().statements
    rng = random.Random(seed)
    queues: dict[str, list[Statement]] = {}
    for letter in TYPES:
        queue = sorted((s for s in statements if s.type == letter), key=lambda s: s.id)
        rng.shuffle(queue)
        queues[letter] = queue
    order: list[Statement] = []
    last = None
    while any(queues.values()):
        letters = [t for t in TYPES if queues[t]]
        rng.shuffle(letters)
        if len(letters) > 1 and letters[0] == last:
            letters.append(letters.pop(0))
        for letter in letters:
            order.append(queues[letter].pop())
        last = letters[-1]
    size = math.ceil(len(order) / max(groups, 1)) or 1
    return tuple(tuple(order[i : i + size]) for i in range(0, len(order), size))
