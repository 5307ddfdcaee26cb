"""Monitoring pages and reports at scale (issue 6), in PostgreSQL.

    .venv/bin/python benchmarks/monitoring_bench.py

Uses its own database ``werkcentrum_bench`` on postgres://postgres@127.0.0.1:5432 (created,
migrated and filled here; never ``werkcentrum``, ``test_werkcentrum*`` or ``postgres``). The
data comes from ``werkcentrum generate``: 1,000,000 contacts, 200,000 handovers and 50,000
placements (plus employers and candidates to place). A database that already holds those counts
is reused, so reruns are fast; other counts (``BENCH_MONITORING_SCALE=0.01`` for a quick run)
drop and regenerate it. Then every monitoring page is requested several times with the Django
test client as a manager or coordinator of Twente: p50/p95 and the number of queries, next to
baselines from the same run (``SELECT count(*)`` over the contacts, and the targets page, which
reads no activity data). The quarterly and annual reports are built and rendered as well.

Raw results: benchmarks/results/monitoring.json. ``benchmarks/run.py`` runs this in a
subprocess (Django is set up once per process) and writes the section of docs/performance.md;
``BENCH_MONITORING=0`` skips it. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "monitoring.json"
DB_NAME = "werkcentrum_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
FULL = {
    "contacts": 1_000_000,
    "handovers": 200_000,
    "placements": 50_000,
    "employers": 2_000,
    "candidates": 20_000,
}
SEED = 1
REPEAT = int(os.environ.get("BENCH_MONITORING_REPEAT", "9"))
REPORT_REPEAT = int(os.environ.get("BENCH_MONITORING_REPORT_REPEAT", "3"))
TABLES = {
    "contacts": "frontdoor_contact",
    "handovers": "frontdoor_handover",
    "placements": "candidates_placement",
    "employers": "employers_employer",
    "candidates": "candidates_candidateprofile",
}


def _safe(name: str) -> str:
    """Never touch the databases the developers and CI use."""
    if name in ("werkcentrum", "postgres", "template0", "template1") or name.startswith(
        "test_werkcentrum"
    ):
        raise SystemExit(f"refusing to use the database {name}")
    return name


def wanted_counts(scale: float) -> dict[str, int]:
    return {key: max(1, round(value * scale)) for key, value in FULL.items()}


def _admin():
    import psycopg

    # template1 as maintenance database: creating from template0 needs no exclusive access.
    return psycopg.connect(f"{SERVER}/template1", autocommit=True)


def database_counts() -> dict[str, int] | None:
    """The counts in an existing bench database (None: no database or no tables)."""
    import psycopg

    with _admin() as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (_safe(DB_NAME),)
        ).fetchone()
    if not exists:
        return None
    try:
        with psycopg.connect(f"{SERVER}/{DB_NAME}") as conn:
            return {
                key: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for key, table in TABLES.items()
            }
    except psycopg.errors.UndefinedTable:
        return None


def recreate_database() -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_safe(DB_NAME)}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{_safe(DB_NAME)}" TEMPLATE template0')


def setup_django(data_dir: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{_safe(DB_NAME)}"
    os.environ["WERKCENTRUM_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "werkcentrum.config.settings.dev"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from werkcentrum.core.bootstrap import ensure_database

    ensure_database()  # migrate; regions, targets, budget, menu and trainings on a fresh one


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(pick(0.95), 1),
        "min": round(ordered[0], 1),
        "n": len(ordered),
    }


def generate(wanted: dict[str, int]) -> dict:
    from django.core.management import call_command
    from django.db import connection

    args = ["generate", "--region", "twente", "--seed", str(SEED)]
    for key, value in wanted.items():
        args += [f"--{key}", str(value)]
    started = time.perf_counter()
    call_command(*args)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics and the visibility map (index-only scans)
    return {"seconds": round(seconds, 1), "contacts_per_s": round(wanted["contacts"] / seconds)}


def earlier_generation(wanted: dict[str, int]) -> dict | None:
    """How long making the reused database took, from the results of the run that made it."""
    try:
        earlier = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    generation = earlier.get("generation")
    if not generation or earlier.get("wanted") != wanted:
        return None
    return {**generation, "earlier_run": generation.get("earlier_run", earlier["generated_at"])}


def users():
    from werkcentrum.accounts.models import Role, User
    from werkcentrum.regions.models import Region

    region = Region.objects.get(code="twente")

    def user(username, role):
        found = User.objects.filter(username=username).first()
        return found or User.objects.create_user(username, None, role=role, region=region)

    return region, user("bench-manager", Role.MANAGER), user("bench-coordinator", Role.COORDINATOR)


def measure_page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (and the status)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)  # now: the next request empties the log
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "url": url,
        "status": response.status_code,
        "queries": queries,
        "ms": percentiles(samples),
    }


def measure_count_baseline() -> dict:
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(REPEAT + 1):
            start = time.perf_counter()
            cursor.execute("SELECT count(*) FROM frontdoor_contact")
            cursor.fetchone()
            samples.append((time.perf_counter() - start) * 1000)
    return {"what": "SELECT count(*) FROM frontdoor_contact", "ms": percentiles(samples[1:])}


def measure_reports(region, today) -> dict:
    try:
        from werkcentrum.monitoring import reports
    except ImportError:
        return {"available": False}
    if not all(hasattr(reports, name) for name in ("build", "render_pdf", "render_html")):
        return {"available": False}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quarter = (today.month - 1) // 3  # the last completed quarter
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    cases = {
        f"quarterly Q{quarter} {year}": ("quarterly", year, quarter),
        f"annual {today.year}": ("annual", today.year, None),
    }
    out = {"available": True, "reports": {}}
    for label, (kind, y, q) in cases.items():
        try:
            args = (region, kind, y, q) if q else (region, kind, y)
            report = reports.build(*args)  # warm-up
            with CaptureQueriesContext(connection) as ctx:
                reports.build(*args)
            queries = len(ctx.captured_queries)
            build, pdf, html = [], [], []
            size = 0
            for _ in range(REPORT_REPEAT):
                start = time.perf_counter()
                report = reports.build(*args)
                build.append(time.perf_counter() - start)
                start = time.perf_counter()
                size = len(reports.render_pdf(report))
                pdf.append(time.perf_counter() - start)
                start = time.perf_counter()
                reports.render_html(report)
                html.append(time.perf_counter() - start)
            out["reports"][label] = {
                "queries": queries,
                "build_s": round(statistics.median(build), 2),
                "pdf_s": round(statistics.median(pdf), 2),
                "html_s": round(statistics.median(html), 2),
                "total_s": round(
                    statistics.median(b + p for b, p in zip(build, pdf, strict=True)), 2
                ),
                "pdf_kb": round(size / 1024),
            }
        except Exception as exc:  # noqa: BLE001 - a report that fails is reported, not fatal
            out["reports"][label] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def run() -> dict:
    scale = float(os.environ.get("BENCH_MONITORING_SCALE", "1"))
    wanted = wanted_counts(scale)
    load_start = os.getloadavg()
    found = database_counts()
    reused = found == wanted
    if not reused:
        recreate_database()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        generation = earlier_generation(wanted) if reused else generate(wanted)
        region, manager, coordinator = users()
        today = timezone.localdate()
        year = today.year
        quarter = (today.month - 1) // 3 + 1
        dashboard = "/monitoring/"
        pages = [
            ("dashboard, this year", f"{dashboard}?period={year}", manager),
            ("dashboard, this quarter", f"{dashboard}?period={year}-q{quarter}", manager),
            ("dashboard, last year", f"{dashboard}?period={year - 1}", manager),
            ("dashboard, subregion Enschede", f"{dashboard}?period={year}&subregion=enschede", manager),
            ("dashboard, municipality Enschede", f"{dashboard}?period={year}&municipality=GM0153", manager),
            ("dashboard, partner UWV", f"{dashboard}?period={year}&partner=uwv-twente", manager),
            ("drill-down contacts", f"/monitoring/drill/contacts/?period={year}", coordinator),
            ("drill-down handovers", f"/monitoring/drill/handovers/?period={year}", coordinator),
            ("budget", "/budget/", manager),
            ("targets (baseline page)", "/monitoring/targets/", manager),
        ]  # fmt: skip
        clients = {}
        for user in (manager, coordinator):
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        results = {label: measure_page(clients[user.pk], url) for label, url, user in pages}
        baseline = measure_count_baseline()
        report_results = measure_reports(region, today)
        from werkcentrum.candidates.models import CandidateProfile, Placement
        from werkcentrum.employers.models import Employer
        from werkcentrum.frontdoor.models import Consent, Contact, Handover, Person

        data = {
            "contacts": Contact.objects.count(),
            "persons": Person.objects.count(),
            "consents": Consent.objects.count(),
            "handovers": Handover.objects.count(),
            "placements": Placement.objects.count(),
            "employers": Employer.objects.count(),
            "candidates": CandidateProfile.objects.count(),
            "contacts_this_year": Contact.objects.filter(
                region=region, created_at__year=year
            ).count(),
            "handovers_this_year": Handover.objects.filter(created_at__year=year).count(),
        }
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            db_size = cursor.fetchone()[0]
        connection.close()
    return {
        "generated_at": time.strftime("%Y-%m-%d %H:%M"),
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": pg_version,
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "database": {"name": DB_NAME, "size": db_size, "reused": reused, "scale": scale},
        "wanted": wanted,
        "data": data,
        "generation": generation,
        "repeat": REPEAT,
        "pages": results,
        "baseline_count": baseline,
        "reports": report_results,
    }


def run_in_subprocess() -> dict:
    """For benchmarks/run.py: run this file in its own process; its results, or why not."""
    if os.environ.get("BENCH_MONITORING") == "0":
        return {"skipped": "BENCH_MONITORING=0"}
    done = subprocess.run(  # noqa: S603 - our own script with our own interpreter
        [sys.executable, str(Path(__file__).resolve())], cwd=ROOT, check=False
    )
    if done.returncode != 0 or not RESULTS.exists():
        return {"skipped": f"monitoring_bench.py failed (exit status {done.returncode})"}
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def section_lines(r: dict) -> list[str]:
    """The "Monitoring and reports" section of docs/performance.md."""
    lines = ["## Monitoring and reports (issue 6)", ""]
    if "skipped" in r:
        return [*lines, f"Not measured in this run: {r['skipped']}.", ""]
    m, d, g = r["machine"], r["data"], r["generation"]
    lines += [
        f"PostgreSQL {m['postgresql']} on the same machine ({m['cores']} cores; load average "
        f"{m['load_average_start'][0]} at the start, {m['load_average_end'][0]} at the end), "
        f"database `{r['database']['name']}` ({r['database']['size']}). Data made by "
        f"`werkcentrum generate --seed {SEED}`: {d['contacts']:,} contacts ({d['contacts_this_year']:,} "
        f"this year), {d['persons']:,} persons, {d['handovers']:,} handovers "
        f"({d['handovers_this_year']:,} this year), {d['placements']:,} placements, "
        f"{d['employers']:,} employers, {d['candidates']:,} candidates. "
        + (
            "Database reused from an earlier run (same counts)"
            + (
                f"; generating it took {g['seconds']:,} s ({g['contacts_per_s']:,} contacts/s) "
                f"on {g['earlier_run']}."
                if g
                else "."
            )
            if r["database"]["reused"]
            else f"Generated in this run in {g['seconds']:,} s ({g['contacts_per_s']:,} contacts/s)."
        ),
        "",
        f"Each page requested {r['repeat']} times after a warm-up, with the Django test client "
        "(manager of Twente; the drill-downs as coordinator); queries counted on one request.",
        "",
        "| page | p50 | p95 | queries |",
        "|---|---|---|---|",
    ]
    for label, page in r["pages"].items():
        ms = page["ms"]
        status = "" if page["status"] == 200 else f" (HTTP {page['status']})"
        lines.append(
            f"| {label}{status} | {ms['p50']:,.0f} ms | {ms['p95']:,.0f} ms | {page['queries']} |"
        )
    b = r["baseline_count"]["ms"]
    lines += [
        f"| baseline: `SELECT count(*)` over all contacts | {b['p50']:,.0f} ms | "
        f"{b['p95']:,.0f} ms | 1 |",
        "",
    ]
    reports = r["reports"]
    if not reports.get("available"):
        lines += ["Reports: not available yet.", ""]
    else:
        lines += [
            "| report | build | PDF | HTML | build + PDF | queries | PDF size |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, rep in reports["reports"].items():
            if "error" in rep:
                lines.append(f"| {label} | failed: {rep['error']} | | | | | |")
                continue
            lines.append(
                f"| {label} | {rep['build_s']} s | {rep['pdf_s']} s | {rep['html_s']} s | "
                f"{rep['total_s']} s | {rep['queries']} | {rep['pdf_kb']} kB |"
            )
        lines.append("")
    lines += [
        "Targets (issue 6): every dashboard page under 1 s and the quarterly report under 10 s at "
        "this size; the number of queries per page does not grow with the data (asserted in the "
        "tests with small data). How the indicators stay fast: the docstrings of "
        "`monitoring/indicators.py` (`reach`, `handovers`) and the indexes in "
        "`frontdoor/migrations/0003_monitoring_indexes.py`. Raw figures: "
        "`benchmarks/results/monitoring.json`.",
        "",
    ]
    return lines


def main() -> None:
    results = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n".join(section_lines(results)))


if __name__ == "__main__":
    main()
