"""The command-line contract, as a user runs it right after install: a fresh embedded SQLite
database in WERKCENTRUM_DATA_DIR (no DATABASE_URL), one JSON object in, one JSON object out;
errors exit 2 with exactly one line on stderr and nothing on stdout.

All runs share one data directory; the first one migrates it, the others then run in parallel
to keep this module fast."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from werkcentrum.regions.regionfile import bundled_region_files

TRIAGE = ["triage", "--region", "twente", "--json", "-"]

GOOD = {
    "ww": (
        {
            "asker": "resident",
            "municipality": "Rijssen-Holten",
            "benefit": "ww",
            "question": "Ik heb WW en zoek werk als kok.",
        },
        "uwv",
        None,
    ),
    "bijstand-enschede": (
        {
            "asker": "resident",
            "municipality": "Enschede",
            "benefit": "bijstand",
            "question": "Ik zit in de bijstand en wil werken.",
        },
        "municipality",
        "Enschede",
    ),
    "debts-losser": (
        {
            "asker": "resident",
            "municipality": "Losser",
            "question": "Ik heb schulden en kan mijn rekeningen niet betalen.",
        },
        "debt_support",
        "Losser",
    ),
    "employer-hiring": (
        {
            "asker": "employer",
            "municipality": "Almelo",
            "topics": ["hiring"],
            "question": "Wij zoeken vijf monteurs.",
        },
        "werkcentrum",
        None,
    ),
    "employer-apprenticeship": (
        {
            "asker": "employer",
            "municipality": "Hengelo",
            "topics": ["apprenticeship"],
            "question": "Wij willen erkend leerbedrijf worden.",
        },
        "sbb",
        None,
    ),
    "germany": (
        {
            "asker": "resident",
            "municipality": "Enschede",
            "topics": ["cross_border"],
            "question": "Ik wil in Duitsland gaan werken.",
        },
        "cross_border_info",
        None,
    ),
    "doetinchem": (
        {"asker": "resident", "municipality": "Doetinchem", "question": "Ik zoek werk."},
        "werkcentrum",
        "Achterhoek",
    ),
}

BAD = {
    "invalid json": "{not json",
    "unknown municipality": json.dumps(
        {"asker": "resident", "municipality": "Atlantis", "question": "Werk?"}
    ),
    "unknown benefit": json.dumps(
        {"asker": "resident", "municipality": "Enschede", "benefit": "xyz"}
    ),
    "bad age": json.dumps({"asker": "resident", "municipality": "Enschede", "age": "old"}),
}


def cli_env(data_dir: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["WERKCENTRUM_DATA_DIR"] = str(data_dir)
    return env


def start(args, stdin_text, env):
    process = subprocess.Popen(
        [sys.executable, "-m", "werkcentrum.cli", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    process.stdin.write(stdin_text)
    process.stdin.close()
    return process


def finish(process):
    stdout, stderr = process.stdout.read(), process.stderr.read()
    returncode = process.wait(timeout=120)
    return returncode, stdout, stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("werkcentrum-data")
    env = cli_env(data_dir)
    broken = data_dir / "broken-region.toml"
    text = bundled_region_files()["twente"].read_text(encoding="utf-8")
    broken.write_text(text.replace('kind = "sbb"', 'kind = "bakery"', 1), encoding="utf-8")

    results = {
        "ww": finish(start(TRIAGE, json.dumps(GOOD["ww"][0]), env))
    }  # migrates the fresh database
    assert (data_dir / "werkcentrum.sqlite3").exists()
    pending = {
        name: start(TRIAGE, json.dumps(case[0]), env) for name, case in GOOD.items() if name != "ww"
    }
    pending.update({name: start(TRIAGE, text_in, env) for name, text_in in BAD.items()})
    pending["broken region"] = start(["load_region", str(broken)], "", env)
    results.update({name: finish(process) for name, process in pending.items()})
    results["broken path"] = str(broken)
    return results


@pytest.mark.parametrize("name", GOOD)
def test_triage_prints_one_json_object(runs, name):
    returncode, stdout, stderr = runs[name]
    assert returncode == 0, stderr
    assert stdout.strip().count("\n") == 0  # one line of JSON
    result = json.loads(stdout)
    _situation, kind, in_name = GOOD[name]
    assert result["partner_kind"] == kind
    assert result["service_level"] in ("light", "basic", "specialist")
    assert result["partner_id"] and result["partner_name"]
    assert isinstance(result["reasons"], list) and result["reasons"] and all(result["reasons"])
    if in_name:
        assert in_name in result["partner_name"]


def test_ww_goes_to_uwv_twente(runs):
    result = json.loads(runs["ww"][1])
    assert result["partner_id"] == "uwv-twente" and result["service_level"] == "specialist"
    assert result["municipality"]["code"] == "GM1742"


def test_resident_of_another_region_is_sent_to_that_werkcentrum(runs):
    result = json.loads(runs["doetinchem"][1])
    assert result["partner_id"] == "werkcentrum-achterhoek"
    assert result["other_region"] == "achterhoek"
    assert "Achterhoek" in result["reasons"][0]


@pytest.mark.parametrize("name", BAD)
def test_bad_input_exits_2_with_one_line_on_stderr(runs, name):
    returncode, stdout, stderr = runs[name]
    assert returncode == 2
    assert stdout == ""
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr


def test_error_lines_name_the_problem(runs):
    assert "JSON" in runs["invalid json"][2]
    assert "Atlantis" in runs["unknown municipality"][2]
    assert "benefit" in runs["unknown benefit"][2]
    assert "age" in runs["bad age"][2]


def test_broken_region_file_exits_2_naming_file_entry_and_field(runs):
    returncode, stdout, stderr = runs["broken region"]
    assert returncode == 2
    assert runs["broken path"] in stderr
    assert "(sbb-twente)" in stderr and "kind" in stderr and "bakery" in stderr
    assert "Traceback" not in stderr
