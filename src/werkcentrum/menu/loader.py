"""Parse, validate and load a region's service menu (``menu/data/<region>.toml``).

Parsing is pure (standard library and the pure eligibility/triage modules, no Django):
:func:`parse_menu_file` and :func:`parse_menu_text` return a :class:`MenuData` or raise one
:class:`MenuFileError` naming the file, the entry (``"services[3] (jobcoach)"``, 0-based in
file order, or ``"file"``/``"meta"``), the field and what is wrong, on one line. Validation
stops at the first problem. Provider partner codes and municipality codes are checked
against the codes passed in (the loader passes the region's partners and municipalities).

:func:`load_menu` (the only part that touches the database; Django is imported inside it)
parses the whole file first and then writes in one transaction: upsert on (region, code);
services no longer in the file are deactivated, never deleted. Loading the same file twice
changes nothing (unchanged rows are not even saved). :func:`write_menu` is the same writer
for data that came from elsewhere (the HSDS import). The format is documented in
docs/service-menu.md and at the top of ``data/twente.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from datetime import date
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
from werkcentrum.regions.regionfile import WALK_IN_SERVICES
from werkcentrum.triage import ASKER_TYPES, BENEFITS, TOPICS, WORK_STATUSES

from .eligibility import MAX_AGE, Rules

__all__ = [
    "SCHEMA_VERSION",
    "MenuData",
    "MenuFileError",
    "ServiceData",
    "bundled_menu_files",
    "load_all_bundled_menus",
    "load_menu",
    "menu_file_for",
    "parse_menu_data",
    "parse_menu_file",
    "parse_menu_text",
    "write_menu",
]

SCHEMA_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"

# Lengths follow the database columns.
_MAX = {
    "code": 80,
    "name": 200,
    "description": 2000,
    "target_group": 100,
    "costs": 1000,
    "funding": 1000,
    "how_to_apply": 1000,
    "contact_name": 200,
    "phone": 30,
    "email": 254,
    "website": 200,
    "capacity_period": 50,
    "approved_by": 200,
}
MAX_PLACES = 100_000
MAX_VERSION = 100_000

_SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_CBS_RE = re.compile(r"GM\d{4}")
_URL_RE = re.compile(r"https?://[^\s/]+\.[^\s]+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

_TOP_KEYS = {"schema_version", "region", "meta", "services"}
_META_KEYS = {"note", "version", "approved_by", "approved_on", "province"}
_SERVICE_KEYS = {
    "code",
    "provider",
    "name",
    "description",
    "target_groups",
    "topics",
    "asker",
    "benefit",
    "work_status",
    "municipalities",
    "age_min",
    "age_max",
    "job_agreement",
    "costs",
    "funding",
    "how_to_apply",
    "contact_name",
    "phone",
    "email",
    "website",
    "walk_in_service",
    "valid_from",
    "valid_until",
    "capacity",
    "capacity_period",
    "places_left",
    "budget_available",
    "version",
    "approved_by",
    "approved_on",
    "active",
}


class MenuFileError(DataFileError):
    """A menu file is unreadable, not valid TOML, or violates the schema."""


@dataclass(frozen=True)
class ServiceData:
    """One service of the menu as the file (or an HSDS import) describes it."""

    code: str
    provider: str  # partner code
    name: str
    description: str
    target_groups: tuple[str, ...]
    topics: tuple[str, ...]
    askers: tuple[str, ...]
    benefits: tuple[str, ...]
    work_statuses: tuple[str, ...]
    municipalities: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    job_agreement: bool
    costs: str
    funding: str
    how_to_apply: str
    contact_name: str
    phone: str
    email: str
    website: str
    walk_in_service: str
    valid_from: date | None
    valid_until: date | None
    capacity: int | None
    capacity_period: str
    places_left: int | None
    budget_available: bool
    version: int
    approved_by: str
    approved_on: date | None
    active: bool

    @property
    def rules(self) -> Rules:
        return Rules(
            askers=self.askers,
            benefits=self.benefits,
            work_statuses=self.work_statuses,
            municipalities=self.municipalities,
            age_min=self.age_min,
            age_max=self.age_max,
            job_agreement=self.job_agreement,
        )

    @property
    def available(self) -> bool:
        return self.budget_available and self.places_left != 0


SERVICE_FIELDS = tuple(f.name for f in fields(ServiceData))


@dataclass(frozen=True)
class MenuData:
    region: str
    version: str
    note: str
    approved_by: str
    approved_on: date | None
    province: str
    services: tuple[ServiceData, ...]
    source_file: str


# --------------------------------------------------------------------------- public API


def bundled_menu_files() -> dict[str, Path]:
    """Region code -> the ``data/<code>.toml`` menu file shipped with the package."""
    if not DATA_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(DATA_DIR.glob("*.toml"))}


def menu_file_for(region_code: str) -> Path:
    files = bundled_menu_files()
    if region_code not in files:
        known = ", ".join(sorted(files)) or "none"
        raise MenuFileError(region_code, "region", "code", f"no bundled menu file (known: {known})")
    return files[region_code]


def parse_menu_file(
    path: str | Path,
    *,
    region: str | None = None,
    partners: Collection[str] | None = None,
    municipalities: Collection[str] | None = None,
) -> MenuData:
    source = str(path)
    text = read_text(path, MenuFileError)
    return parse_menu_text(
        text, source, region=region, partners=partners, municipalities=municipalities
    )


def parse_menu_text(
    text: str,
    source_file: str,
    *,
    region: str | None = None,
    partners: Collection[str] | None = None,
    municipalities: Collection[str] | None = None,
) -> MenuData:
    """Parse a menu file. ``region``: the region code the file must declare (None: any);
    ``partners``/``municipalities``: the codes allowed (None: any well-formed code)."""
    document = parse_toml(text, source_file, MenuFileError)
    return parse_menu_data(
        document, source_file, region=region, partners=partners, municipalities=municipalities
    )


def parse_menu_data(
    document: Mapping[str, Any],
    source_file: str,
    *,
    region: str | None = None,
    partners: Collection[str] | None = None,
    municipalities: Collection[str] | None = None,
) -> MenuData:
    """Validate an already decoded document (TOML, or what the HSDS import rebuilt)."""
    return _Parser(
        str(source_file),
        dict(document),
        region,
        frozenset(partners) if partners is not None else None,
        frozenset(municipalities) if municipalities is not None else None,
    ).parse()


# --------------------------------------------------------------------------- internals


def _label(index: int, code: Any) -> str:
    if isinstance(code, str) and code.strip():
        return f"services[{index}] ({code.strip()})"
    return f"services[{index}]"


class _Parser(FieldReader):
    error = MenuFileError

    def __init__(
        self,
        source: str,
        document: dict[str, Any],
        expected_region: str | None,
        partners: frozenset[str] | None,
        municipalities: frozenset[str] | None,
    ):
        self.source = source
        self.doc = document
        self.expected_region = expected_region
        self.partners = partners
        self.municipalities = municipalities
        self.region = ""

    # ---- typed getters -----------------------------------------------------------------

    def get_str(self, entry: str, table: dict, key: str, **options) -> str:
        # Names and short texts are one line; a description keeps its line breaks.
        return super().get_str(entry, table, key, collapse_spaces=key != "description", **options)

    def get_int(self, entry: str, table: dict, key: str, low: int, high: int) -> int | None:
        value = table.get(key, _MISSING)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(entry, key, f"must be an integer, not {type_name(value)}")
        if not low <= value <= high:
            self.fail(entry, key, f"{value} is out of range ({low}..{high})")
        return value

    def get_bool(self, entry: str, table: dict, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(entry, key, f"must be true or false, not {type_name(value)}")
        return value

    def get_date(self, entry: str, table: dict, key: str) -> date | None:
        value = table.get(key, _MISSING)
        if value is _MISSING or value is None or value == "":
            return None
        if isinstance(value, str):  # the HSDS import passes ISO strings
            try:
                value = date.fromisoformat(value)
            except ValueError:
                self.fail(entry, key, f"{value!r} is not a date (YYYY-MM-DD)")
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.fail(entry, key, f"must be a date (YYYY-MM-DD, unquoted), not {type_name(value)}")
        return value

    def get_list(
        self, entry: str, table: dict, key: str, choices: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        value = table.get(key, _MISSING)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list | tuple):
            self.fail(entry, key, f"must be an array, not {type_name(value)}")
        seen: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(entry, f"{key}[{index}]", f"must be a string, not {type_name(item)}")
            item = item.strip()
            if not item:
                self.fail(entry, f"{key}[{index}]", "must not be empty")
            if choices is not None and item not in choices:
                self.fail(
                    entry,
                    f"{key}[{index}]",
                    f"unknown value {item!r} (allowed: {', '.join(choices)})",
                )
            if item in seen:
                self.fail(entry, f"{key}[{index}]", f"{item!r} is listed twice")
            seen.append(item)
        return tuple(seen)

    # ---- sections ----------------------------------------------------------------------

    def parse(self) -> MenuData:
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
            self.fail("meta", "meta", "missing: a [meta] table with note and version is required")
        if not isinstance(meta, dict):
            self.fail("meta", "meta", f"must be a table ([meta]), not {type_name(meta)}")
        self.check_keys("meta", meta, _META_KEYS)
        note = self.get_str("meta", meta, "note")
        version = self.get_str("meta", meta, "version", max_length=30)
        approved_by = self.get_str(
            "meta", meta, "approved_by", required=False, max_length=_MAX["approved_by"]
        )
        approved_on = self.get_date("meta", meta, "approved_on")
        if bool(approved_by) != (approved_on is not None):
            self.fail("meta", "approved_on", "approved_by and approved_on go together")
        province = self.get_str("meta", meta, "province", required=False, max_length=50)

        entries = doc.get("services", _MISSING)
        if entries is _MISSING:
            self.fail("file", "services", "missing (at least one [[services]] entry)")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            self.fail("file", "services", "must be an array of tables ([[services]])")
        if not entries:
            self.fail("file", "services", "at least one [[services]] entry is required")

        services: list[ServiceData] = []
        first_index: dict[str, int] = {}
        for index, table in enumerate(entries):
            item = self.service(index, table, approved_by, approved_on)
            if item.code in first_index:
                self.fail(
                    _label(index, item.code),
                    "code",
                    f"duplicate code (also services[{first_index[item.code]}])",
                )
            first_index[item.code] = index
            services.append(item)
        return MenuData(
            region=region,
            version=version,
            note=note,
            approved_by=approved_by,
            approved_on=approved_on,
            province=province,
            services=tuple(services),
            source_file=self.source,
        )

    def service(self, index: int, table: dict, meta_by: str, meta_on: date | None) -> ServiceData:
        entry = _label(index, table.get("code"))
        self.check_keys(entry, table, _SERVICE_KEYS)
        text = {}
        code = self.get_str(entry, table, "code", max_length=_MAX["code"])
        if not _SLUG_RE.fullmatch(code):
            self.fail(
                entry, "code", f"{code!r} is not a valid code (lowercase letters, digits, '-', '_')"
            )
        provider = self.get_str(entry, table, "provider", max_length=80)
        if self.partners is not None and provider not in self.partners:
            self.fail(
                entry, "provider", f"unknown partner {provider!r} (not in region {self.region})"
            )
        for key, required in (
            ("name", True),
            ("description", True),
            ("costs", True),
            ("funding", False),
            ("how_to_apply", True),
            ("contact_name", False),
            ("phone", False),
            ("email", False),
            ("website", False),
            ("capacity_period", False),
        ):
            text[key] = self.get_str(entry, table, key, required=required, max_length=_MAX[key])
        if text["email"] and not _EMAIL_RE.fullmatch(text["email"]):
            self.fail(entry, "email", f"{text['email']!r} is not an e-mail address")
        if text["website"] and not _URL_RE.fullmatch(text["website"]):
            self.fail(entry, "website", f"{text['website']!r} is not a web address (https://...)")

        target_groups = self.get_list(entry, table, "target_groups")
        for position, group in enumerate(target_groups):
            if len(group) > _MAX["target_group"]:
                self.fail(entry, f"target_groups[{position}]", "longer than 100 characters")
        topics = self.get_list(entry, table, "topics", TOPICS)
        if not topics:
            self.fail(entry, "topics", "name at least one topic (the themes of the service)")
        askers = self.get_list(entry, table, "asker", ASKER_TYPES)
        benefits = self.get_list(entry, table, "benefit", BENEFITS)
        work_statuses = self.get_list(entry, table, "work_status", WORK_STATUSES)
        municipalities = self.get_list(entry, table, "municipalities")
        for position, municipality in enumerate(municipalities):
            field = f"municipalities[{position}]"
            if not _CBS_RE.fullmatch(municipality):
                self.fail(entry, field, f"{municipality!r} is not a CBS code (GM + 4 digits)")
            if self.municipalities is not None and municipality not in self.municipalities:
                self.fail(
                    entry,
                    field,
                    f"unknown municipality {municipality} (not in region {self.region})",
                )
        age_min = self.get_int(entry, table, "age_min", 0, MAX_AGE)
        age_max = self.get_int(entry, table, "age_max", 0, MAX_AGE)
        if age_min is not None and age_max is not None and age_min > age_max:
            self.fail(entry, "age_max", f"{age_max} is below age_min {age_min}")
        job_agreement = self.get_bool(entry, table, "job_agreement", False)

        walk_in_service = self.get_str(entry, table, "walk_in_service", required=False)
        if walk_in_service and walk_in_service not in WALK_IN_SERVICES:
            self.fail(
                entry,
                "walk_in_service",
                f"unknown walk-in service {walk_in_service!r} (allowed: {', '.join(WALK_IN_SERVICES)})",
            )
        valid_from = self.get_date(entry, table, "valid_from")
        valid_until = self.get_date(entry, table, "valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.fail(entry, "valid_until", f"{valid_until} is before valid_from {valid_from}")
        capacity = self.get_int(entry, table, "capacity", 1, MAX_PLACES)
        places_left = self.get_int(entry, table, "places_left", 0, MAX_PLACES)
        if places_left is not None and capacity is None:
            self.fail(entry, "places_left", "needs capacity (the places per period)")
        if places_left is not None and capacity is not None and places_left > capacity:
            self.fail(entry, "places_left", f"{places_left} is more than the capacity {capacity}")
        if text["capacity_period"] and capacity is None:
            self.fail(entry, "capacity_period", "needs capacity (the places per period)")
        budget_available = self.get_bool(entry, table, "budget_available", True)
        version = self.get_int(entry, table, "version", 1, MAX_VERSION) or 1
        approved_by = self.get_str(
            entry, table, "approved_by", required=False, max_length=_MAX["approved_by"]
        )
        approved_on = self.get_date(entry, table, "approved_on")
        if "approved_by" in table or "approved_on" in table:
            if bool(approved_by) != (approved_on is not None):
                self.fail(entry, "approved_on", "approved_by and approved_on go together")
        else:
            approved_by, approved_on = meta_by, meta_on
        active = self.get_bool(entry, table, "active", True)
        return ServiceData(
            code=code,
            provider=provider,
            target_groups=target_groups,
            topics=topics,
            askers=askers,
            benefits=benefits,
            work_statuses=work_statuses,
            municipalities=municipalities,
            age_min=age_min,
            age_max=age_max,
            job_agreement=job_agreement,
            walk_in_service=walk_in_service,
            valid_from=valid_from,
            valid_until=valid_until,
            capacity=capacity,
            places_left=places_left,
            budget_available=budget_available,
            version=version,
            approved_by=approved_by,
            approved_on=approved_on,
            active=active,
            **text,
        )


# --------------------------------------------------------------------------- database


def _row_values(item: ServiceData, partner_ids: Mapping[str, int]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(item, name) for name in SERVICE_FIELDS if name not in ("code", "provider")
    }
    for name in (
        "target_groups",
        "topics",
        "askers",
        "benefits",
        "work_statuses",
        "municipalities",
    ):
        values[name] = list(values[name])
    values["provider_id"] = partner_ids[item.provider]
    return values


def write_menu(region, data: MenuData) -> int:
    """Write parsed menu data for ``region`` in one transaction (see module doc); returns the
    number of services in ``data``. Idempotent; services missing from ``data`` are
    deactivated."""
    from django.db import transaction

    from .models import Menu, Service

    partner_ids = dict(region.partners.values_list("code", "pk"))
    with transaction.atomic():
        menu_values = {
            "version": data.version,
            "note": data.note,
            "approved_by": data.approved_by,
            "approved_on": data.approved_on,
            "province": data.province,
            "source_file": Path(data.source_file).name[:300],
        }
        menu = Menu.objects.select_for_update().filter(region=region).first()
        if menu is None:
            Menu.objects.create(region=region, **menu_values)
        elif any(getattr(menu, key) != value for key, value in menu_values.items()):
            for key, value in menu_values.items():
                setattr(menu, key, value)
            menu.save()
        existing = {s.code: s for s in Service.objects.select_for_update().filter(region=region)}
        for item in data.services:
            values = _row_values(item, partner_ids)
            current = existing.get(item.code)
            if current is None:
                Service.objects.create(region=region, code=item.code, **values)
            elif any(getattr(current, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
        codes = {item.code for item in data.services}
        for service in existing.values():
            if service.code not in codes and service.active:
                service.active = False
                service.save(update_fields=["active", "updated_at"])
    return len(data.services)


def region_codes(region) -> tuple[set[str], set[str]]:
    """The partner and municipality codes a menu file of ``region`` may use."""
    return (
        set(region.partners.values_list("code", flat=True)),
        set(region.municipalities.values_list("code", flat=True)),
    )


def load_menu(region_code: str, path: str | Path | None = None) -> int:
    """Load the region's menu file (default: the bundled one) and return the number of
    services in it. All or nothing: a bad file raises :class:`MenuFileError` and changes
    nothing. Idempotent; services missing from the file are deactivated."""
    from werkcentrum.regions.models import Region

    source = Path(path) if path is not None else menu_file_for(region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise MenuFileError(
            str(source), "region", "region", f"region {region_code!r} is not loaded"
        )
    partners, municipalities = region_codes(region)
    data = parse_menu_file(
        source, region=region_code, partners=partners, municipalities=municipalities
    )
    return write_menu(region, data)


def load_all_bundled_menus() -> dict[str, int]:
    """Load the bundled menu of every loaded region; region code -> number of services.
    Regions without a menu file, and files of regions that are not loaded, are skipped."""
    from werkcentrum.regions.models import Region

    loaded = set(Region.objects.values_list("code", flat=True))
    return {code: load_menu(code) for code in bundled_menu_files() if code in loaded}
