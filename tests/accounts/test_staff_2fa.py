"""Two-factor authentication required for staff (WERKCENTRUM_REQUIRE_STAFF_2FA, on in
production): a staff session without a second factor reaches only the set-up page."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_login import login, valid_code
from tests.conftest import PASSWORD, make_user
from werkcentrum.accounts.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]

QUEUE = reverse("frontdoor:guide_queue")
SETUP = reverse("accounts:two_factor")


@pytest.fixture
def required(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # texts checked in English
    with override_settings(WERKCENTRUM_REQUIRE_STAFF_2FA=True), translation.override("en"):
        yield


def test_staff_without_an_app_must_set_one_up_first(client, guide):
    assert login(client, "guide", PASSWORD).status_code == 302
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"] == SETUP
    api = client.get("/api/v1/contacts/")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    page = client.get(SETUP)
    assert page.status_code == 200 and "must use two-factor" in page.content.decode()
    device = TOTPDevice.objects.get(user=guide, confirmed=False)
    response = client.post(SETUP, {"token": valid_code(device)})
    assert response.status_code == 302
    assert client.get(QUEUE).status_code == 200  # verified now


def test_staff_with_an_app_log_in_with_the_code(client, guide):
    device = TOTPDevice.objects.create(user=guide, name="authenticator", confirmed=True)
    login(client, "guide", PASSWORD)
    client.post(reverse("accounts:login_otp"), {"token": valid_code(device)})
    assert client.get(QUEUE).status_code == 200


def test_an_unverified_session_of_a_user_with_an_app_is_ended(client, guide):
    TOTPDevice.objects.create(user=guide, name="authenticator", confirmed=True)
    client.force_login(guide)  # e.g. a session from before the setting was switched on
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "role",
    [
        Role.GUIDE,
        Role.COORDINATOR,
        Role.PARTNER_EMPLOYEE,
        Role.MANAGER,
        Role.ADMINISTRATOR,
        Role.EMPLOYER_ADVISER,
    ],
)
def test_every_staff_role_needs_it(client, twente, uwv, role):
    partner = uwv if role == Role.PARTNER_EMPLOYEE else None
    user = make_user(f"user-{role}", role, twente, partner=partner)
    client.force_login(user)
    assert client.get(reverse("frontdoor:workspace"))["Location"] == SETUP


def test_residents_and_employers_are_not_forced(client, twente):
    from tests.residents.conftest import make_resident

    client.force_login(make_resident(twente))
    assert client.get(reverse("residents:home")).status_code == 200


def test_the_language_switch_and_logout_stay_open(client, guide):
    client.force_login(guide)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_production_requires_it(monkeypatch):
    import importlib

    for name, value in {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "werkcentrum.example",
        "FIELD_ENCRYPTION_KEY": "k" * 44,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WERKCENTRUM_REQUIRE_STAFF_2FA", raising=False)
    production = importlib.import_module("werkcentrum.config.settings.production")
    production = importlib.reload(production)
    assert production.WERKCENTRUM_REQUIRE_STAFF_2FA is True
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000
