"""Shared fixtures: the bundled regions, users for every role, and PostgreSQL checks."""

import os

import pytest
from django.db import connection

from werkcentrum.accounts.models import Role, User
from werkcentrum.regions.loader import load_all_bundled_regions
from werkcentrum.regions.models import Partner, Region

PASSWORD = "test-password-123"  # noqa: S105


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, unless CI demands PostgreSQL (then fail loudly)."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("WERKCENTRUM_REQUIRE_POSTGRES") == "1" and "postgresql" not in engine:
        raise pytest.UsageError(
            "WERKCENTRUM_REQUIRE_POSTGRES=1 but the test database is not PostgreSQL"
        )
    if "postgresql" not in engine:
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def ensure_regions():
    if not Region.objects.filter(code="twente").exists():
        load_all_bundled_regions()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_regions()


@pytest.fixture
def twente(db):
    ensure_regions()  # transactional tests flush the database
    return Region.objects.get(code="twente")


@pytest.fixture
def achterhoek(twente):
    return Region.objects.get(code="achterhoek")


def make_user(username, role, region, partner=None, walk_in_point=None, **extra):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        region=region,
        partner=partner,
        walk_in_point=walk_in_point,
        first_name=username.title(),
        email=f"{username}@example.org",
        **extra,
    )
    return user


@pytest.fixture
def guide(twente):
    return make_user(
        "guide",
        Role.GUIDE,
        twente,
        walk_in_point=twente.walk_in_points.get(code="oldenzaal-sociaal-plein"),
    )


@pytest.fixture
def other_guide(twente):
    return make_user(
        "guide2",
        Role.GUIDE,
        twente,
        walk_in_point=twente.walk_in_points.get(code="enschede-werkplein"),
    )


@pytest.fixture
def coordinator(twente):
    return make_user("coordinator", Role.COORDINATOR, twente)


@pytest.fixture
def uwv(twente):
    return Partner.objects.get(code="uwv-twente")


@pytest.fixture
def uwv_employee(uwv, twente):
    return make_user("uwv_employee", Role.PARTNER_EMPLOYEE, twente, partner=uwv)


@pytest.fixture
def municipality_employee(twente):
    partner = Partner.objects.get(code="gm0153-social_assistance")
    return make_user("enschede_employee", Role.PARTNER_EMPLOYEE, twente, partner=partner)


@pytest.fixture
def manager(twente):
    return make_user("manager", Role.MANAGER, twente)


@pytest.fixture
def administrator(twente):
    return make_user("admin", Role.ADMINISTRATOR, twente, is_staff=True, is_superuser=True)


@pytest.fixture
def achterhoek_guide(achterhoek):
    return make_user("guide_ah", Role.GUIDE, achterhoek)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


def pytest_configure(config):
    """Fail fast when the suite runs with the wrong settings (e.g. an exported dev module)."""
    from django.conf import settings

    if settings.SETTINGS_MODULE != "werkcentrum.config.settings.test":
        raise pytest.UsageError(
            f"tests need werkcentrum.config.settings.test, not {settings.SETTINGS_MODULE}"
        )
