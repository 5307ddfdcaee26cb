"""Errors that services raise; views and the API turn them into clear messages."""


class ServiceError(Exception):
    """A request the rules do not allow. ``message`` is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    status_code = 403


class Conflict(ServiceError):
    """Someone else changed the same thing first (e.g. a handover already accepted)."""

    status_code = 409
