"""The triage rules engine: a situation in, a service level, a first-responsible partner and
human-readable reasons out.

Pure Python (no Django). The routing itself is data: an ordered list of rules (the packaged
default is ``rules/default.toml``, one rule per row of the routing table in DOMAIN.md §5). The
first rule whose every non-empty condition holds wins; the last rule is always a catch-all, so
every situation gets an answer (no wrong door).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Any

from .topics import (
    BENEFITS,
    TOPIC_LABELS,
    TOPIC_LABELS_EN,
    TOPICS,
    extract_topics,
    infer_benefit,
)

SERVICE_LEVELS: tuple[str, ...] = ("light", "basic", "specialist")
ASKER_TYPES: tuple[str, ...] = ("resident", "employer")
WORK_STATUSES: tuple[str, ...] = (
    "employed",
    "unemployed",
    "self_employed",
    "student",
    "threatened_with_unemployment",
)
ROUTED_PARTNER_KINDS: tuple[str, ...] = (
    "werkcentrum",
    "uwv",
    "municipality",
    "social_partners",
    "training_fund",
    "sbb",
    "debt_support",
    "cross_border_info",
    "education",
)

MAX_AGE = 120
MAX_QUESTION_LENGTH = 5000
MAX_MUNICIPALITY_LENGTH = 100

SERVICE_LEVEL_LABELS = {"light": "licht", "basic": "basis", "specialist": "specialistisch"}
SERVICE_LEVEL_LABELS_EN = {"light": "light", "basic": "basic", "specialist": "specialist"}
ASKER_LABELS = {"resident": "inwoner", "employer": "werkgever"}
ASKER_LABELS_EN = {"resident": "resident", "employer": "employer"}
PARTNER_KIND_LABELS = {
    "werkcentrum": "het Werkcentrum",
    "uwv": "UWV",
    "municipality": "de eigen gemeente",
    "social_partners": "de sociale partners (van-werk-naar-werk)",
    "training_fund": "het opleidingsfonds",
    "sbb": "SBB",
    "debt_support": "de schuldhulpverlening van de gemeente",
    "cross_border_info": "het GrensInfoPunt",
    "education": "de school (ROC, hogeschool)",
}
PARTNER_KIND_LABELS_EN = {
    "werkcentrum": "the Werkcentrum",
    "uwv": "UWV",
    "municipality": "the person's own municipality",
    "social_partners": "the social partners (job-to-job)",
    "training_fund": "the training fund",
    "sbb": "SBB",
    "debt_support": "municipal debt support",
    "cross_border_info": "the cross-border information point",
    "education": "the school (ROC, university of applied sciences)",
}
BENEFIT_LABELS = {
    "none": "geen uitkering",
    "ww": "WW",
    "bijstand": "bijstand",
    "wia": "WIA",
    "wajong": "Wajong",
}
BENEFIT_LABELS_EN = {
    "none": "no benefit",
    "ww": "WW (unemployment benefit)",
    "bijstand": "social assistance (bijstand)",
    "wia": "WIA (disability benefit)",
    "wajong": "Wajong (young disabled)",
}
WORK_STATUS_LABELS = {
    "employed": "in loondienst",
    "unemployed": "zonder werk",
    "self_employed": "zelfstandige (zzp)",
    "student": "student of scholier",
    "threatened_with_unemployment": "dreigt werkloos te worden",
}
WORK_STATUS_LABELS_EN = {
    "employed": "employed",
    "unemployed": "unemployed",
    "self_employed": "self-employed",
    "student": "student",
    "threatened_with_unemployment": "threatened with unemployment",
}


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# =========================================================================== situation


class SituationError(ValueError):
    """A situation is invalid. ``field`` names the offending field, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Situation:
    """What we know about the person (or employer) asking.

    ``municipality`` is passed through untouched (a CBS code such as "GM0173"); the engine does
    not route on it. ``topics`` None or empty means: recognise them in ``question``.
    """

    asker: str
    municipality: str | None
    age: int | None = None
    work_status: str | None = None
    benefit: str | None = None
    topics: tuple[str, ...] | None = None
    question: str = ""

    def __post_init__(self) -> None:
        if self.asker not in ASKER_TYPES:
            raise SituationError("asker", f"must be one of {_choices(ASKER_TYPES)}")
        if self.age is not None and not (_is_int(self.age) and 0 <= self.age <= MAX_AGE):
            raise SituationError("age", f"must be a whole number from 0 to {MAX_AGE} or null")
        if self.work_status is not None and self.work_status not in WORK_STATUSES:
            raise SituationError("work_status", f"must be one of {_choices(WORK_STATUSES)} or null")
        if self.benefit is not None and self.benefit not in BENEFITS:
            raise SituationError("benefit", f"must be one of {_choices(BENEFITS)} or null")
        if self.topics is not None:
            if isinstance(self.topics, str) or not isinstance(self.topics, Iterable):
                raise SituationError("topics", "must be a list of topics or null")
            topics = tuple(self.topics)
            for topic in topics:
                if topic not in TOPICS:
                    raise SituationError("topics", f"unknown topic {topic!r}")
            object.__setattr__(self, "topics", topics)
        if not isinstance(self.question, str):
            raise SituationError("question", "must be a string")


_SITUATION_FIELDS = ("asker", "municipality", "age", "work_status", "benefit", "topics", "question")


def parse_situation(data: Any) -> Situation:
    """Validate the external (JSON) form of a situation; raise SituationError naming the field."""
    if not isinstance(data, Mapping):
        raise SituationError("situation", "must be a JSON object")
    for key in sorted(data, key=str):
        if key not in _SITUATION_FIELDS:
            raise SituationError(str(key), "unknown field")

    if "asker" not in data or data["asker"] is None:
        raise SituationError("asker", "is required")
    asker = data["asker"]
    if not isinstance(asker, str) or asker not in ASKER_TYPES:
        raise SituationError("asker", f"must be one of {_choices(ASKER_TYPES)}")

    if "municipality" not in data or data["municipality"] is None:
        raise SituationError("municipality", "is required")
    municipality = data["municipality"]
    if not isinstance(municipality, str):
        raise SituationError("municipality", "must be a string")
    if not municipality.strip():
        raise SituationError("municipality", "must not be empty")
    if len(municipality) > MAX_MUNICIPALITY_LENGTH:
        raise SituationError(
            "municipality", f"must be at most {MAX_MUNICIPALITY_LENGTH} characters"
        )

    age = data.get("age")
    if age is not None and not (_is_int(age) and 0 <= age <= MAX_AGE):
        raise SituationError("age", f"must be a whole number from 0 to {MAX_AGE} or null")

    work_status = data.get("work_status")
    if work_status is not None and (
        not isinstance(work_status, str) or work_status not in WORK_STATUSES
    ):
        raise SituationError("work_status", f"must be one of {_choices(WORK_STATUSES)} or null")

    benefit = data.get("benefit")
    if benefit is not None and (not isinstance(benefit, str) or benefit not in BENEFITS):
        raise SituationError("benefit", f"must be one of {_choices(BENEFITS)} or null")

    topics = data.get("topics")
    if topics is not None:
        if not isinstance(topics, list | tuple):
            raise SituationError("topics", "must be a list of topics or null")
        for index, topic in enumerate(topics):
            if not isinstance(topic, str) or topic not in TOPICS:
                raise SituationError("topics", f"unknown topic {topic!r} at position {index}")
        topics = tuple(dict.fromkeys(topics))

    question = data.get("question")
    if question is None:
        question = ""
    if not isinstance(question, str):
        raise SituationError("question", "must be a string")
    if len(question) > MAX_QUESTION_LENGTH:
        raise SituationError("question", f"must be at most {MAX_QUESTION_LENGTH} characters")

    return Situation(
        asker=asker,
        municipality=municipality,
        age=age,
        work_status=work_status,
        benefit=benefit,
        topics=topics,
        question=question,
    )


# =========================================================================== rules


class RuleError(ValueError):
    """A rule or rule set is invalid. Names the rule (index and/or id) and the field."""

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        rule_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.index = index
        self.rule_id = rule_id
        self.field = field
        where = ""
        if index is not None:
            where = f"rules[{index}]"
        if rule_id:
            where = f"{where} (id {rule_id!r})" if where else f"rule {rule_id!r}"
        if field:
            where = f"{where}.{field}" if where else field
        super().__init__(f"{where}: {message}" if where else message)


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_DESK_RE = re.compile(r"^[a-z0-9_]{0,64}$")
_CONDITIONS: dict[str, tuple[str, ...]] = {
    "asker": ASKER_TYPES,
    "any_topics": TOPICS,
    "benefit": BENEFITS,
    "work_status": WORK_STATUSES,
}


@dataclass(frozen=True)
class Rule:
    """One routing rule. Empty conditions match anything; ages fail when the age is unknown."""

    id: str
    level: str
    partner_kind: str
    desk: str = ""
    reason: str = ""
    reason_en: str = ""
    asker: tuple[str, ...] = ()
    any_topics: tuple[str, ...] = ()
    benefit: tuple[str, ...] = ()
    work_status: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None

    def __post_init__(self) -> None:
        rule_id = self.id if isinstance(self.id, str) else None

        def fail(field: str, message: str) -> RuleError:
            return RuleError(message, rule_id=rule_id, field=field)

        if not isinstance(self.id, str) or not _ID_RE.match(self.id):
            raise fail("id", "must be 1-64 letters, digits, '-', '_' or '.'")
        if self.level not in SERVICE_LEVELS:
            raise fail("level", f"unknown level {self.level!r}; use {_choices(SERVICE_LEVELS)}")
        if self.partner_kind not in ROUTED_PARTNER_KINDS:
            raise fail(
                "partner_kind",
                f"unknown partner kind {self.partner_kind!r}; use {_choices(ROUTED_PARTNER_KINDS)}",
            )
        if not isinstance(self.desk, str) or not _DESK_RE.match(self.desk):
            raise fail("desk", "must be empty or lower-case letters, digits and '_'")
        for name in ("reason", "reason_en"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise fail(name, "must be a non-empty text")
        for name, allowed in _CONDITIONS.items():
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise fail(name, "must be a list")
            value = tuple(value)
            for item in value:
                if item not in allowed:
                    raise fail(name, f"unknown value {item!r}; use {_choices(allowed)}")
            if len(set(value)) != len(value):
                raise fail(name, "lists a value twice")
            object.__setattr__(self, name, value)
        for name in ("age_min", "age_max"):
            value = getattr(self, name)
            if value is not None and not (_is_int(value) and 0 <= value <= MAX_AGE):
                raise fail(name, f"must be a whole number from 0 to {MAX_AGE} or absent")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise fail("age_max", "must not be below age_min")

    @property
    def is_catch_all(self) -> bool:
        return not (
            self.asker
            or self.any_topics
            or self.benefit
            or self.work_status
            or self.age_min is not None
            or self.age_max is not None
        )

    def matches(
        self,
        asker: str,
        topics: frozenset[str],
        benefit: str | None,
        work_status: str | None,
        age: int | None,
    ) -> bool:
        if self.asker and asker not in self.asker:
            return False
        if self.any_topics and topics.isdisjoint(self.any_topics):
            return False
        if self.benefit and benefit not in self.benefit:
            return False
        if self.work_status and work_status not in self.work_status:
            return False
        if self.age_min is not None and (age is None or age < self.age_min):
            return False
        if self.age_max is not None and (age is None or age > self.age_max):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "partner_kind": self.partner_kind,
            "desk": self.desk,
            "reason": self.reason,
            "reason_en": self.reason_en,
            "asker": list(self.asker),
            "any_topics": list(self.any_topics),
            "benefit": list(self.benefit),
            "work_status": list(self.work_status),
            "age_min": self.age_min,
            "age_max": self.age_max,
        }

    @classmethod
    def from_dict(cls, data: Any, index: int | None = None) -> Rule:
        rule_id = data.get("id") if isinstance(data, Mapping) else None
        rule_id = rule_id if isinstance(rule_id, str) else None

        def fail(field: str | None, message: str) -> RuleError:
            return RuleError(message, index=index, rule_id=rule_id, field=field)

        if not isinstance(data, Mapping):
            raise fail(None, "must be a table/object")
        known = {f.name for f in fields(cls)}
        for key in sorted(data, key=str):
            if key not in known:
                raise fail(str(key), "unknown field")
        for key in ("id", "level", "partner_kind", "reason", "reason_en"):
            if key not in data:
                raise fail(key, "is required")
        for key in ("id", "level", "partner_kind", "desk", "reason", "reason_en"):
            if key in data and not isinstance(data[key], str):
                raise fail(key, "must be a string")
        kwargs: dict[str, Any] = {key: data[key] for key in data if key in known}
        for key in _CONDITIONS:
            if key in kwargs:
                if kwargs[key] is None:
                    kwargs[key] = ()
                elif not isinstance(kwargs[key], list | tuple):
                    raise fail(key, "must be a list")
        try:
            return cls(**kwargs)
        except RuleError as exc:
            raise RuleError(exc.message, index=index, rule_id=rule_id, field=exc.field) from None


@dataclass(frozen=True)
class RuleSet:
    """An ordered list of rules; the first match wins and the last rule is a catch-all."""

    version: int
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        if not _is_int(self.version) or self.version < 1:
            raise RuleError("must be a whole number of at least 1", field="version")
        if isinstance(self.rules, str | bytes) or not isinstance(self.rules, Iterable):
            raise RuleError("must be a list of rules", field="rules")
        rules = tuple(self.rules)
        object.__setattr__(self, "rules", rules)
        if not rules:
            raise RuleError("must contain at least one rule (a catch-all)", field="rules")
        seen: set[str] = set()
        for index, rule in enumerate(rules):
            if not isinstance(rule, Rule):
                raise RuleError("is not a Rule", index=index)
            if rule.id in seen:
                raise RuleError("duplicate id", index=index, rule_id=rule.id, field="id")
            seen.add(rule.id)
            if rule.is_catch_all and index != len(rules) - 1:
                raise RuleError(
                    "has no conditions but is not the last rule (the rules after it could never "
                    "match)",
                    index=index,
                    rule_id=rule.id,
                )
        if not rules[-1].is_catch_all:
            raise RuleError(
                "the last rule must be a catch-all without conditions (no wrong door)",
                index=len(rules) - 1,
                rule_id=rules[-1].id,
            )

    def first_match(
        self,
        asker: str,
        topics: frozenset[str],
        benefit: str | None,
        work_status: str | None,
        age: int | None,
    ) -> Rule:
        for rule in self.rules:
            if rule.matches(asker, topics, benefit, work_status, age):
                return rule
        return self.rules[-1]  # unreachable: the last rule is a catch-all

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "rules": [rule.to_dict() for rule in self.rules]}

    @classmethod
    def from_dict(cls, data: Any) -> RuleSet:
        if not isinstance(data, Mapping):
            raise RuleError("must be a table/object", field="ruleset")
        for key in sorted(data, key=str):
            if key not in ("version", "rules"):
                raise RuleError("unknown field", field=str(key))
        if "version" not in data:
            raise RuleError("is required", field="version")
        rules = data.get("rules")
        if not isinstance(rules, list | tuple):
            raise RuleError("must be a list of rules", field="rules")
        return cls(
            version=data["version"],
            rules=tuple(Rule.from_dict(rule, index) for index, rule in enumerate(rules)),
        )


def load_rules_toml(text: str) -> RuleSet:
    """Parse and validate rules in the format of ``rules/default.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(str(exc), field="toml") from exc
    return RuleSet.from_dict(data)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The packaged default rules (``rules/default.toml``), parsed once."""
    text = resources.files(__package__).joinpath("rules").joinpath("default.toml")
    return load_rules_toml(text.read_text("utf-8"))


# =========================================================================== decision


@dataclass(frozen=True)
class Decision:
    """The triage outcome. ``reasons`` (Dutch) and ``reasons_en`` start with the rule's reason."""

    service_level: str
    partner_kind: str
    desk: str
    rule_id: str
    reasons: tuple[str, ...]
    reasons_en: tuple[str, ...]
    topics: tuple[str, ...]
    topics_inferred: bool
    benefit: str | None
    benefit_inferred: bool
    also_relevant: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "service_level": self.service_level,
            "partner_kind": self.partner_kind,
            "desk": self.desk,
            "rule_id": self.rule_id,
            "reasons": list(self.reasons),
            "reasons_en": list(self.reasons_en),
            "topics": list(self.topics),
            "topics_inferred": self.topics_inferred,
            "benefit": self.benefit,
            "benefit_inferred": self.benefit_inferred,
            "also_relevant": [
                {"topic": topic, "partner_kind": kind} for topic, kind in self.also_relevant
            ],
        }


def _canonical_topics(topics: Iterable[str]) -> tuple[str, ...]:
    present = set(topics)
    return tuple(topic for topic in TOPICS if topic in present)


def _listing(labels: Iterable[str]) -> str:
    return ", ".join(labels)


def triage(situation: Situation, rules: RuleSet | None = None) -> Decision:
    """Route one situation with ``rules`` (the packaged defaults when omitted)."""
    if rules is None:
        rules = default_rules()

    recognised: tuple[str, ...] = ()
    if situation.topics:
        topics = _canonical_topics(situation.topics)
        topics_inferred = False
    else:
        recognised = extract_topics(situation.question)
        topics = recognised or ("general_info",)
        topics_inferred = True

    benefit = situation.benefit
    benefit_inferred = False
    if benefit is None:
        benefit = infer_benefit(situation.question)
        benefit_inferred = benefit is not None

    asker, work_status, age = situation.asker, situation.work_status, situation.age
    rule = rules.first_match(asker, frozenset(topics), benefit, work_status, age)

    also_relevant: list[tuple[str, str]] = []
    for topic in topics:
        if topic == "general_info":
            continue
        other = rules.first_match(asker, frozenset((topic,)), benefit, work_status, age)
        if other.partner_kind != rule.partner_kind:
            also_relevant.append((topic, other.partner_kind))

    reasons = [rule.reason]
    reasons_en = [rule.reason_en]
    if rule.asker and asker == "employer":
        reasons.append(f"Vraagsteller: {ASKER_LABELS[asker]}")
        reasons_en.append(f"Asked by: {ASKER_LABELS_EN[asker]}")
    if topics_inferred:
        if recognised:
            word_nl = "Onderwerpen" if len(recognised) > 1 else "Onderwerp"
            word_en = "Topics" if len(recognised) > 1 else "Topic"
            reasons.append(
                f"{word_nl} herkend in de vraag: {_listing(TOPIC_LABELS[t] for t in recognised)}"
            )
            reasons_en.append(
                f"{word_en} recognised in the question: "
                f"{_listing(TOPIC_LABELS_EN[t] for t in recognised)}"
            )
        else:
            reasons.append("Geen specifiek onderwerp herkend in de vraag: algemene informatie")
            reasons_en.append("No specific topic recognised in the question: general information")
    elif rule.any_topics:
        used = [t for t in topics if t in rule.any_topics]
        word_nl = "Onderwerpen" if len(used) > 1 else "Onderwerp"
        word_en = "Topics" if len(used) > 1 else "Topic"
        reasons.append(f"{word_nl}: {_listing(TOPIC_LABELS[t] for t in used)}")
        reasons_en.append(f"{word_en}: {_listing(TOPIC_LABELS_EN[t] for t in used)}")
    if rule.benefit and benefit is not None:
        suffix_nl = " (afgeleid uit de vraag)" if benefit_inferred else ""
        suffix_en = " (inferred from the question)" if benefit_inferred else ""
        reasons.append(f"Uitkering: {BENEFIT_LABELS[benefit]}{suffix_nl}")
        reasons_en.append(f"Benefit: {BENEFIT_LABELS_EN[benefit]}{suffix_en}")
    if rule.work_status and work_status is not None:
        reasons.append(f"Werksituatie: {WORK_STATUS_LABELS[work_status]}")
        reasons_en.append(f"Work situation: {WORK_STATUS_LABELS_EN[work_status]}")
    if (rule.age_min is not None or rule.age_max is not None) and age is not None:
        reasons.append(f"Leeftijd: {age}")
        reasons_en.append(f"Age: {age}")
    for topic, kind in also_relevant:
        reasons.append(f"Ook relevant: {TOPIC_LABELS[topic]} – {PARTNER_KIND_LABELS[kind]}")
        reasons_en.append(
            f"Also relevant: {TOPIC_LABELS_EN[topic]} – {PARTNER_KIND_LABELS_EN[kind]}"
        )

    return Decision(
        service_level=rule.level,
        partner_kind=rule.partner_kind,
        desk=rule.desk,
        rule_id=rule.id,
        reasons=tuple(reasons),
        reasons_en=tuple(reasons_en),
        topics=topics,
        topics_inferred=topics_inferred,
        benefit=benefit,
        benefit_inferred=benefit_inferred,
        also_relevant=tuple(also_relevant),
    )
