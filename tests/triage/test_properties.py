"""Property tests: triage answers every valid situation sensibly, and rule sets round-trip."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.triage import (
    ASKER_TYPES,
    BENEFITS,
    ROUTED_PARTNER_KINDS,
    SERVICE_LEVELS,
    TOPICS,
    WORK_STATUSES,
    Rule,
    RuleSet,
    Situation,
    default_rules,
    extract_topics,
    parse_situation,
    triage,
)

# Words that trigger topics, mixed with random text so questions hit the keyword paths too.
VOCABULARY = [
    "schulden", "WW", "bijstand", "WIA", "Wajong", "uitkering", "zoek", "werk", "baan",
    "opleiding", "scholingscheque", "omscholen", "carrièreswitch", "loopbaan", "bbl",
    "leerbedrijf", "personeel", "banenafspraak", "reorganisatie", "dreig", "verliezen",
    "Duitsland", "inburgeren", "statushouder", "gestopt", "met", "school", "geen", "niet",
    "maar", "wel", "ik", "www.uwv.nl", "zzp'er", "eigen", "bedrijf", "openingstijden", "ROC",
    "mbo", "vacature", "schuldig", ",", ".", "?",
]  # fmt: skip

questions = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(VOCABULARY), max_size=30).map(" ".join),
    st.tuples(st.text(max_size=40), st.lists(st.sampled_from(VOCABULARY), max_size=10)).map(
        lambda parts: parts[0] + " " + " ".join(parts[1])
    ),
)
topic_lists = st.lists(st.sampled_from(TOPICS), max_size=len(TOPICS))
situations = st.builds(
    Situation,
    asker=st.sampled_from(ASKER_TYPES),
    municipality=st.one_of(st.none(), st.sampled_from(["GM0153", "GM0173", "GM1735"])),
    age=st.one_of(st.none(), st.integers(0, 120)),
    work_status=st.one_of(st.none(), st.sampled_from(WORK_STATUSES)),
    benefit=st.one_of(st.none(), st.sampled_from(BENEFITS)),
    topics=st.one_of(st.none(), topic_lists.map(tuple)),
    question=questions,
)


def _check_decision(decision, rules):
    assert decision.service_level in SERVICE_LEVELS
    assert decision.partner_kind in ROUTED_PARTNER_KINDS
    assert decision.reasons and decision.reasons_en
    assert len(decision.reasons) == len(decision.reasons_en)
    assert all(isinstance(line, str) and line.strip() for line in decision.reasons)
    assert all(isinstance(line, str) and line.strip() for line in decision.reasons_en)
    rule = next(rule for rule in rules.rules if rule.id == decision.rule_id)
    assert (rule.level, rule.partner_kind, rule.desk) == (
        decision.service_level,
        decision.partner_kind,
        decision.desk,
    )
    assert decision.reasons[0] == rule.reason
    assert decision.topics and set(decision.topics) <= set(TOPICS)
    assert list(decision.topics) == sorted(set(decision.topics), key=TOPICS.index)
    for topic, kind in decision.also_relevant:
        assert topic in decision.topics and topic != "general_info"
        assert kind in ROUTED_PARTNER_KINDS and kind != decision.partner_kind
    assert sum(line.startswith("Ook relevant: ") for line in decision.reasons) == len(
        decision.also_relevant
    )
    json.dumps(decision.to_dict())


@given(situations)
def test_triage_always_answers_with_known_values(situation):
    rules = default_rules()
    decision = triage(situation, rules)
    _check_decision(decision, rules)
    assert triage(situation, rules) == decision  # deterministic


@given(situations)
def test_topics_and_benefit_provenance(situation):
    decision = triage(situation)
    if situation.topics:
        assert not decision.topics_inferred
        assert set(decision.topics) == set(situation.topics)
    else:
        assert decision.topics_inferred
        assert decision.topics == (extract_topics(situation.question) or ("general_info",))
    if situation.benefit is not None:
        assert (decision.benefit, decision.benefit_inferred) == (situation.benefit, False)
    else:
        assert decision.benefit_inferred == (decision.benefit is not None)


@given(situations, st.randoms(use_true_random=False))
def test_topic_order_does_not_matter(situation, random):
    topics = list(situation.topics or ())
    shuffled = topics[:]
    random.shuffle(shuffled)
    a = triage(Situation(**{**situation.__dict__, "topics": tuple(topics)}))
    b = triage(Situation(**{**situation.__dict__, "topics": tuple(shuffled)}))
    assert a == b


@given(situations, topic_lists)
def test_adding_topics_keeps_reasons_and_can_only_pick_an_earlier_rule(situation, extra):
    rules = default_rules()
    base = triage(situation, rules)
    more = Situation(**{**situation.__dict__, "topics": tuple(base.topics) + tuple(extra)})
    decision = triage(more, rules)
    _check_decision(decision, rules)
    ids = [rule.id for rule in rules.rules]
    assert ids.index(decision.rule_id) <= ids.index(
        triage(Situation(**{**situation.__dict__, "topics": base.topics}), rules).rule_id
    )


@given(situations)
def test_parse_situation_accepts_the_json_form_of_any_valid_situation(situation):
    data = {
        "asker": situation.asker,
        "municipality": situation.municipality or "GM0153",
        "age": situation.age,
        "work_status": situation.work_status,
        "benefit": situation.benefit,
        "topics": None if situation.topics is None else list(situation.topics),
        "question": situation.question,
    }
    parsed = parse_situation(json.loads(json.dumps(data)))
    assert parsed.asker == situation.asker
    assert parsed.age == situation.age
    assert parsed.benefit == situation.benefit
    assert parsed.question == situation.question
    if situation.topics is not None:
        assert parsed.topics == tuple(dict.fromkeys(situation.topics))
    assert triage(parsed) == triage(
        Situation(**{**situation.__dict__, "municipality": data["municipality"]})
    )


# --------------------------------------------------------------------------- random rule sets


def _subset(values, min_size=0):
    return st.lists(
        st.sampled_from(values), unique=True, min_size=min_size, max_size=min(len(values), 3)
    ).map(tuple)


ages = st.one_of(st.none(), st.integers(0, 120))
CONDITION_VALUES = {
    "asker": ASKER_TYPES,
    "any_topics": TOPICS,
    "benefit": BENEFITS,
    "work_status": WORK_STATUSES,
}


@st.composite
def rules(draw, rule_id, catch_all=False):
    level = draw(st.sampled_from(SERVICE_LEVELS))
    kind = draw(st.sampled_from(ROUTED_PARTNER_KINDS))
    desk = draw(st.sampled_from(["", "youth", "employer_services", "career_advice"]))
    reason = draw(st.sampled_from(["Reden.", "Omdat het zo is.", "Één reden – met accent."]))
    if catch_all:
        return Rule(rule_id, level, kind, desk, reason, reason + " (en)")
    # A rule before the catch-all needs at least one condition: force one of them.
    forced = draw(st.sampled_from([*CONDITION_VALUES, "age_min", "age_max"]))
    conditions = {
        name: draw(_subset(values, min_size=1 if name == forced else 0))
        for name, values in CONDITION_VALUES.items()
    }
    low = draw(st.integers(0, 120) if forced == "age_min" else ages)
    high = draw(st.integers(0, 120) if forced == "age_max" else ages)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Rule(
        rule_id, level, kind, desk, reason, reason + " (en)", age_min=low, age_max=high,
        **conditions,
    )  # fmt: skip


@st.composite
def rule_sets(draw):
    count = draw(st.integers(0, 8))
    body = [draw(rules(f"rule-{index}")) for index in range(count)]
    return RuleSet(version=draw(st.integers(1, 5)), rules=(*body, draw(rules("rest", True))))


@given(rule_sets())
def test_rule_sets_round_trip_through_dicts_and_json(rule_set):
    data = rule_set.to_dict()
    assert RuleSet.from_dict(data) == rule_set
    assert RuleSet.from_dict(json.loads(json.dumps(data))) == rule_set


@given(rule_sets(), situations)
def test_triage_picks_the_first_matching_rule_of_any_rule_set(rule_set, situation):
    decision = triage(situation, rule_set)
    _check_decision(decision, rule_set)
    topics = frozenset(decision.topics)
    expected = next(
        rule
        for rule in rule_set.rules
        if rule.matches(
            situation.asker, topics, decision.benefit, situation.work_status, situation.age
        )
    )
    assert decision.rule_id == expected.id
