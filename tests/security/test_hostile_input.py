"""Hostile input for every form, import and CLI command: HTML/script, SQL-looking text, NUL and
control characters, 100,000-character strings, values of the wrong type, huge files and wrong
encodings.

Expected everywhere: never a 500; a value that cannot be valid (NUL, too long, a wrong type) is
refused with a visible error and changes nothing in the database; text that may be valid
(script, SQL, control characters) is either refused or stored verbatim, and wherever it is
shown again it is escaped (the raw ``<script>`` never appears in a response).

The forms are driven by a table (``FORMS``): the page that shows the form, who fills it in and
the values that make it valid. The default values come from the page itself (what a browser
would send), so a field added to a form is attacked without touching this file; a form class
without a row fails ``test_every_form_class_is_covered``.

The pages run against the demo data (``load_demo``), loaded once per module inside a
transaction; every request runs in a savepoint that is rolled back, so one attack cannot
change the ground for the next.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import inspect
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django import forms as django_forms
from django.apps import apps
from django.core.management import ManagementUtility
from django.db import connection, connections, transaction

from tests.conftest import ensure_regions
from werkcentrum.core.demo import DEMO_PASSWORD

# -- hostile values ----------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE x; --"
NUL = "a\x00b"
CONTROL = "a\x01\x07\x1b[31m\u202e\ufeffb"
LONG = "x" * 100_000

DIGITS = "12\u00b2"  # str.isdigit() says yes, int() says no

# Text that may be valid in a free-text field: stored verbatim or refused, escaped when shown.
MAYBE_VALID = {"script": SCRIPT, "img": IMG, "sql": SQL, "control": CONTROL, "digits": DIGITS}
# Values no field accepts: NUL (no database stores it) and 100,000 characters. In a field that
# is not free text (a choice, number, date or reference) nothing hostile is valid.
NEVER_VALID = {"nul": NUL, "long": LONG}

HOSTILE = MAYBE_VALID | NEVER_VALID

# The attack's markup is live when a tag carrying it survives; shown escaped it is harmless.
RAW_MARKUP = re.compile(r"<\s*(script|img)\b[^<>]*?(alert\(1\)|onerror)|<script>alert", re.I)
ESCAPED_FORMS = (
    "&lt;script&gt;alert(1)",
    "&lt;img",
    "\\u003Cscript",
    "\\u003Cimg",
    "%3Cscript",
    "%3Cimg",
)
ERROR_MARKERS = ("alert--error", "form-field--invalid", "form-field__error", "errorlist")
# Written by reads and refusals too (processing log, audit of denied attempts, search log).
LOG_MODELS = {"privacy.ProcessingLogEntry", "privacy.AuditEvent", "portal.PortalSearch"}


# -- the page's forms as a browser sees them ------------------------------------------------------


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self._form["fields"] = {}
            self.forms.append(self._form)
        elif self._form is None or not (a.get("name") or tag == "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                return
            entry = self._form["fields"].setdefault(a["name"], {"kind": kind, "values": []})
            if kind in {"checkbox", "radio"}:
                entry.setdefault("options", []).append(a.get("value", "on"))
                if "checked" in a:
                    entry["values"].append(a.get("value", "on"))
            elif kind != "file":
                entry["values"].append(a.get("value", ""))
        elif tag == "select":
            self._select = self._form["fields"].setdefault(
                a["name"],
                {"kind": "select", "values": [], "options": [], "multiple": "multiple" in a},
            )
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = self._form["fields"].setdefault(
                a["name"], {"kind": "textarea", "values": [""]}
            )

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["values"][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea["values"][0] = self._textarea["values"][0].removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = [
                o["value"] if o["value"] is not None else o["text"].strip()
                for o in self._select["options"]
            ]
            chosen = [v for v, o in zip(options, self._select["options"]) if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            self._select.update(options=options, values=chosen)
            self._select = None


def page_form(html: str, action: str, page: str, method: str) -> dict:
    """The form on the page that submits to ``action`` (an empty action is the page itself)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        target = urlsplit(form["action"] or page).path
        if target == urlsplit(action).path and form["method"] == method:
            return form
    actions = [f["action"] or page for f in parser.forms]
    raise AssertionError(f"no form for {action} on {page} (forms: {actions})")


# -- database fingerprint -------------------------------------------------------------------------


def _counted_tables() -> list[str]:
    return [
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("werkcentrum")
        and model._meta.label not in LOG_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ] + ["auth_group", "authtoken_token", "django_otp_static_staticdevice"]


def row_counts() -> dict[str, int]:
    """Rows of every table of the project (logs left out), in one query."""
    tables = [t for t in _counted_tables() if t in _existing_tables()]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def fingerprint(form: Form | None = None):
    """What a refused submission must leave as it was: the row counts and the watched rows."""
    return row_counts(), (form.watch() if form is not None and form.watch else None)


_TABLES: set[str] = set()


def _existing_tables() -> set[str]:
    if not _TABLES:
        _TABLES.update(connection.introspection.table_names())
    return _TABLES


@contextlib.contextmanager
def rolled_back():
    """Whatever happens inside is undone (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# -- the demo world -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_regions()
            from werkcentrum.core.demo import load_demo

            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def user(name):
    from werkcentrum.accounts.models import User
    from werkcentrum.core.demo import RESIDENT_LOGIN

    if name == "resident":
        return User.objects.get(email=RESIDENT_LOGIN, role="resident")
    return User.objects.get(username=name)


def login(client, name):
    client.logout()
    if name is not None:
        client.force_login(user(name))
    return client


# -- the forms ----------------------------------------------------------------------------------


def pk(label: str, **filters) -> int:
    found = (
        apps.get_model(label).objects.filter(**filters).order_by("pk").values_list("pk", flat=True)
    )
    value = found.first()
    assert value is not None, f"no {label} with {filters} in the demo data"
    return value


def municipality(name="Oldenzaal") -> int:
    return pk("regions.Municipality", name=name)


@dataclass
class Form:
    """A form as a browser submits it. ``action``, ``page`` and ``data`` may be callables (they
    need the demo rows). ``page`` None: no page shows it as a form (htmx, links), ``data`` is all.
    ``ignored``: fields whose bad values the view may drop instead of refusing (they change
    nothing that matters, e.g. a ``next`` URL)."""

    name: str
    classes: tuple[str, ...]
    user: str | None
    action: str | Callable[[], str]
    page: str | Callable[[], str] | None = ""
    data: dict | Callable[[], dict] = field(default_factory=dict)
    method: str = "post"
    ok: tuple[int, ...] = (302,)
    ignored: tuple[str, ...] = ()
    fill_empty: str | None = None  # for the page's empty fields (e.g. a table of amounts)
    alike: str = ""  # a pattern of fields made alike (a table of them): the first is attacked
    watch: Callable[[], object] | None = None

    def resolve(self, value):
        return value() if callable(value) else value

    def __str__(self):
        return self.name


def _contact(**filters):
    return pk("frontdoor.Contact", **filters)


def open_contact():
    """An open question of the guide 'gids', with a person and no pending handover."""
    from werkcentrum.frontdoor.models import Contact

    contact = (
        Contact.objects.filter(owner_user__username="gids", status="open", person__isnull=False)
        .exclude(handovers__status="pending")
        .order_by("pk")
        .first()
    )
    assert contact is not None
    return contact.pk


def totp_token(name: str) -> str:
    """The current code of the authenticator the setup page just made."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user(name), confirmed=False)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def nps_token() -> str:
    from werkcentrum.employers.models import Employer, NpsSurvey

    survey, _created = NpsSurvey.objects.get_or_create(
        trigger="question_closed",
        trigger_ref="hostile-input",
        defaults={"employer": Employer.objects.first(), "sent_to": "hr@example.org"},
    )
    return survey.token


def esco_id(title: str) -> str:
    from werkcentrum.occupations.normalise import default_normaliser

    return default_normaliser().normalise(title, top=1)[0].esco_id


def vacancy() -> int:
    return pk("vacancies.Vacancy", employer=user("werkgever").employer_id, proposals__isnull=False)


def trajectory() -> int:
    found = apps.get_model("trajectories.Trajectory").objects.filter(
        adviser__username="gids", closed_at__isnull=True
    )
    if not found.exists():  # the demo has none
        from werkcentrum.frontdoor.services import start_advice

        contact = apps.get_model("frontdoor.Contact").objects.get(pk=open_contact())
        start_advice(contact, user("gids"), goal="Werk")
    return found.order_by("pk").values_list("pk", flat=True).first()


def free_slot() -> int:
    from django.utils import timezone

    return pk(
        "appointments.Slot",
        walk_in_point__code="oldenzaal-sociaal-plein",
        starts_at__gt=timezone.now(),
        bookings__isnull=True,
    )


def booking() -> int:
    return pk("appointments.Booking", cancelled_at=None)


def talent_token() -> str:
    from werkcentrum.orientation import tokens
    from werkcentrum.orientation.talentwall import Profile

    return tokens.dumps(Profile(scores=(60, 40, 20, 80, 50, 30)))


def public_event() -> int:
    from django.utils import timezone

    return pk("events.Event", published=True, starts_at__gt=timezone.now(), audience="residents")


def past_event() -> int:
    """An event that took place, with a registration to tick."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.events.conftest import anonymous
    from werkcentrum.events.models import Event

    event = Event.objects.order_by("pk").first()
    if not event.registrations.exists():
        anonymous(event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    return event.pk


def service(awaiting_approval=False) -> int:
    from werkcentrum.menu import services
    from werkcentrum.menu.models import Service

    found = Service.objects.filter(region__code="twente", active=True).order_by("pk").first()
    if awaiting_approval and found.approved_on is not None:
        services.edit_service(found, user("coordinator"), {"description": "Nieuwe versie."})
    return found.pk


def deletion_request() -> int:
    from werkcentrum.residents.models import DeletionRequest
    from werkcentrum.residents.services import request_deletion

    found = DeletionRequest.objects.order_by("pk").first()
    return (found or request_deletion(user("resident"), reason="Niet meer nodig.")).pk


def today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def monday(weeks: int) -> str:
    """A Monday some weeks ahead (a working day, whatever today is)."""
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(weeks=weeks)
    return (day - timedelta(days=day.weekday())).isoformat()


def application(status: str) -> int:
    from werkcentrum.vouchers import services
    from werkcentrum.vouchers.models import Application

    if status == "completed" and not Application.objects.filter(status=status).exists():
        committed = Application.objects.filter(status="committed").order_by("pk").first()
        services.register_completion(
            user("fonds"), committed, completed_on=committed.submitted_at.date(), proof="Diploma"
        )
    return pk("vouchers.Application", status=status)


def own_application(name: str) -> int:
    """A submitted application the resident or employer can still withdraw."""
    from werkcentrum.vouchers import selectors, services
    from werkcentrum.vouchers.forms import ApplicationForm, EmployerApplicationForm
    from werkcentrum.vouchers.models import Application

    mine = Application.objects.visible_to(user(name)).filter(status="submitted")
    if not mine.exists() and name == "resident":
        form = ApplicationForm(data=TRAINING)
        assert form.is_valid(), form.errors
        services.apply_as_resident(user(name), **form.service_data())
    elif not mine.exists():
        conversations = selectors.company_llo_conversations(user(name))
        form = EmployerApplicationForm(
            data={**TRAINING, "llo_conversation": company_llo()}, conversations=conversations
        )
        assert form.is_valid(), form.errors
        data = form.service_data()
        data.pop("cofinancier", None)
        services.apply_as_employer(user(name), cofinancier="Werkgever", **data)
    return mine.order_by("pk").values_list("pk", flat=True).first()


def company_llo() -> int:
    """An LLO conversation that names the demo employer, so the employer can apply."""
    from tests.vouchers.conftest import record_llo
    from werkcentrum.vouchers.selectors import company_llo_conversations

    open_ = company_llo_conversations(user("werkgever"))
    if open_:
        return open_[0].pk
    employer = user("werkgever").employer
    return record_llo(user("fonds"), factory_person("Sem", "Smit"), employer=employer).pk


def factory_person(first, last):
    from tests import factories

    return factories.person(
        apps.get_model("regions.Region").objects.get(code="twente"), first, last
    )


TRAINING = {
    "training_title": "Verzorgende IG (BBL)",
    "provider": "ROC van Twente",
    "level": "mbo3",
    "sector": "care",
    "cost": "1440",
}


def contact_page(pk_):
    return f"/guide/contacts/{pk_}/"


FORMS = [
    # -- front door: public, guide, partner, coordinator
    Form(
        "public question",
        ("frontdoor.PublicQuestionForm",),
        None,
        "/vraag/",
        data=lambda: {
            "question": "Ik zoek werk in de zorg.",
            "municipality": municipality(),
            "reply_by": "none",
            "privacy_ok": "on",
        },
    ),
    Form(
        "intake",
        ("frontdoor.IntakeForm",),
        "gids",
        "/guide/new/",
        data=lambda: {"question": "Ik zoek werk in de zorg.", "municipality": municipality()},
    ),
    Form(
        "triage preview",
        (),
        "gids",
        "/guide/triage-preview/",
        page=None,
        ok=(200,),
        data=lambda: {
            "question": "Ik heb schulden",
            "municipality": municipality(),
            "age": "30",
            "topics": "debt",
            "work_status": "unemployed",
            "benefit": "none",
            "asker_type": "resident",
        },
        ignored=(
            "question",
            "municipality",
            "age",
            "topics",
            "work_status",
            "benefit",
            "asker_type",
        ),
    ),
    Form(
        "person search",
        ("frontdoor.AttachPersonForm",),
        "gids",
        "/guide/persons/search/",
        page=None,
        method="get",
        ok=(200,),
        data={"last_name": "Jansen", "first_name": "Yvonne", "email": "", "phone": ""},
        ignored=("last_name", "first_name", "email", "phone", "date_of_birth"),
    ),
    Form(
        "answer",
        ("frontdoor.AnswerForm",),
        "gids",
        lambda: f"/guide/contacts/{open_contact()}/answer/",
        page=lambda: contact_page(open_contact()),
        data={"outcome": "Verwezen naar werk.nl."},
    ),
    Form(
        "advice",
        ("frontdoor.AdviceForm",),
        "gids",
        lambda: f"/guide/contacts/{open_contact()}/advice/",
        page=lambda: contact_page(open_contact()),
        data={"goal": "Omscholen", "note": "Afspraak volgt."},
    ),
    Form(
        "handover",
        ("frontdoor.HandoverForm",),
        "gids",
        lambda: f"/guide/contacts/{open_contact()}/handover/",
        page=lambda: contact_page(open_contact()),
        data={"contact_details_checked": "on", "consent_given": "on", "message": "Graag bellen."},
    ),
    Form(
        "override",
        ("frontdoor.OverrideForm",),
        "gids",
        lambda: f"/guide/contacts/{open_contact()}/override/",
        page=lambda: contact_page(open_contact()),
        data={"reason": "Past beter bij de gemeente."},
    ),
    Form(
        "attach person",
        (),
        "gids",
        lambda: f"/guide/contacts/{_contact(owner_user__username='gids', person=None)}/person/",
        page=lambda: contact_page(_contact(owner_user__username="gids", person=None)),
        data={"first_name": "Piet", "last_name": "Klaassen", "email": "piet@example.org"},
    ),
    Form(
        "handover withdraw",
        ("frontdoor.ReasonForm",),
        "gids",
        lambda: (
            f"/guide/handovers/{pk('frontdoor.Handover', status='pending', created_by__username='gids')}/withdraw/"
        ),
        page=lambda: contact_page(
            _contact(handovers__status="pending", handovers__created_by__username="gids")
        ),
        data={"reason": "De persoon heeft zich bedacht."},
    ),
    Form(
        "partner return",
        ("frontdoor.ReturnForm",),
        "uwv",
        lambda: (
            f"/partner/handovers/{pk('frontdoor.Handover', status='pending', partner__code='uwv-twente')}/return/"
        ),
        page=lambda: (
            f"/partner/handovers/{pk('frontdoor.Handover', status='pending', partner__code='uwv-twente')}/"
        ),
        data={"reason": "Hoort bij de gemeente."},
    ),
    Form(
        "reassign",
        ("frontdoor.ReassignForm",),
        "coordinator",
        lambda: f"/coordinator/contacts/{open_contact()}/reassign/",
        page=None,
        data=lambda: {"to_user": pk("accounts.User", username="gids2")},
    ),
    Form(
        "reroute",
        ("frontdoor.RerouteForm",),
        "coordinator",
        lambda: f"/coordinator/handovers/{pk('frontdoor.Handover', status='pending')}/reroute/",
        page=None,
        data=lambda: {
            "partner": pk("regions.Partner", code="gm0153-social_assistance"),
            "reason": "Verkeerde partner.",
        },
    ),
    Form(
        "routing rules",
        ("frontdoor.RulesForm",),
        "coordinator",
        "/coordinator/rules/",
        data={"change_note": "Test"},
    ),
    Form(
        "consent withdraw",
        (),
        "gids",
        lambda: (
            f"/guide/consents/{pk('frontdoor.Consent', withdrawn_at=None, contact__owner_user__username='gids')}/withdraw/"
        ),
        page=None,
        data={"note": "Ingetrokken aan de balie."},
        ignored=("note",),  # optional, cut to 500 characters
    ),
    # -- employer services
    Form(
        "new employer",
        ("employers.EmployerForm",),
        "adviseur",
        "/employers/new/",
        data=lambda: {
            "name": "Bakkerij Test",
            "kvk_number": "12345678",
            "municipality": municipality(),
            "contact_name": "Els",
            "contact_email": "els@example.org",
        },
    ),
    Form(
        "employer contact",
        ("employers.ContactLogForm",),
        "adviseur",
        lambda: f"/employers/{pk('employers.Employer', region__code='twente')}/contact/",
        page=lambda: f"/employers/{pk('employers.Employer', region__code='twente')}/",
        data={"subject": "Kennismaking", "note": "Belt terug."},
    ),
    Form(
        "employer location",
        ("employers.LocationForm",),
        "adviseur",
        lambda: f"/employers/{pk('employers.Employer', region__code='twente')}/locations/",
        page=lambda: f"/employers/{pk('employers.Employer', region__code='twente')}/",
        data=lambda: {
            "name": "Filiaal",
            "street": "Markt 1",
            "postcode": "7571 AA",
            "city": "Oldenzaal",
            "municipality": municipality(),
        },
    ),
    Form(
        "satisfaction survey",
        ("employers.NpsForm",),
        None,
        lambda: f"/tevredenheid/{nps_token()}/",
        ok=(200,),
        data={"score": "9", "comment": "Prima geholpen."},
        watch=lambda: list(apps.get_model("employers.NpsSurvey").objects.values()),
    ),
    Form(
        "new vacancy (employer)",
        ("vacancies.VacancyForm",),
        "werkgever",
        "/vacancies/new/",
        data=lambda: {
            "title": "Kok",
            "esco_id": esco_id("kok"),
            "hours": "32",
            "municipality": municipality(),
            "description": "Koken in ons restaurant.",
        },
        ignored=("employer",),  # an employer's own company, whatever the form says
    ),
    Form(
        "new vacancy (adviser)",
        (),
        "adviseur",
        lambda: f"/vacancies/new/?employer={pk('employers.Employer', region__code='twente')}",
        data=lambda: {
            "title": "Kok",
            "esco_id": esco_id("kok"),
            "hours": "32",
            "municipality": municipality(),
        },
        ignored=("employer",),  # taken from the address
    ),
    Form(
        "vacancy status",
        (),
        "adviseur",
        lambda: f"/vacancies/{vacancy()}/status/",
        page=lambda: f"/vacancies/{vacancy()}/",
        data={"status": "filled"},
    ),
    Form(
        "shortlist",
        (),
        "adviseur",
        lambda: f"/vacancies/{vacancy()}/shortlist/",
        page=None,
        data=lambda: {
            "candidate": pk("candidates.CandidateProfile", consent_given_at__isnull=False)
        },
    ),
    Form(
        "placement",
        ("candidates.PlacementForm",),
        "adviseur",
        lambda: f"/vacancies/{vacancy()}/placement/",
        page=lambda: f"/vacancies/{vacancy()}/",
        data=lambda: {"start_date": monday(weeks=2), "hours": "32"},
    ),
    Form(
        "proposal move",
        (),
        "adviseur",
        lambda: f"/proposals/{pk('candidates.Proposal', vacancy=vacancy())}/move/",
        page=lambda: f"/vacancies/{vacancy()}/",
        data={"note": "Gesprek gepland."},
        ignored=("note",),  # optional, cut to 1000 characters
    ),
    Form(
        "candidate profile",
        ("candidates.CandidateForm",),
        "gids",
        lambda: (
            f"/persons/{pk('frontdoor.Person', last_name='Jansen', first_name='Yvonne')}/candidate/"
        ),
        data=lambda: {
            "title": "Verzorgende",
            "occupations": esco_id("verzorgende"),
            "summary": "Wil de zorg in.",
            "consent": "on",
        },
        ignored=("title",),  # the occupation search box, not saved
        watch=lambda: list(apps.get_model("candidates.CandidateProfile").objects.values()),
    ),
    Form(
        "match weights",
        ("vacancies.WeightsForm",),
        "adviseur",
        lambda: f"/vacancies/{vacancy()}/",
        method="get",
        ok=(200,),
        data={"occupation": "5", "skills": "3"},
    ),
    Form(
        "portal question",
        ("portal.QuestionForm",),
        "werkgever",
        "/portal/question/",
        page="/portal/",
        data={"question": "Hoe werkt loonkostensubsidie?"},
    ),
    Form(
        "portal contact request",
        (),
        "werkgever",
        "/portal/contact-request/",
        page="/portal/candidates/?search=1",
        data={"message": "Graag contact."},
        # The search it came from (checked against the saved search) and an optional
        # message (cut to 2000 characters).
        ignored=("chain", "subregion", "min_education", "message"),
    ),
    Form(
        "portal candidate search",
        (),
        "werkgever",
        "/portal/candidates/",
        method="get",
        ok=(200,),
        data={"search": "1"},
    ),
    # -- trajectories and appointments
    Form(
        "trajectory plan",
        ("trajectories.PlanForm",),
        "gids",
        lambda: f"/trajectories/{trajectory()}/plan/",
        page=lambda: f"/trajectories/{trajectory()}/",
        data={"goal": "Werk in de zorg", "plan": "Opleiding zoeken."},
    ),
    Form(
        "trajectory note",
        ("trajectories.NoteForm",),
        "gids",
        lambda: f"/trajectories/{trajectory()}/notes/",
        page=lambda: f"/trajectories/{trajectory()}/",
        data={"text": "Gebeld."},
    ),
    Form(
        "trajectory close",
        ("trajectories.CloseForm",),
        "gids",
        lambda: f"/trajectories/{trajectory()}/close/",
        page=lambda: f"/trajectories/{trajectory()}/",
        data={"outcome": "work", "note": "Aan het werk."},
    ),
    Form(
        "publish availability",
        ("appointments.PublishForm",),
        "gids",
        "/appointments/",
        data=lambda: {"day": monday(weeks=8), "start": "09:00", "end": "10:00"},
    ),
    Form(
        "book appointment",
        ("appointments.BookForm",),
        "gids",
        lambda: (
            f"/appointments/book/?contact={_contact(person__last_name='Jansen', person__first_name='Yvonne')}"
        ),
        data=lambda: {"slot": free_slot(), "note": "Opleiding bespreken."},
    ),
    Form(
        "choose a place",
        ("appointments.PlaceForm",),
        "gids",
        lambda: (
            f"/appointments/book/?contact={_contact(person__last_name='Jansen', person__first_name='Yvonne')}"
        ),
        method="get",
        ok=(200,),
        data=lambda: {
            "contact": _contact(person__last_name="Jansen", person__first_name="Yvonne"),
            "point": pk("regions.WalkInPoint", code="oldenzaal-sociaal-plein"),
        },
        ignored=("contact",),
    ),
    Form(
        "rebook appointment",
        ("appointments.ChooseSlotForm",),
        "gids",
        lambda: f"/appointments/{booking()}/rebook/",
        data=lambda: {"slot": free_slot()},
    ),
    Form(
        "cancel appointment",
        ("appointments.CancelForm",),
        "gids",
        lambda: f"/appointments/{booking()}/cancel/",
        page="/appointments/",
        data={"reason": "Ziek."},
        ignored=("next",),
    ),
    # -- residents
    Form(
        "resident login",
        ("residents.EmailLinkForm", "residents.PasswordLoginForm"),
        None,
        "/mijn/inloggen/",
        ok=(200, 302),
        data={"email": "nobody@example.org", "send_link": "1"},
        ignored=("next", "send_link", "password"),
    ),
    Form(
        "resident registration",
        ("residents.RegisterForm",),
        None,
        "/mijn/registreren/",
        ok=(200, 302),
        data=lambda: {
            "first_name": "Nieuw",
            "last_name": "Bewoner",
            "email": "nieuw@example.org",
            "municipality": municipality(),
            "privacy_ok": "on",
        },
    ),
    Form(
        "resident question",
        ("residents.QuestionForm",),
        "resident",
        "/mijn/vraag/",
        data=lambda: {"question": "Ik zoek een opleiding.", "municipality": municipality()},
    ),
    Form(
        "resident password",
        ("residents.SetPasswordForm",),
        "resident",
        "/mijn/account/",
        data={"password1": "Een-lang-wachtwoord-2026", "password2": "Een-lang-wachtwoord-2026"},
        ignored=("username",),
        watch=lambda: list(apps.get_model("accounts.User").objects.values_list("password")),
    ),
    Form(
        "resident deletion",
        ("residents.DeletionForm",),
        "resident",
        "/mijn/verwijderen/",
        data={"reason": "Niet meer nodig.", "confirm": "on"},
    ),
    Form(
        "resident cancels appointment",
        ("residents.CancelForm",),
        "resident",
        lambda: f"/mijn/afspraken/{booking()}/annuleren/",
        page=None,
        data={"reason": "Ziek."},
    ),
    Form(
        "resident books appointment",
        (),
        "resident",
        "/mijn/afspraken/boeken/",
        page=None,
        data=lambda: {"slot": free_slot(), "note": "Graag in de ochtend."},
        ignored=("note",),  # optional, cut to 500 characters
    ),
    Form(
        "resident appointment place",
        (),
        "resident",
        "/mijn/afspraken/",
        method="get",
        ok=(200,),
        data=lambda: {"place": pk("regions.WalkInPoint", code="oldenzaal-sociaal-plein")},
        ignored=("place",),
    ),
    # -- accounts
    Form(
        "staff login",
        ("accounts.LoginForm",),
        None,
        "/accounts/login/",
        data={"username": "gids", "password": DEMO_PASSWORD},
        ignored=("next",),
    ),
    Form(
        "two-factor setup",
        ("accounts.TokenForm",),
        "gids",
        "/accounts/2fa/",
        data=lambda: {"token": totp_token("gids")},
        watch=lambda: list(apps.get_model("otp_totp.TOTPDevice").objects.values()),
    ),
    # -- orientation, events, menu
    Form(
        "talent wall",
        ("orientation.TalentWallForm",),
        None,
        "/talentenmuur/",
        alike=r"a_st\d+",
    ),
    Form(
        "share talent wall result",
        ("orientation.ShareForm",),
        "resident",
        "/talentenmuur/delen/",
        page=None,
        data=lambda: {"r": talent_token(), "message": "Graag advies."},
        ignored=("r",),
    ),
    Form(
        "new event",
        ("events.EventForm",),
        "adviseur",
        "/events/new/",
        data=lambda: {
            "title": "Banenmarkt",
            "day": monday(weeks=10),
            "start": "10:00",
            "end": "12:00",
            "walk_in_point": pk("regions.WalkInPoint", code="enschede-werkplein"),
            "description": "Kom langs.",
        },
    ),
    Form(
        "event registration",
        ("events.RegisterForm",),
        None,
        lambda: f"/evenementen/{public_event()}/",
        data={"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"},
    ),
    Form(
        "event attendance",
        ("events.AttendanceForm",),
        "adviseur",
        lambda: f"/events/{past_event()}/attendance/",
    ),
    Form(
        "edit service",
        ("menu.ServiceForm",),
        "coordinator",
        lambda: f"/menu/{service()}/edit/",
        data={"description": "Korte uitleg."},
        watch=lambda: list(apps.get_model("menu.Service").objects.values()),
    ),
    Form(
        "approve service",
        ("menu.ApprovalForm",),
        "beheer",
        lambda: f"/menu/{service(awaiting_approval=True)}/approve/",
        page=lambda: f"/diensten/{service(awaiting_approval=True)}/",
        data=lambda: {"approved_by": "Dr. A. Arts", "approved_on": today()},
        watch=lambda: list(apps.get_model("menu.Service").objects.values()),
    ),
    # -- monitoring and budget
    Form(
        "targets",
        ("monitoring.TargetForm",),
        "manager",
        "/monitoring/targets/",
        data={"note": "Bijgesteld."},
        alike=r"t__\w+",
        ignored=("year",),  # anything but a year shows this year
    ),
    Form(
        "report",
        ("monitoring.ReportForm",),
        "manager",
        "/monitoring/reports/",
        data=lambda: {"year": today()[:4]},
    ),
    Form(
        "budget realisation",
        ("budget.RealisationForm",),
        "manager",
        "/budget/realisation/",
        fill_empty="1000",
        alike=r"line_\d+",
        watch=lambda: list(apps.get_model("budget.Realisation").objects.values()),
    ),
    # -- training fund
    Form(
        "LLO conversation",
        ("vouchers.LLOConversationForm",),
        "fonds",
        "/fonds/llo/",
        data=lambda: {
            "first_name": "Piet",
            "last_name": "Klaassen",
            "email": "piet@example.org",
            "municipality": municipality(),
            "held_on": today(),
            "outcome": "apply",
            "summary": "Wil lassen leren.",
        },
    ),
    Form(
        "voucher application (resident)",
        ("vouchers.ApplicationForm",),
        "resident",
        "/mijn/scholingscheque/aanvragen/",
        data=TRAINING,
    ),
    Form(
        "voucher application (employer)",
        ("vouchers.EmployerApplicationForm",),
        "werkgever",
        "/portal/scholingscheque/aanvragen/",
        page=lambda: company_llo() and "/portal/scholingscheque/aanvragen/",
        data=lambda: {**TRAINING, "llo_conversation": company_llo()},
        ignored=("cofinancier",),  # always the employer itself
    ),
    Form(
        "voucher decision",
        ("vouchers.DecisionForm",),
        "fonds",
        lambda: f"/fonds/aanvragen/{application('submitted')}/",
        data={"action": "decide", "decision": "reject", "note": "Past niet."},
        ok=(302,),
    ),
    Form(
        "voucher completion",
        ("vouchers.CompletionForm",),
        "fonds",
        lambda: f"/fonds/aanvragen/{application('committed')}/",
        data=lambda: {"action": "complete", "completed_on": today(), "proof": "Diploma"},
    ),
    Form(
        "voucher payment",
        ("vouchers.PaymentForm",),
        "fonds",
        lambda: f"/fonds/aanvragen/{application('completed')}/",
        data=lambda: {"action": "pay", "paid_on": today()},
    ),
    Form(
        "voucher withdrawal",
        ("vouchers.WithdrawForm",),
        "fonds",
        lambda: f"/fonds/aanvragen/{application('submitted')}/",
        page=None,
        data={"action": "withdraw", "reason": "Aanvrager trekt in."},
    ),
    Form(
        "employer label",
        ("vouchers.LabelForm",),
        "fonds",
        lambda: f"/fonds/werkgevers/{pk('employers.Employer', region__code='twente')}/label/",
        page="/fonds/werkgevers/",
        data={"since": "2025-01-01"},
        watch=lambda: list(apps.get_model("employers.Employer").objects.values()),
    ),
    Form(
        "voucher withdrawal (resident)",
        (),
        "resident",
        lambda: f"/mijn/scholingscheque/{own_application('resident')}/intrekken/",
        page=None,
        data={"reason": "Toch niet nodig."},
        ignored=("reason",),  # optional
    ),
    Form(
        "voucher withdrawal (employer)",
        (),
        "werkgever",
        lambda: f"/portal/scholingscheque/{own_application('werkgever')}/intrekken/",
        page=None,
        data={"reason": "Toch niet nodig."},
        ignored=("reason",),  # optional
    ),
    # -- data protection officer
    Form(
        "carry out a deletion request",
        ("privacy.CarryOutForm",),
        "beheer",
        lambda: f"/beheer/verwijderverzoeken/{deletion_request()}/uitvoeren/",
        page=lambda: f"/beheer/verwijderverzoeken/{deletion_request()}/",
        data={"confirm": "on"},
        watch=lambda: list(apps.get_model("residents.DeletionRequest").objects.values()),
    ),
    Form(
        "refuse a deletion request",
        ("privacy.RefuseForm",),
        "beheer",
        lambda: f"/beheer/verwijderverzoeken/{deletion_request()}/weigeren/",
        page=lambda: f"/beheer/verwijderverzoeken/{deletion_request()}/",
        data={"reason": "Er loopt nog een aanvraag."},
        watch=lambda: list(apps.get_model("residents.DeletionRequest").objects.values()),
    ),
]

# Search and filter pages (GET): the parameters they read, attacked one by one.
SEARCHES = [
    (
        "vacatures",
        None,
        "/vacatures/",
        ["q", "chain", "place", "postcode", "distance", "hours_min", "page"],
    ),
    (
        "opleidingen",
        None,
        "/opleidingen/",
        [
            "q",
            "level",
            "sector",
            "learning_form",
            "funding",
            "max_cost",
            "max_weeks",
            "municipality",
            "sort",
            "page",
        ],
    ),
    ("diensten", None, "/diensten/", ["q", "for", "theme", "provider"]),
    ("evenementen", None, "/evenementen/", ["kind", "place"]),
    ("arbeidsmarkt", None, "/arbeidsmarkt/", ["period", "sector", "place", "region"]),
    ("employers", "adviseur", "/employers/", ["q"]),
    ("vacancies", "adviseur", "/vacancies/", ["status"]),
    ("occupations", "adviseur", "/vacancies/occupations/", ["title", "esco_id", "mode"]),
    ("fund", "fonds", "/fonds/", ["q", "status", "sector", "year"]),
    ("fund employers", "fonds", "/fonds/werkgevers/", ["q"]),
    ("fund budget", "fonds", "/fonds/budget/", ["year"]),
    ("fund figures", "fonds", "/fonds/cijfers/", ["year"]),
    (
        "monitoring",
        "manager",
        "/monitoring/",
        ["period", "start", "end", "subregion", "municipality", "partner", "region"],
    ),
    ("monitoring targets", "manager", "/monitoring/targets/", ["year", "region"]),
    ("budget", "manager", "/budget/", ["version", "region"]),
    ("budget realisation", "manager", "/budget/realisation/", ["year", "version", "quarter"]),
    ("partner inbox", "uwv", "/partner/inbox/", ["tab"]),
    ("resident log", "resident", "/mijn/inzage/", ["page"]),
    ("staff events", "adviseur", "/events/", ["past"]),
    ("talent wall result", None, "/talentenmuur/resultaat/", ["r"]),
    ("login next", None, "/accounts/login/", ["next"]),
    ("home", None, "/", ["public"]),
    ("new vacancy for an employer", "adviseur", "/vacancies/new/", ["employer"]),
    ("book an appointment", "gids", "/appointments/book/", ["contact", "point"]),
    ("appointments", "gids", "/appointments/", ["point"]),
    ("portal", "werkgever", "/portal/", ["chain", "subregion", "min_education"]),
    ("candidates", "adviseur", "/candidates/", ["q", "status", "page"]),
    ("escalations", "coordinator", "/coordinator/escalations/", ["tab", "page"]),
]


# -- the checks ---------------------------------------------------------------------------------

FREE_TEXT_KINDS = {"text", "textarea", "search", "email", "password", "tel", "url"}


def base_data(client, form: Form) -> tuple[str, dict, dict]:
    """(action URL, the data a browser sends with the table's values filled in, field kinds)."""
    action = form.resolve(form.action)
    data, kinds = {}, {}
    page = form.resolve(form.page)
    if page is not None:
        page = page or action
        response = client.get(page)
        assert response.status_code == 200, f"{page}: {response.status_code}"
        found = page_form(response.content.decode(), action, page, form.method)
        for name, spec in found["fields"].items():
            if name == "csrfmiddlewaretoken":
                continue
            kinds[name] = spec["kind"]
            values = spec["values"] or (
                spec.get("options", [])[:1] if spec["kind"] == "radio" else []
            )
            if values:
                data[name] = values if len(values) > 1 or spec.get("multiple") else values[0]
    if form.fill_empty is not None:
        data.update({name: form.fill_empty for name, value in data.items() if value == ""})
    for name, value in form.resolve(form.data).items():
        data[name] = value
        kinds.setdefault(
            name, "text" if isinstance(value, str) and not value.isdigit() else "select"
        )
    return action, data, kinds


def send(client, form: Form, action: str, data: dict):
    if form.method == "get":
        return client.get(action, data)
    return client.post(action, data)


def text_of(response) -> str:
    if response.streaming or "html" not in response.get("Content-Type", "text/html"):
        return ""
    return response.content.decode(errors="replace")


def escaping_problems(where: str, text: str) -> list[str]:
    """Markup from the attack must never be live: no raw <script>/<img> carrying it, and where
    it is shown, it is shown escaped (HTML entities, JSON \\u003C, or percent-encoded)."""
    problems = []
    if RAW_MARKUP.search(text):
        problems.append(f"{where}: raw markup in the page: {RAW_MARKUP.search(text).group()[:80]}")
    elif "alert(1)" in text and not any(escaped in text for escaped in ESCAPED_FORMS):
        problems.append(f"{where}: alert(1) shown, but not escaped")
    return problems


def shows_error(text: str) -> bool:
    return any(marker in text for marker in ERROR_MARKERS)


def follow(client, response):
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and location.startswith("/"):
        return client.get(location)
    return None


@pytest.fixture
def as_user(demo, db, client):
    def _as(name):
        return login(client, name)

    return _as


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_the_valid_values_are_accepted(as_user, form):
    """Guards the table: with its values each form succeeds, so every attack below is refused
    because of the attacked field alone."""
    client = as_user(form.user)
    action, data, _kinds = base_data(client, form)
    with rolled_back():
        response = send(client, form, action, data)
        text = text_of(response)
        after = follow(client, response)
        shown = text_of(after) if after is not None else ""
    errors = re.findall(r'form-field__error"[^>]*>([^<]*)<', text) + re.findall(
        r"alert--error[^>]*>(.*?)</", text + shown, re.S
    )
    assert response.status_code in form.ok, (response.status_code, errors, data)
    assert not errors, errors


def attacks(kinds: dict[str, str], form: Form):
    """(field, label, value, must the value be refused?) for every field of the form."""
    alike = [name for name in kinds if form.alike and re.fullmatch(form.alike, name)]
    for name, kind in kinds.items():
        if name in alike[1:]:
            continue
        free = kind in FREE_TEXT_KINDS
        if kind == "checkbox" or name in form.ignored:  # any value means "on", or may be dropped
            values, refuse = ("script", "nul", "long"), ()
        elif free:
            values, refuse = (*MAYBE_VALID, *NEVER_VALID), tuple(NEVER_VALID)
        else:  # a choice, number, date or reference: nothing hostile is valid
            values = refuse = ("script", "nul", "long", "digits")
        for label in values:
            yield name, label, HOSTILE[label], label in refuse


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_hostile_values_are_refused_or_escaped(as_user, form):
    client = as_user(form.user)
    action, data, kinds = base_data(client, form)
    problems = []
    for name, label, value, must_refuse in attacks(kinds, form):
        where = f"{name}={label}"
        attacked = {**data, name: value}
        cookies = copy.deepcopy(client.cookies)  # a rolled-back session must not log us out
        with rolled_back():
            before = fingerprint(form)
            try:
                response = send(client, form, action, attacked)
            except Exception as exc:  # the test client re-raises what would be a 500
                problems.append(f"{where}: {type(exc).__name__}: {exc}"[:200])
                client.cookies = cookies
                continue
            text = text_of(response)
            after = follow(client, response)
            shown = text_of(after) if after is not None else ""
            changed = fingerprint(form) != before
        client.cookies = cookies
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        problems += escaping_problems(where, text) + escaping_problems(
            f"{where} (next page)", shown
        )
        if must_refuse and form.method == "post":
            refused = (
                response.status_code in (400, 404)  # an error page: a reference that does not exist
                or (response.status_code == 200 and shows_error(text))
                or (response.status_code == 302 and shows_error(shown))
            )
            if changed:
                problems.append(f"{where}: accepted ({response.status_code}), the database changed")
            elif not refused:
                problems.append(f"{where}: {response.status_code} without an error shown")
    assert not problems, "\n".join(problems)


# Where a script typed into a field comes back: on the page the form leads to (or, refused, in
# the form again). It must be there, escaped.
ECHOED = [
    ("public question", "question", {"privacy_ok": ""}),  # refused: the form shows it again
    ("intake", "question", {}),
    ("answer", "outcome", {}),
    ("new employer", "name", {}),
    ("new vacancy (employer)", "title", {}),
    ("resident question", "question", {}),
    ("new event", "title", {}),
    ("trajectory note", "text", {}),
    ("override", "reason", {}),
    ("handover withdraw", "reason", {}),
]


@pytest.mark.parametrize(("name", "field_name", "extra"), ECHOED, ids=[e[0] for e in ECHOED])
def test_script_is_shown_escaped(as_user, name, field_name, extra):
    form = next(f for f in FORMS if f.name == name)
    client = as_user(form.user)
    action, data, _kinds = base_data(client, form)
    with rolled_back():
        response = send(client, form, action, {**data, field_name: SCRIPT, **extra})
        after = follow(client, response)
        page = text_of(after if after is not None else response)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(("name", "who", "url", "params"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_and_filter_parameters(as_user, name, who, url, params):
    """GET parameters are read by hand in many views: hostile values give the page (or a 4xx),
    never a 500, and are never echoed unescaped."""
    client = as_user(who)
    problems = []
    for param in params:
        for label in ("script", "img", "sql", "nul", "control", "long", "digits"):
            where = f"{param}={label}"
            try:
                response = client.get(url, {param: HOSTILE[label]})
            except Exception as exc:  # the test client re-raises what would be a 500
                problems.append(f"{where}: {type(exc).__name__}: {exc}"[:200])
                continue
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            problems += escaping_problems(where, text_of(response))
    assert not problems, "\n".join(problems)


def _form_classes() -> set[str]:
    """Every form class of the project, as "app.ClassName"."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("werkcentrum."):
            continue
        with contextlib.suppress(ModuleNotFoundError):
            module = importlib.import_module(f"{config.name}.forms")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__:
                    found.add(f"{config.label}.{name}")
    return found


# Form classes that are only building blocks of the forms in the table.
NOT_SUBMITTED_ALONE = {"frontdoor.PersonFieldsMixin", "frontdoor.SituationFieldsMixin"}
# Forms with their own tests below (file uploads).
TESTED_BELOW = {"vacancies.ImportForm"}


def test_every_form_class_is_covered():
    covered = {name for form in FORMS for name in form.classes}
    missing = _form_classes() - covered - NOT_SUBMITTED_ALONE - TESTED_BELOW
    assert not missing, f"forms without a row in FORMS: {sorted(missing)}"


# -- raw request bodies: wrong encodings and Django's upload limits --------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [
        ("invalid UTF-8", "application/x-www-form-urlencoded", b"question=%FF%FE%C0%AF&age=%FF"),
        ("raw invalid bytes", "application/x-www-form-urlencoded", b"question=\xff\xfe\xc0\xaf"),
        (
            "latin-1",
            "application/x-www-form-urlencoded; charset=latin-1",
            "question=Café".encode("latin-1"),
        ),
        (
            "UTF-16",
            "application/x-www-form-urlencoded; charset=utf-16",
            "question=x&age=1".encode("utf-16"),
        ),
        (
            "unknown charset",
            "application/x-www-form-urlencoded; charset=no-such-codec",
            b"question=x",
        ),
        (
            "broken multipart",
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data\r\n\r\n--",
        ),
        ("multipart without boundary", "multipart/form-data", b"question=x"),
        ("JSON", "application/json", b'{"question": "x"}'),
    ],
)
@pytest.mark.parametrize(
    ("who", "url"), [(None, "/vraag/"), ("gids", "/guide/new/")], ids=["public", "intake"]
)
def test_wrongly_encoded_bodies_get_the_form_again_or_a_400(
    as_user, who, url, name, content_type, body
):
    client = as_user(who)
    before = row_counts()
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code in (200, 400), response.status_code
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "data", "files"),
    [
        ("body over DATA_UPLOAD_MAX_MEMORY_SIZE", {"question": "x" * (3 * 1024 * 1024)}, 0),
        ("more than DATA_UPLOAD_MAX_NUMBER_FIELDS", {f"f{i}": "x" for i in range(1100)}, 0),
        ("more than DATA_UPLOAD_MAX_NUMBER_FILES", {}, 110),
    ],
)
def test_django_upload_limits_give_the_400_page(as_user, name, data, files):
    """Over Django's limits the request is refused with the friendly 400 page, not a 500."""
    client = as_user(None)
    payload = dict(data)
    for i in range(files):
        payload[f"file{i}"] = io.BytesIO(b"x")
    before = row_counts()
    if files:
        response = client.post("/vraag/", payload)
    else:
        body = "&".join(f"{k}={v}" for k, v in payload.items()).encode()
        response = client.generic(
            "POST", "/vraag/", body, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    assert "page-title" in text_of(response)  # errors/400.html, in the site's layout
    assert row_counts() == before


# -- vacancy import: the upload form and `werkcentrum import_vacancies` ---------------------------

CSV_HEADER = "kenmerk;kvk;functietitel;uren;gemeente;opleidingsniveau;omschrijving\n"
DEMO_KVK = "59876543"


def csv_file(title="Kok", description="Koken.", hours="32", ref="V-HOSTILE", level="mbo 2"):
    row = f"{ref};{DEMO_KVK};{title};{hours};Almelo;{level};{description}\n"
    return (CSV_HEADER + row).encode()


# (name, file name, content, must it be refused as a whole?)
IMPORT_FILES = [
    ("script in cells", "export.csv", csv_file(title=SCRIPT, description=IMG), False),
    ("SQL in cells", "export.csv", csv_file(title=SQL, description=SQL), False),
    ("control characters", "export.csv", csv_file(title="Kok\x01\x1b[31m"), False),
    ("NUL in a cell", "export.csv", csv_file(title="Kok\x00"), True),
    ("100k title", "export.csv", csv_file(title=LONG), False),  # a row error: nothing written
    ("200k field", "export.csv", csv_file(description="x" * 200_000), True),
    ("wrong types", "export.csv", csv_file(hours="zestig", ref="V" * 100, level=DIGITS), False),
    ("UTF-16", "export.csv", csv_file().decode().encode("utf-16"), True),
    ("invalid bytes", "export.csv", b"\x81\x8d\x8f\x90\x9d" * 100, True),
    ("binary as .xlsx", "export.xlsx", bytes(range(256)) * 40, True),
    ("executable", "export.exe", b"MZ\x90\x00" * 100, True),
    ("empty", "export.csv", b"", True),
    ("over 20 MB", "export.csv", csv_file() + b"#" * (20 * 1024 * 1024), True),
]


@pytest.mark.parametrize(
    ("name", "filename", "content", "refused"), IMPORT_FILES, ids=[f[0] for f in IMPORT_FILES]
)
def test_vacancy_import_upload(as_user, name, filename, content, refused):
    client = as_user("adviseur")
    before = row_counts()
    upload = io.BytesIO(content)
    upload.name = filename
    response = client.post("/vacancies/import/", {"file": upload})
    text = text_of(response)
    assert response.status_code in (200, 400)
    assert not escaping_problems(name, text), escaping_problems(name, text)
    if refused:
        assert shows_error(text) or "file_error" in text or "kan niet" in text or "error" in text
        assert row_counts() == before
    if name == "script in cells" and row_counts() != before:
        from werkcentrum.vacancies.models import Vacancy

        vacancy = Vacancy.objects.get(external_ref="V-HOSTILE")
        assert vacancy.title == SCRIPT  # stored as given ...
        page = text_of(client.get(f"/vacancies/{vacancy.pk}/"))
        assert (
            SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        )  # ... shown escaped


@pytest.mark.parametrize(
    ("name", "filename", "content", "refused"), IMPORT_FILES, ids=[f[0] for f in IMPORT_FILES]
)
def test_import_vacancies_command(demo, db, tmp_path, name, filename, content, refused):
    path = tmp_path / filename
    path.write_bytes(content)
    before = row_counts()
    code, out, err = cli("import_vacancies", str(path), "--region", "twente", "--user", "adviseur")
    assert "Traceback" not in err
    report = json.loads(out)
    if refused:
        assert code == 2 and report["file_error"]
        assert row_counts() == before
    else:
        assert code == 0 and not report["file_error"]


# -- CLI commands ---------------------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[2] / "src" / "werkcentrum"


def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    """Run ``werkcentrum ARGV`` in this process, as from the command line: (exit code, stdout,
    stderr). A crash is not caught: it fails the test with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch("sys.stdin", io.StringIO(stdin)),
        # run_from_argv closes every connection when done: that would end the test's transaction
        mock.patch.object(connections, "close_all"),
    ):
        try:
            ManagementUtility(["werkcentrum", *argv]).execute()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def one_error_line(err: str) -> bool:
    """One ``error:`` line (argparse's usage mistakes: the usage, then the error line)."""
    lines = [line for line in err.splitlines() if line.strip()]
    usage = bool(lines) and lines[0].startswith("usage:")
    return (
        bool(lines)
        and (len(lines) == 1 or usage)
        and "error" in lines[-1].lower()
        and "Traceback" not in err
    )


def toml_string(value: str) -> str:
    escaped = "".join(
        "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}" if ord(ch) < 32 or ord(ch) == 127 else ch
        for ch in value
    )
    return f'"{escaped}"'


# (command, arguments before the file, bundled file to start from, key whose first value is attacked)
DATA_FILE_COMMANDS = [
    (
        "load_trainings",
        ["load_trainings", "twente", "--file"],
        "training/data/twente.toml",
        "title",
    ),
    ("load_menu", ["load_menu", "twente", "--file"], "menu/data/twente.toml", "name"),
    (
        "budget load",
        ["budget", "load", "--region", "twente", "--file"],
        "budget/data/twente.toml",
        "title",
    ),
    (
        "targets load",
        ["targets", "load", "--region", "twente", "--file"],
        "monitoring/data/twente.toml",
        "note",
    ),
    ("load_region", ["load_region"], "regions/data/twente.toml", "name"),
]
TOML_VALUES = {
    **{label: toml_string(value) for label, value in HOSTILE.items()},
    "wrong type": "42",
    "array": '["a", "b"]',
}


@pytest.mark.parametrize(
    ("command", "argv", "bundled", "key"),
    DATA_FILE_COMMANDS,
    ids=[c[0] for c in DATA_FILE_COMMANDS],
)
def test_data_file_values(demo, db, tmp_path, command, argv, bundled, key):
    """One value of the bundled file replaced by a hostile one: loaded as given or refused with
    one error line and exit 2, nothing half-loaded; NUL, too long and wrong types are refused."""
    text = (SRC / bundled).read_text(encoding="utf-8")
    path = tmp_path / "twente.toml"
    problems = []
    for label, value in TOML_VALUES.items():
        mutated, found = re.subn(
            rf'^{key} = ".*"$', lambda _m: f"{key} = {value}", text, count=1, flags=re.M
        )
        assert found, f"no {key} in {bundled}"
        path.write_text(mutated, encoding="utf-8")
        with rolled_back():
            before = row_counts()
            code, _out, err = cli(*argv, str(path))
            changed = row_counts() != before
        must_refuse = label not in MAYBE_VALID
        if code not in (0, 2) or (code == 2 and not one_error_line(err)):
            problems.append(f"{label}: exit {code}: {err[-200:]}")
        elif code == 2 and changed:
            problems.append(f"{label}: refused, but the database changed")
        elif must_refuse and code != 2:
            problems.append(f"{label}: accepted")
    assert not problems, "\n".join(problems)


def _bundled(bundled):
    return (SRC / bundled).read_bytes()


# Whole files that are no valid data file: each must be one error line, exit 2, nothing changed.
BAD_FILES = {
    "invalid UTF-8": lambda b: b.replace(b"\n", b"\n\xff\xfe", 1),
    "UTF-16": lambda b: b.decode().encode("utf-16"),
    "latin-1 with accents": lambda b: (b.decode() + "\n# Coördinator één\n").encode(
        "latin-1", "replace"
    ),
    "NUL bytes": lambda b: b[:100] + b"\x00" + b[100:],
    "not TOML": lambda b: b"<html><script>alert(1)</script>",
    "empty": lambda b: b"",
    "20 MB of junk": lambda b: b"\xff" * (20 * 1024 * 1024),
}


@pytest.mark.parametrize(
    ("command", "argv", "bundled", "key"),
    DATA_FILE_COMMANDS,
    ids=[c[0] for c in DATA_FILE_COMMANDS],
)
def test_data_files_that_cannot_be_read(demo, db, tmp_path, command, argv, bundled, key):
    problems = []
    for label, make in BAD_FILES.items():
        path = tmp_path / "twente.toml"
        path.write_bytes(make(_bundled(bundled)))
        for target in (path, tmp_path / "missing.toml", tmp_path):
            if target != path and label != "empty":
                continue  # a missing file and a directory: once per command
            with rolled_back():
                before = row_counts()
                code, _out, err = cli(*argv, str(target))
                changed = row_counts() != before
            if code != 2 or not one_error_line(err) or changed:
                problems.append(
                    f"{label} ({target.name}): exit {code}, changed={changed}: {err[-200:]}"
                )
    assert not problems, "\n".join(problems)


def test_hsds_import(demo, db, tmp_path):
    """``werkcentrum hsds import``: an export with hostile values, and files that are no
    export: one error line and exit 2 where refused, never a traceback."""
    code, _out, err = cli("hsds", "export", "--region", "twente", "--out", str(tmp_path))
    assert code == 0, err
    export = tmp_path / "hsds-twente.json"
    original = json.loads(export.read_text(encoding="utf-8"))
    problems = []
    variants = {label: value for label, value in HOSTILE.items()} | {"wrong type": 42}
    for label, value in variants.items():
        doc = copy.deepcopy(original)
        doc["service"][0]["name"] = value
        export.write_text(json.dumps(doc), encoding="utf-8")
        with rolled_back():
            before = row_counts()
            code, _out, err = cli("hsds", "import", "--region", "twente", str(tmp_path))
            changed = row_counts() != before
        if code not in (0, 2) or (code == 2 and (not one_error_line(err) or changed)):
            problems.append(f"{label}: exit {code}: {err[-200:]}")
        elif label not in MAYBE_VALID and code != 2:
            problems.append(f"{label}: accepted")
    raw_files = {
        "lone surrogate": json.dumps(original).replace('"name": "', '"name": "\\ud800', 1).encode(),
        "deeply nested": b"[" * 100_000 + b"]" * 100_000,
        "UTF-16": json.dumps(original).encode("utf-16"),
        "not JSON": b"<script>alert(1)</script>",
        "20 MB of junk": b"\xff" * (20 * 1024 * 1024),
    }
    for label, content in raw_files.items():
        export.write_bytes(content)
        with rolled_back():
            before = row_counts()
            code, _out, err = cli("hsds", "import", "--region", "twente", str(tmp_path))
            changed = row_counts() != before
        if code != 2 or not one_error_line(err) or changed:
            problems.append(f"{label}: exit {code}, changed={changed}: {err[-200:]}")
    assert not problems, "\n".join(problems)


TRIAGE_INPUTS = {
    **{
        f"municipality {label}": json.dumps({"asker": "resident", "municipality": value})
        for label, value in HOSTILE.items()
    },
    **{
        f"question {label}": json.dumps(
            {"asker": "resident", "municipality": "Losser", "question": value}
        )
        for label, value in HOSTILE.items()
    },
    "lone surrogate": '{"asker": "resident", "municipality": "\\ud800"}',
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "wrong types": '{"asker": 1, "municipality": ["Losser"], "age": "old", "topics": "debt"}',
    "not an object": '["Losser"]',
    "not JSON": "<script>alert(1)</script>",
    "empty": "",
}


def test_triage_command(demo, db):
    """``werkcentrum triage --json -`` with hostile JSON on stdin: an answer or one error line
    with exit 2. It stores nothing."""
    problems = []
    for label, stdin in TRIAGE_INPUTS.items():
        before = row_counts()
        code, out, err = cli("triage", "--region", "twente", "--json", "-", stdin=stdin)
        if code == 0:
            json.loads(out)
        elif code != 2 or not one_error_line(err):
            problems.append(f"{label}: exit {code}: {err[-200:]}")
        if row_counts() != before:
            problems.append(f"{label}: the database changed")
    for label, value in MAYBE_VALID.items():  # the region argument (argv cannot hold NUL)
        code, _out, err = cli(
            "triage",
            "--region",
            value,
            "--json",
            "-",
            stdin='{"asker": "resident", "municipality": "Losser"}',
        )
        if code != 2 or not one_error_line(err):
            problems.append(f"--region {label}: exit {code}: {err[-200:]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "argv",
    [
        ["normalise-title", SCRIPT],
        ["normalise-title", LONG],
        ["normalise-title", "--file", "{invalid}"],
        ["normalise-title", "--file", "{utf16}"],
        ["normalise-title", "--file", "{nul}"],
        ["match", "--vacancy", "abc"],
        ["match", "--vacancy", "99999999999999999999999"],
        ["match", "--candidate", "-1"],
        ["load_fund_budgets", "twente", "--year", "abc"],
        ["load_trainings", SQL],
        ["budget", "summary", "--region", SCRIPT, "--json"],
        ["targets", "load", "--region", SCRIPT],
        ["load_fund_budgets", SQL],
        ["load_menu", CONTROL],
        ["load_region", IMG],
        ["import_vacancies", "/nonexistent.csv", "--region", SQL],
    ],
    ids=lambda argv: " ".join(a[:12].replace("\x00", "NUL") for a in argv),
)
def test_hostile_arguments(demo, db, tmp_path, argv):
    files = {
        "{invalid}": b"Kok\n\xff\xfe\n",
        "{utf16}": "Kok\nLasser\n".encode("utf-16"),
        "{nul}": b"Kok\x00\nLasser\n",
    }
    for placeholder, content in files.items():
        if placeholder in argv:
            path = tmp_path / "titles.txt"
            path.write_bytes(content)
            argv = [str(path) if a == placeholder else a for a in argv]
    before = row_counts()
    code, out, err = cli(*argv)
    assert "Traceback" not in err
    assert code in (0, 2), (code, err[-300:])
    if code == 2:
        assert one_error_line(err) or (argv[0] == "import_vacancies" and "error" in err), err[-300:]
        assert row_counts() == before
    assert SCRIPT not in out or argv[0] == "normalise-title"  # plain text output, not HTML
