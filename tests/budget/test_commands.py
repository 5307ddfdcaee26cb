"""``werkcentrum budget load|summary|export``: the JSON contract and one-line errors."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from werkcentrum.budget.models import Budget

from .conftest import PLAN, PLANNING

CONTRACT = {
    "years": {
        "2025": {
            "income": 2295004,
            "costs": 2555550,
            "gap": -260546,
            "impulse_budget": 910129,
            "one_off_investment": 475000,
            "investment_room": 174583,
        },
        "2026": {
            "income": 2295004,
            "costs": 2555550,
            "gap": -260546,
            "impulse_budget": 827390,
            "one_off_investment": 0,
            "investment_room": 566844,
        },
        "2027": {
            "income": 2295004,
            "costs": 2555550,
            "gap": -260546,
            "impulse_budget": 1116977,
            "one_off_investment": 0,
            "investment_room": 856431,
        },
        "2028": {
            "income": 2295004,
            "costs": 2555550,
            "gap": -260546,
            "impulse_budget": 1291475,
            "one_off_investment": 0,
            "investment_room": 1030929,
        },
    }
}


def run(*args) -> str:
    out = StringIO()
    call_command("budget", *args, stdout=out)
    return out.getvalue()


def test_summary_json_loads_the_bundled_budget_on_first_use(twente):
    assert not Budget.objects.exists()
    output = run("summary", "--region", "twente", "--json")
    assert output.strip().count("\n") == 0
    assert json.loads(output) == CONTRACT
    assert Budget.objects.filter(region=twente).count() == 2


def test_summary_of_another_version(budgets):
    result = json.loads(run("summary", "--region", "twente", "--version", PLAN, "--json"))
    assert result == {
        "years": {
            "2024": {
                "income": 2394004,
                "costs": 2985000,
                "gap": -590996,
                "impulse_budget": 1036493,
                "one_off_investment": 475000,
                "investment_room": -29503,
            }
        }
    }


def test_summary_table(budgets):
    output = run("summary", "--region", "twente")
    assert PLANNING in output
    assert "2.295.004" in output and "-260.546" in output and "1.030.929" in output
    assert output.count("warning: ") == 4


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["summary", "--region", "atlantis", "--json"], "unknown region: atlantis"),
        (["summary", "--region", "achterhoek", "--json"], "no budget for region achterhoek"),
        (["summary", "--region", "twente", "--version", "nope"], "unknown budget version"),
        (["load", "--file", "x.toml"], "--file needs --region"),
        (["load", "--region", "atlantis"], "unknown region: atlantis"),
    ],
)
def test_bad_input_is_a_command_error_with_exit_code_2(twente, args, words):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_load_with_a_broken_file_names_file_entry_and_field(twente, tmp_path):
    from werkcentrum.budget.budgetfile import bundled_budget_files

    text = bundled_budget_files()["twente"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('kind = "in_kind"', 'kind = "gift"', 1), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("load", "--region", "twente", "--file", str(broken))
    message = str(info.value)
    assert str(broken) in message and "(uwv-guide)" in message and "kind" in message
    assert not Budget.objects.exists()


def test_load(twente):
    assert "Loaded 2 budget(s) for twente" in run("load", "--region", "twente")
    assert "Loaded 2 budget(s) for twente" in run("load")  # every bundled file


def test_export(budgets, tmp_path):
    target = tmp_path / "begroting.xlsx"
    assert "Wrote" in run("export", "--region", "twente", "--out", str(target))
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[1:] == ["2025", "2026", "2027", "2028"]


def test_export_to_an_unwritable_place(budgets, tmp_path):
    with pytest.raises(CommandError) as info:
        run("export", "--region", "twente", "--out", str(tmp_path / "no" / "such" / "x.xlsx"))
    assert info.value.returncode == 2 and "cannot write" in str(info.value)


# -- from outside, as a user runs it right after install ---------------------------------------


def _cli_env(data_dir: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["WERKCENTRUM_DATA_DIR"] = str(data_dir)
    return env


def test_cli_contract_against_a_fresh_embedded_database(tmp_path):
    werkcentrum = Path(sys.executable).parent / "werkcentrum"
    env = _cli_env(tmp_path)
    good = subprocess.run(
        [str(werkcentrum), "budget", "summary", "--region", "twente", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "werkcentrum.sqlite3").exists()
    assert good.stdout.strip().count("\n") == 0
    assert json.loads(good.stdout) == CONTRACT

    bad = subprocess.run(
        [str(werkcentrum), "budget", "summary", "--region", "atlantis", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == "error: unknown region: atlantis\n"
