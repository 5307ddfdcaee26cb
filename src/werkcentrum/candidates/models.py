"""Job-seeker profiles (with consent), proposals to employers and placements."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.vacancies.models import EDUCATION_LEVELS, VacancySource


class BenefitRegime(models.TextChoices):
    """What a placement counts towards (DOMAIN.md §9)."""

    WW = "ww", _("WW (UWV)")
    WAJONG = "wajong", _("Wajong (UWV)")
    WIA = "wia", _("WIA (UWV)")
    BIJSTAND = "bijstand", _("Social assistance (municipality)")
    NONE = "none", _("No benefit")


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only advisers with a reason see a profile: employer services and the front office of
        the region; a partner only for persons it has an active handover for; employers never
        (they search anonymised groups in the portal)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_employer_services or user.is_front_office:
            return self.filter(region_id=user.region_id)
        if user.is_partner_employee:
            from werkcentrum.frontdoor.models import Person

            persons = Person.objects.visible_to(user).values("pk")
            return self.filter(person_id__in=persons)
        return self.none()

    def with_consent(self):
        return self.filter(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)


class CandidateProfile(models.Model):
    person = models.OneToOneField(
        "frontdoor.Person", on_delete=models.CASCADE, related_name="candidate"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="candidates"
    )
    occupations = models.JSONField(
        _("desired occupations"), default=list
    )  # [{esco_id, isco_group, label}]
    skills = models.JSONField(_("skills"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    education_level = models.PositiveSmallIntegerField(
        _("education level"), choices=EDUCATION_LEVELS, default=0
    )
    hours_min = models.PositiveSmallIntegerField(_("hours per week, at least"), default=16)
    hours_max = models.PositiveSmallIntegerField(_("hours per week, at most"), default=40)
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("place of residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    travel_radius_km = models.PositiveSmallIntegerField(_("travel radius (km)"), default=25)
    work_fit = models.BooleanField(_("work-fit"), default=True)
    benefit_regime = models.CharField(
        _("benefit regime"), max_length=10, choices=BenefitRegime.choices
    )
    benefit_municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("assistance paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    available = models.BooleanField(_("available"), default=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    job_agreement_eligible = models.BooleanField(_("eligible for the job agreement"), default=False)
    wage_subsidy_eligible = models.BooleanField(_("eligible for wage-cost subsidy"), default=False)
    wants_work_and_learn = models.BooleanField(_("wants to work and learn"), default=False)
    summary = models.TextField(_("experience in short"), blank=True)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
    )
    consent_given_at = models.DateTimeField(_("consent for matching given"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_min__lte=models.F("hours_max")), name="hours_range"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.pk})"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None

    @property
    def matchable(self) -> bool:
        return self.has_consent and self.available


class ProposalStatus(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PROPOSED = "proposed", _("Proposed to the employer")
    INTERVIEW = "interview", _("Interview")
    REJECTED = "rejected", _("Not chosen")
    HIRED = "hired", _("Hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A candidate on a vacancy's shortlist; the adviser proposes and records the outcome."""

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="proposals"
    )
    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="proposals"
    )
    status = models.CharField(
        max_length=15, choices=ProposalStatus.choices, default=ProposalStatus.SHORTLISTED
    )
    match = models.JSONField(_("match at the time"), default=dict)  # score, factors, weights
    note = models.TextField(_("note"), blank=True)
    # The employer sees the candidate anonymised until the candidate agrees to be known.
    identity_shared_at = models.DateTimeField(
        _("candidate agreed to share name and contact details"), null=True, blank=True
    )
    identity_declined_at = models.DateTimeField(
        _("candidate declined to share name and contact details"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="one_proposal_per_pair"),
            models.CheckConstraint(
                condition=models.Q(identity_shared_at__isnull=True)
                | models.Q(identity_declined_at__isnull=True),
                name="identity_shared_or_declined_not_both",
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.candidate_id} → {self.vacancy_id} ({self.status})"

    @property
    def identity_shared(self) -> bool:
        return self.identity_shared_at is not None

    @property
    def pseudonym(self) -> str:
        """How the employer refers to an anonymised candidate: stable per proposal."""
        return f"K-{self.pk:05d}"


class Placement(models.Model):
    """What the placement targets count: employer, start, hours, regime, direct match or job hunting."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="placements"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="placements"
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    candidate = models.ForeignKey(
        CandidateProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    start_date = models.DateField(_("start date"))
    hours = models.PositiveSmallIntegerField(_("hours per week"))
    benefit_regime = models.CharField(
        _("benefit regime"), max_length=10, choices=BenefitRegime.choices
    )
    benefit_municipality = models.ForeignKey(
        "regions.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("found by"), max_length=15, choices=VacancySource.choices)
    ends_benefit = models.CharField(
        _("effect on the benefit"),
        max_length=10,
        choices=[
            ("full", _("ends it fully")),
            ("partial", _("ends it partly")),
            ("unknown", _("unknown")),
        ],
        default="unknown",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["region", "start_date"]),
            models.Index(fields=["benefit_regime"]),
        ]

    def __str__(self):
        return f"{self.employer} {self.start_date} {self.benefit_regime}"
