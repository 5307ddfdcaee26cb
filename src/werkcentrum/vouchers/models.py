"""The training-voucher fund (in Twente: Twents Fonds voor Vakmanschap, DOMAIN.md §8).

LLO conversation (advice on training) → application by a resident or an employer →
assessment against the fund's rules (``rules.py``, data in ``data/<region>.toml``) →
commitment against the year's budget line → proof of completion → payment.

Money lives in one place: the ledger (``LedgerEntry``: commitments, releases and payments
against a ``Budget`` line). Committed, spent and available are computed from it, never stored
twice. Amounts are whole euros.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from werkcentrum.employers.models import Chain
from werkcentrum.training.models import Level

from .rules import OTHER
from .states import GRANTED_STATUSES, OPEN_STATUSES, ApplicationStatus

TRAINING_FUND = "training_fund"  # regions.PartnerKind.TRAINING_FUND


def is_fund_staff(user) -> bool:
    """A partner employee of the region's training fund (the fund's own staff)."""
    if not getattr(user, "is_authenticated", False) or not user.is_partner_employee:
        return False
    partner = user.partner
    return partner is not None and partner.kind == TRAINING_FUND


def fund_region_id(user) -> int | None:
    """The region whose fund the user works for (fund staff: the partner's region)."""
    if is_fund_staff(user):
        return user.partner.region_id
    return user.region_id


def is_llo_adviser(user) -> bool:
    """Who records LLO conversations: the fund's staff and the Werkcentrum's front office (the
    former Leerwerkloket's LLO advice is part of the Werkcentrum's walk-in service)."""
    return is_fund_staff(user) or (
        getattr(user, "is_authenticated", False) and user.is_front_office
    )


# A budget line: an occupational chain with a line of its own, or all other sectors together.
BUDGET_LINES = [*Chain.choices, (OTHER, _("Other sectors"))]


def budget_line_label(code: str) -> str:
    return str(dict(BUDGET_LINES).get(code, code))


class ApplicantKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    EMPLOYER = "employer", _("Employer")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# -- LLO conversations ---------------------------------------------------------------------------


class LLOOutcome(models.TextChoices):
    APPLY = "apply", _("Advice: apply for a training voucher")
    OTHER_FUNDING = "other_funding", _("Advice: fund the training another way")
    NO_TRAINING = "no_training", _("Advice: no training for now")


class LLOConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Fund staff and the front office (LLO advisers) see their region's conversations; a
        resident their own; an employer those recorded for an application by the company."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if is_llo_adviser(user):
            return self.filter(region_id=fund_region_id(user))
        if user.is_resident:
            return self.filter(person_id=user.person_id)
        if user.is_employer:
            return self.filter(employer_id=user.employer_id)
        return self.none()


class LLOConversation(models.Model):
    """Advice on training (leven lang ontwikkelen), required before an application."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="llo_conversations"
    )
    person = models.ForeignKey(
        "frontdoor.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="llo_conversations",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("LLO adviser"),
        on_delete=models.PROTECT,
        related_name="llo_conversations",
    )
    held_on = models.DateField(_("date of the conversation"))
    summary = models.TextField(_("advice"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=LLOOutcome.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer that applies"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="llo_conversations",
        help_text=_("Only with the person's agreement: this employer may apply for them."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LLOConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("LLO conversation")
        verbose_name_plural = _("LLO conversations")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["region", "held_on"])]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"LLO-{self.pk:06d}" if self.pk else "LLO-"


# -- budgets and the ledger ----------------------------------------------------------------------


def _kind_sum(kind: str, prefix: str = ""):
    return Coalesce(Sum(f"{prefix}amount", filter=Q(**{f"{prefix}kind": kind})), 0)


def ledger_totals(prefix: str = "") -> dict:
    """The one definition of a budget line's figures as aggregate expressions over ledger
    entries (``prefix`` "entries__" from a Budget): committed (net of releases) and spent."""
    return {
        "committed_total": _kind_sum("commitment", prefix) - _kind_sum("release", prefix),
        "spent_total": _kind_sum("payment", prefix),
    }


class BudgetQuerySet(models.QuerySet):
    def with_totals(self):
        return self.annotate(**ledger_totals("entries__"))


class Budget(models.Model):
    """The money for one budget line in one year (from the rules file, see services)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="voucher_budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.CharField(_("budget line"), max_length=30, choices=BUDGET_LINES)
    amount = models.PositiveIntegerField(_("budget in euros"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("training-fund budget")
        verbose_name_plural = _("training-fund budgets")
        ordering = ["year", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sector"], name="one_voucher_budget_per_line"
            ),
        ]

    def __str__(self):
        return f"{budget_line_label(self.sector)} {self.year}"

    def totals(self) -> dict:
        """Committed and spent now (one aggregate query over the ledger)."""
        return LedgerEntry.objects.filter(budget=self).aggregate(**ledger_totals())


class LedgerKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    RELEASE = "release", _("Release of a commitment")
    PAYMENT = "payment", _("Payment")


class LedgerEntry(models.Model):
    """One money movement on a budget line. Committed = commitments - releases; spent =
    payments. An application has at most one entry of each kind (a unique constraint), so it
    can never be committed or paid twice."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(
        "vouchers.Application", on_delete=models.PROTECT, related_name="ledger"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    amount = models.PositiveIntegerField(_("amount in euros"))
    on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="one_ledger_entry_per_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_gt_0"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.budget})"


# -- applications ----------------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Fund staff see their region's applications; a resident those about themselves
        (also when their employer applied); an employer its own company's; nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if is_fund_staff(user):
            return self.filter(region_id=user.partner.region_id)
        if user.is_resident:
            return self.filter(person_id=user.person_id)
        if user.is_employer:
            return self.filter(employer_id=user.employer_id)
        return self.none()

    def granted(self):
        return self.filter(decision=Decision.APPROVED, status__in=GRANTED_STATUSES)


class Application(models.Model):
    """An application for a training voucher, for one person (the resident, or the employee
    when an employer applies)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="voucher_applications"
    )
    applicant_kind = models.CharField(_("applicant"), max_length=10, choices=ApplicantKind.choices)
    person = models.ForeignKey(
        "frontdoor.Person",
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="voucher_applications",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_applications",
    )
    llo_conversation = models.ForeignKey(
        LLOConversation,
        verbose_name=_("LLO conversation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The training: from the catalogue, or described.
    training = models.ForeignKey(
        "training.Training",
        verbose_name=_("training from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voucher_applications",
    )
    training_title = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Chain.choices)
    cost = models.PositiveIntegerField(_("cost in euros"))
    cofinancing = models.PositiveIntegerField(_("co-financing in euros"), default=0)
    cofinancier = models.CharField(_("co-financed by"), max_length=200, blank=True)
    requested_amount = models.PositiveIntegerField(
        _("requested amount in euros"),
        null=True,
        blank=True,
        help_text=_("Empty: as much as the rules allow."),
    )
    motivation = models.TextField(_("motivation"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # The decision: the rules engine's proposal and what the fund decided.
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount_granted = models.PositiveIntegerField(_("amount granted"), null=True, blank=True)
    own_contribution = models.PositiveIntegerField(_("own contribution"), null=True, blank=True)
    proposal = models.JSONField(_("proposal of the rules"), default=dict, blank=True)
    decision_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    overridden = models.BooleanField(_("deviates from the proposal"), default=False)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    rules_version = models.CharField(_("rules version"), max_length=30, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    completion_proof = models.CharField(_("proof of completion"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completion registered at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("training-voucher application")
        verbose_name_plural = _("training-voucher applications")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_voucher_application_per_person",
            ),
            models.CheckConstraint(
                condition=Q(cofinancing__lte=F("cost")), name="voucher_cofinancing_lte_cost"
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind="resident", employer__isnull=True)
                | Q(applicant_kind="employer", employer__isnull=False),
                name="voucher_employer_application_has_employer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=GRANTED_STATUSES)
                | Q(decision="approved", amount_granted__gt=0),
                name="granted_voucher_has_amount",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"SC-{self.pk:06d}" if self.pk else "SC-"

    @property
    def is_employer_application(self) -> bool:
        return self.applicant_kind == ApplicantKind.EMPLOYER

    def _entry(self, kind: str):
        """The ledger entry of ``kind`` (from a prefetch when there is one)."""
        return next((e for e in self.ledger.all() if e.kind == kind), None)

    @property
    def committed_amount(self) -> int | None:
        entry = self._entry(LedgerKind.COMMITMENT)
        return entry.amount if entry else None

    @property
    def paid_amount(self) -> int | None:
        entry = self._entry(LedgerKind.PAYMENT)
        return entry.amount if entry else None

    @property
    def paid_on(self):
        entry = self._entry(LedgerKind.PAYMENT)
        return entry.on if entry else None
