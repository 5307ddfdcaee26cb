"""The pure core of the monitoring (no Django): periods, realisation against target, totals
computed from rows, and small-cell suppression.

Suppression model. A table of counts with its margins (row totals, column totals, grand total)
is an (R+1) x (C+1) grid; every entry is an edge between its row node and its column node, and
every node says "my entries add up". Entries not on the page (margins that are not displayed)
are unknowns too. A hidden entry can be worked out from what is shown exactly when it is a
*bridge* in the graph of hidden entries (it lies on no cycle of hidden entries). So:

1. primary: every count with 0 < n < 5 is hidden ("fewer than 5");
2. secondary: while a protected hidden entry is a bridge, hide one more shown entry next to it
   (the smallest count in its row or column; structural zeros never), else the smallest
   shown entry anywhere ("not shown").

The tests check the result against plain linear algebra (hypothesis).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

MIN_CELL = 5
SMALL = "small"  # fewer than MIN_CELL
SECONDARY = "secondary"  # hidden so that a small one cannot be worked out


# -- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # exclusive
    key: str  # "2026", "2026-q1" or "2026-01-01..2026-03-31"

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def within_one_year(self) -> bool:
        return self.start.year == self.last_day.year


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year))


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1 to 4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(start, end, f"{year}-q{quarter}")


MAX_RANGE_DAYS = 366 * 3


def custom_period(start: date, last_day: date) -> Period:
    if last_day < start:
        raise ValueError("the end lies before the start")
    if (last_day - start).days > MAX_RANGE_DAYS:
        raise ValueError("the period is too long")
    return Period(
        start, last_day + timedelta(days=1), f"{start.isoformat()}..{last_day.isoformat()}"
    )


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[qQ]([1-4])$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse_period(value: str, today: date) -> Period:
    """'2026', '2026-q2' or '2026-01-01..2026-02-15'; anything else (or out of range) raises
    ValueError. Years 2000-2100 only."""
    value = (value or "").strip()
    if m := _YEAR.match(value):
        year = int(m.group(1))
        _check_year(year)
        return year_period(year)
    if m := _QUARTER.match(value):
        year = int(m.group(1))
        _check_year(year)
        return quarter_period(year, int(m.group(2)))
    if m := _RANGE.match(value):
        start, last = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        _check_year(start.year)
        _check_year(last.year)
        return custom_period(start, last)
    raise ValueError("unknown period")


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValueError("year out of range")


def elapsed_share(period: Period, today: date) -> float:
    """Which share of the period has passed on ``today`` (0 before it, 1 after it)."""
    if today < period.start:
        return 0.0
    if today >= period.end:
        return 1.0
    return ((today - period.start).days + 1) / period.days


def year_fraction(period: Period) -> float:
    """Which share of its year the period covers (for pro-rating a yearly target)."""
    days_in_year = 366 if calendar.isleap(period.year) else 365
    return min(period.days / days_in_year, 1.0)


# -- realisation against target ---------------------------------------------------------------


@dataclass(frozen=True)
class Realisation:
    actual: int | None
    target: int | None  # the target for the period (pro-rated when the period is part of a year)
    expected: float | None  # what should have been reached by now
    percent: int | None  # actual / target
    on_track: bool | None


def realisation(
    actual: int | None, yearly_target: int | None, period: Period, today: date
) -> Realisation:
    if yearly_target is None:
        return Realisation(actual, None, None, None, None)
    target = round(yearly_target * year_fraction(period)) if period.within_one_year else None
    if target is None:
        return Realisation(actual, None, None, None, None)
    expected = target * elapsed_share(period, today)
    if actual is None:
        return Realisation(None, target, expected, None, None)
    percent = round(100 * actual / target) if target else None
    return Realisation(actual, target, expected, percent, actual >= expected - 1e-9)


def total(values: Iterable[int | None]) -> int:
    """The sum of the rows: reports compute totals, never copy them (DOMAIN.md §9)."""
    return sum(v for v in values if v is not None)


# -- suppression ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A count on the page: ``value`` is None when hidden (``reason`` says why)."""

    value: int | None
    reason: str = ""
    _raw: int = field(default=0, repr=False, compare=False)

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def small(self) -> bool:
        return self.reason == SMALL


@dataclass
class Suppressed:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    grand: Cell

    @property
    def hidden_count(self) -> int:
        entries = [c for row in self.cells for c in row] + self.row_totals + self.col_totals
        return sum(1 for c in [*entries, self.grand] if not c.shown)


def _bridges(edges, nodes_of) -> set:
    """The entries of ``edges`` that lie on no cycle of ``edges`` (Tarjan's bridge-finding, one
    depth-first pass; parallel entries between the same two nodes form a cycle)."""
    adjacency: dict = {}
    for edge in edges:
        u, v = nodes_of[edge]
        if u == v:
            continue  # a loop is never a bridge
        adjacency.setdefault(u, []).append((v, edge))
        adjacency.setdefault(v, []).append((u, edge))
    order: dict = {}
    low: dict = {}
    bridges: set = set()
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for nxt, edge in neighbours:
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, edge, iter(adjacency[nxt])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


def suppress(
    matrix: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    grand: bool = True,
    structural: Iterable[tuple[int, int]] = (),
    minimum: int = MIN_CELL,
) -> Suppressed:
    """Hide small counts and whatever would reveal them. ``structural`` cells are known zeros
    (e.g. a municipality outside a subregion): always shown, never hidden."""
    rows = len(matrix)
    cols = len(matrix[0]) if rows else 0
    structural = set(structural)
    values: dict[tuple, int] = {}
    displayed: dict[tuple, bool] = {}
    nodes_of: dict[tuple, tuple] = {}
    for i in range(rows):
        for j in range(cols):
            key = ("c", i, j)
            values[key] = int(matrix[i][j])
            displayed[key] = True
            nodes_of[key] = (("r", i), ("k", j))
        key = ("rt", i)
        values[key] = sum(int(x) for x in matrix[i])
        displayed[key] = row_totals
        nodes_of[key] = (("r", i), ("k", "T"))
    for j in range(cols):
        key = ("ct", j)
        values[key] = sum(int(matrix[i][j]) for i in range(rows))
        displayed[key] = col_totals
        nodes_of[key] = (("r", "T"), ("k", j))
    values[("g",)] = sum(values[("rt", i)] for i in range(rows))
    displayed[("g",)] = grand
    nodes_of[("g",)] = (("r", "T"), ("k", "T"))

    def is_structural(key) -> bool:
        return key[0] == "c" and (key[1], key[2]) in structural

    hidden: dict[tuple, str] = {}
    for key, value in values.items():
        if not displayed[key]:
            hidden[key] = "unknown"
        elif 0 < value < minimum and not is_structural(key):
            hidden[key] = SMALL

    def protected(key) -> bool:
        if displayed[key]:
            return True
        return 0 < values[key] < minimum

    def candidates(node_filter=None):
        found = [
            key
            for key in values
            if key not in hidden
            and displayed[key]
            and not is_structural(key)
            and (node_filter is None or set(nodes_of[key]) & node_filter)
        ]
        # smallest positive counts first, then zeros; cells before margins
        return sorted(found, key=lambda k: (values[k] == 0, values[k], k[0] != "c", k))

    while True:
        bridges = _bridges(hidden, nodes_of)
        bridge = next((key for key in hidden if protected(key) and key in bridges), None)
        if bridge is None:
            break
        options = candidates(set(nodes_of[bridge])) or candidates()
        if not options:
            break  # everything displayed is hidden already
        hidden[options[0]] = SECONDARY

    def cell(key) -> Cell:
        reason = hidden.get(key, "")
        if reason:
            return Cell(None, reason, values[key])
        return Cell(values[key], "", values[key])

    return Suppressed(
        cells=[[cell(("c", i, j)) for j in range(cols)] for i in range(rows)],
        row_totals=[cell(("rt", i)) for i in range(rows)],
        col_totals=[cell(("ct", j)) for j in range(cols)],
        grand=cell(("g",)),
    )


def suppress_list(counts: Sequence[int], minimum: int = MIN_CELL) -> tuple[list[Cell], Cell]:
    """A one-column list with its total: (cells, total)."""
    table = suppress([[c] for c in counts], row_totals=False, col_totals=False, minimum=minimum)
    return [row[0] for row in table.cells], table.grand


def share(part: Cell, whole: Cell) -> int | None:
    """A percentage of two shown counts (None when either is hidden or the whole is 0)."""
    if not part.shown or not whole.shown or not whole.value:
        return None
    return round(100 * part.value / whole.value)
