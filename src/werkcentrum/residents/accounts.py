"""Resident accounts: one account per person record, reached by an e-mail link, a password
(with optional two-factor authentication) or DigiD through an OIDC broker.

Nobody sees a person's data without proving control of something that belongs to that
person: the e-mail address (a single-use link valid for 20 minutes) or the BSN (DigiD).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare

from werkcentrum.accounts.models import Role, User
from werkcentrum.frontdoor.models import Person
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.privacy.bsn import bsn_lookup_hash, is_valid_bsn, normalise_bsn

LOGIN_LINK_SALT = "werkcentrum.residents.login-link"
LOGIN_LINK_VALID_SECONDS = 20 * 60


def _fingerprint(user: User) -> str:
    """Changes when the user logs in or changes e-mail: a used link stops working."""
    seed = f"{user.pk}|{user.last_login}|{user.email}|{user.password}"
    return hashlib.sha256(seed.encode()).hexdigest()[:20]


def make_login_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=LOGIN_LINK_SALT)


def user_for_login_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=LOGIN_LINK_SALT, max_age=LOGIN_LINK_VALID_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), role=Role.RESIDENT, is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user


def login_link(user: User) -> str:
    from django.urls import reverse

    path = reverse("residents:login_link", args=[make_login_token(user)])
    return settings.SITE_URL.rstrip("/") + path


def resident_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return User.objects.filter(role=Role.RESIDENT, is_active=True, email__iexact=email).first()


def _new_account(person: Person, email: str) -> User:
    user = User(
        username=f"resident-{person.pk}",
        role=Role.RESIDENT,
        person=person,
        region=person.region,
        email=email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def register_by_email(
    region, *, first_name: str, last_name: str, email: str, municipality=None
) -> tuple[User, bool]:
    """The resident's account for this e-mail address, created if needed. Returns
    (user, created). An existing person record of the region with exactly this e-mail address
    and no account yet is linked, so the questions a guide registered become visible — but
    only after the resident has opened the link sent to that address."""
    email = email.strip().lower()
    existing = resident_by_email(email)
    if existing is not None:
        return existing, False
    candidates = list(
        Person.objects.filter(region=region, email__iexact=email, account__isnull=True)[:2]
    )
    person = candidates[0] if len(candidates) == 1 else None
    if person is None:
        person = create_person(
            region,
            first_name=first_name,
            last_name=last_name,
            email=email,
            municipality=municipality,
        )
    return _new_account(person, email), True


@transaction.atomic
def resident_for_bsn(region, *, bsn: str, first_name: str = "", last_name: str = "") -> User:
    """The resident behind a BSN confirmed by DigiD: the person with that BSN in the region
    (created when unknown) and its account (created when missing)."""
    value = normalise_bsn(bsn)
    if not is_valid_bsn(value):
        raise ValueError("The identity provider sent no valid BSN.")
    person = (
        Person.objects.select_for_update()
        .filter(region=region, bsn_hash=bsn_lookup_hash(value))
        .order_by("pk")
        .first()
    )
    if person is None:
        person = create_person(
            region, first_name=first_name, last_name=last_name or "(DigiD)", bsn=value
        )
    account = User.objects.filter(person=person).first()
    if account is None:
        account = _new_account(person, person.email)
    return account
