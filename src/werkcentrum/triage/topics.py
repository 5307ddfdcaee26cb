"""Recognise triage topics and benefit regimes in a Dutch question.

Pure Python (no Django). The keyword lists live in ``rules/topics.toml``; its header explains the
keyword syntax. Keywords are compiled once (``default_lexicon()`` is cached) and matched on whole
words: the Dutch snowball stem of a word, an exact word for short abbreviations ("ww", "bbl"),
or an explicit prefix ("schuld*"), never a bare substring. Web and e-mail addresses are removed
first, so "www.uwv.nl" neither says "ww" nor "uwv".
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import snowballstemmer

TOPICS: tuple[str, ...] = (
    "job_search",
    "career_advice",
    "training",
    "training_funding",
    "hiring",
    "apprenticeship",
    "inclusive_hiring",
    "job_loss_threat",
    "benefit",
    "debts",
    "cross_border",
    "civic_integration",
    "youth_without_qualification",
    "general_info",
)
BENEFITS: tuple[str, ...] = ("none", "ww", "bijstand", "wia", "wajong")
# The regimes infer_benefit() can recognise ("none" is never inferred from text).
INFERABLE_BENEFITS: tuple[str, ...] = ("ww", "bijstand", "wia", "wajong")

TOPIC_LABELS: dict[str, str] = {
    "job_search": "werk zoeken",
    "career_advice": "loopbaanadvies",
    "training": "opleiding",
    "training_funding": "financiering van een opleiding",
    "hiring": "personeel zoeken",
    "apprenticeship": "leerbedrijf en leerwerkplek",
    "inclusive_hiring": "inclusief werkgeven",
    "job_loss_threat": "dreigend baanverlies",
    "benefit": "uitkering",
    "debts": "schulden",
    "cross_border": "werken over de grens",
    "civic_integration": "inburgering",
    "youth_without_qualification": "jongeren zonder startkwalificatie",
    "general_info": "algemene informatie",
}
TOPIC_LABELS_EN: dict[str, str] = {
    "job_search": "job search",
    "career_advice": "career advice",
    "training": "training",
    "training_funding": "training funding",
    "hiring": "hiring staff",
    "apprenticeship": "apprenticeships and recognised training companies",
    "inclusive_hiring": "inclusive hiring",
    "job_loss_threat": "threat of job loss",
    "benefit": "benefits",
    "debts": "debts",
    "cross_border": "working across the border",
    "civic_integration": "civic integration",
    "youth_without_qualification": "young people without a basic qualification",
    "general_info": "general information",
}

_MAX_SCAN_CACHE = 1024


class KeywordError(ValueError):
    """The keyword file is invalid; the message says where."""


# --------------------------------------------------------------------------- text handling

_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"  # explicit web addresses
    r"|\S+@\S+"  # e-mail addresses
    r"|\b[^\W_][\w-]*(?:\.[\w-]+)*\.(?:nl|com|org|net|eu|de|be|info|io)\b(?:/\S*)?",  # uwv.nl
    re.IGNORECASE,
)
_APOSTROPHE_RE = re.compile(r"(?<=[^\W_])['’‘`´](?=[^\W_])")
_TOKEN_RE = re.compile(r"[^\W_]+")
_KEYWORD_CHARS_RE = re.compile(r"[^\w*|]|_")
_ALT_RE = re.compile(r"^[^\W_]+\*?$")

_stemmer = snowballstemmer.stemmer("dutch")
_stem_lock = threading.Lock()  # snowball stemmer objects keep state between calls


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Dutch snowball stem of one normalised word."""
    with _stem_lock:
        return _stemmer.stemWord(word)


def normalise(text: str) -> str:
    """Lower case, without web/e-mail addresses, accents or apostrophes inside words."""
    text = _URL_RE.sub(" ", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHE_RE.sub("", text)


def tokenize(text: str) -> list[str]:
    """The normalised words of ``text`` (letters and digits; everything else separates)."""
    return _TOKEN_RE.findall(normalise(text))


# --------------------------------------------------------------------------- compiled lexicon


@dataclass(frozen=True)
class _Keyword:
    text: str  # as written in the file
    slots: tuple[tuple[int, ...], ...]  # per word: the ids of its alternatives
    kind: str  # "topic" or "benefit"
    target: str  # the topic or the benefit regime
    negatable: bool


@dataclass(frozen=True)
class Match:
    """One keyword found in a question: where it starts (word index) and what it means."""

    kind: str
    target: str
    keyword: str
    start: int
    negated: bool


class Lexicon:
    """Compiled keywords: indexes from word, stem and prefix to keyword alternatives."""

    def __init__(
        self,
        topics: Mapping[str, list[str]],
        benefits: Mapping[str, list[str]],
        *,
        max_gap: int = 2,
        negation_words: tuple[str, ...] = (),
        negation_window: int = 3,
        negation_breaks: tuple[str, ...] = (),
        negatable_topics: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
    ) -> None:
        self.max_gap = max_gap
        self.negation_words = frozenset(_single_word(w, "negation_words") for w in negation_words)
        self.negation_window = negation_window
        self.negation_breaks = frozenset(
            _single_word(w, "negation_breaks") for w in negation_breaks
        )
        self.ignore = frozenset(_single_word(w, "ignore") for w in ignore)
        self._alt_ids: dict[tuple[str, str], int] = {}
        self._exact: dict[str, list[int]] = {}
        self._stems: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[tuple[str, int]]] = {}  # first 3 letters -> (prefix, id)
        self._by_first_alt: dict[int, list[_Keyword]] = {}
        self.keywords: list[_Keyword] = []
        for topic, words in topics.items():
            for text in words:
                self._add(text, "topic", topic, topic in negatable_topics)
        for benefit, words in benefits.items():
            for text in words:
                self._add(text, "benefit", benefit, True)

    # -- building
    def _alt(self, alt: str) -> int:
        if alt.endswith("*"):
            key = ("prefix", alt[:-1])
        elif len(alt) <= 3:
            key = ("exact", alt)
        else:
            key = ("stem", alt)
        if key in self._alt_ids:
            return self._alt_ids[key]
        alt_id = len(self._alt_ids)
        self._alt_ids[key] = alt_id
        kind, value = key
        if kind == "prefix":
            self._prefixes.setdefault(value[:3], []).append((value, alt_id))
        elif kind == "exact":
            self._exact.setdefault(value, []).append(alt_id)
        else:
            self._exact.setdefault(value, []).append(alt_id)
            self._stems.setdefault(stem(value), []).append(alt_id)
        return alt_id

    def _add(self, text: str, kind: str, target: str, negatable: bool) -> None:
        where = f"{kind} {target!r}, keyword {text!r}"
        if not isinstance(text, str):
            raise KeywordError(f"{kind} {target!r}: keywords must be strings, got {text!r}")
        words = _KEYWORD_CHARS_RE.sub(" ", normalise(text)).split()
        if not words:
            raise KeywordError(f"{where}: empty keyword")
        slots: list[tuple[int, ...]] = []
        for word in words:
            alts = word.split("|")
            for alt in alts:
                if not _ALT_RE.match(alt):
                    raise KeywordError(f"{where}: invalid word {alt!r}")
                if alt.endswith("*") and len(alt) < 4:
                    raise KeywordError(f"{where}: a prefix needs at least three letters")
            slots.append(tuple(dict.fromkeys(self._alt(alt) for alt in alts)))
        keyword = _Keyword(text, tuple(slots), kind, target, negatable)
        self.keywords.append(keyword)
        for alt_id in keyword.slots[0]:
            self._by_first_alt.setdefault(alt_id, []).append(keyword)

    # -- matching
    def _positions(self, tokens: list[str]) -> dict[int, list[int]]:
        positions: dict[int, list[int]] = {}
        for index, token in enumerate(tokens):
            if token in self.ignore:
                continue
            hits: set[int] = set(self._exact.get(token, ()))
            if len(token) > 3:
                hits.update(self._stems.get(stem(token), ()))
            for prefix, alt_id in self._prefixes.get(token[:3], ()):
                if token.startswith(prefix):
                    hits.add(alt_id)
            for alt_id in hits:
                positions.setdefault(alt_id, []).append(index)
        return positions

    def _follows(self, slots, k: int, after: int, positions) -> bool:
        if k == len(slots):
            return True
        limit = after + self.max_gap + 1
        for alt_id in slots[k]:
            for pos in positions.get(alt_id, ()):
                if after < pos <= limit and self._follows(slots, k + 1, pos, positions):
                    return True
        return False

    def _negated(self, tokens: list[str], start: int) -> bool:
        for index in range(start - 1, max(start - 1 - self.negation_window, -1), -1):
            if tokens[index] in self.negation_breaks:
                return False
            if tokens[index] in self.negation_words:
                return True
        return False

    def scan(self, text: str) -> tuple[Match, ...]:
        """Every keyword occurrence in ``text``, ordered by position."""
        tokens = tokenize(text)
        positions = self._positions(tokens)
        found: dict[tuple[str, str, str, int], Match] = {}
        for alt_id in sorted(positions):
            for keyword in self._by_first_alt.get(alt_id, ()):
                for start in positions[alt_id]:
                    key = (keyword.kind, keyword.target, keyword.text, start)
                    if key in found or not self._follows(keyword.slots, 1, start, positions):
                        continue
                    negated = keyword.negatable and self._negated(tokens, start)
                    found[key] = Match(keyword.kind, keyword.target, keyword.text, start, negated)
        return tuple(sorted(found.values(), key=lambda m: (m.start, m.kind, m.target, m.keyword)))


def _single_word(word: object, field: str) -> str:
    if not isinstance(word, str):
        raise KeywordError(f"settings.{field}: {word!r} is not a string")
    tokens = tokenize(word)
    if len(tokens) != 1:
        raise KeywordError(f"settings.{field}: {word!r} must be one word")
    return tokens[0]


_SETTINGS = {
    "max_gap": int,
    "negation_words": list,
    "negation_window": int,
    "negation_breaks": list,
    "negatable_topics": list,
    "ignore": list,
}


def load_lexicon(text: str) -> Lexicon:
    """Parse and validate a keyword file in the format of ``rules/topics.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeywordError(f"toml: {exc}") from exc
    unknown = set(data) - {"version", "settings", "topics", "benefits"}
    if unknown:
        raise KeywordError(f"unknown key(s): {', '.join(sorted(unknown))}")
    if data.get("version") != 1:
        raise KeywordError("version: must be 1")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise KeywordError("settings: must be a table")
    for key, value in settings.items():
        expected = _SETTINGS.get(key)
        if expected is None:
            raise KeywordError(f"settings.{key}: unknown setting")
        if not isinstance(value, expected) or isinstance(value, bool):
            raise KeywordError(f"settings.{key}: must be {expected.__name__}")
    if not 0 <= settings.get("max_gap", 2) <= 5:
        raise KeywordError("settings.max_gap: must be 0..5")
    if not 0 <= settings.get("negation_window", 3) <= 10:
        raise KeywordError("settings.negation_window: must be 0..10")
    bad = set(settings.get("negatable_topics", ())) - set(TOPICS)
    if bad:
        raise KeywordError(f"settings.negatable_topics: unknown topic(s) {sorted(bad)}")
    topics = _table(data, "topics", TOPICS)
    benefits = _table(data, "benefits", INFERABLE_BENEFITS)
    return Lexicon(
        topics,
        benefits,
        max_gap=settings.get("max_gap", 2),
        negation_words=tuple(settings.get("negation_words", ())),
        negation_window=settings.get("negation_window", 3),
        negation_breaks=tuple(settings.get("negation_breaks", ())),
        negatable_topics=tuple(settings.get("negatable_topics", ())),
        ignore=tuple(settings.get("ignore", ())),
    )


def _table(data: dict, name: str, expected: tuple[str, ...]) -> dict[str, list[str]]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise KeywordError(f"{name}: missing table")
    if set(table) != set(expected):
        missing = sorted(set(expected) - set(table))
        extra = sorted(set(table) - set(expected))
        raise KeywordError(f"{name}: missing {missing}, unknown {extra}")
    for key, words in table.items():
        if not isinstance(words, list):
            raise KeywordError(f"{name}.{key}: must be a list of keywords")
    return {key: table[key] for key in expected}


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged keywords (``rules/topics.toml``), compiled once."""
    text = resources.files(__package__).joinpath("rules").joinpath("topics.toml").read_text("utf-8")
    return load_lexicon(text)


@lru_cache(maxsize=_MAX_SCAN_CACHE)
def _scan_default(question: str) -> tuple[Match, ...]:
    return default_lexicon().scan(question)


def scan(question: str, lexicon: Lexicon | None = None) -> tuple[Match, ...]:
    """All keyword matches in ``question`` (cached for the packaged lexicon)."""
    if lexicon is None:
        return _scan_default(question)
    return lexicon.scan(question)


# --------------------------------------------------------------------------- public helpers


def topic_matches(question: str, lexicon: Lexicon | None = None) -> dict[str, tuple[str, ...]]:
    """For each recognised topic (in TOPICS order) the keywords that matched, for explanations."""
    hits: dict[str, list[str]] = {}
    for match in scan(question, lexicon):
        if match.kind == "topic" and not match.negated:
            keywords = hits.setdefault(match.target, [])
            if match.keyword not in keywords:
                keywords.append(match.keyword)
    return {topic: tuple(hits[topic]) for topic in TOPICS if topic in hits}


def extract_topics(question: str, lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """The topics recognised in a Dutch question, in TOPICS order (empty when none)."""
    return tuple(topic_matches(question, lexicon))


def infer_benefit(question: str, lexicon: Lexicon | None = None) -> str | None:
    """The benefit regime mentioned in the question: "ww", "bijstand", "wia", "wajong" or None.

    The first mention that is not negated wins ("Ik heb geen WW maar bijstand" -> "bijstand").
    """
    for match in scan(question, lexicon):
        if match.kind == "benefit" and not match.negated:
            return match.target
    return None
