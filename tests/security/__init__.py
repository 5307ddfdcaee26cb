"""Authorisation, proven (issue 7, part 1): every page and API operation for every role.

``access.py`` holds the expectations (who gets in, what a refused role gets, which list shows
what); ``test_access_matrix.py`` checks them against the URL configuration and the OpenAPI
schema; ``test_leakage.py`` has the explicit cross-partner, resident-to-resident,
employer-to-employer and region-to-region tests.

This module builds the *world* both test modules share: one user per role and, owned by those
users, one object of every kind a URL can point at (a contact handed over to partner A, a
resident's question, consent, booking and voucher application, an employer with a vacancy and
a proposed candidate, an event, a trajectory, a report, ...). The world is built once per test
module inside an outer transaction that is rolled back at the end; every request of a test runs
inside a savepoint that is rolled back too, so a request (even an allowed POST) never changes
what the next role sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from json import dumps

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from tests.conftest import ensure_regions, make_user
from werkcentrum.accounts.models import Role

# -- roles -------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
RESIDENT = "resident"
EMPLOYER = "employer"  # a portal user of employer A
GUIDE = "guide"  # Twente
COORDINATOR = "coordinator"  # Twente
ADVISER = "employer_adviser"  # Twente (employer services)
PARTNER_A = "partner_a"  # UWV Twente: the contact's handover is theirs
PARTNER_B = "partner_b"  # Enschede social assistance: another organisation
FUND = "fund"  # the Twents Fonds voor Vakmanschap (a partner employee of the training fund)
MANAGER = "manager"  # Twente
ADMINISTRATOR = "administrator"  # Twente, is_staff and superuser
GUIDE_ACHTERHOEK = "guide_achterhoek"  # another region

ROLES = (
    ANONYMOUS,
    RESIDENT,
    EMPLOYER,
    GUIDE,
    COORDINATOR,
    ADVISER,
    PARTNER_A,
    PARTNER_B,
    FUND,
    MANAGER,
    ADMINISTRATOR,
    GUIDE_ACHTERHOEK,
)

# -- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role (and resident_y, employer_b) -> User
    sessions: dict = field(default_factory=dict)  # the same -> session key
    objects: dict = field(default_factory=dict)  # name -> model instance or token
    marks: dict = field(default_factory=dict)  # name -> text that identifies it on a page

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, role: str) -> Client:
        """The client of ``role``, with only its session cookie: whatever the previous request
        set (a new session after a logout, messages) is forgotten. Clients are reused: a new
        one loads the middleware again (WhiteNoise scans every static file)."""
        client = self.__dict__.setdefault("_clients", {}).get(role)
        if client is None:
            client = self._clients[role] = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.cookies = SimpleCookie()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if role != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _login(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world() -> World:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests import factories
    from tests.events.conftest import make_event
    from tests.menu.helpers import make_service
    from tests.vouchers.conftest import TRAINING, record_llo
    from werkcentrum.appointments import services as appointments
    from werkcentrum.budget.loader import load_budgets
    from werkcentrum.candidates import services as candidates
    from werkcentrum.employers.models import Employer, EmployerContactPerson, NpsSurvey
    from werkcentrum.events import services as events
    from werkcentrum.frontdoor import services as frontdoor
    from werkcentrum.frontdoor.models import Channel
    from werkcentrum.frontdoor.views import RECEIPT_SALT
    from werkcentrum.matching.services import reset_indexes
    from werkcentrum.monitoring.loader import load_targets
    from werkcentrum.monitoring.models import ReportJob
    from werkcentrum.occupations.normalise import default_normaliser
    from werkcentrum.outbox.models import OutboundEmail
    from werkcentrum.regions.models import Municipality, Partner, Region
    from werkcentrum.residents import services as residents
    from werkcentrum.residents.accounts import make_login_token, register_by_email
    from werkcentrum.training.models import Training
    from werkcentrum.vacancies.models import Vacancy
    from werkcentrum.vouchers import services as vouchers

    ensure_regions()
    reset_indexes()
    w = World()
    o = w.objects
    twente = Region.objects.get(code="twente")
    achterhoek = Region.objects.get(code="achterhoek")
    oldenzaal = twente.walk_in_points.get(code="oldenzaal-sociaal-plein")
    municipality = Municipality.objects.get(name="Oldenzaal")
    partner_a = Partner.objects.get(code="uwv-twente")
    partner_b = Partner.objects.get(code="gm0153-social_assistance")
    fund = Partner.objects.get(code="twents-fonds-voor-vakmanschap")
    o.update(twente=twente, achterhoek=achterhoek, partner_a=partner_a, partner_b=partner_b)
    o["walk_in_point"] = oldenzaal

    # -- people and users
    def resident(first, last):
        email = f"{first.lower()}.{last.lower().replace(' ', '')}@example.org"
        factories.person(twente, first=first, last=last, email=email)
        user, _created = register_by_email(twente, first_name=first, last_name=last, email=email)
        return user

    employer_a = Employer.objects.create(
        region=twente, name="Zorggroep Alfa", kvk_number="12345678", chain="care"
    )
    employer_b = Employer.objects.create(
        region=twente, name="Bouwbedrijf Beta", kvk_number="87654321", chain="construction"
    )
    EmployerContactPerson.objects.create(employer=employer_a, name="Hanna HR", email="hr@alfa.nl")
    u = w.users
    u[RESIDENT] = resident("Yvonne", "Jansen")
    u["resident_y"] = resident("Karel", "Bosschaart")
    u[EMPLOYER] = make_user("werkgever_a", Role.EMPLOYER, twente, employer=employer_a)
    u["employer_b"] = make_user("werkgever_b", Role.EMPLOYER, twente, employer=employer_b)
    u[GUIDE] = make_user("guide", Role.GUIDE, twente, walk_in_point=oldenzaal)
    u[COORDINATOR] = make_user("coordinator", Role.COORDINATOR, twente)
    u[ADVISER] = make_user("adviser", Role.EMPLOYER_ADVISER, twente)
    u[PARTNER_A] = make_user("uwv_employee", Role.PARTNER_EMPLOYEE, twente, partner=partner_a)
    u[PARTNER_B] = make_user("enschede_employee", Role.PARTNER_EMPLOYEE, twente, partner=partner_b)
    u[FUND] = make_user("fonds", Role.PARTNER_EMPLOYEE, twente, partner=fund)
    u[MANAGER] = make_user("manager", Role.MANAGER, twente)
    u[ADMINISTRATOR] = make_user(
        "admin", Role.ADMINISTRATOR, twente, is_staff=True, is_superuser=True
    )
    u[GUIDE_ACHTERHOEK] = make_user("guide_ah", Role.GUIDE, achterhoek)
    x, y, guide = u[RESIDENT], u["resident_y"], u[GUIDE]

    # -- the front door: X's question handed over to partner A, Y's to partner B
    def question(person, text, municipality="Oldenzaal", user=guide, region=twente):
        return frontdoor.register_contact(
            region=region,
            channel=Channel.WALK_IN,
            asker_type="resident",
            question=text,
            created_by=user,
            walk_in_point=user.walk_in_point or region.walk_in_points.first(),
            person=person,
            municipality=Municipality.objects.get(name=municipality),
        )

    def hand_over(contact, partner):
        consent = frontdoor.record_consent(
            contact, guide, partner=partner, categories=["contact_details", "question"]
        )
        return consent, frontdoor.create_handover(contact, guide, partner=partner, consent=consent)

    o["contact"] = question(x.person, "Ik heb een WW-uitkering en zoek werk in de zorg.")
    o["consent"], o["handover"] = hand_over(o["contact"], partner_a)
    o["contact_b"] = question(y.person, "Ik heb schulden en een bijstandsuitkering.", "Enschede")
    o["consent_b"], o["handover_b"] = hand_over(o["contact_b"], partner_b)
    trajectory_person = factories.person(twente, first="Tessa", last="Trajectman")
    o["contact_t"] = question(trajectory_person, "Ik wil een loopbaanadvies.")
    frontdoor.start_advice(o["contact_t"], guide, "Loopbaanadvies", goal="Nieuw werk vinden")
    o["trajectory"] = o["contact_t"].trajectories.get()
    ah_person = factories.person(
        achterhoek, first="Anouk", last="Achterveld", municipality="Doetinchem"
    )
    o["contact_ah"] = question(
        ah_person, "Ik zoek werk.", "Doetinchem", user=u[GUIDE_ACHTERHOEK], region=achterhoek
    )
    o["receipt"] = signing.dumps(o["contact"].pk, salt=RECEIPT_SALT)

    # -- appointments: X and Y booked by the guide; free times left for the resident
    day = timezone.localdate() + timedelta(days=3)
    slots = appointments.publish_availability(guide, oldenzaal, day, "09:00", "11:00")
    o["booking"] = appointments.book(guide, slots[0], x.person, o["contact"])
    o["booking_y"] = appointments.book(guide, slots[1], y.person, o["contact_b"])
    o["free_slot"] = slots[2]

    # -- employers, vacancies, candidates and proposals
    occupation = default_normaliser().normalise("verzorgende", top=1)[0]

    def vacancy(employer, title):
        return Vacancy.objects.create(
            region=twente,
            employer=employer,
            title=title,
            esco_id=occupation.esco_id,
            occupation_label=occupation.label,
            isco_group=occupation.isco_group,
            hours=28,
            municipality=municipality,
        )

    o["employer"], o["employer_b"] = employer_a, employer_b
    o["vacancy"] = vacancy(employer_a, "Verzorgende IG Alfa")
    o["vacancy_b"] = vacancy(employer_b, "Verzorgende IG Beta")

    def propose(person, vac):
        profile = candidates.save_profile(
            u[ADVISER],
            person=person,
            occupations=[occupation.esco_id],
            consent=True,
            municipality=municipality,
            hours_min=16,
            hours_max=32,
        )
        proposal = candidates.shortlist(u[ADVISER], vacancy=vac, candidate=profile, match={})
        return profile, candidates.move_proposal(u[ADVISER], proposal, "proposed")

    o["candidate"], o["proposal"] = propose(x.person, o["vacancy"])
    o["candidate_y"], o["proposal_b"] = propose(y.person, o["vacancy_b"])
    candidates.decide_identity(y, o["proposal_b"], share=True)  # employer B may know Y
    o["nps_token"] = NpsSurvey.objects.create(
        employer=employer_a, trigger="placement", trigger_ref="security-1", sent_to="hr@alfa.nl"
    ).token

    # -- training, service menu, events
    o["training"] = Training.objects.create(
        region=twente,
        key="security-verzorgende-ig",
        title="Verzorgende IG (BBL)",
        provider="ROC van Twente",
        description="Je leert zorgen voor ouderen.",
        level="mbo3",
        sector="care",
        learning_form="bbl",
        duration_weeks=104,
        cost_eur=1440,
        funding=["employer"],
    )
    o["service"] = make_service(twente, "security-jobcoach")
    o["event"] = make_event(u[ADVISER])
    o["registration"] = events.register(o["event"], user=x)
    anonymous = events.register(
        o["event"], name="Anna de Vries", email="anna@example.org", consent=True
    )
    o["cancel_token"] = events.cancel_link_token(anonymous)

    # -- the training fund: X's and Y's own applications, employer A's for an employee
    vouchers.sync_budgets(twente, timezone.localdate().year)
    record_llo(u[FUND], x.person)
    record_llo(u[FUND], y.person)
    o["application"] = vouchers.apply_as_resident(x, **TRAINING)
    o["application_y"] = vouchers.apply_as_resident(y, **TRAINING)
    employee = factories.person(twente, first="Bas", last="Oude Luttikhuis")
    llo = record_llo(u[FUND], employee, employer=employer_a)
    o["employer_application"] = vouchers.apply_as_employer(
        u[EMPLOYER], llo_conversation=llo, cofinancing=400, **TRAINING
    )

    # -- My Werkcentrum: Y asked for deletion
    o["deletion_request"] = residents.request_deletion(y, reason="Verwijder alles van Karel.")

    # -- the budget and the monitoring targets of Twente, and a finished report
    load_budgets("twente")
    load_targets("twente")
    o["drill_indicator"] = "contacts"
    o["report"] = ReportJob.objects.create(
        region=twente,
        kind="annual",
        year=timezone.localdate().year,
        requested_by=u[MANAGER],
        status=ReportJob.Status.DONE,
        progress=100,
        title="Jaarverslag",
        filename="jaarverslag",
        pdf=b"%PDF-1.4 security test",
        html="<!doctype html><title>Jaarverslag</title>",
    )

    # -- what identifies each thing on a page
    w.marks.update(
        contact=o["contact"].reference,
        contact_b=o["contact_b"].reference,
        contact_t=o["contact_t"].reference,
        contact_ah=o["contact_ah"].reference,
        resident="Yvonne Jansen",
        resident_email=x.person.email,
        resident_y_email=y.person.email,
        resident_y="Karel Bosschaart",
        vacancy="Verzorgende IG Alfa",
        vacancy_b="Verzorgende IG Beta",
        employer="Zorggroep Alfa",
        employer_b="Bouwbedrijf Beta",
        application=o["application"].reference,
        application_y=o["application_y"].reference,
        employer_application=o["employer_application"].reference,
        trajectory_person="Tessa Trajectman",
        achterhoek_person="Anouk Achterveld",
        partner_a=partner_a.name,
        partner_b=partner_b.name,
        event=o["event"].title,
        report="Jaarverslag",
    )
    # -- an e-mail in the outbox, an (unconfirmed) authenticator of the administrator
    o["email"] = OutboundEmail.objects.order_by("pk").first()
    o["totp_device"] = TOTPDevice.objects.create(
        user=u[ADMINISTRATOR], name="authenticator", confirmed=False
    )

    w.sessions = {name: _login(user) for name, user in u.items()}
    x.refresh_from_db()  # logging in changed the fingerprint a login link carries
    o["login_token"] = make_login_token(x)
    return w


def world_fixture(django_db_setup, django_db_blocker):
    """Module fixture body: the world inside a transaction that is rolled back afterwards."""
    from werkcentrum.matching.services import reset_indexes

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            reset_indexes()


# -- requests ------------------------------------------------------------------------------------

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class Outcome:
    response: object
    writes: list  # tables written to

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def location(self) -> str:
        return self.response.get("Location", "")

    def text(self) -> str:
        if getattr(self.response, "streaming", False):
            return b"".join(self.response.streaming_content).decode("utf-8", "replace")
        return self.response.content.decode("utf-8", "replace")


def call(
    world: World, role: str, method: str, url: str, data=None, *, json=False, keep=False
) -> Outcome:
    """One request as ``role``, in a savepoint that is rolled back (``keep``: kept until the
    end of the test, to look at the database afterwards); with the tables it wrote to."""
    writes: list[str] = []

    def record(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            writes.append(match.group(1).lower())
        return execute(sql, params, many, context)

    client = world.client(role)
    with transaction.atomic(), connection.execute_wrapper(record):
        if method == "GET":
            response = client.get(url, data or {})
        elif json:
            response = client.post(url, dumps(data or {}), content_type="application/json")
        else:
            response = client.post(url, data or {})
        if not keep:
            transaction.set_rollback(True)
    return Outcome(response, writes)
