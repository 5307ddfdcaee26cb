"""Working-day arithmetic for pick-up deadlines (pure, no Django).

Saturdays and Sundays are not working days; public holidays come from the caller
(configuration), so a region can add its own.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int, holidays: Collection[date] = ()) -> datetime:
    """The moment ``days`` working days after ``start``, keeping the time of day.

    A handover made on Friday 15:00 with two working days is due Tuesday 15:00; one made on
    Saturday counts from Monday start of day rather than giving the partner less time.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while not is_working_day(current.date(), holidays):
        current = (current + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current.date(), holidays):
            remaining -= 1
    return current


def working_days_between(start: datetime, end: datetime, holidays: Collection[date] = ()) -> float:
    """Working days elapsed between two moments (fractional, weekends skipped). For reports."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = datetime.combine(
            cursor.date() + timedelta(days=1), datetime.min.time(), tzinfo=cursor.tzinfo
        )
        segment_end = min(end, next_midnight)
        if is_working_day(cursor.date(), holidays):
            total += (segment_end - cursor).total_seconds() / 86400
        cursor = segment_end
    return total
