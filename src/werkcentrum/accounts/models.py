from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GUIDE = "guide", _("Guide")
    EMPLOYER_ADVISER = "employer_adviser", _("Employer adviser")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_EMPLOYEE = "partner_employee", _("Partner employee")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    EMPLOYER = "employer", _("Employer (portal)")
    RESIDENT = "resident", _("Resident (self-service)")


# Staff of the Werkcentrum who work with individual contacts in their own region.
FRONT_OFFICE_ROLES = {Role.GUIDE, Role.COORDINATOR}
# Werkcentrum staff who work with employers, vacancies and candidate profiles.
EMPLOYER_SERVICES_ROLES = {Role.EMPLOYER_ADVISER, Role.COORDINATOR}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.GUIDE)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    partner = models.ForeignKey(
        "regions.Partner",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For partner employees: the organisation whose handovers they see."),
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("For employer portal users: the company they act for."),
    )
    person = models.OneToOneField(
        "frontdoor.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="account",
        help_text=_("For residents: their own record; they see only what belongs to it."),
    )
    walk_in_point = models.ForeignKey(
        "regions.WalkInPoint",
        verbose_name=_("usual walk-in point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="partner_employee") | models.Q(partner__isnull=False),
                name="partner_employee_has_partner",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="employer") | models.Q(employer__isnull=False),
                name="employer_user_has_employer",
            ),
            models.CheckConstraint(
                condition=(~models.Q(role="resident") | models.Q(person__isnull=False))
                & (models.Q(role="resident") | models.Q(person__isnull=True)),
                name="resident_user_has_person",
            ),
        ]

    @property
    def is_front_office(self) -> bool:
        return self.role in FRONT_OFFICE_ROLES

    @property
    def is_employer_services(self) -> bool:
        return self.role in EMPLOYER_SERVICES_ROLES

    @property
    def is_staff_role(self) -> bool:
        """Werkcentrum and partner staff: everyone but residents and employers (portal)."""
        return self.role not in (Role.EMPLOYER, Role.RESIDENT)

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_partner_employee(self) -> bool:
        return self.role == Role.PARTNER_EMPLOYEE

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser

    def __str__(self):
        return self.get_full_name() or self.username
