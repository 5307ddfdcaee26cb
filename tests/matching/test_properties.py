"""Properties of the matching engine over random indexes and queries:

- ``top()`` equals ``brute_force_top()`` exactly (ids, order, scores, factors), also after
  random upserts, removals and maintenance, in both directions (CandidateIndex/VacancyIndex);
- factor contributions lie in [0, weight], sum to the score, and ``explain()`` agrees;
- a pair scores the same from both sides.

Hypothesis draws the shape (sizes 0..300, operations, weights, filters, k, maintenance
thresholds) and a seed; the rows themselves come from a seeded generator over deliberately
small vocabularies (many ties, many shared occupations and skills) so that every search tier —
occupation block, skill block, pruned scan — gets exercised.
"""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkcentrum.matching import (
    FACTORS,
    CandidateIndex,
    CandidateProfile,
    Filters,
    VacancyIndex,
    VacancyProfile,
    Weights,
)

# A few real ESCO ids, and pairs that disagree with the usual ISCO group on purpose.
OCCUPATIONS = (
    ("90f75f67-495d-49fa-ab57-2f320e251d7e", "5120"),
    ("9ab80ce6-504f-474f-bb91-98163e9d45fd", "5120"),
    ("d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471", "5131"),
    ("bf7d8b16-4e2c-48ef-b44e-dc25b2d0ab61", "5132"),
    ("38395ab3-766c-4c6c-8d96-430eff19ec8d", "5223"),
    ("45037d43-a8f5-4f46-b332-b2935bc305f4", "8332"),
    ("0c408028-c48f-4df8-ba5d-c3d3be15f5a2", "8322"),
    ("90f75f67-495d-49fa-ab57-2f320e251d7e", "9411"),
)
QUERY_ONLY = (("onbekend-esco-id", "5129"), ("ook-onbekend", "0110"))
SKILLS = ("koken", "haccp", "kassa", "rijbewijs b", "rijbewijs c", "heftruck", "Engels", "plannen")
WORDS = ("keuken", "restaurant", "magazijn", "vrachtwagen", "klant", "pasta", "pizza", "ervaring")

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _place(rng: random.Random, spread: float) -> tuple[float, float]:
    return 52.25 + rng.uniform(-spread, spread), 6.8 + rng.uniform(-spread, spread) * 1.6


def make_candidate(rng: random.Random, id: int, spread: float) -> CandidateProfile:
    lat, lon = _place(rng, spread)
    hours_min = rng.choice([0, 8, 16, 24, 32, 36])
    return CandidateProfile(
        id=id,
        occupations=tuple(rng.sample(OCCUPATIONS, rng.choice([0, 1, 1, 2, 3]))),
        skills=tuple(rng.sample(SKILLS, rng.randint(0, 4))),
        education_level=rng.randint(0, 7),
        hours_min=hours_min,
        hours_max=hours_min + rng.choice([0, 4, 8, 16]),
        lat=lat,
        lon=lon,
        travel_radius_km=rng.choice([1, 5, 10, 15, 25, 40, 2.5]),
        wants_work_and_learn=rng.random() < 0.3,
        available=rng.random() < 0.85,
        job_agreement_eligible=rng.random() < 0.3,
        work_fit=rng.random() < 0.85,
        text=" ".join(rng.sample(WORDS, rng.randint(0, 4))),
    )


def make_vacancy(rng: random.Random, id: int, spread: float) -> VacancyProfile:
    lat, lon = _place(rng, spread)
    esco_id, isco = rng.choice(OCCUPATIONS + QUERY_ONLY)
    return VacancyProfile(
        id=id,
        esco_id=esco_id,
        isco_group=isco,
        required_skills=tuple(rng.sample(SKILLS, rng.choice([0, 1, 2, 3]))),
        desired_skills=tuple(rng.sample(SKILLS + ("onbekend",), rng.randint(0, 3))),
        education_level=rng.randint(0, 7),
        hours=rng.choice([0, 8, 16, 24, 32, 36, 40, 60]),
        lat=lat,
        lon=lon,
        work_and_learn=rng.random() < 0.4,
        job_agreement=rng.random() < 0.3,
        open=rng.random() < 0.85,
        text=" ".join(rng.sample(WORDS, rng.randint(0, 4))),
    )


filters_strategy = st.builds(
    Filters,
    within_travel_radius=st.booleans(),
    available_only=st.booleans(),
    job_agreement_only=st.booleans(),
    min_education=st.booleans(),
    work_fit_only=st.booleans(),
)


@st.composite
def valid_weights(draw) -> Weights:
    values = {
        name: draw(st.sampled_from([0.0, 0.0, 0.05, 0.1, 0.25, 0.4, 1.0])) for name in FACTORS
    }
    if not any(values.values()):
        values["occupation"] = 1.0
    return draw(st.one_of(st.just(Weights()), st.just(Weights(**values))))


# An operation: ("upsert", count) | ("remove", count) | ("optimize",) | ("query", k, weights, filters)
operation = st.one_of(
    st.tuples(st.just("upsert"), st.integers(0, 60)),
    st.tuples(st.just("remove"), st.integers(0, 20)),
    st.tuples(st.just("optimize")),
    st.tuples(st.just("query"), st.integers(0, 25), valid_weights(), filters_strategy),
)


def assert_same(got, want) -> None:
    assert [r.id for r in got] == [r.id for r in want]
    for a, b in zip(got, want, strict=True):
        assert abs(a.score - b.score) <= 1e-9
        assert a.score == b.score  # in fact bit-identical
        assert a.factors == b.factors
        assert a.filters_applied == b.filters_applied


def assert_well_formed(results, weights: Weights, k: int) -> None:
    normalised = weights.normalised()
    assert len(results) <= k
    keys = [(-r.score, r.id) for r in results]
    assert keys == sorted(keys)  # best first, ties by id ascending
    for r in results:
        assert abs(sum(r.factors.values()) - r.score) <= 1e-9
        assert -1e-12 <= r.score <= 1 + 1e-9
        for name, contribution in r.factors.items():
            assert 0.0 <= contribution <= normalised[name] + 1e-12
            assert 0.0 <= r.factor_scores[name] <= 1.0
        assert r.excluded_by == ()


def run_script(index_cls, make_row, make_query, seed, initial, ops, dirty_limit, spread):
    rng = random.Random(seed)
    index = index_cls(dirty_limit=dirty_limit)
    live: dict[int, object] = {}
    next_ids = list(range(initial + 400))
    rng.shuffle(next_ids)

    def upsert(count: int) -> None:
        for _ in range(count):
            # Half new ids, half updates of existing ones.
            id = rng.choice(list(live)) if live and rng.random() < 0.5 else rng.choice(next_ids)
            row = make_row(rng, id, spread)
            index.upsert(row)
            live[id] = row

    upsert(initial)
    for op in ops:
        if op[0] == "upsert":
            upsert(op[1])
        elif op[0] == "remove":
            for _ in range(op[1]):
                id = rng.choice(list(live)) if live and rng.random() < 0.8 else -1
                assert index.remove(id) == (id in live)
                live.pop(id, None)
        elif op[0] == "optimize":
            index.optimize()
        else:
            _, k, weights, filters = op
            query = make_query(rng, 10_000, spread)
            got = index.top(query, k, weights, filters)
            want = index.brute_force_top(query, k, weights, filters)
            assert_same(got, want)
            assert_well_formed(got, weights, k)
            for r in got[:3]:
                explained = index.explain(query, r.id, weights, filters)
                assert explained.score == r.score and explained.factors == r.factors
        assert len(index) == len(live)
    return index


script = dict(
    seed=st.integers(0, 2**32 - 1),
    initial=st.integers(0, 300),
    ops=st.lists(operation, min_size=1, max_size=8).map(
        lambda o: [*o, ("query", 10, Weights(), Filters())]
    ),
    dirty_limit=st.sampled_from([None, 0, 2, 16, 1000]),
    spread=st.sampled_from([0.02, 0.1, 0.3]),
)


@SETTINGS
@given(**script)
def test_candidate_index_top_equals_brute_force(seed, initial, ops, dirty_limit, spread):
    run_script(
        CandidateIndex, make_candidate, make_vacancy, seed, initial, ops, dirty_limit, spread
    )


@SETTINGS
@given(**script)
def test_vacancy_index_top_equals_brute_force(seed, initial, ops, dirty_limit, spread):
    run_script(VacancyIndex, make_vacancy, make_candidate, seed, initial, ops, dirty_limit, spread)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), weights=valid_weights(), filters=filters_strategy)
def test_a_pair_scores_the_same_from_both_sides(seed, weights, filters):
    rng = random.Random(seed)
    candidates = [make_candidate(rng, i, 0.1) for i in range(20)]
    vacancies = [make_vacancy(rng, 100 + i, 0.1) for i in range(20)]
    by_vacancy = CandidateIndex(candidates)
    by_candidate = VacancyIndex(vacancies)
    for c, v in zip(candidates, vacancies, strict=True):
        a = by_vacancy.explain(v, c.id, weights, filters)
        b = by_candidate.explain(c, v.id, weights, filters)
        assert a.factors == b.factors and a.score == b.score
        assert a.distance_km == b.distance_km
        # available_only looks at the ranked side (candidate available / vacancy open) and
        # work_fit_only only exists for candidate searches; the pair filters must agree.
        side = {"available_only", "work_fit_only"}
        assert set(a.excluded_by) - side == set(b.excluded_by) - side


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 40))
def test_skewed_indexes_exercise_the_early_exits(seed, k):
    """Many strong matches (one occupation, close by): the occupation block settles the query,
    and the answer is still the brute-force one."""
    rng = random.Random(seed)
    index = CandidateIndex(dirty_limit=rng.choice([0, 50]))
    for i in range(300):
        c = make_candidate(rng, i, 0.05)
        if i % 3 == 0:
            c = replace(c, occupations=(OCCUPATIONS[0],), skills=("koken", "haccp"))
        index.upsert(c)
    v = VacancyProfile(
        id=1,
        esco_id=OCCUPATIONS[0][0],
        isco_group=OCCUPATIONS[0][1],
        required_skills=("koken", "haccp"),
        desired_skills=(),
        education_level=0,
        hours=24,
        lat=52.25,
        lon=6.8,
    )
    for filters in (Filters(), Filters(within_travel_radius=False, available_only=False)):
        assert_same(index.top(v, k, filters=filters), index.brute_force_top(v, k, filters=filters))
    assert index.search_stats["occupation_block"] + index.search_stats["skill_block"] >= 1
