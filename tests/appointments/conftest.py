"""Fixtures for appointments: a career adviser with published times at Oldenzaal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services


def in_days(n=2):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def oldenzaal(twente):
    return twente.walk_in_points.get(code="oldenzaal-sociaal-plein")


@pytest.fixture
def adviser(twente, oldenzaal):
    """A regional career adviser (loopbaanadviseur); staff with the coordinator role."""
    return make_user("career_adviser", Role.COORDINATOR, twente, walk_in_point=oldenzaal)


@pytest.fixture
def slots(adviser, oldenzaal):
    """Six free half-hour slots, 09:00–12:00 the day after tomorrow."""
    return services.publish_availability(adviser, oldenzaal, in_days(2), "09:00", "12:00")
