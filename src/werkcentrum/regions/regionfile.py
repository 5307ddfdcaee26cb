"""Parse and validate a region data file (``regions/data/<code>.toml``).

This module is deliberately pure: standard library only, no Django, so it can be used
by the loader, by management commands, in CI and in plain unit tests. A region file
describes one labour-market region: its subregions, municipalities (each with its four
municipal desks), walk-in points and network partners. The schema is documented in the
comment block at the top of ``data/twente.toml``.

Every problem is reported as a :class:`RegionFileError` naming the file, the entry
(``"region"`` for top-level keys, ``"municipalities[3] (Losser)"``,
``"partners[12] (uwv-twente)"``; indexes are 0-based, in file order), the field
(``"code"``, ``"opening_hours[1].opens"``, ``"desks.youth.email"``) and a message.
Validation stops at the first problem.

Normalisations applied while parsing: strings are stripped; postcodes become
``"1234 AB"``; an empty partner ``municipality`` becomes ``None``; opening hours are
expanded to one :class:`OpeningPeriod` per day, sorted by day and time; each
municipality's ``desks`` table is expanded into four partners (listed after the
explicit partners) with codes ``<gm code lowercased>-<desk>``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DAYS",
    "MUNICIPAL_DESKS",
    "PARTNER_KINDS",
    "SCHEMA_VERSION",
    "WALK_IN_SERVICES",
    "MunicipalityData",
    "OpeningPeriod",
    "PartnerData",
    "RegionData",
    "RegionFileError",
    "SubregionData",
    "WalkInPointData",
    "bundled_region_files",
    "parse_region_file",
    "parse_region_text",
]

SCHEMA_VERSION = 1

PARTNER_KINDS = (
    "werkcentrum",
    "uwv",
    "municipality",
    "social_partners",
    "training_fund",
    "sbb",
    "debt_support",
    "cross_border_info",
    "education",
    "social_development",
)
# desk -> partner kind of the partner generated for it
MUNICIPAL_DESKS = {
    "social_assistance": "municipality",
    "debt_support": "debt_support",
    "youth": "municipality",
    "civic_integration": "municipality",
}
WALK_IN_SERVICES = (
    "guide",
    "career_advice",
    "llo_advice",
    "employer_services",
    "uwv",
    "social_assistance",
    "debt_support",
    "youth",
    "civic_integration",
    "training_fund",
    "digital_help",
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DATA_DIR = Path(__file__).resolve().parent / "data"

DEFAULT_PICKUP_WORKING_DAYS = 2
PICKUP_RANGE = (1, 20)

_CBS_RE = re.compile(r"GM\d{4}")
_SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_DESK_RE = re.compile(r"[a-z][a-z0-9_]*")
_POSTCODE_RE = re.compile(r"(\d{4}) ?([A-Z]{2})")
_TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_RE = re.compile(r"[0-9+() -]+")
_TOML_LINE_RE = re.compile(r"line (\d+)")

# Lengths follow the database columns the loader writes to.
_MAX = {
    "slug": 50,  # region and subregion codes
    "code": 80,  # walk-in point and partner codes
    "short_name": 100,  # region, subregion, municipality names; city
    "name": 200,
    "version": 30,
    "desk": 40,
    "phone": 30,
    "email": 254,
    "website": 200,
}


class RegionFileError(Exception):
    """A region file is unreadable, not valid TOML, or violates the schema."""

    def __init__(self, file: str, entry: str, field: str, message: str):
        self.file = str(file)
        self.entry = entry
        self.field = field
        self.message = message
        super().__init__(f"{self.file}: {entry}: {field}: {message}")

    def __reduce__(self):  # keep the four-argument constructor picklable
        return (type(self), (self.file, self.entry, self.field, self.message))


@dataclass(frozen=True)
class SubregionData:
    code: str
    name: str


@dataclass(frozen=True)
class MunicipalityData:
    code: str  # CBS code, GM + 4 digits
    name: str
    subregion: str  # subregion code
    aliases: tuple[str, ...]
    population: int | None
    centre: tuple[float, float] | None = None  # (lat, lon) of the main town, for distances


@dataclass(frozen=True)
class OpeningPeriod:
    day: int  # 0 = Monday ... 6 = Sunday
    opens: str  # "HH:MM"
    closes: str  # "HH:MM"


@dataclass(frozen=True)
class WalkInPointData:
    code: str
    name: str
    municipality: str  # CBS code
    street: str
    postcode: str  # normalised "1234 AB"
    city: str
    is_regional_centre: bool
    services: tuple[str, ...]
    opening_hours: tuple[OpeningPeriod, ...]
    hosted_by: str
    phone: str
    email: str


@dataclass(frozen=True)
class PartnerData:
    code: str
    name: str
    kind: str  # one of PARTNER_KINDS
    desk: str  # "" if none
    municipality: str | None  # CBS code for municipality-bound partners
    default_for_kind: bool
    pickup_working_days: int
    email: str
    phone: str
    website: str


@dataclass(frozen=True)
class RegionData:
    code: str
    name: str
    version: str
    centre_municipality: str
    werkcentrum_partner: str
    subregions: tuple[SubregionData, ...]
    municipalities: tuple[MunicipalityData, ...]
    walk_in_points: tuple[WalkInPointData, ...]
    partners: tuple[PartnerData, ...]
    source_file: str

    # Small conveniences; they do not validate anything.
    def municipality(self, code: str) -> MunicipalityData:
        for item in self.municipalities:
            if item.code == code:
                return item
        raise KeyError(code)

    def partner(self, code: str) -> PartnerData:
        for item in self.partners:
            if item.code == code:
                return item
        raise KeyError(code)

    def desk_partner(self, municipality: str, desk: str) -> PartnerData:
        """The partner generated for ``desk`` of ``municipality`` (a CBS code)."""
        return self.partner(desk_partner_code(municipality, desk))


def desk_partner_code(municipality: str, desk: str) -> str:
    return f"{municipality.lower()}-{desk}"


# --------------------------------------------------------------------------- public API


def bundled_region_files() -> dict[str, Path]:
    """Region code -> path of each ``data/*.toml`` shipped with the package.

    The code is the file name without ``.toml``; bundled files keep it equal to their
    ``code`` key (checked by the tests).
    """
    if not DATA_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.toml"))}


def parse_region_file(path: str | Path) -> RegionData:
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RegionFileError(source, "file", "read", exc.strerror or str(exc)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RegionFileError(
            source, "file", "encoding", f"not UTF-8 (byte offset {exc.start})"
        ) from exc
    return parse_region_text(text, source)


def parse_region_text(text: str, source_file: str) -> RegionData:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if not _TOML_LINE_RE.search(message):
            lineno = getattr(exc, "lineno", None)
            message = f"{message} (at line {lineno})" if lineno else message
        raise RegionFileError(source_file, "file", "syntax", message) from exc
    where = _nul_path(document)
    if where:  # TOML allows "\\u0000"; no database stores it in text
        raise RegionFileError(str(source_file), "file", where, "contains a NUL character")
    return _Parser(str(source_file), document).parse()


def _nul_path(value: Any, path: str = "") -> str | None:
    """Where the first NUL character is in the parsed document, or None (like
    ``werkcentrum.core.datafile.nul_path``; this module imports nothing of the project)."""
    if isinstance(value, str):
        return (path or "value") if "\x00" in value else None
    if isinstance(value, dict):
        items = [(f"{path}.{key}" if path else key, item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    else:
        return None
    for where, item in items:
        found = where.replace("\x00", "\\u0000") if "\x00" in where else _nul_path(item, where)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- internals

_MISSING = object()

_TOP_KEYS = {
    "schema_version",
    "version",
    "code",
    "name",
    "centre_municipality",
    "werkcentrum_partner",
    "subregions",
    "municipalities",
    "walk_in_points",
    "partners",
}
_SUBREGION_KEYS = {"code", "name", "municipalities"}
_MUNICIPALITY_KEYS = {"code", "name", "aliases", "population", "centre", "desks"}
_DESK_KEYS = {"name", "phone", "email", "website", "pickup_working_days"}
_WALK_IN_KEYS = {
    "code",
    "name",
    "municipality",
    "street",
    "postcode",
    "city",
    "is_regional_centre",
    "hosted_by",
    "services",
    "phone",
    "email",
    "opening_hours",
}
_OPENING_KEYS = {"days", "opens", "closes"}
_PARTNER_KEYS = {
    "code",
    "name",
    "kind",
    "desk",
    "municipality",
    "default_for_kind",
    "pickup_working_days",
    "email",
    "phone",
    "website",
}


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class _Parser:
    def __init__(self, source: str, document: dict[str, Any]):
        self.source = source
        self.doc = document

    # ---- error helpers -----------------------------------------------------------------

    def fail(self, entry: str, field: str, message: str):
        raise RegionFileError(self.source, entry, field, message)

    def check_keys(self, entry: str, table: dict, allowed: set[str], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(entry, prefix + key, f"unknown key (allowed: {known})")

    # ---- typed getters -----------------------------------------------------------------

    def get_str(
        self,
        entry: str,
        table: dict,
        key: str,
        *,
        required: bool = True,
        max_length: int | None = None,
        prefix: str = "",
    ) -> str:
        field = prefix + key
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(entry, field, "missing (required)")
            return ""
        if not isinstance(value, str):
            self.fail(entry, field, f"must be a string, not {_type_name(value)}")
        value = value.strip()
        if required and not value:
            self.fail(entry, field, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.fail(entry, field, f"longer than {max_length} characters")
        return value

    def get_bool(self, entry: str, table: dict, key: str, *, default: bool = False) -> bool:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(entry, key, f"must be true or false, not {_type_name(value)}")
        return value

    def get_int(self, entry: str, table: dict, key: str, *, prefix: str = "") -> int | object:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return _MISSING
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(entry, prefix + key, f"must be an integer, not {_type_name(value)}")
        return value

    def get_list(self, entry: str, table: dict, key: str, *, required: bool = True) -> list:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(entry, key, "missing (required)")
            return []
        if not isinstance(value, list):
            self.fail(entry, key, f"must be an array, not {_type_name(value)}")
        return value

    def get_tables(self, key: str, *, required: bool = True) -> list[dict]:
        value = self.doc.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail("region", key, f"missing (at least one [[{key}]] entry is required)")
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail("region", key, f"must be an array of tables ([[{key}]])")
        if required and not value:
            self.fail("region", key, f"at least one [[{key}]] entry is required")
        return value

    # ---- value checks ------------------------------------------------------------------

    def check_slug(self, entry: str, field: str, value: str, max_length: int) -> str:
        if not _SLUG_RE.fullmatch(value):
            self.fail(
                entry,
                field,
                f"{value!r} is not a valid code (lowercase letters, digits, '-' and '_')",
            )
        if len(value) > max_length:
            self.fail(entry, field, f"longer than {max_length} characters")
        return value

    def check_cbs(self, entry: str, field: str, value: str) -> str:
        if not _CBS_RE.fullmatch(value):
            self.fail(entry, field, f"{value!r} is not a CBS municipality code (GM + 4 digits)")
        return value

    def check_contact(self, entry: str, table: dict, prefix: str = "") -> tuple[str, str, str]:
        """Optional phone, email and (if allowed in the table) website."""
        phone = self.get_str(entry, table, "phone", required=False, prefix=prefix)
        email = self.get_str(entry, table, "email", required=False, prefix=prefix)
        website = self.get_str(entry, table, "website", required=False, prefix=prefix)
        if phone and (not _PHONE_RE.fullmatch(phone) or len(phone) > _MAX["phone"]):
            self.fail(
                entry,
                prefix + "phone",
                f"{phone!r} is not a phone number (digits, spaces, + ( ) -, at most "
                f"{_MAX['phone']} characters)",
            )
        if email and (not _EMAIL_RE.fullmatch(email) or len(email) > _MAX["email"]):
            self.fail(entry, prefix + "email", f"{email!r} is not an e-mail address")
        if website and (
            not website.startswith(("https://", "http://")) or len(website) > _MAX["website"]
        ):
            self.fail(entry, prefix + "website", f"{website!r} must start with https://")
        return phone, email, website

    def check_pickup(self, entry: str, table: dict, prefix: str = "") -> int:
        value = self.get_int(entry, table, "pickup_working_days", prefix=prefix)
        if value is _MISSING:
            return DEFAULT_PICKUP_WORKING_DAYS
        low, high = PICKUP_RANGE
        if not low <= value <= high:
            self.fail(
                entry,
                prefix + "pickup_working_days",
                f"{value} is out of range (working days, {low}..{high})",
            )
        return value

    # ---- sections ----------------------------------------------------------------------

    def parse(self) -> RegionData:
        doc = self.doc
        self.check_keys("region", doc, _TOP_KEYS)

        schema = doc.get("schema_version", _MISSING)
        if schema is _MISSING:
            self.fail("region", "schema_version", f"missing (required, must be {SCHEMA_VERSION})")
        if isinstance(schema, bool) or not isinstance(schema, int):
            self.fail("region", "schema_version", f"must be an integer, not {_type_name(schema)}")
        if schema != SCHEMA_VERSION:
            self.fail(
                "region",
                "schema_version",
                f"unsupported schema version {schema} (this software reads {SCHEMA_VERSION})",
            )

        code = self.check_slug("region", "code", self.get_str("region", doc, "code"), _MAX["slug"])
        name = self.get_str("region", doc, "name", max_length=_MAX["short_name"])
        version = self.get_str("region", doc, "version", max_length=_MAX["version"])
        centre = self.check_cbs(
            "region", "centre_municipality", self.get_str("region", doc, "centre_municipality")
        )
        werkcentrum_code = self.check_slug(
            "region",
            "werkcentrum_partner",
            self.get_str("region", doc, "werkcentrum_partner"),
            _MAX["code"],
        )

        subregions, members = self.parse_subregions()
        municipalities, desk_partners, desk_origin = self.parse_municipalities(members)
        municipality_codes = {m.code for m in municipalities}

        if centre not in municipality_codes:
            self.fail(
                "region",
                "centre_municipality",
                f"{centre} is not one of the region's municipalities",
            )

        walk_in_points = self.parse_walk_in_points(municipality_codes)
        self.check_walk_in_coverage(municipalities, walk_in_points)

        partners = self.parse_partners(municipality_codes, desk_origin)
        all_partners = (*partners, *desk_partners)
        self.check_defaults(partners)
        self.check_werkcentrum(partners, werkcentrum_code)

        return RegionData(
            code=code,
            name=name,
            version=version,
            centre_municipality=centre,
            werkcentrum_partner=werkcentrum_code,
            subregions=tuple(subregions),
            municipalities=tuple(municipalities),
            walk_in_points=tuple(walk_in_points),
            partners=all_partners,
            source_file=self.source,
        )

    def parse_subregions(self) -> tuple[list[SubregionData], dict[str, tuple[str, str]]]:
        """Subregions, and municipality code -> (subregion code, subregion entry label)."""
        result: list[SubregionData] = []
        seen: dict[str, str] = {}
        members: dict[str, tuple[str, str]] = {}
        for index, table in enumerate(self.get_tables("subregions")):
            entry = _label("subregions", index, table.get("code"))
            self.check_keys(entry, table, _SUBREGION_KEYS)
            code = self.check_slug(entry, "code", self.get_str(entry, table, "code"), _MAX["slug"])
            if code in seen:
                self.fail(entry, "code", f"duplicate subregion code {code!r} (also {seen[code]})")
            seen[code] = entry
            name = self.get_str(entry, table, "name", max_length=_MAX["short_name"])
            listed = self.get_list(entry, table, "municipalities")
            if not listed:
                self.fail(entry, "municipalities", "must list at least one municipality")
            for position, value in enumerate(listed):
                field = f"municipalities[{position}]"
                if not isinstance(value, str):
                    self.fail(entry, field, f"must be a string, not {_type_name(value)}")
                gm = self.check_cbs(entry, field, value.strip())
                if gm in members:
                    other_code, other_entry = members[gm]
                    where = "this subregion" if other_code == code else f"subregion {other_entry}"
                    self.fail(entry, field, f"{gm} is already listed in {where}")
                members[gm] = (code, entry)
            result.append(SubregionData(code=code, name=name))
        return result, members

    def parse_municipalities(
        self, members: dict[str, tuple[str, str]]
    ) -> tuple[list[MunicipalityData], list[PartnerData], dict[str, str]]:
        result: list[MunicipalityData] = []
        desk_partners: list[PartnerData] = []
        desk_origin: dict[str, str] = {}  # generated partner code -> "<entry> desks.<desk>"
        seen: dict[str, str] = {}
        names: dict[str, str] = {}  # casefolded name or alias -> entry that uses it
        for index, table in enumerate(self.get_tables("municipalities")):
            entry = _label("municipalities", index, table.get("name"))
            self.check_keys(entry, table, _MUNICIPALITY_KEYS)
            code = self.check_cbs(entry, "code", self.get_str(entry, table, "code"))
            if code in seen:
                self.fail(entry, "code", f"duplicate municipality code {code} (also {seen[code]})")
            seen[code] = entry
            name = self.get_str(entry, table, "name", max_length=_MAX["short_name"])

            aliases: list[str] = []
            for position, value in enumerate(
                self.get_list(entry, table, "aliases", required=False)
            ):
                field = f"aliases[{position}]"
                if not isinstance(value, str) or not value.strip():
                    self.fail(entry, field, "must be a non-empty string")
                aliases.append(value.strip())
            for field, label in [("name", name)] + [
                (f"aliases[{i}]", alias) for i, alias in enumerate(aliases)
            ]:
                key = label.casefold()
                if key in names:
                    self.fail(entry, field, f"{label!r} is already used by {names[key]}")
                names[key] = entry

            population = self.get_int(entry, table, "population")
            if population is _MISSING:
                population = None
            elif population <= 0:
                self.fail(entry, "population", "must be a positive integer")

            centre = table.get("centre")
            if centre is not None:
                if (
                    not isinstance(centre, list)
                    or len(centre) != 2
                    or not all(
                        isinstance(v, int | float) and not isinstance(v, bool) for v in centre
                    )
                    or not (50.5 <= centre[0] <= 53.7 and 3.2 <= centre[1] <= 7.3)
                ):
                    self.fail(entry, "centre", "must be [lat, lon] within the Netherlands")
                centre = (float(centre[0]), float(centre[1]))

            if code not in members:
                self.fail(entry, "subregion", f"{code} is not listed in any subregion")
            subregion = members[code][0]

            desks = table.get("desks", _MISSING)
            if desks is _MISSING:
                self.fail(entry, "desks", "missing (required: " + ", ".join(MUNICIPAL_DESKS) + ")")
            if not isinstance(desks, dict):
                self.fail(entry, "desks", f"must be a table, not {_type_name(desks)}")
            self.check_keys(entry, desks, set(MUNICIPAL_DESKS), prefix="desks.")
            for desk, kind in MUNICIPAL_DESKS.items():
                desk_table = desks.get(desk, _MISSING)
                prefix = f"desks.{desk}."
                if desk_table is _MISSING:
                    self.fail(entry, f"desks.{desk}", "missing (every municipality has this desk)")
                if not isinstance(desk_table, dict):
                    self.fail(
                        entry, f"desks.{desk}", f"must be a table, not {_type_name(desk_table)}"
                    )
                self.check_keys(entry, desk_table, _DESK_KEYS, prefix=prefix)
                desk_name = self.get_str(
                    entry, desk_table, "name", max_length=_MAX["name"], prefix=prefix
                )
                phone, email, website = self.check_contact(entry, desk_table, prefix=prefix)
                pickup = self.check_pickup(entry, desk_table, prefix=prefix)
                partner_code = desk_partner_code(code, desk)
                desk_origin[partner_code] = f"{entry} desks.{desk}"
                desk_partners.append(
                    PartnerData(
                        code=partner_code,
                        name=desk_name,
                        kind=kind,
                        desk=desk,
                        municipality=code,
                        default_for_kind=False,
                        pickup_working_days=pickup,
                        email=email,
                        phone=phone,
                        website=website,
                    )
                )
            result.append(
                MunicipalityData(
                    code=code,
                    name=name,
                    subregion=subregion,
                    aliases=tuple(aliases),
                    population=population,
                    centre=centre,
                )
            )

        for gm, (_sub_code, sub_entry) in members.items():
            if gm not in seen:
                self.fail(
                    sub_entry,
                    "municipalities",
                    f"{gm} has no [[municipalities]] entry",
                )
        return result, desk_partners, desk_origin

    def parse_walk_in_points(self, municipality_codes: set[str]) -> list[WalkInPointData]:
        result: list[WalkInPointData] = []
        seen: dict[str, str] = {}
        centre_entry: str | None = None
        for index, table in enumerate(self.get_tables("walk_in_points")):
            entry = _label("walk_in_points", index, table.get("code"))
            self.check_keys(entry, table, _WALK_IN_KEYS)
            code = self.check_slug(entry, "code", self.get_str(entry, table, "code"), _MAX["code"])
            if code in seen:
                self.fail(
                    entry, "code", f"duplicate walk-in point code {code!r} (also {seen[code]})"
                )
            seen[code] = entry
            name = self.get_str(entry, table, "name", max_length=_MAX["name"])
            municipality = self.check_cbs(
                entry, "municipality", self.get_str(entry, table, "municipality")
            )
            if municipality not in municipality_codes:
                self.fail(
                    entry,
                    "municipality",
                    f"{municipality} is not one of the region's municipalities",
                )
            street = self.get_str(entry, table, "street", max_length=_MAX["name"])
            raw_postcode = self.get_str(entry, table, "postcode")
            match = _POSTCODE_RE.fullmatch(raw_postcode)
            if not match:
                self.fail(entry, "postcode", f"{raw_postcode!r} is not a Dutch postcode (1234 AB)")
            postcode = f"{match.group(1)} {match.group(2)}"
            city = self.get_str(entry, table, "city", max_length=_MAX["short_name"])
            is_centre = self.get_bool(entry, table, "is_regional_centre")
            if is_centre:
                if centre_entry is not None:
                    self.fail(
                        entry,
                        "is_regional_centre",
                        f"there is exactly one regional centre; {centre_entry} already is it",
                    )
                centre_entry = entry
            hosted_by = self.get_str(
                entry, table, "hosted_by", required=False, max_length=_MAX["name"]
            )
            phone, email, website = self.check_contact(entry, table)

            services: list[str] = []
            listed = self.get_list(entry, table, "services")
            if not listed:
                self.fail(entry, "services", "must list at least one service")
            for position, value in enumerate(listed):
                field = f"services[{position}]"
                if not isinstance(value, str) or value not in WALK_IN_SERVICES:
                    self.fail(
                        entry,
                        field,
                        f"{value!r} is not a known service (known: {', '.join(WALK_IN_SERVICES)})",
                    )
                if value in services:
                    self.fail(entry, field, f"service {value!r} is listed twice")
                services.append(value)

            opening_hours = self.parse_opening_hours(entry, table)
            result.append(
                WalkInPointData(
                    code=code,
                    name=name,
                    municipality=municipality,
                    street=street,
                    postcode=postcode,
                    city=city,
                    is_regional_centre=is_centre,
                    services=tuple(services),
                    opening_hours=opening_hours,
                    hosted_by=hosted_by,
                    phone=phone,
                    email=email,
                )
            )
        if centre_entry is None:
            self.fail(
                "region",
                "walk_in_points",
                "no regional centre (set is_regional_centre = true on exactly one walk-in point)",
            )
        return result

    def parse_opening_hours(self, entry: str, table: dict) -> tuple[OpeningPeriod, ...]:
        listed = self.get_list(entry, table, "opening_hours")
        if not listed:
            self.fail(
                entry, "opening_hours", "must list at least one period (walk-in hours are fixed)"
            )
        periods: list[tuple[OpeningPeriod, str]] = []
        for position, item in enumerate(listed):
            base = f"opening_hours[{position}]"
            if not isinstance(item, dict):
                self.fail(entry, base, f"must be a table, not {_type_name(item)}")
            self.check_keys(entry, item, _OPENING_KEYS, prefix=base + ".")
            days = item.get("days", _MISSING)
            if days is _MISSING:
                self.fail(entry, base + ".days", "missing (required)")
            if not isinstance(days, list) or not days:
                self.fail(entry, base + ".days", "must be a non-empty array of day names")
            day_numbers: list[int] = []
            for day_position, day in enumerate(days):
                field = f"{base}.days[{day_position}]"
                if not isinstance(day, str) or day not in DAYS:
                    self.fail(entry, field, f"{day!r} is not a day (use {', '.join(DAYS)})")
                number = DAYS.index(day)
                if number in day_numbers:
                    self.fail(entry, field, f"{day!r} is listed twice")
                day_numbers.append(number)
            times = {}
            for key in ("opens", "closes"):
                value = item.get(key, _MISSING)
                field = f"{base}.{key}"
                if value is _MISSING:
                    self.fail(entry, field, "missing (required)")
                if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
                    self.fail(entry, field, f"{value!r} is not a time (HH:MM, 00:00..23:59)")
                times[key] = value
            if times["opens"] >= times["closes"]:
                self.fail(
                    entry,
                    base + ".closes",
                    f"closes at {times['closes']}, not after it opens at {times['opens']}",
                )
            for number in day_numbers:
                periods.append((OpeningPeriod(number, times["opens"], times["closes"]), base))

        periods.sort(key=lambda pair: (pair[0].day, pair[0].opens))
        for (previous, _), (current, base) in zip(periods, periods[1:], strict=False):
            if previous.day == current.day and current.opens < previous.closes:
                self.fail(
                    entry,
                    base,
                    f"overlaps another period on {DAYS[current.day]} "
                    f"({previous.opens}-{previous.closes})",
                )
        return tuple(period for period, _ in periods)

    def check_walk_in_coverage(
        self, municipalities: list[MunicipalityData], points: list[WalkInPointData]
    ) -> None:
        covered = {point.municipality for point in points}
        for index, municipality in enumerate(municipalities):
            if municipality.code not in covered:
                self.fail(
                    _label("municipalities", index, municipality.name),
                    "walk_in_points",
                    f"{municipality.code} has no walk-in point (at least one per municipality)",
                )

    def parse_partners(
        self, municipality_codes: set[str], desk_origin: dict[str, str]
    ) -> list[PartnerData]:
        result: list[PartnerData] = []
        seen: dict[str, str] = dict(desk_origin)
        for index, table in enumerate(self.get_tables("partners")):
            entry = _label("partners", index, table.get("code"))
            self.check_keys(entry, table, _PARTNER_KEYS)
            code = self.check_slug(entry, "code", self.get_str(entry, table, "code"), _MAX["code"])
            if code in seen:
                self.fail(entry, "code", f"duplicate partner code {code!r} (also {seen[code]})")
            seen[code] = entry
            name = self.get_str(entry, table, "name", max_length=_MAX["name"])
            kind = self.get_str(entry, table, "kind")
            if kind not in PARTNER_KINDS:
                self.fail(
                    entry,
                    "kind",
                    f"{kind!r} is not a partner kind (known: {', '.join(PARTNER_KINDS)})",
                )
            desk = self.get_str(entry, table, "desk", required=False)
            if desk and (not _DESK_RE.fullmatch(desk) or len(desk) > _MAX["desk"]):
                self.fail(
                    entry, "desk", f"{desk!r} is not a desk name (lowercase letters, digits, '_')"
                )
            municipality: str | None = self.get_str(entry, table, "municipality", required=False)
            if municipality:
                self.check_cbs(entry, "municipality", municipality)
                if municipality not in municipality_codes:
                    self.fail(
                        entry,
                        "municipality",
                        f"{municipality} is not one of the region's municipalities",
                    )
                if desk in MUNICIPAL_DESKS:
                    self.fail(
                        entry,
                        "desk",
                        f"desk {desk!r} of {municipality} is defined in the municipality's "
                        f"[municipalities.desks] table ({desk_origin[desk_partner_code(municipality, desk)]})",
                    )
            else:
                municipality = None
            default = self.get_bool(entry, table, "default_for_kind")
            pickup = self.check_pickup(entry, table)
            phone, email, website = self.check_contact(entry, table)
            result.append(
                PartnerData(
                    code=code,
                    name=name,
                    kind=kind,
                    desk=desk,
                    municipality=municipality,
                    default_for_kind=default,
                    pickup_working_days=pickup,
                    email=email,
                    phone=phone,
                    website=website,
                )
            )
        return result

    def check_defaults(self, partners: list[PartnerData]) -> None:
        """At most one default partner per kind (per kind and municipality when bound)."""
        defaults: dict[tuple[str, str | None], str] = {}
        for index, partner in enumerate(partners):
            if not partner.default_for_kind:
                continue
            key = (partner.kind, partner.municipality)
            entry = _label("partners", index, partner.code)
            if key in defaults:
                scope = f"kind {partner.kind!r}"
                if partner.municipality:
                    scope += f" in {partner.municipality}"
                self.fail(
                    entry,
                    "default_for_kind",
                    f"{defaults[key]} is already the default partner for {scope}",
                )
            defaults[key] = entry

    def check_werkcentrum(self, partners: list[PartnerData], werkcentrum_code: str) -> None:
        by_code = {partner.code: (index, partner) for index, partner in enumerate(partners)}
        if werkcentrum_code not in by_code:
            self.fail(
                "region",
                "werkcentrum_partner",
                f"{werkcentrum_code!r} is not one of the [[partners]]",
            )
        index, partner = by_code[werkcentrum_code]
        entry = _label("partners", index, partner.code)
        if partner.kind != "werkcentrum":
            self.fail(
                entry, "kind", "the region's werkcentrum_partner must have kind 'werkcentrum'"
            )
        if partner.municipality is not None:
            self.fail(
                entry,
                "municipality",
                "the region's Werkcentrum is regional; leave municipality empty",
            )
        if not partner.default_for_kind:
            self.fail(
                entry,
                "default_for_kind",
                "the region's werkcentrum_partner must be the default for kind 'werkcentrum'",
            )
        for other_index, other in enumerate(partners):
            if (
                other.kind == "werkcentrum"
                and other.default_for_kind
                and other.code != werkcentrum_code
            ):
                self.fail(
                    _label("partners", other_index, other.code),
                    "default_for_kind",
                    f"only the region's werkcentrum_partner ({werkcentrum_code}) is the default Werkcentrum",
                )


def _label(section: str, index: int, name: Any) -> str:
    if isinstance(name, str) and name.strip():
        return f"{section}[{index}] ({name.strip()})"
    return f"{section}[{index}]"
