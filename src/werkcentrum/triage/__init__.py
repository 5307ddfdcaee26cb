"""Pure triage rules engine: situation -> service level, first-responsible partner, reasons.

No Django imports here: Django code (front door, API) calls this package, never the reverse.

    >>> from werkcentrum.triage import Situation, default_rules, triage
    >>> decision = triage(Situation(asker="resident", municipality="GM0173",
    ...                             question="Ik heb schulden"), default_rules())
    >>> decision.partner_kind, decision.service_level
    ('debt_support', 'specialist')
"""

from .engine import (
    ASKER_LABELS,
    ASKER_TYPES,
    BENEFIT_LABELS,
    BENEFIT_LABELS_EN,
    PARTNER_KIND_LABELS,
    PARTNER_KIND_LABELS_EN,
    ROUTED_PARTNER_KINDS,
    SERVICE_LEVEL_LABELS,
    SERVICE_LEVEL_LABELS_EN,
    SERVICE_LEVELS,
    WORK_STATUS_LABELS,
    WORK_STATUS_LABELS_EN,
    WORK_STATUSES,
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
from .topics import (
    BENEFITS,
    TOPIC_LABELS,
    TOPIC_LABELS_EN,
    TOPICS,
    extract_topics,
    infer_benefit,
    topic_matches,
)

__all__ = [
    "ASKER_LABELS",
    "ASKER_TYPES",
    "BENEFITS",
    "BENEFIT_LABELS",
    "BENEFIT_LABELS_EN",
    "PARTNER_KIND_LABELS",
    "PARTNER_KIND_LABELS_EN",
    "ROUTED_PARTNER_KINDS",
    "SERVICE_LEVELS",
    "SERVICE_LEVEL_LABELS",
    "SERVICE_LEVEL_LABELS_EN",
    "TOPICS",
    "TOPIC_LABELS",
    "TOPIC_LABELS_EN",
    "WORK_STATUSES",
    "WORK_STATUS_LABELS",
    "WORK_STATUS_LABELS_EN",
    "Decision",
    "Rule",
    "RuleError",
    "RuleSet",
    "Situation",
    "SituationError",
    "default_rules",
    "extract_topics",
    "infer_benefit",
    "load_rules_toml",
    "parse_situation",
    "topic_matches",
    "triage",
]
