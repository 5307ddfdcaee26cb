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


class ReportJob(models.Model):
    """A quarterly or annual report asked for in the browser, made by a background task.

    The task writes its progress here (the page polls it) and keeps the result: the PDF and the
    standalone HTML page. Aggregates only — no personal data is in a report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly report")
        ANNUAL = "annual", _("Annual report")

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    lang = models.CharField(_("language"), max_length=5, default="nl")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    step = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    filename = models.CharField(max_length=100, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    html = models.TextField(blank=True, editable=False)
    error = models.CharField(max_length=300, blank=True)  # for administrators, not shown
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "-created_at"], name="reportjob_region_recent")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="quarterly", quarter__gte=1, quarter__lte=4))
                | models.Q(kind="annual", quarter__isnull=True),
                name="reportjob_quarter_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="reportjob_progress_percent"
            ),
        ]

    def __str__(self):
        return self.title or f"{self.kind} {self.year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
