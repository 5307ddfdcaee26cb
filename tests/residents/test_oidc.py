"""DigiD through an OIDC broker, end to end against a fake identity provider (fake_idp.py).

The Django test client plays the browser on our side; the fake provider is a real HTTP
server, so the token, userinfo and JWKS requests of mozilla-django-oidc really go over HTTP.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import authenticate
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.residents.fake_idp import VALID_BSN, FakeIdP
from werkcentrum.accounts.models import Role, User
from werkcentrum.frontdoor.models import Person
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.privacy.bsn import bsn_lookup_hash, decrypt_bsn
from werkcentrum.privacy.models import AuditEvent
from werkcentrum.residents.oidc import bsn_from_claims

pytestmark = pytest.mark.django_db

AUTHENTICATE = "/oidc/authenticate/"
CALLBACK = "/oidc/callback/"
INVALID_BSN = "111222334"  # fails the eleven-test


@pytest.fixture
def idp(settings, monkeypatch, twente):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeIdP() as provider:
        for name, value in provider.django_settings().items():
            setattr(settings, name, value)
        yield provider


def start(client, next_url: str | None = None) -> str:
    """Our /oidc/authenticate/ -> the provider's /authorize; returns the callback URL the
    provider sends the browser back to (path and query, for the test client)."""
    url = AUTHENTICATE + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def through_idp(authorize_url: str) -> str:
    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    callback = urlsplit(response.headers["Location"])
    assert (callback.scheme, callback.netloc, callback.path) == ("http", "testserver", CALLBACK)
    return f"{callback.path}?{callback.query}"


def log_in(client, next_url: str | None = None):
    return client.get(through_idp(start(client, next_url)))


def logged_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def assert_refused(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:login")
    assert logged_in_user(client) is None
    assert error_messages(response), "the resident should be told the log-in failed"
    assert not AuditEvent.objects.filter(action="login_digid").exists()


# -- the happy path -------------------------------------------------------------------------


def test_authenticate_redirects_to_the_provider_with_pkce_and_nonce(client, idp):
    location = start(client)
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == idp.authorization_endpoint
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["client_id"] == idp.client_id
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert query["response_type"] == "code" and query["scope"] == "openid"
    assert query["state"] and query["nonce"]
    assert query["code_challenge"] and query["code_challenge_method"] == "S256"


def test_digid_log_in_creates_a_resident_and_lands_on_the_portal(client, idp, twente):
    response = log_in(client)

    assert response.status_code == 302 and response["Location"] == "/mijn/"
    user = logged_in_user(client)
    assert user is not None and user.role == Role.RESIDENT
    person = user.person
    assert person.region == twente
    assert person.bsn_hash == bsn_lookup_hash(VALID_BSN)
    assert decrypt_bsn(person.bsn_encrypted) == VALID_BSN
    assert (person.first_name, person.last_name) == ("Jan", "Jansen")
    assert AuditEvent.objects.filter(action="login_digid", user=user).count() == 1
    # The code was redeemed with the client secret and the PKCE verifier.
    (token_request,) = idp.token_requests
    assert token_request["client_secret"] == idp.client_secret
    assert len(token_request["code_verifier"]) >= 43
    # Neither token is kept in the session (the ID token holds the BSN).
    assert "oidc_id_token" not in client.session and "oidc_access_token" not in client.session


def test_second_log_in_finds_the_same_person(client, idp):
    log_in(client)
    first = logged_in_user(client)
    client.logout()

    log_in(client)
    assert logged_in_user(client) == first
    assert Person.objects.filter(bsn_hash=bsn_lookup_hash(VALID_BSN)).count() == 1
    assert User.objects.filter(role=Role.RESIDENT).count() == 1
    assert AuditEvent.objects.filter(action="login_digid", user=first).count() == 2


def test_an_existing_person_with_that_bsn_is_linked(client, idp, twente):
    person = create_person(twente, first_name="Fatma", last_name="Yilmaz", bsn=VALID_BSN)

    log_in(client)
    user = logged_in_user(client)
    assert user.person == person
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Fatma", "Yilmaz")
    assert Person.objects.filter(bsn_hash=bsn_lookup_hash(VALID_BSN)).count() == 1


def test_a_person_with_that_bsn_in_another_region_is_not_used(client, idp, achterhoek):
    elsewhere = create_person(achterhoek, last_name="Elders", bsn=VALID_BSN)

    log_in(client)
    user = logged_in_user(client)
    assert user.person != elsewhere and user.person.region.code == "twente"


def test_the_region_can_be_configured(client, idp, settings, achterhoek):
    settings.OIDC_RESIDENT_REGION = "achterhoek"
    log_in(client)
    assert logged_in_user(client).person.region == achterhoek


def test_a_missing_configured_region_refuses_instead_of_guessing(client, idp, settings):
    settings.OIDC_RESIDENT_REGION = "atlantis"
    assert_refused(client, log_in(client))
    assert not Person.objects.filter(bsn_hash=bsn_lookup_hash(VALID_BSN)).exists()


@pytest.mark.parametrize("sub", [VALID_BSN, f"s00000000:{VALID_BSN}"])
def test_the_bsn_can_come_in_the_sub_claim(client, idp, settings, sub):
    settings.OIDC_BSN_CLAIM = "sub"
    idp.claims = {"sub": sub}

    log_in(client)
    user = logged_in_user(client)
    assert user.person.bsn_hash == bsn_lookup_hash(VALID_BSN)
    assert user.person.last_name == "(DigiD)"  # no names from this broker


def test_the_bsn_may_come_from_the_userinfo_endpoint_only(client, idp):
    idp.claims = {"sub": "abc"}
    idp.userinfo_claims = {"sub": "abc", "bsn": VALID_BSN, "family_name": "Jansen"}

    log_in(client)
    assert logged_in_user(client).person.bsn_hash == bsn_lookup_hash(VALID_BSN)


def test_an_unsafe_next_url_is_ignored(client, idp):
    response = log_in(client, next_url="https://evil.example/steal")
    assert response["Location"] == "/mijn/"


def test_a_safe_next_url_is_honoured(client, idp):
    response = log_in(client, next_url="/mijn/vragen/")
    assert response["Location"] == "/mijn/vragen/"


# -- refusals -------------------------------------------------------------------------------


def test_an_invalid_bsn_is_refused(client, idp):
    idp.claims = {**idp.claims, "bsn": INVALID_BSN}
    assert_refused(client, log_in(client))
    assert not Person.objects.filter(bsn_hash=bsn_lookup_hash(INVALID_BSN)).exists()
    assert not User.objects.filter(role=Role.RESIDENT).exists()


def test_a_missing_bsn_claim_is_refused(client, idp):
    idp.claims = {"sub": "someone", "given_name": "Jan", "family_name": "Jansen"}
    assert_refused(client, log_in(client))
    assert not User.objects.filter(role=Role.RESIDENT).exists()


def test_a_cancelled_digid_log_in_is_refused(client, idp):
    idp.deny = True
    assert_refused(client, log_in(client))


def test_a_wrong_nonce_is_refused(client, idp):
    idp.id_token_overrides = {"nonce": "forged-nonce"}
    assert_refused(client, log_in(client))


def test_a_missing_nonce_is_refused(client, idp):
    idp.id_token_overrides = {"nonce": None}
    assert_refused(client, log_in(client))


def test_a_wrong_state_is_refused(client, idp):
    callback = urlsplit(through_idp(start(client)))
    query = {k: v[0] for k, v in parse_qs(callback.query).items()}
    query["state"] = "forged-state"
    assert_refused(client, client.get(f"{CALLBACK}?{urlencode(query)}"))


def test_a_callback_without_a_started_log_in_is_refused(client, idp):
    assert_refused(client, client.get(f"{CALLBACK}?code=abc&state=def"))


def test_a_callback_cannot_be_replayed(client, idp):
    callback = through_idp(start(client))
    client.get(callback)
    user = logged_in_user(client)
    assert user is not None
    client.logout()
    assert_refused_again = client.get(callback)
    assert assert_refused_again.status_code == 302
    assert logged_in_user(client) is None


def test_a_token_for_another_client_is_refused(client, idp):
    idp.id_token_overrides = {"aud": "someone-else"}
    assert_refused(client, log_in(client))


def test_a_token_from_another_issuer_is_refused(client, idp):
    idp.id_token_overrides = {"iss": "https://evil.example"}
    assert_refused(client, log_in(client))


def test_an_expired_token_is_refused(client, idp):
    idp.id_token_overrides = {"exp": 1_000_000_000}
    assert_refused(client, log_in(client))


def test_a_token_signed_with_another_key_is_refused(client, idp):
    idp.sign_with_other_key = True
    assert_refused(client, log_in(client))


def test_a_rejected_code_exchange_is_refused(client, idp, settings):
    settings.OIDC_RP_CLIENT_SECRET = "wrong-secret"
    assert_refused(client, log_in(client))


def test_an_unreachable_provider_is_a_friendly_failure(client, idp, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:1/token"  # nothing listens there
    assert_refused(client, log_in(client))


def test_userinfo_about_someone_else_is_refused(client, idp):
    idp.userinfo_claims = {**idp.claims, "sub": "another-subject"}
    assert_refused(client, log_in(client))


def test_an_inactive_resident_is_not_logged_in(client, idp):
    log_in(client)
    user = logged_in_user(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("residents:login")
    assert logged_in_user(client) is None


def test_a_staff_user_with_the_same_email_is_never_logged_in(client, idp, guide):
    idp.claims = {**idp.claims, "email": guide.email, "email_verified": True}

    log_in(client)
    user = logged_in_user(client)
    assert user != guide
    assert user.role == Role.RESIDENT and user.email != guide.email
    assert not AuditEvent.objects.filter(action="login_digid", user=guide).exists()


def test_a_staff_session_is_replaced_not_elevated(client, idp, guide):
    client.force_login(guide)
    log_in(client)
    assert logged_in_user(client).role == Role.RESIDENT


def test_repeated_failures_are_throttled_like_password_log_ins(client, idp, guide):
    """Failed DigiD log-ins count for django-axes (empty username + IP address): after five,
    the lockout page instead of another round trip. Staff at that address are not affected."""
    good = dict(idp.claims)
    idp.claims = {"sub": "no-bsn"}
    for _ in range(5):
        log_in(client)
    idp.claims = good
    response = log_in(client)
    assert response.status_code == 429
    assert logged_in_user(client) is None
    response = client.post(reverse("accounts:login"), {"username": "guide", "password": PASSWORD})
    assert response.status_code == 302 and logged_in_user(client) == guide


def test_the_bsn_never_reaches_the_logs(client, idp, caplog):
    caplog.set_level(logging.DEBUG)
    log_in(client)
    client.logout()
    idp.claims = {**idp.claims, "bsn": INVALID_BSN}
    log_in(client)
    idp.claims = {"sub": VALID_BSN}  # a BSN in the wrong claim
    log_in(client)

    assert caplog.records, "the flow should have logged something to check"
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + str(record.exc_info or "")
        assert VALID_BSN not in text and INVALID_BSN not in text


# -- not configured -------------------------------------------------------------------------


def test_digid_is_off_by_default(settings):
    assert settings.WERKCENTRUM_DIGID_ENABLED is False


def test_without_configuration_the_oidc_urls_answer_404(client, twente):
    assert client.get(AUTHENTICATE).status_code == 404
    assert client.get(f"{CALLBACK}?code=abc&state=def").status_code == 404


def test_without_configuration_password_log_ins_still_work(guide):
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="guide", password=PASSWORD) == guide
    assert authenticate(request, username="guide", password="wrong") is None


def test_the_switch_alone_does_not_enable_an_unconfigured_provider(client, settings, twente):
    settings.WERKCENTRUM_DIGID_ENABLED = True
    assert client.get(AUTHENTICATE).status_code == 404


# -- the claim parser -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"bsn": VALID_BSN}, VALID_BSN),
        ({"bsn": int(VALID_BSN)}, VALID_BSN),
        ({"bsn": f"s00000000:{VALID_BSN}"}, VALID_BSN),
        ({"bsn": f" {VALID_BSN} "}, VALID_BSN),
        ({"bsn": INVALID_BSN}, None),
        ({"bsn": f"s00000001:{VALID_BSN}"}, None),  # another sector
        ({"bsn": "111-222-333"}, None),
        ({"bsn": ""}, None),
        ({"bsn": None}, None),
        ({"bsn": True}, None),
        ({"bsn": [VALID_BSN]}, None),
        ({}, None),
    ],
)
def test_bsn_from_claims(settings, claims, expected):
    settings.OIDC_BSN_CLAIM = "bsn"
    assert bsn_from_claims(claims) == expected
