"""Vacancies with an ESCO occupation; lifecycle as data (TRANSITIONS)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

EDUCATION_LEVELS = [
    (0, _("None / primary school")),
    (1, _("VMBO")),
    (2, _("MBO level 1")),
    (3, _("MBO level 2")),
    (4, _("MBO level 3")),
    (5, _("MBO level 4")),
    (6, _("HBO (higher professional education)")),
    (7, _("WO (university)")),
]


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class VacancySource(models.TextChoices):
    REGULAR = "regular", _("Regular")
    DIRECT_MATCH = "direct_match", _("Direct match")
    JOB_HUNTING = "job_hunting", _("Job hunting")


VACANCY_TRANSITIONS = {
    VacancyStatus.OPEN: {VacancyStatus.FILLED, VacancyStatus.WITHDRAWN, VacancyStatus.EXPIRED},
    VacancyStatus.FILLED: {VacancyStatus.OPEN},
    VacancyStatus.WITHDRAWN: {VacancyStatus.OPEN},
    VacancyStatus.EXPIRED: {VacancyStatus.OPEN},
}


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_employer_services or user.is_front_office:
            return self.filter(region_id=user.region_id)
        if user.is_employer:
            return self.filter(employer_id=user.employer_id)
        return self.none()


class Vacancy(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="vacancies")
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("title"), max_length=200)
    esco_id = models.CharField(_("ESCO occupation"), max_length=40)
    occupation_label = models.CharField(_("occupation"), max_length=300)
    isco_group = models.CharField(_("ISCO unit group"), max_length=4)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    desired_skills = models.JSONField(_("desired skills"), default=list, blank=True)
    education_level = models.PositiveSmallIntegerField(
        _("education level"), choices=EDUCATION_LEVELS, default=0
    )
    hours = models.PositiveSmallIntegerField(_("hours per week"))
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("place of work"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    work_and_learn = models.BooleanField(_("work-and-learn possible"), default=False)
    job_agreement = models.BooleanField(_("suitable for the job agreement"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    source = models.CharField(
        _("source"), max_length=15, choices=VacancySource.choices, default=VacancySource.REGULAR
    )
    description = models.TextField(_("description"), blank=True)
    external_ref = models.CharField(_("reference in the old system"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_vacancy_external_ref",
            )
        ]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["esco_id"]),
            # The public search lists a region's open vacancies newest first, 20 a page: read
            # from this index instead of sorting them all on every page (load test, issue 7).
            models.Index(
                fields=["region", "status", "created_at", "id"], name="vacancy_newest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.employer})"
