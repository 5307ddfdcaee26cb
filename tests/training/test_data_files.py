"""The bundled training files: valid, realistic spread, real ISCO groups and municipalities."""

import re
import tomllib

import pytest

from werkcentrum.employers.models import Chain
from werkcentrum.occupations.normalise import load_occupations
from werkcentrum.regions.regionfile import bundled_region_files, parse_region_file
from werkcentrum.training.loader import bundled_training_files, parse_training_file
from werkcentrum.training.models import LearningForm, Level

FILES = bundled_training_files()


def region_codes(region):
    return {m.code for m in parse_region_file(bundled_region_files()[region]).municipalities}


@pytest.fixture(scope="module", params=sorted(FILES))
def catalogue(request):
    region = request.param
    return parse_training_file(FILES[region], municipalities=region_codes(region))


def test_both_regions_have_a_file_named_after_a_bundled_region():
    assert {"twente", "achterhoek"} <= set(FILES)
    assert set(FILES) <= set(bundled_region_files())


def test_file_is_valid_and_for_its_own_region(catalogue):
    assert FILES[catalogue.region].name == f"{catalogue.region}.toml"


def test_file_says_it_is_demo_data(catalogue):
    assert "demo data" in catalogue.note.lower() and "indicative" in catalogue.note.lower()
    header = FILES[catalogue.region].read_text(encoding="utf-8").split("schema_version =")[0]
    assert "demo data" in header.lower() and "to confirm" in header.lower()


def test_every_isco_group_exists_in_the_esco_data(catalogue):
    """Independent of the parser's own check: read the ESCO csv through the occupations app."""
    esco_groups = {o.isco_group for o in load_occupations()}
    used = {group for t in catalogue.trainings for group in t.isco_groups}
    assert used and used <= esco_groups, sorted(used - esco_groups)


def test_descriptions_are_short_plain_dutch(catalogue):
    for training in catalogue.trainings:
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", training.description) if s]
        assert 1 <= len(sentences) <= 3, training.key
        assert training.description[-1] in ".?!", training.key


def test_twente_is_a_realistic_catalogue():
    data = parse_training_file(FILES["twente"], municipalities=region_codes("twente"))
    trainings = data.trainings
    assert len(trainings) >= 40
    assert {t.sector for t in trainings} == set(Chain.values)
    assert {t.level for t in trainings} == set(Level.values)
    assert {t.learning_form for t in trainings} == set(LearningForm.values)
    assert any(t.municipality is None for t in trainings)  # online / region-wide
    assert any(t.cost_eur == 0 for t in trainings)
    assert any("training_fund" in t.funding for t in trainings)
    providers = {t.provider for t in trainings}
    assert {"ROC van Twente", "Saxion", "Universiteit Twente"} <= providers
    assert not {"Aventus", "Deltion"} & {p.split()[0] for p in providers}


def test_achterhoek_has_about_a_dozen_trainings():
    data = parse_training_file(FILES["achterhoek"], municipalities=region_codes("achterhoek"))
    assert 12 <= len(data.trainings) <= 20
    assert "Graafschap College" in {t.provider for t in data.trainings}


def test_files_are_plain_toml_with_the_documented_top_level_keys():
    for path in FILES.values():
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(document) == {"schema_version", "region", "meta", "trainings"}
