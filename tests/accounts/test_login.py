"""Login: audit trail, throttling (django-axes) and the two-factor step (TOTP)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from werkcentrum.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def login(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_is_audited(client, guide):
    response = login(client, "guide", PASSWORD)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(guide.pk)
    event = AuditEvent.objects.get(action="login")
    assert event.user == guide and event.ip_address == "127.0.0.1"
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="logout", user=guide).exists()


def test_failed_login_is_audited_without_the_password(client, guide):
    response = login(client, "guide", "wrong-Secret-42")
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    event = AuditEvent.objects.get(action="login_failed")
    assert event.user is None
    assert event.detail == {"username": "guide"}
    assert "wrong-Secret-42" not in str(event.detail)
    assert not AuditEvent.objects.filter(action="login").exists()


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, guide, other_guide
):
    statuses = [login(client, "guide", "wrong").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4 and statuses[4] in (200, 429)
    response = login(client, "guide", PASSWORD)
    assert response.status_code == 429
    assert logged_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action="login", user=guide).exists()
    # The lock is for this username: a colleague at the same desk can still log in.
    assert login(client, "guide2", PASSWORD).status_code == 302


def test_four_failures_do_not_lock(client, guide):
    for _ in range(4):
        login(client, "guide", "wrong")
    assert login(client, "guide", PASSWORD).status_code == 302


def current_codes(device):
    return {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=d):06d}"
        for d in (device.drift - 1, device.drift, device.drift + 1)
    }


@pytest.fixture
def device(guide):
    return TOTPDevice.objects.create(user=guide, name="authenticator", confirmed=True)


def valid_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_user_with_a_device_must_pass_the_code_step(client, guide, device):
    response = login(client, "guide", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_otp")
    assert logged_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action="login").exists()
    # Not logged in yet: staff pages still send to the login page.
    assert client.get(reverse("frontdoor:guide_queue")).status_code == 302

    response = client.post(reverse("accounts:login_otp"), {"token": valid_code(device)})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(guide.pk)
    assert client.get(reverse("frontdoor:guide_queue")).status_code == 200
    assert AuditEvent.objects.filter(action="login", user=guide).exists()


def test_wrong_code_is_refused(client, guide, device):
    login(client, "guide", PASSWORD)
    wrong = next(
        code for code in ("000000", "000001", "999999") if code not in current_codes(device)
    )
    response = client.post(reverse("accounts:login_otp"), {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="otp_failed", user=guide).exists()
    response = client.post(reverse("accounts:login_otp"), {"token": "12ab56"})
    assert response.status_code == 200 and logged_in_user_id(client) is None
    assert client.get(reverse("frontdoor:guide_queue")).status_code == 302


def test_code_step_needs_the_password_step_first(client, guide, device):
    response = client.get(reverse("accounts:login_otp"))
    assert response.status_code == 302 and response["Location"] == reverse(LOGIN)
    client.post(reverse("accounts:login_otp"), {"token": valid_code(device)})
    assert logged_in_user_id(client) is None


def test_unconfirmed_device_does_not_ask_for_a_code(client, guide):
    TOTPDevice.objects.create(user=guide, name="authenticator", confirmed=False)
    response = login(client, "guide", PASSWORD)
    assert response.status_code == 302 and response["Location"] != reverse("accounts:login_otp")
    assert logged_in_user_id(client) == str(guide.pk)


def test_open_redirect_is_refused(client, guide):
    response = client.post(
        reverse(LOGIN) + "?next=https://evil.example/", {"username": "guide", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
