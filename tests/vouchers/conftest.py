"""Fixtures for the training fund: its staff, this year's budget lines, a resident with an LLO
conversation, an employer with a portal user, and applications in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests import factories
from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.employers.models import Employer
from werkcentrum.regions.models import Partner
from werkcentrum.residents.accounts import register_by_email
from werkcentrum.training.models import Training
from werkcentrum.vouchers import services
from werkcentrum.vouchers.models import Budget, LLOOutcome


def today():
    return timezone.localdate()


def make_resident(region, first="Yvonne", last="Jansen"):
    email = f"{first.lower()}.{last.lower().replace(' ', '')}@example.org"
    factories.person(region, first=first, last=last, email=email)
    user, _created = register_by_email(region, first_name=first, last_name=last, email=email)
    return user


def record_llo(adviser, person, days_ago=7, employer=None, outcome=LLOOutcome.APPLY):
    return services.record_llo_conversation(
        adviser,
        region=person.region,
        person=person,
        held_on=today() - timedelta(days=days_ago),
        summary="Verzorgende IG past goed; scholingscheque aanvragen.",
        outcome=outcome,
        employer=employer,
    )


TRAINING = {
    "training_title": "Verzorgende IG (BBL)",
    "provider": "ROC van Twente",
    "level": "mbo3",
    "sector": "care",
    "cost": 1440,
}


@pytest.fixture(autouse=True)
def english():
    """Messages in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def fund_partner(twente):
    return Partner.objects.get(code="twents-fonds-voor-vakmanschap")


@pytest.fixture
def fund_staff(twente, fund_partner):
    return make_user("fonds", Role.PARTNER_EMPLOYEE, twente, partner=fund_partner)


@pytest.fixture
def other_fund_staff(twente, fund_partner):
    return make_user("fonds2", Role.PARTNER_EMPLOYEE, twente, partner=fund_partner)


@pytest.fixture
def achterhoek_fund_staff(achterhoek):
    partner = Partner.objects.get(code="opleidingsfonds-achterhoek")
    return make_user("fonds_ah", Role.PARTNER_EMPLOYEE, achterhoek, partner=partner)


@pytest.fixture
def budgets(twente):
    return {b.sector: b for b in services.sync_budgets(twente, today().year)}


@pytest.fixture
def resident(twente):
    return make_resident(twente)


@pytest.fixture
def other_resident(twente):
    return make_resident(twente, first="Karel", last="de Boer")


@pytest.fixture
def resident_with_llo(resident, fund_staff):
    record_llo(fund_staff, resident.person)
    return resident


@pytest.fixture
def training(twente):
    return Training.objects.create(
        region=twente,
        key="verzorgende-ig-bbl",
        title="Verzorgende IG (BBL)",
        provider="ROC van Twente",
        description="Je leert zorgen voor ouderen.",
        level="mbo3",
        sector="care",
        learning_form="bbl",
        duration_weeks=104,
        cost_eur=1440,
        funding=["employer", "training_fund"],
    )


def make_employer(region, name="Cevdet ICT Solutions", kvk="59876543"):
    return Employer.objects.create(region=region, name=name, kvk_number=kvk, chain="ict")


@pytest.fixture
def employer(twente):
    return make_employer(twente)


@pytest.fixture
def employer_user(twente, employer):
    return make_user("werkgever", Role.EMPLOYER, twente, employer=employer)


@pytest.fixture
def other_employer_user(twente):
    other = make_employer(twente, name="Andere BV", kvk="12345678")
    return make_user("werkgever2", Role.EMPLOYER, twente, employer=other)


@pytest.fixture
def employee(twente, fund_staff, employer):
    person = factories.person(twente, first="Bas", last="Oude Luttikhuis")
    record_llo(fund_staff, person, employer=employer)
    return person


@pytest.fixture
def submitted(resident_with_llo):
    return services.apply_as_resident(resident_with_llo, **TRAINING)


@pytest.fixture
def approved(submitted, fund_staff):
    return services.decide(fund_staff, submitted, approve=True)


@pytest.fixture
def committed(approved, fund_staff, budgets):
    return services.commit(fund_staff, approved)


@pytest.fixture
def completed(committed, fund_staff):
    return services.register_completion(
        fund_staff, committed, completed_on=today(), proof="Diploma 123"
    )


@pytest.fixture
def paid(completed, fund_staff):
    return services.pay(fund_staff, completed)


def budget_line(region, sector, year=None):
    return Budget.objects.get(region=region, year=year or today().year, sector=sector)
