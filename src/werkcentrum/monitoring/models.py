"""Targets per year from the implementation plan, as versioned data.

A ``TargetSet`` is one version of a region's targets for one year; every edit on screen saves a
new version (author, note, time) and the newest version counts. Totals are never stored: the
reports add up the rows (DOMAIN.md §9: the source's printed total differs from its rows).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    NONE = "none", _("Whole region")
    REGIME = "regime", _("Benefit regime")
    MUNICIPALITY = "municipality", _("Municipality")
    SUBREGION = "subregion", _("Subregion")


class TargetSet(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="target_sets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    printed_total = models.PositiveIntegerField(
        _("total printed in the source"),
        null=True,
        blank=True,
        help_text=_("Shown next to the computed total; never used as a figure."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target set")
        verbose_name_plural = _("target sets")
        ordering = ["region", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "version"], name="unique_target_set_version"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year} v{self.version}"


class Target(models.Model):
    target_set = models.ForeignKey(TargetSet, on_delete=models.CASCADE, related_name="targets")
    indicator = models.SlugField(_("indicator"), max_length=40)
    dimension = models.CharField(
        _("dimension"), max_length=12, choices=Dimension.choices, default=Dimension.NONE
    )
    key = models.CharField(_("key"), max_length=40, blank=True)
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["target_set", "indicator", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "indicator", "dimension", "key"], name="unique_target_row"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.dimension} {self.key}: {self.value}"
