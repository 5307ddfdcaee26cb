"""The pure arithmetic: periods, growth, tension, ranking, suppression and the summary."""

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.labourmarket import figures as f
from werkcentrum.labourmarket.figures import Cell, Change, GroupFigures
from werkcentrum.occupations.chains import CHAIN_ISCO, chain_of_isco

TODAY = date(2026, 3, 10)

# --- periods -----------------------------------------------------------------------------------


def test_default_period_is_the_last_twelve_complete_months():
    period = f.default_period(TODAY)
    assert (period.start, period.end, period.last_day) == (
        date(2025, 3, 1),
        date(2026, 3, 1),
        date(2026, 2, 28),
    )
    assert period.key == "12m"
    assert period.previous().start == date(2024, 3, 1) and period.previous().end == period.start
    assert len(period.series_months()) == 24 and period.series_months()[-1] == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("value", "start", "months"),
    [
        ("", date(2025, 3, 1), 12),
        ("12m", date(2025, 3, 1), 12),
        ("2025-03", date(2025, 3, 1), 1),
        ("2026-02", date(2026, 2, 1), 1),
        ("2025-Q4", date(2025, 10, 1), 3),
        ("2025-q1", date(2025, 1, 1), 3),
        ("2025", date(2025, 1, 1), 12),
    ],
)
def test_parse_period(value, start, months):
    period = f.parse_period(value, TODAY)
    assert (period.start, period.months) == (start, months)
    assert f.parse_period(period.key, TODAY) == period  # the key is the URL value


@pytest.mark.parametrize(
    "value",
    [
        "2026-03",
        "2026-Q1",
        "2026",
        "2025-13",
        "2025-00",
        "2025-Q5",
        "1999-12",
        "abc",
        "x" * 500,
        "2025-3",
        "-2025",
        "２０２５",
    ],
)
def test_unknown_or_incomplete_periods_are_refused(value):
    assert f.parse_period(value, TODAY) is None


def test_previous_period_has_equal_length():
    for value in ("2025-01", "2025-Q1", "2025", "12m"):
        period = f.parse_period(value, TODAY)
        previous = period.previous()
        assert previous.months == period.months and previous.end == period.start
    assert f.parse_period("2025-01", TODAY).previous().key == "2024-12"
    assert f.parse_period("2025-Q1", TODAY).previous().key == "2024-Q4"


def test_period_options_are_all_valid_and_complete():
    options = f.period_options(TODAY)
    keys = [p.key for periods in options.values() for p in periods]
    assert keys[0] == "12m" and "2025" in keys and "2025-Q4" in keys and "2026-02" in keys
    assert all(f.parse_period(k, TODAY) is not None for k in keys)
    assert len(keys) == len(set(keys))


def test_period_names_in_both_languages():
    q = f.parse_period("2025-Q1", TODAY)
    assert f.period_name(q, "nl") == "1e kwartaal 2025" and f.period_name(q, "en") == "Q1 2025"
    assert f.period_range(q, "nl") == "1 januari 2025 t/m 31 maart 2025"
    assert f.period_range(q, "en") == "1 January 2025 to 31 March 2025"
    assert f.month_short(date(2025, 3, 1), "nl") == "mrt '25"


# --- numbers -----------------------------------------------------------------------------------


def test_number_formats():
    assert f.fmt_int(1234567, "nl") == "1.234.567" and f.fmt_int(1234567, "en") == "1,234,567"
    assert f.fmt_decimal(1234.56, "nl") == "1.234,6" and f.fmt_decimal(0.56, "en") == "0.6"
    assert f.fmt_percent(0.084, "nl") == "8%"
    assert f.fmt_percent(-0.084, "nl", signed=True) == "−8%"
    assert f.fmt_percent(0.5, "en", signed=True) == "+50%"
    assert f.fmt_tension(0.004, "nl") == "minder dan 0,01"
    assert [f.fmt_tension(x, "nl") for x in (0.064, 0.25, 1.53, 12.4)] == [
        "0,06",
        "0,25",
        "1,5",
        "12",
    ]


# --- growth, tension -----------------------------------------------------------------------------


def test_growth():
    assert f.growth(108, 100) == pytest.approx(0.08)
    assert f.growth(50, 100) == pytest.approx(-0.5)
    assert f.growth(5, 0) is None  # no base, no percentage


@given(st.integers(min_value=1, max_value=10**9))
def test_growth_is_zero_for_equal_counts(n):
    assert f.growth(n, n) == 0


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_growth_sign_follows_the_change(current, previous):
    g = f.growth(current, previous)
    assert (g > 0) == (current > previous) and (g < 0) == (current < previous)


def test_tension_needs_shown_job_seekers():
    assert f.tension(30, Cell(20)) == 1.5
    assert f.tension(30, Cell(None, f.SMALL)) is None
    assert f.tension(30, Cell(0)) is None


# --- suppression -------------------------------------------------------------------------------

counts = st.dictionaries(st.text(max_size=3), st.integers(min_value=0, max_value=200), max_size=12)


def test_protect_hides_small_counts():
    cells = f.protect({"care": 12, "ict": 3, "green": 40, "logistics": 0})
    assert cells["care"] == Cell(12) and cells["green"] == Cell(40)
    assert cells["ict"] == Cell(None, f.SMALL) and cells["logistics"] == Cell(None, f.SMALL)


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    cells = f.protect({"care": 12, "ict": 3, "green": 40})
    assert cells["ict"].hidden == f.SMALL and cells["care"].hidden == f.SECONDARY
    assert cells["green"] == Cell(40)


@given(counts)
def test_suppression_never_reveals_a_count_below_five(table):
    cells = f.protect(table)
    for key, cell in cells.items():
        if cell.shown:
            assert cell.value == table[key] and cell.value >= f.MIN_CELL
        else:
            assert cell.value is None
        if table[key] < f.MIN_CELL:
            assert not cell.shown and cell.hidden == f.SMALL


@given(counts)
def test_a_hidden_cell_never_stands_alone(table):
    """With more than one cell, the hidden ones can never be worked out from a total."""
    cells = f.protect(table)
    hidden = [k for k, c in cells.items() if not c.shown]
    if len(table) > 1:
        assert len(hidden) != 1


@given(st.integers(min_value=0, max_value=10**6))
def test_protect_count(n):
    cell = f.protect_count(n)
    assert cell.shown == (n >= 5) and (cell.value is None or cell.value >= 5)


# --- ranking -----------------------------------------------------------------------------------


def test_fastest_growing_needs_a_base_and_growth():
    rows = [
        Change("a", "Kok", 30, 10),  # +200%
        Change("b", "Chauffeur", 8, 2),  # base too small
        Change("c", "Verzorgende", 40, 20),  # +100%
        Change("d", "Lasser", 10, 12),  # shrinking
        Change("e", "Bakker", 20, 10),  # +100%, smaller than c
    ]
    assert [r.key for r in f.fastest_growing(rows)] == ["a", "c", "e"]
    assert f.fastest_growing(rows, n=1)[0].growth == 2.0


change_rows = st.lists(
    st.builds(
        Change,
        key=st.text(max_size=4),
        label=st.text(max_size=4),
        current=st.integers(0, 60),
        previous=st.integers(0, 60),
    ),
    max_size=25,
    unique_by=lambda r: r.key,
)


@given(change_rows, st.randoms(use_true_random=False))
def test_ranking_is_deterministic(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert f.fastest_growing(rows) == f.fastest_growing(shuffled)
    groups = [
        GroupFigures(
            r.key,
            r.label,
            open=r.current,
            open_long=r.previous // 2,
            job_seekers=Cell(r.previous or None),
        )
        for r in rows
    ]
    mixed = list(groups)
    rnd.shuffle(mixed)
    assert f.hardest_to_fill(groups) == f.hardest_to_fill(mixed)
    assert f.open_longest(groups) == f.open_longest(mixed)


def test_ties_are_broken_by_label():
    rows = [Change("x", "Zager", 20, 10), Change("y", "Aannemer", 20, 10)]
    assert [r.label for r in f.fastest_growing(rows)] == ["Aannemer", "Zager"]


def test_hardest_to_fill_skips_hidden_job_seekers_and_small_groups():
    groups = [
        GroupFigures("53", "Verzorgend personeel", open=60, job_seekers=Cell(20)),  # 3.0
        GroupFigures("25", "Specialisten ICT", open=40, job_seekers=Cell(None, f.SMALL)),
        GroupFigures("83", "Chauffeurs", open=30, job_seekers=Cell(30)),  # 1.0
        GroupFigures("71", "Bouwvakkers", open=4, job_seekers=Cell(5)),  # too few open
    ]
    assert [g.key for g in f.hardest_to_fill(groups)] == ["53", "83"]


def test_open_longest_ranks_by_share():
    groups = [
        GroupFigures("53", "A", open=10, open_long=5),
        GroupFigures("83", "B", open=10, open_long=8),
        GroupFigures("71", "C", open=10, open_long=0),
    ]
    assert [g.key for g in f.open_longest(groups)] == ["83", "53"]


# --- job seekers and sectors -----------------------------------------------------------------


def test_count_job_seekers_counts_each_group_once_per_person():
    rows = [
        ([{"isco_group": "5322"}, {"isco_group": "5321"}], 4),  # two care groups, one group "53"
        ([{"isco_group": "2512"}, {"isco_group": "5322"}], 2),  # ICT and care
        ([], 1),  # no occupation: only in the total
        ("not a list", 1),
        ([{"no": "isco"}, 7], 1),
    ]
    counts = f.count_job_seekers(rows)
    assert counts.total == 9
    assert counts.by_group == {"53": 6, "25": 2}
    assert counts.by_sector == {"care": 6, "ict": 2}
    within = f.count_job_seekers(rows, "ict")
    assert within.total == 2 and within.by_group == {"25": 2} and within.by_sector == {"ict": 2}


@pytest.mark.parametrize("chain", list(CHAIN_ISCO))
def test_sector_membership_matches_chain_of_isco(chain):
    listed, prefixes, others = f.sector_membership(chain)
    codes = {g for groups in CHAIN_ISCO.values() for g in groups}
    codes |= {p + "99" for p in {g[:2] for g in codes}} | {"0110", "9999", ""}
    for code in codes:
        member = code in listed or (code[:2] in prefixes and code not in others)
        assert member == (chain_of_isco(code) == chain), code


# --- the summary -------------------------------------------------------------------------------


def facts(**changes):
    values = {
        "place": "Twente",
        "period": f.default_period(TODAY),
        "new": 1234,
        "new_previous": 1143,
        "open": 2345,
        "job_seekers": Cell(3900),
        "top": "Zorg en welzijn",
        "hardest": ["ICT-technici", "Bouwvakkers"],
    }
    values.update(changes)
    return f.SummaryFacts(**values)


def test_summary_in_dutch():
    assert f.summary(facts()) == (
        "In de afgelopen 12 maanden kwamen er 1.234 vacatures bij in Twente, 8% meer dan in de "
        "12 maanden daarvoor. De meeste in Zorg en welzijn. Er staan nu 2.345 vacatures open, "
        "0,60 per werkzoekende in het platform; het moeilijkst te vervullen zijn ICT-technici en "
        "Bouwvakkers."
    )


def test_summary_in_english():
    text = f.summary(facts(period=f.parse_period("2025-Q1", TODAY), new_previous=1400), "en")
    assert text.startswith(
        "In Q1 2025, 1,234 new vacancies were registered in Twente, 12% fewer than in Q4 2024."
    )
    assert (
        "0.60 per job seeker" in text
        and "the hardest to fill are ICT-technici and Bouwvakkers" in text
    )


def test_summary_edge_cases():
    nothing = f.summary(facts(new=0, new_previous=0, open=0, hardest=[]))
    assert nothing == (
        "In de afgelopen 12 maanden kwamen er geen vacatures bij in Twente. "
        "Er staan nu geen vacatures open."
    )
    same = f.summary(facts(new=10, new_previous=10))
    assert "evenveel als in de 12 maanden daarvoor" in same
    quarter = f.summary(facts(period=f.parse_period("2025-Q1", TODAY)))
    assert (
        quarter.startswith("In het 1e kwartaal van 2025 kwamen")
        and "4e kwartaal van 2024" in quarter
    )
    month = f.summary(facts(period=f.parse_period("2025-03", TODAY), sector="Zorg"))
    assert month.startswith("In maart 2025 kwamen er 1.234 vacatures in Zorg bij in Twente")
    assert "in februari 2025" in month


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 4))
def test_summary_never_reveals_a_small_number_of_job_seekers(new, previous, open_, seekers):
    for lang in ("nl", "en"):
        text = f.summary(
            facts(new=new, new_previous=previous, open=open_, job_seekers=f.protect_count(seekers)),
            lang,
        )
        assert text.endswith(".")
        if open_:
            assert "(minder dan 5)" in text or "(fewer than 5)" in text


def test_rank_uses_random_free_order():
    items = [GroupFigures(str(i), f"L{i % 3}", open=i % 4) for i in range(30)]
    expected = f.rank(items, lambda g: g.open)
    for _ in range(5):
        random.shuffle(items)
        assert f.rank(items, lambda g: g.open) == expected
