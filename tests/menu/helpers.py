"""Builders for menu-file text, engine services and Service rows used across the menu tests."""

import json
from dataclasses import dataclass, field
from datetime import date

from werkcentrum.menu.eligibility import Rules
from werkcentrum.menu.models import Service
from werkcentrum.regions.models import Partner

ENTRY = {
    "code": "jobcoach",
    "provider": "werkcentrum-twente-wsp",
    "name": "Jobcoach",
    "description": "Een jobcoach helpt je op de werkplek.",
    "topics": ["inclusive_hiring", "job_search"],
    "costs": "Gratis.",
    "how_to_apply": "Via het Werkgeversservicepunt.",
}


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def entry(**changes):
    """ENTRY with changes; a change to None drops the key."""
    result = {**ENTRY, **changes}
    return {k: v for k, v in result.items() if v is not None}


def toml_text(*entries, region="twente", meta=None, schema_version=1):
    meta = {"note": "Illustratieve demodata.", "version": "test"} if meta is None else meta
    lines = [f"schema_version = {schema_version}", f'region = "{region}"', ""]
    if meta is not False:
        lines.append("[meta]")
        lines += [f"{key} = {_value(value)}" for key, value in meta.items()]
        lines.append("")
    for item in entries:
        lines.append("[[services]]")
        lines += [f"{key} = {_value(value)}" for key, value in item.items()]
        lines.append("")
    return "\n".join(lines)


@dataclass
class FakeService:
    """What the pure engine needs of a service."""

    code: str
    rules: Rules = field(default_factory=Rules)
    topics: tuple = ()
    valid_from: date | None = None
    valid_until: date | None = None
    available: bool = True
    name: str = ""

    def __post_init__(self):
        self.name = self.name or self.code.title()


def make_service(region, code, provider="werkcentrum-twente-wsp", **extra):
    """A Service row with sensible defaults (for selector and view tests)."""
    defaults = {
        "name": code.replace("-", " ").title(),
        "description": "Een dienst.",
        "topics": ["job_search"],
        "costs": "Gratis.",
        "how_to_apply": "Vraag het aan bij een gids.",
    }
    defaults.update(extra)
    return Service.objects.create(
        region=region, code=code, provider=Partner.objects.get(code=provider), **defaults
    )
