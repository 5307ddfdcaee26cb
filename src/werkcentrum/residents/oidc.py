"""DigiD for residents, through an OpenID Connect broker (mozilla-django-oidc).

DigiD itself speaks SAML; a Logius-approved broker (Signicat, Anoigo, ...) turns it into
OpenID Connect and hands us the BSN as a claim. This module only ever logs in *resident*
accounts: the account is found through the BSN (keyed hash, never the e-mail address), so a
staff account can never be reached this way. See docs/digid-oidc.md.

Never put the BSN in a log line or an exception message.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from werkcentrum.accounts.models import Role, User
from werkcentrum.frontdoor.models import Person
from werkcentrum.privacy.bsn import bsn_lookup_hash, is_valid_bsn, normalise_bsn
from werkcentrum.privacy.services import audit
from werkcentrum.regions.models import Region
from werkcentrum.residents.accounts import resident_for_bsn

logger = logging.getLogger(__name__)

#: Settings that must all be non-empty before DigiD is offered (see WERKCENTRUM_DIGID_ENABLED).
REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
#: DigiD's SAML NameID for a BSN is "s00000000:<bsn>"; some brokers pass it on unchanged.
BSN_SECTOR_PREFIX = "s00000000:"
DEFAULT_REGION_CODE = "twente"


def digid_enabled() -> bool:
    """True when the DigiD log-in is switched on and fully configured."""
    return bool(getattr(settings, "WERKCENTRUM_DIGID_ENABLED", False)) and all(
        getattr(settings, name, "") for name in REQUIRED_SETTINGS
    )


def bsn_from_claims(claims: dict) -> str | None:
    """The BSN in the configured claim (OIDC_BSN_CLAIM), normalised, or None when the claim
    is missing or is not a valid BSN."""
    raw = claims.get(getattr(settings, "OIDC_BSN_CLAIM", "") or "bsn")
    if raw is None or isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    value = str(raw).strip()
    if value.lower().startswith(BSN_SECTOR_PREFIX):
        value = value[len(BSN_SECTOR_PREFIX) :]
    if not (value.isascii() and value.isdigit()):
        return None
    value = normalise_bsn(value)
    return value if is_valid_bsn(value) else None


def resident_region() -> Region | None:
    """The region DigiD residents belong to: OIDC_RESIDENT_REGION when set (and then only
    that region), else the same choice as the public pages make (frontdoor ``_region_for``):
    WERKCENTRUM_DEFAULT_REGION, falling back to the first loaded region."""
    explicit = getattr(settings, "OIDC_RESIDENT_REGION", "")
    if explicit:
        return Region.objects.filter(code=explicit).first()
    code = getattr(settings, "WERKCENTRUM_DEFAULT_REGION", "") or DEFAULT_REGION_CODE
    return Region.objects.filter(code=code).first() or Region.objects.order_by("pk").first()


def _name_claim(claims: dict, name: str, max_length: int) -> str:
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


class ResidentOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates residents by the BSN a DigiD broker confirmed.

    Only active in the OIDC callback (with a nonce), only for resident accounts, and only
    when DigiD is configured. Permissions are left to ModelBackend.
    """

    # -- entry point ------------------------------------------------------------------------

    def authenticate(self, request, **kwargs):
        # Django offers every log-in (passwords too) to every backend: only the OIDC
        # callback passes a nonce, and we always use one.
        if request is None or not kwargs.get("nonce") or "password" in kwargs:
            return None
        if not digid_enabled():
            return None
        user = super().authenticate(request, **kwargs)
        if user is not None and user.is_active:
            audit(user=user, action="login_digid", request=request)
        return user

    def get_user(self, user_id):
        user = User.objects.filter(pk=user_id, role=Role.RESIDENT).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    # -- tokens -----------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (mozilla-django-oidc always passes the nonce)
            self._check_id_token(payload)
        return payload

    def _check_id_token(self, payload: dict) -> None:
        """What mozilla-django-oidc leaves out: audience, authorised party, issuer, expiry."""
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued to this client.")
        if (len(audiences) > 1 or "azp" in payload) and payload.get(
            "azp"
        ) != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token names another authorised party.")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if "exp" not in payload:  # PyJWT checks exp only when present
            raise SuspiciousOperation("The ID token has no expiry.")

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint (when configured):
        brokers differ in where they put the BSN."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(info, dict):
                raise SuspiciousOperation("The userinfo response is not an object.")
            if "sub" in info and "sub" in payload and info["sub"] != payload["sub"]:
                raise SuspiciousOperation("The userinfo response is about someone else.")
            claims.update(info)
        return claims

    # -- claims -> resident account ---------------------------------------------------------

    def describe_user_by_claims(self, claims):
        return "a DigiD resident"  # never the BSN

    def verify_claims(self, claims):
        if bsn_from_claims(claims) is None:
            logger.info("DigiD log-in refused: no valid BSN in the configured claim.")
            return False
        return True

    def _region(self) -> Region:
        region = resident_region()
        if region is None:
            logger.error("DigiD log-in impossible: the resident region is not loaded.")
            raise SuspiciousOperation("No region for DigiD residents.")
        return region

    def filter_users_by_claims(self, claims):
        """The resident account of the person with this BSN in the resident region — never
        a match by e-mail address."""
        bsn = bsn_from_claims(claims)
        if bsn is None:
            return User.objects.none()
        person = (
            Person.objects.filter(region=self._region(), bsn_hash=bsn_lookup_hash(bsn))
            .order_by("pk")
            .first()
        )
        if person is None:
            return User.objects.none()
        return User.objects.filter(person=person, role=Role.RESIDENT)

    def create_user(self, claims):
        bsn = bsn_from_claims(claims)
        if bsn is None:
            raise SuspiciousOperation("No valid BSN.")
        try:
            user = resident_for_bsn(
                self._region(),
                bsn=bsn,
                first_name=_name_claim(claims, "given_name", 100),
                last_name=_name_claim(claims, "family_name", 150),
            )
        except ValueError as exc:
            raise SuspiciousOperation("No valid BSN.") from exc
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if user.role != Role.RESIDENT or user.person_id is None:
            raise SuspiciousOperation("DigiD only logs in resident accounts.")
        return user

    # -- permissions: not this backend's business --------------------------------------------

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


class ResidentOIDCAuthenticationRequestView(OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: 404 when DigiD is not configured (nothing to offer)."""

    def get(self, request):
        if not digid_enabled():
            raise Http404("DigiD is not configured.")
        return super().get(request)


class ResidentOIDCCallbackView(OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: residents land on their portal (not on the staff
    LOGIN_REDIRECT_URL); every failure is a friendly message, never an error page."""

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")  # checked when stored
        return next_url or resolve_url(
            getattr(settings, "OIDC_RESIDENT_LOGIN_REDIRECT_URL", "/mijn/")
        )

    @property
    def failure_url(self):
        url = resolve_url(getattr(settings, "OIDC_RESIDENT_LOGIN_FAILURE_URL", "residents:login"))
        return url if "/" in url else "/"  # an unknown URL name comes back unchanged

    def login_failure(self):
        messages.error(
            self.request,
            _("Logging in with DigiD did not succeed. Please try again or log in another way."),
        )
        return HttpResponseRedirect(self.failure_url)

    def get(self, request):
        if not digid_enabled():
            raise Http404("DigiD is not configured.")
        try:
            return super().get(request)
        except (
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
            KeyError,
            ValueError,
        ) as exc:
            # The class name only: messages of these exceptions may quote the broker.
            logger.warning("DigiD log-in failed: %s", type(exc).__name__)
            return self.login_failure()
