"""``werkcentrum report quarterly|annual``: writes PDF or HTML, --json, and bad input exits 2
with one line and writes nothing."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_quarterly_pdf_with_json(twente, targets, tmp_path):
    target = tmp_path / "q3.pdf"
    printed = _run(
        "quarterly",
        "--region",
        "twente",
        "--year",
        "2026",
        "--quarter",
        "3",
        "--out",
        str(target),
        "--json",
    )
    result = json.loads(printed)
    assert result["kind"] == "quarterly" and result["quarter"] == 3
    assert result["period"] == {"start": "2026-07-01", "end": "2026-09-30"}
    assert result["title"] == "Kwartaalrapportage Q3 2026" and result["format"] == "pdf"
    assert result["sections"][0] == "Samenvatting"
    assert target.read_bytes().startswith(b"%PDF") and result["bytes"] == target.stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["q3.pdf"]  # no temporary file left


def test_annual_html_in_english(twente, targets, tmp_path):
    target = tmp_path / "year.html"
    printed = _run(
        "annual", "--region", "twente", "--year", "2021", "--out", str(target), "--lang", "en"
    )
    assert printed.startswith(f"Wrote {target}")
    html = target.read_text(encoding="utf-8")
    assert "Annual report 2021" in html and "1,392" in html


@pytest.mark.parametrize(
    "args, message",
    [
        (["annual", "--region", "nowhere", "--year", "2026"], "unknown region"),
        (["annual", "--region", "twente", "--year", "1999"], "between 2000 and 2100"),
        (["annual", "--region", "twente", "--year", "2026", "--out-ext", ".docx"], "must end in"),
        (
            ["annual", "--region", "twente", "--year", "2026", "--out-dir", "missing"],
            "does not exist",
        ),
    ],
)
def test_bad_input_writes_nothing(twente, tmp_path, args, message):
    out = tmp_path / "report.pdf"
    if "--out-ext" in args:
        out = tmp_path / "report.docx"
        args = args[:-2]
    if "--out-dir" in args:
        out = tmp_path / "missing" / "report.pdf"
        args = args[:-2]
    with pytest.raises(CommandError, match=message) as caught:
        _run(*args, "--out", str(out))
    assert caught.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_usage_mistakes_are_one_line_with_exit_2(tmp_path):
    command = [
        sys.executable,
        "-m",
        "werkcentrum.cli",
        "report",
        "quarterly",
        "--year",
        "2026",
        "--quarter",
        "5",
        "--out",
        str(tmp_path / "x.pdf"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error:") and len(done.stderr.strip().splitlines()) == 1
