"""The database cannot be reached: a clear 503 page (never a stack trace), one retry for reads,
never a retry for writes (config/dbfaults.py).

The outage is simulated on the test's own connection with ``connection.execute_wrapper``: every
query (or only the first ones) raises ``OperationalError`` or ``InterfaceError`` as the driver
does when the server is gone, before anything reaches the database.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from werkcentrum.config import dbfaults
from werkcentrum.frontdoor.models import Contact

pytestmark = pytest.mark.django_db

DUTCH = "Even niet bereikbaar"
ENGLISH = "Temporarily unavailable"
ERRORS = [
    OperationalError("server closed the connection unexpectedly"),
    InterfaceError("connection already closed"),
]


@pytest.fixture(autouse=True)
def no_retry_delay(monkeypatch):
    monkeypatch.setattr(dbfaults, "RETRY_DELAY", 0)


class Outage:
    """Fails the first ``failures`` queries (all of them with None); counts the failures."""

    def __init__(self, error: Exception, failures: int | None = None):
        self.error, self.failures, self.raised, self.passed = error, failures, 0, 0

    def __call__(self, execute, sql, params, many, context):
        if self.failures is None or self.raised < self.failures:
            self.raised += 1
            raise type(self.error)(*self.error.args)
        self.passed += 1
        return execute(sql, params, many, context)


def _request(client, method, url, outage, **kwargs):
    with connection.execute_wrapper(outage):
        return getattr(client, method)(url, **kwargs)


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(dbfaults.RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response
    text = response.content.decode()
    assert DUTCH in text and ENGLISH in text
    for leak in ("Traceback", "OperationalError", "InterfaceError", 'File "', "SELECT"):
        assert leak not in text


@pytest.mark.parametrize("error", ERRORS, ids=["operational", "interface"])
def test_a_read_fails_over_to_one_retry_and_succeeds(client, twente, error):
    outage = Outage(error, failures=1)
    response = _request(client, "get", reverse("frontdoor:walk_in_points"), outage)
    assert response.status_code == 200
    assert outage.raised == 1 and outage.passed > 0  # the first try failed, the retry worked
    assert DUTCH not in response.content.decode()


@pytest.mark.parametrize("error", ERRORS, ids=["operational", "interface"])
def test_a_read_gets_the_friendly_page_after_one_retry(client, twente, error):
    outage = Outage(error)
    response = _request(client, "get", reverse("frontdoor:walk_in_points"), outage)
    assert_friendly_503(response)
    assert outage.raised == 2  # the request and exactly one retry; no loop


def test_head_is_retried_like_get(client, twente):
    outage = Outage(ERRORS[0], failures=1)
    response = _request(client, "head", reverse("frontdoor:walk_in_points"), outage)
    assert response.status_code == 200 and outage.raised == 1


QUESTION = {
    "asker_type": "resident",
    "question": "Ik zoek werk in de zorg.",
    "municipality": "",
    "reply_by": "none",
}


@pytest.mark.parametrize("failures", [1, None], ids=["fails-once", "fails-always"])
def test_a_post_is_never_retried(client, twente, failures):
    """Even when a second try would work, a form is not sent twice behind the person's back."""
    outage = Outage(ERRORS[0], failures=failures)
    response = _request(client, "post", reverse("frontdoor:ask"), outage, data=QUESTION)
    assert_friendly_503(response)
    assert outage.raised == 1 and outage.passed == 0
    assert not Contact.objects.exists()
    assert "formulier" in response.content.decode()  # tells them to check before resending


def test_a_logged_in_page_is_retried(client, guide):
    """The first query (the session) fails; the retry loads the session and the user again."""
    client.force_login(guide)
    outage = Outage(ERRORS[0], failures=1)
    response = _request(client, "get", reverse("frontdoor:guide_queue"), outage)
    assert response.status_code == 200 and outage.raised == 1
    assert guide.get_full_name() in response.content.decode()


def test_a_logged_in_page_gets_the_friendly_page(client, guide):
    client.force_login(guide)
    outage = Outage(ERRORS[0])
    response = _request(client, "get", reverse("frontdoor:guide_queue"), outage)
    assert_friendly_503(response)
    assert outage.raised == 2


def test_the_api_answers_problem_json(client, guide):
    token = Token.objects.create(user=guide)
    outage = Outage(ERRORS[0])
    response = _request(
        client, "get", "/api/v1/contacts", outage, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Service unavailable" and outage.raised == 2
    assert "Traceback" not in response.content.decode()


def test_an_api_read_is_retried(client, guide):
    token = Token.objects.create(user=guide)
    outage = Outage(ERRORS[0], failures=1)
    response = _request(
        client, "get", "/api/v1/contacts", outage, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200 and outage.raised == 1


# -- the error comes from a middleware (session, user), not from the view -----------------------


class FlakyMiddleware:
    """Stands for the session or authentication middleware losing the database."""

    failures = 0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if FlakyMiddleware.failures:
            FlakyMiddleware.failures -= 1
            raise OperationalError("could not connect to server: Connection refused")
        return self.get_response(request)


def _with_flaky_middleware():
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        ("tests.faults.test_db_unavailable.FlakyMiddleware"),
    )
    return override_settings(MIDDLEWARE=middleware)


@pytest.mark.parametrize(
    ("method", "failures", "status", "left"),
    [("get", 1, 200, 0), ("get", 5, 503, 3), ("post", 1, 503, 0)],
)
def test_an_error_in_a_middleware_is_handled_too(twente, method, failures, status, left):
    # Django reports it as an uncaught exception; the test client must not re-raise it.
    client = Client(raise_request_exception=False)
    FlakyMiddleware.failures = failures
    with _with_flaky_middleware():
        response = getattr(client, method)(reverse("frontdoor:walk_in_points"))
    assert response.status_code == status
    assert FlakyMiddleware.failures == left  # GET: one retry; POST: none
    if status == 503:
        assert_friendly_503(response)


def test_other_errors_are_not_touched(client, twente, monkeypatch):
    """A programming error stays a 500 (the existing error page); it is not retried."""
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ValueError("a bug")

    monkeypatch.setattr("werkcentrum.frontdoor.views.render", broken)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("frontdoor:walk_in_points"))
    assert response.status_code == 500 and len(calls) == 1


# -- a real lost connection (PostgreSQL ends the backend, as on a restart or fail-over) ---------


def _terminate_own_backend() -> None:
    """End this connection's server process from a second connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_read_survives_a_real_lost_connection(client, twente):
    _terminate_own_backend()
    response = client.get(reverse("frontdoor:walk_in_points"))
    assert response.status_code == 200  # the retry opened a fresh connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_post_on_a_real_lost_connection_gets_the_page_and_the_next_request_works(client, twente):
    _terminate_own_backend()
    response = client.post(reverse("frontdoor:ask"), data=QUESTION)
    assert_friendly_503(response)
    assert not Contact.objects.exists()  # the broken connection was replaced after the 503
    assert client.get(reverse("frontdoor:walk_in_points")).status_code == 200
