"""Loading a region file into the database: idempotent, atomic, and a broken or conflicting
file changes nothing and says which file, entry and field is wrong."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from werkcentrum.regions.loader import RegionFileError, load_region
from werkcentrum.regions.models import Municipality, Partner, Region, Subregion, WalkInPoint
from werkcentrum.regions.regionfile import bundled_region_files

pytestmark = pytest.mark.django_db

TWENTE_TEXT = bundled_region_files()["twente"].read_text(encoding="utf-8")


def snapshot():
    """Everything a load could change, in comparable form."""
    return {
        "counts": tuple(
            m.objects.count() for m in (Region, Subregion, Municipality, WalkInPoint, Partner)
        ),
        "active_partners": Partner.objects.filter(active=True).count(),
        "twente": Region.objects.filter(code="twente").values_list("name", "data_version").get(),
        "uwv": Partner.objects.filter(code="uwv-twente")
        .values_list("name", "kind", "region__code")
        .get(),
        "doetinchem": Municipality.objects.filter(code="GM0222")
        .values_list("name", "region__code")
        .get(),
        "almelo": Municipality.objects.filter(code="GM0141")
        .values_list("name", "region__code")
        .get(),
    }


def load(*args):
    out = StringIO()
    call_command("load_region", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="twente-broken.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_twice_is_idempotent(twente):
    before = snapshot()
    output = load("twente")
    assert "twente" in output and "14" in output
    assert snapshot() == before
    load("twente")
    assert snapshot() == before
    assert Municipality.objects.filter(region=twente).count() == 14
    assert twente.walk_in_points.count() >= 14
    assert Partner.objects.get(code="gm0168-debt_support").municipality.name == "Losser"


def test_load_all(twente):
    before = snapshot()
    output = load("--all")
    assert "twente" in output and "achterhoek" in output
    assert snapshot() == before


def test_partner_dropped_from_the_file_is_deactivated_not_deleted(twente, tmp_path):
    text = TWENTE_TEXT.replace(
        '[[partners]]\ncode = "saxion"', '[[partners]]\ncode = "saxion-hogeschool"'
    )
    assert text != TWENTE_TEXT
    load(str(write(tmp_path, text, "twente.toml")))
    assert Partner.objects.get(code="saxion").active is False
    assert Partner.objects.get(code="saxion-hogeschool").active is True
    load("twente")
    assert Partner.objects.get(code="saxion").active is True


BROKEN = {
    # name: (replace this, with that, entry, field)
    "bad municipality code": (
        'code = "GM0141"\nname = "Almelo"',
        'code = "GM01"\nname = "Almelo"',
        "municipalities[0] (Almelo)",
        "code",
    ),
    "unknown partner kind": (
        'code = "uwv-twente"\nname = "UWV Twente"\nkind = "uwv"',
        'code = "uwv-twente"\nname = "UWV Nieuw"\nkind = "bakery"',
        "(uwv-twente)",
        "kind",
    ),
    "not toml": ('\nname = "Twente"\n', '\nname = "Twente\n', "file", "syntax"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_file_is_refused_with_file_entry_and_field(twente, tmp_path, case):
    old, new, entry, field = BROKEN[case]
    assert old in TWENTE_TEXT
    path = write(
        tmp_path,
        TWENTE_TEXT.replace(old, new, 1).replace('name = "Twente"\n', 'name = "Twente X"\n'),
    )
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        load(str(path))
    assert excinfo.value.returncode == 2
    message = str(excinfo.value)
    assert str(path) in message and entry in message and f": {field}:" in message
    assert snapshot() == before


def test_conflicting_municipality_rolls_back_everything(twente, tmp_path):
    """Valid on its own, but GM0222 (Doetinchem) belongs to the Achterhoek: nothing may change,
    not even the region name and version written before the conflict was found."""
    text = (
        TWENTE_TEXT.replace("GM0141", "GM0222")
        .replace("gm0141", "gm0222")
        .replace('name = "Twente"\n', 'name = "Twente X"\n')
        .replace('version = "2026.1"', 'version = "2099.9"')
    )
    path = write(tmp_path, text)
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        load(str(path))
    assert excinfo.value.returncode == 2
    assert "GM0222" in str(excinfo.value) and "achterhoek" in str(excinfo.value)
    assert snapshot() == before
    assert Region.objects.get(code="twente").name == "Twente"


def test_unknown_region_code(twente):
    with pytest.raises(RegionFileError) as excinfo:
        load_region("atlantis")
    assert "atlantis" in str(excinfo.value) and "twente" in str(excinfo.value)
    with pytest.raises(CommandError) as excinfo:
        load()
    assert excinfo.value.returncode == 2
