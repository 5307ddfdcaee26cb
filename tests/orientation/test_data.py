"""The talent wall's data files: complete, original statements and areas that point at real
ESCO occupations, ISCO unit groups and the region's chains."""

import csv
import re
from collections import Counter

import pytest

from werkcentrum.employers.models import Chain
from werkcentrum.occupations.normalise import DATA_PATH
from werkcentrum.orientation import talentwall
from werkcentrum.orientation.talentwall import TYPES, DataError, load_areas, load_statements


@pytest.fixture(scope="module")
def esco():
    with DATA_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["esco_id"]: r["isco_group"] for r in rows}


def test_48_statements_8_per_type_unique_ids():
    types, statements = load_statements()
    assert [t.letter for t in types] == list(TYPES)
    assert len(statements) == 48
    assert Counter(s.type for s in statements) == dict.fromkeys(TYPES, 8)
    assert len({s.id for s in statements}) == 48
    assert len({s.nl for s in statements}) == 48
    assert len({s.en for s in statements}) == 48


def test_statements_are_short_ik_sentences_without_job_titles():
    _, statements = load_statements()
    for s in statements:
        assert s.nl.startswith("Ik "), s.id
        assert s.en.startswith(("I ", "At ")), s.id
        assert s.nl.endswith(".") and s.en.endswith(".")
        assert len(s.nl.split()) <= 16, s.id
        # no gendered or age-bound words
        assert not re.search(r"\b(hij|zij|man|vrouw|jong|oud)\b", s.nl.lower()), s.id


def test_statements_file_says_it_is_original():
    head = talentwall.STATEMENTS_FILE.read_text(encoding="utf-8")[:800].lower()
    assert "original to the werkcentrum project" in head


def test_areas_are_valid_and_point_at_known_esco_and_chains(esco):
    areas = load_areas(
        chains=set(Chain.values),
        known_isco_groups=set(esco.values()),
        known_esco_ids=set(esco),
    )
    assert 14 <= len(areas) <= 18
    assert len({a.code for a in areas}) == len(areas)
    for area in areas:
        assert area.chain in Chain.values
        assert 3 <= len(area.esco_ids) <= 6
        assert 2 <= len(area.paths) <= 3
        assert 2 <= len(area.holland) <= 3
        for group in area.isco_groups:
            assert group in set(esco.values()), (area.code, group)
        for esco_id in area.esco_ids:
            assert esco_id in esco, (area.code, esco_id)
            # the examples belong to the area's own unit groups
            assert esco[esco_id] in area.isco_groups, (area.code, esco_id)


def test_every_type_leads_somewhere():
    areas = load_areas()
    assert {a.holland[0] for a in areas} == set(TYPES)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


AREA = """
[[areas]]
code = "x"
name_nl = "X"
name_en = "X"
description_nl = "Iets."
description_en = "Something."
holland = "RI"
isco_groups = ["7411"]
esco_ids = ["a", "b", "c"]
chain = "construction"
paths = [{ nl = "Pad.", en = "Path." }]
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('holland = "RI"', 'holland = "RX"', "holland"),
        ('holland = "RI"', 'holland = "RR"', "holland"),
        ('holland = "RI"', "profile = { R = 9 }", "profile"),
        ('chain = "construction"', 'chain = "space"', "chain"),
        ('["7411"]', '["741"]', "isco_groups"),
        ('["7411"]', '["0000"]', "isco_groups"),
        ('["a", "b", "c"]', '["a", "b"]', "esco_ids"),
        ('["a", "b", "c"]', '["a", "b", "zzz"]', "esco_ids"),
        ('name_en = "X"', 'name_en = ""', "name_en"),
        ('name_en = "X"', 'name_en = "X"\nnmae_nl = "typo"', "nmae_nl"),
    ],
)
def test_bad_area_data_names_file_entry_and_field(tmp_path, old, new, field):
    path = write(tmp_path, "areas.toml", AREA.replace(old, new))
    with pytest.raises(DataError) as info:
        load_areas(
            path,
            chains={"construction"},
            known_isco_groups={"7411"},
            known_esco_ids={"a", "b", "c"},
        )
    message = str(info.value)
    assert "areas.toml" in message
    assert "'x'" in message
    assert f"'{field}'" in message


def test_profile_weights_instead_of_holland_code(tmp_path):
    path = write(
        tmp_path, "areas.toml", AREA.replace('holland = "RI"', "profile = { S = 2, C = 1 }")
    )
    (area,) = load_areas(path)
    assert area.weights == (0, 0, 0, 2, 0, 1)
    assert area.holland == "SC"


def test_bad_statement_data_names_file_entry_and_field(tmp_path):
    text = talentwall.STATEMENTS_FILE.read_text(encoding="utf-8")
    bad = write(
        tmp_path,
        "statements.toml",
        text.replace('id = "st07"\ntype = "R"', 'id = "st07"\ntype = "X"'),
    )
    with pytest.raises(DataError, match=r"statements\.toml: statement #7 \('st07'\), field 'type'"):
        load_statements(bad)
    dup = write(tmp_path, "statements.toml", text.replace('id = "st07"', 'id = "st06"'))
    with pytest.raises(DataError, match=r"'st06'\), field 'id': duplicate"):
        load_statements(dup)
    broken = write(tmp_path, "statements.toml", "[[statements]\n")
    with pytest.raises(DataError, match="not valid TOML"):
        load_statements(broken)
