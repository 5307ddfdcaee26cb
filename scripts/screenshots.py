"""Screenshots of the main screens into docs/screenshots/ (``make screenshots``).

Starts its own server on a free port with a fresh embedded database in a temporary directory
(migrate, all bundled regions, the demo data), logs in as the right demo user per screen and
saves full-page PNGs: desktop 1366 wide, and one phone screen 390 wide. Then stops the server.

Uses Debian's Chromium (/usr/bin/chromium, or $WERKCENTRUM_CHROMIUM); it never downloads a
browser. Options: --lang en|nl (default: nl, what residents see), --out DIR, --keep (keep the
temporary data directory and the server log), --only NAME[,NAME...].
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("WERKCENTRUM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Werkcentrum-demo-2026"  # noqa: S105 - the published demo password (core/demo.py)
INTAKE_QUESTION = (
    "Ik werk als oproepkracht bij een drogist en wil omscholen naar de ouderenzorg. "
    "Kan ik een opleiding vergoed krijgen?"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A fresh embedded SQLite database: never touch a configured PostgreSQL database.
    env.pop("DATABASE_URL", None)
    env["WERKCENTRUM_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "werkcentrum.config.settings.dev"
    env["DEBUG"] = "false"
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "werkcentrum.cli", *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"`werkcentrum {' '.join(args)}` failed ({result.returncode})")


def wait_until_up(url: str, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {timeout:.0f}s:\n{log_path.read_text()}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


class Shooter:
    def __init__(self, browser, base_url: str, out: Path, language: str):
        self.browser = browser
        self.base_url = base_url
        self.out = out
        self.language = language
        self.saved: list[Path] = []
        self.problems: list[str] = []

    def context(self, viewport=DESKTOP, **options):
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            **options,
        )
        context.add_cookies(
            [{"name": "django_language", "value": self.language, "url": self.base_url}]
        )
        context.set_default_timeout(15_000)
        return context

    def resident_page(self, email: str, **options):
        """Logged in to My Werkcentrum with the demo resident's password."""
        page = self.context(**options).new_page()
        page.goto("/mijn/inloggen/")
        form = page.locator("form", has=page.locator("input[name=password]"))
        form.locator("input[name=email]").fill(email)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        if "/mijn/inloggen" in page.url:
            raise SystemExit(f"resident login as {email} failed")
        return page

    def page(self, username: str | None = None, **options):
        page = self.context(**options).new_page()
        if username:
            page.goto("/accounts/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            if "/accounts/login" in page.url:
                raise SystemExit(f"login as {username} failed")
        return page

    def save(self, page, name: str, full_page: bool = True) -> None:
        page.wait_for_load_state("networkidle")
        # No blinking caret or focus ring in the pictures.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        # No half-finished htmx swap (faded panels) either.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
        page.wait_for_timeout(250)
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        page.context.close()


def shoot_all(shooter: Shooter, only: set[str] | None) -> None:
    def wanted(name: str) -> bool:
        return not only or name in only

    # Public
    for name, url in [
        ("home", "/"),
        ("question-form", "/vraag/"),
        ("walk-in-points", "/inlooppunten/"),
    ]:
        if wanted(name):
            page = shooter.page()
            page.goto(url)
            shooter.save(page, name)
    if wanted("question-form-phone"):
        page = shooter.page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto("/vraag/")
        shooter.save(page, "question-form-phone")

    # Guide (gids, walk-in point Oldenzaal)
    if wanted("guide-queue"):
        page = shooter.page("gids")
        page.goto("/guide/")
        shooter.save(page, "guide-queue")
    if wanted("intake-with-proposal"):
        page = shooter.page("gids")
        page.goto("/guide/new/")
        page.locator("#id_question").press_sequentially(INTAKE_QUESTION, delay=5)
        page.locator("#id_municipality").select_option(label="Oldenzaal")
        page.locator("#proposal strong").wait_for()
        page.wait_for_timeout(800)  # the last live update after the municipality change
        shooter.save(page, "intake-with-proposal")
    for name, open_handover in [("contact-detail", False), ("handover-form", True)]:
        if not wanted(name):
            continue
        page = shooter.page("gids")
        page.goto("/guide/")
        # Marjolein's question: returned by the municipality, so the detail shows the most.
        row = page.locator("tbody tr", has_text="Marjolein")
        if row.count() == 0:
            shooter.problems.append(f"{name}: Marjolein's question is not in the guide queue")
            row = page.locator("tbody tr")
        row.first.locator("a").first.click()
        page.wait_for_load_state("networkidle")
        if open_handover:
            page.locator("#handover > summary").click()
            page.locator("#handover form").wait_for()
        shooter.save(page, name)

    # Partner (uwv, UWV Twente)
    if wanted("partner-inbox"):
        page = shooter.page("uwv")
        page.goto("/partner/inbox/")
        shooter.save(page, "partner-inbox")
    if wanted("partner-handover"):
        page = shooter.page("uwv")
        page.goto("/partner/inbox/")
        links = page.locator("tbody tr a")
        if links.count():
            links.first.click()
        else:
            shooter.problems.append("partner-handover: the UWV inbox is empty")
        shooter.save(page, "partner-handover")

    # Coordinator
    for name, url in [
        ("escalations", "/coordinator/escalations/"),
        ("rules", "/coordinator/rules/"),
        ("insights", "/coordinator/insights/"),
    ]:
        if wanted(name):
            page = shooter.page("coordinator")
            page.goto(url)
            shooter.save(page, name)

    # Employer adviser (adviseur) and the employer portal (werkgever, Cevdet ICT Solutions)
    if wanted("employers"):
        page = shooter.page("adviseur")
        page.goto("/employers/")
        shooter.save(page, "employers")
    if wanted("vacancy-new"):
        page = shooter.page("adviseur")
        page.goto("/employers/")
        page.locator("tbody tr a", has_text="Cevdet").first.click()
        page.locator("a[href*='/vacancies/new/']").first.click()
        page.locator("#id_title").press_sequentially("verpleegster ouderenzorg", delay=5)
        page.locator("#occupation-suggestions input").first.wait_for()
        page.wait_for_timeout(500)
        shooter.save(page, "vacancy-new")
    for name in ("vacancy-matches",):
        if not wanted(name):
            continue
        page = shooter.page("adviseur")
        page.goto("/vacancies/")
        page.locator("tbody tr a", has_text="Junior softwareontwikkelaar").first.click()
        page.wait_for_load_state("networkidle")
        shooter.save(page, name)
    if wanted("candidate"):
        page = shooter.page("adviseur")
        page.goto("/candidates/")
        page.locator("tbody tr a").first.click()
        shooter.save(page, "candidate")
    if wanted("vacancy-import"):
        page = shooter.page("adviseur")
        page.goto("/vacancies/import/")
        shooter.save(page, "vacancy-import")
    if wanted("portal-search"):
        page = shooter.page("werkgever")
        page.goto("/portal/candidates/?search=1&chain=ict")
        shooter.save(page, "portal-search")

    # Residents: public vacancy search on a phone
    if wanted("vacancy-search-phone"):
        page = shooter.page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto("/vacatures/?chain=care")
        shooter.save(page, "vacancy-search-phone", full_page=False)
    # Advice: the trajectory the demo started for Cevdet's question, and booking an appointment
    if wanted("trajectory"):
        page = shooter.page("gids2")
        page.goto("/trajectories/")
        links = page.locator("tbody tr a")
        if links.count():
            links.first.click()
        else:
            shooter.problems.append("trajectory: no open trajectory for gids2")
        shooter.save(page, "trajectory")

    # Self-service: My Werkcentrum on a phone and a desktop, the talent wall, training search,
    # booking an appointment, and the employer's proposed candidates.
    resident = "yvonne.jansen@example.org"
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    for name, url, options, full in [
        ("portal-resident-home", "/mijn/", {}, True),
        ("portal-resident-home-phone", "/mijn/", phone, False),
        ("portal-resident-consents", "/mijn/toestemmingen/", {}, True),
        ("portal-resident-log-phone", "/mijn/inzage/", phone, False),
        ("portal-resident-data", "/mijn/gegevens/", {}, True),
    ]:
        if wanted(name):
            page = shooter.resident_page(resident, **options)
            page.goto(url)
            shooter.save(page, name, full_page=full)
    for name, options in (
        ("portal-resident-question", {}),
        ("portal-resident-question-phone", phone),
    ):
        if wanted(name):
            page = shooter.resident_page(resident, **options)
            page.locator("main article a").first.click()
            shooter.save(page, name, full_page=not options)
    if wanted("portal-resident-booking-phone"):
        page = shooter.resident_page(resident, **phone)
        page.goto("/mijn/afspraken/")
        page.locator("#id_place").select_option(label="Inlooppunt Werkplein Enschede")
        page.locator("main form[method=get] button").click()
        shooter.save(page, "portal-resident-booking-phone", full_page=False)
    if wanted("login-resident-phone"):
        page = shooter.page(**phone)
        page.goto("/mijn/inloggen/")
        shooter.save(page, "login-resident-phone", full_page=False)
    if wanted("talent-wall-phone"):
        page = shooter.page(**phone)
        page.goto("/talentenmuur/")
        shooter.save(page, "talent-wall-phone", full_page=False)
    if wanted("talent-wall-result"):
        page = shooter.page()
        page.goto("/talentenmuur/")
        from werkcentrum.orientation.talentwall import default_wall

        # A care-minded resident: social statements "very much", orderly "somewhat".
        answer = {"S": "5", "C": "4", "I": "3"}
        for statement in default_wall().statements:
            value = answer.get(statement.type, "2")
            page.locator(f"input[name=a_{statement.id}][value='{value}']").check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        shooter.save(page, "talent-wall-result")
    if wanted("training-search"):
        page = shooter.page()
        page.goto("/opleidingen/?sector=care")
        shooter.save(page, "training-search")
    if wanted("training-search-phone"):
        page = shooter.page(**phone)
        page.goto("/opleidingen/?funding=training_fund")
        shooter.save(page, "training-search-phone", full_page=False)
    if wanted("portal-employer-proposals"):
        page = shooter.page("werkgever")
        page.goto("/portal/proposals/")
        shooter.save(page, "portal-employer-proposals")

    # The regional offer (issue 5): service menu, eligible services at intake, training fund,
    # events and labour-market information.
    for name, url, user, options, full in [
        ("menu", "/diensten/", None, {}, True),
        ("events", "/evenementen/", None, {}, True),
        ("events-phone", "/evenementen/", None, phone, False),
        ("labour-market", "/arbeidsmarkt/", None, {}, True),
        ("labour-market-phone", "/arbeidsmarkt/", None, phone, False),
        ("fund-applications", "/fonds/", "fonds", {}, True),
        ("fund-budget", "/fonds/budget/", "fonds", {}, True),
        ("fund-figures", "/fonds/cijfers/", "manager", {}, True),
        ("budget", "/budget/", "manager", {}, True),
        ("monitoring", "/monitoring/?period=2026", "manager", {}, True),
        ("monitoring-reports", "/monitoring/reports/", "manager", {}, True),
    ]:
        if wanted(name):
            page = shooter.page(user, **options)
            page.goto(url)
            shooter.save(page, name, full_page=full)
    if wanted("event-detail"):
        page = shooter.page()
        page.goto("/evenementen/")
        page.locator("main article a, main li a").first.click()
        shooter.save(page, "event-detail")
    if wanted("fund-application"):
        page = shooter.page("fonds")
        page.goto("/fonds/")
        links = page.locator("main tbody tr a")
        if links.count():
            links.first.click()
        else:
            shooter.problems.append("fund-application: no applications in the demo")
        shooter.save(page, "fund-application")
    if wanted("contact-eligible-services"):
        page = shooter.page("gids2")
        page.goto("/guide/")
        row = page.locator("tbody tr", has_text="Frits")
        if not row.count():
            row = page.locator("tbody tr")
        row.first.locator("a").first.click()
        page.wait_for_load_state("networkidle")
        shooter.save(page, "contact-eligible-services")
    if wanted("resident-voucher-phone"):
        page = shooter.resident_page(resident, **phone)
        page.goto("/mijn/scholingscheque/")
        shooter.save(page, "resident-voucher-phone", full_page=False)

    # API documentation (ReDoc renders the OpenAPI schema in the browser)
    if wanted("api-docs"):
        page = shooter.page()
        page.goto("/api/v1/docs")
        try:
            page.locator(".api-content, [role=main] h1, redoc h1").first.wait_for(timeout=10_000)
            page.wait_for_timeout(500)
        except Exception:  # noqa: BLE001 - report and still save what is there
            shooter.problems.append("api-docs: ReDoc did not render within 10 s")
        shooter.save(page, "api-docs", full_page=False)  # the first screen; the page is very long


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["nl", "en"], default="nl")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--only", default="", help="comma-separated screenshot names")
    args = parser.parse_args(argv)

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="werkcentrum-screenshots-"))
    env = server_env(data_dir)
    print(f"Fresh database in {data_dir}")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_region", "--all")
    manage(env, "load_trainings", "--all")
    manage(env, "load_menu", "--all")
    manage(env, "seed_demo")

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "werkcentrum.cli",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    problems: list[str] = []
    try:
        wait_until_up(base_url + "/", server, log_path)
        print(f"Server on {base_url} (pid {server.pid}); saving to {out}")
        started = time.monotonic()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                shooter = Shooter(browser, base_url, out, args.lang)
                only = {n.strip() for n in args.only.split(",") if n.strip()} or None
                shoot_all(shooter, only)
                problems = shooter.problems
            finally:
                browser.close()
        print(f"{len(shooter.saved)} screenshots in {time.monotonic() - started:.1f}s")
    finally:
        stop(server)
        errors = [
            line for line in log_path.read_text(errors="replace").splitlines() if '" 500 ' in line
        ]
        problems += [f"server error: {line}" for line in errors]
        if args.keep:
            print(f"Kept {data_dir} (server log: {log_path})")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    for problem in problems:
        print(f"WARNING: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
