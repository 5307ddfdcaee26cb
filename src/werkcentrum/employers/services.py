"""Writes for employers: records, contact log and satisfaction surveys."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.outbox.services import queue_email
from werkcentrum.privacy.services import audit

from .kvk import is_valid_kvk, normalise_kvk
from .models import Employer, EmployerContact, NpsSurvey


def require_employer_services(user, region_id=None) -> None:
    require_staff(
        user,
        lambda u: u.is_employer_services,
        _("Only employer advisers and coordinators can do this."),
        region_id,
    )


@transaction.atomic
def create_employer(user, *, region, name: str, kvk_number: str, **fields) -> Employer:
    require_employer_services(user, region.id)
    kvk = normalise_kvk(kvk_number)
    if not is_valid_kvk(kvk):
        raise ServiceError(_("A KvK number has 8 digits."), field="kvk_number")
    if Employer.objects.filter(kvk_number=kvk).exists():
        raise ServiceError(
            _("An employer with this KvK number is already registered."), field="kvk_number"
        )
    if not (name or "").strip():
        raise ServiceError(_("Enter the company name."), field="name")
    fields.setdefault("account_holder", user)
    employer = Employer.objects.create(region=region, name=name.strip(), kvk_number=kvk, **fields)
    audit(user=user, action="employer_created", obj=employer)
    return employer


@transaction.atomic
def log_contact(
    employer: Employer,
    user,
    *,
    channel: str,
    subject: str,
    note: str = "",
    at=None,
    closes_question: bool = False,
    front_door_contact=None,
) -> EmployerContact:
    require_employer_services(user, employer.region_id)
    if not (subject or "").strip():
        raise ServiceError(_("Give the contact a subject."), field="subject")
    entry = EmployerContact.objects.create(
        employer=employer,
        user=user,
        channel=channel,
        subject=subject.strip(),
        note=(note or "").strip(),
        at=at or timezone.now(),
        front_door_contact=front_door_contact,
    )
    if closes_question:
        send_nps_survey(employer, NpsSurvey.Trigger.QUESTION_CLOSED, f"contact-{entry.pk}")
    return entry


def _survey_recipient(employer: Employer) -> str:
    person = employer.contact_persons.exclude(email="").first()
    return person.email if person else ""


def send_nps_survey(employer: Employer, trigger: str, trigger_ref: str) -> NpsSurvey | None:
    """One survey per closed question or placement (idempotent), to the first contact person."""
    recipient = _survey_recipient(employer)
    if not recipient:
        return None
    survey, created = NpsSurvey.objects.get_or_create(
        trigger=trigger,
        trigger_ref=trigger_ref,
        defaults={"employer": employer, "sent_to": recipient},
    )
    if created:
        link = settings.SITE_URL.rstrip("/") + reverse("employers:nps_answer", args=[survey.token])
        queue_email(
            "Hoe tevreden bent u over het Werkcentrum?",
            "Hoe waarschijnlijk is het dat u het Werkcentrum aanbeveelt aan een andere werkgever? "
            f"Geef een cijfer van 0 tot 10: {link}\n\nDank u wel!",
            [recipient],
            key=f"nps-survey:{survey.pk}",
        )
    return survey


@transaction.atomic
def answer_nps(token: str, score: int, comment: str = "") -> NpsSurvey:
    survey = NpsSurvey.objects.select_for_update().filter(token=token).first()
    if survey is None:
        raise ServiceError(_("This survey link is not valid."))
    if survey.answered_at is not None:
        raise ServiceError(_("You already answered this survey. Thank you!"))
    if not isinstance(score, int) or not 0 <= score <= 10:
        raise ServiceError(_("Choose a score from 0 to 10."), field="score")
    survey.score = score
    survey.comment = (comment or "").strip()[:2000]
    survey.answered_at = timezone.now()
    survey.save(update_fields=["score", "comment", "answered_at"])
    return survey


def nps(region, start: date, end: date) -> dict:
    """Net Promoter Score of the answers in [start, end): %promoters − %detractors."""
    answered = NpsSurvey.objects.filter(
        employer__region=region,
        answered_at__date__gte=start,
        answered_at__date__lt=end,
        score__isnull=False,
    ).aggregate(
        n=Count("id"),
        promoters=Count("id", filter=Q(score__gte=9)),
        detractors=Count("id", filter=Q(score__lte=6)),
    )
    n = answered["n"]
    score = round(100 * (answered["promoters"] - answered["detractors"]) / n) if n else None
    return {
        "responses": n,
        "promoters": answered["promoters"],
        "detractors": answered["detractors"],
        "nps": score,
    }
