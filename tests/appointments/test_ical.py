"""The iCalendar text (RFC 5545): CRLF, folding at 75 octets, escaping, UTC times."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from werkcentrum.appointments.ical import Event, calendar, escape_text, fold

AMS = ZoneInfo("Europe/Amsterdam")


def event(**extra):
    values = {
        "uid": "appointment-7@werkcentrum.example",
        "starts_at": datetime(2026, 6, 2, 10, 0, tzinfo=AMS),
        "ends_at": datetime(2026, 6, 2, 10, 30, tzinfo=AMS),
        "summary": "Afspraak bij het Werkcentrum",
        "location": "Sociaal plein, Ganzenmarkt 1, 7571 CH Oldenzaal",
        "description": "Met: Anna\nNiet gelegen? Bel 0541-123456.",
    }
    values.update(extra)
    return Event(**values)


def unfold(text):
    return text.replace("\r\n ", "")


def test_structure_crlf_and_utc_times():
    text = calendar(event(), stamp=datetime(2026, 5, 1, 12, 0, 5, tzinfo=UTC))
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    lines = unfold(text).split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines[1] == "VERSION:2.0" and any(line.startswith("PRODID:") for line in lines)
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")
    assert "UID:appointment-7@werkcentrum.example" in lines
    assert "DTSTAMP:20260501T120005Z" in lines
    assert "DTSTART:20260602T080000Z" in lines  # 10:00 summer time in Amsterdam
    assert "DTEND:20260602T083000Z" in lines
    assert "SUMMARY:Afspraak bij het Werkcentrum" in lines
    assert "LOCATION:Sociaal plein\\, Ganzenmarkt 1\\, 7571 CH Oldenzaal" in lines
    assert "DESCRIPTION:Met: Anna\\nNiet gelegen? Bel 0541-123456." in lines
    winter = calendar(
        event(starts_at=datetime(2026, 1, 6, 9, 0, tzinfo=AMS)), stamp=datetime.now(UTC)
    )
    assert "DTSTART:20260106T080000Z" in winter


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a, b; c", "a\\, b\\; c"),
        ("line 1\nline 2\r\nline 3", "line 1\\nline 2\\nline 3"),
        ("back\\slash", "back\\\\slash"),
        ("plain: text", "plain: text"),
    ],
)
def test_text_is_escaped(raw, escaped):
    assert escape_text(raw) == escaped


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    description = "Één afspraak bij het Werkcentrum – café € " * 12
    text = calendar(event(description=description), stamp=datetime.now(UTC))
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # never cut inside a character
    assert f"DESCRIPTION:{escape_text(description)}" in unfold(text).split("\r\n")
    assert any(line.startswith(" ") for line in text.split("\r\n"))


def test_fold_keeps_short_lines_and_counts_the_leading_space():
    assert fold("SUMMARY:kort") == "SUMMARY:kort"
    folded = fold("X" * 200).split("\r\n ")
    assert [len(part) for part in folded] == [75, 74, 51]


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        calendar(event(starts_at=datetime(2026, 6, 2, 10, 0)), stamp=datetime.now(UTC))
