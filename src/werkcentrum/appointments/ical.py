"""iCalendar (RFC 5545) text for one appointment. Pure: no Django, no database.

CRLF line endings, content lines folded at 75 octets (never inside a UTF-8 character),
TEXT values escaped (backslash, semicolon, comma, newline), times in UTC ("Z").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//Werkcentrum//Afspraken//NL"
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(char, escaped)
    return value


def utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times need an aware datetime")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets; continuations start with a
    space (which counts toward the 75)."""
    chunks, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not chunks else MAX_OCTETS - 1
        if size + octets > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def calendar(event: Event, *, stamp: datetime) -> str:
    """A VCALENDAR with one VEVENT, ready to attach or download (text/calendar)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
