"""The training fund's rules engine: the fund's rules (data) and one application's facts in, a
reasoned decision out.

Pure Python (no Django). The rules are data (``data/<region>.toml``, parsed and validated by
:func:`parse_rules`); :func:`assess` applies them:

* an LLO conversation held at most ``llo_valid_months`` before the application;
* MBO/HBO levels only (``levels``);
* one voucher per person per ``period_months``;
* an employer applying for an employee co-finances at least ``employer_min_share_percent``;
* the amount is the lowest of: the maximum for the sector (priority sectors have a higher
  one), the cost minus what others pay, the cost minus the own contribution
  (``own_contribution_percent`` of the cost, paid by the applicant or a co-financier), and the
  requested amount.

Reasons are codes with parameters (JSON-serialisable), so the decision can be stored and shown
in any language; ``werkcentrum.vouchers.reasons`` turns them into sentences.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from werkcentrum.training.loader import LEVELS, SECTORS

__all__ = [
    "APPLICANT_KINDS",
    "OTHER",
    "Decision",
    "Facts",
    "FundRules",
    "Reason",
    "RulesError",
    "add_months",
    "assess",
    "parse_rules",
    "parse_rules_file",
]

SCHEMA_VERSION = 1
OTHER = "other"  # the budget line shared by every sector without a line of its own
APPLICANT_KINDS = ("resident", "employer")
MAX_AMOUNT = 1_000_000

_TOP_KEYS = {
    "schema_version",
    "region",
    "name",
    "version",
    "llo_valid_months",
    "period_months",
    "levels",
    "own_contribution_percent",
    "employer_min_share_percent",
    "sectors",
    "maximum",
    "budget",
    "warnings",
    "targets",
}


class RulesError(ValueError):
    """The rules file is not valid; the message names the key and what is wrong."""


@dataclass(frozen=True)
class FundRules:
    region: str
    name: str
    version: str
    llo_valid_months: int
    period_months: int
    levels: tuple[str, ...]
    own_contribution_percent: int
    employer_min_share_percent: int
    priority_sectors: tuple[str, ...]
    max_priority: int
    max_other: int
    budgets: Mapping[str, Mapping[str, int]]  # "default" or "2027" -> budget line -> euros
    warning_percent: int = 10
    targets: Mapping[str, int] = field(default_factory=dict)

    def is_priority(self, sector: str) -> bool:
        return sector in self.priority_sectors

    def maximum_for(self, sector: str) -> int:
        return self.max_priority if self.is_priority(sector) else self.max_other

    def budget_lines(self, year: int) -> dict[str, int]:
        """Budget line -> euros for ``year`` (the year's own figures, else the default)."""
        return dict(self.budgets.get(str(year), self.budgets["default"]))

    def budget_sector(self, sector: str) -> str:
        """The budget line a sector's vouchers are paid from: its own, else ``other``."""
        return sector if sector in self.budgets["default"] and sector != OTHER else OTHER


@dataclass(frozen=True)
class Facts:
    """What the rules look at. Amounts in whole euros; ``requested`` None = as much as allowed."""

    applicant: str
    sector: str
    level: str
    cost: int
    cofinancing: int = 0
    requested: int | None = None
    on: date = field(default_factory=date.today)
    llo_on: date | None = None
    previous_grants: tuple[date, ...] = ()


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    refusal: bool = False

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params), "refusal": self.refusal}


@dataclass(frozen=True)
class Decision:
    approved: bool
    amount: int  # granted by the fund; 0 when refused
    own_contribution: int  # what is left for the applicant: cost - cofinancing - amount
    maximum: int
    budget_sector: str
    reasons: tuple[Reason, ...]

    @property
    def refusals(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.refusal)

    def as_dict(self) -> dict:
        return {
            "approved": self.approved,
            "amount": self.amount,
            "own_contribution": self.own_contribution,
            "maximum": self.maximum,
            "budget_sector": self.budget_sector,
            "reasons": [r.as_dict() for r in self.reasons],
        }


# -- dates ---------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def _percent_of(amount: int, percent: int) -> int:
    """``percent`` of ``amount``, rounded up to a whole euro."""
    return -((-amount * percent) // 100)


# -- the engine ---------------------------------------------------------------------------------


def assess(rules: FundRules, facts: Facts) -> Decision:
    """The fund's reasoned proposal for one application (see the module docstring)."""
    reasons: list[Reason] = []

    def refuse(code: str, **params) -> None:
        reasons.append(Reason(code, params, refusal=True))

    def note(code: str, **params) -> None:
        reasons.append(Reason(code, params))

    cost, cofinancing = max(0, facts.cost), max(0, facts.cofinancing)
    priority = rules.is_priority(facts.sector)
    maximum = rules.maximum_for(facts.sector)

    # An LLO conversation first, and a recent one.
    if facts.llo_on is None or facts.llo_on > facts.on:
        refuse("llo_missing")
    elif add_months(facts.llo_on, rules.llo_valid_months) < facts.on:
        refuse("llo_expired", llo_on=facts.llo_on.isoformat(), months=rules.llo_valid_months)
    else:
        note("llo_held", llo_on=facts.llo_on.isoformat())

    if facts.level in rules.levels:
        note("level_covered", level=facts.level)
    else:
        refuse("level_not_covered", level=facts.level)

    # Once per period per person.
    earlier = sorted(d for d in facts.previous_grants if d <= facts.on)
    if earlier and facts.on < add_months(earlier[-1], rules.period_months):
        refuse(
            "period",
            previous=earlier[-1].isoformat(),
            months=rules.period_months,
            next_possible=add_months(earlier[-1], rules.period_months).isoformat(),
        )
    else:
        note("first_in_period", months=rules.period_months)

    if cost <= 0:
        refuse("no_cost")
    elif cofinancing > cost:
        refuse("cofinancing_exceeds_cost", cost=cost, cofinancing=cofinancing)

    if facts.applicant == "employer" and cost > 0:
        share = _percent_of(cost, rules.employer_min_share_percent)
        if cofinancing < share:
            refuse(
                "employer_share_too_low",
                percent=rules.employer_min_share_percent,
                required=share,
                cofinancing=cofinancing,
            )
        else:
            note(
                "employer_share", percent=rules.employer_min_share_percent, cofinancing=cofinancing
            )

    note("priority_sector" if priority else "other_sector", sector=facts.sector, maximum=maximum)
    budget_sector = rules.budget_sector(facts.sector)

    def refused() -> Decision:
        own = max(0, cost - cofinancing)
        return Decision(False, 0, own, maximum, budget_sector, tuple(reasons))

    if any(r.refusal for r in reasons):
        return refused()

    required_own = _percent_of(cost, rules.own_contribution_percent)
    room = cost - max(cofinancing, required_own)
    amount = min(maximum, room)
    if amount == maximum and room > maximum:
        note("capped_at_maximum", maximum=maximum)
    if cofinancing < required_own:
        note(
            "own_contribution",
            percent=rules.own_contribution_percent,
            required=required_own,
        )
    if facts.requested is not None and facts.requested < amount:
        amount = facts.requested
        note("as_requested", requested=facts.requested)
    if amount <= 0:
        refuse("nothing_left", cost=cost, cofinancing=cofinancing)
        return refused()
    own = cost - cofinancing - amount
    note("granted", amount=amount, own_contribution=own)
    return Decision(True, amount, own, maximum, budget_sector, tuple(reasons))


# -- parsing -------------------------------------------------------------------------------------


def _int(data: Mapping, key: str, low: int, high: int, where: str = "") -> int:
    name = f"{where}{key}"
    if key not in data:
        raise RulesError(f"{name}: missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(f"{name}: must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise RulesError(f"{name}: must be between {low} and {high}, not {value}")
    return value


def _codes(values: Any, allowed: Iterable[str], name: str) -> tuple[str, ...]:
    allowed = tuple(allowed)
    if not isinstance(values, list) or not values:
        raise RulesError(f"{name}: must be a non-empty list")
    for value in values:
        if value not in allowed:
            raise RulesError(f"{name}: unknown code {value!r} (known: {', '.join(allowed)})")
    if len(set(values)) != len(values):
        raise RulesError(f"{name}: a code occurs twice")
    return tuple(values)


def _budget_table(table: Any, name: str) -> dict[str, int]:
    if not isinstance(table, dict) or not table:
        raise RulesError(f"{name}: must be a table of budget line = euros")
    lines = {}
    for key in table:
        if key != OTHER and key not in SECTORS:
            raise RulesError(f"{name}.{key}: unknown budget line (a sector or {OTHER!r})")
        lines[key] = _int(table, key, 0, 100_000_000, f"{name}.")
    return lines


def parse_rules(data: Mapping[str, Any], source: str = "rules") -> FundRules:
    """Validate a parsed rules file; raise :class:`RulesError` at the first problem."""
    try:
        return _parse(data)
    except RulesError as exc:
        raise RulesError(f"{source}: {exc}") from None


def _parse(data: Mapping[str, Any]) -> FundRules:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise RulesError(f"unknown key(s): {', '.join(sorted(unknown))}")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise RulesError(f"schema_version: must be {SCHEMA_VERSION}")
    for key in ("region", "name", "version"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise RulesError(f"{key}: must be a non-empty text")
    sectors = data.get("sectors") or {}
    priority = _codes(sectors.get("priority"), SECTORS, "sectors.priority")
    maximum = data.get("maximum") or {}
    max_priority = _int(maximum, "priority", 1, MAX_AMOUNT, "maximum.")
    max_other = _int(maximum, "other", 1, MAX_AMOUNT, "maximum.")
    if max_other > max_priority:
        raise RulesError("maximum.other: must not be higher than maximum.priority")
    budget = data.get("budget")
    if not isinstance(budget, dict) or "default" not in budget:
        raise RulesError("budget.default: missing")
    budgets = {}
    for key, table in budget.items():
        if key != "default" and not (key.isdigit() and len(key) == 4):
            raise RulesError(f"budget.{key}: must be 'default' or a year like 2027")
        budgets[key] = _budget_table(table, f"budget.{key}")
    default_lines = set(budgets["default"])
    if OTHER not in default_lines:
        raise RulesError(f"budget.default.{OTHER}: missing (the line for all other sectors)")
    for key, lines in budgets.items():
        if set(lines) != default_lines:
            raise RulesError(f"budget.{key}: must have the same lines as budget.default")
    warnings = data.get("warnings") or {"available_percent": 10}
    targets = data.get("targets") or {}
    return FundRules(
        region=data["region"],
        name=data["name"],
        version=data["version"],
        llo_valid_months=_int(data, "llo_valid_months", 1, 120),
        period_months=_int(data, "period_months", 1, 240),
        levels=_codes(data.get("levels"), LEVELS, "levels"),
        own_contribution_percent=_int(data, "own_contribution_percent", 0, 99),
        employer_min_share_percent=_int(data, "employer_min_share_percent", 0, 100),
        priority_sectors=priority,
        max_priority=max_priority,
        max_other=max_other,
        budgets=budgets,
        warning_percent=_int(warnings, "available_percent", 0, 100, "warnings."),
        targets={key: _int(targets, key, 0, 1_000_000, "targets.") for key in targets},
    )


def parse_rules_file(path: Path) -> FundRules:
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{Path(path).name}: {exc}") from None
    return parse_rules(data, Path(path).name)
