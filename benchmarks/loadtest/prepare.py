"""Make the load-test accounts, sessions and work in the load-test database.

    python benchmarks/loadtest/prepare.py OUT.json      (run by scripts/loadtest.py)

Runs with the same settings and environment as the gunicorn under test (the sessions it makes
must be readable there). Idempotent: accounts are updated in place, the previous run's sessions
are deleted, and only what is missing is added:

- guides ``loadtest-guide-NN`` (each with a walk-in point and a queue of open questions taken over
  from the generated guides), partner employees ``loadtest-<partner>-N`` of several partners,
  employers ``loadtest-employer-NN`` (portal accounts of generated employers) and residents
  ``loadtest-resident-NNN`` (each with their own person record);
- every staff account gets a confirmed TOTP device with a key derived from its user name, and
  a session verified with it (what a real login with the code leaves behind); employers and
  residents get a plain logged-in session. People log in once a working day: a login storm of
  200 users in ten seconds is not the scenario, so the scenario measures logging in with a few
  separate accounts ``loadtest-login-*`` (password, and the code for staff);
- each partner gets at least ``PENDING_PER_PARTNER`` pending handovers (made through the
  services, as a guide would), so that the inboxes hold work on every run;
- the portal's search rate limit (30 an hour) and login throttling are reset for these accounts.

All accounts share one password (``PASSWORD``); it is a load-test database, never production.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "loadtest-Werkcentrum-2026!"
PREFIX = "loadtest-"
REGION = "twente"
PARTNERS = (
    "uwv-twente",
    "sociale-partners-twente",
    "werkcentrum-twente-wsp",
    "werkcentrum-twente-loopbaan",
    "twents-fonds-voor-vakmanschap",
    "gm0153-social_assistance",
    "gm0153-debt_support",
    "sbb-twente",
)
GUIDES = 60
EMPLOYEES_PER_PARTNER = 6
EMPLOYERS = 40
RESIDENTS = 100
LOGIN_ACCOUNTS = 4  # of each: guides (with the code) and employers
QUEUE_PER_GUIDE = 120  # open questions in each guide's queue (a realistic working stock)
PENDING_PER_PARTNER = 300
SEARCH_TERMS = (
    "chauffeur",
    "verzorgende",
    "kok",
    "magazijnmedewerker",
    "lasser",
    "schoonmaker",
    "monteur",
    "administratief medewerker",
    "verkoper",
    "zorg",
    "heftruckchauffeur",
    "productiemedewerker",
    "elektricien",
    "klantenservice",
    "timmerman",
    "onderwijsassistent",
    "beveiliger",
    "hovenier",
    "programmeur",
    "kassamedewerker",
)


def totp_key(username: str) -> str:
    """The TOTP key of a load-test account: 20 bytes, hex, derived from the user name."""
    return hashlib.sha1(f"werkcentrum-loadtest:{username}".encode()).hexdigest()


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkcentrum.config.settings.production")
    import django

    django.setup()


def _user(username: str, *, password_hash: str, **fields):
    from werkcentrum.accounts.models import User

    user, _created = User.objects.update_or_create(
        username=username,
        defaults={"password": password_hash, "is_active": True, "email": "", **fields},
    )
    return user


def _device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        name="loadtest",
        defaults={"key": totp_key(user.username), "confirmed": True, "last_t": -1},
    )
    return device


def _session(user, device=None) -> str:
    """A logged-in session, as ``login()`` (and ``otp_login()`` for staff) leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        from django_otp import DEVICE_ID_SESSION_KEY

        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def _forget_sessions(previous: Path) -> int:
    from importlib import import_module

    from django.conf import settings

    try:
        earlier = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    engine = import_module(settings.SESSION_ENGINE)
    keys = [a["session"] for group in earlier.get("accounts", {}).values() for a in group]
    for key in keys:
        if key:
            engine.SessionStore(session_key=key).delete()
    return len(keys)


def _fill_queues(region, guides) -> int:
    """Give every load-test guide a queue of open questions, taken over from generated guides."""
    from werkcentrum.frontdoor.models import Contact
    from werkcentrum.frontdoor.states import ContactStatus

    moved = 0
    for guide in guides:
        have = Contact.objects.filter(owner_user=guide, status=ContactStatus.OPEN).count()
        need = QUEUE_PER_GUIDE - have
        if need <= 0:
            continue
        donors = list(
            Contact.objects.filter(
                region=region,
                status=ContactStatus.OPEN,
                owner_user__username__startswith="synthetic-",
            )
            .order_by("id")
            .values_list("pk", flat=True)[:need]
        )
        moved += Contact.objects.filter(pk__in=donors).update(owner_user=guide)
    return moved


def _top_up_handovers(region, partners, guide, rng: random.Random) -> int:
    """Pending handovers for every partner, made through the services as a guide would."""
    from django.db import transaction
    from django.utils import timezone

    from werkcentrum.frontdoor import services
    from werkcentrum.frontdoor.models import Handover
    from werkcentrum.frontdoor.persons import create_person
    from werkcentrum.frontdoor.states import HandoverStatus
    from werkcentrum.regions.models import Municipality

    municipalities = list(Municipality.objects.filter(region=region))
    made = 0
    for partner in partners:
        have = Handover.objects.filter(partner=partner, status=HandoverStatus.PENDING).count()
        for i in range(max(0, PENDING_PER_PARTNER - have)):
            municipality = rng.choice(municipalities)
            with transaction.atomic():
                person = create_person(
                    region,
                    first_name=rng.choice(("Anna", "Bram", "Fatma", "Jeroen", "Sanne", "Yusuf")),
                    last_name=f"Loadtest {partner.pk}-{have + i}",
                    email=f"person-{partner.pk}-{have + i}@loadtest.example",
                    municipality=municipality,
                )
                contact = services.register_contact(
                    region=region,
                    channel="phone",
                    asker_type="resident",
                    question=rng.choice(SEARCH_TERMS).capitalize()
                    + ": ik zoek werk en wil weten wat er kan.",
                    created_by=guide,
                    municipality=municipality,
                    person=person,
                )
                consent = services.record_consent(
                    contact,
                    guide,
                    partner=partner,
                    categories=["contact_details", "question", "situation"],
                    valid_until=timezone.localdate() + timedelta(days=90),
                )
                services.create_handover(contact, guide, partner=partner, consent=consent)
            made += 1
    return made


def _context(region) -> dict:
    from werkcentrum.employers.models import Chain
    from werkcentrum.regions.models import Municipality, Partner, Subregion
    from werkcentrum.regions.postcodes import DEFAULT_PATH
    from werkcentrum.vacancies.models import EDUCATION_LEVELS

    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    codes = {m.code for m in municipalities}
    postcodes = []
    for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[1:]:
        low, high, code = line.split(",")[:3]
        if code.strip() in codes:
            postcodes += [str(pc4) for pc4 in range(int(low), int(high) + 1)]
    return {
        "municipalities": [m.pk for m in municipalities],
        "municipality_codes": sorted(codes),
        "postcodes": postcodes,
        "handover_partners": list(
            Partner.objects.filter(region=region, code__in=PARTNERS).values_list("pk", flat=True)
        ),
        "subregions": list(Subregion.objects.filter(region=region).values_list("code", flat=True)),
        "chains": list(Chain.values),
        "education_levels": [value for value, _label in EDUCATION_LEVELS],
        "search_terms": list(SEARCH_TERMS),
    }


def prepare(out: Path) -> dict:
    _setup()
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from werkcentrum.accounts.models import Role
    from werkcentrum.employers.models import Employer
    from werkcentrum.frontdoor.models import Person
    from werkcentrum.portal.models import PortalSearch
    from werkcentrum.regions.models import Partner, Region, WalkInPoint

    rng = random.Random(7)
    region = Region.objects.get(code=REGION)
    forgotten = _forget_sessions(out)
    password_hash = make_password(PASSWORD)  # one hash for all: 1,000,000 PBKDF2 rounds each
    points = list(WalkInPoint.objects.filter(region=region).order_by("id"))
    accounts: dict[str, list[dict]] = {
        "guides": [],
        "partner_employees": [],
        "employers": [],
        "residents": [],
        "login": [],
    }

    guides = []
    for i in range(1, GUIDES + 1):
        point = points[i % len(points)]
        guide = _user(
            f"{PREFIX}guide-{i:02d}",
            password_hash=password_hash,
            role=Role.GUIDE,
            region=region,
            walk_in_point=point,
            first_name="Gids",
            last_name=f"Load {i:02d}",
        )
        guides.append(guide)
        accounts["guides"].append(
            {
                "username": guide.username,
                "session": _session(guide, _device(guide)),
                "walk_in_point": point.pk,
                "municipality": point.municipality_id,
            }
        )
    partners = list(Partner.objects.filter(region=region, code__in=PARTNERS).order_by("code"))
    for partner in partners:
        for n in range(1, EMPLOYEES_PER_PARTNER + 1):
            employee = _user(
                f"{PREFIX}{partner.code}-{n}",
                password_hash=password_hash,
                role=Role.PARTNER_EMPLOYEE,
                region=region,
                partner=partner,
                first_name="Partner",
                last_name=f"{partner.code} {n}",
            )
            accounts["partner_employees"].append(
                {
                    "username": employee.username,
                    "session": _session(employee, _device(employee)),
                    "partner": partner.pk,
                    "partner_code": partner.code,
                }
            )
    employers = list(
        Employer.objects.filter(region=region).order_by("id")[: EMPLOYERS + LOGIN_ACCOUNTS]
    )
    for i, employer in enumerate(employers[:EMPLOYERS], start=1):
        user = _user(
            f"{PREFIX}employer-{i:02d}",
            password_hash=password_hash,
            role=Role.EMPLOYER,
            region=region,
            employer=employer,
        )
        accounts["employers"].append(
            {"username": user.username, "session": _session(user), "employer": employer.pk}
        )
    for i in range(1, RESIDENTS + 1):
        username = f"{PREFIX}resident-{i:03d}"
        person = Person.objects.filter(account__username=username).first()
        if person is None:
            person = Person.objects.create(
                region=region,
                first_name="Bewoner",
                last_name=f"Load {i:03d}",
                email=f"{username}@loadtest.example",
                municipality=points[i % len(points)].municipality,
            )
        user = _user(
            username, password_hash=password_hash, role=Role.RESIDENT, region=region, person=person
        )
        accounts["residents"].append({"username": user.username, "session": _session(user)})
    for i in range(1, LOGIN_ACCOUNTS + 1):
        guide = _user(
            f"{PREFIX}login-guide-{i}",
            password_hash=password_hash,
            role=Role.GUIDE,
            region=region,
            walk_in_point=points[i % len(points)],
        )
        _device(guide)
        accounts["login"].append(
            {
                "username": guide.username,
                "session": "",
                "totp_key": totp_key(guide.username),
                "landing": "/guide/",
            }
        )
        employer_user = _user(
            f"{PREFIX}login-employer-{i}",
            password_hash=password_hash,
            role=Role.EMPLOYER,
            region=region,
            employer=employers[EMPLOYERS + i - 1],
        )
        accounts["login"].append(
            {
                "username": employer_user.username,
                "session": "",
                "totp_key": "",
                "landing": "/portal/",
            }
        )

    PortalSearch.objects.filter(user__username__startswith=PREFIX).delete()
    AccessAttempt.objects.filter(username__startswith=PREFIX).delete()
    AccessFailureLog.objects.filter(username__startswith=PREFIX).delete()
    moved = _fill_queues(region, guides)
    made = _top_up_handovers(region, partners, guides[0], rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = {
        "password": PASSWORD,
        "accounts": accounts,
        "context": _context(region),
        "prepared": {
            "sessions_deleted": forgotten,
            "contacts_moved_to_guide_queues": moved,
            "handovers_made": made,
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    os.chmod(out, 0o600)  # session keys
    return result


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: prepare.py OUT.json")
    done = prepare(Path(sys.argv[1]))
    print(json.dumps(done["prepared"]))
