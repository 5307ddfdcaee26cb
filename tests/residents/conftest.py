import pytest

from tests import factories
from tests.appointments.conftest import adviser, oldenzaal, slots  # noqa: F401 - shared fixtures
from werkcentrum.residents.accounts import register_by_email


def make_resident(region, first="Yvonne", last="Jansen", email=None):
    email = email or f"{first.lower()}.{last.lower()}@example.org"
    person = factories.person(region, first=first, last=last, email=email)
    user, _created = register_by_email(region, first_name=first, last_name=last, email=email)
    assert user.person == person
    return user


@pytest.fixture
def resident(twente):
    return make_resident(twente)


@pytest.fixture
def other_resident(twente):
    return make_resident(twente, first="Karel", last="de Boer")
