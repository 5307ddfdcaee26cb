"""The .ics of an event: RFC 5545 through the shared pure module (appointments/ical.py)."""

from datetime import UTC, datetime

import pytest

from tests.events.conftest import make_event
from werkcentrum.events import services

pytestmark = pytest.mark.django_db


def test_ics_content(organiser):
    event = make_event(
        organiser,
        title="Meet & Greet zorg; koffie, thee",
        description="Regel 1\nRegel 2",
    )
    text = services.ical_for(event, stamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert f"UID:event-{event.pk}@127.0.0.1" in lines
    assert "DTSTAMP:20260102T030405Z" in lines
    assert f"DTSTART:{event.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in lines
    assert f"DTEND:{event.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in lines
    assert "SEQUENCE:0" in lines
    assert "SUMMARY:Meet & Greet zorg\\; koffie\\, thee" in lines
    assert "LOCATION:Inlooppunt Werkplein Enschede\\, " in unfolded
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Regel 1\\nRegel 2\\n\\nhttp")
    assert description.endswith(f"/evenementen/{event.pk}/")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_uid_is_stable_per_event(organiser):
    event = make_event(organiser)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    assert services.ical_for(event, stamp) == services.ical_for(event, stamp)
    other = make_event(organiser, title="Andere")
    assert f"UID:event-{other.pk}@" in services.ical_for(other, stamp)
