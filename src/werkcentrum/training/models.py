"""The regional training catalogue: programmes residents can follow, loaded from a data file
per region (``training/data/<region>.toml``, see loader.py and docs/training-catalogue.md)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkcentrum.employers.models import Chain


class Level(models.TextChoices):
    """Dutch education levels, from a short course without level up to a master."""

    COURSE = "course", _("Course or certificate (no level)")
    MBO1 = "mbo1", _("MBO level 1")
    MBO2 = "mbo2", _("MBO level 2")
    MBO3 = "mbo3", _("MBO level 3")
    MBO4 = "mbo4", _("MBO level 4")
    HBO_AD = "hbo_ad", _("HBO associate degree")
    HBO_BACHELOR = "hbo_bachelor", _("HBO bachelor")
    MASTER = "master", _("HBO/WO master")


class LearningForm(models.TextChoices):
    FULL_TIME = "bol", _("Full-time (BOL)")
    WORK_AND_LEARN = "bbl", _("Work-and-learn (BBL)")
    PART_TIME = "part_time", _("Part-time")
    ONLINE = "online", _("Online")


class Funding(models.TextChoices):
    """Who can pay for a training. ``training_fund`` is the region's own training-voucher fund
    (in Twente the Twents Fonds voor Vakmanschap): the region's partner of kind training_fund."""

    TRAINING_FUND = "training_fund", _("Regional training fund")
    EMPLOYER = "employer", _("Employer")
    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Municipality")
    SECTOR_FUND = "sector_fund", _("Sector training fund (O&O fund)")
    LIFELONG_LEARNING_CREDIT = "lifelong_learning_credit", _("Lifelong learning credit (DUO)")
    OWN = "own", _("Pay yourself")


class Training(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("region"),
    )
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable code of the training in the data file.")
    )
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    description = models.TextField(
        _("description"), help_text=_("Plain-language Dutch, one to three sentences.")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    sector = models.CharField(
        _("sector"),
        max_length=30,
        choices=Chain.choices,
        help_text=_("The occupational chain the training belongs to."),
    )
    isco_groups = models.JSONField(
        _("ISCO groups"),
        default=list,
        blank=True,
        help_text=_("4-digit ISCO-08 unit groups of the occupations the training leads to."),
    )
    learning_form = models.CharField(
        _("learning form"), max_length=20, choices=LearningForm.choices
    )
    duration_weeks = models.PositiveIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"),
        null=True,
        blank=True,
        help_text=_("Study hours a week, including lessons; empty if unknown."),
    )
    cost_eur = models.PositiveIntegerField(
        _("cost in euros"), help_text=_("Indicative total cost of the whole training.")
    )
    funding = models.JSONField(
        _("funding options"),
        default=list,
        blank=True,
        help_text=_("Codes of who can pay for the training."),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
        verbose_name=_("municipality"),
        help_text=_("Where the lessons are; empty for online or several places in the region."),
    )
    url = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["title", "provider", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="unique_training_key"),
            models.CheckConstraint(condition=models.Q(cost_eur__gte=0), name="training_cost_gte_0"),
            models.CheckConstraint(
                condition=models.Q(duration_weeks__gt=0), name="training_duration_gt_0"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.provider})"

    @property
    def funding_labels(self) -> list[str]:
        labels = dict(Funding.choices)
        return [labels[code] for code in self.funding if code in labels]
