"""k-anonymity for the employer portal: hierarchies, validation, a Twente example, properties."""

from __future__ import annotations

import ast
import random
from collections import Counter
from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkcentrum.portal.anonymity import (
    DEFAULT_PRIORITY,
    EDUCATION_LEVELS,
    PROTECTED_ATTRIBUTES,
    AnonymisationError,
    Hierarchy,
    Occupation,
    anonymise,
    default_hierarchies,
    information_loss,
    suppression_budget,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "werkcentrum" / "portal" / "anonymity.py"

# Twente: the 14 municipalities and their three subregions (regions/data/twente.toml).
SUBREGIONS = {
    "Subregio Almelo": ["Almelo", "Dinkelland", "Hellendoorn", "Rijssen-Holten", "Tubbergen",
                        "Twenterand", "Wierden"],
    "Subregio Enschede": ["Enschede", "Losser", "Oldenzaal"],
    "Subregio Hengelo": ["Borne", "Haaksbergen", "Hengelo", "Hof van Twente"],
}  # fmt: skip
SUBREGION_OF = {m: sub for sub, municipalities in SUBREGIONS.items() for m in municipalities}
REGION_OF = {sub: "Twente" for sub in SUBREGIONS}
ISCO_LABELS = {"7212": "Lassers en snijders", "72": "Metaalbewerkers en machinemonteurs"}
TWENTE = default_hierarchies(SUBREGION_OF, REGION_OF)
NAMES = tuple(TWENTE)
TOP_LEVELS = {name: h.height for name, h in TWENTE.items()}


def candidate(id, occupation, place, education="mbo-2", hours=(32, 40), experience=3, wl=False):
    return {"id": id, "occupation": occupation, "place": place, "education": education,
            "hours": hours, "experience": experience, "work_and_learn": wl}  # fmt: skip


def check_invariants(records, hierarchies, result, k, max_suppression):
    """What every result must satisfy, checked independently of the implementation."""
    n = len(records)
    by_id = {record["id"]: record for record in records}
    assert result.k == k
    assert list(result.levels) == list(hierarchies)
    for name, level in result.levels.items():
        assert 0 <= level <= hierarchies[name].height
    assert all(group.count >= k for group in result.groups)
    assert sum(group.count for group in result.groups) + result.suppressed == n
    assert result.shown + result.suppressed == n
    seen = [member for group in result.groups for member in group.member_ids]
    assert len(seen) == len(set(seen)) and set(seen) <= set(by_id)
    if n < k:
        assert result.groups == () and result.suppressed == n
        assert result.levels == {name: h.height for name, h in hierarchies.items()}
    else:
        assert result.suppressed <= suppression_budget(n, max_suppression)
        assert result.suppressed <= max_suppression * n + 1e-6
        if max_suppression == 0:
            assert result.suppressed == 0
    for group in result.groups:
        assert group.count == len(group.member_ids)
        assert list(group.member_ids) == sorted(group.member_ids)
        assert list(group.attributes) == list(hierarchies)
        for member in group.member_ids:
            record = by_id[member]
            for name, hierarchy in hierarchies.items():
                assert hierarchy.levels[result.levels[name]](record[name]) == group.attributes[name]
    shown = [tuple(group.attributes.values()) for group in result.groups]
    assert len(shown) == len(set(shown)), "two groups show the same profile"
    assert [(-g.count, tuple(g.attributes.values())) for g in result.groups] == sorted(
        (-g.count, tuple(g.attributes.values())) for g in result.groups
    )


def exact_key(levels, hierarchies, priority=DEFAULT_PRIORITY):
    """The documented order of preference: (Σ 2^(m-1-i)·level/height, levels in priority order)."""
    order = [name for name in priority if name in hierarchies]
    order += [name for name in hierarchies if name not in order]
    m = len(order)
    loss = sum(
        (Fraction(2 ** (m - 1 - i) * levels[name], hierarchies[name].height)
         for i, name in enumerate(order) if hierarchies[name].height),
        Fraction(0),
    )  # fmt: skip
    return loss, tuple(levels[name] for name in order)


def brute_force_suppressed(records, hierarchies, levels, k):
    counts = Counter(
        tuple(h.levels[levels[name]](record[name]) for name, h in hierarchies.items())
        for record in records
    )
    return sum(count for count in counts.values() if count < k)


# --------------------------------------------------------------------------- the hierarchies


def test_occupation_hierarchy_goes_from_esco_label_to_isco_groups():
    h = default_hierarchies(SUBREGION_OF, REGION_OF, ISCO_LABELS)["occupation"]
    lasser = ("lasser", "7212")
    assert [level(lasser) for level in h.levels] == [
        "lasser", "7212 Lassers en snijders", "721", "72 Metaalbewerkers en machinemonteurs", "*"
    ]  # fmt: skip
    assert h.generalise(Occupation("lasser", "7212"), 2) == "721"
    assert h.generalise({"esco_id": "x", "label": "lasser", "isco_group": "7212"}, 1) == (
        "7212 Lassers en snijders"
    )
    assert TWENTE["occupation"].generalise(lasser, 1) == "7212"  # no labels given
    for bad in ["lasser", ("lasser", 7212), ("lasser", "72"), ("", "7212"), None]:
        with pytest.raises(AnonymisationError):
            h.generalise(bad, 0)


def test_place_hierarchy_municipality_subregion_region():
    h = TWENTE["place"]
    assert [level("Tubbergen") for level in h.levels] == [
        "Tubbergen", "Subregio Almelo", "Twente", "*"
    ]  # fmt: skip
    with pytest.raises(AnonymisationError, match="unknown municipality"):
        h.generalise("Winterswijk", 0)
    # region_of may also be keyed by municipality
    by_municipality = default_hierarchies({"Losser": "oost"}, {"Losser": "Twente"})["place"]
    assert by_municipality.generalise("Losser", 2) == "Twente"


def test_education_hierarchy_bands():
    h = TWENTE["education"]
    bands = [h.generalise(level, 1) for level in EDUCATION_LEVELS]
    assert bands == ["tot en met vmbo", "tot en met vmbo", "mbo-1/2", "mbo-1/2", "mbo-3/4",
                     "mbo-3/4", "hbo/wo", "hbo/wo"]  # fmt: skip
    assert h.generalise(4, 0) == "mbo-3"  # the model's integer levels
    assert h.generalise("MBO 2", 0) == "mbo-2"
    assert h.generalise("geen", 0) == "geen/basisonderwijs"
    assert h.generalise("wo", 2) == "*"
    for bad in ["havo", 8, -1, True, None]:
        with pytest.raises(AnonymisationError):
            h.generalise(bad, 0)


@pytest.mark.parametrize(
    ("hours", "exact", "band", "kind"),
    [
        ((24, 32), "24–32", "25–32", "part-time"),
        ("24-32", "24–32", "25–32", "part-time"),
        (16, "16", "≤16", "part-time"),
        ((12, 20), "12–20", "≤16", "part-time"),
        ((16, 24), "16–24", "17–24", "part-time"),
        ((32, 40), "32–40", "33–40", "full-time"),
        (40, "40", "33–40", "full-time"),
        (45, "45", "33–40", "full-time"),
        (22.5, "22.5", "17–24", "part-time"),
    ],
)
def test_hours_hierarchy(hours, exact, band, kind):
    h = TWENTE["hours"]
    assert [level(hours) for level in h.levels] == [exact, band, kind, "*"]


@pytest.mark.parametrize("bad", [(40, 32), -1, "veel", True, None, (1, 2, 3), float("nan")])
def test_hours_hierarchy_rejects_nonsense(bad):
    with pytest.raises(AnonymisationError):
        TWENTE["hours"].generalise(bad, 0)


@pytest.mark.parametrize(
    ("years", "band"), [(0, "0–1"), (1, "0–1"), (1.5, "2–5"), (5, "2–5"), (6, "6–10"),
                        (10, "6–10"), (11, ">10"), (40, ">10")]
)  # fmt: skip
def test_experience_hierarchy(years, band):
    h = TWENTE["experience"]
    assert [level(years) for level in h.levels] == [str(years), band, "*"]


def test_work_and_learn_and_validation_of_experience():
    h = TWENTE["work_and_learn"]
    assert [h.generalise(v, 0) for v in (True, False, "ja", "nee")] == ["yes", "no", "yes", "no"]
    assert h.generalise(True, 1) == "*"
    for bad in [1, None, "misschien"]:
        with pytest.raises(AnonymisationError):
            h.generalise(bad, 0)
    for bad in [-1, True, "3", None]:
        with pytest.raises(AnonymisationError):
            TWENTE["experience"].generalise(bad, 0)


def test_default_hierarchies_shape():
    assert tuple(TWENTE) == DEFAULT_PRIORITY
    assert [h.height for h in TWENTE.values()] == [4, 3, 2, 3, 2, 1]
    assert all(isinstance(h, Hierarchy) and h.name == name for name, h in TWENTE.items())


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "key",
    ["age", "leeftijd", "gender", "geslacht", "sex", "origin", "herkomst", "nationality",
     "date_of_birth", "geboortedatum", "candidate_age", "Gender", "religion", "disability",
     "name", "postcode"],
)  # fmt: skip
def test_records_with_protected_attributes_are_refused(key):
    records = [candidate(i, ("lasser", "7212"), "Almelo") for i in range(10)]
    records[3] = {**records[3], key: "x"}
    with pytest.raises(AnonymisationError, match="protected"):
        anonymise(records, TWENTE)


def test_protected_words_cover_the_brief():
    assert {"age", "gender", "origin", "leeftijd", "geslacht", "herkomst"} <= PROTECTED_ATTRIBUTES


@pytest.mark.parametrize("name", ["age", "gender", "herkomst", "geboorte_datum"])
def test_a_hierarchy_over_a_protected_attribute_is_refused(name):
    hierarchy = Hierarchy(name, (str, lambda _: "*"))
    records = [{"id": i, name: "x"} for i in range(10)]
    with pytest.raises(AnonymisationError, match="protected"):
        anonymise(records, {name: hierarchy})


def test_unknown_missing_and_bad_keys_are_refused():
    good = [candidate(i, ("lasser", "7212"), "Almelo") for i in range(10)]
    with pytest.raises(AnonymisationError, match="unknown keys"):
        anonymise([*good, {**candidate(99, ("lasser", "7212"), "Almelo"), "hobby": "x"}], TWENTE)
    missing = candidate(99, ("lasser", "7212"), "Almelo")
    del missing["hours"]
    with pytest.raises(AnonymisationError, match="lacks keys"):
        anonymise([*good, missing], TWENTE)
    with pytest.raises(AnonymisationError, match="duplicate id"):
        anonymise([*good, candidate(3, ("lasser", "7212"), "Almelo")], TWENTE)
    for bad_id in ["7", True, None, 1.0]:
        with pytest.raises(AnonymisationError, match="id must be an int"):
            anonymise([candidate(bad_id, ("lasser", "7212"), "Almelo")], TWENTE)
    with pytest.raises(AnonymisationError, match="not a mapping"):
        anonymise([("id", 1)], TWENTE)
    with pytest.raises(AnonymisationError, match="record 4: place: unknown municipality"):
        anonymise([*good[:4], candidate(4, ("lasser", "7212"), "Winterswijk")], TWENTE)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"k": 1}, "k must be"), ({"k": True}, "k must be"), ({"k": 5.0}, "k must be"),
     ({"max_suppression": 1}, "max_suppression"), ({"max_suppression": -0.1}, "max_suppression"),
     ({"priority": ("place", "place")}, "twice")],
)  # fmt: skip
def test_parameters_are_validated(kwargs, match):
    records = [candidate(i, ("lasser", "7212"), "Almelo") for i in range(10)]
    with pytest.raises(AnonymisationError, match=match):
        anonymise(records, TWENTE, **kwargs)


def test_hierarchies_must_end_in_star_and_return_strings():
    records = [{"id": i, "x": i % 2} for i in range(10)]
    with pytest.raises(AnonymisationError, match="last level"):
        anonymise(records, {"x": Hierarchy("x", (str, lambda _: "all"))})
    with pytest.raises(AnonymisationError, match="non-string"):
        anonymise(records, {"x": Hierarchy("x", (lambda v: v, lambda _: "*"))})
    with pytest.raises(AnonymisationError, match="named"):
        anonymise(records, {"x": Hierarchy("y", (str, lambda _: "*"))})
    with pytest.raises(AnonymisationError):
        Hierarchy("x", ())


def test_the_module_is_pure_python_without_django():
    tree = ast.parse(SRC.read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "django" not in imported and "werkcentrum" not in imported


# --------------------------------------------------------------------------- a Twente example

# 30 work-fit candidates in Twente. One roofer lives in Tubbergen: no other roofer, no other
# candidate from Tubbergen, so the exact profile would point at one person.
LASSER, PLAATWERKER = ("lasser", "7212"), ("plaatwerker", "7213")
ZORGHULP, VERPLEEGHULP = ("zorghulp", "5321"), ("verpleeghulp", "5321")
MAGAZIJN, ORDERPICKER = ("magazijnmedewerker", "9333"), ("orderpicker", "9333")
CHAUFFEUR, DAKDEKKER = ("vrachtwagenchauffeur", "8332"), ("dakdekker", "7121")
TWENTE_CANDIDATES = [
    candidate(101, LASSER, "Almelo", "mbo-2", (32, 40), 4),
    candidate(102, LASSER, "Almelo", "mbo-3", (36, 40), 12),
    candidate(103, LASSER, "Wierden", "mbo-2", 40, 1, True),
    candidate(104, LASSER, "Hengelo", "mbo-3", (32, 40), 7),
    candidate(105, LASSER, "Hengelo", "mbo-2", (24, 32), 2),
    candidate(106, PLAATWERKER, "Borne", "mbo-2", (32, 40), 3, True),
    candidate(107, LASSER, "Enschede", "vmbo", (32, 40), 0, True),
    candidate(108, PLAATWERKER, "Enschede", "mbo-3", 38, 9),
    candidate(109, LASSER, "Almelo", "mbo-2", (36, 40), 5),
    candidate(110, ZORGHULP, "Enschede", "mbo-2", (16, 24), 2),
    candidate(111, ZORGHULP, "Enschede", "mbo-3", (24, 32), 6),
    candidate(112, VERPLEEGHULP, "Oldenzaal", "mbo-2", (20, 28), 1, True),
    candidate(113, ZORGHULP, "Losser", "mbo-1", (12, 20), 0, True),
    candidate(114, ZORGHULP, "Hengelo", "mbo-3", (24, 32), 15),
    candidate(115, VERPLEEGHULP, "Almelo", "mbo-2", (16, 24), 3),
    candidate(116, ZORGHULP, "Hellendoorn", "mbo-2", (24, 28), 4),
    candidate(117, ZORGHULP, "Almelo", "vmbo", (16, 20), 1, True),
    candidate(118, MAGAZIJN, "Almelo", "vmbo", (32, 40), 2),
    candidate(119, ORDERPICKER, "Almelo", "geen/basisonderwijs", (24, 40), 0),
    candidate(120, MAGAZIJN, "Hengelo", "mbo-1", (36, 40), 8),
    candidate(121, ORDERPICKER, "Enschede", "vmbo", (16, 24), 1),
    candidate(122, MAGAZIJN, "Enschede", "mbo-2", (32, 40), 3),
    candidate(123, MAGAZIJN, "Rijssen-Holten", "mbo-1", 40, 11),
    candidate(124, ORDERPICKER, "Enschede", "vmbo", (24, 32), 2, True),
    candidate(125, CHAUFFEUR, "Hengelo", "mbo-2", (36, 40), 6),
    candidate(126, CHAUFFEUR, "Almelo", "mbo-2", 40, 14),
    candidate(127, CHAUFFEUR, "Enschede", "mbo-3", (32, 40), 3),
    candidate(128, CHAUFFEUR, "Haaksbergen", "mbo-2", (36, 40), 9),
    candidate(129, CHAUFFEUR, "Hof van Twente", "mbo-2", (32, 40), 20),
    candidate(130, DAKDEKKER, "Tubbergen", "mbo-2", (36, 40), 6),
]
ROOFER = 130


def group_of(result, member):
    return next((group for group in result.groups if member in group.member_ids), None)


def test_the_twente_example_never_shows_the_roofer_from_tubbergen_alone():
    result = anonymise(TWENTE_CANDIDATES, TWENTE)
    check_invariants(TWENTE_CANDIDATES, TWENTE, result, 5, 0.05)
    shown = {value for group in result.groups for value in group.attributes.values()}
    assert not shown & {"dakdekker", "Tubbergen", "7121", "712"}
    roofer = group_of(result, ROOFER)
    assert roofer is None or roofer.count >= 5
    # The occupation survives as the ISCO minor group (two plaatwerkers would be too few at the
    # unit group); the one roofer is left out (1 ≤ 5 % of 30).
    assert result.levels["occupation"] == 2 and result.suppressed == 1
    assert roofer is None
    assert [(g.count, g.attributes["occupation"]) for g in result.groups] == [
        (9, "721"),
        (8, "532"),
        (7, "933"),
        (5, "833"),
    ]


def test_the_twente_example_without_suppression_hides_the_roofer_in_a_group():
    result = anonymise(TWENTE_CANDIDATES, TWENTE, max_suppression=0)
    check_invariants(TWENTE_CANDIDATES, TWENTE, result, 5, 0)
    assert result.suppressed == 0
    roofer = group_of(result, ROOFER)
    assert roofer is not None and roofer.count >= 5
    assert roofer.attributes["occupation"] == "*"  # 71xx is the only building trade
    assert roofer.attributes["place"] in {"Subregio Almelo", "Twente", "*"}


def test_the_twente_example_with_labels_and_k_2():
    hierarchies = default_hierarchies(SUBREGION_OF, REGION_OF, ISCO_LABELS)
    result = anonymise(TWENTE_CANDIDATES, hierarchies, k=2)
    check_invariants(TWENTE_CANDIDATES, hierarchies, result, 2, 0.05)
    assert all(g.count >= 2 for g in result.groups) and group_of(result, ROOFER) is None
    assert result.levels["occupation"] == 0  # a smaller k keeps the ESCO labels
    assert {"lasser", "zorghulp", "plaatwerker"} <= {
        g.attributes["occupation"] for g in result.groups
    }


def test_more_records_for_the_rare_profile_make_it_showable():
    roofers = [candidate(200 + i, DAKDEKKER, "Tubbergen", "mbo-2", (36, 40), 6) for i in range(5)]
    records = [*TWENTE_CANDIDATES, *roofers]
    result = anonymise(records, TWENTE)
    check_invariants(records, TWENTE, result, 5, 0.05)
    assert group_of(result, ROOFER).count >= 6


def test_fewer_than_k_records_show_nothing():
    records = TWENTE_CANDIDATES[:4]
    result = anonymise(records, TWENTE)
    assert result.groups == () and result.suppressed == 4 and result.levels == TOP_LEVELS
    empty = anonymise([], TWENTE)
    assert empty.groups == () and empty.suppressed == 0


def test_identical_candidates_stay_fully_specific():
    records = [candidate(i, LASSER, "Almelo", "mbo-2", (32, 40), 4) for i in range(5)]
    result = anonymise(records, TWENTE)
    assert result.levels == dict.fromkeys(NAMES, 0) and result.suppressed == 0
    assert result.groups[0].attributes == {
        "occupation": "lasser", "place": "Almelo", "education": "mbo-2", "hours": "32–40",
        "experience": "4", "work_and_learn": "no",
    }  # fmt: skip
    assert result.groups[0].member_ids == (0, 1, 2, 3, 4)


def test_two_occupations_with_the_same_label_are_shown_as_one_profile():
    # ESCO has two "banketbakker" occupations (3434 and 7512): one label, two ISCO groups.
    records = [candidate(i, ("banketbakker", "3434" if i % 2 else "7512"), "Almelo")
               for i in range(10)]  # fmt: skip
    result = anonymise(records, TWENTE)
    assert result.levels["occupation"] == 0
    assert [(g.count, g.attributes["occupation"]) for g in result.groups] == [(10, "banketbakker")]


def test_priority_decides_which_attribute_stays_specific():
    # Five lassers spread over five municipalities of one subregion, or five occupations in one
    # municipality: whichever attribute comes first in the priority is kept.
    records = [candidate(i, LASSER, m, "mbo-2", 40, 3) for i, m in
               enumerate(["Almelo", "Wierden", "Tubbergen", "Dinkelland", "Twenterand"])]  # fmt: skip
    by_occupation = anonymise(records, TWENTE)
    assert by_occupation.levels["occupation"] == 0 and by_occupation.levels["place"] == 1
    assert by_occupation.groups[0].attributes["place"] == "Subregio Almelo"
    by_place = anonymise(records, TWENTE, priority=("place", "occupation"))
    assert by_place.levels["place"] == 1  # place cannot be kept anyway
    assert by_place.levels["occupation"] == 0


def test_result_does_not_depend_on_record_order():
    shuffled = TWENTE_CANDIDATES[:]
    random.Random(7).shuffle(shuffled)
    assert anonymise(shuffled, TWENTE) == anonymise(TWENTE_CANDIDATES, TWENTE)


def test_information_loss_is_normalised_and_follows_priority():
    assert information_loss(dict.fromkeys(NAMES, 0), TWENTE) == 0
    assert information_loss(TOP_LEVELS, TWENTE) == pytest.approx(1)
    only_occupation = {**dict.fromkeys(NAMES, 0), "occupation": 4}
    all_but_occupation = {**TOP_LEVELS, "occupation": 0}
    assert information_loss(only_occupation, TWENTE) > information_loss(all_but_occupation, TWENTE)


# --------------------------------------------------------------------------- properties

SMALL_REGION = {"A1": "A", "A2": "A", "B1": "B", "B2": "B", "C1": "C", "C2": "C"}
SMALL_REGIONS = {"A": "Noord", "B": "Noord", "C": "Zuid"}
SMALL = default_hierarchies(SMALL_REGION, SMALL_REGIONS)
OCCUPATIONS = [("lasser", "7212"), ("plaatwerker", "7213"), ("monteur", "7233"),
               ("zorghulp", "5321"), ("verpleeghulp", "5322"), ("kok", "5120"),
               ("orderpicker", "9333"), ("chauffeur", "8332")]  # fmt: skip
HOURS = [16, (16, 24), (24, 32), (32, 40), 40, (20, 36), 12]

values = {
    "occupation": st.sampled_from(OCCUPATIONS),
    "place": st.sampled_from(sorted(SMALL_REGION)),
    "education": st.sampled_from([*EDUCATION_LEVELS, 0, 3, 5]),
    "hours": st.sampled_from(HOURS),
    "experience": st.integers(0, 14),
    "work_and_learn": st.booleans(),
}


def record_lists(max_size=300, names=NAMES):
    """Lists of 0..max_size records (the size drawn uniformly, so large lists are common)."""
    row = st.fixed_dictionaries({name: values[name] for name in names})
    rows = st.integers(0, max_size).flatmap(lambda n: st.lists(row, min_size=n, max_size=n))
    return st.builds(
        lambda rows, offset: [{"id": offset + 3 * i, **row} for i, row in enumerate(rows)],
        rows,
        st.integers(0, 1000),
    )


def clustered_record_lists(max_size=300, names=NAMES):
    """Records drawn from a few profiles, so that specific levels are often feasible."""
    row = st.fixed_dictionaries({name: values[name] for name in names})

    def build(pool, picks, offset):
        return [{"id": offset + i, **pool[pick % len(pool)]} for i, pick in enumerate(picks)]

    return st.builds(
        build,
        st.lists(row, min_size=1, max_size=8),
        st.integers(0, max_size).flatmap(
            lambda n: st.lists(st.integers(0, 7), min_size=n, max_size=n)
        ),
        st.integers(-50, 50),
    )


any_records = st.one_of(record_lists(), clustered_record_lists())
ks = st.integers(2, 8)
suppressions = st.sampled_from([0, 0.01, 0.05, 0.1, 0.25])


@settings(deadline=None)
@given(any_records, ks, suppressions)
def test_every_result_is_k_anonymous_and_accounts_for_every_record(records, k, max_suppression):
    result = anonymise(records, SMALL, k=k, max_suppression=max_suppression)
    check_invariants(records, SMALL, result, k, max_suppression)
    # the chosen node is feasible by an independent count
    if len(records) >= k:
        assert brute_force_suppressed(records, SMALL, result.levels, k) == result.suppressed


@settings(deadline=None)
@given(any_records, ks, ks, suppressions)
def test_a_larger_k_never_shows_more_specific_levels(records, k1, k2, max_suppression):
    k1, k2 = sorted((k1, k2))
    small = anonymise(records, SMALL, k=k1, max_suppression=max_suppression)
    large = anonymise(records, SMALL, k=k2, max_suppression=max_suppression)
    # Guaranteed because the feasible nodes for k2 are feasible for k1 and the search is exact:
    # the loss (with its tie-break) never goes down, and no attribute-wise more specific node.
    assert exact_key(large.levels, SMALL) >= exact_key(small.levels, SMALL)
    if large.levels != small.levels:
        assert not all(large.levels[n] <= small.levels[n] for n in NAMES)
    # (The total number of generalisation steps is NOT monotone: see the next test.)


def test_a_larger_k_can_trade_steps_of_a_minor_attribute_for_one_of_a_major_one():
    """Why the property above is about the loss, not the number of generalisation steps."""
    rows = [("A2", 16)] * 5 + [("A1", (16, 24))] * 4 + [("A2", (16, 24))]
    records = [{"id": i, "occupation": ("lasser", "7212"), "place": place, "education": "vmbo",
                "hours": hours, "experience": 0, "work_and_learn": False}
               for i, (place, hours) in enumerate(rows)]  # fmt: skip
    two = anonymise(records, SMALL, k=2, max_suppression=0)
    five = anonymise(records, SMALL, k=5, max_suppression=0)
    # k=2: hours up to part-time/full-time (2 steps); k=5: place up to subregion (1 step)
    assert (two.levels["hours"], two.levels["place"]) == (2, 0)
    assert (five.levels["hours"], five.levels["place"]) == (0, 1)
    assert sum(five.levels.values()) < sum(two.levels.values())
    assert exact_key(five.levels, SMALL) > exact_key(two.levels, SMALL)


@settings(deadline=None)
@given(any_records, ks, suppressions)
def test_suppression_budget_is_monotone_too(records, k, max_suppression):
    strict = anonymise(records, SMALL, k=k, max_suppression=0)
    loose = anonymise(records, SMALL, k=k, max_suppression=max_suppression)
    assert exact_key(loose.levels, SMALL) <= exact_key(strict.levels, SMALL)


THREE = {name: SMALL[name] for name in ("occupation", "place", "education")}


def assert_optimal(records, hierarchies, k, max_suppression):
    """No node with less loss (or equal loss and earlier attributes more specific) is feasible."""
    result = anonymise(records, hierarchies, k=k, max_suppression=max_suppression)
    if len(records) < k:
        return
    budget = suppression_budget(len(records), max_suppression)
    chosen = exact_key(result.levels, hierarchies)
    names = list(hierarchies)
    table = [[tuple(level(record[name]) for level in h.levels) for name, h in hierarchies.items()]
             for record in records]  # fmt: skip
    for node in product(*(range(h.height + 1) for h in hierarchies.values())):
        levels = dict(zip(names, node, strict=True))
        if exact_key(levels, hierarchies) < chosen:
            counts = Counter(tuple(row[i][level] for i, level in enumerate(node)) for row in table)
            assert sum(c for c in counts.values() if c < k) > budget, levels


@settings(deadline=None, max_examples=60)
@given(
    st.one_of(record_lists(120, tuple(THREE)), clustered_record_lists(120, tuple(THREE))),
    ks,
    suppressions,
)
def test_the_search_finds_the_least_loss_over_the_whole_lattice(records, k, max_suppression):
    assert_optimal(records, THREE, k, max_suppression)


@settings(deadline=None, max_examples=25)
@given(st.one_of(record_lists(100), clustered_record_lists(100)), ks, suppressions)
def test_the_search_is_optimal_with_all_six_attributes(records, k, max_suppression):
    assert_optimal(records, SMALL, k, max_suppression)


@settings(deadline=None, max_examples=30)
@given(
    st.one_of(record_lists(150), clustered_record_lists(150)), ks, st.randoms(use_true_random=False)
)
def test_the_result_does_not_depend_on_record_order(records, k, rnd):
    shuffled = records[:]
    rnd.shuffle(shuffled)
    assert anonymise(shuffled, SMALL, k=k) == anonymise(records, SMALL, k=k)
