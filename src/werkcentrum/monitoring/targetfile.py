"""Parse and check a region's target file (``data/<region>.toml``). Pure: no Django.

Every problem raises :class:`TargetFileError` naming the file, the entry and the field, so a
bad file changes nothing. Totals are not part of the format: reports compute them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from werkcentrum.core.datafile import reject_nul

DATA_DIR = Path(__file__).resolve().parent / "data"

# indicator code -> the dimensions it may be split by
INDICATORS: dict[str, tuple[str, ...]] = {
    "placements": ("regime", "municipality", "subregion"),
    "contacts": ("none",),
    "handovers_in_time_pct": ("none",),
    "trajectories_to_work": ("none",),
    "llo_conversations": ("none",),
    "vouchers": ("none",),
    "employer_nps": ("none",),
    "appointments_kept_pct": ("none",),
}
PERCENT_INDICATORS = {"handovers_in_time_pct", "appointments_kept_pct"}
REGIMES = ("ww", "eures", "wajong", "wia")
MAX_VALUE = 1_000_000
_MUNICIPALITY = re.compile(r"^GM\d{4}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class TargetFileError(ValueError):
    def __init__(self, source: str, entry: str, field_name: str, problem: str):
        self.source, self.entry, self.field, self.problem = source, entry, field_name, problem
        super().__init__(f"{source}: {entry}: {field_name}: {problem}")


@dataclass(frozen=True)
class Row:
    indicator: str
    dimension: str  # none | regime | municipality | subregion
    key: str
    value: int


@dataclass
class YearTargets:
    year: int
    note: str = ""
    printed_total: int | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class TargetData:
    region: str
    source: str
    years: list[YearTargets]


def bundled_target_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(DATA_DIR.glob("*.toml"))}


def _value(source, entry, name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TargetFileError(source, entry, name, "must be a whole number")
    if value < 0 or value > MAX_VALUE:
        raise TargetFileError(source, entry, name, f"must be between 0 and {MAX_VALUE}")
    return value


def parse_target_text(text: str, source: str = "<text>", region: str | None = None) -> TargetData:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TargetFileError(source, "file", "toml", str(exc)) from exc
    reject_nul(raw, source, TargetFileError)
    code = raw.get("region")
    if not isinstance(code, str) or not _SLUG.match(code):
        raise TargetFileError(source, "file", "region", "a region code is required")
    if region is not None and code != region:
        raise TargetFileError(source, "file", "region", f"is {code!r}, expected {region!r}")
    years_raw = raw.get("years")
    if not isinstance(years_raw, list) or not years_raw:
        raise TargetFileError(source, "file", "years", "at least one [[years]] entry is required")
    seen_years: set[int] = set()
    years = []
    for index, item in enumerate(years_raw):
        entry = f"years[{index}]"
        if not isinstance(item, dict):
            raise TargetFileError(source, entry, "years", "must be a table")
        year = item.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise TargetFileError(source, entry, "year", "must be a year between 2000 and 2100")
        if year in seen_years:
            raise TargetFileError(source, entry, "year", f"{year} appears twice")
        seen_years.add(year)
        entry = f"years[{index}] ({year})"
        note = item.get("note", "")
        if not isinstance(note, str) or len(note) > 300:
            raise TargetFileError(source, entry, "note", "must be text of at most 300 characters")
        printed = item.get("printed_total")
        if printed is not None:
            printed = _value(source, entry, "printed_total", printed)
        targets = item.get("targets", {})
        if not isinstance(targets, dict):
            raise TargetFileError(source, entry, "targets", "must be a table")
        rows = parse_rows(targets, source, entry)
        years.append(YearTargets(year=year, note=note, printed_total=printed, rows=rows))
    extra = str(raw.get("source", ""))[:300]
    return TargetData(region=code, source=extra, years=years)


def parse_rows(targets: dict, source: str = "<text>", entry: str = "targets") -> list[Row]:
    rows: list[Row] = []
    for indicator, spec in targets.items():
        if indicator not in INDICATORS:
            known = ", ".join(INDICATORS)
            raise TargetFileError(source, entry, indicator, f"unknown indicator (known: {known})")
        if not isinstance(spec, dict):
            raise TargetFileError(source, entry, indicator, "must be a table")
        allowed = INDICATORS[indicator]
        for dim, values in spec.items():
            name = f"{indicator}.{dim}"
            if dim == "total":
                if "none" not in allowed:
                    raise TargetFileError(source, entry, name, "this indicator needs a split")
                value = _value(source, entry, name, values)
                if indicator in PERCENT_INDICATORS and value > 100:
                    raise TargetFileError(source, entry, name, "a percentage is at most 100")
                rows.append(Row(indicator, "none", "", value))
                continue
            if dim not in allowed:
                raise TargetFileError(source, entry, name, "unknown dimension for this indicator")
            if not isinstance(values, dict):
                raise TargetFileError(source, entry, name, "must be a table of key = number")
            for key, value in values.items():
                if dim == "regime" and key not in REGIMES:
                    raise TargetFileError(source, entry, f"{name}.{key}", "unknown regime")
                if dim == "municipality" and not _MUNICIPALITY.match(key):
                    raise TargetFileError(source, entry, f"{name}.{key}", "not a CBS code")
                if dim == "subregion" and not _SLUG.match(key):
                    raise TargetFileError(source, entry, f"{name}.{key}", "not a subregion code")
                rows.append(Row(indicator, dim, key, _value(source, entry, f"{name}.{key}", value)))
    return rows


def parse_target_file(path: str | Path, region: str | None = None) -> TargetData:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetFileError(str(path), "file", "read", str(exc)) from exc
    return parse_target_text(text, str(path), region)


def check_against_region(
    rows: list[Row],
    municipality_subregion: dict[str, str],
    subregions: set[str],
    source: str = "<text>",
    entry: str = "targets",
) -> None:
    """Every code exists in the region, and no subregion has a target of its own as well as
    targets for its municipalities (that would count the same placements twice)."""
    with_municipal = set()
    for row in rows:
        if row.dimension == "municipality":
            if row.key not in municipality_subregion:
                raise TargetFileError(source, entry, row.key, "municipality not in this region")
            with_municipal.add((row.indicator, municipality_subregion[row.key]))
        elif row.dimension == "subregion" and row.key not in subregions:
            raise TargetFileError(source, entry, row.key, "subregion not in this region")
    for row in rows:
        if row.dimension == "subregion" and (row.indicator, row.key) in with_municipal:
            raise TargetFileError(
                source,
                entry,
                row.key,
                "has a subregion target and municipality targets; keep one of the two",
            )
