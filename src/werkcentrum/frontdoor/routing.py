"""Triage inside the platform: the region's rules in force + the pure engine + partner lookup."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import werkcentrum.triage
from werkcentrum.regions.models import Municipality, Partner, PartnerKind, Region
from werkcentrum.regions.selectors import resolve_partner, werkcentrum_partner
from werkcentrum.triage import Decision, RuleSet, Situation, default_rules, triage

from .models import RoutingRuleSet

DEFAULT_RULES_FILE = Path(werkcentrum.triage.__file__).parent / "rules" / "default.toml"


@dataclass(frozen=True)
class Proposal:
    decision: Decision
    partner: Partner
    rules_version: int
    other_region: Region | None = None

    def to_dict(self) -> dict:
        data = self.decision.to_dict()
        data.update(
            partner_id=self.partner.code,
            partner_name=self.partner.name,
            partner_kind=self.partner.kind if self.other_region else self.decision.partner_kind,
            rules_version=self.rules_version,
        )
        if self.other_region:
            data["other_region"] = self.other_region.code
        return data


def rules_in_force(region: Region) -> tuple[RuleSet, int]:
    latest = RoutingRuleSet.objects.filter(region=region).order_by("-version").first()
    if latest is None:
        rules = default_rules()
        return rules, rules.version
    return RuleSet.from_dict(latest.rules), latest.version


def propose(region: Region, situation: Situation, municipality: Municipality | None) -> Proposal:
    """Decide level and first-responsible partner. A resident of another loaded region is
    routed to that region's Werkcentrum (no wrong door: we still say where to go)."""
    rules, version = rules_in_force(region)
    decision = triage(situation, rules)
    if municipality is not None and municipality.region_id != region.id:
        other = municipality.region
        reason = (
            f"{municipality.name} hoort bij arbeidsmarktregio {other.name}: "
            f"het Werkcentrum {other.name} is daar het eerste aanspreekpunt."
        )
        reason_en = (
            f"{municipality.name} belongs to the labour-market region {other.name}: "
            f"the Werkcentrum {other.name} is the first point of contact there."
        )
        decision = replace(
            decision,
            partner_kind=PartnerKind.WERKCENTRUM.value,
            desk="",
            rule_id="other_region",
            reasons=(reason, *decision.reasons),
            reasons_en=(reason_en, *decision.reasons_en),
        )
        return Proposal(decision, werkcentrum_partner(other), version, other_region=other)
    partner = resolve_partner(region, decision.partner_kind, decision.desk, municipality)
    return Proposal(decision, partner, version)
