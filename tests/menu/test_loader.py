"""The menu data files: the bundled ones are valid; parse errors name file, entry and field on
one line; loading is atomic and idempotent and deactivates what disappeared; the command
prints one summary line and exits with code 2 on bad input."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from werkcentrum.menu.loader import (
    MenuFileError,
    bundled_menu_files,
    load_all_bundled_menus,
    load_menu,
    parse_menu_file,
    parse_menu_text,
)
from werkcentrum.menu.models import Menu, Service
from werkcentrum.regions.loader import region_file_for
from werkcentrum.regions.regionfile import parse_region_file

from .helpers import entry, toml_text

TWENTE_FILE = bundled_menu_files()["twente"]
TWENTE_TEXT = TWENTE_FILE.read_text(encoding="utf-8")
TWENTE_COUNT = len(re.findall(r"^\[\[services\]\]$", TWENTE_TEXT, flags=re.MULTILINE))
INSTRUMENTS = (
    "loonkostensubsidie",
    "jobcoach",
    "proefplaatsing",
    "no-riskpolis",
    "scholingscheque",
    "llo-gesprek",
    "loopbaanadvies",
    "ontwikkelpad-zorg",
    "meet-and-greet",
    "van-werk-naar-werk",
)


def region_codes(code):
    data = parse_region_file(region_file_for(code))
    partners = {p.code for p in data.partners}
    return partners, {m.code for m in data.municipalities}


def parse(text, **kwargs):
    return parse_menu_text(text, "menu.toml", **kwargs)


def error_of(text, **kwargs):
    with pytest.raises(MenuFileError) as info:
        parse(text, **kwargs)
    return info.value


# --------------------------------------------------------------------------- bundled files


@pytest.mark.parametrize(("code", "minimum"), [("twente", 25), ("achterhoek", 10)])
def test_bundled_files_are_valid_against_their_region(code, minimum):
    partners, municipalities = region_codes(code)
    data = parse_menu_file(
        bundled_menu_files()[code], region=code, partners=partners, municipalities=municipalities
    )
    assert len(data.services) >= minimum
    assert data.version and data.approved_by and data.approved_on
    assert "demodata" in data.note.lower()  # illustrative content, for the region to confirm
    kinds = {s.provider for s in data.services}
    assert len(kinds) >= 6  # services of many partners, not one
    for service in data.services:
        assert service.description and service.costs and service.how_to_apply
        assert service.topics


def test_twente_holds_the_instrument_case():
    data = parse_menu_file(TWENTE_FILE, region="twente")
    codes = {s.code for s in data.services}
    assert set(INSTRUMENTS) <= codes
    by_code = {s.code: s for s in data.services}
    assert by_code["jobcoach"].rules.benefits == ()  # ontschot: open whatever the benefit
    assert by_code["no-riskpolis"].job_agreement
    assert by_code["ontwikkelpad-zorg"].places_left == 0  # the demo of a full service
    assert by_code["ontwikkelpad-techniek"].budget_available is False
    assert by_code["scholingscheque"].valid_until == date(2026, 12, 31)  # fund until 2026
    employer = [s for s in data.services if s.askers == ("employer",)]
    assert len(employer) >= 4  # the four points of employer services


# --------------------------------------------------------------------------- parser


def test_minimal_file_and_defaults():
    data = parse(toml_text(entry()))
    (service,) = data.services
    assert service.askers == service.benefits == service.municipalities == ()
    assert service.budget_available and service.active and service.version == 1
    assert service.places_left is None and service.available
    assert data.region == "twente" and data.version == "test"


def test_meta_approval_is_the_default_for_every_service():
    meta = {"note": "n", "version": "1", "approved_by": "PHA", "approved_on": date(2026, 1, 15)}
    text = toml_text(
        entry(), entry(code="b", approved_by="PHA extra", approved_on=date(2026, 3, 1)), meta=meta
    )
    first, second = parse(text).services
    assert (first.approved_by, first.approved_on) == ("PHA", date(2026, 1, 15))
    assert (second.approved_by, second.approved_on) == ("PHA extra", date(2026, 3, 1))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"benefit": ["uwv"]}, "benefit[0]", "unknown value 'uwv'"),
        ({"topics": []}, "topics", "at least one topic"),
        ({"topics": ["money"]}, "topics[0]", "unknown value"),
        ({"asker": ["citizen"]}, "asker[0]", "unknown value"),
        ({"age_min": 30, "age_max": 20}, "age_max", "below age_min"),
        ({"age_min": 130}, "age_min", "out of range"),
        ({"age_min": "18"}, "age_min", "must be an integer"),
        ({"municipalities": ["0153"]}, "municipalities[0]", "not a CBS code"),
        ({"code": "Job Coach"}, "code", "not a valid code"),
        ({"name": None}, "name", "missing (required)"),
        ({"costs": "  "}, "costs", "must not be empty"),
        ({"website": "www.example.nl"}, "website", "not a web address"),
        ({"email": "nobody"}, "email", "not an e-mail address"),
        ({"places_left": 3}, "places_left", "needs capacity"),
        ({"capacity": 5, "places_left": 6}, "places_left", "more than the capacity"),
        (
            {"valid_from": date(2026, 5, 1), "valid_until": date(2026, 4, 1)},
            "valid_until",
            "before",
        ),
        ({"valid_from": "2026-05-01x"}, "valid_from", "not a date"),
        ({"walk_in_service": "bakery"}, "walk_in_service", "unknown walk-in service"),
        ({"budget_available": "ja"}, "budget_available", "true or false"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"approved_by": "PHA"}, "approved_on", "go together"),
    ],
)
def test_errors_name_entry_and_field_on_one_line(changes, field, words):
    error = error_of(toml_text(entry(), entry(**{"code": "tweede", **changes})))
    assert error.field == field
    assert words in error.message
    assert error.entry.startswith("services[1]")
    assert str(error).startswith("menu.toml: services[1]")
    assert "\n" not in str(error)


def test_file_level_errors():
    assert error_of(toml_text(entry(), schema_version=2)).field == "schema_version"
    assert error_of(toml_text(entry(), meta=False)).entry == "meta"
    assert error_of(toml_text()).field == "services"
    assert error_of("schema_version = 1\nregion = [").field == "syntax"
    wrong = error_of(toml_text(entry()), region="achterhoek")
    assert wrong.field == "region" and "not 'achterhoek'" in wrong.message
    duplicate = error_of(toml_text(entry(), entry()))
    assert duplicate.field == "code" and "also services[0]" in duplicate.message


def test_codes_are_checked_against_the_region():
    partners, municipalities = region_codes("twente")
    kwargs = {"partners": partners, "municipalities": municipalities}
    error = error_of(toml_text(entry(provider="uwv-achterhoek")), **kwargs)
    assert error.field == "provider" and "not in region twente" in error.message
    error = error_of(toml_text(entry(municipalities=["GM0222"])), **kwargs)  # Doetinchem
    assert error.field == "municipalities[0]"


def test_unreadable_file(tmp_path):
    with pytest.raises(MenuFileError) as info:
        parse_menu_file(tmp_path / "missing.toml")
    assert info.value.field == "read"
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('naam = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(MenuFileError) as info:
        parse_menu_file(bad)
    assert info.value.field == "encoding"


# --------------------------------------------------------------------------- loading


def snapshot(region=None):
    rows = Service.objects.all() if region is None else Service.objects.filter(region=region)
    return sorted(
        rows.values_list("region__code", "code", "name", "version", "active", "updated_at")
    )


def write(tmp_path, text, name="twente.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_load_the_bundled_twente_menu(twente):
    assert load_menu("twente") == TWENTE_COUNT
    assert Service.objects.filter(region=twente, active=True).count() == TWENTE_COUNT
    jobcoach = Service.objects.get(region=twente, code="jobcoach")
    assert jobcoach.provider.code == "werkcentrum-twente-wsp"
    assert jobcoach.approved_on == date(2026, 1, 15) and not jobcoach.awaiting_approval
    menu = Menu.objects.get(region=twente)
    assert menu.version == "2026.1-demo" and menu.province == "Overijssel"


@pytest.mark.django_db
def test_load_all_bundled_menus(twente, achterhoek):
    counts = load_all_bundled_menus()
    assert counts["twente"] == TWENTE_COUNT
    assert counts["achterhoek"] == Service.objects.filter(region=achterhoek).count() >= 10
    assert Service.objects.filter(code="jobcoach").count() == 2  # one per region


@pytest.mark.django_db
def test_loading_twice_changes_nothing(twente):
    load_menu("twente")
    before = snapshot()
    assert load_menu("twente") == TWENTE_COUNT
    assert snapshot() == before  # not even updated_at: unchanged rows are not saved


@pytest.mark.django_db
def test_service_dropped_from_the_file_is_deactivated_not_deleted(twente, tmp_path):
    load_menu("twente")
    text = TWENTE_TEXT.replace('code = "jobcoach"', 'code = "job-coach"')
    load_menu("twente", write(tmp_path, text))
    assert Service.objects.get(region=twente, code="jobcoach").active is False
    assert Service.objects.get(region=twente, code="job-coach").active is True
    load_menu("twente")
    assert Service.objects.get(region=twente, code="jobcoach").active is True


@pytest.mark.django_db
def test_bad_file_changes_nothing(twente, tmp_path):
    load_menu("twente")
    before = snapshot()
    broken = TWENTE_TEXT.replace('benefit = ["ww"]', 'benefit = ["wwb"]', 1)
    with pytest.raises(MenuFileError) as info:
        load_menu("twente", write(tmp_path, broken))
    assert info.value.field == "benefit[0]" and "(perspectief-50plus)" in info.value.entry
    assert snapshot() == before


@pytest.mark.django_db
def test_unknown_region(db):
    with pytest.raises(MenuFileError, match="no bundled menu file"):
        load_menu("atlantis")


@pytest.mark.django_db
def test_command_summary(twente, achterhoek):
    out = StringIO()
    call_command("load_menu", "--all", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith(
        f"Loaded {TWENTE_COUNT + Service.objects.filter(region=achterhoek).count()} services"
    )
    assert "\n" not in line


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [(), ("twente", "--all"), ("--file", "x.toml"), ("atlantis",)],
)
def test_command_bad_input_exits_2(twente, args):
    with pytest.raises(CommandError) as info:
        call_command("load_menu", *args, stdout=StringIO())
    assert info.value.returncode == 2
    assert "\n" not in str(info.value)


@pytest.mark.django_db
def test_command_bad_file_is_all_or_nothing(twente, tmp_path):
    path = write(tmp_path, toml_text(entry(benefit=["uwv"])))
    with pytest.raises(CommandError) as info:
        call_command("load_menu", "twente", "--file", str(path), stdout=StringIO())
    assert info.value.returncode == 2 and "benefit[0]" in str(info.value)
    assert not Service.objects.filter(region=twente).exists()
