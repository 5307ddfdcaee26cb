"""Sentences for the rules engine's reason codes (``rules.Reason``), in the active language."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from werkcentrum.employers.models import Chain
from werkcentrum.training.models import Level

TEXTS = {
    "llo_missing": _("There is no LLO conversation before this application."),
    "llo_expired": _(
        "The LLO conversation of %(llo_on)s is more than %(months)s months old: a new one is needed."
    ),
    "llo_held": _("LLO conversation held on %(llo_on)s."),
    "level_covered": _("%(level)s is a level the fund covers."),
    "level_not_covered": _("The fund covers MBO and HBO training only, not %(level)s."),
    "period": _(
        "A voucher was granted on %(previous)s: one voucher per %(months)s months, so the next "
        "is possible from %(next_possible)s."
    ),
    "first_in_period": _("No other voucher in the last %(months)s months."),
    "no_cost": _("The training costs nothing: there is nothing to fund."),
    "cofinancing_exceeds_cost": _(
        "The co-financing (%(cofinancing)s) is more than the cost (%(cost)s)."
    ),
    "employer_share_too_low": _(
        "An employer pays at least %(percent)s%% of the cost (%(required)s); the application "
        "has %(cofinancing)s."
    ),
    "employer_share": _("The employer pays %(cofinancing)s (at least %(percent)s%% is required)."),
    "priority_sector": _("%(sector)s is a priority sector: at most %(maximum)s."),
    "other_sector": _("%(sector)s is not a priority sector: at most %(maximum)s."),
    "capped_at_maximum": _("The amount is limited to the maximum of %(maximum)s."),
    "own_contribution": _(
        "An own contribution of at least %(percent)s%% of the cost (%(required)s) is paid by the "
        "applicant or a co-financier."
    ),
    "as_requested": _("The applicant asked for %(requested)s."),
    "nothing_left": _("After co-financing and own contribution nothing is left to fund."),
    "granted": _("Proposal: %(amount)s from the fund; own contribution %(own_contribution)s."),
}

MONEY_PARAMS = {
    "maximum",
    "required",
    "cofinancing",
    "cost",
    "requested",
    "amount",
    "own_contribution",
}
DATE_PARAMS = {"llo_on", "previous", "next_possible"}


def euro(value) -> str:
    """€ 2.500 (Dutch) / € 2,500 (English)."""
    if value is None or value == "":
        return "—"
    return "€ " + formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def _param(key: str, value):
    if key in MONEY_PARAMS:
        return euro(value)
    if key in DATE_PARAMS and value:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    if key == "sector":
        return str(dict(Chain.choices).get(value, value))
    if key == "level":
        return str(dict(Level.choices).get(value, value))
    return value


def describe(reason: dict) -> str:
    """One stored reason ({"code", "params", "refusal"}) as a sentence."""
    text = TEXTS.get(reason.get("code", ""))
    if text is None:
        return str(reason.get("code", ""))
    params = {k: _param(k, v) for k, v in (reason.get("params") or {}).items()}
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):
        return str(reason.get("code"))


def describe_all(reasons) -> list[dict]:
    """[{"text", "refusal"}] for a template."""
    return [{"text": describe(r), "refusal": bool(r.get("refusal"))} for r in reasons or []]
