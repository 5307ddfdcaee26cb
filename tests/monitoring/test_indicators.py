"""Indicators over trajectories, the training fund, NPS and appointments with known data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from werkcentrum.appointments.models import Booking, Slot
from werkcentrum.employers.models import Employer, NpsSurvey
from werkcentrum.monitoring import indicators, presentation
from werkcentrum.monitoring.figures import year_period
from werkcentrum.monitoring.indicators import Filters
from werkcentrum.trajectories.models import Trajectory
from werkcentrum.vouchers.models import LLOConversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def f(twente):
    return Filters(region=twente, period=year_period(timezone.localdate().year))


def test_trajectory_outcomes(twente, guide, f):
    now = timezone.now()
    for i in range(7):
        contact = factories.contact(twente, guide)
        Trajectory.objects.create(
            contact=contact,
            adviser=guide,
            goal="Werk",
            outcome="work" if i < 5 else "training",
            closed_at=now,
        )
    assert indicators.trajectory_outcomes(f) == {"work": 5, "training": 2}
    table = presentation.list_table(indicators.trajectory_outcomes(f))
    assert [r.cell.value for r in table.rows] == [None, None]  # 2 is small, 5 then secondary
    assert table.total.value == 7


def test_llo_conversations_and_vouchers(twente, guide, f):
    person = factories.person(twente)
    today = timezone.localdate()
    for _ in range(6):
        LLOConversation.objects.create(
            region=twente, person=person, adviser=guide, held_on=today, summary="x", outcome="apply"
        )
    data = indicators.vouchers(f)
    assert data["llo_total"] == 6 and data["llo_applied"] == 0
    assert data["llo_outcome"] == {"apply": 6}
    assert data["submitted"] == 0 and data["amount_granted"] == 0


def test_nps_and_appointments(twente, guide, f):
    employer = Employer.objects.create(region=twente, name="Bakkerij", kvk_number="11223344")
    now = timezone.now()
    for i, score in enumerate([10, 9, 9, 7, 3, 10]):
        NpsSurvey.objects.create(
            employer=employer,
            trigger="placement",
            trigger_ref=str(i),
            sent_to="a@example.org",
            answered_at=now - timedelta(minutes=5),
            score=score,
        )
    nps = indicators.employer_nps(f)
    assert nps["responses"] == 6 and nps["nps"] == round(100 * (4 - 1) / 6)
    point = twente.walk_in_points.first()
    person = factories.person(twente)
    start = now - timedelta(hours=2)
    for i in range(6):
        slot = Slot.objects.create(
            adviser=guide,
            walk_in_point=point,
            starts_at=start - timedelta(hours=i),
            ends_at=start - timedelta(hours=i) + timedelta(minutes=30),
        )
        cancelled = i == 0
        Booking.objects.create(
            slot=slot,
            person=person,
            booked_by=guide,
            status="cancelled" if cancelled else "booked",
            cancelled_at=now if cancelled else None,
            cancel_reason="ziek" if cancelled else "",
        )
    if start.date() >= f.period.start:
        assert indicators.appointments(f) == {"total": 6, "kept": 5, "cancelled": 1}
