"""Look-ups in the packaged ESCO occupation list (pure). This service uses the ESCO
classification of the European Commission."""

from __future__ import annotations

from functools import lru_cache

from .normalise import Occupation, load_occupations


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Occupation]:
    return {o.esco_id: o for o in load_occupations()}


def occupation(esco_id: str) -> Occupation | None:
    return _by_id().get(esco_id)


def esco_ids() -> frozenset[str]:
    return frozenset(_by_id())
