"""Two-factor authentication required for staff (``WERKCENTRUM_REQUIRE_STAFF_2FA``).

Staff — everyone but residents and employers in the portal — work with people's benefits,
debts and health. With the setting on (the default in production) a staff session that has not
been verified with a second factor reaches nothing but the set-up page, the code page, logout and
the language switch: without an authenticator app the user is sent to set one up; with one,
back to the login. API calls with a session get 403; API tokens (system integrations) are
authenticated by DRF itself and are not affected."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

OPEN_URL_NAMES = ("accounts:two_factor", "accounts:logout", "accounts:login", "accounts:login_otp")


def needs_second_factor(user) -> bool:
    return bool(
        settings.WERKCENTRUM_REQUIRE_STAFF_2FA
        and getattr(user, "is_authenticated", False)
        and user.is_staff_role
        and not user.is_verified()
    )


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not self._open(request.path):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith((settings.STATIC_URL or "/static/", "/i18n/")):
            return True
        return path in {reverse(name) for name in OPEN_URL_NAMES}

    @staticmethod
    def _refuse(request):
        message = _("Staff must use two-factor authentication. Set up an authenticator app first.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        if user_has_device(request.user, confirmed=True):
            logout(request)  # a session from before: log in again, with the code
            messages.info(request, _("Log in again with your code."))
            return redirect("accounts:login")
        messages.warning(request, message)
        return redirect("accounts:two_factor")
