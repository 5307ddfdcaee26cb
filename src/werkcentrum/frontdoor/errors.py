"""Kept for the existing imports; the errors live in werkcentrum.core.errors (used by every app)."""

from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError

__all__ = ["Conflict", "NotAllowed", "ServiceError"]
