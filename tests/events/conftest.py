"""Fixtures for events: an employer adviser of Twente organises; a resident, an employer user
and anonymous visitors register."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.employers.models import Employer
from werkcentrum.events import services
from werkcentrum.events.models import Audience, EventKind
from werkcentrum.regions.models import Municipality
from werkcentrum.residents.accounts import register_by_email
from werkcentrum.vacancies.models import Vacancy


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_event(organiser, *, published=True, **fields):
    region = fields.pop("region", organiser.region)
    values = {
        "kind": EventKind.JOB_FAIR,
        "title": "Banenmarkt Enschede",
        "description": "Veel werkgevers; neem je cv mee.",
        "starts_at": at(5, 13),
        "ends_at": at(5, 17),
        "walk_in_point": region.walk_in_points.get(code="enschede-werkplein")
        if region.code == "twente"
        else region.walk_in_points.first(),
        "capacity": 3,
        "audience": Audience.BOTH,
        "exhibitors_welcome": True,
        **fields,
    }
    return services.create_event(organiser, region=region, published=published, **values)


@pytest.fixture
def organiser(twente):
    return make_user("werkgeversadviseur", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def event(organiser):
    return make_event(organiser)


@pytest.fixture
def employer(twente):
    return Employer.objects.create(
        region=twente,
        name="Zorggroep Twente",
        kvk_number="12345678",
        chain="care",
        municipality=Municipality.objects.get(name="Hengelo"),
    )


@pytest.fixture
def employer_user(twente, employer):
    return make_user("werkgever", Role.EMPLOYER, twente, employer=employer)


@pytest.fixture
def vacancy(twente, employer):
    return Vacancy.objects.create(
        region=twente,
        employer=employer,
        title="Verzorgende IG",
        esco_id="esco-demo-verzorgende",
        occupation_label="verzorgende",
        isco_group="5321",
        hours=28,
        municipality=Municipality.objects.get(name="Hengelo"),
    )


@pytest.fixture
def resident(twente):
    user, _created = register_by_email(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    return user


@pytest.fixture
def other_resident(twente):
    user, _created = register_by_email(
        twente, first_name="Henk", last_name="Bosman", email="henk.bosman@example.org"
    )
    return user


def anonymous(event, name="Anna de Vries", email=None, **extra):
    """Register a visitor without an account (name, e-mail, consent)."""
    email = email or f"{name.split()[0].lower()}@example.org"
    return services.register(event, name=name, email=email, consent=True, **extra)


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings (e-mails stay in the site language, Dutch)."""
    from django.utils import translation

    with translation.override("en"):
        yield
