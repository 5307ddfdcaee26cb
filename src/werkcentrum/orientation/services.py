"""Writes of the talent wall: sharing a result with a career adviser through the front door."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.core.errors import NotAllowed, ServiceError
from werkcentrum.frontdoor import services as frontdoor_services
from werkcentrum.frontdoor.models import AskerType, Channel
from werkcentrum.privacy.services import log_processing

from .models import TalentWallResult
from .talentwall import Profile, RankedArea

MAX_MESSAGE_LENGTH = 1000
# Pressing "share" twice within this time does not register a second question.
DUPLICATE_WINDOW_MINUTES = 60


def question_text(profile: Profile, ranked: list[RankedArea], types, message: str = "") -> str:
    """The question for the guide, always in Dutch (the guide queue's language)."""
    names = ", ".join(types[t].name_nl for t in profile.code)
    areas = "; ".join(f"{r.area.name_nl} ({r.fit})" for r in ranked) or "geen"
    text = (
        "Ik wil graag loopbaanadvies. "
        f"Mijn uitslag van de talentenmuur: {profile.code} ({names}); "
        f"passende gebieden: {areas}."
    )
    message = (message or "").strip()
    if message:
        text += f"\n\nMijn bericht: {message}"
    return text


def share_with_adviser(
    *, user, profile: Profile, ranked: list[RankedArea], types, message: str = ""
) -> tuple[TalentWallResult, bool]:
    """Store the result for the resident and register a question in the guide queue.

    Returns ``(result, created)``; ``created`` is False when the same result was shared in the
    last hour (no second question then).
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_resident", False)):
        raise NotAllowed(_("Only residents with an account can share their result."))
    person = user.person
    if person is None:
        raise NotAllowed(_("Only residents with an account can share their result."))
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ServiceError(
            _("Your message is too long (at most %(n)s characters).") % {"n": MAX_MESSAGE_LENGTH},
            field="message",
        )
    scores = profile.as_dict()
    areas = [{"code": r.area.code, "fit": r.fit} for r in ranked]
    with transaction.atomic():
        since = timezone.now() - timedelta(minutes=DUPLICATE_WINDOW_MINUTES)
        recent = (
            TalentWallResult.objects.select_for_update()
            .filter(person=person, code=profile.code, shared_at__gte=since)
            .order_by("-shared_at")
        )
        for earlier in recent:
            if earlier.scores == scores and earlier.areas == areas:
                return earlier, False
        result = TalentWallResult.objects.create(
            person=person, code=profile.code, scores=scores, areas=areas
        )
        contact = frontdoor_services.register_contact(
            region=person.region,
            channel=Channel.DIGITAL,
            asker_type=AskerType.RESIDENT,
            question=question_text(profile, ranked, types, message),
            municipality=person.municipality,
            person=person,
        )
        result.contact = contact
        result.shared_at = timezone.now()
        result.save(update_fields=["contact", "shared_at"])
        log_processing(actor=user, activity="self_service", operation="create", obj=result)
    return result, True
