"""Scoring and ranking of the talent wall: properties (hypothesis) and a few examples."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.orientation.talentwall import (
    SCALE,
    TYPES,
    IncompleteAnswers,
    Profile,
    default_wall,
    form_groups,
    rank_areas,
    score,
)

WALL = default_wall()
IDS = [s.id for s in WALL.statements]
BY_TYPE = {t: [s.id for s in WALL.statements if s.type == t] for t in TYPES}

answer = st.sampled_from(SCALE)
complete_answers = st.fixed_dictionaries({i: answer for i in IDS})


@st.composite
def enough_answers(draw):
    """Complete answers with up to 9 left out (80 % answered), at most 4 of one type."""
    answers = draw(complete_answers)
    leave_out = draw(st.lists(st.sampled_from(IDS), max_size=9, unique=True))
    per_type = {t: 0 for t in TYPES}
    for sid in leave_out:
        t = WALL.statements_by_id[sid].type
        if per_type[t] < 4:
            per_type[t] += 1
            del answers[sid]
    return answers


@given(enough_answers())
def test_scores_always_within_0_and_100(answers):
    profile = score(answers)
    assert all(0 <= s <= 100 for s in profile.scores)
    assert len(profile.code) == 3 and len(set(profile.code)) == 3
    for ranked in rank_areas(profile, top=None):
        assert 0 <= ranked.fit <= 100


@given(enough_answers(), st.sampled_from(TYPES), st.data())
def test_higher_answers_never_lower_that_types_score(answers, letter, data):
    before = score(answers)
    raised = dict(answers)
    for sid in BY_TYPE[letter]:
        if sid in raised:
            raised[sid] = data.draw(st.integers(raised[sid], 5))
    after = score(raised)
    assert after.score(letter) >= before.score(letter)
    for other in TYPES:
        if other != letter:
            assert after.score(other) == before.score(other)


@given(enough_answers(), st.randoms(use_true_random=False))
def test_rank_is_deterministic_and_independent_of_order(answers, rnd):
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    areas = list(WALL.areas)
    rnd.shuffle(areas)
    first = score(answers)
    second = score(shuffled)
    assert first == second
    expected = rank_areas(first, WALL.areas, top=None, types=WALL.types)
    assert rank_areas(second, areas, top=None, types=WALL.types) == expected
    assert rank_areas(first, WALL.areas, top=None, types=WALL.types) == expected
    fits = [r.fit for r in expected]
    assert fits == sorted(fits, reverse=True)


@given(answer)
def test_all_equal_answers_give_a_deterministic_tie(value):
    profile = score(dict.fromkeys(IDS, value))
    assert len(set(profile.scores)) == 1
    assert profile.code == "RIA"  # ties follow the fixed order R, I, A, S, E, C
    assert profile.is_flat
    ranked = rank_areas(profile, top=None)
    assert len({r.fit for r in ranked}) == 1
    assert [r.area.code for r in ranked] == sorted(a.code for a in WALL.areas)


@settings(max_examples=50)
@given(st.lists(st.integers(0, 100), min_size=6, max_size=6))
def test_profile_round_trips_through_its_scores(scores):
    profile = Profile.from_scores(scores)
    assert Profile.from_scores(profile.as_dict()) == profile
    assert profile.ranking[:3] == tuple(profile.code)


def test_scores_are_normalised_means():
    answers = dict.fromkeys(IDS, 1)
    for sid in BY_TYPE["S"]:
        answers[sid] = 5
    answers[BY_TYPE["I"][0]] = 3  # I: mean (3 + 7*1)/8 = 1.25 -> 6.25 -> 6
    profile = score(answers)
    assert profile.as_dict() == {"R": 0, "I": 6, "A": 0, "S": 100, "E": 0, "C": 0}
    assert profile.code == "SIR"
    best = rank_areas(profile, top=1)[0]
    assert best.area.holland[0] == "S"
    assert "Sociaal (100)" in best.explanation("nl")
    assert "Social (100)" in best.explanation("en")


def test_unknown_ids_and_bad_values_are_refused_clearly():
    answers = dict.fromkeys(IDS, 3)
    with pytest.raises(ValueError, match="unknown statement id.*nope"):
        score({**answers, "nope": 3})
    for bad in (0, 6, "3", 2.5, True, None):
        with pytest.raises(ValueError, match="'st01' must be a whole number from 1 to 5"):
            score({**answers, "st01": bad})


def test_at_least_80_percent_must_be_answered():
    answers = dict.fromkeys(IDS[:38], 3)  # 38 of 48 < 80 %
    with pytest.raises(IncompleteAnswers) as info:
        score(answers)
    assert info.value.required == 39
    assert info.value.missing == tuple(IDS[38:])
    # 39 answered, but one type almost empty: still refused
    answers = {i: 3 for i in IDS if i not in BY_TYPE["C"][:5]}
    with pytest.raises(IncompleteAnswers) as info:
        score(answers)
    assert info.value.short_types == ("C",)


def test_form_groups_fixed_mixed_and_complete():
    groups = form_groups()
    assert form_groups() == groups
    assert [len(g) for g in groups] == [8] * 6
    flat = [s for g in groups for s in g]
    assert sorted(s.id for s in flat) == sorted(IDS)
    for a, b in zip(flat, flat[1:], strict=False):
        assert a.type != b.type
    for group in groups:
        assert len({s.type for s in group}) >= 4
    assert [s.id for s in flat] != sorted(IDS)
    assert form_groups(seed=1) != groups


def test_rank_top_limits():
    profile = score({i: random.Random(i).choice(SCALE) for i in IDS})
    assert len(rank_areas(profile)) == 5
    assert len(rank_areas(profile, top=3)) == 3
    assert rank_areas(profile, top=0) == ()
