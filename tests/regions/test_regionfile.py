"""Region data files and their pure parser/validator (no Django, no database)."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from werkcentrum.regions import regionfile
from werkcentrum.regions.regionfile import (
    MUNICIPAL_DESKS,
    OpeningPeriod,
    RegionFileError,
    bundled_region_files,
    parse_region_file,
    parse_region_text,
)

TWENTE_MUNICIPALITIES = {
    "GM0141": "Almelo",
    "GM0147": "Borne",
    "GM1774": "Dinkelland",
    "GM0153": "Enschede",
    "GM0158": "Haaksbergen",
    "GM0163": "Hellendoorn",
    "GM0164": "Hengelo",
    "GM1735": "Hof van Twente",
    "GM0168": "Losser",
    "GM0173": "Oldenzaal",
    "GM1742": "Rijssen-Holten",
    "GM0183": "Tubbergen",
    "GM1700": "Twenterand",
    "GM0189": "Wierden",
}
TWENTE_SUBREGIONS = {
    "almelo": {
        "Almelo",
        "Dinkelland",
        "Hellendoorn",
        "Rijssen-Holten",
        "Tubbergen",
        "Twenterand",
        "Wierden",
    },
    "enschede": {"Enschede", "Losser", "Oldenzaal"},
    "hengelo": {"Borne", "Haaksbergen", "Hengelo", "Hof van Twente"},
}
ACHTERHOEK_MUNICIPALITIES = {
    "GM0197": "Aalten",
    "GM1859": "Berkelland",
    "GM1876": "Bronckhorst",
    "GM0222": "Doetinchem",
    "GM1955": "Montferland",
    "GM1586": "Oost Gelre",
    "GM1509": "Oude IJsselstreek",
    "GM0294": "Winterswijk",
}
BROKEN = "broken.toml"


# --------------------------------------------------------------------------- helpers


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else _toml_str(key)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(type(value))


def dump_toml(document: dict) -> str:
    """A tiny TOML writer: top-level scalars, then arrays of tables; nested values inline."""
    lines: list[str] = []
    sections: list[tuple[str, list[dict]]] = []
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            sections.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, tables in sections:
        for table in tables:
            lines.append("")
            lines.append(f"[[{_toml_key(key)}]]")
            for sub_key, sub_value in table.items():
                lines.append(f"{_toml_key(sub_key)} = {_toml_value(sub_value)}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def files() -> dict[str, Path]:
    return bundled_region_files()


@pytest.fixture(scope="module")
def twente_text(files) -> str:
    return files["twente"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def twente(files):
    return parse_region_file(files["twente"])


@pytest.fixture(scope="module")
def achterhoek(files):
    return parse_region_file(files["achterhoek"])


@pytest.fixture
def doc(twente_text) -> dict:
    """A fresh, mutable copy of the Twente document."""
    return copy.deepcopy(tomllib.loads(twente_text))


def parse_doc(document: dict):
    return parse_region_text(dump_toml(document), BROKEN)


def index_of(document: dict, section: str, code: str) -> int:
    for index, table in enumerate(document[section]):
        if table.get("code") == code:
            return index
    raise KeyError(code)


def expect_error(document: dict, entry: str, field: str, fragment: str = "") -> RegionFileError:
    with pytest.raises(RegionFileError) as info:
        parse_doc(document)
    error = info.value
    assert (error.file, error.entry, error.field) == (BROKEN, entry, field), str(error)
    assert fragment in error.message
    return error


# ---------------------------------------------------------------------- bundled data


def test_bundled_files_are_keyed_by_their_code(files):
    assert {"twente", "achterhoek"} <= set(files)
    for code, path in files.items():
        assert path.suffix == ".toml"
        data = parse_region_file(path)
        assert data.code == code
        assert data.source_file == str(path)


def test_twente_municipalities_and_subregions(twente):
    assert twente.name == "Twente"
    assert {m.code: m.name for m in twente.municipalities} == TWENTE_MUNICIPALITIES
    assert len(twente.municipalities) == 14
    assert len(twente.subregions) == 3
    by_subregion: dict[str, set[str]] = {}
    for municipality in twente.municipalities:
        by_subregion.setdefault(municipality.subregion, set()).add(municipality.name)
    assert by_subregion == TWENTE_SUBREGIONS
    assert twente.centre_municipality == "GM0153"
    assert all(m.population and m.population > 10_000 for m in twente.municipalities)


def test_twente_aliases_cover_former_municipalities(twente):
    assert "Goor" in twente.municipality("GM1735").aliases
    assert "Vriezenveen" in twente.municipality("GM1700").aliases


def test_twente_walk_in_points(twente):
    covered = {point.municipality for point in twente.walk_in_points}
    assert covered == set(TWENTE_MUNICIPALITIES)
    centres = [point for point in twente.walk_in_points if point.is_regional_centre]
    assert len(centres) == 1
    assert centres[0].municipality == "GM0153"
    hosts = {point.municipality: point.hosted_by for point in twente.walk_in_points}
    assert hosts["GM0173"] == "Sociaal plein"
    assert hosts["GM0183"] == "de Schakel"
    werkplein = {p.municipality for p in twente.walk_in_points if p.code.endswith("-werkplein")}
    assert {"GM0141", "GM0153", "GM0164"} <= werkplein
    assert any(p.hosted_by == "Bibliotheek Hengelo" for p in twente.walk_in_points)


def test_achterhoek(achterhoek):
    assert {m.code: m.name for m in achterhoek.municipalities} == ACHTERHOEK_MUNICIPALITIES
    assert achterhoek.centre_municipality == "GM0222"
    assert {p.municipality for p in achterhoek.walk_in_points} == set(ACHTERHOEK_MUNICIPALITIES)
    assert sum(p.is_regional_centre for p in achterhoek.walk_in_points) == 1
    assert achterhoek.partner(achterhoek.werkcentrum_partner).name == "Werkcentrum Achterhoek"


@pytest.mark.parametrize("region", ["twente", "achterhoek"])
def test_desks_expand_to_four_partners_per_municipality(region, request):
    data = request.getfixturevalue(region)
    desk_partners = [p for p in data.partners if p.desk in MUNICIPAL_DESKS and p.municipality]
    assert len(desk_partners) == 4 * len(data.municipalities)
    for municipality in data.municipalities:
        for desk, kind in MUNICIPAL_DESKS.items():
            partner = data.desk_partner(municipality.code, desk)
            assert partner.code == f"{municipality.code.lower()}-{desk}"
            assert (partner.kind, partner.desk, partner.municipality) == (
                kind,
                desk,
                municipality.code,
            )
            assert partner.default_for_kind is False
            assert 1 <= partner.pickup_working_days <= 20


def test_desk_partner_details(twente):
    almelo_debt = twente.partner("gm0141-debt_support")
    assert almelo_debt.kind == "debt_support"
    assert almelo_debt.pickup_working_days == 3
    assert twente.partner("gm0141-youth").pickup_working_days == 2  # the default


@pytest.mark.parametrize("region", ["twente", "achterhoek"])
def test_network_partners(region, request):
    data = request.getfixturevalue(region)
    werkcentrum = data.partner(data.werkcentrum_partner)
    assert (werkcentrum.kind, werkcentrum.default_for_kind, werkcentrum.municipality) == (
        "werkcentrum",
        True,
        None,
    )
    desks = {p.desk for p in data.partners if p.kind == "werkcentrum" and not p.default_for_kind}
    assert desks == {"employer_services", "career_advice"}
    for kind in (
        "werkcentrum",
        "uwv",
        "social_partners",
        "sbb",
        "education",
        "training_fund",
        "cross_border_info",
    ):
        defaults = [p for p in data.partners if p.kind == kind and p.default_for_kind]
        assert len(defaults) == 1, kind
    assert any(p.kind == "social_development" for p in data.partners)


def test_twente_named_partners(twente):
    names = {p.name for p in twente.partners}
    for expected in (
        "Werkcentrum Twente",
        "UWV Twente",
        "FNV",
        "CNV",
        "VNO-NCW Twente",
        "ROC van Twente",
        "Saxion",
        "Twents Fonds voor Vakmanschap",
    ):
        assert expected in names
    assert twente.partner("twents-fonds-voor-vakmanschap").default_for_kind


def test_codes_are_unique_across_bundled_regions(files):
    seen: dict[str, str] = {}
    for code, path in files.items():
        data = parse_region_file(path)
        keys = [f"partner:{p.code}" for p in data.partners]
        keys += [f"walk_in:{p.code}" for p in data.walk_in_points]
        keys += [f"municipality:{m.code}" for m in data.municipalities]
        for key in keys:
            assert key not in seen, f"{key} in both {seen.get(key)} and {code}"
            seen[key] = code


def test_demo_emails_use_example_domains(files):
    for path in files.values():
        data = parse_region_file(path)
        emails = [p.email for p in data.partners] + [p.email for p in data.walk_in_points]
        assert all(not e or e.endswith(f"@werkcentrum-{data.code}.example") for e in emails)


def test_opening_hours_are_expanded_per_day_and_sorted(twente):
    centre = next(p for p in twente.walk_in_points if p.is_regional_centre)
    assert centre.opening_hours[:2] == (
        OpeningPeriod(0, "09:00", "17:00"),
        OpeningPeriod(1, "09:00", "17:00"),
    )
    assert OpeningPeriod(3, "18:00", "20:00") in centre.opening_hours
    days = [(p.day, p.opens) for p in centre.opening_hours]
    assert days == sorted(days)


def test_dumper_round_trip_gives_the_same_data(doc, twente):
    again = parse_doc(doc)
    assert again.partners == twente.partners
    assert again.walk_in_points == twente.walk_in_points
    assert again.municipalities == twente.municipalities
    assert again.source_file == BROKEN


def test_postcode_is_normalised(doc):
    doc["walk_in_points"][0]["postcode"] = "7514AJ"
    assert parse_doc(doc).walk_in_points[0].postcode == "7514 AJ"


def test_empty_partner_municipality_becomes_none(twente):
    assert twente.partner("uwv-twente").municipality is None
    assert twente.partner("dcw-enschede").municipality == "GM0153"


# ------------------------------------------------------------------- error object


def test_error_format_and_pickling():
    error = RegionFileError("a.toml", "partners[3] (x)", "kind", "bad")
    assert str(error) == "a.toml: partners[3] (x): kind: bad"
    assert (error.file, error.entry, error.field, error.message) == (
        "a.toml",
        "partners[3] (x)",
        "kind",
        "bad",
    )
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.field == "kind"


def test_module_does_not_import_django():
    path = Path(regionfile.__file__)
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('regionfile_alone', {str(path)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['regionfile_alone'] = module\n"
        "spec.loader.exec_module(module)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'werkcentrum')], 'imports'\n"
        "for path in module.bundled_region_files().values():\n"
        "    module.parse_region_file(path)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------- file-level failures


def test_toml_syntax_error_names_the_line(twente_text):
    lines = twente_text.splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if line.startswith('name = "Twente"'))
    broken = twente_text.replace('\nname = "Twente"\n', '\nname = "Twente\n', 1)
    assert broken != twente_text
    with pytest.raises(RegionFileError) as info:
        parse_region_text(broken, BROKEN)
    assert (info.value.file, info.value.entry, info.value.field) == (BROKEN, "file", "syntax")
    assert f"line {lineno}" in info.value.message


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(RegionFileError) as info:
        parse_region_file(path)
    assert (info.value.file, info.value.entry, info.value.field) == (str(path), "file", "read")


def test_file_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(RegionFileError) as info:
        parse_region_file(path)
    assert (info.value.entry, info.value.field) == ("file", "encoding")


def test_parse_region_file_reports_the_path(tmp_path, doc):
    del doc["name"]
    path = tmp_path / "twente.toml"
    path.write_text(dump_toml(doc), encoding="utf-8")
    with pytest.raises(RegionFileError) as info:
        parse_region_file(path)
    assert str(info.value) == f"{path}: region: name: missing (required)"


# ------------------------------------------------------------------ validation rules

ALMELO = "municipalities[0] (Almelo)"
CENTRE = "walk_in_points[0] (enschede-regionaal-centrum)"


def test_schema_version_missing(doc):
    del doc["schema_version"]
    expect_error(doc, "region", "schema_version", "missing")


@pytest.mark.parametrize("value", [2, 0, "1", True])
def test_schema_version_must_be_1(doc, value):
    doc["schema_version"] = value
    expect_error(doc, "region", "schema_version")


@pytest.mark.parametrize(
    "key", ["version", "code", "name", "centre_municipality", "werkcentrum_partner"]
)
def test_required_top_level_fields(doc, key):
    del doc[key]
    expect_error(doc, "region", key, "missing")


def test_top_level_type(doc):
    doc["version"] = 2026
    expect_error(doc, "region", "version", "must be a string")


def test_empty_string_is_missing(doc):
    doc["name"] = "   "
    expect_error(doc, "region", "name", "empty")


def test_region_code_format(doc):
    doc["code"] = "Twente Regio"
    expect_error(doc, "region", "code", "not a valid code")


def test_unknown_top_level_key(doc):
    doc["centre"] = "GM0153"
    expect_error(doc, "region", "centre", "unknown key")


@pytest.mark.parametrize("section", ["subregions", "municipalities", "walk_in_points", "partners"])
def test_sections_are_required(doc, section):
    del doc[section]
    expect_error(doc, "region", section, "missing")


def test_section_must_be_array_of_tables(doc):
    doc["partners"] = ["uwv-twente"]
    expect_error(doc, "region", "partners", "array of tables")


def test_unknown_key_in_municipality(doc):
    doc["municipalities"][0]["popluation"] = 1
    expect_error(doc, ALMELO, "popluation", "unknown key")


def test_unknown_key_in_subregion(doc):
    doc["subregions"][0]["muncipalities"] = []
    expect_error(doc, "subregions[0] (almelo)", "muncipalities", "unknown key")


def test_unknown_key_in_walk_in_point(doc):
    doc["walk_in_points"][0]["adres"] = "x"
    expect_error(doc, CENTRE, "adres", "unknown key")


def test_unknown_key_in_partner(doc):
    doc["partners"][0]["defualt_for_kind"] = True
    expect_error(doc, "partners[0] (werkcentrum-twente)", "defualt_for_kind", "unknown key")


def test_unknown_key_in_desk(doc):
    doc["municipalities"][0]["desks"]["youth"]["mail"] = "a@b.example"
    expect_error(doc, ALMELO, "desks.youth.mail", "unknown key")


def test_unknown_desk(doc):
    doc["municipalities"][0]["desks"]["jobs"] = {"name": "Banen"}
    expect_error(doc, ALMELO, "desks.jobs", "unknown key")


def test_unknown_key_in_opening_hours(doc):
    doc["walk_in_points"][0]["opening_hours"][0]["day"] = "mon"
    expect_error(doc, CENTRE, "opening_hours[0].day", "unknown key")


def test_missing_desk(doc):
    del doc["municipalities"][0]["desks"]["youth"]
    expect_error(doc, ALMELO, "desks.youth", "missing")


def test_missing_desks_table(doc):
    del doc["municipalities"][0]["desks"]
    expect_error(doc, ALMELO, "desks", "missing")


def test_desk_needs_a_name(doc):
    del doc["municipalities"][0]["desks"]["civic_integration"]["name"]
    expect_error(doc, ALMELO, "desks.civic_integration.name", "missing")


@pytest.mark.parametrize("code", ["GM141", "gm0141", "0141", "GM01410", "Almelo"])
def test_cbs_code_format(doc, code):
    doc["municipalities"][0]["code"] = code
    expect_error(doc, ALMELO, "code", "CBS")


def test_duplicate_municipality_code(doc):
    doc["municipalities"][1]["code"] = "GM0141"
    expect_error(doc, "municipalities[1] (Borne)", "code", "duplicate")


def test_duplicate_municipality_name_or_alias(doc):
    doc["municipalities"][1]["aliases"] = ["almelo"]
    expect_error(doc, "municipalities[1] (Borne)", "aliases[0]", "already used")


def test_population_must_be_positive_int(doc):
    doc["municipalities"][0]["population"] = -5
    expect_error(doc, ALMELO, "population", "positive")
    doc["municipalities"][0]["population"] = "74000"
    expect_error(doc, ALMELO, "population", "integer")


def test_population_is_optional(doc):
    del doc["municipalities"][0]["population"]
    assert parse_doc(doc).municipalities[0].population is None


def test_duplicate_subregion_code(doc):
    doc["subregions"][1]["code"] = "almelo"
    expect_error(doc, "subregions[1] (almelo)", "code", "duplicate")


def test_municipality_in_two_subregions(doc):
    doc["subregions"][1]["municipalities"].append("GM0141")
    expect_error(doc, "subregions[1] (enschede)", "municipalities[3]", "already listed")


def test_municipality_in_no_subregion(doc):
    doc["subregions"][0]["municipalities"].remove("GM0141")
    expect_error(doc, ALMELO, "subregion", "not listed in any subregion")


def test_subregion_lists_unknown_municipality(doc):
    doc["subregions"][0]["municipalities"].append("GM9999")
    expect_error(doc, "subregions[0] (almelo)", "municipalities", "GM9999")


def test_subregion_lists_malformed_code(doc):
    doc["subregions"][0]["municipalities"][0] = "Almelo"
    expect_error(doc, "subregions[0] (almelo)", "municipalities[0]", "CBS")


def test_subregion_must_not_be_empty(doc):
    doc["subregions"].append({"code": "leeg", "name": "Leeg", "municipalities": []})
    expect_error(doc, "subregions[3] (leeg)", "municipalities", "at least one")


@pytest.mark.parametrize(("value", "fragment"), [("GM9999", "not one of"), ("Enschede", "CBS")])
def test_centre_municipality_must_exist(doc, value, fragment):
    doc["centre_municipality"] = value
    expect_error(doc, "region", "centre_municipality", fragment)


def test_walk_in_municipality_must_exist(doc):
    doc["walk_in_points"][0]["municipality"] = "GM9999"
    expect_error(doc, CENTRE, "municipality", "not one of")


def test_duplicate_walk_in_code(doc):
    doc["walk_in_points"][1]["code"] = doc["walk_in_points"][0]["code"]
    expect_error(doc, "walk_in_points[1] (enschede-regionaal-centrum)", "code", "duplicate")


@pytest.mark.parametrize(
    "key",
    ["code", "name", "municipality", "street", "postcode", "city", "services", "opening_hours"],
)
def test_walk_in_required_fields(doc, key):
    del doc["walk_in_points"][2][key]
    entry = "walk_in_points[2]" if key == "code" else "walk_in_points[2] (almelo-werkplein)"
    expect_error(doc, entry, key, "missing")


@pytest.mark.parametrize("value", ["7514 aj", "751 AJ", "7514-AJ", "AJ 7514", "75140 AJ"])
def test_postcode_format(doc, value):
    doc["walk_in_points"][0]["postcode"] = value
    expect_error(doc, CENTRE, "postcode", "postcode")


def test_unknown_service(doc):
    doc["walk_in_points"][0]["services"] = ["guide", "coffee"]
    expect_error(doc, CENTRE, "services[1]", "not a known service")


def test_duplicate_service(doc):
    doc["walk_in_points"][0]["services"] = ["guide", "guide"]
    expect_error(doc, CENTRE, "services[1]", "twice")


def test_services_must_not_be_empty(doc):
    doc["walk_in_points"][0]["services"] = []
    expect_error(doc, CENTRE, "services", "at least one")


def test_unknown_day(doc):
    doc["walk_in_points"][0]["opening_hours"][0]["days"] = ["mon", "monday"]
    expect_error(doc, CENTRE, "opening_hours[0].days[1]", "not a day")


@pytest.mark.parametrize("value", ["9:00", "24:00", "09:60", "0900", "09.00", 900])
def test_time_format(doc, value):
    doc["walk_in_points"][0]["opening_hours"][1]["opens"] = value
    expect_error(doc, CENTRE, "opening_hours[1].opens", "not a time")


@pytest.mark.parametrize("closes", ["09:00", "08:30"])
def test_opens_before_closes(doc, closes):
    doc["walk_in_points"][0]["opening_hours"][0]["closes"] = closes
    expect_error(doc, CENTRE, "opening_hours[0].closes", "not after")


def test_overlapping_periods(doc):
    doc["walk_in_points"][0]["opening_hours"][1]["opens"] = "16:00"
    expect_error(doc, CENTRE, "opening_hours[1]", "overlaps")


def test_opening_hours_must_not_be_empty(doc):
    doc["walk_in_points"][0]["opening_hours"] = []
    expect_error(doc, CENTRE, "opening_hours", "at least one")


def test_boolean_type(doc):
    doc["walk_in_points"][0]["is_regional_centre"] = "yes"
    expect_error(doc, CENTRE, "is_regional_centre", "true or false")


def test_every_municipality_needs_a_walk_in_point(doc):
    doc["walk_in_points"] = [p for p in doc["walk_in_points"] if p["municipality"] != "GM0168"]
    expect_error(doc, "municipalities[8] (Losser)", "walk_in_points", "no walk-in point")


def test_a_regional_centre_is_required(doc):
    doc["walk_in_points"][0]["is_regional_centre"] = False
    expect_error(doc, "region", "walk_in_points", "no regional centre")


def test_only_one_regional_centre(doc):
    doc["walk_in_points"][2]["is_regional_centre"] = True
    expect_error(doc, "walk_in_points[2] (almelo-werkplein)", "is_regional_centre", "exactly one")


def test_duplicate_partner_code(doc):
    doc["partners"][1]["code"] = "werkcentrum-twente"
    expect_error(doc, "partners[1] (werkcentrum-twente)", "code", "duplicate")


def test_partner_code_collides_with_generated_desk_code(doc):
    index = index_of(doc, "partners", "saxion")
    doc["partners"][index]["code"] = "gm0141-youth"
    expect_error(doc, f"partners[{index}] (gm0141-youth)", "code", "desks.youth")


def test_partner_code_format(doc):
    index = index_of(doc, "partners", "saxion")
    doc["partners"][index]["code"] = "Saxion Hogeschool"
    expect_error(doc, f"partners[{index}] (Saxion Hogeschool)", "code", "not a valid code")


@pytest.mark.parametrize("key", ["code", "name", "kind"])
def test_partner_required_fields(doc, key):
    index = index_of(doc, "partners", "saxion")
    del doc["partners"][index][key]
    entry = f"partners[{index}]" if key == "code" else f"partners[{index}] (saxion)"
    expect_error(doc, entry, key, "missing")


def test_partner_kind_must_be_known(doc):
    index = index_of(doc, "partners", "uwv-twente")
    doc["partners"][index]["kind"] = "union"
    expect_error(doc, f"partners[{index}] (uwv-twente)", "kind", "not a partner kind")


def test_partner_municipality_must_exist(doc):
    index = index_of(doc, "partners", "dcw-enschede")
    doc["partners"][index]["municipality"] = "GM9999"
    expect_error(doc, f"partners[{index}] (dcw-enschede)", "municipality", "not one of")


def test_partner_cannot_redefine_a_municipal_desk(doc):
    index = index_of(doc, "partners", "dcw-enschede")
    doc["partners"][index]["desk"] = "debt_support"
    expect_error(doc, f"partners[{index}] (dcw-enschede)", "desk", "desks.debt_support")


@pytest.mark.parametrize("value", [0, 21, -1, "2", True, 2.5])
def test_partner_pickup_working_days(doc, value):
    index = index_of(doc, "partners", "uwv-twente")
    doc["partners"][index]["pickup_working_days"] = value
    expect_error(doc, f"partners[{index}] (uwv-twente)", "pickup_working_days")


@pytest.mark.parametrize("value", [0, 21, "3"])
def test_desk_pickup_working_days(doc, value):
    doc["municipalities"][0]["desks"]["debt_support"]["pickup_working_days"] = value
    expect_error(doc, ALMELO, "desks.debt_support.pickup_working_days")


def test_pickup_working_days_bounds_are_inclusive(doc):
    index = index_of(doc, "partners", "uwv-twente")
    doc["partners"][index]["pickup_working_days"] = 20
    doc["municipalities"][0]["desks"]["youth"]["pickup_working_days"] = 1
    data = parse_doc(doc)
    assert data.partner("uwv-twente").pickup_working_days == 20
    assert data.partner("gm0141-youth").pickup_working_days == 1


def test_contact_formats(doc):
    index = index_of(doc, "partners", "saxion")
    doc["partners"][index]["email"] = "saxion-at-example"
    expect_error(doc, f"partners[{index}] (saxion)", "email", "e-mail")
    doc["partners"][index]["email"] = ""
    doc["partners"][index]["website"] = "www.saxion.nl"
    expect_error(doc, f"partners[{index}] (saxion)", "website", "https://")
    doc["partners"][index]["website"] = ""
    doc["municipalities"][0]["desks"]["youth"]["phone"] = "bel ons"
    expect_error(doc, ALMELO, "desks.youth.phone", "phone")


def test_at_most_one_default_per_kind(doc):
    index = index_of(doc, "partners", "saxion")
    doc["partners"][index]["default_for_kind"] = True
    error = expect_error(
        doc, f"partners[{index}] (saxion)", "default_for_kind", "already the default"
    )
    assert "roc-van-twente" in error.message


def test_second_default_werkcentrum(doc):
    doc["partners"][1]["default_for_kind"] = True
    expect_error(
        doc, "partners[1] (werkcentrum-twente-wsp)", "default_for_kind", "already the default"
    )


def test_werkcentrum_partner_must_exist(doc):
    doc["werkcentrum_partner"] = "werkcentrum-elders"
    expect_error(doc, "region", "werkcentrum_partner", "not one of")


def test_werkcentrum_partner_must_be_the_default_werkcentrum(doc):
    doc["werkcentrum_partner"] = "werkcentrum-twente-wsp"
    expect_error(
        doc, "partners[1] (werkcentrum-twente-wsp)", "default_for_kind", "must be the default"
    )


def test_werkcentrum_partner_must_have_kind_werkcentrum(doc):
    doc["partners"][0]["kind"] = "debt_support"
    expect_error(doc, "partners[0] (werkcentrum-twente)", "kind", "werkcentrum")


def test_werkcentrum_partner_not_default(doc):
    doc["partners"][0]["default_for_kind"] = False
    expect_error(doc, "partners[0] (werkcentrum-twente)", "default_for_kind", "must be the default")


def test_werkcentrum_partner_is_regional(doc):
    doc["partners"][0]["municipality"] = "GM0153"
    expect_error(doc, "partners[0] (werkcentrum-twente)", "municipality", "regional")


def test_municipality_bound_default_werkcentrum_is_still_a_second_default(doc):
    doc["partners"][1]["default_for_kind"] = True
    doc["partners"][1]["municipality"] = "GM0141"
    expect_error(
        doc, "partners[1] (werkcentrum-twente-wsp)", "default_for_kind", "only the region's"
    )


def test_field_too_long(doc):
    doc["partners"][0]["phone"] = "0" * 31
    expect_error(doc, "partners[0] (werkcentrum-twente)", "phone", "phone")
