"""Retention rules as data: read and check ``privacy/data/retention.toml``, compute cut-offs.

Pure Python, no Django (like ``triage/`` and ``core/workdays.py``). The record types the
Werkcentrum knows, with what can be done to them, which date a period can count from and which
records can qualify, are listed here (``RECORD_TYPES``); the file picks, per record type, the
action, the period, the date and the qualifier, and names the processing activity it implements.
``retention_runner.py`` applies the rules to the database.

A record expires when the date it counts from lies before the cut-off: the moment of the run
minus the period, counted on the calendar (``2 years`` before 29 February is 28 February; a
calendar date such as a consent's last valid day is compared with the cut-off's date).
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from werkcentrum.core.datafile import DataFileError, FieldReader, parse_toml, read_text, type_name

DATA_DIR = Path(__file__).parent / "data"
RETENTION_FILE = DATA_DIR / "retention.toml"
REGISTER_FILE = DATA_DIR / "processing_register.toml"

ACTIONS = ("delete", "anonymise")
UNITS = ("days", "months", "years")
MAX_AMOUNT = {"days": 36_500, "months": 1_200, "years": 100}


class RetentionFileError(DataFileError):
    """The retention file is unreadable, not valid TOML, or breaks its schema."""


# -- periods --------------------------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^\s*(\d{1,6})\s*(day|days|month|months|year|years)\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A retention period: a whole number of days, months or years."""

    amount: int
    unit: str  # "days", "months" or "years"

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if not 1 <= self.amount <= MAX_AMOUNT[self.unit]:
            raise ValueError(f"amount must be 1 to {MAX_AMOUNT[self.unit]} {self.unit}")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit[:-1] if self.amount == 1 else self.unit}"

    @property
    def months(self) -> int | None:
        """The period in months (None for a period in days)."""
        if self.unit == "years":
            return 12 * self.amount
        return self.amount if self.unit == "months" else None

    def before(self, moment: datetime | date) -> datetime | date:
        """``moment`` minus this period on the calendar; the time of day stays. A day that does
        not exist in the target month becomes that month's last day (31 March - 1 month is 28
        or 29 February)."""
        if self.unit == "days":
            return moment - timedelta(days=self.amount)
        return minus_months(moment, self.months)

    def after(self, moment: datetime | date) -> datetime | date:
        """``moment`` plus this period (for "kept until"), on the calendar like ``before``."""
        if self.unit == "days":
            return moment + timedelta(days=self.amount)
        return minus_months(moment, -self.months)


def minus_months(moment: datetime | date, months: int) -> datetime | date:
    index = moment.year * 12 + (moment.month - 1) - months
    year, month0 = divmod(index, 12)
    if year < 1:
        raise ValueError("the cut-off would lie before the year 1")
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def parse_period(text: str) -> Period:
    """``"2 years"``, ``"18 months"``, ``"90 days"`` (``"1 year"`` too). ValueError otherwise."""
    match = _PERIOD_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f'must look like "2 years", "18 months" or "90 days", not {str(text)[:40]!r}'
        )
    unit = match.group(2).lower()
    return Period(int(match.group(1)), unit if unit.endswith("s") else unit + "s")


# -- the record types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordType:
    """What the Werkcentrum can do with one kind of record.

    ``counts_from``: the dates a period can count from, with what they mean (names that are
    model fields are plain fields; the others are computed by the runner). ``only``: the
    qualifiers a rule must choose from (none: every record of the type qualifies).
    ``calendar_dates``: the ``counts_from`` names that are dates, not moments."""

    record: str
    model: str
    actions: tuple[str, ...]
    counts_from: Mapping[str, str]
    only: Mapping[str, str] = field(default_factory=dict)
    calendar_dates: frozenset[str] = frozenset()
    description: str = ""


def _types(*types: RecordType) -> dict[str, RecordType]:
    return {t.record: t for t in types}


RECORD_TYPES: dict[str, RecordType] = _types(
    RecordType(
        "contact",
        "frontdoor.Contact",
        ("anonymise",),
        {
            "closed_at": "the answer, the last handover decision or the closing of the last "
            "advice trajectory, whichever is last"
        },
        {"closed": "answered questions without a waiting handover or an open trajectory"},
        description="a question (klantcontact) with its timeline, handovers and trajectories",
    ),
    RecordType(
        "person",
        "frontdoor.Person",
        ("anonymise",),
        {
            "last_activity": "the person's last question, consent, handover, trajectory, "
            "appointment, event registration, job-seeker profile change, LLO conversation, "
            "voucher application or login"
        },
        {
            "inactive": "no open question, trajectory, handover, voucher application, active "
            "consent, upcoming appointment or open deletion request"
        },
        description="a resident known to the Werkcentrum, with their account",
    ),
    RecordType(
        "consent",
        "frontdoor.Consent",
        ("anonymise",),
        {"ended_at": "the withdrawal, or else the last day of validity"},
        {"ended": "withdrawn or expired consents"},
        description="consent for a handover",
    ),
    RecordType(
        "candidate_profile",
        "candidates.CandidateProfile",
        ("delete",),
        {
            "last_mediation": "the last proposal or placement, profile change, or giving or "
            "withdrawing of consent for matching, whichever is last"
        },
        description="a job-seeker profile with its proposals",
    ),
    RecordType(
        "talent_wall_result",
        "orientation.TalentWallResult",
        ("delete",),
        {"created_at": "when it was stored", "shared_at": "when it was shared"},
        description="a talent-wall result shared with a career adviser",
    ),
    RecordType(
        "appointment",
        "appointments.Booking",
        ("anonymise",),
        {"starts_at": "the time of the appointment"},
        description="an appointment with an adviser",
    ),
    RecordType(
        "event_registration",
        "events.Registration",
        ("anonymise", "delete"),
        {"event_end": "the end of the event"},
        description="a registration for an event",
    ),
    RecordType(
        "llo_conversation",
        "vouchers.LLOConversation",
        ("anonymise",),
        {
            "closed_at": "the payment, rejection or withdrawal of its last application, or the "
            "day it was held when it led to none"
        },
        {"closed": "conversations without an open application"},
        calendar_dates=frozenset({"closed_at"}),
        description="an LLO conversation (advice on training)",
    ),
    RecordType(
        "voucher_application",
        "vouchers.Application",
        ("anonymise",),
        {"closed_at": "the payment, rejection or withdrawal"},
        {"closed": "paid, rejected or withdrawn applications"},
        description="an application for a training voucher",
    ),
    RecordType(
        "portal_search",
        "portal.PortalSearch",
        ("delete",),
        {"at": "the search"},
        description="an employer's anonymised candidate search",
    ),
    RecordType(
        "contact_request",
        "portal.ContactRequest",
        ("delete",),
        {"created_at": "the request"},
        {"handled": "handled requests", "all": "every request"},
        description="an employer's request to contact a group of candidates",
    ),
    RecordType(
        "deletion_request",
        "residents.DeletionRequest",
        ("delete",),
        {"handled_at": "when it was carried out or refused"},
        {"handled": "carried out or refused requests"},
        description="a resident's request to be forgotten",
    ),
    RecordType(
        "outbound_email",
        "outbox.OutboundEmail",
        ("delete",),
        {"created_at": "when it was queued", "sent_at": "when it was sent"},
        {"sent": "sent e-mails", "sent_or_failed": "sent or failed e-mails (never queued ones)"},
        description="an e-mail in the outbox",
    ),
    RecordType(
        "processing_log",
        "privacy.ProcessingLogEntry",
        ("delete",),
        {"at": "the processing"},
        description="an entry of the processing log",
    ),
    RecordType(
        "report_job",
        "monitoring.ReportJob",
        ("delete",),
        {"created_at": "when it was asked for", "finished_at": "when it was finished"},
        {"finished": "ready or failed reports"},
        description="a report made in the browser",
    ),
    RecordType(
        "session",
        "sessions.Session",
        ("delete",),
        {"expire_date": "when it expired"},
        description="a login session",
    ),
    RecordType(
        "login_log",
        "axes.AccessLog",
        ("delete",),
        {"attempt_time": "the login"},
        description="a successful login (django-axes)",
    ),
    RecordType(
        "failed_login",
        "axes.AccessAttempt",
        ("delete",),
        {"attempt_time": "the last failed attempt"},
        description="failed login attempts (django-axes)",
    ),
)


# -- rules and the policy -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    record: str
    model: str
    action: str
    period: Period
    counts_from: str
    only: str = ""
    activities: tuple[str, ...] = ()
    note: str = ""

    @property
    def type(self) -> RecordType:
        return RECORD_TYPES[self.record]

    @property
    def counts_from_a_calendar_date(self) -> bool:
        return self.counts_from in self.type.calendar_dates

    def cutoff(self, now: datetime) -> datetime:
        """Records whose date lies before this moment have expired."""
        return self.period.before(now)


@dataclass(frozen=True)
class Policy:
    version: str
    rules: tuple[Rule, ...]
    source: str = ""

    def rule(self, record: str) -> Rule | None:
        return next((r for r in self.rules if r.record == record), None)

    def cutoffs(self, now: datetime) -> dict[str, datetime]:
        return {rule.record: rule.cutoff(now) for rule in self.rules}


RULE_KEYS = {"record", "model", "action", "period", "counts_from", "only", "activity", "note"}


class _Reader(FieldReader):
    error = RetentionFileError

    def __init__(self, source: str, activities: set[str] | None):
        super().__init__(source)
        self.activities = activities

    def document(self, data: dict) -> Policy:
        self.check_keys("file", data, {"version", "rules"})
        version = self.get_str("file", data, "version")
        rules = data.get("rules")
        if not isinstance(rules, list) or not rules:
            self.fail("file", "rules", "must be a non-empty array of tables ([[rules]])")
        parsed: list[Rule] = []
        seen: set[str] = set()
        for number, table in enumerate(rules, start=1):
            rule = self.rule(number, table)
            if rule.record in seen:
                self.fail(f"rule {number} ({rule.record})", "record", "a second rule for it")
            seen.add(rule.record)
            parsed.append(rule)
        return Policy(version, tuple(parsed), self.source)

    def rule(self, number: int, table) -> Rule:
        entry = f"rule {number}"
        if not isinstance(table, dict):
            self.fail(entry, "rule", f"must be a table, not {type_name(table)}")
        record = self.get_str(entry, table, "record")
        kind = RECORD_TYPES.get(record)
        if kind is None:
            self.fail(
                entry,
                "record",
                f"unknown record type {record!r} (known: {', '.join(sorted(RECORD_TYPES))})",
            )
        entry = f"rule {number} ({record})"
        self.check_keys(entry, table, RULE_KEYS)
        model = self.get_str(entry, table, "model")
        if model != kind.model:
            known = {t.model for t in RECORD_TYPES.values()}
            reason = "unknown model" if model not in known else "not the model of this record"
            self.fail(entry, "model", f"{reason} {model!r}: {record} is stored in {kind.model}")
        action = self.get_str(entry, table, "action")
        if action not in ACTIONS:
            self.fail(entry, "action", f"unknown action {action!r} (expected delete or anonymise)")
        if action not in kind.actions:
            self.fail(
                entry,
                "action",
                f"{record} cannot be {action}d (possible: {', '.join(kind.actions)})",
            )
        raw_period = self.get_str(entry, table, "period")
        try:
            period = parse_period(raw_period)
        except ValueError as exc:
            self.fail(entry, "period", str(exc))
        counts_from = self.get_str(entry, table, "counts_from")
        if counts_from not in kind.counts_from:
            self.fail(
                entry,
                "counts_from",
                f"unknown date {counts_from!r} for {record} "
                f"(possible: {', '.join(kind.counts_from)})",
            )
        only = self.get_str(entry, table, "only", required=bool(kind.only))
        if kind.only and only not in kind.only:
            self.fail(
                entry, "only", f"unknown qualifier {only!r} (possible: {', '.join(kind.only)})"
            )
        if not kind.only and only:
            self.fail(entry, "only", f"{record} has no qualifiers: every record counts")
        activities = self.activity_codes(entry, table)
        note = self.get_str(entry, table, "note", required=not activities, collapse_spaces=True)
        return Rule(record, model, action, period, counts_from, only, activities, note)

    def activity_codes(self, entry: str, table: dict) -> tuple[str, ...]:
        value = table.get("activity")
        if value is None:
            return ()
        codes = [value] if isinstance(value, str) else value
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            self.fail(entry, "activity", "must be a code or a non-empty array of codes")
        if self.activities is not None:
            for code in codes:
                if code not in self.activities:
                    self.fail(
                        entry,
                        "activity",
                        f"{code!r} is not an activity of the processing register",
                    )
        return tuple(codes)


def parse(text: str, source: str = "retention.toml", *, activities: Iterable[str] | None = None):
    """The policy in ``text``; ``activities``: the register's codes (None: not checked)."""
    data = parse_toml(text, source, RetentionFileError)
    known = set(activities) if activities is not None else None
    return _Reader(source, known).document(data)


def register_activities(path: str | Path = REGISTER_FILE) -> dict[str, str]:
    """The processing register's activities: code -> retention text."""
    with Path(path).open("rb") as handle:
        return {a["code"]: a.get("retention", "") for a in tomllib.load(handle)["activities"]}


def load(path: str | Path = RETENTION_FILE, *, register: str | Path = REGISTER_FILE) -> Policy:
    """The retention file at ``path``, checked against the processing register."""
    text = read_text(path, RetentionFileError)
    return parse(text, str(path), activities=register_activities(register))


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    record: str
    action: str
    cutoff: datetime
    count: int

    def as_json(self) -> dict:
        return {
            "record": self.record,
            "action": self.action,
            "cutoff": self.cutoff.isoformat(timespec="seconds"),
            "count": self.count,
        }


def summary_json(results: Iterable[RuleResult], *, dry_run: bool) -> dict:
    """The command's and the audit trail's shape: counts per rule, never personal data."""
    return {"rules": [r.as_json() for r in results], "dry_run": dry_run}
