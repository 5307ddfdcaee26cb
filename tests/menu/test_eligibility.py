"""The pure eligibility engine: reasons, checks and blockers; unknown facts never give a wrong
yes or no; properties with hypothesis (open services fit everyone, adding a condition never
turns a no into a yes, validity dates are respected)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.menu.eligibility import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    POSSIBLY,
    Rules,
    describe,
    eligible_services,
    evaluate,
    is_valid_on,
)
from werkcentrum.triage import ASKER_TYPES, BENEFITS, TOPICS, WORK_STATUSES, Situation

from .helpers import FakeService

TODAY = date(2026, 6, 1)
PLACES = ("GM0153", "GM0141", "GM1742", "GM0164")
NAMES = {"GM0153": "Enschede", "GM0141": "Almelo", "GM1742": "Rijssen-Holten"}


def person(**kwargs):
    kwargs.setdefault("asker", "resident")
    kwargs.setdefault("municipality", "GM1742")
    return Situation(**kwargs)


# --------------------------------------------------------------------------- examples


def test_open_service_fits_with_the_ontschot_reason():
    verdict = evaluate(Rules(), person(age=58, benefit="ww"))
    assert verdict.status == ELIGIBLE and verdict.eligible
    assert [r.nl for r in verdict.reasons] == ["Met of zonder uitkering (ontschot)"]
    assert verdict.reasons[0].en.startswith("With or without a benefit")
    assert not verdict.checks and not verdict.blockers


def test_every_condition_that_holds_gives_a_reason():
    rules = Rules(
        askers=("resident",),
        benefits=("ww",),
        work_statuses=("unemployed",),
        municipalities=("GM1742",),
        age_min=50,
    )
    situation = person(age=58, benefit="ww", work_status="unemployed")
    verdict = evaluate(rules, situation, place_names=NAMES)
    assert verdict.eligible and verdict.matched == 5
    assert [r.nl for r in verdict.reasons] == [
        "Voor inwoners",
        "Leeftijd 58 (50 jaar of ouder)",
        "Uitkering: WW",
        "Werksituatie: zonder werk",
        "Gemeente Rijssen-Holten",
    ]
    assert "Age 58 (aged 50 or older)" in [r.en for r in verdict.reasons]


def test_unknown_age_is_possibly_with_what_to_check():
    verdict = evaluate(Rules(age_min=16, age_max=27), person())
    assert verdict.status == POSSIBLY and verdict.possibly
    assert [r.nl for r in verdict.checks] == [
        "Vraag de leeftijd: alleen voor 16 tot en met 27 jaar"
    ]
    assert verdict.checks[0].en == "Ask the age: only aged 16 to 27"
    assert not verdict.blockers


@pytest.mark.parametrize(
    ("rules", "situation", "check"),
    [
        (Rules(benefits=("bijstand",)), person(), "Vraag naar de uitkering"),
        (Rules(work_statuses=("employed",)), person(), "Vraag naar de werksituatie"),
        (Rules(municipalities=("GM0153",)), person(municipality=None), "Vraag de woonplaats"),
        (Rules(job_agreement=True), person(), "doelgroepregister"),
    ],
)
def test_each_unknown_fact_is_a_check_not_a_guess(rules, situation, check):
    verdict = evaluate(rules, situation, place_names=NAMES)
    assert verdict.status == POSSIBLY
    assert check in verdict.checks[0].nl


def test_a_condition_that_fails_is_a_blocker():
    verdict = evaluate(
        Rules(benefits=("bijstand",), municipalities=("GM0153",)),
        person(benefit="ww"),
        place_names=NAMES,
    )
    assert verdict.status == NOT_ELIGIBLE
    assert [r.nl for r in verdict.blockers] == [
        "Uitkering WW: alleen bij bijstand",
        "Gemeente Rijssen-Holten: alleen in de gemeente Enschede",
    ]


def test_employer_is_not_offered_a_residents_service():
    verdict = evaluate(Rules(askers=("resident",)), Situation(asker="employer", municipality=None))
    assert verdict.status == NOT_ELIGIBLE
    assert verdict.blockers[0].nl == "Alleen voor inwoners"


def test_benefit_inferred_from_the_question():
    fits = evaluate(Rules(benefits=("ww",)), person(question="Ik heb een WW-uitkering."))
    assert fits.eligible
    assert fits.reasons[0].nl == "Uitkering: WW (afgeleid uit de vraag)"
    # an inferred benefit that does not fit is something to check, not a hard no
    other = evaluate(Rules(benefits=("bijstand",)), person(question="Ik heb WW."))
    assert other.status == POSSIBLY
    assert "de vraag noemt WW" in other.checks[0].nl


def test_job_agreement_known():
    rules = Rules(job_agreement=True)
    assert evaluate(rules, person(), job_agreement=True).eligible
    assert evaluate(rules, person(), job_agreement=False).status == NOT_ELIGIBLE


def test_describe_says_for_whom():
    assert describe(Rules()).nl.startswith("Voor iedereen")
    text = describe(
        Rules(askers=("resident",), benefits=("bijstand",), municipalities=("GM0153",), age_max=27),
        NAMES,
    )
    assert text.nl == "Voor inwoners, tot en met 27 jaar, met bijstand, in de gemeente Enschede."
    assert text.en == (
        "For residents, aged 27 or younger, with social assistance (bijstand), "
        "in the municipality of Enschede."
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"benefits": ("uwv",)}, "benefits"),
        ({"askers": "resident"}, "askers"),
        ({"work_statuses": ("employed", "employed")}, "work_statuses"),
        ({"age_min": 30, "age_max": 20}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"job_agreement": "yes"}, "job_agreement"),
    ],
)
def test_invalid_rules_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Rules(**kwargs)


def test_sorting_eligible_then_relevant_then_available():
    services = [
        FakeService("possibly-debts", Rules(age_max=30), topics=("debts",)),
        FakeService("open-full", topics=("job_search",), available=False),
        FakeService("open-job", topics=("job_search",)),
        FakeService("open-other", topics=("hiring",)),
        FakeService("closed", Rules(askers=("employer",)), topics=("job_search",)),
    ]
    situation = person(topics=("job_search",))
    matches = eligible_services(services, situation, TODAY)
    assert [m.service.code for m in matches] == [
        "open-job",
        "open-full",
        "open-other",
        "possibly-debts",
    ]
    assert matches[0].reasons[0].nl == "Past bij de vraag: werk zoeken"
    only_sure = eligible_services(services, situation, TODAY, include_possible=False)
    assert "possibly-debts" not in [m.service.code for m in only_sure]


def test_targeted_services_come_before_open_ones():
    services = [
        FakeService("open", topics=("job_search",)),
        FakeService("fifty-plus", Rules(age_min=50, benefits=("ww",)), topics=("job_search",)),
    ]
    situation = person(age=58, benefit="ww", topics=("job_search",))
    assert [m.service.code for m in eligible_services(services, situation, TODAY)] == [
        "fifty-plus",
        "open",
    ]


def test_topics_are_recognised_in_the_question():
    matches = eligible_services(
        [FakeService("schuldhulp", topics=("debts",))],
        person(question="Ik heb schulden en kan de huur niet betalen."),
        TODAY,
    )
    assert matches[0].topics == ("debts",)


# --------------------------------------------------------------------------- properties

situations = st.builds(
    Situation,
    asker=st.sampled_from(ASKER_TYPES),
    municipality=st.none() | st.sampled_from(PLACES),
    age=st.none() | st.integers(0, 120),
    work_status=st.none() | st.sampled_from(WORK_STATUSES),
    benefit=st.none() | st.sampled_from(BENEFITS),
    topics=st.none() | st.lists(st.sampled_from(TOPICS), unique=True, max_size=3).map(tuple),
    question=st.sampled_from(["", "Ik zoek werk.", "Ik heb WW.", "Ik zit in de bijstand."]),
)
facts = st.none() | st.booleans()


def subset(values):
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(tuple)


@st.composite
def rules(draw):
    low = draw(st.none() | st.integers(0, 120))
    high = draw(st.none() | st.integers(low or 0, 120))
    return Rules(
        askers=draw(subset(ASKER_TYPES)),
        benefits=draw(subset(BENEFITS)),
        work_statuses=draw(subset(WORK_STATUSES)),
        municipalities=draw(subset(PLACES)),
        age_min=low,
        age_max=high,
        job_agreement=draw(st.booleans()),
    )


@st.composite
def tighter(draw, base: Rules):
    """``base`` with one more (or a stricter) condition."""
    vocab = {
        "askers": ASKER_TYPES,
        "benefits": BENEFITS,
        "work_statuses": WORK_STATUSES,
        "municipalities": PLACES,
    }
    name = draw(st.sampled_from([*vocab, "age_min", "age_max", "job_agreement"]))
    if name in vocab:
        pool = getattr(base, name) or vocab[name]
        values = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=len(pool)))
        return replace(base, **{name: tuple(values)})
    if name == "age_min":
        ceiling = base.age_max if base.age_max is not None else 120
        return replace(base, age_min=draw(st.integers(base.age_min or 0, ceiling)))
    if name == "age_max":
        floor = base.age_min or 0
        top = base.age_max if base.age_max is not None else 120
        return replace(base, age_max=draw(st.integers(floor, top)))
    return replace(base, job_agreement=True)


@given(situation=situations, fact=facts)
def test_a_service_without_conditions_fits_everyone(situation, fact):
    verdict = evaluate(Rules(), situation, job_agreement=fact)
    assert verdict.eligible and not verdict.blockers and not verdict.checks


@settings(max_examples=300)
@given(data=st.data(), base=rules(), situation=situations, fact=facts)
def test_adding_a_condition_never_turns_a_no_into_a_yes(data, base, situation, fact):
    stricter = data.draw(tighter(base))
    before = evaluate(base, situation, job_agreement=fact)
    after = evaluate(stricter, situation, job_agreement=fact)
    assert after.rank >= before.rank
    if before.status == NOT_ELIGIBLE:
        assert after.status == NOT_ELIGIBLE


@given(base=rules(), situation=situations, fact=facts)
def test_status_follows_from_blockers_and_checks(base, situation, fact):
    verdict = evaluate(base, situation, job_agreement=fact)
    if verdict.blockers:
        assert verdict.status == NOT_ELIGIBLE
    elif verdict.checks:
        assert verdict.status == POSSIBLY
    else:
        assert verdict.status == ELIGIBLE
    for reason in (*verdict.reasons, *verdict.checks, *verdict.blockers):
        assert reason.nl.strip() and reason.en.strip()


@given(
    start=st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    length=st.none() | st.integers(0, 2000),
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    situation=situations,
)
def test_validity_dates_are_respected(start, length, today, situation):
    end = None if length is None else (start or date(2020, 1, 1)) + timedelta(days=length)
    service = FakeService("dienst", valid_from=start, valid_until=end)
    matches = eligible_services([service], situation, today)
    inside = (start is None or start <= today) and (end is None or today <= end)
    assert is_valid_on(service, today) == inside
    assert bool(matches) == inside
