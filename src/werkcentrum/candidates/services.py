"""Writes for candidate profiles, proposals and placements."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.employers.models import NpsSurvey
from werkcentrum.employers.services import require_employer_services, send_nps_survey
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.occupations import registry
from werkcentrum.privacy.services import audit, log_processing
from werkcentrum.vacancies.models import Vacancy, VacancySource, VacancyStatus

from .models import BenefitRegime, CandidateProfile, Placement, Proposal, ProposalStatus

PROPOSAL_TRANSITIONS = {
    ProposalStatus.SHORTLISTED: {ProposalStatus.PROPOSED, ProposalStatus.WITHDRAWN},
    ProposalStatus.PROPOSED: {
        ProposalStatus.INTERVIEW,
        ProposalStatus.REJECTED,
        ProposalStatus.HIRED,
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.INTERVIEW: {
        ProposalStatus.REJECTED,
        ProposalStatus.HIRED,
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.REJECTED: set(),
    ProposalStatus.HIRED: set(),
    ProposalStatus.WITHDRAWN: set(),
}


def _require_adviser(user, region_id) -> None:
    require_staff(
        user,
        lambda u: u.is_employer_services or u.is_front_office,
        _("Only advisers can work with candidate profiles."),
        region_id,
    )


def _occupations(esco_ids: list[str]) -> list[dict]:
    result = []
    for esco_id in esco_ids[:3]:
        occupation = registry.occupation(esco_id)
        if occupation is None:
            raise ServiceError(_("Unknown occupation."), field="occupations")
        result.append(
            {"esco_id": esco_id, "isco_group": occupation.isco_group, "label": occupation.label}
        )
    if not result:
        raise ServiceError(_("Choose at least one desired occupation."), field="occupations")
    return result


@transaction.atomic
def save_profile(
    user, *, person, occupations: list[str], consent: bool, **fields
) -> CandidateProfile:
    """Create or update a person's job-seeker profile. Matching needs the person's consent."""
    _require_adviser(user, person.region_id)
    if fields.get("benefit_regime") == BenefitRegime.BIJSTAND and not fields.get(
        "benefit_municipality"
    ):
        fields["benefit_municipality"] = fields.get("municipality") or person.municipality
    hours_min, hours_max = fields.get("hours_min", 16), fields.get("hours_max", 40)
    if hours_min > hours_max:
        raise ServiceError(
            _("The minimum hours cannot be more than the maximum."), field="hours_min"
        )
    profile = CandidateProfile.objects.select_for_update().filter(person=person).first()
    created = profile is None
    profile = profile or CandidateProfile(person=person, region=person.region, adviser=user)
    profile.occupations = _occupations(occupations)
    for name, value in fields.items():
        setattr(profile, name, value)
    now = timezone.now()
    if consent and not profile.has_consent:
        profile.consent_given_at, profile.consent_withdrawn_at, profile.consent_recorded_by = (
            now,
            None,
            user,
        )
    elif not consent and profile.has_consent:
        profile.consent_withdrawn_at = now
    profile.save()
    log_processing(
        actor=user,
        activity="candidate_profile",
        operation="create" if created else "update",
        obj=profile,
        persons=[person],
    )
    return profile


@transaction.atomic
def set_matching_consent(user, *, give: bool) -> CandidateProfile:
    """The resident turns matching with vacancies on or off for their own profile. Off stops
    matching at once (the index drops the profile on its next sync); proposals already made
    stay visible to the adviser but the employer sees no identity unless agreed."""
    if not user.is_resident:
        raise NotAllowed(_("Only the person can change this in My Werkcentrum."))
    profile = CandidateProfile.objects.select_for_update().filter(person_id=user.person_id).first()
    if profile is None:
        raise ServiceError(_("You have no job-seeker profile yet; ask your adviser."))
    now = timezone.now()
    if give and not profile.has_consent:
        profile.consent_given_at, profile.consent_withdrawn_at = now, None
        profile.consent_recorded_by = user
    elif not give and profile.has_consent:
        profile.consent_withdrawn_at = now
    else:
        return profile
    profile.save(
        update_fields=[
            "consent_given_at",
            "consent_withdrawn_at",
            "consent_recorded_by",
            "updated_at",
        ]
    )
    log_processing(
        actor=user,
        activity="candidate_profile",
        operation="update",
        obj=profile,
        persons=[profile.person],
    )
    return profile


def profile_for(user, pk: int, purpose: str = "") -> CandidateProfile:
    """One profile, for a user allowed to see it, with the read in the processing log."""
    profile = (
        CandidateProfile.objects.visible_to(user)
        .select_related("person", "municipality")
        .get(pk=pk)
    )
    log_processing(
        actor=user,
        activity="candidate_profile",
        operation="read",
        obj=profile,
        persons=[profile.person],
    )
    return profile


@transaction.atomic
def shortlist(user, *, vacancy: Vacancy, candidate: CandidateProfile, match: dict) -> Proposal:
    require_employer_services(user, vacancy.region_id)
    if not candidate.has_consent:
        raise ServiceError(_("This candidate has not given consent for matching."))
    proposal, created = Proposal.objects.get_or_create(
        vacancy=vacancy, candidate=candidate, defaults={"created_by": user, "match": match}
    )
    if not created and proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict(_("This candidate was withdrawn from this vacancy earlier."))
    log_processing(
        actor=user,
        activity="candidate_profile",
        operation="update",
        obj=proposal,
        persons=[candidate.person],
    )
    return proposal


@transaction.atomic
def move_proposal(user, proposal: Proposal, status: str, note: str = "") -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("vacancy").get(pk=proposal.pk)
    require_employer_services(user, proposal.vacancy.region_id)
    if status not in PROPOSAL_TRANSITIONS.get(proposal.status, set()):
        raise Conflict(
            _("This step is not possible from “%(status)s”.")
            % {"status": proposal.get_status_display()}
        )
    proposal.status = status
    if note:
        proposal.note = (proposal.note + "\n" + note).strip()
    proposal.save(update_fields=["status", "note", "updated_at"])
    if status == ProposalStatus.PROPOSED:
        _ask_candidate_about_identity(proposal)
    return proposal


def _ask_candidate_about_identity(proposal: Proposal) -> None:
    """Tell the candidate they were proposed and where to decide whether the employer may
    know who they are (My Werkcentrum, or by telling their adviser)."""
    from django.conf import settings
    from django.urls import reverse

    from werkcentrum.outbox.services import queue_email

    person = proposal.candidate.person
    if not person.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("residents:consents")
    queue_email(
        f"U bent voorgesteld voor de vacature {proposal.vacancy.title}",
        (
            f"Beste {person.full_name},\n\n"
            f"Uw adviseur van het Werkcentrum heeft u voorgesteld aan "
            f"{proposal.vacancy.employer.name} voor de vacature {proposal.vacancy.title}. "
            "De werkgever ziet wat u kunt, niet wie u bent.\n\n"
            "Wilt u dat de werkgever uw naam en contactgegevens ziet? Geef het aan op "
            f"{link} of laat het uw adviseur weten.\n\nMet vriendelijke groet,\nWerkcentrum"
        ),
        [person.email],
        key=f"proposal-identity-request:{proposal.pk}",
    )


# Proposals an employer sees (anonymised until the candidate agrees to be known).
VISIBLE_TO_EMPLOYER = (
    ProposalStatus.PROPOSED,
    ProposalStatus.INTERVIEW,
    ProposalStatus.HIRED,
    ProposalStatus.REJECTED,
)


@transaction.atomic
def decide_identity(user, proposal: Proposal, *, share: bool) -> Proposal:
    """The candidate (in the portal) or their adviser (recording what the candidate said)
    decides whether the employer may see name and contact details. Reversible by the
    candidate: sharing stops at once when they change their mind."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("vacancy", "candidate__person")
        .get(pk=proposal.pk)
    )
    if user.is_resident:
        if proposal.candidate.person_id != user.person_id:
            raise NotAllowed(_("This proposal is not about you."))
    else:
        require_employer_services(user, proposal.vacancy.region_id)
    if proposal.status not in VISIBLE_TO_EMPLOYER:
        raise Conflict(_("This candidate has not been proposed to the employer."))
    now = timezone.now()
    proposal.identity_shared_at = now if share else None
    proposal.identity_declined_at = None if share else now
    proposal.save(update_fields=["identity_shared_at", "identity_declined_at", "updated_at"])
    log_processing(
        actor=user,
        activity="candidate_profile",
        operation="update",
        obj=proposal,
        persons=[proposal.candidate.person],
    )
    return proposal


def proposals_for_employer(user):
    """The employer's proposed candidates. Identity is shown only where the candidate agreed;
    each shown identity is a processing of personal data and logged as such."""
    if not user.is_employer:
        raise NotAllowed(_("Only employers see the candidates proposed to them."))
    proposals = list(
        Proposal.objects.filter(
            vacancy__employer_id=user.employer_id, status__in=VISIBLE_TO_EMPLOYER
        )
        .select_related("vacancy", "candidate__municipality", "candidate__person")
        .order_by("vacancy__title", "-created_at")
    )
    shown = [p for p in proposals if p.identity_shared]
    for proposal in shown:
        log_processing(
            actor=user,
            activity="candidate_profile",
            operation="read",
            obj=proposal,
            persons=[proposal.candidate.person],
        )
    return proposals


def identity_requests_for(user):
    """Proposals about the resident that wait for (or had) their decision."""
    return (
        Proposal.objects.filter(candidate__person_id=user.person_id, status__in=VISIBLE_TO_EMPLOYER)
        .select_related("vacancy__employer", "vacancy__municipality")
        .order_by("-created_at")
    )


@transaction.atomic
def record_placement(
    user,
    *,
    employer,
    start_date: date,
    hours: int,
    benefit_regime: str,
    source: str,
    vacancy: Vacancy | None = None,
    candidate: CandidateProfile | None = None,
    benefit_municipality=None,
    ends_benefit: str = "unknown",
) -> Placement:
    """A placement counts towards the targets of its regime (and municipality for assistance).
    From a vacancy: the vacancy is filled and the candidate's proposal marked hired."""
    require_employer_services(user, employer.region_id)
    if benefit_regime not in BenefitRegime.values:
        raise ServiceError(_("Choose the benefit regime."), field="benefit_regime")
    if source not in VacancySource.values:
        raise ServiceError(_("Choose how the placement was found."), field="source")
    if not 1 <= int(hours) <= 60:
        raise ServiceError(_("Hours per week must be between 1 and 60."), field="hours")
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise ServiceError(_("The vacancy belongs to another employer."), field="vacancy")
    if candidate is not None and benefit_regime != candidate.benefit_regime:
        raise ServiceError(
            _("The regime differs from the candidate's profile; update the profile first."),
            field="benefit_regime",
        )
    if benefit_regime == BenefitRegime.BIJSTAND and benefit_municipality is None:
        benefit_municipality = candidate.benefit_municipality if candidate else None
        if benefit_municipality is None:
            raise ServiceError(
                _("Which municipality pays the assistance?"), field="benefit_municipality"
            )
    placement = Placement.objects.create(
        region=employer.region,
        employer=employer,
        vacancy=vacancy,
        candidate=candidate,
        start_date=start_date,
        hours=hours,
        benefit_regime=benefit_regime,
        benefit_municipality=benefit_municipality,
        source=source,
        ends_benefit=ends_benefit,
        recorded_by=user,
    )
    if vacancy is not None and vacancy.status == VacancyStatus.OPEN:
        vacancy.status = VacancyStatus.FILLED
        vacancy.save(update_fields=["status", "updated_at"])
    if vacancy is not None and candidate is not None:
        Proposal.objects.filter(vacancy=vacancy, candidate=candidate).exclude(
            status=ProposalStatus.HIRED
        ).update(status=ProposalStatus.HIRED)
    if candidate is not None:
        candidate.available = False
        candidate.save(update_fields=["available", "updated_at"])
    send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, f"placement-{placement.pk}")
    audit(user=user, action="placement_recorded", obj=placement)
    return placement
