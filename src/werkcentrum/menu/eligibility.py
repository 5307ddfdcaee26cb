"""The eligibility engine of the service menu (menukaart): which services fit a situation, and why.

Pure Python (no Django), like the triage engine whose :class:`~werkcentrum.triage.Situation`
it takes: asker type, municipality, age, work status, benefit, topics and the question. The
same engine serves the guide's contact screen, the live intake proposal, the public pages
("for whom") and the HSDS export (``eligibility_description``).

A service's conditions are :class:`Rules`; an empty condition means "anyone" (the instrument
case is *ontschot*: most instruments are open whatever benefit a person has). All conditions
must hold. Each condition gives, for one situation:

* a **reason** when it holds (why the service applies),
* a **check** when the fact is unknown ("possibly eligible — ask the age"), never a guessed
  yes or no; a benefit only inferred from the question counts as known when it fits and as
  a check when it does not,
* a **blocker** when it does not hold.

:func:`evaluate` returns a :class:`Verdict`: ``eligible`` (no blockers, no checks),
``possibly`` (checks only) or ``not_eligible``. Adding a condition can only add checks or
blockers, so it never turns a "no" into a "yes" (tested as a property).

:func:`eligible_services` evaluates a list of services (anything with ``code``, ``name``,
``rules``, ``topics``, ``valid_from``, ``valid_until`` and ``available``) on one day: services
outside their validity dates are left out, the rest are sorted eligible before possibly, then
by how well they fit (:attr:`Match.score`: the question's topics they address, and the
conditions that hold for the person, so targeted services come before open ones), available
(places and budget left) first, then by name. Every text comes in Dutch and English
(:class:`Reason`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

from werkcentrum.triage import (
    ASKER_TYPES,
    BENEFIT_LABELS,
    BENEFIT_LABELS_EN,
    BENEFITS,
    TOPIC_LABELS,
    TOPIC_LABELS_EN,
    TOPICS,
    WORK_STATUS_LABELS,
    WORK_STATUS_LABELS_EN,
    WORK_STATUSES,
    Situation,
    extract_topics,
    infer_benefit,
)

__all__ = [
    "ELIGIBLE",
    "NOT_ELIGIBLE",
    "POSSIBLY",
    "STATUSES",
    "Match",
    "MenuService",
    "Reason",
    "Rules",
    "Verdict",
    "describe",
    "eligible_services",
    "evaluate",
    "is_valid_on",
    "situation_topics",
]

ELIGIBLE = "eligible"
POSSIBLY = "possibly"
NOT_ELIGIBLE = "not_eligible"
STATUSES: tuple[str, ...] = (ELIGIBLE, POSSIBLY, NOT_ELIGIBLE)  # best first
MAX_AGE = 120

_ASKER_NL = {"resident": "inwoners", "employer": "werkgevers"}
_ASKER_EN = {"resident": "residents", "employer": "employers"}


class Reason(NamedTuple):
    """One sentence in Dutch (``nl``, the default UI language) and English (``en``)."""

    nl: str
    en: str

    def __str__(self) -> str:
        return self.nl


# =========================================================================== rules


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Rules:
    """The structured eligibility of one service. Empty tuples and None mean "anyone".

    ``askers``: resident and/or employer; ``benefits``: benefit regimes (``"none"`` = people
    without a benefit); ``work_statuses``; ``municipalities``: CBS codes (empty = the whole
    region); ``age_min``/``age_max`` inclusive; ``job_agreement``: only for people in the
    target-group register of the job agreement (banenafspraak).
    """

    askers: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    work_statuses: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    job_agreement: bool = False

    def __post_init__(self) -> None:
        for name, allowed in (
            ("askers", ASKER_TYPES),
            ("benefits", BENEFITS),
            ("work_statuses", WORK_STATUSES),
            ("municipalities", None),
        ):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise ValueError(f"{name}: must be a list")
            value = tuple(value)
            for item in value:
                if not isinstance(item, str) or (allowed is not None and item not in allowed):
                    raise ValueError(f"{name}: unknown value {item!r}")
            if len(set(value)) != len(value):
                raise ValueError(f"{name}: lists a value twice")
            object.__setattr__(self, name, value)
        for name in ("age_min", "age_max"):
            value = getattr(self, name)
            if value is not None and not (_is_int(value) and 0 <= value <= MAX_AGE):
                raise ValueError(f"{name}: must be a whole number from 0 to {MAX_AGE} or None")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_max: must not be below age_min")
        if not isinstance(self.job_agreement, bool):
            raise ValueError("job_agreement: must be true or false")

    @property
    def is_open(self) -> bool:
        """No conditions at all: open to everyone who asks."""
        return not (
            self.askers
            or self.benefits
            or self.work_statuses
            or self.municipalities
            or self.age_min is not None
            or self.age_max is not None
            or self.job_agreement
        )

    @property
    def for_residents(self) -> bool:
        return not self.askers or "resident" in self.askers

    @property
    def for_employers(self) -> bool:
        return not self.askers or "employer" in self.askers


# =========================================================================== texts


def _join(items: Sequence[str], word: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _age_range(rules: Rules) -> Reason:
    low, high = rules.age_min, rules.age_max
    if low is not None and high is not None:
        return Reason(f"{low} tot en met {high} jaar", f"aged {low} to {high}")
    if low is not None:
        return Reason(f"{low} jaar of ouder", f"aged {low} or older")
    return Reason(f"tot en met {high} jaar", f"aged {high} or younger")


def _benefits(codes: Iterable[str]) -> Reason:
    codes = list(codes)
    return Reason(
        _join([BENEFIT_LABELS[c] for c in codes], "of"),
        _join([BENEFIT_LABELS_EN[c] for c in codes], "or"),
    )


def _work(codes: Iterable[str]) -> Reason:
    codes = list(codes)
    return Reason(
        _join([WORK_STATUS_LABELS[c] for c in codes], "of"),
        _join([WORK_STATUS_LABELS_EN[c] for c in codes], "or"),
    )


def _places(codes: Iterable[str], names: Mapping[str, str]) -> Reason:
    labels = [names.get(c, c) for c in codes]
    return Reason(_join(labels, "of"), _join(labels, "or"))


def describe(rules: Rules, place_names: Mapping[str, str] | None = None) -> Reason:
    """A one-sentence "for whom" in plain language, e.g. for the public page and HSDS."""
    names = place_names or {}
    if rules.is_open:
        return Reason(
            "Voor iedereen: inwoners en werkgevers, met of zonder uitkering.",
            "For everyone: residents and employers, with or without a benefit.",
        )
    nl: list[str] = []
    en: list[str] = []
    askers = rules.askers or ASKER_TYPES
    nl.append(_join([_ASKER_NL[a] for a in askers], "en"))
    en.append(_join([_ASKER_EN[a] for a in askers], "and"))
    if rules.age_min is not None or rules.age_max is not None:
        age = _age_range(rules)
        nl.append(age.nl)
        en.append(age.en)
    if rules.benefits:
        benefit = _benefits(rules.benefits)
        nl.append(f"met {benefit.nl}")
        en.append(f"with {benefit.en}")
    elif rules.for_residents:
        nl.append("met of zonder uitkering")
        en.append("with or without a benefit")
    if rules.work_statuses:
        work = _work(rules.work_statuses)
        nl.append(f"werksituatie: {work.nl}")
        en.append(f"work situation: {work.en}")
    if rules.municipalities:
        places = _places(rules.municipalities, names)
        nl.append(f"in de gemeente {places.nl}")
        en.append(f"in the municipality of {places.en}")
    if rules.job_agreement:
        nl.append("in het doelgroepregister van de banenafspraak")
        en.append("in the job agreement's target-group register (banenafspraak)")
    return Reason(f"Voor {', '.join(nl)}.", f"For {', '.join(en)}.")


# =========================================================================== verdict


@dataclass(frozen=True)
class Verdict:
    """The outcome for one service: why it applies, what to check, why not."""

    status: str
    reasons: tuple[Reason, ...] = ()
    checks: tuple[Reason, ...] = ()
    blockers: tuple[Reason, ...] = ()
    matched: int = 0  # conditions that hold for this person (how targeted the service is)

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def possibly(self) -> bool:
        return self.status == POSSIBLY

    @property
    def rank(self) -> int:
        return STATUSES.index(self.status)


@dataclass
class _Collect:
    reasons: list[Reason] = field(default_factory=list)
    checks: list[Reason] = field(default_factory=list)
    blockers: list[Reason] = field(default_factory=list)
    matched: int = 0

    def holds(self, reason: Reason) -> None:
        self.reasons.append(reason)
        self.matched += 1


def evaluate(
    rules: Rules,
    situation: Situation,
    *,
    job_agreement: bool | None = None,
    place_names: Mapping[str, str] | None = None,
) -> Verdict:
    """Evaluate one service's ``rules`` for ``situation``.

    ``job_agreement``: whether the person is in the job agreement's target-group register
    (None: not known; the front door does not record it, so it is a check).
    ``place_names``: CBS code -> municipality name, for readable texts.
    """
    names = place_names or {}
    out = _Collect()

    # asker: always known
    if rules.askers:
        who = _join([_ASKER_NL[a] for a in rules.askers], "en")
        who_en = _join([_ASKER_EN[a] for a in rules.askers], "and")
        if situation.asker in rules.askers:
            out.holds(Reason(f"Voor {who}", f"For {who_en}"))
        else:
            out.blockers.append(Reason(f"Alleen voor {who}", f"Only for {who_en}"))

    # age
    if rules.age_min is not None or rules.age_max is not None:
        span = _age_range(rules)
        age = situation.age
        if age is None:
            out.checks.append(
                Reason(f"Vraag de leeftijd: alleen voor {span.nl}", f"Ask the age: only {span.en}")
            )
        elif (rules.age_min is None or age >= rules.age_min) and (
            rules.age_max is None or age <= rules.age_max
        ):
            out.holds(Reason(f"Leeftijd {age} ({span.nl})", f"Age {age} ({span.en})"))
        else:
            out.blockers.append(
                Reason(f"Leeftijd {age}: alleen voor {span.nl}", f"Age {age}: only {span.en}")
            )

    # benefit: explicit, else inferred from the question (then a mismatch is only a check)
    benefit, inferred = situation.benefit, False
    if benefit is None:
        benefit = infer_benefit(situation.question or "")
        inferred = benefit is not None
    if rules.benefits:
        allowed = _benefits(rules.benefits)
        if benefit is None:
            out.checks.append(
                Reason(
                    f"Vraag naar de uitkering: alleen bij {allowed.nl}",
                    f"Ask about the benefit: only with {allowed.en}",
                )
            )
        elif benefit in rules.benefits:
            suffix = (" (afgeleid uit de vraag)", " (inferred from the question)")
            out.holds(
                Reason(
                    f"Uitkering: {BENEFIT_LABELS[benefit]}{suffix[0] if inferred else ''}",
                    f"Benefit: {BENEFIT_LABELS_EN[benefit]}{suffix[1] if inferred else ''}",
                )
            )
        elif inferred:
            out.checks.append(
                Reason(
                    f"Controleer de uitkering: alleen bij {allowed.nl} "
                    f"(de vraag noemt {BENEFIT_LABELS[benefit]})",
                    f"Check the benefit: only with {allowed.en} "
                    f"(the question mentions {BENEFIT_LABELS_EN[benefit]})",
                )
            )
        else:
            out.blockers.append(
                Reason(
                    f"Uitkering {BENEFIT_LABELS[benefit]}: alleen bij {allowed.nl}",
                    f"Benefit {BENEFIT_LABELS_EN[benefit]}: only with {allowed.en}",
                )
            )
    elif rules.for_residents and situation.asker == "resident":
        out.reasons.append(
            Reason(
                "Met of zonder uitkering (ontschot)",
                "With or without a benefit (open whatever the benefit)",
            )
        )

    # work status
    if rules.work_statuses:
        allowed = _work(rules.work_statuses)
        status = situation.work_status
        if status is None:
            out.checks.append(
                Reason(
                    f"Vraag naar de werksituatie: alleen voor {allowed.nl}",
                    f"Ask about the work situation: only {allowed.en}",
                )
            )
        elif status in rules.work_statuses:
            out.holds(
                Reason(
                    f"Werksituatie: {WORK_STATUS_LABELS[status]}",
                    f"Work situation: {WORK_STATUS_LABELS_EN[status]}",
                )
            )
        else:
            out.blockers.append(
                Reason(
                    f"Werksituatie {WORK_STATUS_LABELS[status]}: alleen voor {allowed.nl}",
                    f"Work situation {WORK_STATUS_LABELS_EN[status]}: only {allowed.en}",
                )
            )

    # municipality
    if rules.municipalities:
        allowed = _places(rules.municipalities, names)
        code = situation.municipality
        if not code:
            out.checks.append(
                Reason(
                    f"Vraag de woonplaats: alleen in de gemeente {allowed.nl}",
                    f"Ask where they live: only in the municipality of {allowed.en}",
                )
            )
        elif code in rules.municipalities:
            name = names.get(code, code)
            out.holds(Reason(f"Gemeente {name}", f"Municipality of {name}"))
        else:
            name = names.get(code, code)
            out.blockers.append(
                Reason(
                    f"Gemeente {name}: alleen in de gemeente {allowed.nl}",
                    f"Municipality of {name}: only in the municipality of {allowed.en}",
                )
            )

    # job agreement (banenafspraak)
    if rules.job_agreement:
        if job_agreement is None:
            out.checks.append(
                Reason(
                    "Controleer of de persoon in het doelgroepregister van de banenafspraak staat",
                    "Check that the person is in the job agreement's target-group register",
                )
            )
        elif job_agreement:
            out.holds(
                Reason(
                    "In het doelgroepregister van de banenafspraak",
                    "In the job agreement's target-group register",
                )
            )
        else:
            out.blockers.append(
                Reason(
                    "Alleen voor het doelgroepregister van de banenafspraak",
                    "Only for the job agreement's target-group register",
                )
            )

    if out.blockers:
        status = NOT_ELIGIBLE
    elif out.checks:
        status = POSSIBLY
    else:
        status = ELIGIBLE
    return Verdict(status, tuple(out.reasons), tuple(out.checks), tuple(out.blockers), out.matched)


# =========================================================================== many services


class MenuService(Protocol):
    """What the engine needs of a service (the model and the parsed data file both fit)."""

    code: str
    name: str
    topics: Sequence[str]
    valid_from: date | None
    valid_until: date | None

    @property
    def rules(self) -> Rules: ...

    @property
    def available(self) -> bool: ...


@dataclass(frozen=True)
class Match:
    """One service that fits (or possibly fits) a situation."""

    service: Any
    verdict: Verdict
    topics: tuple[str, ...]  # the situation's topics this service addresses

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Why it applies: the question's topics first, then the conditions that hold."""
        if not self.topics:
            return self.verdict.reasons
        labels = Reason(
            ", ".join(TOPIC_LABELS[t] for t in self.topics),
            ", ".join(TOPIC_LABELS_EN[t] for t in self.topics),
        )
        fits = Reason(f"Past bij de vraag: {labels.nl}", f"Fits the question: {labels.en}")
        return (fits, *self.verdict.reasons)

    @property
    def checks(self) -> tuple[Reason, ...]:
        return self.verdict.checks

    @property
    def score(self) -> int:
        """How well it fits: each of the question's topics counts twice, each condition that
        holds for the person once (a service for "50+ with WW" beats an open one)."""
        return 2 * len(self.topics) + self.verdict.matched

    @property
    def eligible(self) -> bool:
        return self.verdict.eligible

    @property
    def possibly(self) -> bool:
        return self.verdict.possibly


def is_valid_on(service: Any, today: date) -> bool:
    """Within the validity dates (both inclusive; None = open-ended)."""
    start, end = service.valid_from, service.valid_until
    return (start is None or start <= today) and (end is None or today <= end)


def situation_topics(situation: Situation) -> tuple[str, ...]:
    """The situation's topics: the given ones, else those recognised in the question."""
    if situation.topics:
        return tuple(situation.topics)
    return extract_topics(situation.question or "")


def eligible_services(
    services: Iterable[Any],
    situation: Situation,
    today: date,
    *,
    job_agreement: bool | None = None,
    place_names: Mapping[str, str] | None = None,
    include_possible: bool = True,
) -> list[Match]:
    """The services valid on ``today`` that fit ``situation``, best first (see module doc)."""
    topics = frozenset(situation_topics(situation))
    matches: list[Match] = []
    for service in services:
        if not is_valid_on(service, today):
            continue
        verdict = evaluate(
            service.rules, situation, job_agreement=job_agreement, place_names=place_names
        )
        if verdict.status == NOT_ELIGIBLE or (verdict.possibly and not include_possible):
            continue
        common = tuple(t for t in TOPICS if t in topics and t in service.topics)
        matches.append(Match(service, verdict, common))
    matches.sort(
        key=lambda m: (
            m.verdict.rank,
            -m.score,
            not m.service.available,
            m.service.name.casefold(),
            m.service.code,
        )
    )
    return matches
