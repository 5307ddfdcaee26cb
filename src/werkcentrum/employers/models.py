"""Employers, their locations, contact persons, the contact log and satisfaction (NPS)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kvk import is_valid_kvk


class Chain(models.TextChoices):
    """The region's occupational chains (beroepsgroepenketens), DOMAIN.md §7."""

    LOGISTICS = "logistics", _("Logistics & Transport")
    CARE = "care", _("Care & Welfare")
    CONSTRUCTION = "construction", _("Construction & Engineering")
    PROCESS = "process", _("Process industry & Food")
    CONTACT_CENTRES = "contact_centres", _("Contact centres")
    HOSPITALITY_RETAIL = "hospitality_retail", _("Hospitality & Retail")
    ICT = "ict", _("ICT")
    GREEN = "green", _("Green & Agriculture")
    FACILITIES = "facilities", _("Facilities & Security")
    EDUCATION_GOVERNMENT = "education_government", _("Education & Government")


class SizeClass(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


def validate_kvk(value):
    if not is_valid_kvk(value):
        raise ValidationError(_("A KvK number has 8 digits."))


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_employer_services or user.is_front_office:
            return self.filter(region_id=user.region_id)
        if user.is_employer:
            return self.filter(pk=user.employer_id)
        return self.none()


class Employer(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="employers")
    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, unique=True, validators=[validate_kvk]
    )
    sbi_code = models.CharField(_("SBI code"), max_length=5, blank=True)
    chain = models.CharField(
        _("occupational chain"), max_length=30, choices=Chain.choices, blank=True
    )
    size_class = models.CharField(_("size"), max_length=10, choices=SizeClass.choices, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    job_agreement_employer = models.BooleanField(
        _("employs people under the job agreement"), default=False
    )
    wage_subsidy_experience = models.BooleanField(
        _("experience with wage-cost subsidy"), default=False
    )
    ikbindr_since = models.DateField(
        _("IKBINDR label since"),
        null=True,
        blank=True,
        help_text=_("The training fund's label for employers who invest in their people."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_inclusive(self) -> bool:
        return self.job_agreement_employer or self.wage_subsidy_experience


class EmployerLocation(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name


class EmployerContactPerson(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    def __str__(self):
        return self.name


class EmployerContact(models.Model):
    """The contact log: every contact with an employer is registered."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Company visit")
        EMAIL = "email", _("E-mail")
        FRONT_DOOR = "front_door", _("Question through the front door")
        EVENT = "event", _("Event")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    front_door_contact = models.ForeignKey(
        "frontdoor.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.employer}: {self.subject}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class NpsSurvey(models.Model):
    """Employer satisfaction (a legal task): one question, 0–10, after a closed question or a
    placement. Promoters 9–10, detractors 0–6; NPS = %promoters − %detractors per period."""

    class Trigger(models.TextChoices):
        QUESTION_CLOSED = "question_closed", _("Question closed")
        PLACEMENT = "placement", _("Placement")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="nps_surveys")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    trigger_ref = models.CharField(max_length=50)
    sent_to = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_token)
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "trigger_ref"], name="one_survey_per_trigger"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=10),
                name="nps_score_0_10",
            ),
        ]

    def __str__(self):
        return f"NPS {self.employer} {self.trigger}"
