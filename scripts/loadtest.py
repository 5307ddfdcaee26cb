"""`make loadtest` (issue 7): 200 people at work against gunicorn + PostgreSQL with 1,000,000 contacts.

    .venv/bin/python scripts/loadtest.py            # the full run: 200 users, 3 minutes
    .venv/bin/python scripts/loadtest.py --smoke    # 20 users, 30 seconds (figures not in docs/)

Steps (each rerun reuses what is there):

1. The database ``werkcentrum_load`` (never ``werkcentrum``, ``test_werkcentrum*``,
   ``werkcentrum_bench`` or ``postgres``): reused when it holds at least 1,000,000 contacts,
   200,000 handovers and 50,000 placements; otherwise copied from ``werkcentrum_bench`` (made by
   ``make bench``; retried every 30 s for up to 20 minutes while someone is connected to it) or,
   failing that, made with ``werkcentrum generate``. 10,000 open vacancies are added when missing.
2. ``benchmarks/loadtest/prepare.py``: the load-test accounts, their sessions and work
   (see there).
3. Waits until the machine is quiet (1-minute load average below ``--max-load``, checked every
   30 s for up to 20 minutes) so that other work does not distort the figures; the load
   average is recorded either way.
4. gunicorn with the production settings (``SECURE_SSL_REDIRECT=0``: TLS ends at the load
   balancer, see the locustfile), Redis for the cache and the sessions and as the Celery broker
   when Redis runs on 127.0.0.1:6379 (databases 12 and 13, emptied before and after; no Celery
   worker runs, so e-mails stay queued), warmed up with a few requests per worker.
5. locust, headless, in one process on the same machine; every request is recorded.
6. gunicorn is stopped; the figures go to ``benchmarks/results/loadtest.json`` and the section
   "Load test (issue 7)" of ``docs/performance.md`` (also kept as
   ``benchmarks/results/loadtest.md``, which ``make bench`` appends when it rewrites the page).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "loadtest"
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs" / "performance.md"
SECTION = "## Load test (issue 7)"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "werkcentrum_load"
TEMPLATE = "werkcentrum_bench"
FORBIDDEN = {"werkcentrum", "postgres", "template0", "template1", TEMPLATE}
WANTED = {"contacts": 1_000_000, "handovers": 200_000, "placements": 50_000}
VACANCIES = 10_000
TABLES = {
    "contacts": "frontdoor_contact",
    "handovers": "frontdoor_handover",
    "placements": "candidates_placement",
    "persons": "frontdoor_person",
    "candidates": "candidates_candidateprofile",
    "employers": "employers_employer",
}
REDIS = ("127.0.0.1", 6379, 12, 13)  # host, port, broker database, cache/session database
GROUPS = {
    "guide": "guides",
    "partner": "partner employees",
    "resident": "residents",
    "employer": "employers",
    "login": "logging in",
}
TARGET_P95_MS = 300


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _safe(name: str) -> str:
    if name in FORBIDDEN or name.startswith("test_werkcentrum"):
        raise SystemExit(f"refusing to use the database {name}")
    return name


# -- the database --------------------------------------------------------------------------------


def _connect(database: str = "template1"):
    import psycopg

    return psycopg.connect(f"{SERVER}/{database}", autocommit=True, connect_timeout=10)


def counts(database: str) -> dict[str, int] | None:
    import psycopg

    with _connect() as admin:
        if not admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone():
            return None
    try:
        with _connect(database) as conn:
            found = {
                key: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for key, table in TABLES.items()
            }
            found["open_vacancies"] = conn.execute(
                "SELECT count(*) FROM vacancies_vacancy WHERE status = 'open'"
            ).fetchone()[0]
            found["pending_handovers"] = conn.execute(
                "SELECT count(*) FROM frontdoor_handover WHERE status = 'pending'"
            ).fetchone()[0]
            return found
    except psycopg.errors.UndefinedTable:
        return None


def _complete(found: dict[str, int] | None) -> bool:
    return bool(found) and all(found[key] >= value for key, value in WANTED.items())


def _copy_from_template(wait_s: float) -> bool:
    """CREATE DATABASE ... TEMPLATE werkcentrum_bench; needs nobody connected to the template."""
    import psycopg

    if not _complete(counts(TEMPLATE)):
        log(f"{TEMPLATE} is missing or incomplete: cannot copy it")
        return False
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with _connect() as admin:
                admin.execute(f'CREATE DATABASE "{_safe(DATABASE)}" TEMPLATE "{TEMPLATE}"')
            log(f"copied {TEMPLATE} to {DATABASE}")
            return True
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                log(f"{TEMPLATE} stayed in use: giving up on the copy")
                return False
            log(f"{TEMPLATE} is in use; trying again in 30 s")
            time.sleep(30)


def _werkcentrum(*args: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkcentrum.config.settings.dev",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "WERKCENTRUM_DATA_DIR": str(VAR / "data"),
    }
    subprocess.run([str(BIN / "werkcentrum"), *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def ensure_database(wait_s: float) -> dict[str, int]:
    found = counts(_safe(DATABASE))
    if not _complete(found):
        with _connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{_safe(DATABASE)}" WITH (FORCE)')
        if not _copy_from_template(wait_s):
            with _connect() as admin:
                admin.execute(f'CREATE DATABASE "{_safe(DATABASE)}" TEMPLATE template0')
            log("generating 1,000,000 contacts with `werkcentrum generate` (about 15 minutes)")
            _werkcentrum(
                "generate",
                "--region=twente",
                "--seed=1",
                "--employers=2000",
                "--candidates=20000",
                "--contacts=1000000",
                "--handovers=200000",
                "--placements=50000",
            )
    else:
        log(f"reusing {DATABASE}")
    _werkcentrum("migrate", "--noinput", "--verbosity=0")
    found = counts(DATABASE)
    if found["open_vacancies"] < VACANCIES // 2:
        log(f"adding {VACANCIES:,} open vacancies")
        _werkcentrum("generate", "--region=twente", f"--vacancies={VACANCIES}", "--seed=7")
        with _connect(DATABASE) as conn:
            conn.execute("VACUUM ANALYZE vacancies_vacancy")
        found = counts(DATABASE)
    return found


# -- one run at a time ---------------------------------------------------------------------------


class RunLock:
    """Two runs at once would delete each other's sessions and share the port and the Redis
    databases: a second run waits for the first (an exclusive lock on var/loadtest/.lock)."""

    def __init__(self, wait_s: float):
        self.wait_s = wait_s
        self.handle = None

    def __enter__(self):
        import fcntl

        VAR.mkdir(parents=True, exist_ok=True)
        self.handle = open(VAR / ".lock", "a+")  # held until __exit__
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        "another load test is still running (var/loadtest/.lock)"
                    ) from None
                log("another load test is running; waiting for it to finish")
                time.sleep(30)
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(str(os.getpid()))
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# -- the server ----------------------------------------------------------------------------------


def redis_available() -> bool:
    try:
        import redis

        host, port, broker, cache = REDIS
        for db in (broker, cache):
            redis.Redis(host=host, port=port, db=db, socket_timeout=2).flushdb()
        return True
    except Exception:  # noqa: BLE001 - no Redis: the database holds the sessions, tasks run eagerly
        return False


def server_env(port: int, use_redis: bool) -> dict[str, str]:
    # Fixed keys for a throwaway database (the generated data holds no BSNs).
    secret = hashlib.sha256(b"werkcentrum-loadtest-secret").hexdigest()
    fernet = base64.urlsafe_b64encode(hashlib.sha256(b"werkcentrum-loadtest-fernet").digest())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkcentrum.config.settings.production",
        "SECRET_KEY": secret,
        "FIELD_ENCRYPTION_KEY": fernet.decode(),
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "WERKCENTRUM_REQUIRE_STAFF_2FA": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "WERKCENTRUM_DATA_DIR": str(VAR / "data"),
        "SITE_URL": f"https://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(name, None)
    if use_redis:
        host, redis_port, broker, cache = REDIS
        env["REDIS_URL"] = f"redis://{host}:{redis_port}/{cache}"
        env["CELERY_BROKER_URL"] = f"redis://{host}:{redis_port}/{broker}"
    else:
        env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    return env


def prepare(env: dict[str, str]) -> dict:
    out = VAR / "accounts.json"
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "benchmarks" / "loadtest" / "prepare.py"), str(out)],
        env={**env, "CELERY_TASK_ALWAYS_EAGER": "true"},
        cwd=ROOT,
        check=True,
    )
    log(f"accounts and work prepared in {time.perf_counter() - started:.0f} s")
    return json.loads(out.read_text(encoding="utf-8"))


def busy_share(seconds: float = 15) -> float:
    """Share of the machine's CPU time that was busy over the next ``seconds``."""
    before = Sampler._machine_busy()
    time.sleep(seconds)
    return (Sampler._machine_busy() - before) / (seconds * (os.cpu_count() or 1))


def wait_until_quiet(max_load: float, wait_s: float, max_busy: float = 0.35) -> dict:
    """Wait until the 1-minute load average is below ``max_load`` and, as the load average
    lags, the machine was less than ``max_busy`` busy over the last 15 seconds."""
    started = time.monotonic()
    while True:
        load = os.getloadavg()[0]
        busy = busy_share() if load < max_load else None
        waited = time.monotonic() - started
        if busy is not None and busy < max_busy:
            return {
                "quiet": True,
                "load_1m": round(load, 2),
                "busy": round(busy, 2),
                "waited_s": round(waited),
            }
        if waited > wait_s:
            log(f"the machine stayed busy (load {load:.2f}); measuring anyway")
            return {
                "quiet": False,
                "load_1m": round(load, 2),
                "busy": None if busy is None else round(busy, 2),
                "waited_s": round(waited),
            }
        log(
            f"load average {load:.2f} (needed: below {max_load})"
            + ("" if busy is None else f", machine {busy:.0%} busy (needed: below {max_busy:.0%})")
            + ": waiting 30 s for other work to finish"
        )
        time.sleep(30)


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int):
    if not port_free(port):
        raise SystemExit(f"port {port} is in use: choose another with --port")
    log_path = VAR / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"),
        "werkcentrum.config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=60",
        "--graceful-timeout=10",
        f"--error-logfile={log_path}",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    import requests

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            answer = requests.get(
                f"http://127.0.0.1:{port}/vacatures/",
                headers={"X-Forwarded-Proto": "https"},
                timeout=5,
            )
            if answer.status_code == 200 and server.poll() is None:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_gunicorn(server)
    raise SystemExit(f"gunicorn did not answer within 90 s; see {log_path}")


def stop_gunicorn(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def warm_up(port: int, workers: int, prepared: dict) -> tuple[int, float]:
    """A fresh worker builds the title index on its first vacancy search (about two seconds)
    and imports every view; a server in production has long done that. A few requests of each
    kind per worker, from accounts the scenario does not use (the last of each pool)."""
    import requests

    base = f"http://127.0.0.1:{port}"
    accounts = prepared["accounts"]
    sessions = {
        "": None,
        "guide": accounts["guides"][-1]["session"],
        "partner": accounts["partner_employees"][-1]["session"],
        "employer": accounts["employers"][-1]["session"],
    }
    pages = [
        ("", "/"),
        ("", "/vacatures/?q=kok"),
        ("", "/vacatures/?q=chauffeur&postcode=7511AB&distance=10"),
        ("guide", "/guide/"),
        ("guide", "/guide/new/"),
        ("partner", "/partner/inbox/"),
        ("employer", "/portal/"),
        ("employer", "/portal/candidates/?search=1"),
    ]

    def fetch(item):
        who, path = item
        cookies = {"sessionid": sessions[who]} if sessions[who] else {}
        requests.get(
            base + path,
            headers={"X-Forwarded-Proto": "https"},
            cookies=cookies,
            timeout=60,
            allow_redirects=False,
        )

    plain = [p for p in pages if "candidates" not in p[1]] * workers * 2
    searches = [p for p in pages if "candidates" in p[1]] * workers  # 30 an hour per account
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(fetch, plain))
        list(pool.map(fetch, searches))
    return len(plain) + len(searches), time.perf_counter() - started


def alone(port: int, prepared: dict, repeat: int = 5) -> dict[str, float]:
    """The median time of a few pages requested one at a time (no other load from us), just
    before the run: what a request costs without waiting for others."""
    import re

    import requests

    base = f"http://127.0.0.1:{port}"
    accounts = prepared["accounts"]
    session = requests.Session()
    session.headers["X-Forwarded-Proto"] = "https"

    def get(who: str, path: str):
        cookies = {"sessionid": accounts[who][-1]["session"]} if who else {}
        return session.get(base + path, cookies=cookies, timeout=60, allow_redirects=False)

    queue = get("guides", "/guide/").text
    contact = re.search(r'href="(/guide/contacts/\d+/)"', queue)
    pages = {
        "resident: vacancies": ("", "/vacatures/"),
        "resident: search (q)": ("", "/vacatures/?q=kok"),
        "resident: search (q + postcode)": ("", "/vacatures/?q=kok&postcode=7511AB&distance=10"),
        "resident: vacancy": (
            "",
            re.search(r'href="(/vacatures/\d+/)', get("", "/vacatures/").text)[1],
        ),
        "guide: queue": ("guides", "/guide/"),
        "guide: intake form": ("guides", "/guide/new/"),
        "guide: question": ("guides", contact[1] if contact else "/guide/"),
        "partner: inbox": ("partner_employees", "/partner/inbox/"),
        "partner: inbox (accepted)": ("partner_employees", "/partner/inbox/?tab=accepted"),
        "employer: portal": ("employers", "/portal/"),
        "employer: candidate search": ("employers", "/portal/candidates/?search=1&chain=care"),
    }
    medians = {}
    for name, (who, path) in pages.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = get(who, path)
            times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: HTTP {answer.status_code} before the run")
        medians[name] = round(statistics.median(times), 1)
    return medians


# -- measuring -----------------------------------------------------------------------------------


class Sampler(threading.Thread):
    """Load average and CPU time of gunicorn, locust and PostgreSQL during the run."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.locust_pid: int | None = None
        self.loads: list[float] = []
        self.cpu: dict[str, dict[int, float]] = {"gunicorn": {}, "locust": {}, "postgres": {}}
        self.start_cpu: dict[str, dict[int, float]] | None = None
        self.stopped = threading.Event()
        self.wall = 0.0
        self.busy_start = self.busy = 0.0

    def _snapshot(self) -> dict[str, dict[int, float]]:
        import psutil

        found: dict[str, dict[int, float]] = {"gunicorn": {}, "locust": {}, "postgres": {}}

        def add(kind, proc):
            try:
                times = proc.cpu_times()
                found[kind][proc.pid] = times.user + times.system
            except psutil.Error:
                pass

        for kind, pid in (("gunicorn", self.server_pid), ("locust", self.locust_pid)):
            if pid is None:
                continue
            try:
                root = psutil.Process(pid)
                for proc in [root, *root.children(recursive=True)]:
                    add(kind, proc)
            except psutil.Error:
                pass
        for proc in psutil.process_iter(["name", "username"]):
            if proc.info["username"] == "postgres":
                add("postgres", proc)
        return found

    @staticmethod
    def _machine_busy() -> float:
        """CPU seconds the whole machine spent busy since boot (/proc/stat)."""
        with open("/proc/stat", encoding="utf-8") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    def run(self):
        started = time.monotonic()
        self.busy_start = self._machine_busy()
        self.start_cpu = self._snapshot()
        while not self.stopped.wait(5):
            self.loads.append(os.getloadavg()[0])
            snapshot = self._snapshot()
            for kind, values in snapshot.items():
                self.cpu[kind].update(values)
        self.wall = time.monotonic() - started
        self.busy = self._machine_busy() - self.busy_start

    def summary(self) -> dict:
        used = {}
        for kind, values in self.cpu.items():
            before = self.start_cpu.get(kind, {}) if self.start_cpu else {}
            used[kind] = sum(v - before.get(pid, 0.0) for pid, v in values.items())
        cores = os.cpu_count() or 1
        used["machine"] = self.busy
        used["other"] = max(0.0, self.busy - used["gunicorn"] - used["postgres"] - used["locust"])
        return {
            "load_1m_mean": round(statistics.fmean(self.loads), 2) if self.loads else None,
            "load_1m_max": round(max(self.loads), 2) if self.loads else None,
            "cpu_seconds": {k: round(v, 1) for k, v in used.items()},
            "cpu_share_of_machine": {
                k: round(v / (self.wall * cores), 3) if self.wall else None for k, v in used.items()
            },
            "wall_s": round(self.wall, 1),
        }


def run_locust(port: int, users: int, rate: int, duration: str, tag: str, sampler: Sampler):
    samples = VAR / f"{tag}-samples.csv"
    samples.unlink(missing_ok=True)
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(VAR / "accounts.json"),
        "LOADTEST_SAMPLES": str(samples),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "loadtest" / "locustfile.py"),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={rate}",
        f"--run-time={duration}",
        f"--host=http://127.0.0.1:{port}",
        f"--csv={VAR / tag}",
        "--only-summary",
        "--loglevel=WARNING",
    ]
    log(f"locust: {users} users, {rate}/s, {duration}")
    locust = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    sampler.locust_pid = locust.pid
    sampler.start()
    locust.wait()
    sampler.stopped.set()
    sampler.join()
    return samples


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return 0.0
    rank = max(1, int(-(-q * len(ordered) // 1)))  # ceil(q * n)
    return ordered[min(len(ordered), rank) - 1]


def stats(rows: list[tuple[float, str, float, bool]], seconds: float) -> dict:
    times = sorted(ms for _at, _name, ms, _ok in rows)
    errors = sum(1 for *_rest, ok in rows if not ok)
    return {
        "requests": len(rows),
        "per_s": round(len(rows) / seconds, 2) if seconds else 0.0,
        "errors": errors,
        "error_rate": round(errors / len(rows), 5) if rows else 0.0,
        "mean_ms": round(statistics.fmean(times), 1) if times else 0.0,
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(times[-1], 1) if times else 0.0,
    }


def analyse(samples: Path, ramp_s: float) -> dict:
    with samples.open(encoding="utf-8") as handle:
        rows = [
            (float(r["at"]), r["name"], float(r["ms"]), r["ok"] == "1")
            for r in csv.DictReader(handle)
        ]
    if not rows:
        raise SystemExit("locust recorded no requests")
    first = min(at for at, *_ in rows)
    last = max(at for at, *_ in rows)
    seconds = max(1.0, last - first)
    steady = [r for r in rows if r[0] >= first + ramp_s]
    by_group: dict[str, list] = {}
    by_name: dict[str, list] = {}
    for row in rows:
        by_group.setdefault(row[1].split(":", 1)[0], []).append(row)
        by_name.setdefault(row[1], []).append(row)
    errors: dict[str, int] = {}
    conflicts_path = samples.with_suffix(".conflicts.json")
    conflicts = json.loads(conflicts_path.read_text()) if conflicts_path.exists() else {}
    failures_csv = samples.parent / (samples.name.replace("-samples.csv", "") + "_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as handle:
            for r in csv.DictReader(handle):
                errors[f"{r['Name']}: {r['Error']}"] = int(r["Occurrences"])
    return {
        "seconds": round(seconds, 1),
        "all": stats(rows, seconds),
        "after_ramp_up": stats(steady, max(1.0, last - first - ramp_s)),
        "groups": {g: stats(r, seconds) for g, r in sorted(by_group.items())},
        "endpoints": {n: stats(r, seconds) for n, r in sorted(by_name.items())},
        "failures": errors,
        "conflicts": conflicts,
    }


# -- reporting -----------------------------------------------------------------------------------


def versions() -> dict:
    from importlib.metadata import version

    return {
        name: version(name) for name in ("django", "gunicorn", "locust", "psycopg", "celery")
    } | {"python": platform.python_version()}


def describe_machine() -> dict:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    with _connect(DATABASE) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "arch": platform.machine(),
        "postgresql": pg_version,
        "database_mb": round(size / 1024 / 1024),
        "versions": versions(),
    }


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def markdown(result: dict) -> list[str]:
    a, m, run, data = result["analysis"], result["machine"], result["run"], result["data"]
    users = run["users_by_kind"]
    think_mean = sum(run["think_s"]) / 2
    expected = run["users"] / (think_mean + a["all"]["mean_ms"] / 1000)
    met = a["all"]["errors"] == 0 and a["all"]["p95_ms"] < TARGET_P95_MS
    cpu = result["sampler"]["cpu_share_of_machine"]
    lines = [
        SECTION,
        "",
        f"Measured by `make loadtest` (scripts/loadtest.py; the scenario is "
        f"benchmarks/loadtest/locustfile.py) on {result['generated_at']}.",
        "",
        f"**Machine**: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM ({m['arch']}); "
        f"PostgreSQL {m['postgresql']} on the same machine; gunicorn {m['versions']['gunicorn']} "
        f"with {run['workers']} workers × {run['threads']} threads (gthread), Python "
        f"{m['versions']['python']}, Django {m['versions']['django']}; locust "
        f"{m['versions']['locust']} in one process **on the same two cores**. 1-minute load "
        f"average: {result['quiet']['load_1m']} before the run"
        + (
            f" (the machine {result['quiet']['busy']:.0%} busy in the 15 s before)"
            if result["quiet"].get("busy") is not None
            else ""
        )
        + (
            ""
            if result["quiet"]["quiet"]
            else f" (the machine did not get quiet within {result['quiet']['waited_s']} s)"
        )
        + f", {result['sampler']['load_1m_mean']} on average and {result['sampler']['load_1m_max']} "
        f"at most during it, {result['load_after']} after. CPU used during the run, as a share "
        f"of both cores: gunicorn {cpu['gunicorn']:.0%}, PostgreSQL {cpu['postgres']:.0%} (all "
        f"backends, also other sessions'), locust {cpu['locust']:.0%}, other work on the "
        f"machine {cpu['other']:.0%}; the machine was busy {cpu['machine']:.0%} of the time.",
        "",
        f"**Server**: production settings (`DEBUG` off, staff 2FA on: staff sessions are "
        f"verified with an authenticator code), {run['sessions']}, WhiteNoise; "
        f"{run['tasks']}. No TLS: the requests carry `X-Forwarded-Proto: https` as behind a "
        f"TLS-terminating load balancer. Warmed up with {run['warm_up_requests']} requests before "
        f"the measurement (a fresh worker builds the title index on its first vacancy search).",
        "",
        f"**Data**: database `{DATABASE}` ({m['database_mb']:,} MB): {data['contacts']:,} "
        f"contacts, {data['handovers']:,} handovers ({data['pending_handovers']:,} pending), "
        f"{data['placements']:,} placements, {data['persons']:,} persons, "
        f"{data['open_vacancies']:,} open vacancies, {data['candidates']:,} candidates, "
        f"{data['employers']:,} employers (`werkcentrum generate`, region Twente).",
        "",
        f"**Scenario**: {run['users']} concurrent users — {users['guide']} guides registering "
        f"questions (intake, live triage, person matching) and handing them over or answering "
        f"them, {users['partner']} partner employees of {run['partners']} partners working "
        f"their inboxes (open a handover, accept 4 in 5, return the rest), {users['resident']} "
        f"residents searching vacancies (an occupation, a postcode and distance, a sector, "
        f"page 2; half of them logged in), {users['employer']} employers in the portal's "
        f"anonymised candidate search, and {users['login']} users logging in and out "
        f"(password, plus the code for staff; the others arrive with a session, as people log "
        f"in once a day). Started at {run['spawn_rate']} users/s, measured for "
        f"{run['duration']}. **Think time**: every user waits {run['think_s'][0]}–"
        f"{run['think_s'][1]} s (uniform, mean {think_mean:.1f} s) between two requests, so "
        f"{run['users']} users make at most about {run['users']} / ({think_mean:.1f} s + the "
        f"response time) ≈ {expected:.0f} requests/s (a little less in fact: a step with "
        f"nothing to do, such as choosing among person matches when there were none, still "
        f"takes its think time); that is the throughput to expect, not the capacity of the "
        f"server.",
        "",
        "| group | requests | requests/s | p50 | p95 | p99 | max | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label, s):
        return (
            f"| {label} | {s['requests']:,} | {s['per_s']:.1f} | {_ms(s['p50_ms'])} ms | "
            f"{_ms(s['p95_ms'])} ms | {_ms(s['p99_ms'])} ms | {_ms(s['max_ms'])} ms | "
            f"{s['errors']} ({s['error_rate']:.2%}) |"
        )

    lines.append(row("**all**", a["all"]))
    lines.append(row("all, after the ramp-up", a["after_ramp_up"]))
    for group, s in a["groups"].items():
        lines.append(row(GROUPS.get(group, group), s))
    lines += [
        "",
        "Per request; *alone*: the median of the same page requested one at a time on the same "
        "server just before the run (5 times), i.e. without waiting for other requests.",
        "",
        "| request | requests | p50 | p95 | p99 | max | errors | alone |",
        "|---|---|---|---|---|---|---|---|",
    ]
    single = result.get("alone_ms", {})
    for name, s in a["endpoints"].items():
        lines.append(
            f"| {name} | {s['requests']:,} | {_ms(s['p50_ms'])} ms | {_ms(s['p95_ms'])} ms | "
            f"{_ms(s['p99_ms'])} ms | {_ms(s['max_ms'])} ms | {s['errors']} | "
            + (f"{_ms(single[name])} ms |" if name in single else "– |")
        )
    lines.append("")
    verdict = (
        f"Target (zero errors, p95 under {TARGET_P95_MS} ms): **met** — {a['all']['errors']} "
        f"errors in {a['all']['requests']:,} requests, p95 {_ms(a['all']['p95_ms'])} ms."
        if met
        else f"Target (zero errors, p95 under {TARGET_P95_MS} ms): **missed** — "
        f"{a['all']['errors']} errors in {a['all']['requests']:,} requests, p95 "
        f"{_ms(a['all']['p95_ms'])} ms."
    )
    lines.append(verdict)
    if a["failures"]:
        lines += ["", "Errors:", ""]
        lines += [f"- {text}: {n}" for text, n in a["failures"].items()]
    if a["conflicts"]:
        lines += [
            "",
            "Not errors: two partner employees deciding the same handover at once — one wins, "
            "the other is told it was already decided: "
            + ", ".join(f"{k} {v}" for k, v in a["conflicts"].items())
            + ".",
        ]
    lines += ["", *NOTES, ""]
    lines.append(
        "Raw figures: `benchmarks/results/loadtest.json`; every request of the run in "
        "`var/loadtest/full-samples.csv` (not committed)."
    )
    return lines


NOTES: list[str] = [
    "**Reading.** The throughput is what these people ask for with their think time, not the "
    "limit of the server. The latency under load is mostly waiting: the *alone* column is what "
    "a page costs by itself, and under load a request waits for the CPU that gunicorn, "
    "PostgreSQL, locust and any other work on the machine share on two cores (the CPU shares "
    "above). The dearest pages are lists and searches: the partner inbox (up to 200 handovers, "
    "for each what the consent shares, and one processing-log entry per person shown), the "
    "guide's queue (up to 250 questions), the contact page (about half of it is rendering the "
    "selection lists of its five forms: every partner, every adviser) and the employers' "
    "candidate search (the k-anonymisation of every fitting candidate on each search; without "
    "filters about 1,000 groups are shown). Logging in costs about half a second of CPU by "
    "design (PBKDF2 with 1,000,000 rounds). The tail (p99, and the p95 of the residents' first "
    "pages) is mostly the ramp-up: 20 new users a second, each opening a first page at once; "
    "the second row leaves those seconds out.",
    "",
    "**Fixed for this test** (found by profiling the slowest requests and `EXPLAIN ANALYZE` of "
    "their queries):",
    "",
    "- The known-person lookup of every intake compares e-mail addresses case-insensitively "
    "(`UPPER(email) = UPPER(...)`), which no index served: a sequential scan over all 254,000 "
    "persons, 63 ms on each registration. An expression index (frontdoor migration 0004): 1 ms.",
    "- The candidate search decoded the JSON list of occupations of every candidate (13,000 per "
    "search) to show the first one; the database now hands over only that occupation's label "
    "and ISCO group (collecting the records took about a fifth of the time before).",
    "- A partner's accepted and returned tabs sorted the partner's whole history (46,000 "
    "handovers for UWV) on every visit: index (partner, status, decided_at), frontdoor "
    "migration 0004.",
    "- The public vacancy search sorted all 10,000 open vacancies for each page of 20: index "
    "(region, status, created_at, id), vacancies migration 0002 (`/vacatures/` measured with "
    "the test client: 42 → 17 ms).",
    "- The guide's queue loaded six related rows per question and showed one (the person); it "
    "now loads only the person (with the test client: about 70 → 55 ms).",
    "",
    "**Left as it is** (product or deployment decisions, not inefficiencies): paging the inbox "
    "and the queue instead of showing up to 200 and 250 rows; loading the contact page's "
    "forms when they are opened; caching the anonymised candidate groups for a short time (a "
    "privacy question: a withdrawn consent would count for that long). PostgreSQL plans the "
    "accepted tab's query with two parallel workers (19 ms; 2.5 ms with "
    "`max_parallel_workers_per_gather = 0`, a common setting for a small OLTP server; not set "
    "here). In production PostgreSQL and the load generator do not share the app server's "
    "two cores.",
    "",
    "**gunicorn**: 4 workers × 2 threads. The same scenario with 3 workers × 4 threads on the "
    "same quiet machine (2026-11-25) gave p95 222 ms and p99 595 ms instead of 170–185 and "
    "about 490 ms: threads of one worker share one interpreter lock, so a long page (an inbox, an "
    "unfiltered candidate search) holds up the short ones next to it. More processes with "
    "fewer threads spread the work better over the two cores.",
]


def write_docs(lines: list[str]) -> None:
    """Put the section into docs/performance.md: replace it when there, else append it."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    fragment = "\n".join(lines).rstrip() + "\n"
    if SECTION in text:
        head, rest = text.split(SECTION, 1)
        following = rest.find("\n## ")
        tail = rest[following + 1 :] if following >= 0 else ""
        text = head + fragment + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + fragment
    DOCS.write_text(text, encoding="utf-8")


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/loadtest.py",
        description="Load test (issue 7): locust against gunicorn + PostgreSQL with 1,000,000 "
        "contacts; figures into docs/performance.md.",
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--duration", default="3m", help="locust --run-time (default 3m)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="20 users for 30 s; the figures go to var/loadtest/ only",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--max-load",
        type=float,
        default=2.5,
        help="wait until the 1-minute load average is below this (default 2.5)",
    )
    parser.add_argument(
        "--max-busy",
        type=float,
        default=0.35,
        help="... and the machine busy less than this share over 15 s (default 0.35)",
    )
    parser.add_argument(
        "--max-wait", type=float, default=1200, help="seconds to wait for that (default 1200)"
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="do not write benchmarks/results or docs/"
    )
    parser.add_argument(
        "--rewrite-docs",
        action="store_true",
        help="only write the section again from benchmarks/results/loadtest.json (no run)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.spawn_rate, args.duration, args.no_docs = 20, 10, "30s", True
    if args.rewrite_docs:
        result = json.loads((RESULTS / "loadtest.json").read_text(encoding="utf-8"))
        lines = markdown(result)
        (RESULTS / "loadtest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        write_docs(lines)
        return 0
    with RunLock(args.max_wait):
        return run(args)


def run(args) -> int:
    tag = "smoke" if args.smoke else "full"

    data = ensure_database(args.max_wait)
    use_redis = redis_available()
    env = server_env(args.port, use_redis)
    prepared = prepare(env)
    quiet = (
        wait_until_quiet(args.max_load, args.max_wait, args.max_busy)
        if not args.smoke
        else {
            "quiet": True,
            "load_1m": round(os.getloadavg()[0], 2),
            "busy": None,
            "waited_s": 0,
        }
    )
    server = start_gunicorn(env, args.port, args.workers, args.threads)
    try:
        warm_n, warm_s = warm_up(args.port, args.workers, prepared)
        log(f"warmed up with {warm_n} requests in {warm_s:.1f} s")
        one_at_a_time = alone(args.port, prepared)
        sampler = Sampler(server.pid)
        samples = run_locust(args.port, args.users, args.spawn_rate, args.duration, tag, sampler)
    finally:
        stop_gunicorn(server)
        if use_redis:
            redis_available()  # empty the broker and cache databases again
    load_after = round(os.getloadavg()[0], 2)
    ramp_s = args.users / max(1, args.spawn_rate)
    analysis = analyse(samples, ramp_s)
    weights = {"guide": 25, "partner": 20, "resident": 38, "employer": 15, "login": 2}
    total = sum(weights.values())
    by_kind = {k: round(args.users * w / total) for k, w in weights.items()}
    result = {
        "generated_at": time.strftime("%Y-%m-%d %H:%M"),
        "machine": describe_machine(),
        "quiet": quiet,
        "load_after": load_after,
        "sampler": sampler.summary(),
        "data": {**data, **(counts(DATABASE) or {})},
        "prepared": prepared["prepared"],
        "run": {
            "users": args.users,
            "users_by_kind": by_kind,
            "spawn_rate": args.spawn_rate,
            "duration": args.duration,
            "think_s": [3, 10],
            "workers": args.workers,
            "threads": args.threads,
            "partners": len(prepared["context"]["handover_partners"]),
            "sessions": "Redis for the cache and the sessions (`cached_db`)"
            if use_redis
            else "sessions in PostgreSQL",
            "tasks": "Celery broker on Redis, no worker during the run (e-mails stay queued)"
            if use_redis
            else "Celery tasks eager (e-mails to a dummy backend inside the request)",
            "warm_up_requests": warm_n,
        },
        "analysis": analysis,
        "alone_ms": one_at_a_time,
    }
    lines = markdown(result)
    out_json = VAR / f"{tag}.json" if args.no_docs else RESULTS / "loadtest.json"
    out_md = VAR / f"{tag}.md" if args.no_docs else RESULTS / "loadtest.md"
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    out_md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not args.no_docs:
        write_docs(lines)
    print("\n".join(lines))
    log(f"figures in {out_md}" + ("" if args.no_docs else " and docs/performance.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
