"""The demo events: five upcoming published events, linked to demo employers, idempotent."""

import io

import pytest
from django.core.management import call_command

from werkcentrum.events.demo import load_demo_events
from werkcentrum.events.models import Event, EventKind

pytestmark = pytest.mark.django_db


def test_demo_events_are_created_once(twente):
    call_command(
        "generate",
        region="twente",
        employers=10,
        vacancies=20,
        candidates=0,
        seed=7,
        stdout=io.StringIO(),
    )
    events = load_demo_events(twente)
    assert len(events) == 5
    assert {e.kind for e in events} == set(EventKind.values)
    by_kind = {e.kind: e for e in events}
    assert by_kind[EventKind.JOB_FAIR].city == "Enschede"
    assert by_kind[EventKind.MEET_AND_GREET].city == "Hengelo"
    assert by_kind[EventKind.WORKSHOP].city == "Almelo"
    assert by_kind[EventKind.WORKSHOP].title == "Workshop solliciteren"
    assert by_kind[EventKind.NETWORK_DAY].audience == "employers"
    assert by_kind[EventKind.JOB_FAIR].employers.exists()
    assert by_kind[EventKind.JOB_FAIR].vacancies.exists()
    assert all(e.published for e in events)

    again = load_demo_events(twente)
    assert [e.pk for e in again] == [e.pk for e in events]
    assert Event.objects.count() == 5


def test_demo_events_without_employers(twente, client):
    events = load_demo_events(twente)
    assert not any(e.employers.exists() for e in events)
    client.cookies["django_language"] = "en"
    html = client.get("/evenementen/").content.decode()
    assert "5 upcoming events" in html
