"""Export and import a region's service menu as Open Referral HSDS 3.0 (tabular JSON).

HSDS 3.0 defines, next to the nested per-service JSON, a *tabular* serialisation: one JSON
object with one array per object type (``organization``, ``service``, ``location``, ...;
the schema is ``schema/compiled/tabular.json`` of the specification), where records refer to
each other by ``id`` like the CSV files of a Tabular Data Package. That is what we write: one
file, ``hsds-<region>.json``, with the arrays below. The mapping is documented in
docs/service-menu.md.

* ``organization``: the providers (and the region's Werkcentrum, which runs the walk-in
  points); ``service``: name, description, ``application_process`` (how to apply),
  ``fees_description`` (costs), ``eligibility_description`` (the engine's "for whom"),
  ``minimum_age``/``maximum_age``, ``assured_date`` (approval date), ``alert`` (full / no
  budget); ``funding``; ``contact`` and ``phone``; ``service_area`` (the municipalities);
* ``location`` + ``address`` + ``schedule`` (opening hours) for the walk-in points where a
  service is offered, linked through ``service_at_location``;
* ``taxonomy`` + ``taxonomy_term`` + ``attribute``: the themes (triage topics) and, as
  attribute values, everything structured that HSDS has no field for (our service code, the
  eligibility conditions, validity, capacity, budget, version and approval), so an import
  restores the menu exactly.

Identifiers are UUIDs derived from the region and our codes (uuid5), so an export is stable
and an import can match records. :func:`to_hsds` and :func:`from_hsds` are pure; the
functions at the bottom read and write the database.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkcentrum.core.datafile import reject_nul
from werkcentrum.triage import TOPIC_LABELS, TOPICS

from .eligibility import describe
from .loader import MenuData, MenuFileError, ServiceData, parse_menu_data

HSDS_VERSION = "3.0"
TABLES = (
    "organization",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "funding",
    "service_area",
    "taxonomy_term",
    "taxonomy",
)
NAMESPACE = uuid.UUID("6f1e0c1e-7b52-4b0e-9a43-3d0c8a5e2b71")  # werkcentrum HSDS identifiers
# opening hours store the day as 0 (Monday) .. 6 (Sunday), like date.weekday()
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DUTCH_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")

# Terms of the "kenmerken" (properties) taxonomy: code -> (link_type, Dutch name, description)
PROPERTY_TERMS: dict[str, tuple[str, str, str]] = {
    "code": ("property", "Code", "Vaste code van de dienst of partner in de menukaart."),
    "target_group": ("audience", "Doelgroep", "Voor wie de dienst bedoeld is (vrije tekst)."),
    "asker": ("eligibility", "Vraagsteller", "Voor inwoners (resident) of werkgevers (employer)."),
    "benefit_regime": (
        "eligibility",
        "Uitkering",
        "Alleen bij deze uitkering (none = geen uitkering).",
    ),
    "work_status": ("eligibility", "Werksituatie", "Alleen in deze werksituatie."),
    "municipality": ("eligibility", "Gemeente", "Alleen voor deze gemeente (CBS-code)."),
    "job_agreement": (
        "eligibility",
        "Banenafspraak",
        "Alleen voor mensen in het doelgroepregister van de banenafspraak.",
    ),
    "walk_in_service": (
        "property",
        "Aanbod op inlooppunten",
        "Wordt aangeboden op de inlooppunten met dit aanbod.",
    ),
    "valid_from": ("property", "Geldig vanaf", "Eerste dag waarop de dienst geldt (JJJJ-MM-DD)."),
    "valid_until": ("property", "Geldig tot en met", "Laatste dag waarop de dienst geldt."),
    "capacity": ("property", "Plaatsen per periode", "Aantal plaatsen per periode."),
    "capacity_period": ("property", "Periode", "De periode van de plaatsen."),
    "places_left": ("property", "Plaatsen over", "Aantal plaatsen dat nog vrij is."),
    "budget_available": ("property", "Budget beschikbaar", "true of false."),
    "version": ("property", "Versie", "Versienummer van de beschrijving."),
    "approved_by": ("property", "Vastgesteld door", "Wie deze versie heeft vastgesteld (PHA)."),
    "approved_on": ("property", "Vastgesteld op", "Datum van vaststelling (JJJJ-MM-DD)."),
    "note": ("property", "Toelichting", "Toelichting bij de menukaart."),
    "province": ("property", "Provincie", "Provincie van de adressen."),
}
# term -> (key in the menu file, attribute of ServiceData)
LIST_PROPERTIES = {
    "target_group": ("target_groups", "target_groups"),
    "asker": ("asker", "askers"),
    "benefit_regime": ("benefit", "benefits"),
    "work_status": ("work_status", "work_statuses"),
    "municipality": ("municipalities", "municipalities"),
}
SCALAR_PROPERTIES = (
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
)


class HsdsError(ValueError):
    """An HSDS document we cannot read back; the message names the record and field."""


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Point:
    """A walk-in point (HSDS location) with its opening hours ``[{day, opens, closes}]``."""

    code: str
    name: str
    street: str
    postcode: str
    city: str
    services: tuple[str, ...]
    opening_hours: tuple[Mapping[str, str], ...]
    hosted_by: str = ""
    phone: str = ""
    email: str = ""
    municipality: str = ""  # CBS code


def _offers(point: Point, item: ServiceData) -> bool:
    """The service is offered at this walk-in point (and, if it is bound to municipalities,
    the point lies in one of them)."""
    return (
        bool(item.walk_in_service)
        and item.walk_in_service in point.services
        and (not item.municipalities or point.municipality in item.municipalities)
    )


def make_id(region: str, kind: str, *key: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join([region, kind, *map(str, key)])))


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """HSDS fields are typed (string, number): leave unknown values out instead of null."""
    return {key: value for key, value in record.items() if value not in (None, "")}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# =========================================================================== export


def to_hsds(
    menu: MenuData,
    *,
    region_name: str,
    organizations: Iterable[Organization],
    owner: str,
    points: Iterable[Point] = (),
    place_names: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The menu as HSDS 3.0 tabular JSON. ``organizations``: the providers and ``owner`` (the
    code of the region's Werkcentrum, which runs the walk-in ``points``)."""
    region = menu.region
    names = place_names or {}
    out: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    orgs = {org.code: org for org in organizations}

    properties_id = make_id(region, "taxonomy", "kenmerken")
    themes_id = make_id(region, "taxonomy", "themas")
    used_terms: set[str] = set()
    used_topics: set[str] = set()

    def attribute(link_entity: str, link_id: str, term: str, value: Any = None, n: int = 0):
        used_terms.add(term)
        out["attribute"].append(
            _clean(
                {
                    "id": make_id(region, "attribute", link_entity, link_id, term, n),
                    "link_id": link_id,
                    "link_entity": link_entity,
                    "link_type": PROPERTY_TERMS[term][0],
                    "taxonomy_term_id": make_id(region, "term", "kenmerken", term),
                    "value": None if value is None else _text(value),
                }
            )
        )

    # the menu's own metadata, as attributes of the properties taxonomy
    for term, value in (
        ("note", menu.note),
        ("approved_by", menu.approved_by),
        ("approved_on", menu.approved_on),
        ("province", menu.province),
    ):
        if value:
            attribute("taxonomy", properties_id, term, value)

    # organizations: providers in use, plus the owner of the walk-in points
    services = list(menu.services)
    wanted = {s.provider for s in services}
    points = [p for p in points if any(_offers(p, s) for s in services)]
    if points:
        wanted.add(owner)
    for code in sorted(wanted):
        org = orgs[code]
        org_id = make_id(region, "organization", code)
        out["organization"].append(
            _clean(
                {
                    "id": org_id,
                    "name": org.name,
                    "description": f"{org.name}: partner in het netwerk van het Werkcentrum "
                    f"{region_name}.",
                    "email": org.email,
                    "website": org.website,
                }
            )
        )
        attribute("organization", org_id, "code", code)
        if org.phone:
            out["phone"].append(
                {
                    "id": make_id(region, "phone", "organization", code),
                    "organization_id": org_id,
                    "number": org.phone,
                }
            )

    # locations: the walk-in points where a service is offered, with address and hours
    location_ids: dict[str, str] = {}
    for point in points:
        location_id = make_id(region, "location", point.code)
        location_ids[point.code] = location_id
        out["location"].append(
            _clean(
                {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": make_id(region, "organization", owner),
                    "name": point.name,
                    "description": point.hosted_by and f"Inlooppunt in {point.hosted_by}.",
                    "external_identifier": point.code,
                    "external_identifier_type": "werkcentrum-inlooppunt",
                }
            )
        )
        out["address"].append(
            {
                "id": make_id(region, "address", point.code),
                "location_id": location_id,
                "address_1": point.street,
                "city": point.city,
                "state_province": menu.province or region_name,
                "postal_code": point.postcode,
                "country": "NL",
                "address_type": "physical",
            }
        )
        if point.phone:
            out["phone"].append(
                {
                    "id": make_id(region, "phone", "location", point.code),
                    "location_id": location_id,
                    "number": point.phone,
                }
            )
        periods: dict[tuple[str, str], set[int]] = defaultdict(set)
        for period in point.opening_hours:
            day = period["day"]
            periods[(period["opens"], period["closes"])].add(
                day if isinstance(day, int) else DAYS.index(day)
            )
        for (opens, closes), days in sorted(periods.items()):
            days = sorted(days)
            out["schedule"].append(
                {
                    "id": make_id(region, "schedule", point.code, opens, closes),
                    "location_id": location_id,
                    "freq": "WEEKLY",
                    "byday": ",".join(RRULE_DAYS[d] for d in days),
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": f"Inloop {', '.join(DUTCH_DAYS[d] for d in days)} "
                    f"{opens}–{closes} uur",
                }
            )

    # services
    for item in services:
        service_id = make_id(region, "service", item.code)
        alert = None
        if item.places_left == 0:
            alert = "Vol: er zijn deze periode geen plaatsen meer."
        elif not item.budget_available:
            alert = "Het budget voor deze periode is op."
        out["service"].append(
            _clean(
                {
                    "id": service_id,
                    "organization_id": make_id(region, "organization", item.provider),
                    "name": item.name,
                    "description": item.description,
                    "url": item.website,
                    "email": item.email,
                    "status": "active" if item.active else "inactive",
                    "application_process": item.how_to_apply,
                    "fees_description": item.costs,
                    "eligibility_description": describe(item.rules, names).nl,
                    "minimum_age": item.age_min,
                    "maximum_age": item.age_max,
                    "assured_date": item.approved_on and item.approved_on.isoformat(),
                    "alert": alert,
                }
            )
        )
        attribute("service", service_id, "code", item.code)
        for term, (_key, name) in LIST_PROPERTIES.items():
            for n, value in enumerate(getattr(item, name)):
                attribute("service", service_id, term, value, n)
        if item.job_agreement:
            attribute("service", service_id, "job_agreement", True)
        for term in SCALAR_PROPERTIES:
            value = getattr(item, term)
            if value is not None and value != "":
                attribute("service", service_id, term, value)
        for topic in item.topics:
            used_topics.add(topic)
            out["attribute"].append(
                {
                    "id": make_id(region, "attribute", "service", service_id, "theme", topic),
                    "link_id": service_id,
                    "link_entity": "service",
                    "link_type": "theme",
                    "taxonomy_term_id": make_id(region, "term", "themas", topic),
                }
            )
        if item.funding:
            out["funding"].append(
                {
                    "id": make_id(region, "funding", item.code),
                    "service_id": service_id,
                    "source": item.funding,
                }
            )
        if item.contact_name or item.email:
            out["contact"].append(
                _clean(
                    {
                        "id": make_id(region, "contact", item.code),
                        "service_id": service_id,
                        "name": item.contact_name,
                        "email": item.email,
                    }
                )
            )
        if item.phone:
            out["phone"].append(
                {
                    "id": make_id(region, "phone", "service", item.code),
                    "service_id": service_id,
                    "number": item.phone,
                }
            )
        if item.municipalities:
            for code in item.municipalities:
                name = names.get(code, code)
                out["service_area"].append(
                    {
                        "id": make_id(region, "service_area", item.code, code),
                        "service_id": service_id,
                        "name": name,
                        "description": f"Gemeente {name} (CBS-code {code}).",
                    }
                )
        else:
            out["service_area"].append(
                {
                    "id": make_id(region, "service_area", item.code, region),
                    "service_id": service_id,
                    "name": f"Arbeidsmarktregio {region_name}",
                    "description": "Alle gemeenten van de arbeidsmarktregio.",
                }
            )
        for point in points:
            if _offers(point, item):
                out["service_at_location"].append(
                    {
                        "id": make_id(region, "service_at_location", item.code, point.code),
                        "service_id": service_id,
                        "location_id": location_ids[point.code],
                    }
                )

    # taxonomies and the terms in use
    out["taxonomy"] = [
        {
            "id": properties_id,
            "name": f"Werkcentrum {region_name} – menukaart, kenmerken",
            "description": "Kenmerken en voorwaarden van de diensten in de menukaart van het "
            "Werkcentrum; de waarde staat in attribute.value.",
            "version": menu.version,
        },
        {
            "id": themes_id,
            "name": f"Werkcentrum {region_name} – thema's",
            "description": "De thema's (onderwerpen) waarover inwoners en werkgevers een vraag "
            "stellen bij het Werkcentrum.",
            "version": menu.version,
        },
    ]
    for term in PROPERTY_TERMS:
        if term in used_terms:
            _link_type, name, description = PROPERTY_TERMS[term]
            out["taxonomy_term"].append(
                {
                    "id": make_id(region, "term", "kenmerken", term),
                    "code": term,
                    "name": name,
                    "description": description,
                    "taxonomy_id": properties_id,
                    "language": "nl",
                }
            )
    for topic in TOPICS:
        if topic in used_topics:
            out["taxonomy_term"].append(
                {
                    "id": make_id(region, "term", "themas", topic),
                    "code": topic,
                    "name": TOPIC_LABELS[topic],
                    "description": f"Thema: {TOPIC_LABELS[topic]}.",
                    "taxonomy_id": themes_id,
                    "language": "nl",
                }
            )
    return out


# =========================================================================== import


def _table(doc: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    rows = doc.get(name, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise HsdsError(f"{name}: must be an array of objects")
    for index, row in enumerate(rows):
        if not isinstance(row.get("id"), str) or not row["id"]:
            raise HsdsError(f"{name}[{index}].id: missing")
    return rows


def from_hsds(doc: Any, region: str) -> dict[str, Any]:
    """Rebuild the menu-file document (the TOML's shape) from an HSDS tabular JSON export.

    Raises :class:`HsdsError` when the document cannot be read back; the result is then
    validated like a data file (:func:`parse_hsds`)."""
    if not isinstance(doc, Mapping):
        raise HsdsError("file: must be one JSON object with an array per HSDS object type")
    services = _table(doc, "service")
    if not services:
        raise HsdsError("service: no services in the file")
    terms = {row["id"]: row for row in _table(doc, "taxonomy_term")}
    # the properties taxonomy is the one holding our "code" term; the others hold themes
    properties = {t.get("taxonomy_id") for t in terms.values() if t.get("code") == "code"}
    if len(properties) != 1:
        raise HsdsError("taxonomy_term: no (single) Werkcentrum properties taxonomy with 'code'")
    (properties_id,) = properties
    values: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    topics: dict[str, list[str]] = defaultdict(list)
    for index, row in enumerate(_table(doc, "attribute")):
        term = terms.get(row.get("taxonomy_term_id"))
        if term is None:
            raise HsdsError(f"attribute[{index}].taxonomy_term_id: unknown taxonomy term")
        if term.get("taxonomy_id") == properties_id:
            values[row.get("link_id")].append((term.get("code") or "", row.get("value")))
        elif term.get("code") in TOPICS:
            topics[row.get("link_id")].append(term["code"])

    def first(link_id: str, term: str) -> str | None:
        return next((v for code, v in values.get(link_id, ()) if code == term), None)

    def every(link_id: str, term: str) -> list[str]:
        return [v for code, v in values.get(link_id, ()) if code == term and v is not None]

    org_codes = {}
    for index, org in enumerate(_table(doc, "organization")):
        code = first(org["id"], "code")
        if not code:
            raise HsdsError(f"organization[{index}] ({org.get('name', '')}): no code attribute")
        org_codes[org["id"]] = code
    by_service: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for table in ("funding", "contact", "phone"):
        for row in _table(doc, table):
            if row.get("service_id"):
                by_service[row["service_id"]][table].append(row)

    taxonomy = next((t for t in _table(doc, "taxonomy") if t["id"] == properties_id), {})
    meta: dict[str, Any] = {
        "note": first(properties_id, "note") or "Geïmporteerd uit HSDS 3.0.",
        "version": taxonomy.get("version") or "hsds",
    }
    for key in ("approved_by", "approved_on", "province"):
        value = first(properties_id, key)
        if value:
            meta[key] = value

    entries = []
    for index, row in enumerate(services):
        sid = row["id"]
        label = f"service[{index}] ({row.get('name', '')})"
        code = first(sid, "code")
        if not code:
            raise HsdsError(f"{label}: no code attribute")
        provider = org_codes.get(row.get("organization_id"))
        if provider is None:
            raise HsdsError(f"{label}.organization_id: unknown organization")
        related = by_service[sid]
        entry: dict[str, Any] = {
            "code": code,
            "provider": provider,
            "name": row.get("name", ""),
            "description": row.get("description", ""),
            "costs": row.get("fees_description", ""),
            "how_to_apply": row.get("application_process", ""),
            "active": row.get("status", "active") == "active",
            "topics": topics.get(sid, []),
            "job_agreement": first(sid, "job_agreement") == "true",
        }
        for key, field in (("url", "website"), ("email", "email")):
            if row.get(key):
                entry[field] = row[key]
        for key, field in (("minimum_age", "age_min"), ("maximum_age", "age_max")):
            if row.get(key) is not None:
                value = row[key]
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or int(value) != value
                ):
                    raise HsdsError(f"{label}.{key}: must be a whole number")
                entry[field] = int(value)
        if related["funding"]:
            entry["funding"] = related["funding"][0].get("source", "")
        contacts = related["contact"]
        if contacts and contacts[0].get("name"):
            entry["contact_name"] = contacts[0]["name"]
        if related["phone"]:
            entry["phone"] = related["phone"][0].get("number", "")
        for term, (key, _attr) in LIST_PROPERTIES.items():
            found = every(sid, term)
            if found:
                entry[key] = found
        for term in SCALAR_PROPERTIES:
            value = first(sid, term)
            if value is None:
                continue
            if term in ("capacity", "places_left", "version"):
                if not value.isdecimal():
                    raise HsdsError(f"{label}: attribute {term} must be a whole number")
                entry[term] = int(value)
            elif term == "budget_available":
                entry[term] = value == "true"
            else:
                entry[term] = value
        if "approved_by" not in entry and "approved_on" not in entry:
            # awaiting approval in the export: keep it so (not the menu's approval)
            entry["approved_by"], entry["approved_on"] = "", None
        entries.append(entry)
    return {"schema_version": 1, "region": region, "meta": meta, "services": entries}


def parse_hsds(
    doc: Any,
    source: str,
    region: str,
    *,
    partners: Iterable[str] | None = None,
    municipalities: Iterable[str] | None = None,
) -> MenuData:
    """An HSDS export as validated :class:`MenuData`; errors are :class:`MenuFileError`."""
    try:
        document = from_hsds(doc, region)
    except HsdsError as exc:
        raise MenuFileError(source, "hsds", "file", str(exc)) from exc
    return parse_menu_data(
        document,
        source,
        region=region,
        partners=None if partners is None else set(partners),
        municipalities=None if municipalities is None else set(municipalities),
    )


# =========================================================================== database


def export_file_name(region_code: str) -> str:
    return f"hsds-{region_code}.json"


def menu_data(region) -> MenuData:
    """The region's menu as it is in the database (active and inactive services)."""
    from .models import Menu, Service

    menu = Menu.objects.filter(region=region).first()
    rows = Service.objects.filter(region=region).select_related("provider").order_by("code")
    services = tuple(
        ServiceData(
            provider=row.provider.code,
            **{
                f: (
                    tuple(getattr(row, f)) if isinstance(getattr(row, f), list) else getattr(row, f)
                )
                for f in ServiceData.__dataclass_fields__
                if f != "provider"
            },
        )
        for row in rows
    )
    return MenuData(
        region=region.code,
        version=menu.version if menu else "",
        note=menu.note if menu else "",
        approved_by=menu.approved_by if menu else "",
        approved_on=menu.approved_on if menu else None,
        province=menu.province if menu else "",
        services=services,
        source_file=menu.source_file if menu else "",
    )


def export_region(region) -> dict[str, list[dict[str, Any]]]:
    from werkcentrum.regions.models import WalkInPoint
    from werkcentrum.regions.selectors import werkcentrum_partner

    owner = werkcentrum_partner(region)
    organizations = [
        Organization(p.code, p.name, p.email, p.phone, p.website) for p in region.partners.all()
    ]
    points = [
        Point(
            code=p.code,
            name=p.name,
            street=p.street,
            postcode=p.postcode,
            city=p.city,
            services=tuple(p.services),
            opening_hours=tuple(p.opening_hours),
            hosted_by=p.hosted_by,
            phone=p.phone,
            email=p.email,
            municipality=p.municipality.code,
        )
        for p in WalkInPoint.objects.filter(region=region)
        .select_related("municipality")
        .order_by("code")
    ]
    return to_hsds(
        menu_data(region),
        region_name=region.name,
        organizations=organizations,
        owner=owner.code,
        points=points,
        place_names=dict(region.municipalities.values_list("code", "name")),
    )


def write_export(region, directory: str | Path) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / export_file_name(region.code)
    text = json.dumps(export_region(region), ensure_ascii=False, indent=2, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def import_region(region, source: str | Path) -> int:
    """Load services back from an HSDS export (a file, or a directory holding
    ``hsds-<region>.json``): validated like a data file, written like one (all or nothing,
    idempotent, services missing from it deactivated). Returns the number of services."""
    from .loader import region_codes, write_menu

    path = Path(source)
    if path.is_dir():
        path = path / export_file_name(region.code)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        json.dumps(doc, ensure_ascii=False).encode("utf-8")  # no lone surrogates ("\\ud800")
    except OSError as exc:
        raise MenuFileError(str(path), "file", "read", exc.strerror or str(exc)) from exc
    except (UnicodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MenuFileError(str(path), "file", "syntax", f"not JSON text: {exc}") from exc
    reject_nul(doc, str(path), MenuFileError)
    partners, municipalities = region_codes(region)
    data = parse_hsds(doc, str(path), region.code, partners=partners, municipalities=municipalities)
    return write_menu(region, data)
