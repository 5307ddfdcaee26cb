"""Parse, validate and load a region's training catalogue (``training/data/<region>.toml``).

Parsing is pure (standard library only, no Django): :func:`parse_training_file` and
:func:`parse_training_text` return a :class:`CatalogueData` or raise one
:class:`TrainingFileError` naming the file, the entry (``"trainings[3] (heftruck)"``, 0-based
in file order, or ``"file"``/``"meta"``/``"region"``), the field and what is wrong. Validation
stops at the first problem. Municipality codes are checked against the codes passed in
(the loader passes the region's municipalities); ISCO groups against the ESCO occupation list
packaged in ``werkcentrum.occupations``.

:func:`load_trainings` (the only part that touches the database; Django is imported inside
it) parses the whole file first and then writes in one transaction: upsert on (region, key),
trainings no longer in the file are deactivated, never deleted. Loading the same file twice
changes nothing (unchanged rows are not even saved, so ``updated_at`` means "really changed").
The format is documented in docs/training-catalogue.md and at the top of ``data/twente.toml``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from werkcentrum.core.datafile import MISSING as _MISSING
from werkcentrum.core.datafile import (
    DataFileError,
    FieldReader,
    parse_toml,
    read_text,
    type_name,
)
from werkcentrum.occupations.chains import CHAIN_ISCO

__all__ = [
    "FUNDING_CODES",
    "LEARNING_FORMS",
    "LEVELS",
    "SCHEMA_VERSION",
    "SECTORS",
    "CatalogueData",
    "TrainingData",
    "TrainingFileError",
    "bundled_training_files",
    "known_isco_groups",
    "load_all_bundled_trainings",
    "load_trainings",
    "parse_training_file",
    "parse_training_text",
    "training_file_for",
]

SCHEMA_VERSION = 1

# The codes of models.Level, models.LearningForm, models.Funding and employers.models.Chain,
# repeated here so parsing needs no Django (tests/training/test_loader.py keeps them equal).
LEVELS = ("course", "mbo1", "mbo2", "mbo3", "mbo4", "hbo_ad", "hbo_bachelor", "master")
LEARNING_FORMS = ("bol", "bbl", "part_time", "online")
FUNDING_CODES = (
    "training_fund",
    "employer",
    "uwv",
    "municipality",
    "sector_fund",
    "lifelong_learning_credit",
    "own",
)
SECTORS = tuple(CHAIN_ISCO)

DATA_DIR = Path(__file__).resolve().parent / "data"
ESCO_CSV = (
    Path(__file__).resolve().parent.parent / "occupations" / "data" / "esco-occupations-nl.csv"
)

# Lengths follow the database columns; ranges keep obvious typos out.
_MAX = {"key": 80, "title": 200, "provider": 200, "description": 1000, "url": 200}
DURATION_WEEKS = (1, 520)
HOURS_PER_WEEK = (1, 60)
MAX_COST = 100_000

_SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_CBS_RE = re.compile(r"GM\d{4}")
_ISCO_RE = re.compile(r"\d{4}")

_TOP_KEYS = {"schema_version", "region", "meta", "trainings"}
_META_KEYS = {"note", "version"}
_TRAINING_KEYS = {
    "key",
    "title",
    "provider",
    "description",
    "level",
    "sector",
    "isco_groups",
    "learning_form",
    "duration_weeks",
    "hours_per_week",
    "cost_eur",
    "funding",
    "municipality",
    "url",
    "active",
}


class TrainingFileError(DataFileError):
    """A training file is unreadable, not valid TOML, or violates the schema."""


@dataclass(frozen=True)
class TrainingData:
    key: str
    title: str
    provider: str
    description: str
    level: str
    sector: str
    isco_groups: tuple[str, ...]
    learning_form: str
    duration_weeks: int
    hours_per_week: int | None
    cost_eur: int
    funding: tuple[str, ...]
    municipality: str | None  # CBS code; None = online or several places in the region
    url: str
    active: bool


@dataclass(frozen=True)
class CatalogueData:
    region: str
    version: str
    note: str
    trainings: tuple[TrainingData, ...]
    source_file: str


# --------------------------------------------------------------------------- public API


def bundled_training_files() -> dict[str, Path]:
    """Region code -> the ``data/<code>.toml`` training file shipped with the package."""
    if not DATA_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.toml"))}


def training_file_for(region_code: str) -> Path:
    files = bundled_training_files()
    if region_code not in files:
        known = ", ".join(sorted(files)) or "none"
        raise TrainingFileError(
            region_code, "region", "code", f"no bundled training file (known: {known})"
        )
    return files[region_code]


@lru_cache(maxsize=1)
def known_isco_groups() -> frozenset[str]:
    """The 4-digit ISCO-08 unit groups that occur in the packaged ESCO occupation list."""
    with ESCO_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["isco_group"].strip().zfill(4) for row in csv.DictReader(handle))


def parse_training_file(
    path: str | Path,
    *,
    region: str | None = None,
    municipalities: Collection[str] | None = None,
    isco_groups: Collection[str] | None = None,
) -> CatalogueData:
    source = str(path)
    text = read_text(path, TrainingFileError)
    return parse_training_text(
        text, source, region=region, municipalities=municipalities, isco_groups=isco_groups
    )


def parse_training_text(
    text: str,
    source_file: str,
    *,
    region: str | None = None,
    municipalities: Collection[str] | None = None,
    isco_groups: Collection[str] | None = None,
) -> CatalogueData:
    """Parse a training file. ``region``: the region code the file must declare (None: any);
    ``municipalities``: the CBS codes allowed (None: any well-formed code); ``isco_groups``:
    the ISCO groups allowed (None: those in the packaged ESCO list)."""
    document = parse_toml(text, source_file, TrainingFileError)
    groups = frozenset(isco_groups) if isco_groups is not None else known_isco_groups()
    allowed = frozenset(municipalities) if municipalities is not None else None
    return _Parser(str(source_file), document, region, allowed, groups).parse()


# --------------------------------------------------------------------------- internals


def _label(index: int, key: Any) -> str:
    if isinstance(key, str) and key.strip():
        return f"trainings[{index}] ({key.strip()})"
    return f"trainings[{index}]"


class _Parser(FieldReader):
    error = TrainingFileError

    def __init__(
        self,
        source: str,
        document: dict[str, Any],
        expected_region: str | None,
        municipalities: frozenset[str] | None,
        isco_groups: frozenset[str],
    ):
        self.source = source
        self.doc = document
        self.expected_region = expected_region
        self.municipalities = municipalities
        self.isco_groups = isco_groups
        self.region = ""

    # ---- typed getters -----------------------------------------------------------------

    def get_int(self, entry: str, table: dict, key: str, *, required: bool = True):
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(entry, key, "missing (required)")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(entry, key, f"must be an integer, not {type_name(value)}")
        return value

    def get_choice(self, entry: str, table: dict, key: str, choices: tuple[str, ...]) -> str:
        value = self.get_str(entry, table, key)
        if value not in choices:
            self.fail(entry, key, f"unknown {key} {value!r} (allowed: {', '.join(choices)})")
        return value

    def get_str_list(self, entry: str, table: dict, key: str, *, required: bool) -> list[str]:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(entry, key, "missing (required)")
            return []
        if not isinstance(value, list):
            self.fail(entry, key, f"must be an array, not {type_name(value)}")
        if required and not value:
            self.fail(entry, key, "must not be empty")
        seen: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(entry, f"{key}[{index}]", f"must be a string, not {type_name(item)}")
            item = item.strip()
            if item in seen:
                self.fail(entry, f"{key}[{index}]", f"{item!r} is listed twice")
            seen.append(item)
        return seen

    # ---- sections ----------------------------------------------------------------------

    def parse(self) -> CatalogueData:
        doc = self.doc
        self.check_keys("file", doc, _TOP_KEYS)
        schema = doc.get("schema_version", _MISSING)
        if schema is _MISSING:
            self.fail("file", "schema_version", f"missing (required, must be {SCHEMA_VERSION})")
        if schema != SCHEMA_VERSION or isinstance(schema, bool):
            self.fail("file", "schema_version", f"must be {SCHEMA_VERSION}, not {schema!r}")
        region = self.get_str("file", doc, "region", max_length=50)
        if not _SLUG_RE.fullmatch(region):
            self.fail("file", "region", f"{region!r} is not a region code (lowercase slug)")
        if self.expected_region is not None and region != self.expected_region:
            self.fail(
                "file", "region", f"file is for region {region!r}, not {self.expected_region!r}"
            )
        self.region = region

        meta = doc.get("meta", _MISSING)
        if meta is _MISSING:
            self.fail("meta", "note", "missing: a [meta] table with a note is required")
        if not isinstance(meta, dict):
            self.fail("meta", "meta", f"must be a table ([meta]), not {type_name(meta)}")
        self.check_keys("meta", meta, _META_KEYS)
        note = self.get_str("meta", meta, "note")
        version = self.get_str("meta", meta, "version", required=False, max_length=30)

        entries = doc.get("trainings", _MISSING)
        if entries is _MISSING:
            self.fail("file", "trainings", "missing (at least one [[trainings]] entry)")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            self.fail("file", "trainings", "must be an array of tables ([[trainings]])")
        if not entries:
            self.fail("file", "trainings", "at least one [[trainings]] entry is required")

        trainings: list[TrainingData] = []
        first_index: dict[str, int] = {}
        for index, table in enumerate(entries):
            item = self.training(index, table)
            if item.key in first_index:
                self.fail(
                    _label(index, item.key),
                    "key",
                    f"duplicate key (also trainings[{first_index[item.key]}])",
                )
            first_index[item.key] = index
            trainings.append(item)
        return CatalogueData(
            region=region,
            version=version,
            note=note,
            trainings=tuple(trainings),
            source_file=self.source,
        )

    def training(self, index: int, table: dict) -> TrainingData:
        entry = _label(index, table.get("key"))
        self.check_keys(entry, table, _TRAINING_KEYS)
        key = self.get_str(entry, table, "key", max_length=_MAX["key"])
        if not _SLUG_RE.fullmatch(key):
            self.fail(
                entry, "key", f"{key!r} is not a valid key (lowercase letters, digits, '-', '_')"
            )
        title = self.get_str(entry, table, "title", max_length=_MAX["title"])
        provider = self.get_str(entry, table, "provider", max_length=_MAX["provider"])
        description = self.get_str(entry, table, "description", max_length=_MAX["description"])
        level = self.get_choice(entry, table, "level", LEVELS)
        sector = self.get_choice(entry, table, "sector", SECTORS)
        learning_form = self.get_choice(entry, table, "learning_form", LEARNING_FORMS)

        groups = self.get_str_list(entry, table, "isco_groups", required=False)
        for position, group in enumerate(groups):
            field = f"isco_groups[{position}]"
            if not _ISCO_RE.fullmatch(group):
                self.fail(entry, field, f"{group!r} is not a 4-digit ISCO-08 unit group")
            if group not in self.isco_groups:
                self.fail(entry, field, f"ISCO group {group} does not occur in the ESCO data")

        duration = self.get_int(entry, table, "duration_weeks")
        low, high = DURATION_WEEKS
        if not low <= duration <= high:
            self.fail(entry, "duration_weeks", f"{duration} is out of range ({low}..{high})")
        hours = self.get_int(entry, table, "hours_per_week", required=False)
        low, high = HOURS_PER_WEEK
        if hours is not None and not low <= hours <= high:
            self.fail(entry, "hours_per_week", f"{hours} is out of range ({low}..{high})")
        cost = self.get_int(entry, table, "cost_eur")
        if cost < 0:
            self.fail(entry, "cost_eur", f"{cost} is negative (use 0 for free)")
        if cost > MAX_COST:
            self.fail(entry, "cost_eur", f"{cost} is more than {MAX_COST}")

        funding = self.get_str_list(entry, table, "funding", required=True)
        for position, code in enumerate(funding):
            if code not in FUNDING_CODES:
                self.fail(
                    entry,
                    f"funding[{position}]",
                    f"unknown funding code {code!r} (allowed: {', '.join(FUNDING_CODES)})",
                )

        municipality = self.get_str(entry, table, "municipality", required=False) or None
        if municipality is not None:
            if not _CBS_RE.fullmatch(municipality):
                self.fail(
                    entry,
                    "municipality",
                    f"{municipality!r} is not a CBS municipality code (GM + 4 digits)",
                )
            if self.municipalities is not None and municipality not in self.municipalities:
                self.fail(
                    entry,
                    "municipality",
                    f"unknown municipality code {municipality} (not in region {self.region})",
                )

        url = self.get_str(entry, table, "url", required=False, max_length=_MAX["url"])
        if url and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", url):
            self.fail(entry, "url", f"{url!r} is not a web address (https://...)")
        active = table.get("active", True)
        if not isinstance(active, bool):
            self.fail(entry, "active", f"must be true or false, not {type_name(active)}")

        return TrainingData(
            key=key,
            title=title,
            provider=provider,
            description=description,
            level=level,
            sector=sector,
            isco_groups=tuple(groups),
            learning_form=learning_form,
            duration_weeks=duration,
            hours_per_week=hours,
            cost_eur=cost,
            funding=tuple(funding),
            municipality=municipality,
            url=url,
            active=active,
        )


# --------------------------------------------------------------------------- database


def load_trainings(region_code: str, path: str | Path | None = None) -> int:
    """Load the region's training file (default: the bundled one) and return the number of
    trainings in it. All or nothing: a bad file raises :class:`TrainingFileError` and changes
    nothing. Idempotent; trainings missing from the file are deactivated."""
    from django.db import transaction

    from werkcentrum.regions.models import Region

    from .models import Training

    source = Path(path) if path is not None else training_file_for(region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise TrainingFileError(
            str(source), "region", "region", f"region {region_code!r} is not loaded"
        )
    municipality_ids = dict(region.municipalities.values_list("code", "pk"))
    data = parse_training_file(source, region=region_code, municipalities=municipality_ids)

    with transaction.atomic():
        existing = {t.key: t for t in Training.objects.select_for_update().filter(region=region)}
        for item in data.trainings:
            values = {
                "title": item.title,
                "provider": item.provider,
                "description": item.description,
                "level": item.level,
                "sector": item.sector,
                "isco_groups": list(item.isco_groups),
                "learning_form": item.learning_form,
                "duration_weeks": item.duration_weeks,
                "hours_per_week": item.hours_per_week,
                "cost_eur": item.cost_eur,
                "funding": list(item.funding),
                "municipality_id": municipality_ids[item.municipality]
                if item.municipality
                else None,
                "url": item.url,
                "active": item.active,
            }
            current = existing.get(item.key)
            if current is None:
                Training.objects.create(region=region, key=item.key, **values)
            elif any(getattr(current, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(current, field, value)
                current.save()
        keys = {item.key for item in data.trainings}
        for training in existing.values():
            if training.key not in keys and training.active:
                training.active = False
                training.save(update_fields=["active", "updated_at"])
    return len(data.trainings)


def load_all_bundled_trainings() -> dict[str, int]:
    """Load every bundled training file; region code -> number of trainings in its file."""
    return {code: load_trainings(code) for code in bundled_training_files()}
