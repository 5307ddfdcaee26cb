"""The pure core of retention (privacy/retention.py): the bundled file against the processing
register, clear errors for a broken file, and calendar cut-offs (examples and properties).
No database."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.privacy.retention import (
    RECORD_TYPES,
    RETENTION_FILE,
    Period,
    RetentionFileError,
    RuleResult,
    load,
    minus_months,
    parse,
    parse_period,
    register_activities,
    summary_json,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ACTIVITIES = set(register_activities())

GOOD_RULE = """
[[rules]]
record = "portal_search"
model = "portal.PortalSearch"
action = "delete"
period = "1 year"
counts_from = "at"
activity = "portal_search"
"""


def policy_text(rule: str = GOOD_RULE, version: str = "test") -> str:
    return f'version = "{version}"\n{rule}'


def broken(rule: str) -> str:
    """The error message of a file with this one rule."""
    with pytest.raises(RetentionFileError) as info:
        parse(policy_text(rule), "test.toml", activities=ACTIVITIES)
    return str(info.value)


# -- the bundled file ----------------------------------------------------------------------------


def test_the_bundled_file_is_valid_and_has_one_rule_per_record_type():
    policy = load()
    records = [rule.record for rule in policy.rules]
    assert len(records) == len(set(records))
    assert set(records) == set(RECORD_TYPES), "every known record type has a rule"


_REGISTER_PERIOD = re.compile(r"(\d+)\s*(jaar|maanden|maand|dagen|dag)\b")
_UNITS = {"jaar": "years", "maand": "months", "maanden": "months", "dag": "days", "dagen": "days"}


def test_every_period_matches_the_retention_text_of_its_activities():
    """The periods must say what the processing register promises (e.g. "2 jaar na afsluiten
    van de vraag" -> 2 years)."""
    texts = register_activities()
    for rule in load().rules:
        for code in rule.activities:
            promised = {
                Period(int(n), _UNITS[unit]) for n, unit in _REGISTER_PERIOD.findall(texts[code])
            }
            assert promised, f"{code}: the register's retention text names no period"
            assert rule.period in promised, (rule.record, code, texts[code])


def test_every_activity_of_the_register_is_implemented_by_a_rule():
    covered = {code for rule in load().rules for code in rule.activities}
    assert covered == ACTIVITIES


def test_rules_without_an_activity_explain_themselves():
    for rule in load().rules:
        if not rule.activities:
            assert len(rule.note) > 40, rule.record


def test_the_core_needs_no_django():
    code = (
        "import sys; from werkcentrum.privacy import retention; retention.load();"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- errors ---------------------------------------------------------------------------------------


def test_a_minimal_file_parses():
    policy = parse(policy_text(), activities=ACTIVITIES)
    (rule,) = policy.rules
    assert (rule.record, rule.action, rule.period, rule.counts_from) == (
        "portal_search",
        "delete",
        Period(1, "years"),
        "at",
    )
    assert rule.activities == ("portal_search",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('record = "portal_search"', 'record = "search"'), "unknown record type 'search'"),
        (("portal.PortalSearch", "portal.Search"), "unknown model 'portal.Search'"),
        (("portal.PortalSearch", "frontdoor.Contact"), "not the model of this record"),
        (('action = "delete"', 'action = "purge"'), "unknown action 'purge'"),
        (('action = "delete"', 'action = "anonymise"'), "portal_search cannot be anonymised"),
        (('period = "1 year"', 'period = "2 weeks"'), 'must look like "2 years"'),
        (('period = "1 year"', 'period = "0 days"'), "amount must be 1 to 36500 days"),
        (('period = "1 year"', 'period = "200 years"'), "amount must be 1 to 100 years"),
        (('period = "1 year"', 'period = "-1 years"'), 'must look like "2 years"'),
        (('period = "1 year"', "period = 365"), "must be a string, not an integer"),
        (('counts_from = "at"', 'counts_from = "updated"'), "unknown date 'updated'"),
        (
            ('activity = "portal_search"', 'activity = "searching"'),
            "'searching' is not an activity",
        ),
        (('activity = "portal_search"', "activity = []"), "a non-empty array of codes"),
        (('activity = "portal_search"', ""), "note: missing (required)"),
        (('activity = "portal_search"', 'colour = "red"'), "colour: unknown key"),
        (('counts_from = "at"', 'counts_from = "at"\nonly = "all"'), "has no qualifiers"),
    ],
)
def test_a_broken_rule_is_named_with_its_field(change, expected):
    old, new = change
    assert old in GOOD_RULE
    message = broken(GOOD_RULE.replace(old, new))
    assert message.startswith("test.toml: rule 1"), message
    assert expected in message, message
    assert "\n" not in message


def test_a_qualifier_is_required_where_the_record_type_has_a_choice():
    rule = GOOD_RULE.replace('record = "portal_search"', 'record = "contact_request"')
    rule = rule.replace("portal.PortalSearch", "portal.ContactRequest")
    rule = rule.replace('counts_from = "at"', 'counts_from = "created_at"')
    assert "only: missing (required)" in broken(rule)
    assert "unknown qualifier 'open'" in broken(rule + 'only = "open"\n')
    parse(policy_text(rule + 'only = "handled"\n'), activities=ACTIVITIES)


def test_a_second_rule_for_the_same_record_type_is_refused():
    assert "rule 2 (portal_search): record: a second rule for it" in broken(GOOD_RULE * 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('version = "x"\nrules = [\n', "file: syntax"),
        ('version = "x"\n', "rules: must be a non-empty array"),
        ('version = "x"\nrules = []\n', "rules: must be a non-empty array"),
        ('version = "x"\nrules = [1]\n', "rule 1: rule: must be a table, not an integer"),
        ('version = "x"\ncolour = 1\n' + GOOD_RULE, "file: colour: unknown key"),
        (GOOD_RULE, "file: version: missing (required)"),
    ],
)
def test_a_broken_file_is_named(text, expected):
    with pytest.raises(RetentionFileError) as info:
        parse(text, "test.toml", activities=ACTIVITIES)
    assert expected in str(info.value)


def test_an_unreadable_or_non_utf8_file(tmp_path):
    with pytest.raises(RetentionFileError, match="file: read"):
        load(tmp_path / "missing.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(policy_text().encode() + b"# caf\xe9\n")
    with pytest.raises(RetentionFileError, match="not UTF-8"):
        load(latin)


def test_the_bundled_file_path():
    assert RETENTION_FILE.name == "retention.toml" and RETENTION_FILE.exists()


# -- periods and cut-offs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2 years", Period(2, "years")),
        ("1 year", Period(1, "years")),
        (" 18 Months ", Period(18, "months")),
        ("90 days", Period(90, "days")),
        ("1day", Period(1, "days")),
    ],
)
def test_periods_parse(text, period):
    assert parse_period(text) == period
    assert parse_period(str(period)) == period


def test_cutoff_examples():
    now = datetime(2026, 3, 10, 3, 30, tzinfo=AMSTERDAM)
    assert Period(2, "years").before(now) == datetime(2024, 3, 10, 3, 30, tzinfo=AMSTERDAM)
    assert Period(90, "days").before(now) == datetime(2025, 12, 10, 3, 30, tzinfo=AMSTERDAM)
    leap = datetime(2024, 2, 29, 12, tzinfo=AMSTERDAM)
    assert Period(1, "years").before(leap) == datetime(2023, 2, 28, 12, tzinfo=AMSTERDAM)
    assert Period(1, "months").before(date(2026, 3, 31)) == date(2026, 2, 28)
    assert Period(13, "months").before(date(2026, 1, 31)) == date(2024, 12, 31)
    # Across a change of summer time the local time of day stays (the offset follows).
    summer = datetime(2026, 7, 1, 3, 30, tzinfo=AMSTERDAM)
    assert Period(6, "months").before(summer).utcoffset() == timedelta(hours=1)


def test_summary_json_has_counts_only():
    result = RuleResult("contact", "anonymise", datetime(2024, 3, 10, 3, 30, tzinfo=UTC), 12)
    assert summary_json([result], dry_run=True) == {
        "rules": [
            {
                "record": "contact",
                "action": "anonymise",
                "cutoff": "2024-03-10T03:30:00+00:00",
                "count": 12,
            }
        ],
        "dry_run": True,
    }


moments = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
)
periods = st.builds(
    Period, st.integers(min_value=1, max_value=100), st.sampled_from(["years", "months"])
) | st.builds(Period, st.integers(min_value=1, max_value=36_500), st.just("days"))


@given(moments, periods)
def test_the_cutoff_lies_before_now_and_keeps_the_time_of_day(now, period):
    cutoff = period.before(now)
    assert cutoff < now
    assert cutoff.time() == now.time() and cutoff.tzinfo == now.tzinfo


@given(moments, periods, st.integers(min_value=1, max_value=50))
def test_a_longer_period_never_gives_a_later_cutoff(now, period, extra):
    longer = Period(
        min(period.amount + extra, 36_500 if period.unit == "days" else 100), period.unit
    )
    assert longer.before(now) <= period.before(now)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)), periods)
def test_after_is_the_way_back(day, period):
    later = period.after(day)
    assert later > day
    assert period.before(later) <= day  # equal unless a month's last day was clamped
    assert period.before(later) == day or day.day > 28


@given(moments, st.integers(min_value=1, max_value=100))
def test_years_are_twelve_months(now, years):
    assert Period(years, "years").before(now) == Period(12 * years, "months").before(now)


@given(moments, st.integers(min_value=1, max_value=36_500))
def test_days_are_exact(now, days):
    assert now - Period(days, "days").before(now) == timedelta(days=days)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 1200))
def test_months_land_in_the_right_month_on_the_same_or_last_day(day, months):
    back = minus_months(day, months)
    assert (day.year * 12 + day.month) - (back.year * 12 + back.month) == months
    assert back.day == day.day or (back.day < day.day and (back + timedelta(days=1)).day == 1)


@given(st.from_regex(r"\A\s*[1-9][0-9]?\s*(days?|months?|years?)\s*\Z", fullmatch=True))
def test_every_well_formed_period_round_trips(text):
    period = parse_period(text)
    assert parse_period(str(period)) == period


@given(st.text(max_size=30))
def test_parse_period_never_crashes(text):
    try:
        period = parse_period(text)
    except ValueError:
        return
    assert period.amount >= 1 and period.unit in ("days", "months", "years")
