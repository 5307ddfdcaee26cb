"""The pure rules engine: examples, properties (hypothesis) and the rules file."""

from __future__ import annotations

import copy
import tomllib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.training.loader import LEVELS, SECTORS
from werkcentrum.vouchers import rules
from werkcentrum.vouchers.rules import Facts, RulesError, add_months, assess, parse_rules

RULES_FILE = rules.Path(rules.__file__).parent / "data" / "twente.toml"
RAW = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
RULES = parse_rules(RAW, "twente.toml")
ON = date(2026, 6, 1)


def facts(**changes) -> Facts:
    base = {
        "applicant": "resident",
        "sector": "care",
        "level": "mbo3",
        "cost": 1440,
        "cofinancing": 0,
        "requested": None,
        "on": ON,
        "llo_on": ON - timedelta(days=10),
        "previous_grants": (),
    }
    return Facts(**{**base, **changes})


def codes(decision) -> set[str]:
    return {r.code for r in decision.reasons}


def refusal_codes(decision) -> set[str]:
    return {r.code for r in decision.refusals}


# -- the bundled rules file -------------------------------------------------------------------------


def test_the_twente_rules_file_is_valid_and_says_what_domain_md_says():
    assert RULES.region == "twente"
    assert set(RULES.priority_sectors) >= {"construction", "ict", "care"}
    assert set(RULES.levels) == {"mbo1", "mbo2", "mbo3", "mbo4", "hbo_ad", "hbo_bachelor"}
    assert RULES.max_priority > RULES.max_other > 0
    assert RULES.targets == {"vouchers": 625, "llo_conversations": 1375}
    lines = RULES.budget_lines(2026)
    assert "other" in lines
    # The yearly budget fits 625 vouchers of a plausible average (between 1,000 and 2,500).
    assert 625 * 1000 <= sum(lines.values()) <= 625 * RULES.max_priority


def test_budget_lines_map_every_sector():
    for sector in SECTORS:
        line = RULES.budget_sector(sector)
        assert line in RULES.budget_lines(2026)
        if sector in RULES.priority_sectors:
            assert line == sector
    assert RULES.budget_sector("logistics") == "other"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(levels=["mbo9"]), "levels: unknown code"),
        (lambda d: d["sectors"].update(priority=["space"]), "sectors.priority"),
        (lambda d: d["maximum"].update(other=9999), "maximum.other"),
        (lambda d: d["budget"]["default"].pop("other"), "budget.default.other"),
        (lambda d: d["budget"]["default"].update(banana=1), "budget.default.banana"),
        (lambda d: d.update(own_contribution_percent=100), "own_contribution_percent"),
        (lambda d: d.update(period_months="24"), "period_months: must be a whole number"),
        (lambda d: d.update(typo=1), "unknown key"),
        (lambda d: d["budget"].update({"2027": {"care": 1}}), "budget.2027"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message(change, message):
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(RulesError, match=message):
        parse_rules(data, "twente.toml")


def test_a_year_can_have_its_own_budget():
    data = copy.deepcopy(RAW)
    data["budget"]["2030"] = {**data["budget"]["default"], "care": 1}
    parsed = parse_rules(data)
    assert parsed.budget_lines(2030)["care"] == 1
    assert parsed.budget_lines(2029)["care"] == RAW["budget"]["default"]["care"]


# -- examples ----------------------------------------------------------------------------------------


def test_a_care_training_gets_the_cost_minus_the_own_contribution():
    decision = assess(RULES, facts())
    assert decision.approved
    assert decision.amount == 1440 - 144  # 10% own contribution
    assert decision.own_contribution == 144
    assert decision.budget_sector == "care"
    assert "priority_sector" in codes(decision)
    assert "own_contribution" in codes(decision)


def test_an_expensive_training_is_capped_at_the_maximum():
    decision = assess(RULES, facts(cost=10_400, level="hbo_bachelor"))
    assert decision.amount == RULES.max_priority
    assert decision.own_contribution == 10_400 - RULES.max_priority
    assert "capped_at_maximum" in codes(decision)


def test_another_sector_has_the_lower_maximum():
    decision = assess(RULES, facts(sector="logistics", cost=4050, level="mbo4"))
    assert decision.amount == RULES.max_other
    assert decision.budget_sector == "other"
    assert "other_sector" in codes(decision)


def test_cofinancing_is_deducted_and_counts_as_own_contribution():
    decision = assess(RULES, facts(cost=1000, cofinancing=400))
    assert decision.amount == 600
    assert decision.own_contribution == 0
    assert "own_contribution" not in codes(decision)


def test_a_lower_request_is_granted_as_asked():
    decision = assess(RULES, facts(requested=500))
    assert (decision.amount, decision.own_contribution) == (500, 940)
    assert "as_requested" in codes(decision)


@pytest.mark.parametrize(
    "change, code",
    [
        ({"llo_on": None}, "llo_missing"),
        ({"llo_on": ON + timedelta(days=1)}, "llo_missing"),
        ({"llo_on": add_months(ON, -13)}, "llo_expired"),
        ({"level": "course"}, "level_not_covered"),
        ({"level": "master"}, "level_not_covered"),
        ({"previous_grants": (add_months(ON, -23),)}, "period"),
        ({"cost": 0}, "no_cost"),
        ({"cofinancing": 2000}, "cofinancing_exceeds_cost"),
        ({"applicant": "employer", "cofinancing": 100}, "employer_share_too_low"),
        ({"cofinancing": 1440}, "nothing_left"),
    ],
)
def test_refusals_name_their_reason(change, code):
    decision = assess(RULES, facts(**change))
    assert not decision.approved
    assert decision.amount == 0
    assert code in refusal_codes(decision)


def test_once_per_period_allows_a_new_voucher_after_the_period():
    previous = add_months(ON, -24)
    assert assess(RULES, facts(previous_grants=(previous,))).approved
    just_too_soon = previous + timedelta(days=1)
    decision = assess(RULES, facts(previous_grants=(just_too_soon,)))
    assert "period" in refusal_codes(decision)
    reason = next(r for r in decision.reasons if r.code == "period")
    assert reason.params["next_possible"] == add_months(just_too_soon, 24).isoformat()


def test_an_employer_paying_its_share_is_approved():
    decision = assess(RULES, facts(applicant="employer", cost=5200, cofinancing=1300))
    assert decision.approved
    assert decision.amount == RULES.max_priority
    assert "employer_share" in codes(decision)


def test_reasons_are_json_serialisable():
    import json

    for decision in (assess(RULES, facts()), assess(RULES, facts(level="course"))):
        assert json.loads(json.dumps(decision.as_dict()))["approved"] == decision.approved


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 6, 15), 24, date(2028, 6, 15)),
        (date(2026, 12, 31), -12, date(2025, 12, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# -- properties ----------------------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=20_000)
any_facts = st.builds(
    Facts,
    applicant=st.sampled_from(rules.APPLICANT_KINDS),
    sector=st.sampled_from(SECTORS),
    level=st.sampled_from(LEVELS),
    cost=money,
    cofinancing=money,
    requested=st.one_of(st.none(), st.integers(min_value=1, max_value=20_000)),
    on=st.just(ON),
    llo_on=st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 7, 1))),
    previous_grants=st.lists(st.dates(date(2020, 1, 1), ON), max_size=3).map(tuple),
)


@settings(max_examples=400, deadline=None)
@given(any_facts)
def test_never_more_than_the_maximum_the_cost_or_the_request(f):
    decision = assess(RULES, f)
    assert 0 <= decision.amount <= decision.maximum
    assert decision.amount <= max(0, f.cost)
    if f.requested is not None:
        assert decision.amount <= f.requested
    assert decision.approved == (decision.amount > 0)
    assert decision.approved == (not decision.refusals)


@settings(max_examples=400, deadline=None)
@given(any_facts)
def test_the_own_contribution_is_respected(f):
    decision = assess(RULES, f)
    if decision.approved:
        required = -((-f.cost * RULES.own_contribution_percent) // 100)
        assert f.cost - decision.amount >= required  # the fund never pays the own share
        assert decision.amount + f.cofinancing + decision.own_contribution == f.cost
        assert decision.own_contribution >= 0


@settings(max_examples=400, deadline=None)
@given(any_facts, st.sampled_from(RULES.priority_sectors))
def test_priority_sectors_get_at_least_what_others_get(f, priority_sector):
    from dataclasses import replace

    other = next(s for s in SECTORS if s not in RULES.priority_sectors)
    as_priority = assess(RULES, replace(f, sector=priority_sector))
    as_other = assess(RULES, replace(f, sector=other))
    assert as_priority.amount >= as_other.amount
    assert as_priority.approved or not as_other.approved


@settings(max_examples=200, deadline=None)
@given(any_facts)
def test_refused_without_an_llo_conversation(f):
    from dataclasses import replace

    assert not assess(RULES, replace(f, llo_on=None)).approved
