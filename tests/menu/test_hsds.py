"""The HSDS 3.0 export validates against the official (vendored) schema, keeps its own
references and identifiers consistent, and round-trips through the import; the ``hsds``
command writes the file and exits 2 with one line on stderr on bad input."""

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from werkcentrum.menu.hsds import TABLES, export_region, from_hsds, import_region, write_export
from werkcentrum.menu.loader import MenuFileError, load_menu
from werkcentrum.menu.models import Menu, Service

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).parent / "hsds_schema" / "tabular.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
# every object type that refers to another, and the table it refers to
FOREIGN_KEYS = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "taxonomy_id": "taxonomy",
    "taxonomy_term_id": "taxonomy_term",
    "service_at_location_id": "service_at_location",
}


@pytest.fixture
def menu(twente):
    load_menu("twente")
    return twente


@pytest.fixture
def export(menu):
    return export_region(menu)


def snapshot(region):
    fields = [f.name for f in Service._meta.fields if f.name not in ("id", "updated_at")]
    return sorted(Service.objects.filter(region=region).values_list(*fields))


def test_export_validates_against_the_hsds_3_0_schema(export):
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(export), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert set(export) == set(TABLES) <= set(SCHEMA["properties"])


def test_the_schema_rejects_a_broken_export(export):
    """The vendored schema really checks something (types, enums, required fields)."""
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    broken = json.loads(json.dumps(export))
    broken["service"][0]["status"] = "open"
    broken["service"][1]["minimum_age"] = "18"
    del broken["organization"][0]["description"]
    broken["location"][0]["id"] = "not-a-uuid"
    messages = {e.message for e in validator.iter_errors(broken)}
    assert any("'open' is not one of" in m for m in messages)
    assert any("'18' is not of type 'number'" in m for m in messages)
    assert any("'description' is a required property" in m for m in messages)
    assert any("is not a 'uuid'" in m for m in messages)


def test_identifiers_are_unique_uuids_and_references_resolve(export):
    ids = {table: {row["id"] for row in rows} for table, rows in export.items()}
    for table, rows in export.items():
        item = SCHEMA["properties"][table]["items"]
        for name, spec in item["properties"].items():
            values = [row[name] for row in rows if name in row]
            if spec.get("constraints", {}).get("unique"):
                assert len(values) == len(set(values)), f"{table}.{name} not unique"
            if spec.get("format") == "uuid":
                for value in values:
                    uuid.UUID(value)
        for row in rows:
            for name in item.get("tabular_required", []):
                assert row.get(name), f"{table}.{name} is required in tabular form"
            for key, target in FOREIGN_KEYS.items():
                if key in row and key != "id":
                    assert row[key] in ids[target], f"{table}.{key} -> {target}"
    attribute_targets = {row["link_entity"] for row in export["attribute"]}
    assert attribute_targets <= {"service", "organization", "taxonomy"}
    for row in export["attribute"]:
        assert row["link_id"] in ids[row["link_entity"]]


def test_export_maps_the_menu_to_hsds(menu, export):
    services = {row["name"]: row for row in export["service"]}
    assert len(services) == Service.objects.filter(region=menu).count() >= 25
    youth = services["Jongerenloket Enschede"]
    assert (youth["minimum_age"], youth["maximum_age"]) == (16, 27)
    assert "16 tot en met 27 jaar" in youth["eligibility_description"]
    assert "Enschede" in youth["eligibility_description"]
    assert youth["application_process"] and youth["fees_description"] == "Gratis."
    assert youth["assured_date"] == "2026-01-15"
    assert services["Ontwikkelpad zorg en welzijn"]["alert"].startswith("Vol")
    assert "budget" in services["Ontwikkelpad techniek en energietransitie"]["alert"]
    # the provider is an organization; the walk-in points are locations with hours
    organizations = {row["name"] for row in export["organization"]}
    assert {"UWV Twente", "Twents Fonds voor Vakmanschap", "Werkcentrum Twente"} <= organizations
    locations = {row["external_identifier"]: row for row in export["location"]}
    assert "enschede-regionaal-centrum" in locations
    centre = locations["enschede-regionaal-centrum"]["id"]
    hours = [s for s in export["schedule"] if s["location_id"] == centre]
    assert {"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}.items() <= (
        next(s for s in hours if s["opens_at"] == "09:00").items()
    )
    address = next(a for a in export["address"] if a["location_id"] == centre)
    assert address["state_province"] == "Overijssel" and address["country"] == "NL"
    # municipal debt support is offered at the walk-in points of its own municipality only
    debt = services["Schuldhulpverlening Rijssen-Holten"]["id"]
    at = {r["location_id"] for r in export["service_at_location"] if r["service_id"] == debt}
    names = {row["id"]: row["external_identifier"] for row in export["location"]}
    assert {names[i] for i in at} == {"rijssen-holten-inlooppunt"}
    areas = [a["name"] for a in export["service_area"] if a["service_id"] == debt]
    assert areas == ["Rijssen-Holten"]
    # themes and structured eligibility as taxonomy terms and attributes
    terms = {t["id"]: t for t in export["taxonomy_term"]}
    on_debt = [
        terms[a["taxonomy_term_id"]]["code"] for a in export["attribute"] if a["link_id"] == debt
    ]
    assert {"debts", "code", "municipality", "asker"} <= set(on_debt)


def test_export_is_stable(menu, export):
    assert export_region(menu) == export


def test_round_trip_changes_nothing(menu, tmp_path):
    before = snapshot(menu)
    meta_before = (
        Menu.objects.filter(region=menu)
        .values_list("version", "note", "approved_by", "approved_on", "province")
        .get()
    )
    path = write_export(menu, tmp_path)
    assert path.name == "hsds-twente.json"
    assert import_region(menu, tmp_path) == len(before)
    assert snapshot(menu) == before
    assert (
        Menu.objects.filter(region=menu)
        .values_list("version", "note", "approved_by", "approved_on", "province")
        .get()
        == meta_before
    )


def test_import_restores_a_changed_menu(menu, tmp_path):
    """Export, change the database, import: the export's state is back."""
    write_export(menu, tmp_path)
    before = snapshot(menu)
    jobcoach = Service.objects.get(region=menu, code="jobcoach")
    jobcoach.benefits = ["ww"]
    jobcoach.places_left = 0
    jobcoach.approved_on = None
    jobcoach.approved_by = ""
    jobcoach.save()
    Service.objects.filter(region=menu, code="meet-and-greet").delete()
    import_region(menu, tmp_path / "hsds-twente.json")
    assert snapshot(menu) == before


def test_import_errors_are_one_line(menu, tmp_path):
    path = tmp_path / "hsds-twente.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MenuFileError) as info:
        import_region(menu, tmp_path)
    assert info.value.field == "syntax"
    doc = export_region(menu)
    doc["service"][0]["minimum_age"] = 200  # out of range for the menu
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(MenuFileError) as info:
        import_region(menu, path)
    assert info.value.field == "age_min" and "\n" not in str(info.value)


def test_from_hsds_needs_our_code_attribute(menu):
    doc = export_region(menu)
    doc["attribute"] = [a for a in doc["attribute"] if a["link_entity"] != "organization"]
    with pytest.raises(ValueError, match="no code attribute"):
        from_hsds(doc, "twente")


def test_command_export_and_import(menu, tmp_path):
    out = StringIO()
    call_command("hsds", "export", "--region", "twente", "--out", str(tmp_path), stdout=out)
    assert "Exported" in out.getvalue() and (tmp_path / "hsds-twente.json").exists()
    out = StringIO()
    call_command("hsds", "import", "--region", "twente", str(tmp_path), stdout=out)
    assert out.getvalue().startswith("Imported")


def run_cli(args, data_dir, env_extra=None):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["WERKCENTRUM_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "werkcentrum.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["hsds"], "required"),
        (["hsds", "export", "--region", "twente"], "--out"),
        (["hsds", "export", "--region", "atlantis", "--out", "OUT"], "unknown region"),
        (["hsds", "import", "--region", "twente", "MISSING"], "No such file"),
        (["hsds", "frobnicate"], "invalid choice"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line_on_stderr(args, words, tmp_path_factory):
    data_dir = tmp_path_factory.getbasetemp() / "hsds-cli-data"
    out = tmp_path_factory.mktemp("out")
    args = [str(out) if a == "OUT" else str(out / "missing") if a == "MISSING" else a for a in args]
    result = run_cli(args, data_dir)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
