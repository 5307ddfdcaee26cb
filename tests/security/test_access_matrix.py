"""The access matrix, generated from the URL configuration and the OpenAPI schema.

Every named URL pattern (walked recursively through ``get_resolver()``, the API router
included) and every operation of the OpenAPI schema must have an entry in ``access.py``; a new
one without an entry fails ``test_every_url_has_an_entry`` or
``test_every_api_operation_has_an_entry``. Then every page is fetched (and every action or form POSTed) as every role, and the
answer is compared with the entry: allowed roles get in (lists showing what they may see and
nothing else), refused roles get the login page, 401, 403 or 404, and a refused request writes
nothing to the database.
"""

from __future__ import annotations

import html
import re
from functools import cache
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from . import ADMINISTRATOR, ANONYMOUS, ROLES, call, world_fixture
from .access import ADMIN_ALLOW, API, URLS, Access

world = pytest.fixture(scope="module")(world_fixture)

# Tables a refused request may write to: none. (Sessions are not touched by a refusal.)
REFUSAL_MAY_WRITE: set[str] = set()
# What an allowed GET may write: logs only (GET is safe). The 2FA set-up page keeps the new,
# unconfirmed authenticator it shows as a QR code.
GET_MAY_WRITE = {
    "privacy_processinglogentry",
    "privacy_auditevent",
    "portal_portalsearch",
    "otp_totp_totpdevice",
}
DENIED = {401, 403, 404, 405}


@pytest.fixture(autouse=True)
def _no_second_factor_required(settings):
    """Authorisation, not two-factor login, is what is tested here (see tests/accounts)."""
    settings.WERKCENTRUM_REQUIRE_STAFF_2FA = False


# -- what the project has --------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern, namespace


@cache
def url_patterns() -> tuple:
    """(name, route, pattern, namespace) of every URL pattern, in resolution order."""
    return tuple(_walk(get_resolver()))


@cache
def schema_operations() -> dict:
    """operationId -> (method, path) of every operation in the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations[operation["operationId"]] = (method.upper(), path)
    return operations


def _shape(route: str) -> str:
    """A path with its parameters blanked: api/v1/contacts/<int:pk> ~ /api/v1/contacts/{id}."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", "/" + route.lstrip("/^").rstrip("$"))


def _admin(namespace) -> bool:
    return (namespace or "").split(":")[0] == "admin"


def test_every_url_has_an_entry():
    """A new page without an entry in access.URLS fails here (the API router's URLs are
    covered by the schema's operations, the admin's by the one admin rule)."""
    api_shapes = {_shape(path) for _method, path in schema_operations().values()}
    unnamed, names = [], set()
    for name, route, _pattern, namespace in url_patterns():
        if _admin(namespace):
            continue
        if not name:
            unnamed.append(route)
        elif not (name.startswith("api:") and _shape(route) in api_shapes):
            names.add(name)
    assert not unnamed, f"URL patterns without a name (give them one and an entry): {unnamed}"
    missing = sorted(names - set(URLS))
    extra = sorted(set(URLS) - names)
    assert not missing, f"URL names without an entry in tests/security/access.py: {missing}"
    assert not extra, f"entries in tests/security/access.py without a URL: {extra}"


def test_every_api_operation_has_an_entry():
    operations = schema_operations()
    missing = sorted(set(operations) - set(API))
    extra = sorted(set(API) - set(operations))
    assert not missing, f"API operations without an entry in tests/security/access.py: {missing}"
    assert not extra, f"entries in tests/security/access.py without an API operation: {extra}"
    for op_id, (method, path) in operations.items():
        assert API[op_id].method == method, f"{op_id} is {method} {path}"


# -- checking one answer ---------------------------------------------------------------------------


def _value(world, spec: str):
    name, _, attr = spec.partition(".")
    obj = world.objects[name]
    if attr:
        return getattr(obj, attr)
    return obj.pk if hasattr(obj, "pk") else obj


def _values(world, specs: dict, refs=False) -> dict:
    """kwargs are world objects; in a query or a body only "@name" is (the rest is literal)."""
    if refs:
        return {key: _value(world, spec) for key, spec in specs.items()}
    return {
        key: _value(world, spec[1:]) if isinstance(spec, str) and spec[:1] == "@" else spec
        for key, spec in specs.items()
    }


def _url(world, name: str, entry: Access) -> str:
    url = reverse(name, kwargs=_values(world, entry.kwargs, refs=True))
    if entry.query:
        url += "?" + urlencode(_values(world, entry.query))
    return url


def _is_login(outcome, login: str) -> bool:
    return outcome.status == 302 and outcome.location.startswith(reverse(login))


def _shown(mark: str, text: str) -> bool:
    return mark in text or html.escape(mark) in text


def check(world, entry: Access, role: str, method: str, url: str, outcome, problems: list):
    """Compare one answer with the entry; append what is wrong to ``problems``."""
    where = f"{role:>16} {method:4} {url}"
    kind, expected = entry.expected(role, method)
    got = outcome.status
    if method == "GET" and entry.method == "POST":  # GET to an action: never performs it
        if role in entry.posted_by:
            expected, kind = entry.get_ok, "allow"
        elif got in (403, 405):  # refused by role, or by method first (anonymous too)
            expected = got
    if kind == "deny":
        if expected == "login":
            if not _is_login(outcome, entry.login):
                problems.append(f"{where}: {got} {outcome.location}, expected login redirect")
        elif got != expected:
            problems.append(f"{where}: {got}, expected refusal {expected}")
        elif got == 401 and "WWW-Authenticate" not in outcome.response:
            problems.append(f"{where}: 401 without WWW-Authenticate")
        wrote = set(outcome.writes) - REFUSAL_MAY_WRITE
        if wrote:
            problems.append(f"{where}: refused, but wrote to {sorted(wrote)}")
        return
    if method == "POST":
        if got in DENIED or _is_login(outcome, entry.login or "accounts:login") or got >= 500:
            problems.append(f"{where}: {got} {outcome.location}, expected to get in")
        return
    if got != expected:
        problems.append(f"{where}: {got} {outcome.location}, expected {expected}")
        return
    if set(outcome.writes) - GET_MAY_WRITE:
        problems.append(f"{where}: a GET wrote to {sorted(set(outcome.writes) - GET_MAY_WRITE)}")
    if entry.shows.get(role) or entry.hides.get(role):
        text = outcome.text()
        for mark in entry.shows.get(role, ()):
            if not _shown(world.marks[mark], text):
                problems.append(f"{where}: does not show {mark} ({world.marks[mark]})")
        for mark in entry.hides.get(role, ()):
            if _shown(world.marks[mark], text):
                problems.append(f"{where}: shows {mark} ({world.marks[mark]}) — not theirs")


def run(world, entry: Access, url: str, *, json=False) -> list:
    problems: list[str] = []
    data = _values(world, entry.data)
    methods = ["GET", "POST"] if entry.checks_post else ["GET"]
    if json and entry.method == "POST":
        methods = ["POST"]
    for method in methods:
        for role in ROLES:
            outcome = call(world, role, method, url, data if method == "POST" else None, json=json)
            check(world, entry, role, method, url, outcome, problems)
    return problems


# -- pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(URLS))
def test_page(world, db, name):
    entry = URLS[name]
    problems = run(world, entry, _url(world, name, entry))
    assert not problems, "\n" + "\n".join(problems)


# -- API operations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("op_id", sorted(API))
def test_api_operation(world, db, op_id):
    entry = API[op_id]
    method, path = schema_operations()[op_id]
    url = path.format(**{k: _value(world, v) for k, v in entry.kwargs.items()})
    problems = run(world, entry, url, json=True)
    if method == "POST" and not any(
        m == "GET" and p == path for m, p in schema_operations().values()
    ):  # a GET to a POST-only path: 401 anonymous, 403 or 405 otherwise; never performed
        for role in ROLES:
            outcome = call(world, role, "GET", url)
            allowed = {401} if role == ANONYMOUS else {403, 405}
            if role in entry.allow:
                allowed = {405}
            if outcome.status not in allowed or outcome.writes:
                problems.append(f"{role:>16} GET  {url}: {outcome.status}, {outcome.writes}")
    assert not problems, "\n" + "\n".join(problems)


# -- the Django admin -------------------------------------------------------------------------------


def _admin_urls() -> list:
    """(name, url) of every named admin URL, kwargs filled in with existing objects."""
    urls = []
    for name, route, pattern, namespace in url_patterns():
        if not _admin(namespace) or not name:
            continue
        kwargs = {}
        keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        if "app_label" in keys:
            assert isinstance(pattern.pattern, RegexPattern)
            kwargs["app_label"] = re.search(r"\(\?P<app_label>(\w+)", route).group(1)
        if "content_type_id" in keys:
            kwargs["content_type_id"] = ContentType.objects.get_for_model(
                apps.get_model("accounts", "user")
            ).pk
        if "id" in keys:  # a user's password
            kwargs["id"] = apps.get_model("accounts", "user").objects.order_by("pk").first().pk
        if "pk" in keys:  # a TOTP device's config and QR code
            kwargs["pk"] = apps.get_model("otp_totp", "totpdevice").objects.first().pk
        if "object_id" in keys:
            kwargs["object_id"] = "1"
            parts = name.split(":")[1].rsplit("_", 2)
            if len(parts) == 3 and "content_type_id" not in keys:
                model = apps.get_model(parts[0], parts[1])
                first = model._default_manager.order_by("pk").first()
                kwargs["object_id"] = str(first.pk) if first else "1"
        urls.append((name, reverse(name, kwargs=kwargs)))
    return sorted(urls)


ADMIN_SHARDS = 6  # the admin's URLs, in six tests (two workers share them)


@pytest.mark.parametrize("shard", range(ADMIN_SHARDS))
def test_admin_site_is_for_staff_administrators_only(world, db, shard):
    problems = []
    login = reverse("admin:login")
    for name, url in _admin_urls()[shard::ADMIN_SHARDS]:
        for role in ROLES:
            outcome = call(world, role, "GET", url)
            where = f"{role:>16} GET {url} ({name})"
            if name == "admin:login":  # the login page itself: anybody; staff go on
                expected = {302} if role in ADMIN_ALLOW else {200}
                if outcome.status not in expected:
                    problems.append(f"{where}: {outcome.status}")
                continue
            if role in ADMIN_ALLOW:
                if outcome.status >= 500 or outcome.location.startswith(login):
                    problems.append(f"{where}: {outcome.status} {outcome.location}")
                continue
            refused = outcome.status == 302 and (
                outcome.location.startswith(login)
                or (name == "admin:logout" and outcome.location == reverse("admin:index"))
            )
            if not refused or outcome.writes:
                problems.append(f"{where}: {outcome.status} {outcome.location} {outcome.writes}")
    assert not problems, "\n" + "\n".join(problems)


def test_the_administrator_of_the_world_is_staff(world, db):
    assert world.users[ADMINISTRATOR].is_staff
    assert not any(user.is_staff for role, user in world.users.items() if role != ADMINISTRATOR)
