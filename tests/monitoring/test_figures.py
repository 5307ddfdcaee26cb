"""The pure core: periods, realisation against target, totals and suppression."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.monitoring import figures
from werkcentrum.monitoring.figures import SECONDARY, SMALL, suppress, suppress_list


def test_periods():
    assert figures.parse_period("2026", date(2026, 5, 1)) == figures.year_period(2026)
    q2 = figures.parse_period("2026-q2", date(2026, 5, 1))
    assert (q2.start, q2.end) == (date(2026, 4, 1), date(2026, 7, 1))
    q4 = figures.quarter_period(2025, 4)
    assert q4.end == date(2026, 1, 1)
    custom = figures.parse_period("2026-01-01..2026-01-31", date(2026, 5, 1))
    assert custom.days == 31 and custom.last_day == date(2026, 1, 31)
    for bad in (
        "",
        "x",
        "2026-q5",
        "1999",
        "2026-02-30..2026-03-01",
        "2026-03-01..2026-01-01",
        "2020-01-01..2026-01-01",
        "9999",
    ):
        with pytest.raises(ValueError):
            figures.parse_period(bad, date(2026, 5, 1))


def test_realisation_on_track_by_share_of_year():
    year = figures.year_period(2026)
    mid = date(2026, 7, 1)  # about half the year has passed
    behind = figures.realisation(100, 431, year, mid)
    assert behind.percent == 23 and behind.on_track is False
    ahead = figures.realisation(250, 431, year, mid)
    assert ahead.on_track is True
    assert figures.realisation(5, None, year, mid).target is None
    quarter = figures.quarter_period(2026, 1)
    pro_rata = figures.realisation(20, 400, quarter, date(2026, 6, 1))
    assert pro_rata.target == round(400 * 90 / 365) and pro_rata.expected == pro_rata.target


def test_total_is_computed():
    assert figures.total([431, 100, 30, None, 5]) == 566


def test_primary_and_secondary_in_a_list():
    cells, total = suppress_list([12, 3, 40])
    assert cells[1].value is None and cells[1].reason == SMALL
    assert cells[0].value is None and cells[0].reason == SECONDARY  # the smallest other
    assert cells[2].value == 40 and total.value == 55
    cells, total = suppress_list([12, 0, 40])
    assert [c.value for c in cells] == [12, 0, 40]
    cells, total = suppress_list([3])
    assert cells[0].value is None and total.value is None


def test_hidden_values_never_reach_the_template():
    cells, _ = suppress_list([2, 9, 9])
    assert all(c.value is None for c in cells[:2])
    assert "2" not in repr(cells[0])


def _derivable(matrix, table) -> list[str]:
    """Hidden displayed entries whose value follows from the shown ones (linear algebra)."""
    rows, cols = len(matrix), len(matrix[0])
    entries = {}
    for i in range(rows):
        for j in range(cols):
            entries[("c", i, j)] = table.cells[i][j]
        entries[("rt", i)] = table.row_totals[i]
    for j in range(cols):
        entries[("ct", j)] = table.col_totals[j]
    entries[("g",)] = table.grand
    unknown = [k for k, c in entries.items() if not c.shown]
    index = {k: n for n, k in enumerate(unknown)}
    equations = []  # coefficient rows over the unknowns (right-hand sides do not matter)

    def eq(terms):
        row = [Fraction(0)] * len(unknown)
        for key, coef in terms:
            if key in index:
                row[index[key]] += coef
        equations.append(row)

    for i in range(rows):
        eq([(("c", i, j), 1) for j in range(cols)] + [(("rt", i), -1)])
    for j in range(cols):
        eq([(("c", i, j), 1) for i in range(rows)] + [(("ct", j), -1)])
    eq([(("rt", i), 1) for i in range(rows)] + [(("g",), -1)])
    eq([(("ct", j), 1) for j in range(cols)] + [(("g",), -1)])

    def rank(m):
        m = [r[:] for r in m]
        r = 0
        for c in range(len(unknown)):
            pivot = next((k for k in range(r, len(m)) if m[k][c] != 0), None)
            if pivot is None:
                continue
            m[r], m[pivot] = m[pivot], m[r]
            for k in range(len(m)):
                if k != r and m[k][c] != 0:
                    factor = m[k][c] / m[r][c]
                    m[k] = [a - factor * b for a, b in zip(m[k], m[r], strict=True)]
            r += 1
        return r

    base = rank(equations)
    found = []
    for key, n in index.items():
        cell = entries[key]
        if cell.reason == "unknown" and not 0 < cell._raw < figures.MIN_CELL:
            continue  # a margin that is not on the page and is no small number
        unit = [Fraction(0)] * len(unknown)
        unit[n] = Fraction(1)
        if rank([*equations, unit]) == base:  # the unit vector is in the row space
            found.append(str(key))
    return found


matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_no_hidden_value_can_be_derived_from_the_shown_totals(matrix):
    table = suppress(matrix)
    assert _derivable(matrix, table) == []
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            cell = table.cells[i][j]
            if 0 < value < figures.MIN_CELL:
                assert not cell.shown
            if cell.shown:
                assert cell.value == value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_lists_protect_small_counts(counts):
    cells, total = suppress_list(counts)
    hidden = [c for c, v in zip(cells, counts, strict=True) if not c.shown]
    assert all(not c.shown or not (0 < v < 5) for c, v in zip(cells, counts, strict=True))
    if total.shown and hidden:
        assert len(hidden) >= 2  # one hidden count is never total minus the shown ones


subregion_tables = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 30)), min_size=1, max_size=8
)


@settings(max_examples=150, deadline=None)
@given(subregion_tables)
def test_municipalities_within_subregions(rows):
    """Municipalities x subregions with structural zeros, subregion totals on the page: no
    hidden municipality can be worked out from its subregion's total."""
    matrix, structural = [], []
    for i, (sub, value) in enumerate(rows):
        row = [0, 0, 0]
        row[sub] = value
        matrix.append(row)
        structural += [(i, j) for j in range(3) if j != sub]
    table = suppress(matrix, row_totals=False, structural=structural)
    assert _derivable(matrix, table) == []
    for i, j in structural:
        assert table.cells[i][j].value == 0


def _naive_bridges(edges, nodes_of) -> set:
    """A bridge: removing it disconnects its two ends (one search per edge)."""
    found = set()
    for edge in edges:
        u, v = nodes_of[edge]
        if u == v:
            continue
        rest = [nodes_of[e] for e in edges if e != edge]
        seen, stack = {u}, [u]
        while stack:
            node = stack.pop()
            for a, b in rest:
                for x, y in ((a, b), (b, a)):
                    if x == node and y not in seen:
                        seen.add(y)
                        stack.append(y)
        if v not in seen:
            found.add(edge)
    return found


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=18))
def test_bridges_in_one_pass_match_one_search_per_edge(pairs):
    from werkcentrum.monitoring.figures import _bridges

    nodes_of = {("e", i): pair for i, pair in enumerate(pairs)}
    assert _bridges(list(nodes_of), nodes_of) == _naive_bridges(list(nodes_of), nodes_of)
