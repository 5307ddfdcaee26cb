"""The triage engine: the DOMAIN.md §5 routing table, rule validation, situation parsing, reasons."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from werkcentrum.triage import (
    ROUTED_PARTNER_KINDS,
    SERVICE_LEVELS,
    TOPICS,
    Decision,
    Rule,
    RuleError,
    RuleSet,
    Situation,
    SituationError,
    default_rules,
    load_rules_toml,
    parse_situation,
    triage,
)

TRIAGE_SRC = Path(__file__).resolve().parents[2] / "src" / "werkcentrum" / "triage"


def resident(question: str = "", **kwargs) -> Situation:
    return Situation(asker="resident", municipality=kwargs.pop("municipality", "GM0153"),
                     question=question, **kwargs)  # fmt: skip


def employer(question: str = "", **kwargs) -> Situation:
    return Situation(asker="employer", municipality=kwargs.pop("municipality", "GM0141"),
                     question=question, **kwargs)  # fmt: skip


# --------------------------------------------------------------------------- the §5 table

# (case id, situation, partner kind, level, desk, rule id)
ROUTING_TABLE = [
    # worker threatened with unemployment -> social partners (job-to-job)
    (
        "threatened-by-reorganisation",
        resident(
            "Mijn werkgever gaat reorganiseren en ik dreig mijn baan te verliezen. Wat nu?",
            municipality="GM0164",
            work_status="employed",
        ),
        "social_partners", "basic", "", "job-loss-threat",
    ),
    (
        "threatened-work-status-job-agreement",
        resident(
            "Ik werk via de banenafspraak bij een schoonmaakbedrijf. Waar kan ik terecht?",
            work_status="threatened_with_unemployment",
        ),
        "social_partners", "basic", "", "threatened-with-unemployment",
    ),
    # worker wanting a career switch (Jan, Tubbergen) -> social partners
    (
        "jan-career-switch",
        resident(
            "Ik heb een vast contract als magazijnmedewerker maar wil een carrièreswitch maken. "
            "Kan ik een beroepentest doen?",
            municipality="GM0183",
            age=44,
            work_status="employed",
        ),
        "social_partners", "basic", "", "career-switch",
    ),
    # entering WW (Frits, Rijssen) -> UWV, the regime read from the question
    (
        "frits-ww",
        resident(
            "Ik ben ontslagen als kok in een zorginstelling en heb sinds vorige maand WW. "
            "Ik zoek werk als kok of iets anders.",
            municipality="GM1742",
            age=58,
            work_status="unemployed",
        ),
        "uwv", "specialist", "", "unemployment-benefit",
    ),
    # WIA (Julia, Enschede) -> UWV
    (
        "julia-wia",
        resident(
            "Ik kan maar gedeeltelijk werken en zoek ondersteuning en aanpassingen op de werkplek.",
            benefit="wia",
            work_status="unemployed",
        ),
        "uwv", "specialist", "", "disability-benefit",
    ),
    (
        "wajong-from-text",
        resident("Ik heb een Wajong-uitkering en wil graag werken in de groenvoorziening.", age=21),
        "uwv", "specialist", "", "disability-benefit",
    ),
    # bijstand (Marjolein, Goor) wanting childcare training -> her municipality
    (
        "marjolein-bijstand-training",
        resident(
            "Ik zit in de bijstand en wil een opleiding tot pedagogisch medewerker in de "
            "kinderopvang, het liefst met een leerwerkplek.",
            municipality="GM1735",
            benefit="bijstand",
            work_status="unemployed",
        ),
        "municipality", "specialist", "social_assistance", "social-assistance",
    ),
    # early school leaver, 17 -> municipality (school-leaver desk)
    (
        "early-school-leaver",
        resident("Ik ben vorig jaar gestopt met school en heb geen diploma. Wat kan ik nu doen?",
                 age=17),  # fmt: skip
        "municipality", "specialist", "youth", "youth-without-qualification",
    ),
    # self-employed looking for work -> municipality
    (
        "zzp-looking-for-work",
        resident(
            "Ik ben zzp'er in de bouw maar heb te weinig opdrachten. Ik zoek werk in loondienst.",
            work_status="self_employed",
        ),
        "municipality", "basic", "", "self-employed-job-search",
    ),
    # no benefit (Caroline, Losser) -> municipality
    (
        "caroline-no-benefit",
        resident(
            "Ik ben oud-verpleegkundige, heb geen uitkering en wil weer aan het werk.",
            municipality="GM0168",
            work_status="unemployed",
            benefit="none",
        ),
        "municipality", "basic", "", "no-benefit-job-search",
    ),
    # debts -> municipal debt support
    (
        "debts",
        resident(
            "Ik heb schulden en krijg steeds aanmaningen, ik kan mijn rekeningen niet betalen."
        ),
        "debt_support", "specialist", "", "debts",
    ),
    # status holder -> municipality civic integration
    (
        "status-holder",
        resident("Ik ben statushouder en moet nog inburgeren. Ik wil ook graag werken.", age=31),
        "municipality", "specialist", "civic_integration", "civic-integration",
    ),
    # employer looking for staff (Cevdet, Almelo) -> Werkcentrum employer services
    (
        "cevdet-ict-hiring",
        employer(
            "Wij zijn een ICT-bedrijf met 40 medewerkers en zoeken gemotiveerde mensen die we "
            "willen omscholen tot programmeur. Kunnen jullie kandidaten voorstellen?"
        ),
        "werkcentrum", "basic", "employer_services", "employer-hiring",
    ),
    (
        "employer-inclusive-hiring",
        employer("Ik wil iemand via de banenafspraak aannemen. Kan ik loonkostensubsidie krijgen?"),
        "werkcentrum", "basic", "employer_services", "employer-hiring",
    ),
    (
        "employer-general",
        employer("Wat kan het Werkcentrum voor mijn bedrijf betekenen?"),
        "werkcentrum", "basic", "employer_services", "employer-other",
    ),
    # employer wanting to become a recognised apprenticeship company -> SBB
    (
        "employer-leerbedrijf",
        employer("Wij willen een erkend leerbedrijf worden zodat we BBL-leerlingen kunnen opleiden."),
        "sbb", "basic", "", "employer-apprenticeship",
    ),
    (
        "employer-cross-border",
        employer("Wij willen Duitse werknemers aannemen, waar moeten we op letten?"),
        "cross_border_info", "basic", "", "employer-cross-border",
    ),
    (
        "employer-training-funding",
        employer("Kunnen wij een subsidie voor de opleiding van onze monteurs krijgen?"),
        "training_fund", "basic", "", "employer-training-funding",
    ),
    (
        "employer-reorganisation",
        employer("We moeten reorganiseren en twintig medewerkers worden boventallig."),
        "social_partners", "basic", "", "employer-job-loss-threat",
    ),
    (
        "employer-upskilling",
        employer("Hoe kunnen we onze technici bijscholen in warmtepompen?"),
        "werkcentrum", "basic", "career_advice", "employer-training",
    ),
    # working across the border in Germany -> GrensInfoPunt
    (
        "working-in-germany",
        resident(
            "Ik woon in Enschede en kan een baan krijgen in Gronau. Hoe zit het met belasting "
            "en zorgverzekering als ik in Duitsland werk?"
        ),
        "cross_border_info", "basic", "", "cross-border",
    ),
    # choosing and financing a training (Yvonne, Oldenzaal) -> training fund
    (
        "yvonne-retraining-funding",
        resident(
            "Ik werk als oproepkracht bij een drogist en wil me laten omscholen naar de "
            "ouderenzorg. Kan ik daarvoor een scholingscheque krijgen?",
            municipality="GM0173",
            age=26,
            work_status="employed",
        ),
        "training_fund", "basic", "", "training-funding",
    ),
    (
        "choosing-a-course",
        resident("Welke mbo-opleiding past bij mij en hoe schrijf ik me in bij het ROC?", age=19),
        "werkcentrum", "basic", "career_advice", "training",
    ),
    (
        "apprenticeship-resident",
        resident("Ik zoek een bbl-plek als monteur, kunnen jullie helpen?", age=18),
        "werkcentrum", "basic", "career_advice", "training",
    ),
    (
        "career-orientation",
        resident("Ik weet niet wat ik wil. Welk beroep past bij mij?"),
        "werkcentrum", "basic", "career_advice", "career-advice",
    ),
    # Hatice: a student looking for a side job -> Werkcentrum basic service
    (
        "hatice-side-job",
        resident("Ik zoek een creatieve bijbaan naast mijn studie.", age=22, work_status="student"),
        "werkcentrum", "basic", "", "job-search",
    ),
    (
        "benefit-question",
        resident("Waar kan ik een uitkering aanvragen?"),
        "werkcentrum", "light", "", "benefit-question",
    ),
    (
        "opening-hours",
        resident("Wat zijn de openingstijden van het inlooppunt in Tubbergen?"),
        "werkcentrum", "light", "", "catch-all",
    ),
    (
        "empty-question",
        resident(""),
        "werkcentrum", "light", "", "catch-all",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("situation", "partner_kind", "level", "desk", "rule_id"),
    [case[1:] for case in ROUTING_TABLE],
    ids=[case[0] for case in ROUTING_TABLE],
)
def test_routing_table(situation, partner_kind, level, desk, rule_id):
    decision = triage(situation, default_rules())
    assert (decision.rule_id, decision.partner_kind, decision.service_level, decision.desk) == (
        rule_id,
        partner_kind,
        level,
        desk,
    ), decision.reasons
    assert decision.reasons[0] == _rule(rule_id).reason
    assert decision.reasons_en[0] == _rule(rule_id).reason_en
    assert all(line.strip() for line in decision.reasons + decision.reasons_en)


def test_every_default_rule_is_covered_by_the_table():
    covered = {case[-1] for case in ROUTING_TABLE}
    assert covered == {rule.id for rule in default_rules().rules}


def _rule(rule_id: str) -> Rule:
    return next(rule for rule in default_rules().rules if rule.id == rule_id)


# --------------------------------------------------------------------------- order matters


def test_debts_come_before_bijstand():
    decision = triage(resident("Ik heb schulden.", benefit="bijstand"), default_rules())
    assert decision.partner_kind == "debt_support"
    assert ("job_search", "municipality") not in decision.also_relevant


def test_ww_comes_before_a_training_question():
    decision = triage(resident("Ik wil een opleiding tot vrachtwagenchauffeur.", benefit="ww"))
    assert (decision.partner_kind, decision.service_level) == ("uwv", "specialist")
    assert "Uitkering: WW" in decision.reasons


def test_job_loss_threat_comes_before_training_funding():
    situation = resident(
        work_status="employed", topics=("job_loss_threat", "training_funding", "training")
    )
    decision = triage(situation, default_rules())
    assert decision.partner_kind == "social_partners"
    assert ("training_funding", "training_fund") in decision.also_relevant
    assert ("training", "werkcentrum") in decision.also_relevant


def test_career_switch_reason_points_to_werkcentrum_for_training():
    decision = triage(resident(work_status="employed", topics=("career_advice",)))
    assert decision.partner_kind == "social_partners"
    assert "Werkcentrum" in decision.reasons[0] and "opleidingsfonds" in decision.reasons[0]


def test_career_advice_without_a_job_stays_at_the_werkcentrum():
    decision = triage(resident(work_status="unemployed", topics=("career_advice",)))
    assert (decision.partner_kind, decision.desk) == ("werkcentrum", "career_advice")


def test_employer_rules_never_apply_to_residents_and_vice_versa():
    assert triage(resident(topics=("apprenticeship",))).partner_kind == "werkcentrum"
    assert triage(employer(topics=("debts",))).partner_kind == "werkcentrum"
    assert triage(employer(topics=("debts",))).desk == "employer_services"
    assert triage(employer(benefit="ww", topics=("hiring",))).partner_kind == "werkcentrum"


def test_job_search_without_benefit_but_unknown_work_status_stays_at_werkcentrum():
    decision = triage(resident("Ik zoek werk.", benefit="none"))
    assert (decision.partner_kind, decision.rule_id) == ("werkcentrum", "job-search")


# --------------------------------------------------------------------------- inference


def test_topics_are_inferred_from_the_question_when_not_given():
    decision = triage(resident("Ik heb schulden en zoek werk."))
    assert decision.topics_inferred is True
    assert decision.topics == ("job_search", "debts")
    assert "Onderwerpen herkend in de vraag: werk zoeken, schulden" in decision.reasons


def test_given_topics_win_over_the_question():
    decision = triage(resident("Ik heb schulden.", topics=("training",)))
    assert decision.topics_inferred is False
    assert decision.topics == ("training",)
    assert decision.partner_kind == "werkcentrum"
    assert "Onderwerp: opleiding" in decision.reasons


def test_empty_topics_mean_infer():
    decision = triage(resident("Ik heb schulden.", topics=()))
    assert decision.topics_inferred is True
    assert decision.topics == ("debts",)


def test_no_recognisable_topic_means_general_info():
    decision = triage(resident("Goedemorgen!"))
    assert decision.topics == ("general_info",)
    assert decision.topics_inferred is True
    assert decision.rule_id == "catch-all"
    assert decision.reasons[1].startswith("Geen specifiek onderwerp herkend")


def test_benefit_is_inferred_and_said_so():
    decision = triage(resident("Ik heb een bijstandsuitkering en wil een cursus doen."))
    assert (decision.benefit, decision.benefit_inferred) == ("bijstand", True)
    assert "Uitkering: bijstand (afgeleid uit de vraag)" in decision.reasons
    assert "Benefit: social assistance (bijstand) (inferred from the question)" in (
        decision.reasons_en
    )


def test_given_benefit_is_not_overridden_by_the_question():
    decision = triage(resident("Vroeger had ik WW.", benefit="none", topics=("job_search",)))
    assert (decision.benefit, decision.benefit_inferred) == ("none", False)


def test_negated_benefit_is_not_inferred():
    decision = triage(resident("Ik heb geen WW, ik zoek werk."))
    assert decision.benefit is None
    assert decision.benefit_inferred is False
    assert decision.partner_kind == "werkcentrum"


def test_job_loss_threat_is_read_from_text_without_work_status():
    decision = triage(resident("Ik dreig mijn baan te verliezen door een reorganisatie."))
    assert decision.partner_kind == "social_partners"
    assert "job_loss_threat" in decision.topics


# --------------------------------------------------------------------------- reasons and also-relevant


def test_reasons_name_the_work_status_used():
    decision = triage(resident(work_status="self_employed", topics=("job_search",)))
    assert decision.reasons[1:] == ("Onderwerp: werk zoeken", "Werksituatie: zelfstandige (zzp)")


def test_employer_reasons_say_who_asked():
    decision = triage(employer(topics=("hiring",)))
    assert "Vraagsteller: werkgever" in decision.reasons
    assert "Asked by: employer" in decision.reasons_en


def test_also_relevant_lists_other_topics_routed_elsewhere():
    decision = triage(resident("Ik zit in de WW, heb schulden en wil in Duitsland werken."))
    assert decision.partner_kind == "debt_support"
    # WW decides for the other topics (same benefit), so the border question goes to UWV too.
    assert decision.also_relevant == (("benefit", "uwv"), ("cross_border", "uwv"))
    assert "Ook relevant: werken over de grens – UWV" in decision.reasons


def test_also_relevant_is_empty_when_everything_goes_to_one_partner():
    decision = triage(resident(topics=("training", "career_advice", "job_search")))
    assert decision.partner_kind == "werkcentrum"
    assert decision.also_relevant == ()
    assert not any(line.startswith("Ook relevant") for line in decision.reasons)


def test_also_relevant_for_resident_on_bijstand_with_debts_and_job_search():
    decision = triage(resident("Ik heb schulden en zoek werk.", benefit="bijstand"))
    assert decision.also_relevant == (("job_search", "municipality"),)
    assert decision.reasons[-1] == "Ook relevant: werk zoeken – de eigen gemeente"
    assert decision.reasons_en[-1] == "Also relevant: job search – the person's own municipality"


def test_general_info_is_never_also_relevant():
    decision = triage(resident(topics=("debts", "general_info")))
    assert decision.also_relevant == ()


def test_decision_to_dict_is_json_shaped():
    decision = triage(resident("Ik heb schulden en zoek werk.", benefit="bijstand"))
    data = decision.to_dict()
    assert data == {
        "service_level": "specialist",
        "partner_kind": "debt_support",
        "desk": "",
        "rule_id": "debts",
        "reasons": list(decision.reasons),
        "reasons_en": list(decision.reasons_en),
        "topics": ["job_search", "debts"],
        "topics_inferred": True,
        "benefit": "bijstand",
        "benefit_inferred": False,
        "also_relevant": [{"topic": "job_search", "partner_kind": "municipality"}],
    }
    assert isinstance(decision, Decision)


def test_topic_order_is_canonical():
    a = triage(resident(topics=("job_search", "debts")))
    b = triage(resident(topics=("debts", "job_search", "debts")))
    assert a == b
    assert a.topics == ("job_search", "debts")


# --------------------------------------------------------------------------- custom rule sets

AGE_RULES = """
version = 2

[[rules]]
id = "young"
age_max = 22
any_topics = ["job_search"]
level = "basic"
partner_kind = "municipality"
desk = "youth"
reason = "Jongeren tot en met 22 jaar gaan naar het jongerenloket."
reason_en = "Young people up to 22 go to the youth desk."

[[rules]]
id = "rest"
level = "light"
partner_kind = "werkcentrum"
reason = "Overig."
reason_en = "Other."
"""


def test_age_conditions_and_age_reason():
    rules = load_rules_toml(AGE_RULES)
    assert rules.version == 2
    decision = triage(resident("Ik zoek werk", age=19), rules)
    assert decision.rule_id == "young"
    assert "Leeftijd: 19" in decision.reasons
    assert "Age: 19" in decision.reasons_en


@pytest.mark.parametrize("age", [None, 23, 80])
def test_age_conditions_fail_for_unknown_or_other_age(age):
    decision = triage(resident("Ik zoek werk", age=age), load_rules_toml(AGE_RULES))
    assert decision.rule_id == "rest"
    assert not any(line.startswith("Leeftijd") for line in decision.reasons)


def test_age_bounds_are_inclusive():
    rules = RuleSet(
        version=1,
        rules=(
            Rule("band", "basic", "uwv", reason="r", reason_en="r", age_min=18, age_max=27),
            Rule("rest", "light", "werkcentrum", reason="r", reason_en="r"),
        ),
    )
    assert [triage(resident(age=age), rules).rule_id for age in (17, 18, 27, 28)] == [
        "rest",
        "band",
        "band",
        "rest",
    ]


def test_any_value_within_a_condition_matches():
    rule = Rule("r", "basic", "uwv", reason="x", reason_en="x", benefit=("wia", "wajong"))
    assert rule.matches("resident", frozenset(), "wajong", None, None)
    assert not rule.matches("resident", frozenset(), "ww", None, None)
    assert not rule.matches("resident", frozenset(), None, None, None)


def test_triage_defaults_to_the_packaged_rules():
    situation = resident("Ik heb schulden")
    assert triage(situation) == triage(situation, default_rules())


def test_default_rules_are_cached_and_versioned():
    assert default_rules() is default_rules()
    assert default_rules().version == 1
    assert default_rules().rules[-1].is_catch_all


def test_every_default_rule_cites_its_source_row():
    text = (TRIAGE_SRC / "rules" / "default.toml").read_text("utf-8")
    blocks = text.split("[[rules]]")[1:]
    preceding = text.split("[[rules]]")[:-1]
    assert len(blocks) == len(default_rules().rules)
    for before in preceding:
        lines = before.strip().splitlines()
        comment = []
        while lines and lines[-1].startswith("#"):
            comment.insert(0, lines.pop())
        assert comment and "§" in comment[0], lines[-1:]


# --------------------------------------------------------------------------- rule validation

VALID_RULE = {
    "id": "x",
    "level": "basic",
    "partner_kind": "uwv",
    "reason": "Reden.",
    "reason_en": "Reason.",
    "benefit": ["ww"],
}
CATCH_ALL = {"id": "rest", "level": "light", "partner_kind": "werkcentrum",
             "reason": "Overig.", "reason_en": "Other."}  # fmt: skip


def ruleset(*rules, version=1):
    return {"version": version, "rules": list(rules)}


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"level": "urgent"}, "level", "unknown level 'urgent'"),
        ({"partner_kind": "police"}, "partner_kind", "unknown partner kind 'police'"),
        ({"any_topics": ["gardening"]}, "any_topics", "unknown value 'gardening'"),
        ({"benefit": ["aow"]}, "benefit", "unknown value 'aow'"),
        ({"work_status": ["retired"]}, "work_status", "unknown value 'retired'"),
        ({"asker": ["partner"]}, "asker", "unknown value 'partner'"),
        ({"asker": "resident"}, "asker", "must be a list"),
        ({"benefit": ["ww", "ww"]}, "benefit", "twice"),
        ({"age_min": 30, "age_max": 20}, "age_max", "below age_min"),
        ({"age_min": -1}, "age_min", "0 to 120"),
        ({"age_max": 121}, "age_max", "0 to 120"),
        ({"age_min": True}, "age_min", "whole number"),
        ({"age_min": "18"}, "age_min", "whole number"),
        ({"reason": "  "}, "reason", "non-empty"),
        ({"reason_en": ""}, "reason_en", "non-empty"),
        ({"desk": "Employer Services"}, "desk", "lower-case"),
        ({"desk": 3}, "desk", "must be a string"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"level": 1}, "level", "must be a string"),
    ],
)
def test_invalid_rule_names_index_id_and_field(change, field, fragment):
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset({**VALID_RULE, **change}, CATCH_ALL))
    error = info.value
    assert (error.index, error.rule_id, error.field) == (0, "x", field)
    assert fragment in error.message
    assert str(error).startswith(f"rules[0] (id 'x').{field}: ")


@pytest.mark.parametrize("missing", ["id", "level", "partner_kind", "reason", "reason_en"])
def test_missing_required_rule_field(missing):
    rule = {key: value for key, value in VALID_RULE.items() if key != missing}
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(
            ruleset(CATCH_ALL | {"id": "other", "benefit": ["none"]}, rule, CATCH_ALL)
        )
    assert (info.value.index, info.value.field) == (1, missing)
    assert "required" in info.value.message


def test_invalid_rule_id():
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset({**VALID_RULE, "id": "has space"}, CATCH_ALL))
    assert (info.value.index, info.value.field) == (0, "id")


def test_duplicate_ids_are_rejected():
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset(VALID_RULE, {**VALID_RULE, "benefit": ["wia"]}, CATCH_ALL))
    assert (info.value.index, info.value.rule_id, info.value.field) == (1, "x", "id")
    assert "duplicate" in str(info.value)


def test_last_rule_must_be_a_catch_all():
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset(VALID_RULE))
    assert (info.value.index, info.value.rule_id) == (0, "x")
    assert "catch-all" in str(info.value)


def test_catch_all_before_the_end_is_rejected():
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset(CATCH_ALL, VALID_RULE, {**CATCH_ALL, "id": "rest2"}))
    assert (info.value.index, info.value.rule_id) == (0, "rest")
    assert "not the last rule" in str(info.value)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rules": [CATCH_ALL]}, "version"),
        ({"version": 0, "rules": [CATCH_ALL]}, "version"),
        ({"version": True, "rules": [CATCH_ALL]}, "version"),
        ({"version": "1", "rules": [CATCH_ALL]}, "version"),
        ({"version": 1, "rules": []}, "rules"),
        ({"version": 1}, "rules"),
        ({"version": 1, "rules": "all"}, "rules"),
        ({"version": 1, "rules": [CATCH_ALL], "author": "me"}, "author"),
        ([CATCH_ALL], "ruleset"),
    ],
)
def test_invalid_ruleset(data, field):
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(data)
    assert info.value.field == field


def test_rule_that_is_not_a_table():
    with pytest.raises(RuleError) as info:
        RuleSet.from_dict(ruleset("debts", CATCH_ALL))
    assert info.value.index == 0


def test_toml_syntax_error_is_a_rule_error():
    with pytest.raises(RuleError) as info:
        load_rules_toml("version = 1\n[[rules]\nid = 'x'")
    assert info.value.field == "toml"


def test_rule_objects_validate_on_construction():
    with pytest.raises(RuleError) as info:
        Rule("x", "basic", "uwv", reason="r", reason_en="r", any_topics=("nope",))
    assert (info.value.rule_id, info.value.field) == ("x", "any_topics")
    assert str(info.value).startswith("rule 'x'.any_topics: ")
    rule = Rule("x", "basic", "uwv", reason="r", reason_en="r", any_topics=["debts"])
    assert rule.any_topics == ("debts",)


def test_ruleset_to_dict_round_trips():
    rules = default_rules()
    data = rules.to_dict()
    assert data["version"] == 1
    assert data["rules"][0]["id"] == "employer-apprenticeship"
    assert RuleSet.from_dict(data) == rules
    assert set(data["rules"][-1]) == {
        "id", "level", "partner_kind", "desk", "reason", "reason_en", "asker", "any_topics",
        "benefit", "work_status", "age_min", "age_max",
    }  # fmt: skip


def test_default_rules_use_only_known_values():
    for rule in default_rules().rules:
        assert rule.level in SERVICE_LEVELS
        assert rule.partner_kind in ROUTED_PARTNER_KINDS
        assert set(rule.any_topics) <= set(TOPICS)


# --------------------------------------------------------------------------- parse_situation

VALID_SITUATION = {
    "asker": "resident",
    "municipality": "GM0173",
    "age": 26,
    "work_status": "employed",
    "benefit": None,
    "topics": ["training", "training_funding"],
    "question": "Ik wil me laten omscholen.",
}


def test_parse_situation_accepts_the_contract():
    situation = parse_situation(VALID_SITUATION)
    assert situation == Situation(
        asker="resident",
        municipality="GM0173",
        age=26,
        work_status="employed",
        benefit=None,
        topics=("training", "training_funding"),
        question="Ik wil me laten omscholen.",
    )


def test_parse_situation_minimal_and_defaults():
    situation = parse_situation({"asker": "employer", "municipality": "GM0141"})
    assert situation == Situation(asker="employer", municipality="GM0141")
    assert situation.question == ""
    assert parse_situation({**VALID_SITUATION, "question": None}).question == ""
    assert parse_situation({**VALID_SITUATION, "topics": None}).topics is None
    assert parse_situation({**VALID_SITUATION, "topics": []}).topics == ()
    assert parse_situation({**VALID_SITUATION, "age": 0}).age == 0
    assert parse_situation({**VALID_SITUATION, "age": 120}).age == 120
    assert parse_situation({**VALID_SITUATION, "question": "x" * 5000}).question == "x" * 5000
    deduplicated = parse_situation({**VALID_SITUATION, "topics": ["debts", "debts"]})
    assert deduplicated.topics == ("debts",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"asker": None}, "asker"),
        ({"asker": "partner"}, "asker"),
        ({"asker": 1}, "asker"),
        ({"municipality": None}, "municipality"),
        ({"municipality": ""}, "municipality"),
        ({"municipality": "   "}, "municipality"),
        ({"municipality": 173}, "municipality"),
        ({"municipality": "G" * 101}, "municipality"),
        ({"age": -1}, "age"),
        ({"age": 121}, "age"),
        ({"age": True}, "age"),
        ({"age": 26.0}, "age"),
        ({"age": "26"}, "age"),
        ({"work_status": "retired"}, "work_status"),
        ({"work_status": 3}, "work_status"),
        ({"benefit": "aow"}, "benefit"),
        ({"benefit": ["ww"]}, "benefit"),
        ({"topics": "debts"}, "topics"),
        ({"topics": ["debts", "gardening"]}, "topics"),
        ({"topics": [1]}, "topics"),
        ({"topics": {"debts": True}}, "topics"),
        ({"question": 42}, "question"),
        ({"question": "x" * 5001}, "question"),
        ({"email": "a@b.nl"}, "email"),
    ],
)
def test_parse_situation_errors_name_the_field(change, field):
    with pytest.raises(SituationError) as info:
        parse_situation({**VALID_SITUATION, **change})
    error = info.value
    assert error.field == field
    assert str(error) == f"{field}: {error.message}"
    assert error.message


@pytest.mark.parametrize("missing", ["asker", "municipality"])
def test_parse_situation_required_fields(missing):
    data = {key: value for key, value in VALID_SITUATION.items() if key != missing}
    with pytest.raises(SituationError) as info:
        parse_situation(data)
    assert (info.value.field, info.value.message) == (missing, "is required")


@pytest.mark.parametrize("data", [None, [], "resident", 3])
def test_parse_situation_needs_an_object(data):
    with pytest.raises(SituationError) as info:
        parse_situation(data)
    assert info.value.field == "situation"


def test_situation_validates_on_construction():
    with pytest.raises(SituationError) as info:
        Situation(asker="resident", municipality="GM0153", benefit="aow")
    assert info.value.field == "benefit"
    with pytest.raises(SituationError):
        Situation(asker="alien", municipality=None)
    with pytest.raises(SituationError):
        Situation(asker="resident", municipality=None, topics="debts")
    situation = Situation(asker="resident", municipality=None, topics=["debts"])
    assert situation.topics == ("debts",)
    assert replace(situation, age=40).age == 40


# --------------------------------------------------------------------------- purity


def test_no_django_imports_in_the_engine():
    for path in TRIAGE_SRC.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(re.match(r"django|rest_framework", name) for name in names), path


def test_importing_the_engine_does_not_load_django():
    code = (
        "import sys, werkcentrum.triage as t;"
        "t.triage(t.Situation(asker='resident', municipality='GM0153', question='schulden'));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
