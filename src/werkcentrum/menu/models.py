"""The regional service menu (menukaart / instrumentenkoffer): every partner's services and
instruments, with structured eligibility, loaded from ``menu/data/<region>.toml``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .eligibility import Rules


class Menu(models.Model):
    """The loaded menu of one region: its version and the approval by the portfolio holders'
    meeting (PHA) from the data file's ``[meta]`` block."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="menu")
    version = models.CharField(_("version"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    source_file = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service menu")
        verbose_name_plural = _("service menus")

    def __str__(self):
        return f"{self.region} {self.version}"


class Service(models.Model):
    """One service or instrument of a partner, with who it is for and how to get it."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(
        "regions.Partner",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="menu_services",
    )
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    topics = models.JSONField(_("themes"), default=list)

    # structured eligibility (see eligibility.Rules); empty = anyone
    askers = models.JSONField(_("for residents / employers"), default=list, blank=True)
    benefits = models.JSONField(_("benefit regimes"), default=list, blank=True)
    work_statuses = models.JSONField(_("work situations"), default=list, blank=True)
    municipalities = models.JSONField(_("municipalities"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    job_agreement = models.BooleanField(_("job agreement (banenafspraak) required"), default=False)

    costs = models.TextField(_("costs"), max_length=1000)
    funding = models.TextField(_("funding"), max_length=1000, blank=True)
    how_to_apply = models.TextField(_("how to apply"), max_length=1000)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    walk_in_service = models.CharField(
        _("offered at walk-in points with"), max_length=30, blank=True
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    capacity = models.PositiveIntegerField(_("places per period"), null=True, blank=True)
    capacity_period = models.CharField(_("period"), max_length=50, blank=True)
    places_left = models.PositiveIntegerField(_("places left"), null=True, blank=True)
    budget_available = models.BooleanField(_("budget available"), default=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    edited_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_menu_service_code"),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="menu_service_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(places_left__isnull=True)
                | models.Q(capacity__isnull=False, places_left__lte=models.F("capacity")),
                name="menu_service_places_within_capacity",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def rules(self) -> Rules:
        return Rules(
            askers=tuple(self.askers),
            benefits=tuple(self.benefits),
            work_statuses=tuple(self.work_statuses),
            municipalities=tuple(self.municipalities),
            age_min=self.age_min,
            age_max=self.age_max,
            job_agreement=self.job_agreement,
        )

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def available(self) -> bool:
        """Places and budget left: a referral can be made now."""
        return self.budget_available and not self.is_full

    @property
    def awaiting_approval(self) -> bool:
        return self.approved_on is None
