"""What a resident can do about their own data: ask, withdraw consent, ask for deletion,
log in by e-mail link. Every change is written to the processing log (activity
``self_service``) with the resident as actor."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.models import AskerType, Channel, Consent, Contact
from werkcentrum.privacy.services import audit, log_processing

from . import accounts
from .models import DeletionRequest, DeletionStatus

ACTIVITY = "self_service"


def _require_resident(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_resident):
        raise NotAllowed(_("Only residents can do this, for themselves."))


def _send(subject: str, template: str, context: dict, to: str) -> None:
    from werkcentrum.outbox.services import queue_email

    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    queue_email(subject, body, [to])


def send_login_link(email: str) -> bool:
    """E-mail a single-use login link when a resident account has this address. The caller
    shows the same message either way, so nobody learns whether an address has an account."""
    user = accounts.resident_by_email(email)
    if user is None:
        return False
    _send(
        _("Your login link for the Werkcentrum"),
        "residents/email/login_link.txt",
        {"user": user, "link": accounts.login_link(user)},
        user.email,
    )
    audit(user=user, action="resident_login_link_sent")
    return True


def register(region, *, first_name: str, last_name: str, email: str, municipality=None) -> None:
    """Create (or find) the account and e-mail the link that proves the address is theirs."""
    user, created = accounts.register_by_email(
        region,
        first_name=first_name,
        last_name=last_name,
        email=email,
        municipality=municipality,
    )
    if created:
        log_processing(actor=user, activity=ACTIVITY, operation="create", obj=user.person)
    send_login_link(user.email)


def set_password(user, password: str) -> None:
    _require_resident(user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password1") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(user=user, action="resident_password_set")


@transaction.atomic
def ask_question(user, *, question: str, municipality=None) -> Contact:
    """A question from the portal: a digital contact of the person, owned by the region's
    Werkcentrum until a guide picks it up — the same front door as every other channel."""
    _require_resident(user)
    person = user.person
    return frontdoor.register_contact(
        region=person.region,
        channel=Channel.DIGITAL,
        asker_type=AskerType.RESIDENT,
        question=question,
        municipality=municipality or person.municipality,
        person=person,
    )


@transaction.atomic
def withdraw_consent(user, consent_pk: int) -> Consent:
    _require_resident(user)
    consent = Consent.objects.filter(pk=consent_pk, person=user.person).first()
    if consent is None:
        raise NotAllowed(_("This consent is not yours."))
    if not consent.is_active:
        raise Conflict(_("This consent was already withdrawn or has expired."))
    return frontdoor.withdraw_consent(consent, user, _("Withdrawn by the person in the portal"))


def request_deletion(user, *, reason: str = "") -> DeletionRequest:
    _require_resident(user)
    try:
        with transaction.atomic():
            request = DeletionRequest.objects.create(
                person=user.person,
                reference=f"D{secrets.token_hex(4).upper()}",
                reason=(reason or "").strip()[:2000],
            )
            log_processing(actor=user, activity=ACTIVITY, operation="create", obj=request)
    except IntegrityError as exc:
        raise Conflict(_("You already asked for deletion; we are handling it.")) from exc
    audit(user=user, action="resident_deletion_requested", obj=request)
    return request


def log_export(user, kind: str) -> None:
    log_processing(actor=user, activity=ACTIVITY, operation="read", obj=user.person)
    audit(user=user, action="resident_export", detail={"format": kind})


def is_open(request: DeletionRequest | None) -> bool:
    return request is not None and request.status == DeletionStatus.OPEN
