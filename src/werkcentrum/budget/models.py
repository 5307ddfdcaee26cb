"""A region's budgets (per version), their lines with amounts per year, and the realisation
entered per quarter. Budgets come from data files (``data/<region>.toml``, see loader.py);
only the realisation is entered on screen. Amounts are whole euros (integers); every total is
computed by ``calc.py``, none is stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import calc


class Section(models.TextChoices):
    INCOME = "income", _("Income")
    COST = "cost", _("Costs")
    INVESTMENT = "investment", _("One-off investments")


class IncomeKind(models.TextChoices):
    STRUCTURAL = calc.IncomeKind.STRUCTURAL.value, _("Structural")
    TEMPORARY = calc.IncomeKind.TEMPORARY.value, _("Temporary")
    IN_KIND = calc.IncomeKind.IN_KIND.value, _("In kind")


class CostCategory(models.TextChoices):
    STAFF = calc.CostCategory.STAFF.value, _("Staff")
    RENT = calc.CostCategory.RENT.value, _("Rent and housing")
    ACTIVITIES = calc.CostCategory.ACTIVITIES.value, _("Activities and projects")
    OTHER = calc.CostCategory.OTHER.value, _("Other costs")


class Nature(models.TextChoices):
    STRUCTURAL = calc.Nature.STRUCTURAL.value, _("Structural")
    TEMPORARY = calc.Nature.TEMPORARY.value, _("Temporary")


class Budget(models.Model):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="budgets"
    )
    version = models.SlugField(_("version"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    primary = models.BooleanField(_("primary"), default=False)
    impulse_label = models.CharField(max_length=100, blank=True)
    impulse_financier = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)  # order in the data file
    source_file = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["region", "position"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="unique_budget_version"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(primary=True), name="one_primary_budget_per_region"
            ),
        ]

    def __str__(self):
        return f"{self.region} — {self.title}"


class BudgetYear(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    impulse_budget = models.BigIntegerField(_("impulse budget"), default=0)

    class Meta:
        ordering = ["budget", "year"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "year"], name="unique_budget_year"),
        ]

    def __str__(self):
        return str(self.year)


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("label"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=IncomeKind.choices, blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=CostCategory.choices, blank=True
    )
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices, blank=True)
    financier = models.CharField(_("financier"), max_length=100, blank=True)
    pm = models.BooleanField(_("p.m."), default=False)
    fte = models.DecimalField(_("FTE"), max_digits=7, decimal_places=2, null=True, blank=True)
    cost_per_fte = models.BigIntegerField(_("cost per FTE"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    rent_per_m2_month = models.IntegerField(_("rent per m² per month"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "position"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="unique_budget_line_code"),
            models.CheckConstraint(
                condition=(
                    Q(section="income", category="", nature="") & ~Q(kind="")
                    | Q(section="cost", kind="") & ~Q(category="") & ~Q(nature="")
                    | Q(section="investment", kind="", category="", nature="")
                ),
                name="budget_line_fields_match_section",
            ),
        ]

    def __str__(self):
        return self.label


class LineAmount(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("amount (euros)"))

    class Meta:
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="unique_line_amount_year"),
        ]

    def __str__(self):
        return f"{self.line} {self.year}: {self.amount}"


class Realisation(models.Model):
    """What was really received or spent on one line in one quarter (whole euros)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="realisations")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = models.BigIntegerField(_("amount (euros)"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["line", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year", "quarter"], name="unique_realisation_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="realisation_quarter_1_to_4"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="realisation_not_negative"),
        ]

    def __str__(self):
        return f"{self.line} {self.year} Q{self.quarter}: {self.amount}"
