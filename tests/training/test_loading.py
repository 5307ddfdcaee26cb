"""Loading training files into the database: atomic, idempotent, deactivates what disappeared;
the management command prints one summary line and exits with code 2 on bad input."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from werkcentrum.training.loader import (
    TrainingFileError,
    bundled_training_files,
    load_all_bundled_trainings,
    load_trainings,
)
from werkcentrum.training.models import Training

from .helpers import entry, make_training, toml_text

pytestmark = pytest.mark.django_db

TWENTE_FILE = bundled_training_files()["twente"]
TWENTE_TEXT = TWENTE_FILE.read_text(encoding="utf-8")
TWENTE_COUNT = len(re.findall(r"^\[\[trainings\]\]$", TWENTE_TEXT, flags=re.MULTILINE))


def snapshot(region=None):
    rows = Training.objects.all() if region is None else Training.objects.filter(region=region)
    return sorted(
        rows.values_list(
            "region__code",
            "key",
            "title",
            "cost_eur",
            "funding",
            "municipality__code",
            "active",
            "updated_at",
        )
    )


def write(tmp_path, text, name="twente.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command("load_trainings", *args, stdout=out)
    return out.getvalue()


def test_load_the_bundled_twente_file(twente):
    assert load_trainings("twente") == TWENTE_COUNT
    assert Training.objects.filter(region=twente, active=True).count() == TWENTE_COUNT
    timmerman = Training.objects.get(region=twente, key="timmerman-bbl")
    assert timmerman.municipality.name == "Hengelo"
    assert timmerman.level == "mbo2" and timmerman.learning_form == "bbl"
    assert timmerman.isco_groups == ["7115"]
    online = Training.objects.get(region=twente, key="vca-basis-online")
    assert online.municipality is None


def test_load_all_bundled_files(twente, achterhoek):
    counts = load_all_bundled_trainings()
    assert counts["twente"] == TWENTE_COUNT
    assert counts["achterhoek"] == Training.objects.filter(region=achterhoek).count() >= 12
    # the same key in two regions is two trainings
    assert Training.objects.filter(key="vca-basis-online").count() == 2


def test_loading_twice_changes_nothing(twente):
    load_trainings("twente")
    before = snapshot()
    assert load_trainings("twente") == TWENTE_COUNT
    assert snapshot() == before  # not even updated_at: unchanged rows are not saved


def test_changed_entry_is_updated_in_place(twente, tmp_path):
    load_trainings("twente")
    pk = Training.objects.get(region=twente, key="heftruckcertificaat").pk
    text = TWENTE_TEXT.replace("cost_eur = 395\n", "cost_eur = 425\n", 1)
    assert text != TWENTE_TEXT
    load_trainings("twente", write(tmp_path, text))
    heftruck = Training.objects.get(region=twente, key="heftruckcertificaat")
    assert heftruck.pk == pk and heftruck.cost_eur == 425


def test_training_dropped_from_the_file_is_deactivated_not_deleted(twente, tmp_path):
    load_trainings("twente")
    text = TWENTE_TEXT.replace('key = "heftruckcertificaat"', 'key = "heftruck-certificaat"')
    load_trainings("twente", write(tmp_path, text))
    old = Training.objects.get(region=twente, key="heftruckcertificaat")
    assert old.active is False
    assert Training.objects.get(region=twente, key="heftruck-certificaat").active is True
    assert Training.objects.filter(region=twente, active=True).count() == TWENTE_COUNT
    load_trainings("twente")
    assert Training.objects.get(region=twente, key="heftruckcertificaat").active is True
    assert Training.objects.get(region=twente, key="heftruck-certificaat").active is False


def test_other_regions_are_untouched(twente, achterhoek, tmp_path):
    load_all_bundled_trainings()
    before = snapshot(achterhoek)
    load_trainings("twente", write(tmp_path, toml_text(entry())))
    assert snapshot(achterhoek) == before
    assert Training.objects.filter(region=twente, active=True).count() == 1


def test_inactive_entry_in_the_file(twente, tmp_path):
    load_trainings("twente", write(tmp_path, toml_text(entry(active=False))))
    assert Training.objects.get(region=twente, key="timmerman-bbl").active is False


def test_bad_file_changes_nothing(twente, tmp_path):
    load_trainings("twente")
    before = snapshot()
    broken = TWENTE_TEXT.replace('level = "mbo4"', 'level = "mbo5"', 1)
    with pytest.raises(TrainingFileError) as info:
        load_trainings("twente", write(tmp_path, broken))
    assert info.value.field == "level" and "mbo5" in info.value.message
    assert info.value.entry.startswith("trainings[") and "(" in info.value.entry
    assert snapshot() == before


def test_municipality_of_another_region_is_rejected(twente, tmp_path):
    with pytest.raises(TrainingFileError) as info:
        load_trainings("twente", write(tmp_path, toml_text(entry(municipality="GM0222"))))
    assert info.value.field == "municipality"
    assert info.value.message == "unknown municipality code GM0222 (not in region twente)"
    assert not Training.objects.exists()


def test_file_for_another_region_is_rejected(achterhoek):
    with pytest.raises(TrainingFileError) as info:
        load_trainings("achterhoek", TWENTE_FILE)
    assert info.value.field == "region"
    assert "file is for region 'twente', not 'achterhoek'" in info.value.message


def test_unknown_or_unloaded_region(twente, tmp_path):
    with pytest.raises(TrainingFileError) as info:
        load_trainings("atlantis")
    assert "no bundled training file (known: achterhoek, twente)" in str(info.value)
    with pytest.raises(TrainingFileError) as info:
        load_trainings("atlantis", write(tmp_path, toml_text(entry(), region="atlantis")))
    assert "region 'atlantis' is not loaded" in str(info.value)


def test_database_constraints(twente):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_training(twente, "zero-weeks", duration_weeks=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_training(twente, "negative-cost", cost_eur=-1)
    make_training(twente, "one")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_training(twente, "one")


# --- the management command --------------------------------------------------------------


def test_command_prints_one_summary_line(twente, achterhoek):
    output = run("twente")
    assert output.count("\n") == 1
    assert f"Loaded {TWENTE_COUNT} trainings (twente {TWENTE_COUNT}); 0 inactive" in output
    output = run("--all")
    assert output.count("\n") == 1 and "twente" in output and "achterhoek" in output
    output = run("twente", "achterhoek")
    assert output.count("\n") == 1


def test_command_with_file(twente, tmp_path):
    output = run("twente", "--file", str(write(tmp_path, toml_text(entry()))))
    assert "Loaded 1 trainings (twente 1)" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name a region (e.g. twente) or pass --all"),
        (("twente", "--all"), "name regions or pass --all, not both"),
        (("--all", "--file", "x.toml"), "--file needs exactly one REGION"),
        (("twente", "achterhoek", "--file", "x.toml"), "--file needs exactly one REGION"),
        (("atlantis",), "no bundled training file"),
    ],
)
def test_command_usage_errors_exit_with_code_2(twente, args, message):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    assert message in str(info.value) and "\n" not in str(info.value)


def test_command_bad_file_exits_with_code_2_naming_file_entry_and_field(twente, tmp_path):
    path = write(tmp_path, toml_text(entry(), entry(key="kok", cost_eur=-10)))
    with pytest.raises(CommandError) as info:
        run("twente", "--file", str(path))
    assert info.value.returncode == 2
    assert (
        str(info.value) == f"{path}: trainings[1] (kok): cost_eur: -10 is negative (use 0 for free)"
    )
    assert not Training.objects.exists()


def test_command_is_all_or_nothing_over_regions(twente, achterhoek, tmp_path, monkeypatch):
    from werkcentrum.training import loader

    broken = write(
        tmp_path, toml_text(entry(municipality="GM0164"), region="achterhoek"), "achterhoek.toml"
    )
    monkeypatch.setattr(
        loader, "bundled_training_files", lambda: {"achterhoek": broken, "twente": TWENTE_FILE}
    )
    with pytest.raises(CommandError):
        call_command("load_trainings", "--all", stdout=StringIO())
    assert not Training.objects.exists()
