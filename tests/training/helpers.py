"""Builders for training-file text and Training rows used across the training tests."""

import json

from werkcentrum.regions.models import Municipality
from werkcentrum.training.models import Training

ENTRY = {
    "key": "timmerman-bbl",
    "title": "Timmerman (mbo 2, BBL)",
    "provider": "ROC van Twente",
    "description": "Je leert kozijnen maken en plaatsen.",
    "level": "mbo2",
    "sector": "construction",
    "isco_groups": ["7115"],
    "learning_form": "bbl",
    "duration_weeks": 104,
    "hours_per_week": 32,
    "cost_eur": 600,
    "funding": ["employer", "training_fund"],
    "municipality": "GM0164",
    "url": "https://www.rocvantwente.nl",
}


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def entry(**changes):
    """ENTRY with changes; a change to None drops the key."""
    result = {**ENTRY, **changes}
    return {k: v for k, v in result.items() if v is not None}


def toml_text(*entries, region="twente", meta=True, schema_version=1):
    lines = [f"schema_version = {schema_version}", f'region = "{region}"', ""]
    if meta:
        lines += ["[meta]", 'note = "Illustrative demo data."', 'version = "test"', ""]
    for item in entries:
        lines.append("[[trainings]]")
        lines += [f"{key} = {_value(value)}" for key, value in item.items()]
        lines.append("")
    return "\n".join(lines)


def make_training(region, key, **extra):
    """A Training row with sensible defaults (for selector and view tests)."""
    municipality = extra.pop("place", "Hengelo")
    defaults = {
        "title": key.replace("-", " ").title(),
        "provider": "ROC van Twente",
        "description": "Een opleiding.",
        "level": "mbo2",
        "sector": "construction",
        "isco_groups": [],
        "learning_form": "bbl",
        "duration_weeks": 52,
        "cost_eur": 300,
        "funding": ["employer"],
        "municipality": Municipality.objects.get(name=municipality) if municipality else None,
    }
    defaults.update(extra)
    return Training.objects.create(region=region, key=key, **defaults)
