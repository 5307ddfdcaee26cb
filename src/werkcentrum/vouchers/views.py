"""Training fund screens. Thin: forms in, services write, selectors read.

Fund staff work under /fonds/, residents under /mijn/scholingscheque/, employers under
/portal/scholingscheque/.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.core.errors import ServiceError
from werkcentrum.employers.models import Chain, Employer
from werkcentrum.frontdoor.views import role_required
from werkcentrum.regions.models import Region
from werkcentrum.residents.views import resident_required

from . import reasons, selectors, services
from .forms import (
    ApplicationForm,
    CompletionForm,
    DecisionForm,
    EmployerApplicationForm,
    LabelForm,
    LLOConversationForm,
    PaymentForm,
    WithdrawForm,
)
from .models import Application, LLOOutcome, is_fund_staff, is_llo_adviser
from .states import (
    APPLICANT_WITHDRAWABLE,
    OPEN_STATUSES,
    STAFF_WITHDRAWABLE,
    STEPS,
    ApplicationStatus,
)

S = ApplicationStatus

fund_staff = role_required(lambda u: is_fund_staff(u) or u.is_administrator)
llo_adviser = role_required(lambda u: is_llo_adviser(u) or u.is_administrator)
figures_viewer = role_required(
    lambda u: is_fund_staff(u) or u.is_manager or u.is_coordinator or u.is_administrator
)
employer_only = role_required(lambda u: u.is_employer)


def _region(user) -> Region:
    """The region whose fund the user works with."""
    region = user.partner.region if is_fund_staff(user) else user.region
    if region is None or not services.has_fund(region):
        raise Http404
    return region


def _refused(request, form, exc: ServiceError) -> int:
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
    return exc.status_code


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate().year
    return int(value) if value.isdecimal() and 2000 <= int(value) <= today + 5 else today


# -- how an application stands, for every audience -------------------------------------------------


def steps(application: Application) -> list[dict]:
    """The steps so far and still to come, with their dates (for the applicant's status)."""
    done_at = {
        S.SUBMITTED: application.submitted_at,
        S.APPROVED: application.decided_at if application.decision == "approved" else None,
        S.COMMITTED: application.committed_at,
        S.COMPLETED: application.completed_at,
        S.PAID: application.paid_at,
    }
    result = [
        {"label": S(step).label, "at": done_at[step], "done": done_at[step] is not None}
        for step in STEPS
    ]
    if application.status == S.REJECTED:
        result = result[:1] + [{"label": S.REJECTED.label, "at": application.decided_at}]
        result[-1]["done"] = True
    elif application.status == S.WITHDRAWN:
        result = [step for step in result if step["done"]]
        result.append({"label": S.WITHDRAWN.label, "at": application.withdrawn_at, "done": True})
    return result


def _present(applications, withdrawable=lambda application: False) -> list[Application]:
    for application in applications:
        application.can_withdraw = withdrawable(application)
        application.steps = steps(application)
        application.refusals = [
            r for r in reasons.describe_all(application.decision_reasons) if r["refusal"]
        ]
    return applications


# -- fund staff: applications ----------------------------------------------------------------------


@fund_staff
def staff_list(request):
    _region(request.user)
    status = request.GET.get("status", "")
    sector = request.GET.get("sector", "")
    sector = sector if sector in Chain.values else ""
    year = request.GET.get("year", "")
    year = int(year) if year.isdecimal() else None
    q = request.GET.get("q", "").replace("\x00", "")[:100]  # NUL: no database stores it
    counts = selectors.status_counts(request.user)
    context = {
        "applications": selectors.staff_applications(
            request.user, status=status, sector=sector, year=year, q=q
        ),
        "statuses": [(value, label, counts[value]) for value, label in S.choices],
        "status": status,
        "sector": sector,
        "sectors": Chain.choices,
        "year": year or "",
        "q": q,
        "total": sum(counts.values()),
    }
    return render(request, "vouchers/staff_list.html", context)


ACTIONS = {"decide", "commit", "complete", "pay", "withdraw"}


@fund_staff
def staff_detail(request, pk):
    application = selectors.application_detail(request.user, pk)
    today = timezone.localdate()
    # One action form shows at a time (by status), so the forms share no field ids; no prefixes
    # (StyledFormMixin's hint ids assume none).
    forms = {
        "decide": DecisionForm(),
        "complete": CompletionForm(initial={"completed_on": today}),
        "pay": PaymentForm(initial={"amount": application.committed_amount, "paid_on": today}),
        "withdraw": WithdrawForm(),
    }
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in ACTIONS:
            raise Http404
        form = None
        if action in forms:
            form = forms[action] = type(forms[action])(request.POST)
        status = 400
        if form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                message = _act(request.user, application, action, data)
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(request, message)
                return redirect("vouchers:staff_detail", pk=application.pk)
    proposal = (
        services.proposal_for(application).as_dict()
        if application.status == S.SUBMITTED
        else application.proposal
    )
    if application.status == S.SUBMITTED and request.method != "POST":
        forms["decide"] = DecisionForm(
            initial={
                "decision": "approve" if proposal["approved"] else "reject",
                "amount": proposal["amount"] or None,
            },
        )
    budget = None
    if application.status == S.APPROVED:
        line = services.budget_for(application)
        if line is not None:
            totals = line.totals()
            budget = {"line": line, "available": line.amount - totals["committed_total"]}
    context = {
        "application": _present([application])[0],
        "proposal": proposal,
        "proposal_reasons": reasons.describe_all((proposal or {}).get("reasons")),
        "forms": forms,
        "budget": budget,
        "can_withdraw": application.status in STAFF_WITHDRAWABLE,
        "llo_history": selectors.llo_history(request.user, application),
        "earlier": selectors.earlier_applications(request.user, application),
        "budget_year": today.year,
    }
    return render(request, "vouchers/staff_detail.html", context, status=status)


def _act(user, application, action, data) -> str:
    ref = application.reference
    if action == "decide":
        approve = data["decision"] == "approve"
        application = services.decide(
            user, application, approve=approve, amount=data.get("amount"), note=data.get("note")
        )
        if approve:
            return _("%(ref)s approved: %(amount)s.") % {
                "ref": ref,
                "amount": reasons.euro(application.amount_granted),
            }
        return _("%(ref)s rejected.") % {"ref": ref}
    if action == "commit":
        application = services.commit(user, application)
        return _("%(amount)s committed for %(ref)s.") % {
            "ref": ref,
            "amount": reasons.euro(application.amount_granted),
        }
    if action == "complete":
        services.register_completion(
            user, application, completed_on=data["completed_on"], proof=data["proof"]
        )
        return _("Proof of completion registered for %(ref)s.") % {"ref": ref}
    if action == "pay":
        services.pay(user, application, amount=data["amount"], paid_on=data["paid_on"])
        return _("%(ref)s paid: %(amount)s.") % {"ref": ref, "amount": reasons.euro(data["amount"])}
    services.withdraw(user, application, data.get("reason", ""))
    return _("%(ref)s withdrawn.") % {"ref": ref}


# -- LLO conversations ---------------------------------------------------------------------------


@llo_adviser
def llo(request):
    region = _region(request.user)
    form = LLOConversationForm(request.POST or None, region=region)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                conversation = services.record_llo_conversation(
                    request.user,
                    region=region,
                    held_on=data.pop("held_on"),
                    summary=data.pop("summary"),
                    outcome=data.pop("outcome"),
                    employer=data.pop("employer"),
                    **data,
                )
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "LLO conversation %(ref)s with %(name)s recorded. They can now apply for "
                        "a training voucher."
                    )
                    % {"ref": conversation.reference, "name": conversation.person.full_name}
                    if conversation.outcome == LLOOutcome.APPLY
                    else _("LLO conversation %(ref)s with %(name)s recorded.")
                    % {"ref": conversation.reference, "name": conversation.person.full_name},
                )
                return redirect("vouchers:llo")
    context = {
        "form": form,
        "conversations": selectors.recent_llo_conversations(request.user),
    }
    return render(request, "vouchers/llo.html", context, status=status)


# -- budget, figures, employers ----------------------------------------------------------------------


@figures_viewer
def budget(request):
    region = _region(request.user)
    year = _year(request)
    if request.method == "POST":
        if not (is_fund_staff(request.user) or request.user.is_administrator):
            raise Http404
        try:
            services.sync_budgets(region, year, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Budget lines for %(year)s set from the fund's rules.") % {"year": year}
            )
        return redirect(f"{request.path}?year={year}")
    context = {"year": year, **selectors.budget_overview(region, year)}
    context["can_sync"] = is_fund_staff(request.user) or request.user.is_administrator
    return render(request, "vouchers/budget.html", context)


@figures_viewer
def figures(request):
    region = _region(request.user)
    figures = selectors.yearly_figures(region, _year(request))
    outcomes = [
        (label, figures["llo_by_outcome"].get(value, 0)) for value, label in LLOOutcome.choices
    ]
    return render(
        request,
        "vouchers/figures.html",
        {"figures": figures, "outcomes": outcomes, "region": region},
    )


@fund_staff
def employers(request):
    _region(request.user)
    q = request.GET.get("q", "").replace("\x00", "")[:100]  # NUL: no database stores it
    return render(
        request,
        "vouchers/employers.html",
        {"employers": selectors.fund_employers(request.user, q), "q": q, "form": LabelForm()},
    )


@fund_staff
@require_POST
def employer_label(request, pk):
    employers = Employer.objects.all()
    if not request.user.is_administrator:  # another region's employer: as if it did not exist
        employers = employers.filter(region_id=request.user.region_id)
    employer = get_object_or_404(employers, pk=pk)
    form = LabelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("vouchers:employers")
    since = None if "remove" in request.POST else form.cleaned_data["since"] or timezone.localdate()
    try:
        services.set_ikbindr(request.user, employer, since)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s holds the IKBINDR label.") % {"name": employer.name}
            if since
            else _("%(name)s no longer holds the IKBINDR label.") % {"name": employer.name},
        )
    return redirect("vouchers:employers")


# -- residents ---------------------------------------------------------------------------------------


def _rules_summary(region):
    return services.rules_for(region) if services.has_fund(region) else None


@resident_required
def resident_home(request):
    user = request.user
    region = user.person.region
    applications = _present(
        selectors.my_applications(user),
        lambda a: not a.is_employer_application and a.status in APPLICANT_WITHDRAWABLE,
    )
    has_open = any(a.status in OPEN_STATUSES for a in applications)
    context = {
        "applications": applications,
        "conversations": selectors.my_llo_conversations(user),
        "valid_llo": services.valid_llo(user.person, region),
        "has_open": has_open,
        "rules": _rules_summary(region),
    }
    return render(request, "vouchers/resident_home.html", context)


@resident_required
def resident_apply(request):
    user = request.user
    region = user.person.region
    conversation = services.valid_llo(user.person, region)
    if conversation is None:
        messages.info(request, _("First have an LLO conversation: book an appointment."))
        return redirect("vouchers:resident")
    trainings = selectors.catalogue_trainings(region)
    form = ApplicationForm(request.POST or None, trainings=trainings)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = services.apply_as_resident(user, **form.service_data())
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(
                    request,
                    _("We received your application %(ref)s. The fund lets you know its decision.")
                    % {"ref": application.reference},
                )
                return redirect("vouchers:resident")
    context = {"form": form, "conversation": conversation, "rules": _rules_summary(region)}
    return render(request, "vouchers/resident_apply.html", context, status=status)


@resident_required
@require_POST
def resident_withdraw(request, pk):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    try:
        services.withdraw(
            request.user, application, request.POST.get("reason", "").replace("\x00", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("vouchers:resident")


# -- employers ---------------------------------------------------------------------------------------


@employer_only
def employer_home(request):
    user = request.user
    context = {
        "employer": user.employer,
        "applications": _present(
            selectors.company_applications(user), lambda a: a.status in APPLICANT_WITHDRAWABLE
        ),
        "conversations": selectors.company_llo_conversations(user),
        "rules": _rules_summary(user.employer.region),
    }
    return render(request, "vouchers/employer_home.html", context)


@employer_only
def employer_apply(request):
    user = request.user
    region = user.employer.region
    conversations = selectors.company_llo_conversations(user)
    form = EmployerApplicationForm(
        request.POST or None,
        trainings=selectors.catalogue_trainings(region),
        conversations=conversations,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.service_data()
            data.pop("cofinancier", None)
            try:
                application = services.apply_as_employer(
                    user, cofinancier=user.employer.name, **data
                )
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(
                    request,
                    _("We received your application %(ref)s for %(name)s.")
                    % {"ref": application.reference, "name": application.person.full_name},
                )
                return redirect("vouchers:employer")
    context = {
        "form": form,
        "employer": user.employer,
        "conversations": conversations,
        "rules": _rules_summary(region),
    }
    return render(request, "vouchers/employer_apply.html", context, status=status)


@employer_only
@require_POST
def employer_withdraw(request, pk):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    try:
        services.withdraw(
            request.user, application, request.POST.get("reason", "").replace("\x00", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("vouchers:employer")
