"""The pure training-file parser: every bad input gives one error naming file, entry and field."""

import pytest

from werkcentrum.employers.models import Chain
from werkcentrum.training import loader
from werkcentrum.training.loader import TrainingFileError, parse_training_file, parse_training_text
from werkcentrum.training.models import Funding, LearningForm, Level

from .helpers import ENTRY, entry, toml_text

SOURCE = "twente-test.toml"
TWENTE_CODES = {"GM0141", "GM0153", "GM0164"}
ENTRY_LABEL = "trainings[0] (timmerman-bbl)"


def parse(text, municipalities=TWENTE_CODES):
    return parse_training_text(text, SOURCE, municipalities=municipalities)


def error_for(text, municipalities=TWENTE_CODES) -> TrainingFileError:
    with pytest.raises(TrainingFileError) as info:
        parse(text, municipalities)
    return info.value


def test_parser_codes_match_the_model_choices():
    assert loader.LEVELS == tuple(Level.values)
    assert loader.LEARNING_FORMS == tuple(LearningForm.values)
    assert loader.FUNDING_CODES == tuple(Funding.values)
    assert loader.SECTORS == tuple(Chain.values)


def test_parser_module_needs_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(loader))
    top_level_imports = [
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert not [name for name in top_level_imports if name and name.startswith("django")]


def test_valid_entry_is_parsed_and_normalised():
    data = parse(toml_text(entry(), entry(key="kok", municipality="", url=None, active=False)))
    assert data.region == "twente"
    assert data.note == "Illustrative demo data."
    first, second = data.trainings
    assert first.key == "timmerman-bbl"
    assert first.isco_groups == ("7115",)
    assert first.funding == ("employer", "training_fund")
    assert first.municipality == "GM0164"
    assert first.active is True
    assert second.municipality is None and second.url == "" and second.active is False


def test_optional_fields_may_be_left_out():
    data = parse(toml_text(entry(hours_per_week=None, isco_groups=None, municipality=None)))
    (training,) = data.trainings
    assert training.hours_per_week is None
    assert training.isco_groups == ()
    assert training.municipality is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"level": "mbo5"}, "level", "unknown level 'mbo5' (allowed: course, mbo1"),
        ({"sector": "mining"}, "sector", "unknown sector 'mining'"),
        ({"learning_form": "evening"}, "learning_form", "unknown learning_form 'evening'"),
        ({"cost_eur": -5}, "cost_eur", "-5 is negative"),
        ({"cost_eur": 250_000}, "cost_eur", "more than 100000"),
        ({"cost_eur": "600"}, "cost_eur", "must be an integer, not a string"),
        ({"cost_eur": None}, "cost_eur", "missing (required)"),
        ({"duration_weeks": 0}, "duration_weeks", "0 is out of range"),
        ({"duration_weeks": 12.5}, "duration_weeks", "must be an integer, not a number"),
        ({"hours_per_week": 80}, "hours_per_week", "80 is out of range"),
        ({"municipality": "GM9999"}, "municipality", "unknown municipality code GM9999"),
        ({"municipality": "GM0222"}, "municipality", "not in region twente"),
        ({"municipality": "Enschede"}, "municipality", "not a CBS municipality code"),
        ({"funding": ["employer", "stap"]}, "funding[1]", "unknown funding code 'stap'"),
        ({"funding": []}, "funding", "must not be empty"),
        ({"funding": ["own", "own"]}, "funding[1]", "'own' is listed twice"),
        ({"funding": "own"}, "funding", "must be an array"),
        ({"isco_groups": ["711"]}, "isco_groups[0]", "'711' is not a 4-digit ISCO-08 unit group"),
        ({"isco_groups": ["7115", "9999"]}, "isco_groups[1]", "9999 does not occur in the ESCO"),
        ({"isco_groups": [7115]}, "isco_groups[0]", "must be a string, not an integer"),
        ({"title": None}, "title", "missing (required)"),
        ({"title": "  "}, "title", "must not be empty"),
        ({"title": "x" * 201}, "title", "longer than 200 characters"),
        ({"description": None}, "description", "missing (required)"),
        ({"provider": 3}, "provider", "must be a string, not an integer"),
        ({"url": "www.rocvantwente.nl"}, "url", "not a web address"),
        ({"active": "yes"}, "active", "must be true or false"),
        ({"prize": 10}, "prize", "unknown key (allowed:"),
    ],
)
def test_bad_entry_names_file_entry_and_field(changes, field, message):
    error = error_for(toml_text(entry(**changes)))
    assert (error.file, error.entry, error.field) == (SOURCE, ENTRY_LABEL, field)
    assert message in error.message
    assert str(error) == f"{SOURCE}: {ENTRY_LABEL}: {field}: {error.message}"
    assert "\n" not in str(error)


def test_bad_key_and_duplicate_key():
    error = error_for(toml_text(entry(key="Timmerman BBL")))
    assert (error.entry, error.field) == ("trainings[0] (Timmerman BBL)", "key")
    assert "not a valid key" in error.message
    error = error_for(toml_text(entry(), entry(key="kok"), entry()))
    assert (error.entry, error.field) == ("trainings[2] (timmerman-bbl)", "key")
    assert error.message == "duplicate key (also trainings[0])"
    error = error_for(toml_text(entry(key=None)))
    assert (error.entry, error.field, error.message) == (
        "trainings[0]",
        "key",
        "missing (required)",
    )


def test_the_first_problem_is_reported_in_file_order():
    error = error_for(toml_text(entry(), entry(key="kok", level="x"), entry(key="b", cost_eur=-1)))
    assert error.entry == "trainings[1] (kok)" and error.field == "level"


@pytest.mark.parametrize(
    ("text", "entry_name", "field", "message"),
    [
        ("schema_version = 1\nregion = ", "file", "syntax", ""),
        (toml_text(entry(), schema_version=2), "file", "schema_version", "must be 1"),
        (
            toml_text(entry()).replace("schema_version = 1\n", ""),
            "file",
            "schema_version",
            "missing",
        ),
        (toml_text(entry(), region="Twente!"), "file", "region", "not a region code"),
        (toml_text(entry(), meta=False), "meta", "note", "a [meta] table with a note is required"),
        (
            toml_text(entry()).replace('note = "Illustrative demo data."', ""),
            "meta",
            "note",
            "missing",
        ),
        (
            toml_text(entry()).replace('version = "test"', "owner = 1"),
            "meta",
            "owner",
            "unknown key",
        ),
        (toml_text(), "file", "trainings", "missing (at least one [[trainings]] entry)"),
        (
            toml_text(entry()) + "\nextra = 1\n",
            "trainings[0] (timmerman-bbl)",
            "extra",
            "unknown key",
        ),
        (
            'schema_version = 1\nregion = "twente"\n[meta]\nnote = "x"\nprices = 3\n',
            "meta",
            "prices",
            "unknown key",
        ),
        ('schema_version = 1\nregion = "twente"\ncolour = 3\n', "file", "colour", "unknown key"),
    ],
)
def test_bad_file_level_input(text, entry_name, field, message):
    error = error_for(text)
    assert (error.entry, error.field) == (entry_name, field)
    assert message in error.message


def test_syntax_error_mentions_the_line():
    error = error_for(toml_text(entry()) + "\n[[trainings]\n")
    assert error.field == "syntax" and "line" in error.message


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(TrainingFileError) as info:
        parse_training_file(tmp_path / "missing.toml")
    assert info.value.entry == "file" and info.value.field == "read"
    path = tmp_path / "latin1.toml"
    path.write_bytes(toml_text(entry(title="Opleiding café")).encode("latin-1"))
    with pytest.raises(TrainingFileError) as info:
        parse_training_file(path)
    assert info.value.field == "encoding" and info.value.file == str(path)


def test_without_municipality_list_any_well_formed_code_is_accepted():
    (training,) = parse(toml_text(entry(municipality="GM9999")), municipalities=None).trainings
    assert training.municipality == "GM9999"


def test_error_is_picklable():
    import pickle

    error = error_for(toml_text(entry(level="x")))
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.field == "level"


def test_entry_template_is_valid():
    assert ENTRY["key"] == parse(toml_text(entry())).trainings[0].key


def test_expected_region():
    text = toml_text(entry(), region="achterhoek")
    error = None
    with pytest.raises(TrainingFileError) as info:
        parse_training_text(text, SOURCE, region="twente")
    error = info.value
    assert (error.entry, error.field) == ("file", "region")
    assert error.message == "file is for region 'achterhoek', not 'twente'"
    assert parse_training_text(text, SOURCE, region="achterhoek").region == "achterhoek"
