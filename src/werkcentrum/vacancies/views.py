"""Employer services screens for vacancies: register (title → ESCO), ranked explained candidates,
shortlist and proposals, placement, and import from the old systems."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from werkcentrum.candidates import services as candidate_services
from werkcentrum.candidates.forms import PlacementForm
from werkcentrum.candidates.models import CandidateProfile, Proposal
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required
from werkcentrum.matching import engine
from werkcentrum.matching import services as matching
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.privacy.services import log_list_reads

from . import services
from .forms import ImportForm, VacancyForm, WeightsForm
from .models import Vacancy, VacancyStatus

employer_services = role_required(lambda u: u.is_employer_services or u.is_administrator)
FACTOR_LABELS = {
    "occupation": gettext_lazy("occupation"),
    "skills": gettext_lazy("skills"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours"),
    "education": gettext_lazy("education"),
    "work_and_learn": gettext_lazy("work-and-learn"),
    "semantic": gettext_lazy("text similarity"),
}


@employer_services
def vacancy_list(request):
    vacancies = Vacancy.objects.visible_to(request.user).select_related("employer", "municipality")
    status = request.GET.get("status", "open")
    if status in VacancyStatus.values:
        vacancies = vacancies.filter(status=status)
    return render(
        request,
        "vacancies/list.html",
        {"vacancies": vacancies[:300], "status": status, "statuses": VacancyStatus.choices},
    )


def occupation_suggestions(request):
    """htmx: ranked ESCO occupations for a typed title (also used without a login by the portal)."""
    title = request.GET.get("title", "")[:200]
    matches = default_normaliser().normalise(title, top=8) if title.strip() else []
    return render(
        request,
        "vacancies/_occupations.html",
        {
            "matches": matches,
            "selected": request.GET.get("esco_id", ""),
            "multi": request.GET.get("mode") == "multi",
        },
    )


@role_required(lambda u: u.is_employer_services or u.is_administrator or u.is_employer)
def vacancy_new(request):
    user = request.user
    if user.is_employer:
        employer_id = user.employer_id
    else:
        raw = request.GET.get("employer") or request.POST.get("employer") or ""
        employer_id = int(raw) if raw.isascii() and raw.isdigit() else None
    employer = get_object_or_404(Employer.objects.visible_to(user), pk=employer_id)
    form = VacancyForm(request.POST or None, region=employer.region)
    matches = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["esco_id"]:
            matches = default_normaliser().normalise(data["title"], top=8)
            form.add_error("esco_id", _("Choose the occupation that fits this title."))
        else:
            try:
                vacancy = services.create_vacancy(
                    user,
                    employer=employer,
                    esco_id=data["esco_id"],
                    title=data["title"],
                    hours=data["hours"],
                    municipality=data["municipality"],
                    **form.vacancy_fields(),
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Vacancy registered."))
                if user.is_employer:
                    return redirect("portal:home")
                return redirect("vacancies:detail", pk=vacancy.pk)
    elif request.method == "POST" and form.data.get("title"):
        matches = default_normaliser().normalise(form.data.get("title", ""), top=8)
    return render(
        request,
        "vacancies/new.html",
        {
            "form": form,
            "employer": employer,
            "matches": matches,
            "selected": form.data.get("esco_id", ""),
        },
    )


def _weights_and_filters(form: WeightsForm) -> tuple[engine.Weights, engine.Filters, bool]:
    if not form.is_valid():
        return engine.Weights(), engine.Filters(), False
    data = form.cleaned_data
    defaults = engine.Weights()
    given = {
        k: data[k]
        for k in ("occupation", "skills", "distance", "hours", "education", "work_and_learn")
        if data.get(k) is not None
    }
    custom = bool(given)
    weights = (
        engine.Weights(**{**{k: getattr(defaults, k) for k in given}, **given})
        if custom
        else defaults
    )
    # An unticked box sends nothing: only a submitted weights form can switch the filter off.
    radius = data.get("within_travel_radius") if "within_travel_radius_shown" in form.data else True
    filters = engine.Filters(within_travel_radius=bool(radius))
    return weights, filters, custom or not radius


@employer_services
def vacancy_detail(request, pk):
    vacancy = get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related("employer", "municipality"), pk=pk
    )
    weights_form = WeightsForm(request.GET or None)
    weights, filters, customised = _weights_and_filters(weights_form)
    if vacancy.job_agreement:
        filters = engine.Filters(**{**filters.__dict__, "job_agreement_only": True})
    results = matching.candidates_for(vacancy, top=25, weights=weights, filters=filters)
    profiles = CandidateProfile.objects.select_related("municipality").in_bulk(
        [r.id for r in results]
    )
    rows = []
    for result in results:
        profile = profiles.get(result.id)
        if profile is None:  # deleted since the index last synced
            continue
        rows.append(
            {
                "result": result,
                "candidate": profile,
                "factors": [(str(FACTOR_LABELS.get(k, k)), v) for k, v in result.factors.items()],
            }
        )
    # The list shows candidate numbers, occupations and municipality, not names: the adviser
    # opens a profile (logged) to see who it is.
    proposals = vacancy.proposals.select_related("candidate__person", "candidate__municipality")
    log_list_reads(
        actor=request.user, activity="candidate_profile", objects=[p.candidate for p in proposals]
    )
    return render(
        request,
        "vacancies/detail.html",
        {
            "vacancy": vacancy,
            "rows": rows,
            "weights_form": weights_form,
            "weights": weights,
            "customised": customised,
            "proposals": proposals,
            "filters": filters,
            "placement_form": PlacementForm(employer=vacancy.employer, vacancy=vacancy),
            "statuses": [s for s in VacancyStatus.choices if s[0] != vacancy.status],
        },
    )


@employer_services
@require_POST
def vacancy_status(request, pk):
    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
    try:
        services.change_status(vacancy, request.user, request.POST.get("status", ""))
        messages.success(request, _("Status changed."))
    except (ServiceError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Unknown status.")))
    return redirect("vacancies:detail", pk=pk)


@employer_services
@require_POST
def vacancy_shortlist(request, pk):
    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
    candidate_pk = request.POST.get("candidate", "")
    if not (candidate_pk.isascii() and candidate_pk.isdigit()):
        raise Http404
    candidate = get_object_or_404(
        CandidateProfile.objects.visible_to(request.user), pk=int(candidate_pk)
    )
    if not candidate.has_consent:
        messages.error(request, _("This candidate has not given consent for matching."))
        return redirect("vacancies:detail", pk=pk)
    explained = matching.candidate_index(vacancy.region_id).explain(
        matching.vacancy_profile(vacancy), candidate.pk, engine.Weights(), engine.Filters()
    )
    try:
        candidate_services.shortlist(
            request.user,
            vacancy=vacancy,
            candidate=candidate,
            match=matching.result_dict(explained),
        )
        messages.success(request, _("Candidate %(id)s is on the shortlist.") % {"id": candidate.pk})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("vacancies:detail", pk=pk)


@employer_services
@require_POST
def proposal_move(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.filter(vacancy__in=Vacancy.objects.visible_to(request.user)), pk=pk
    )
    try:
        candidate_services.move_proposal(
            request.user,
            proposal,
            request.POST.get("status", ""),
            request.POST.get("note", "").replace("\x00", "")[:1000],  # NUL: no database stores it
        )
        messages.success(request, _("Updated."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("vacancies:detail", pk=proposal.vacancy_id)


@employer_services
@require_POST
def proposal_identity(request, pk):
    """The adviser records what the candidate said: may the employer know who they are?"""
    proposal = get_object_or_404(
        Proposal.objects.filter(vacancy__in=Vacancy.objects.visible_to(request.user)), pk=pk
    )
    try:
        candidate_services.decide_identity(
            request.user, proposal, share=request.POST.get("share") == "1"
        )
        messages.success(request, _("Updated."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("vacancies:detail", pk=proposal.vacancy_id)


@employer_services
@require_POST
def vacancy_placement(request, pk):
    vacancy = get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related("employer"), pk=pk
    )
    form = PlacementForm(request.POST, employer=vacancy.employer, vacancy=vacancy)
    if form.is_valid():
        data = form.cleaned_data
        candidate = data.get("candidate")
        try:
            with transaction.atomic():
                candidate_services.record_placement(
                    request.user,
                    employer=vacancy.employer,
                    vacancy=vacancy,
                    candidate=candidate,
                    start_date=data["start_date"],
                    hours=data["hours"],
                    benefit_regime=candidate.benefit_regime
                    if candidate
                    else data["benefit_regime"],
                    benefit_municipality=data.get("benefit_municipality"),
                    source=data["source"],
                    ends_benefit=data["ends_benefit"],
                )
            messages.success(request, _("Placement recorded; it counts towards the targets."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request,
            _("Check the placement: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[f].label}: {e[0]}"
                    for f, e in form.errors.items()
                    if f in form.fields
                )
            },
        )
    return redirect("vacancies:detail", pk=pk)


@employer_services
def vacancy_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.import_vacancies(
            upload.read(services.MAX_UPLOAD + 1),
            upload.name,
            user=request.user,
            region=request.user.region,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request, "vacancies/import.html", {"form": form, "report": report, "today": date.today()}
    )
