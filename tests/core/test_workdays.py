"""Working-day arithmetic for pick-up deadlines (pure, no database)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.core.workdays import add_working_days, is_working_day, working_days_between

AMS = ZoneInfo("Europe/Amsterdam")


def test_friday_afternoon_plus_two_is_tuesday_same_time():
    friday = datetime(2026, 1, 9, 15, 0, tzinfo=AMS)
    assert friday.weekday() == 4
    due = add_working_days(friday, 2)
    assert due == datetime(2026, 1, 13, 15, 0, tzinfo=AMS)
    assert due.weekday() == 1


def test_saturday_counts_from_monday_morning():
    saturday = datetime(2026, 1, 10, 22, 30, tzinfo=AMS)
    due = add_working_days(saturday, 2)
    # Monday 09:00 is the start, two working days later is Wednesday 09:00.
    assert due == datetime(2026, 1, 14, 9, 0, tzinfo=AMS)
    assert add_working_days(saturday, 0) == datetime(2026, 1, 12, 9, 0, tzinfo=AMS)


def test_holidays_are_skipped_and_negative_days_refused():
    thursday = datetime(2026, 4, 2, 10, 0, tzinfo=AMS)
    good_friday, easter_monday = date(2026, 4, 3), date(2026, 4, 6)
    assert add_working_days(thursday, 1, holidays={good_friday, easter_monday}) == datetime(
        2026, 4, 7, 10, 0, tzinfo=AMS
    )
    assert not is_working_day(good_friday, {good_friday})
    with pytest.raises(ValueError):
        add_working_days(thursday, -1)


def test_working_days_between_skips_weekend():
    friday = datetime(2026, 1, 9, 12, 0, tzinfo=UTC)
    monday = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
    assert working_days_between(friday, monday) == pytest.approx(1.0)
    assert working_days_between(monday, friday) == 0.0


moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(AMS)
)


@given(start=moments, days=st.integers(min_value=0, max_value=30))
def test_result_is_a_working_day_not_before_start(start, days):
    due = add_working_days(start, days)
    assert is_working_day(due.date())
    assert due >= start
    # Never more than the asked working days plus the weekends in between.
    assert due - start <= timedelta(days=days + 2 * (days // 5 + 1) + 1)
    if is_working_day(start.date()):
        assert due.time() == start.time()
        assert working_days_between(start, due) == pytest.approx(days, abs=1e-6)
