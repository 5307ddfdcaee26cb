"""The load-test scenario (issue 7): the people of a Werkcentrum on a working day.

Run by ``scripts/loadtest.py`` (``make loadtest``), which prepares the database and the accounts
(``LOADTEST_ACCOUNTS``: the JSON written by ``prepare.py``) and starts gunicorn. Four kinds of
users, by weight (of 200 users: 50 / 40 / 76 / 30 / 4):

- guides register questions (intake form, live triage, person matching), hand them over to a
  partner (consent + handover) or answer them, and read questions from their queue;
- partner employees work their inbox: open a handover, accept it (4 in 5) or return it;
- residents search vacancies (``/vacatures/``: an occupation, a postcode and a distance, a
  sector, page 2) and read one; half of them are logged in and look at ``/mijn/``;
- employers use the portal: the anonymised candidate search with a few filters, their proposals;
- a few users log in and out (password, and the authenticator code for staff).

Every user waits 3 to 10 seconds (uniform, mean 6.5 s) between two requests: people read a page
before the next click. An htmx request (the live triage while the guide types) counts as a
request like any other. Static files are not requested (browsers cache them; WhiteNoise serves
them without touching the database).

Every request is checked: the expected status (no redirects followed: a redirect to the login
page is an error), and a refused portal search (rate limit) is an error. Two partner employees
deciding the same handover at once is not an error but the designed outcome (one wins, the
other sees "already accepted"); such conflicts are counted separately (``conflicts``).

Behind a TLS-terminating load balancer in production: the requests carry
``X-Forwarded-Proto: https``, an ``Origin``/``Referer`` on https (Django's CSRF check), and the
cookie jar sends the ``Secure`` session and CSRF cookies over the plain-HTTP hop to gunicorn.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import gevent
from locust import HttpUser, SequentialTaskSet, between, events, task

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.loadtest.paths import url  # noqa: E402

THINK = (3, 10)  # seconds between two requests of one user (uniform)
WEIGHTS = {"guide": 25, "partner": 20, "resident": 38, "employer": 15, "login": 2}
ACCEPT_SHARE = 0.8  # partner decisions that accept (the rest return)
HANDOVER_SHARE = 0.6  # registered questions handed over (the rest answered at once)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CONTACT_LINK = re.compile(r'href="/guide/contacts/(\d+)/"')
HANDOVER_LINK = re.compile(r'href="/partner/handovers/(\d+)/"')
VACANCY_LINK = re.compile(r'href="/vacatures/(\d+)/')
FIRST_NAMES = ("Anna", "Bram", "Daan", "Emma", "Fatma", "Jeroen", "Lotte", "Mohamed", "Sanne")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Yilmaz")
QUESTIONS = (
    "Ik heb een WW-uitkering en zoek werk als {term}.",
    "Ik wil omscholen tot {term}, wie betaalt de opleiding?",
    "Mijn contract stopt, ik zoek iets als {term} in de buurt.",
    "Ik heb schulden en zoek werk als {term}, waar kan ik terecht?",
    "Ik zit in de bijstand en wil graag aan de slag als {term}.",
)
WORK_STATUSES = ("", "employed", "unemployed", "self_employed", "threatened_with_unemployment")
BENEFITS = ("", "none", "ww", "bijstand", "wia")

_data: dict | None = None
_counters: dict[str, itertools.count] = {}
samples: list[tuple[float, str, float, bool]] = []
conflicts: dict[str, int] = {}


def data() -> dict:
    """The accounts and context made by prepare.py (read once, when the first user starts)."""
    global _data
    if _data is None:
        path = os.environ.get("LOADTEST_ACCOUNTS")
        if not path:
            raise RuntimeError("set LOADTEST_ACCOUNTS to the JSON written by prepare.py")
        _data = json.loads(Path(path).read_text(encoding="utf-8"))
    return _data


def next_account(pool: str) -> dict:
    """Each user takes its own account of the pool (round robin when there are more users)."""
    accounts = data()["accounts"][pool]
    counter = _counters.setdefault(pool, itertools.count())
    return accounts[next(counter) % len(accounts)]


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (what an authenticator app shows), as django-otp's TOTPDevice checks it."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    samples.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write_samples(environment, **_kw):
    out = os.environ.get("LOADTEST_SAMPLES")
    if not out:
        return
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["at", "name", "ms", "ok"])
        for at, name, ms, ok in samples:
            writer.writerow([f"{at:.3f}", name, f"{ms:.1f}", int(ok)])
    Path(out).with_suffix(".conflicts.json").write_text(json.dumps(conflicts), encoding="utf-8")


class WerkcentrumUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    pool = ""

    def on_start(self):
        self.origin = "https://" + self.host.split("://", 1)[-1].rstrip("/")
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "Accept-Language": "nl-NL,nl;q=0.9",
                "User-Agent": "werkcentrum-loadtest (locust)",
            }
        )
        self.account = next_account(self.pool) if self.pool else {}
        self.csrf = ""
        self.page = "/"
        if self.account.get("session"):
            self.client.cookies.set("sessionid", self.account["session"])

    # -- requests --------------------------------------------------------------------------

    def get(self, path: str, name: str, *, params=None, expect=(200,), htmx=False, check=None):
        headers = {"Referer": self.origin + self.page}
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.get(
            path,
            params=params,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._check(response, expect, check)
        self._behind_tls()
        if response.status_code == 200 and not htmx:
            self.page = path
            self._remember_csrf(response.text)
        return response

    def post(self, path: str, name: str, form: dict, *, expect=(302,), htmx=False, check=None):
        headers = {"Origin": self.origin, "Referer": self.origin + self.page}
        if htmx:
            headers.update({"HX-Request": "true", "X-CSRFToken": self.csrf})
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.csrf, **form},
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._check(response, expect, check)
        self._behind_tls()
        if response.status_code == 200 and not htmx:
            self._remember_csrf(response.text)
        return response

    @staticmethod
    def _check(response, expect, check=None):
        """Fail on an unexpected status (redirects are not followed), or when ``check``
        returns a reason the page is wrong."""
        if response.status_code not in expect:
            where = response.headers.get("Location", "")
            response.failure(f"HTTP {response.status_code} {where}".strip())
        elif check is not None and (reason := check(response)):
            response.failure(reason)
        else:
            response.success()

    def _behind_tls(self) -> None:
        """TLS ends at the load balancer: the browser's connection is HTTPS, so it sends the
        ``Secure`` session and CSRF cookies, although locust reaches gunicorn over plain HTTP
        (requests would leave them out)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def _remember_csrf(self, html: str) -> None:
        found = CSRF_FIELD.search(html) or CSRF_META.search(html)
        if found:
            self.csrf = found.group(1)


def conflict(kind: str) -> None:
    conflicts[kind] = conflicts.get(kind, 0) + 1


# -- guides ------------------------------------------------------------------------------------


class GuideDay(SequentialTaskSet):
    """Read the queue, open an earlier question, register a new one and hand it over or answer."""

    @task
    def queue(self):
        response = self.user.get(url("frontdoor:guide_queue"), "guide: queue")
        self.queue_ids = CONTACT_LINK.findall(response.text) if response.ok else []

    @task
    def earlier_question(self):
        if self.queue_ids:
            pk = int(random.choice(self.queue_ids[:50]))
            self.user.get(url("frontdoor:contact_detail", pk=pk), "guide: question")

    @task
    def intake_form(self):
        self.user.get(url("frontdoor:intake"), "guide: intake form")
        self.form = self._intake_data()

    @task
    def live_triage(self):
        fields = ("question", "municipality", "age", "work_status", "benefit", "asker_type")
        self.user.post(
            url("frontdoor:triage_preview"),
            "guide: live triage (htmx)",
            {k: self.form[k] for k in fields},
            expect=(200,),
            htmx=True,
        )

    @task
    def register(self):
        self.contact_pk = None
        response = self.user.post(
            url("frontdoor:intake"),
            "guide: register",
            self.form,
            expect=(200, 302),
            check=_matches_or_registered,
        )
        if response.status_code == 302:
            self.contact_pk = _pk_from(response.headers.get("Location", ""))

    @task
    def register_new_person(self):
        if self.contact_pk is None:  # matches shown: the guide sees it is someone new
            response = self.user.post(
                url("frontdoor:intake"),
                "guide: register (after matches)",
                {**self.form, "person_choice": "new"},
            )
            self.contact_pk = _pk_from(response.headers.get("Location", ""))

    @task
    def registered(self):
        if self.contact_pk:
            path = url("frontdoor:contact_detail", pk=self.contact_pk)
            self.user.get(path, "guide: question")

    @task
    def hand_over_or_answer(self):
        if not self.contact_pk:
            return
        if random.random() < HANDOVER_SHARE:
            self.user.post(
                url("frontdoor:contact_handover", pk=self.contact_pk),
                "guide: hand over",
                {
                    "partner": random.choice(data()["context"]["handover_partners"]),
                    "categories": ["contact_details", "question", "situation"],
                    "valid_until": (date.today() + timedelta(days=90)).isoformat(),
                    "message": "Graag contact opnemen, de persoon verwacht uw telefoontje.",
                    "contact_details_checked": "on",
                    "consent_given": "on",
                },
            )
        else:
            self.user.post(
                url("frontdoor:contact_answer", pk=self.contact_pk),
                "guide: answer",
                {"outcome": "Vacaturesite en de inloopspreekuren doorgenomen."},
            )

    @task
    def after(self):
        if self.contact_pk:
            self.user.get(url("frontdoor:contact_detail", pk=self.contact_pk), "guide: question")

    def _intake_data(self) -> dict:
        context = data()["context"]
        term = random.choice(context["search_terms"])
        born = date.today() - timedelta(days=random.randint(18 * 365, 66 * 365))
        unique = uuid.uuid4().hex[:10]
        return {
            "channel": "walk_in",
            "walk_in_point": self.user.account["walk_in_point"],
            "asker_type": "resident",
            "question": random.choice(QUESTIONS).format(term=term),
            "municipality": random.choice(context["municipalities"]),
            "age": str(date.today().year - born.year),
            "work_status": random.choice(WORK_STATUSES),
            "benefit": random.choice(BENEFITS),
            "first_name": random.choice(FIRST_NAMES),
            "last_name": random.choice(LAST_NAMES),
            "date_of_birth": born.isoformat(),
            "email": f"{unique}@voorbeeld.nl",
            "phone": "06" + str(random.randint(10_000_000, 99_999_999)),
            "postcode": random.choice(context["postcodes"]) + " AB",
        }


def _matches_or_registered(response) -> str | None:
    """The intake answers 302 (registered) or 200 with known persons to choose from."""
    if response.status_code == 200 and 'name="person_choice" value="new"' not in response.text:
        return "the intake form came back with errors, not with person matches"
    return None


def _refused(response) -> str | None:
    """The portal shows a refused search (the hourly limit) as a warning above the results."""
    if 'class="alert alert--warning"' in response.text or 'alert--error"' in response.text:
        return "search refused (message on the page)"
    return None


def _pk_from(location: str) -> int | None:
    found = re.search(r"/guide/contacts/(\d+)/", location)
    return int(found.group(1)) if found else None


class Guide(WerkcentrumUser):
    weight = WEIGHTS["guide"]
    pool = "guides"
    tasks = [GuideDay]


# -- partner employees --------------------------------------------------------------------------


class PartnerDay(SequentialTaskSet):
    """Open the inbox, read a handover, accept or return it; now and then the accepted tab."""

    @task
    def inbox(self):
        response = self.user.get(url("frontdoor:partner_inbox"), "partner: inbox")
        self.ids = HANDOVER_LINK.findall(response.text) if response.ok else []
        self.pk = int(random.choice(self.ids[:30])) if self.ids else None

    @task
    def handover(self):
        if self.pk is None:
            return
        response = self.user.get(
            url("frontdoor:partner_handover", pk=self.pk), "partner: handover", expect=(200, 404)
        )
        if response.status_code == 404:  # a colleague returned it meanwhile
            conflict("handover gone before it was opened")
            self.pk = None

    @task
    def decide(self):
        if self.pk is None:
            return
        # A colleague may have decided it meanwhile: accepting one that was accepted shows
        # "already accepted" (302, counted in result()); one that was returned is no longer
        # the partner's to see (404); returning one already decided is refused (400).
        if random.random() < ACCEPT_SHARE:
            response = self.user.post(
                url("frontdoor:partner_accept", pk=self.pk),
                "partner: accept",
                {},
                expect=(302, 404),
            )
        else:
            response = self.user.post(
                url("frontdoor:partner_return", pk=self.pk),
                "partner: return",
                {
                    "reason": "Past niet bij ons aanbod; graag via de gemeente.",
                    "suggested_partner": "",
                },
                expect=(302, 400, 404),
            )
        if response.status_code in (400, 404):
            conflict(
                f"{'accept' if 'accept' in response.url else 'return'} refused: already decided"
            )
            self.pk = None
        self.after = response.headers.get("Location", "")

    @task
    def result(self):
        if self.pk is None or not self.after:
            return
        if self.after.startswith(url("frontdoor:partner_inbox")):
            self.user.get(url("frontdoor:partner_inbox"), "partner: inbox")
            return
        response = self.user.get(
            url("frontdoor:partner_handover", pk=self.pk), "partner: handover", expect=(200, 404)
        )
        if response.status_code == 404 or 'class="alert alert--error"' in response.text:
            conflict("accept refused: already decided")

    @task
    def accepted_tab(self):
        if random.random() < 0.3:
            self.user.get(
                url("frontdoor:partner_inbox"),
                "partner: inbox (accepted)",
                params={"tab": "accepted"},
            )


class PartnerEmployee(WerkcentrumUser):
    weight = WEIGHTS["partner"]
    pool = "partner_employees"
    tasks = [PartnerDay]


# -- residents ---------------------------------------------------------------------------------


class VacancySearch(SequentialTaskSet):
    """Look for work: an occupation, then near a postcode, a sector, page 2; read a vacancy."""

    def on_start(self):
        self.logged_in = bool(self.user.account.get("session")) and random.random() < 0.5
        if not self.logged_in:
            self.user.client.cookies.clear()

    @task
    def start(self):
        if self.logged_in:
            self.user.get(url("residents:home"), "resident: my page")
        else:
            self.user.get(url("home"), "resident: home")

    @task
    def search_page(self):
        self.user.get(url("vacancies:public_search"), "resident: vacancies")

    @task
    def by_occupation(self):
        self.term = random.choice(data()["context"]["search_terms"])
        response = self.user.get(
            url("vacancies:public_search"), "resident: search (q)", params={"q": self.term}
        )
        self.found = VACANCY_LINK.findall(response.text) if response.ok else []

    @task
    def near_postcode(self):
        postcode = random.choice(data()["context"]["postcodes"]) + random.choice((" AB", "KL", ""))
        params = {"q": self.term, "postcode": postcode, "distance": random.choice((5, 10, 20))}
        response = self.user.get(
            url("vacancies:public_search"), "resident: search (q + postcode)", params=params
        )
        self.found = VACANCY_LINK.findall(response.text) or self.found

    @task
    def vacancy(self):
        if self.found:
            pk = int(random.choice(self.found))
            self.user.get(url("vacancies:public_detail", pk=pk), "resident: vacancy")

    @task
    def browse(self):
        params = (
            {"q": self.term, "page": "2"}
            if random.random() < 0.5
            else {"chain": random.choice(data()["context"]["chains"]), "hours_min": "24"}
        )
        self.user.get(
            url("vacancies:public_search"), "resident: search (page 2 / sector)", params=params
        )


class Resident(WerkcentrumUser):
    weight = WEIGHTS["resident"]
    pool = "residents"
    tasks = [VacancySearch]


# -- employers ---------------------------------------------------------------------------------


class PortalDay(SequentialTaskSet):
    """The portal: home, the anonymised candidate search (two searches), the proposals."""

    @task
    def home(self):
        self.user.get(url("portal:home"), "employer: portal")

    @task
    def form(self):
        self.user.get(url("portal:search"), "employer: candidate search form")

    @task
    def search(self):
        self._search()

    @task
    def refine(self):
        self._search()

    @task
    def proposals(self):
        self.user.get(url("portal:proposals"), "employer: proposals")

    def _search(self):
        context = data()["context"]
        params = {
            "search": "1",
            "chain": random.choice(["", *context["chains"]]),
            "subregion": random.choice(["", *context["subregions"]]),
            "min_education": random.choice(["", *map(str, context["education_levels"])]),
        }
        response = self.user.get(url("portal:search"), "employer: candidate search", params=params)
        if response.ok and 'class="alert alert--error"' in response.text:
            response.failure("search refused")


class Employer(WerkcentrumUser):
    weight = WEIGHTS["employer"]
    pool = "employers"
    tasks = [PortalDay]


# -- logging in --------------------------------------------------------------------------------

_last_step: dict[str, int] = {}


class LoginDay(SequentialTaskSet):
    """Log in with the password (and the code for staff), open the first page, log out."""

    def on_start(self):
        self.account = next_account("login")

    @task
    def form(self):
        self.user.client.cookies.clear()
        self.user.get(url("accounts:login"), "login: form")

    @task
    def password(self):
        self.user.post(
            url("accounts:login"),
            "login: password",
            {"username": self.account["username"], "password": data()["password"]},
        )

    @task
    def code(self):
        key = self.account.get("totp_key")
        if not key:
            return
        self.user.get(url("accounts:login_otp"), "login: code form")
        step = int(time.time() // 30)
        if _last_step.get(key) == step:  # a code is accepted once: wait for the next one
            gevent.sleep(30 - time.time() % 30 + 0.5)
        _last_step[key] = int(time.time() // 30)
        self.user.post(url("accounts:login_otp"), "login: code", {"token": totp(key)})

    @task
    def landing(self):
        self.user.get(self.account["landing"], "login: first page")

    @task
    def logout(self):
        self.user.post(url("accounts:logout"), "login: log out", {})


class LoggingIn(WerkcentrumUser):
    weight = WEIGHTS["login"]
    tasks = [LoginDay]
