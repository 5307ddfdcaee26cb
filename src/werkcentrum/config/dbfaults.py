"""When the database cannot be reached: a clear page, and one retry where that is safe.

``DatabaseUnavailableMiddleware`` sits near the top of ``MIDDLEWARE`` and watches for
``django.db.OperationalError`` and ``InterfaceError`` (connection refused or lost, server
restarting, a fail-over, a lock or statement timeout) anywhere below it: in a view, a template,
or another middleware (the session and the user are loaded and saved there).

* A safe request (GET, HEAD) is tried once more on a fresh connection: reading twice changes
  nothing, and a connection dropped by a restart or a fail-over usually works again at once.
* Any other request (POST, PUT, PATCH, DELETE) is never repeated automatically: it may have
  written something before the error, and only the person can decide to send it again.
* When the error stays, the answer is 503 with a ``Retry-After`` header and a short,
  bilingual page (problem+json under /api/), never a stack trace. The page does not use the
  database itself (no session, no user, no context processors).

The error is logged (type and message; the SQL and its parameters are not in it). With
``DEBUG`` on (development only) the retry still happens, but a lasting error shows Django's
technical page instead of the 503, for the developer.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .middleware import CSP

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = frozenset({"GET", "HEAD"})
RETRY_DELAY = 0.2  # seconds before the one retry: long enough for a reconnect, short for a person
RETRY_AFTER = 30  # seconds, for the Retry-After header of the 503
_FLAG = "_werkcentrum_database_error"


def is_database_error(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def _remember(request, exc: BaseException) -> None:
    setattr(request, _FLAG, exc)


def _on_request_exception(sender, request=None, **kwargs):
    """An exception outside the view (a middleware, the session) became a 500 response below
    us; note it when it was the database, so the middleware can retry or answer 503."""
    import sys

    exc = sys.exc_info()[1]
    if request is not None and is_database_error(exc):
        _remember(request, exc)


got_request_exception.connect(_on_request_exception, dispatch_uid="werkcentrum-dbfaults")


def reset_connections() -> None:
    """Drop broken connections so the next query opens a fresh one. A connection inside an
    atomic block is left alone (it belongs to a caller's transaction, e.g. a test)."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        conn.close_if_unusable_or_obsolete()


def unavailable_response(request) -> HttpResponse:
    """The 503 answer: problem+json for the API, otherwise the static bilingual page."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Service unavailable",
                "status": 503,
                "detail": "The database cannot be reached at the moment; try again shortly.",
            },
            status=503,
        )
        response["Content-Type"] = "application/problem+json"
    else:
        response = HttpResponse(
            render_to_string("errors/503.html"), status=503, content_type="text/html"
        )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, _FLAG, None)
        if error is None:
            return response
        if request.method in SAFE_METHODS:
            logger.warning(
                "database error on %s %s, trying once more: %s",
                request.method,
                request.path,
                _describe(error),
            )
            delattr(request, _FLAG)
            reset_connections()
            if RETRY_DELAY:
                time.sleep(RETRY_DELAY)
            response = self.get_response(request)
            error = getattr(request, _FLAG, None)
            if error is None:
                return response
        logger.error(
            "database unavailable on %s %s: %s",
            request.method,
            request.path,
            _describe(error),
            exc_info=error,
        )
        reset_connections()
        if settings.DEBUG and response.status_code == 500:
            return response  # a developer sees Django's technical page with the traceback
        return unavailable_response(request)

    def process_exception(self, request, exception):
        """A view (or its template) raised: note a database error and answer for it here, so
        the exception is not reported as a server error. ``__call__`` decides on the retry."""
        if not is_database_error(exception) or settings.DEBUG:
            return None  # with DEBUG the signal path retries too, then shows Django's page
        _remember(request, exception)
        return unavailable_response(request)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).strip()[:300]}"
