"""Login with optional (and for configured roles required) two-factor authentication."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkcentrum.privacy.services import audit

from .forms import LoginForm, TokenForm
from .models import User

PENDING_KEY = "werkcentrum_pending_2fa_user"


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path only: anything else would be taken for a URL pattern name by redirect().
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "frontdoor:workspace"


def login_view(request):
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if user_has_device(user, confirmed=True):
            request.session[PENDING_KEY] = user.pk
            request.session["werkcentrum_next"] = _next_url(request)
            return redirect("accounts:login_otp")
        login(request, user)
        return redirect(_next_url(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def login_otp_view(request):
    user_pk = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            next_url = request.session.pop("werkcentrum_next", "frontdoor:workspace")
            request.session.pop(PENDING_KEY, None)
            user.backend = "django.contrib.auth.backends.ModelBackend"
            login(request, user)
            otp_login(request, device)
            return redirect(next_url)
        audit(user=user, action="otp_failed", request=request)
        form.add_error("token", _("This code is not right. Try the current code."))
    return render(request, "accounts/login_otp.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("home")


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor_setup(request):
    """Add an authenticator app (TOTP). The device counts only after a correct code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None and not confirmed:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit(user=user, action="2fa_enabled", request=request)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:two_factor")
        form.add_error("token", _("This code is not right. Try the current code."))
    context = {"confirmed": confirmed, "form": form}
    if device is not None and not confirmed:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)
