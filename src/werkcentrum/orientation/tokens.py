"""The shareable result link: the scores (never the answers) in a signed token."""

from __future__ import annotations

from django.core import signing

from .talentwall import TYPES, Profile

SALT = "werkcentrum.orientation.result"
VERSION = 1
MAX_TOKEN_LENGTH = 500


def dumps(profile: Profile) -> str:
    return signing.dumps({"v": VERSION, "s": list(profile.scores)}, salt=SALT, compress=True)


def loads(token: str) -> Profile | None:
    """The profile in a token, or None for anything tampered, truncated or malformed."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return None
    scores = data.get("s")
    if not isinstance(scores, list) or len(scores) != len(TYPES):
        return None
    try:
        return Profile.from_scores(scores)
    except ValueError:
        return None
