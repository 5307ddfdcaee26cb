"""The arithmetic of the labour-market page: periods, growth, tension, ranking, small-cell
suppression and the plain-language summary in Dutch and English.

Pure: no Django. ``selectors.py`` fetches aggregates from the database and hands them here;
everything a person reads is decided in this module (see docs/labour-market.md).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from werkcentrum.occupations.chains import CHAIN_ISCO, chain_of_isco

from .occupation_groups import group_of

MIN_CELL = 5  # job-seeker counts below this are never shown (nor anything derived from them)
MIN_GROWTH_BASE = 10  # an occupation needs this many new vacancies in the previous period
MIN_OPEN = 5  # a group needs this many open vacancies to be ranked hardest to fill
LONG_OPEN_DAYS = 90  # "open for long": registered more than this many days ago, still open
SERIES_MONTHS = 24  # the time series always shows this many months, ending with the period
EARLIEST = date(2000, 1, 1)

K = TypeVar("K", bound=Hashable)

# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

ROLLING, MONTH, QUARTER, YEAR = "rolling", "month", "quarter", "year"
DEFAULT_PERIOD = "12m"


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months: from ``start`` (a first of the month) for ``months`` months."""

    kind: str
    start: date
    months: int

    @property
    def end(self) -> date:
        """The first day after the period (exclusive)."""
        return add_months(self.start, self.months)

    @property
    def last_day(self) -> date:
        end = add_months(self.start, self.months - 1)
        return date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])

    @property
    def key(self) -> str:
        if self.kind == ROLLING:
            return DEFAULT_PERIOD
        if self.kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        return Period(self.kind, add_months(self.start, -self.months), self.months)

    def month_starts(self) -> list[date]:
        return [add_months(self.start, i) for i in range(self.months)]

    def series_months(self, count: int = SERIES_MONTHS) -> list[date]:
        """``count`` months ending with this period's last month (context for the chart)."""
        first = add_months(self.end, -max(count, self.months))
        return [add_months(first, i) for i in range(max(count, self.months))]

    def contains(self, month: date) -> bool:
        return self.start <= month < self.end


def default_period(today: date) -> Period:
    """The last 12 complete calendar months."""
    return Period(ROLLING, add_months(today, -12), 12)


_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$", re.ASCII)
_YEAR_RE = re.compile(r"^(\d{4})$", re.ASCII)


def parse_period(value: str | None, today: date) -> Period | None:
    """A period from its URL value ("12m", "2025-03", "2025-Q1", "2025"); None when the value
    is not understood or the period is not complete yet (or lies before 2000)."""
    value = (value or "").strip()
    if value in ("", DEFAULT_PERIOD):
        return default_period(today)
    if len(value) > 7:
        return None
    period = None
    if m := _MONTH_RE.fullmatch(value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            period = Period(MONTH, date(year, month, 1), 1)
    elif m := _QUARTER_RE.fullmatch(value):
        period = Period(QUARTER, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1), 3)
    elif m := _YEAR_RE.fullmatch(value):
        period = Period(YEAR, date(int(m[1]), 1, 1), 12)
    if period is None or period.start < EARLIEST or period.end > add_months(today, 0):
        return None
    return period


def period_options(today: date, *, months: int = 24, quarters: int = 8, years: int = 3):
    """The periods offered in the filter: rolling 12 months, then complete years, quarters and
    months, newest first."""
    this_month = add_months(today, 0)
    year_list = [Period(YEAR, date(today.year - i, 1, 1), 12) for i in range(1, years + 1)]
    this_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarter_list = [Period(QUARTER, add_months(this_quarter, -3 * i), 3) for i in range(1, 9)]
    month_list = [Period(MONTH, add_months(this_month, -i), 1) for i in range(1, months + 1)]
    return {
        ROLLING: [default_period(today)],
        YEAR: year_list,
        QUARTER: quarter_list[:quarters],
        MONTH: month_list,
    }


# --------------------------------------------------------------------------------------------
# Numbers and names in Dutch and English
# --------------------------------------------------------------------------------------------

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
MONTHS_SHORT = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _lang(lang: str) -> str:
    return "en" if (lang or "").lower().startswith("en") else "nl"


def fmt_int(n: int, lang: str = "nl") -> str:
    text = f"{int(n):,}"
    return text.replace(",", ".") if _lang(lang) == "nl" else text


def fmt_decimal(x: float, lang: str = "nl", places: int = 1) -> str:
    text = f"{x:,.{places}f}"
    if _lang(lang) == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_percent(fraction: float, lang: str = "nl", signed: bool = False) -> str:
    pct = round(fraction * 100)
    text = f"{fmt_int(abs(pct), lang)}%"
    if signed:
        return ("+" if pct > 0 else "−" if pct < 0 else "±") + text
    return text if pct >= 0 else "−" + text


def fmt_tension(x: float, lang: str = "nl") -> str:
    """Two significant figures, at most: 12, 1,5, 0,25, 0,06."""
    if x >= 10:
        return fmt_int(round(x), lang)
    if x >= 1:
        return fmt_decimal(x, lang, 1)
    if x >= 0.01:
        return fmt_decimal(x, lang, 2)
    if x > 0:
        return ("less than " if _lang(lang) == "en" else "minder dan ") + fmt_decimal(0.01, lang, 2)
    return "0"


def month_name(month: date, lang: str = "nl") -> str:
    return f"{MONTHS[_lang(lang)][month.month - 1]} {month.year}"


def month_short(month: date, lang: str = "nl") -> str:
    return f"{MONTHS_SHORT[_lang(lang)][month.month - 1]} '{month.year % 100:02d}"


def day_name(day: date, lang: str = "nl") -> str:
    if _lang(lang) == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS['nl'][day.month - 1]} {day.year}"


def period_name(period: Period, lang: str = "nl") -> str:
    """A short name for the filter and headings: "afgelopen 12 maanden", "maart 2025",
    "1e kwartaal 2025", "2025"."""
    en = _lang(lang) == "en"
    if period.kind == ROLLING:
        return f"past {period.months} months" if en else f"afgelopen {period.months} maanden"
    if period.kind == MONTH:
        return month_name(period.start, lang)
    if period.kind == QUARTER:
        return (
            f"Q{period.quarter} {period.start.year}"
            if en
            else (f"{period.quarter}e kwartaal {period.start.year}")
        )
    return str(period.start.year)


def period_range(period: Period, lang: str = "nl") -> str:
    """The exact dates: "1 maart 2025 t/m 28 februari 2026"."""
    joiner = " to " if _lang(lang) == "en" else " t/m "
    return day_name(period.start, lang) + joiner + day_name(period.last_day, lang)


def _period_phrases(period: Period, lang: str) -> tuple[str, str]:
    """("In de afgelopen 12 maanden", "in de 12 maanden daarvoor") and the like."""
    en = _lang(lang) == "en"
    if period.kind == ROLLING:
        if en:
            return f"In the past {period.months} months", f"in the {period.months} months before"
        return f"In de afgelopen {period.months} maanden", f"in de {period.months} maanden daarvoor"
    previous = period.previous()
    if period.kind == QUARTER and not en:
        return (
            f"In het {period.quarter}e kwartaal van {period.start.year}",
            f"in het {previous.quarter}e kwartaal van {previous.start.year}",
        )
    return "In " + period_name(period, lang), "in " + period_name(previous, lang)


def join_names(names: Sequence[str], lang: str = "nl") -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (" and " if _lang(lang) == "en" else " en ") + names[-1]


# --------------------------------------------------------------------------------------------
# Small-cell suppression
# --------------------------------------------------------------------------------------------

SMALL = "small"  # fewer than MIN_CELL
SECONDARY = "secondary"  # hidden so that a small cell cannot be worked out by subtraction


@dataclass(frozen=True)
class Cell:
    """A job-seeker count as it may be shown: ``value`` is None when it is hidden."""

    value: int | None
    hidden: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


def protect_count(count: int, minimum: int = MIN_CELL) -> Cell:
    return Cell(count) if count >= minimum else Cell(None, SMALL)


def protect(counts: Mapping[K, int], minimum: int = MIN_CELL) -> dict[K, Cell]:
    """Hide every count below ``minimum`` ("fewer than 5"); when exactly one count in a table is
    hidden, hide the next smallest too ("not shown"), so it cannot be derived from a total."""
    cells = {key: protect_count(count, minimum) for key, count in counts.items()}
    small = [key for key, cell in cells.items() if not cell.shown]
    if len(small) == 1:
        rest = sorted(
            (key for key, cell in cells.items() if cell.shown),
            key=lambda k: (counts[k], str(k)),
        )
        if rest:
            cells[rest[0]] = Cell(None, SECONDARY)
    return cells


# --------------------------------------------------------------------------------------------
# Growth, tension, ranking
# --------------------------------------------------------------------------------------------


def growth(current: int, previous: int) -> float | None:
    """Relative change from the previous period: 0.08 is 8% more; None without a base."""
    if previous <= 0:
        return None
    return (current - previous) / previous


def tension(open_vacancies: int, job_seekers: Cell) -> float | None:
    """Open vacancies per available job seeker; None when the job seekers are hidden or none."""
    if not job_seekers.shown or not job_seekers.value:
        return None
    return open_vacancies / job_seekers.value


T = TypeVar("T")


def rank(items: Iterable[T], score: Callable[[T], Any], n: int | None = None) -> list[T]:
    """Highest score first; ties by label, then key, so the order never depends on input order."""
    ordered = sorted(items, key=lambda i: (_negate(score(i)), i.label, str(i.key)))
    return ordered if n is None else ordered[:n]


def _negate(score: Any) -> Any:
    return tuple(-x for x in score) if isinstance(score, tuple) else -score


@dataclass(frozen=True)
class Change:
    """New vacancies of one occupation in this period and the previous one."""

    key: str
    label: str
    current: int
    previous: int

    @property
    def growth(self) -> float | None:
        return growth(self.current, self.previous)


def fastest_growing(
    rows: Iterable[Change], *, min_base: int = MIN_GROWTH_BASE, n: int = 10
) -> list[Change]:
    """Occupations with at least ``min_base`` new vacancies in the previous period that grew,
    by relative growth, then by size."""
    eligible = [r for r in rows if r.previous >= min_base and r.current > r.previous]
    return rank(eligible, lambda r: (r.growth, r.current), n)


@dataclass(frozen=True)
class GroupFigures:
    """One sector, occupation group or municipality."""

    key: str
    label: str
    new: int = 0
    new_previous: int = 0
    open: int = 0
    open_long: int = 0
    job_seekers: Cell | None = None  # None where job seekers are not counted (municipalities)

    @property
    def growth(self) -> float | None:
        return growth(self.new, self.new_previous)

    @property
    def tension(self) -> float | None:
        return None if self.job_seekers is None else tension(self.open, self.job_seekers)

    @property
    def long_share(self) -> float | None:
        return self.open_long / self.open if self.open else None


def hardest_to_fill(
    groups: Iterable[GroupFigures], *, min_open: int = MIN_OPEN, n: int = 10
) -> list[GroupFigures]:
    """Groups with the most open vacancies per job seeker (only where that may be shown)."""
    eligible = [g for g in groups if g.open >= min_open and g.tension is not None]
    return rank(eligible, lambda g: (g.tension, g.open), n)


def open_longest(
    groups: Iterable[GroupFigures], *, min_open: int = MIN_OPEN, n: int = 10
) -> list[GroupFigures]:
    """Groups with the largest share of open vacancies open longer than LONG_OPEN_DAYS."""
    eligible = [g for g in groups if g.open >= min_open and g.open_long > 0]
    return rank(eligible, lambda g: (g.long_share, g.open), n)


# --------------------------------------------------------------------------------------------
# Aggregation helpers (rows from the database -> groups)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationRow:
    """One database aggregate row: vacancies of one ESCO occupation."""

    esco_id: str
    isco_group: str
    label: str
    new: int
    new_previous: int
    open: int
    open_long: int


def sum_by(rows: Iterable[OccupationRow], key: Callable[[OccupationRow], str]) -> dict:
    totals: dict[str, list[int]] = {}
    for r in rows:
        t = totals.setdefault(key(r), [0, 0, 0, 0])
        t[0] += r.new
        t[1] += r.new_previous
        t[2] += r.open
        t[3] += r.open_long
    return totals


def sector_of(isco_group: str) -> str:
    return chain_of_isco(isco_group or "")


@dataclass
class JobSeekerCounts:
    total: int = 0
    by_sector: Counter = field(default_factory=Counter)
    by_group: Counter = field(default_factory=Counter)


def count_job_seekers(
    rows: Iterable[tuple[Any, int]], sector: str | None = None
) -> JobSeekerCounts:
    """From (desired occupations, number of job seekers with exactly that list) pairs: the
    total, and per sector and occupation group the job seekers wanting at least one occupation
    in it (a job seeker counts once per group, and may count in several groups).

    With ``sector``, only job seekers wanting an occupation in that sector count, and only with
    their occupations in it."""
    counts = JobSeekerCounts()
    for occupations, n in rows:
        groups: set[str] = set()
        sectors: set[str] = set()
        for item in occupations if isinstance(occupations, list) else []:
            isco = str(item.get("isco_group") or "") if isinstance(item, dict) else ""
            if not isco:
                continue
            if sector is not None and sector_of(isco) != sector:
                continue
            groups.add(group_of(isco))
            sectors.add(sector_of(isco))
        if sector is not None and not sectors:
            continue
        counts.total += n
        for g in groups:
            counts.by_group[g] += n
        for s in sectors:
            counts.by_sector[s] += n
    return counts


def sector_membership(chain: str) -> tuple[set[str], set[str], set[str]]:
    """For a database filter equal to ``chain_of_isco``: the unit groups listed for the chain,
    the two-digit prefixes that fall back to it, and the listed groups of other chains (which
    the prefixes must not take)."""
    listed = set(CHAIN_ISCO.get(chain, []))
    others = {g for c, groups in CHAIN_ISCO.items() if c != chain for g in groups}
    prefixes = {
        g[:2] for groups in CHAIN_ISCO.values() for g in groups if chain_of_isco(g[:2]) == chain
    }
    return listed, prefixes, others


# --------------------------------------------------------------------------------------------
# The plain-language summary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryFacts:
    place: str  # "Twente", or the chosen municipality
    period: Period
    new: int
    new_previous: int
    open: int
    job_seekers: Cell
    sector: str = ""  # the chosen sector's name, "" for all sectors
    top: str = ""  # the largest sector (or occupation group when a sector is chosen)
    hardest: Sequence[str] = ()


def summary(facts: SummaryFacts, lang: str = "nl") -> str:
    return " ".join(summary_sentences(facts, lang))


def summary_sentences(facts: SummaryFacts, lang: str = "nl") -> list[str]:
    en = _lang(lang) == "en"
    when, before = _period_phrases(facts.period, lang)
    sentences = []
    n = fmt_int(facts.new, lang)
    if en:
        what = "new vacancy was" if facts.new == 1 else "new vacancies were"
        scope = f" in {facts.sector}" if facts.sector else ""
        if facts.new == 0:
            first = f"{when}, no new vacancies{scope} were registered in {facts.place}"
        else:
            first = f"{when}, {n} {what} registered{scope} in {facts.place}"
    else:
        scope = f" in {facts.sector}" if facts.sector else ""
        if facts.new == 0:
            first = f"{when} kwamen er geen vacatures{scope} bij in {facts.place}"
        elif facts.new == 1:
            first = f"{when} kwam er 1 vacature{scope} bij in {facts.place}"
        else:
            first = f"{when} kwamen er {n} vacatures{scope} bij in {facts.place}"
    change = growth(facts.new, facts.new_previous)
    if change is not None:
        pct = round(abs(change) * 100)
        if change == 0:
            first += f", as many as {before}" if en else f", evenveel als {before}"
        elif pct == 0:
            first += f", about as many as {before}" if en else f", ongeveer evenveel als {before}"
        elif change > 0:
            first += f", {pct}% more than {before}" if en else f", {pct}% meer dan {before}"
        else:
            first += f", {pct}% fewer than {before}" if en else f", {pct}% minder dan {before}"
    sentences.append(first + ".")
    if facts.top and facts.new > 1:
        sentences.append(f"Most were in {facts.top}." if en else f"De meeste in {facts.top}.")
    if facts.open == 0:
        sentences.append(
            "No vacancies are open right now." if en else "Er staan nu geen vacatures open."
        )
        return sentences
    open_text = fmt_int(facts.open, lang)
    if en:
        opening = f"{open_text} vacanc{'y is' if facts.open == 1 else 'ies are'} open now"
    else:
        opening = f"Er {'staat' if facts.open == 1 else 'staan'} nu {open_text} vacature{'' if facts.open == 1 else 's'} open"
    ratio = tension(facts.open, facts.job_seekers)
    if ratio is None:
        if en:
            opening += "; too few job seekers are on the platform (fewer than 5) to show that per job seeker"
        else:
            opening += "; er zijn te weinig werkzoekenden in het platform (minder dan 5) om dat per werkzoekende te tonen"
    elif en:
        opening += f", {fmt_tension(ratio, lang)} per job seeker on the platform"
    else:
        opening += f", {fmt_tension(ratio, lang)} per werkzoekende in het platform"
    hardest = join_names(list(facts.hardest), lang)
    if hardest:
        if en:
            verb = "is" if len([h for h in facts.hardest if h]) == 1 else "are"
            opening += f"; the hardest to fill {verb} {hardest}"
        else:
            verb = "is" if len([h for h in facts.hardest if h]) == 1 else "zijn"
            opening += f"; het moeilijkst te vervullen {verb} {hardest}"
    sentences.append(opening + ".")
    return sentences
