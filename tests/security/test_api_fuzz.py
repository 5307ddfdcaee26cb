"""Schemathesis against the OpenAPI schema of /api/v1/: every operation, generated valid and
invalid requests, as a user who may use it, as one who may not, and without credentials.

The app is called in-process through its WSGI handler (schemathesis' WSGI transport), so the
request goes through the whole middleware stack, as in production. Checks: never a 5xx, the
status code is documented, the content type is the documented one, and the body matches the
documented schema. Bounded and derandomized: the same examples in every run (no shrinking: a
failure is reported with the example as found).

A new operation without a row in ``OPERATIONS`` fails ``test_every_operation_is_fuzzed``.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import contact, handover
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Consent, Contact, ContactEvent, Handover

SCHEMA_URL = "/api/v1/schema?format=json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = {"allowed": 20, "denied": 5, "anonymous": 5}

# (method, path): (a role that may use it, a role that may not); None = no credentials.
OPERATIONS = {
    ("GET", "/api/v1/contacts"): ("guide", "manager"),
    ("POST", "/api/v1/contacts"): ("guide", "uwv_employee"),
    ("GET", "/api/v1/contacts/{id}"): ("guide", "manager"),
    ("POST", "/api/v1/contacts/{id}/answer"): ("guide", "uwv_employee"),
    ("POST", "/api/v1/contacts/{id}/claim"): ("coordinator", "manager"),
    ("GET", "/api/v1/handovers"): ("uwv_employee", "manager"),
    ("POST", "/api/v1/handovers"): ("guide", "uwv_employee"),
    ("GET", "/api/v1/handovers/{id}"): ("uwv_employee", "manager"),
    ("POST", "/api/v1/handovers/{id}/accept"): ("uwv_employee", "guide"),
    ("POST", "/api/v1/handovers/{id}/return"): ("uwv_employee", "guide"),
    ("POST", "/api/v1/handovers/{id}/withdraw"): ("guide", "uwv_employee"),
    ("GET", "/api/v1/partners"): ("manager", None),
    ("GET", "/api/v1/partners/{code}"): ("manager", None),
    ("POST", "/api/v1/triage"): ("coordinator", None),
    ("GET", "/api/v1/walk-in-points"): (None, None),
    ("GET", "/api/v1/walk-in-points/{code}"): (None, None),
}


@contextlib.contextmanager
def connections_kept_open():
    """Like Django's test client: the test's transaction must survive the request signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def app():
    return get_wsgi_application()


@pytest.fixture(scope="module")
def schema(app, django_db_blocker):
    with django_db_blocker.unblock(), connections_kept_open():
        return schemathesis.openapi.from_wsgi(SCHEMA_URL, app)


@pytest.fixture
def world(twente, guide, coordinator, uwv, uwv_employee, manager):
    """Rows for path parameters and references: open, web-form (unowned), handed-over,
    accepted and answered contacts. Each test gets them afresh."""
    handed = contact(twente, guide)
    pending = handover(handed, guide, uwv)
    accepted = handover(contact(twente, guide), guide, uwv)
    services.accept_handover(accepted, uwv_employee)
    answered = contact(twente, guide, question="Waar vind ik vacatures?")
    services.answer_contact(answered, guide, "Verwezen naar werk.nl.")
    open_ = contact(twente, guide)
    web = [
        services.register_contact(
            region=twente, channel="digital", asker_type="resident", question="Ik zoek werk."
        )
        for _ in range(3)
    ]
    contacts = [handed.pk, accepted.contact_id, answered.pk, open_.pk, *(c.pk for c in web)]
    return {
        "users": {
            "guide": guide,
            "coordinator": coordinator,
            "uwv_employee": uwv_employee,
            "manager": manager,
        },
        "id": [*contacts, pending.pk, accepted.pk],
        "open": {"contacts": open_.pk, "handovers": pending.pk},
        "person_contact": [open_.pk, contact(twente, guide).pk, contact(twente, guide).pk],
        "categories": [["contact_details", "question"], ["contact_details", "question", "bsn"]],
        "code": ["uwv-twente", "oldenzaal-sociaal-plein", "enschede-werkplein", "twente"],
        "partner": ["uwv-twente", "gm0153-social_assistance", "werkcentrum-twente"],
        "municipality": ["Oldenzaal", "GM0153", "Hengelo", "Doetinchem"],
        "region": ["twente", "achterhoek"],
    }


# Body fields that only succeed with known values: half of the positive examples get known
# ones, so that the success answers (and their schemas) are exercised too, not only the 400s.
KNOWN_BODY_FIELDS = {
    ("POST", "/api/v1/contacts"): {"municipality": "municipality"},
    ("POST", "/api/v1/handovers"): {
        "contact": "person_contact",
        "partner": "partner",
        "categories": "categories",
    },
    ("POST", "/api/v1/triage"): {"municipality": "municipality", "region": "region"},
}


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def test_every_operation_is_fuzzed(schema):
    documented = {
        (result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()
    }
    assert documented == set(OPERATIONS)


# Every operation as the role that may use it, as one that may not, and without credentials
# (public operations and those open to every authenticated user have fewer).
CASES = [
    (operation, who, role)
    for operation, (allowed, denied) in sorted(OPERATIONS.items())
    for who, role in (("allowed", allowed), ("denied", denied), ("anonymous", None))
    if role is not None or who == "anonymous"
]


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
@pytest.mark.parametrize(
    ("operation", "who", "role"), CASES, ids=[f"{' '.join(op)} {who}" for op, who, _r in CASES]
)
def test_fuzz(schema, world, operation, who, role, mode):
    method, path = operation
    headers = {"Accept-Language": "en"}
    if role is not None:
        headers["Authorization"] = f"Token {_token(world['users'][role])}"
    api_operation = schema[path][method]
    parameter = next(iter(api_operation.path_parameters), None)
    known = world[parameter.name] if parameter is not None else []

    @settings(
        max_examples=MAX_EXAMPLES[who],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        fixed = None
        if known and mode == schemathesis.GenerationMode.POSITIVE:
            value = data.draw(st.sampled_from([*known, None]), label=parameter.name)
            fixed = None if value is None else {parameter.name: value}
        case = data.draw(api_operation.as_strategy(mode, path_parameters=fixed))
        known_fields = KNOWN_BODY_FIELDS.get(operation, {})
        if (
            known_fields
            and mode == schemathesis.GenerationMode.POSITIVE
            and isinstance(case.body, dict)
            and data.draw(st.booleans(), label="known values")
        ):
            for field, source in known_fields.items():
                case.body[field] = data.draw(st.sampled_from(world[source]), label=field)
        cache.clear()  # no throttling between examples
        with connections_kept_open():
            case.call_and_validate(headers=headers, checks=CHECKS)

    run()


# -- bodies the generator does not make --------------------------------------------------------

DEEP = 100_000
RAW_BODIES = {
    "malformed": ("application/json", b'{"question": "unterminated'),
    "invalid UTF-8": ("application/json", b'{"question": "\xff\xfe"}'),
    "UTF-16": ("application/json", '{"question": "x"}'.encode("utf-16")),
    "deep arrays": ("application/json", b"[" * DEEP + b"]" * DEEP),
    "deep objects": ("application/json", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    "lone surrogate": ("application/json", b'{"question": "\\ud800", "reason": "\\udfff"}'),
    "NUL": ("application/json", b'{"question": "a\\u0000b", "reason": "a\\u0000b"}'),
    "not an object": ("application/json", b'["question"]'),
    "NaN": ("application/json", b'{"age": NaN}'),
    "3 MB": ("application/json", b'{"question": "' + b"x" * 3_000_000 + b'"}'),
    "text": ("text/plain", b"question=x"),
    "form": ("application/x-www-form-urlencoded", b"question=x&reason=x"),
}


@pytest.mark.parametrize("body", RAW_BODIES)
@pytest.mark.parametrize(
    "operation",
    [
        key
        for key in sorted(OPERATIONS)
        if key[0] == "POST" and not key[1].endswith(("claim", "accept"))
    ],
    ids=" ".join,
)
def test_raw_bodies_get_a_documented_4xx_and_change_nothing(schema, world, operation, body):
    method, path = operation
    content_type, raw = RAW_BODIES[body]
    user = world["users"][OPERATIONS[operation][0]]
    api_operation = schema[path][method]
    resource = path.split("/")[3]
    case = api_operation.Case(
        path_parameters={"id": world["open"][resource]} if "{id}" in path else {}
    )
    models = (Contact, ContactEvent, Consent, Handover)
    before = [model.objects.count() for model in models]
    with connections_kept_open():
        response = case.call(
            headers={"Authorization": f"Token {_token(user)}", "Content-Type": content_type},
            data=raw,
        )
    case.validate_response(response, checks=CHECKS)
    expected = 415 if content_type != "application/json" else 400
    assert response.status_code == expected, response.text[:300]
    assert [model.objects.count() for model in models] == before


@pytest.mark.parametrize("path", ["/api/v1/walk-in-points", "/api/v1/walk-in-points/{code}"])
def test_throttled_anonymous_requests_get_a_documented_429(schema, world, monkeypatch, path):
    """The public operations are rate-limited per address: the 429 is in the schema too."""
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    cache.clear()
    case = schema[path]["GET"].Case(
        path_parameters={"code": "enschede-werkplein"} if "{code}" in path else {}
    )
    with connections_kept_open():
        first, second = case.call(), case.call()
    assert (first.status_code, second.status_code) == (200, 429)
    assert "retry-after" in second.headers  # lower-cased by the transport
    case.validate_response(second, checks=CHECKS)
    cache.clear()
