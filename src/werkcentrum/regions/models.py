"""A labour-market region and its network, loaded from a versioned data file (see loader.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    centre_municipality = models.ForeignKey(
        "Municipality", null=True, on_delete=models.PROTECT, related_name="+"
    )
    data_version = models.CharField(_("data version"), max_length=30)
    source_file = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def werkcentrum(self) -> "Partner":
        return self.partners.get(kind=PartnerKind.WERKCENTRUM, default_for_kind=True)


class Subregion(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="subregions")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("subregion")
        verbose_name_plural = _("subregions")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_subregion_code")
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="municipalities")
    subregion = models.ForeignKey(
        Subregion, on_delete=models.PROTECT, related_name="municipalities"
    )
    code = models.CharField(_("CBS code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    aliases = models.JSONField(default=list, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WalkInPoint(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="walk_in_points")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="walk_in_points"
    )
    code = models.SlugField(_("code"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("city"), max_length=100)
    is_regional_centre = models.BooleanField(_("regional centre"), default=False)
    hosted_by = models.CharField(_("hosted by"), max_length=200, blank=True)
    services = models.JSONField(_("services present"), default=list)
    opening_hours = models.JSONField(_("opening hours"), default=list)  # [{day, opens, closes}]
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("walk-in point")
        verbose_name_plural = _("walk-in points")
        ordering = ["-is_regional_centre", "name"]

    def __str__(self):
        return self.name


class PartnerKind(models.TextChoices):
    WERKCENTRUM = "werkcentrum", _("Werkcentrum")
    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Municipality")
    SOCIAL_PARTNERS = "social_partners", _("Social partners")
    TRAINING_FUND = "training_fund", _("Training fund")
    SBB = "sbb", _("SBB")
    DEBT_SUPPORT = "debt_support", _("Debt support")
    CROSS_BORDER_INFO = "cross_border_info", _("Cross-border information point")
    EDUCATION = "education", _("Education")
    SOCIAL_DEVELOPMENT = "social_development", _("Social development company")


class Partner(models.Model):
    """A network partner organisation (or one desk of it) that can receive handovers."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="partners")
    code = models.SlugField(_("code"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    desk = models.CharField(_("desk"), max_length=40, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="partners"
    )
    default_for_kind = models.BooleanField(default=False)
    pickup_working_days = models.PositiveSmallIntegerField(
        _("pick-up time (working days)"), default=2
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self):
        return self.name
