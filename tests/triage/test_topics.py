"""Recognising topics and benefit regimes in realistic Dutch questions."""

from __future__ import annotations

import pytest

from werkcentrum.triage import TOPICS, extract_topics, infer_benefit, topic_matches
from werkcentrum.triage.topics import (
    KeywordError,
    default_lexicon,
    load_lexicon,
    normalise,
    tokenize,
)

# (question, topics that must be recognised, topics that must not be)
QUESTIONS = [
    ("Ik heb schulden en zoek werk.", {"debts", "job_search"}, {"benefit"}),
    ("ik heb een SCHULD bij de belastingdienst", {"debts"}, set()),
    ("Kan ik schuldhulpverlening krijgen?", {"debts"}, set()),
    ("De deurwaarder staat steeds voor de deur en ik heb een betalingsachterstand",
     {"debts"}, set()),
    ("ik heb sgulden en kan de huur niet betalen", {"debts"}, set()),
    ("Ik dreig mijn baan te verliezen.", {"job_loss_threat"}, set()),
    ("Er komt een reorganisatie en ik ben boventallig verklaard", {"job_loss_threat"}, set()),
    ("Mijn tijdelijk contract wordt niet verlengd, wat nu?", {"job_loss_threat"}, set()),
    ("Mijn werkgever gaat failliet", {"job_loss_threat"}, set()),
    ("Ik heb een vaste baan maar wil een carrièreswitch", {"career_advice"}, {"job_loss_threat"}),
    ("ik wil iets anders gaan doen, welk beroep past bij mij?", {"career_advice"}, set()),
    ("Kan ik bij jullie een beroepentest doen?", {"career_advice"}, set()),
    ("Ik wil een eigen bedrijf beginnen", {"career_advice"}, set()),
    ("Welke MBO opleiding moet ik kiezen?", {"training"}, set()),
    ("ik wil me laten omscholen tot verzorgende", {"training"}, set()),
    ("Hoe schrijf ik me in voor een hbo-opleiding bij Saxion?", {"training"}, set()),
    ("ik wil een oplijding in de zorg", {"training"}, set()),
    ("Wie betaalt mijn opleiding tot verpleegkundige?", {"training", "training_funding"}, set()),
    ("Kan ik een scholingscheque aanvragen?", {"training_funding"}, set()),
    ("Heb ik recht op het STAP-budget?", {"training_funding"}, set()),
    ("Wij zoeken personeel voor onze fabriek in Almelo", {"hiring"}, set()),
    ("Hebben jullie kandidaten voor onze vacature als lasser?", {"hiring"}, set()),
    ("Wij willen erkend leerbedrijf worden", {"apprenticeship"}, set()),
    ("Ik zoek een BBL-plek als timmerman", {"apprenticeship"}, set()),
    ("Kunnen wij een stagiair van het ROC plaatsen?", {"apprenticeship", "training"}, set()),
    ("Ik wil iemand via de banenafspraak in dienst nemen", {"inclusive_hiring", "hiring"},
     set()),
    ("Wat is loonkostensubsidie en kan ik een jobcoach krijgen?", {"inclusive_hiring"}, set()),
    ("Ik zit in de WW en zoek een nieuwe baan", {"benefit", "job_search"}, set()),
    ("Hoe vraag ik een uitkering aan bij het UWV?", {"benefit"}, set()),
    ("Ik woon in Losser en wil in Duitsland werken", {"cross_border"}, set()),
    ("Ik ben grensarbeider en heb een vraag over mijn Krankenkasse", {"cross_border"}, set()),
    ("Ik moet nog inburgeren en wil Nederlands leren", {"civic_integration"}, set()),
    ("Ik ben statushouder en zoek werk", {"civic_integration", "job_search"}, set()),
    ("Mijn zoon van 17 is gestopt met school en zit thuis", {"youth_without_qualification"},
     set()),
    ("Ik heb geen startkwalificatie", {"youth_without_qualification"}, set()),
    ("Wat zijn de openingstijden van het inlooppunt?", {"general_info"}, set()),
    ("IK ZOEK WERK!!!", {"job_search"}, set()),
    ("ik ben zzp'er en zoek werk", {"job_search", "career_advice"}, set()),
    ("ik ben werkloos", {"job_search"}, set()),
    ("ik wil sollisiteren maar weet niet hoe", {"job_search"}, set()),
    # things that must not trigger a topic
    ("Ik voel me schuldig dat ik zo laat reageer", set(), {"debts"}),
    ("Ik heb geen schulden, wel een vraag over werk zoeken", {"job_search"}, {"debts"}),
    ("Ik ben uitgevallen met een burn-out", set(), {"youth_without_qualification"}),
    ("De prijs is inclusief btw", set(), {"inclusive_hiring"}),
    ("Ik spreek Duits en Engels", set(), {"cross_border"}),
    ("Ik moet mijn grenzen beter aangeven", set(), {"cross_border"}),
    ("Kijk op www.uwv.nl of werk.nl", set(), {"benefit", "job_search"}),
    ("Ik heb iets besteld via bol.com", set(), {"training"}),
]  # fmt: skip


@pytest.mark.parametrize(("question", "present", "absent"), QUESTIONS)
def test_topics_in_realistic_questions(question, present, absent):
    topics = set(extract_topics(question))
    assert present <= topics, topic_matches(question)
    assert not (absent & topics), topic_matches(question)


def test_extract_topics_is_in_canonical_order_without_duplicates():
    topics = extract_topics("Schulden, schulden en nog eens schulden. Ik zoek werk en een baan.")
    assert topics == ("job_search", "debts")
    assert list(topics) == sorted(topics, key=TOPICS.index)


def test_nothing_recognised_gives_an_empty_tuple():
    assert extract_topics("") == ()
    assert extract_topics("Goedemorgen, mooi weer vandaag.") == ()


def test_stems_and_word_forms_all_hit():
    for word in ("schuld", "schulden", "schuldhulp", "Schuldhulpverlening", "schuldsanering"):
        assert extract_topics(f"Het gaat om {word}") == ("debts",), word
    for word in ("sollicitatie", "solliciteren", "sollicitatiebrief", "vacature", "vacatures"):
        assert "job_search" in extract_topics(f"Vraag over {word}"), word


def test_multiword_phrases_allow_a_few_words_between():
    assert "cross_border" in extract_topics("Ik wil graag in Duitsland gaan werken")
    assert "job_loss_threat" in extract_topics("ik dreig helaas mijn baan te verliezen")
    assert "career_advice" in extract_topics("ik wil een eigen bedrijf")
    # ... but not too many
    assert "job_loss_threat" not in extract_topics(
        "ik dreig het overzicht te verliezen over wat voor baan ik wil"
    )


def test_casing_accents_and_apostrophes():
    assert extract_topics("CARRIÈRE") == extract_topics("carriere") == ("career_advice",)
    assert "career_advice" in extract_topics("Ik ben ZZP’er")
    assert "career_advice" in extract_topics("Ik ben zzp-er")
    assert "training" in extract_topics("mbo'er zoekt opleiding")


def test_abbreviations_match_whole_words_only():
    assert "benefit" in extract_topics("ik heb ww")
    assert "benefit" in extract_topics("ik heb een WW-uitkering")
    assert "benefit" not in extract_topics("ik zit op www")
    assert infer_benefit("ik had wwb") == "bijstand"  # the old social-assistance act, not WW
    assert "apprenticeship" in extract_topics("bbl")
    assert "apprenticeship" not in extract_topics("bbls?")  # not a substring hit


def test_web_addresses_say_nothing_about_the_question():
    # Decision: a web address (www.uwv.nl, werk.nl, bol.com) is stripped before matching, so
    # "ww" in "www" and "uwv" in a URL do not count; the words around it still do.
    assert extract_topics("www.uwv.nl") == ()
    assert infer_benefit("zie www.uwv.nl/ww") is None
    assert extract_topics("op https://www.werk.nl staan vacatures") == ("job_search",)
    assert extract_topics("mail naar info@schuldhulp.nl") == ()
    assert "benefit" in extract_topics("Ik heb een vraag over het UWV, zie www.uwv.nl")


@pytest.mark.parametrize(
    ("question", "benefit"),
    [
        ("Ik heb sinds vorige maand WW.", "ww"),
        ("Ik heb een ww-uitkering", "ww"),
        ("Mijn werkloosheidsuitkering stopt binnenkort", "ww"),
        ("ik zit in de bijstand", "bijstand"),
        ("Ik heb een bijstandsuitkering van de gemeente", "bijstand"),
        ("Ik val onder de Participatiewet", "bijstand"),
        ("Ik heb een Bbz-uitkering als zelfstandige", "bijstand"),
        ("Ik zit in de WIA", "wia"),
        ("Ik ben gedeeltelijk arbeidsongeschikt", "wia"),
        ("Ik heb een WGA-uitkering", "wia"),
        ("Ik ben een Wajonger", "wajong"),
        ("Ik heb Wajong", "wajong"),
        ("Ik heb geen WW maar wel bijstand", "bijstand"),
        ("Mijn WW loopt af, kan ik dan bijstand krijgen?", "ww"),
        ("Ik heb geen werk, wel WW", "ww"),
        ("Ik heb geen uitkering", None),
        ("Ik heb geen recht op WW", None),
        ("Ik zoek werk", None),
        ("www.uwv.nl", None),
        ("", None),
    ],
)
def test_infer_benefit(question, benefit):
    assert infer_benefit(question) == benefit


def test_negated_benefit_topic_is_not_a_topic():
    assert "benefit" not in extract_topics("Ik heb geen uitkering en zoek werk")
    assert "benefit" in extract_topics("Ik heb geen werk en een uitkering")


def test_topic_matches_explains_which_keywords_hit():
    matches = topic_matches("Ik heb schulden en zoek werk")
    assert list(matches) == ["job_search", "debts"]
    assert "zoek werk" in matches["job_search"]
    assert "schulden" in matches["debts"]


def test_every_topic_has_a_realistic_number_of_keywords():
    lexicon = default_lexicon()
    counts = {topic: 0 for topic in TOPICS}
    for keyword in lexicon.keywords:
        if keyword.kind == "topic":
            counts[keyword.target] += 1
    assert all(count >= 15 for topic, count in counts.items() if topic != "general_info"), counts
    assert counts["general_info"] >= 10


def test_normalise_and_tokenize():
    assert normalise("Carrière ZZP’er") == "carriere zzper"
    assert tokenize("WW-uitkering, cv's & één!") == ["ww", "uitkering", "cvs", "een"]
    assert tokenize("zie www.uwv.nl") == ["zie"]


def test_huge_and_odd_input_does_not_break():
    question = "schulden " * 600 + "ß ﬁ 漢字 🙂 \x00 " * 50
    assert "debts" in extract_topics(question)
    assert extract_topics("\u0301\u0301") == ()


MINIMAL = """
version = 1
[topics]
{topics}
[benefits]
ww = ["ww"]
bijstand = ["bijstand"]
wia = ["wia"]
wajong = ["wajong"]
"""


def _lexicon_text(**overrides):
    lines = []
    for topic in TOPICS:
        value = overrides.get(topic, '["x' + topic.replace("_", "") + '"]')
        if value is not None:
            lines.append(f"{topic} = {value}")
    return MINIMAL.format(topics="\n".join(lines))


def test_a_custom_lexicon_can_be_loaded():
    lexicon = load_lexicon(_lexicon_text(debts='["lening*", "rood staan"]'))
    assert extract_topics("Ik sta rood", lexicon=lexicon) == ()
    assert extract_topics("Ik sta flink rood", lexicon=lexicon) == ()
    assert extract_topics("rood staan", lexicon=lexicon) == ("debts",)
    assert extract_topics("leningen", lexicon=lexicon) == ("debts",)
    assert infer_benefit("ik heb wia", lexicon=lexicon) == "wia"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (_lexicon_text(debts=None), "missing ['debts']"),
        (_lexicon_text(debts='["sc*"]'), "at least three letters"),
        (_lexicon_text(debts='["schu*ld"]'), "invalid word"),
        (_lexicon_text(debts='["  "]'), "empty keyword"),
        (_lexicon_text(debts="[1]"), "must be strings"),
        (_lexicon_text(debts='"schuld"'), "must be a list"),
        (_lexicon_text() + "\n[extra]\nx = 1\n", "unknown key"),
        (_lexicon_text().replace("version = 1", "version = 2"), "version"),
        ("version = [", "toml"),
        (_lexicon_text().replace("[topics]", "[settings]\nmax_gap = 9\n[topics]"), "max_gap"),
        (_lexicon_text().replace("[topics]", "[settings]\nfoo = 1\n[topics]"), "unknown setting"),
        (
            _lexicon_text().replace("[topics]", '[settings]\nnegatable_topics = ["x"]\n[topics]'),
            "negatable_topics",
        ),
        (
            _lexicon_text().replace("[topics]", '[settings]\nignore = ["two words"]\n[topics]'),
            "one word",
        ),
    ],
)
def test_invalid_lexicon(text, fragment):
    with pytest.raises(KeywordError) as info:
        load_lexicon(text)
    assert fragment in str(info.value)
