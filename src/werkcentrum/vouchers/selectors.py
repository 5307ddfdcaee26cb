"""Reads for the training fund's screens, scoped by ``visible_to``; no per-row queries.

Lists and details that show names are logged as reads (activity ``training_fund``); a
resident's own pages are not (they see their own data). Budgets and figures are aggregates
without names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from werkcentrum.employers.models import Employer
from werkcentrum.privacy.services import log_list_reads, log_processing
from werkcentrum.training.models import Funding, Training

from . import services
from .models import (
    Application,
    Budget,
    Decision,
    LedgerEntry,
    LedgerKind,
    LLOConversation,
    budget_line_label,
    fund_region_id,
)
from .rules import add_months
from .states import OPEN_STATUSES, ApplicationStatus

ACTIVITY = services.ACTIVITY
RELATED = ("person", "employer", "training", "llo_conversation", "region")
LIST_LIMIT = 200


def _with_ledger(queryset):
    return queryset.select_related(*RELATED).prefetch_related(
        Prefetch("ledger", queryset=LedgerEntry.objects.order_by("id"))
    )


# -- fund staff ------------------------------------------------------------------------------------


def staff_applications(user, *, status="", sector="", year=None, q=""):
    """The fund's applications, newest first, filtered; logged as list reads."""
    applications = _with_ledger(Application.objects.visible_to(user))
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    if sector:
        applications = applications.filter(sector=sector)
    if year:
        applications = applications.filter(submitted_at__year=year)
    q = (q or "").strip()
    if q:
        reference = q.upper().removeprefix("SC-").lstrip("0")
        condition = Q(person__last_name__icontains=q) | Q(training_title__icontains=q)
        condition |= Q(employer__name__icontains=q)
        if reference.isdecimal():
            condition |= Q(pk=int(reference))
        applications = applications.filter(condition)
    rows = list(applications.order_by("-submitted_at", "-id")[:LIST_LIMIT])
    log_list_reads(actor=user, activity=ACTIVITY, objects=rows)
    return rows


def status_counts(user) -> dict[str, int]:
    counts = dict(
        Application.objects.visible_to(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in ApplicationStatus.values}


def application_detail(user, pk: int) -> Application:
    """One application the user may see (404 otherwise); a read by staff or an employer is
    logged (the resident reading their own is not)."""
    application = get_object_or_404(_with_ledger(Application.objects.visible_to(user)), pk=pk)
    if not user.is_resident:
        log_processing(actor=user, activity=ACTIVITY, operation="read", obj=application)
    return application


def recent_llo_conversations(user, limit: int = 30):
    conversations = list(
        LLOConversation.objects.visible_to(user)
        .select_related("person", "adviser", "employer")
        .order_by("-held_on", "-id")[:limit]
    )
    log_list_reads(actor=user, activity=ACTIVITY, objects=conversations)
    return conversations


def llo_history(user, application: Application):
    """The learner's LLO conversations (for the assessment screen)."""
    return list(
        LLOConversation.objects.visible_to(user)
        .filter(person_id=application.person_id)
        .select_related("adviser", "employer")
        .order_by("-held_on", "-id")
    )


def earlier_applications(user, application: Application):
    """Other applications for the same person (once per period)."""
    return list(
        Application.objects.visible_to(user)
        .filter(person_id=application.person_id)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
    )


def fund_employers(user, q: str = ""):
    """Employers of the fund's region (company data, no personal data), labelled ones first."""
    employers = Employer.objects.all()
    if not user.is_administrator:
        employers = employers.filter(region_id=fund_region_id(user))
    q = (q or "").strip()
    if q:
        employers = employers.filter(Q(name__icontains=q) | Q(kvk_number__startswith=q))
    return list(
        employers.select_related("municipality")
        .annotate(vouchers=Count("voucher_applications"))
        .order_by(F("ikbindr_since").desc(nulls_last=True), "name")[:LIST_LIMIT]
    )


# -- budget and figures (aggregates, no names) -----------------------------------------------------


@dataclass
class BudgetLine:
    budget: Budget
    label: str
    committed: int
    spent: int
    warning: bool = False

    @property
    def amount(self) -> int:
        return self.budget.amount

    @property
    def outstanding(self) -> int:
        """Committed and not yet paid."""
        return self.committed - self.spent

    @property
    def available(self) -> int:
        return self.amount - self.committed

    @property
    def used_percent(self) -> int:
        return round(100 * self.committed / self.amount) if self.amount else 100


def budget_overview(region, year: int) -> dict:
    """Per budget line: budget, committed, spent, outstanding, available; warnings when a line
    is nearly exhausted (rules: ``warnings.available_percent`` or less than one maximum)."""
    rules = services.rules_for(region)
    lines = []
    for budget in Budget.objects.with_totals().filter(region=region, year=year).order_by("sector"):
        line = BudgetLine(
            budget=budget,
            label=budget_line_label(budget.sector),
            committed=budget.committed_total,
            spent=budget.spent_total,
        )
        maximum = rules.max_other if budget.sector == "other" else rules.max_priority
        line.warning = (
            line.available * 100 < rules.warning_percent * line.amount or line.available < maximum
        )
        lines.append(line)
    lines.sort(key=lambda line: (line.budget.sector == "other", line.label))
    total = {
        "amount": sum(line.amount for line in lines),
        "committed": sum(line.committed for line in lines),
        "spent": sum(line.spent for line in lines),
    }
    total["outstanding"] = total["committed"] - total["spent"]
    total["available"] = total["amount"] - total["committed"]
    years = sorted(
        set(Budget.objects.filter(region=region).values_list("year", flat=True))
        | {timezone.localdate().year}
    )
    return {"lines": lines, "total": total, "years": years, "rules": rules}


def yearly_figures(region, year: int) -> dict:
    """The year in numbers: vouchers granted (by decision date), LLO conversations (by date
    held), spend per budget line (payments against that year's budget). No names."""
    rules = services.rules_for(region)
    applications = Application.objects.filter(region=region)
    granted = applications.filter(decision=Decision.APPROVED, decided_at__year=year)
    decided = applications.filter(decided_at__year=year)
    llo = LLOConversation.objects.filter(region=region, held_on__year=year)
    by_outcome = dict(
        llo.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n")
    )
    payments = LedgerEntry.objects.filter(budget__region=region, budget__year=year)
    spend = {
        row["budget__sector"]: row
        for row in payments.values("budget__sector").annotate(
            paid=Coalesce(Sum("amount", filter=Q(kind=LedgerKind.PAYMENT)), 0),
            vouchers_paid=Count("id", filter=Q(kind=LedgerKind.PAYMENT)),
        )
    }
    per_sector = []
    for budget in Budget.objects.with_totals().filter(region=region, year=year):
        row = spend.get(budget.sector, {})
        per_sector.append(
            {
                "label": budget_line_label(budget.sector),
                "sector": budget.sector,
                "budget": budget.amount,
                "committed": budget.committed_total,
                "paid": row.get("paid", 0),
                "vouchers_paid": row.get("vouchers_paid", 0),
            }
        )
    per_sector.sort(key=lambda r: (r["sector"] == "other", r["label"]))
    granted_by_line: dict[str, dict] = {}
    for sector, n, amount in (
        granted.values_list("sector").annotate(n=Count("id"), amount=Sum("amount_granted"))
    ).values_list("sector", "n", "amount"):
        line = rules.budget_sector(sector)
        entry = granted_by_line.setdefault(line, {"n": 0, "amount": 0})
        entry["n"] += n
        entry["amount"] += amount or 0
    for row in per_sector:
        row["granted"] = granted_by_line.get(row["sector"], {}).get("n", 0)
        row["granted_amount"] = granted_by_line.get(row["sector"], {}).get("amount", 0)
    vouchers = granted.count()
    llo_total = llo.count()
    targets = rules.targets
    return {
        "year": year,
        "vouchers_granted": vouchers,
        "amount_granted": granted.aggregate(s=Coalesce(Sum("amount_granted"), 0))["s"],
        "rejected": decided.filter(decision=Decision.REJECTED).count(),
        "by_applicant": dict(
            granted.values_list("applicant_kind")
            .annotate(n=Count("id"))
            .values_list("applicant_kind", "n")
        ),
        "llo_conversations": llo_total,
        "llo_by_outcome": by_outcome,
        "per_sector": per_sector,
        "paid_total": sum(r["paid"] for r in per_sector),
        "target_vouchers": targets.get("vouchers"),
        "target_llo": targets.get("llo_conversations"),
        "years": sorted(
            {timezone.localdate().year, year}
            | set(Budget.objects.filter(region=region).values_list("year", flat=True))
        ),
    }


# -- residents and employers -----------------------------------------------------------------------


def my_applications(user):
    """The resident's own applications (also those their employer made for them)."""
    return list(
        _with_ledger(Application.objects.filter(person_id=user.person_id)).order_by(
            "-submitted_at", "-id"
        )
    )


def my_llo_conversations(user):
    return list(
        LLOConversation.objects.filter(person_id=user.person_id)
        .select_related("adviser")
        .order_by("-held_on", "-id")
    )


def company_applications(user):
    """The employer's applications for its employees; the names are logged as reads."""
    rows = list(
        _with_ledger(Application.objects.filter(employer_id=user.employer_id)).order_by(
            "-submitted_at", "-id"
        )[:LIST_LIMIT]
    )
    log_list_reads(actor=user, activity=ACTIVITY, objects=rows)
    return rows


def company_llo_conversations(user):
    """Employees whose LLO conversation names this employer (they agreed it may apply), recent
    enough to apply on and without an open application."""
    region = user.employer.region
    if not services.has_fund(region):
        return []
    months = services.rules_for(region).llo_valid_months
    today = timezone.localdate()
    conversations = (
        LLOConversation.objects.filter(employer_id=user.employer_id, held_on__lte=today)
        .exclude(person__voucher_applications__status__in=OPEN_STATUSES)
        .select_related("person")
        .order_by("-held_on", "-id")
    )
    latest = {}
    for conversation in conversations:
        if add_months(conversation.held_on, months) >= today:
            latest.setdefault(conversation.person_id, conversation)
    return list(latest.values())


def catalogue_trainings(region):
    """Active catalogue trainings the fund can pay for (funding includes the training fund)."""
    return list(
        Training.objects.filter(
            region=region, active=True, funding__icontains=f'"{Funding.TRAINING_FUND}"'
        ).order_by("title", "provider", "pk")
    )
