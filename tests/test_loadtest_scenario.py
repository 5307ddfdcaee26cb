"""The load test (`make loadtest`, issue 7) requests pages that exist; no load is made here.

The locustfile is imported in a subprocess: locust monkey-patches the standard library with
gevent on import, which must not happen inside the test process. Skipped when locust (the
``load`` extra) is not installed.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[1]
LOADTEST = ROOT / "benchmarks" / "loadtest"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


paths = _module(LOADTEST / "paths.py", "loadtest_paths")
script = _module(ROOT / "scripts" / "loadtest.py", "loadtest_script")
needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None, reason="locust not installed (the load extra)"
)


@pytest.mark.parametrize("name", sorted(paths.PATHS))
def test_every_scenario_path_is_the_url_of_its_name(name):
    template, kwargs = paths.PATHS[name]
    path = template.format(**kwargs)
    assert reverse(name, kwargs=kwargs or None) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}".lstrip(":") == name


def test_the_scenario_names_only_known_urls():
    """Every url("...") in the locustfile and every landing page of prepare.py is in PATHS."""
    source = (LOADTEST / "locustfile.py").read_text(encoding="utf-8")
    used = set(re.findall(r'url\(\s*"([^"]+)"', source))
    assert used, "the locustfile builds its URLs with paths.url()"
    assert used <= set(paths.PATHS), used - set(paths.PATHS)
    assert not re.search(r'\.(get|post)\(\s*"/', source), "a literal path bypasses PATHS"
    prepare = (LOADTEST / "prepare.py").read_text(encoding="utf-8")
    for landing in re.findall(r'"landing": "([^"]+)"', prepare):
        resolve(landing)
    # every kind of user of the issue is in the scenario
    assert {"guide:", "partner:", "resident:", "employer:", "login:"} <= set(
        re.findall(r'"(\w+:) ', source)
    )


@needs_locust
def test_locustfile_imports_and_defines_the_users():
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import benchmarks.loadtest.locustfile as lf\n"
        "users = {n: c for n, c in vars(lf).items() if isinstance(c, type)"
        " and issubclass(c, lf.WerkcentrumUser) and not c.__dict__.get('abstract')}\n"
        "print(json.dumps({'users': {n: [c.weight, [t.__name__ for t in c.tasks]]"
        " for n, c in users.items()}, 'weights': lf.WEIGHTS, 'think': lf.THINK,"
        " 'totp': lf.totp('3132333435363738393031323334353637383930', at=59)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    users = found["users"]
    assert set(users) == {"Guide", "PartnerEmployee", "Resident", "Employer", "LoggingIn"}
    assert sorted(w for w, _tasks in users.values()) == sorted(found["weights"].values())
    assert all(tasks for _w, tasks in users.values())
    assert found["think"] == [3, 10]
    # The code the scenario types is the one django-otp accepts (RFC 6238 test key, t = 59 s).
    expected = TOTP(bytes.fromhex("3132333435363738393031323334353637383930"))
    expected.time = 59
    assert found["totp"] == str(expected.token()).zfill(6)


def test_script_help():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--smoke" in done.stdout and "--users" in done.stdout


def test_the_section_in_docs_is_replaced_and_the_rest_kept(tmp_path, monkeypatch):
    docs = tmp_path / "performance.md"
    docs.write_text(
        f"# Performance\n\n## Matching\n\nfigures\n\n{script.SECTION}\n\nold\n\n## Later\n\nkept\n"
    )
    monkeypatch.setattr(script, "DOCS", docs)
    script.write_docs([script.SECTION, "", "new"])
    text = docs.read_text()
    assert "old" not in text and "new" in text
    assert "## Matching\n\nfigures" in text and "## Later\n\nkept" in text
    assert text.count(script.SECTION) == 1
    docs.write_text("# Performance\n\n## Matching\n")
    script.write_docs([script.SECTION, "", "first"])
    assert docs.read_text().endswith(f"## Matching\n\n{script.SECTION}\n\nfirst\n")


def test_percentiles_are_nearest_rank():
    values = sorted(float(v) for v in range(1, 101))
    assert script.percentile(values, 0.50) == 50
    assert script.percentile(values, 0.95) == 95
    assert script.percentile(values, 0.99) == 99
    assert script.percentile([7.0], 0.99) == 7
