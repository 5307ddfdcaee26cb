"""The employer portal: own vacancies, and the anonymised candidate search (k ≥ 5)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.candidates.services import VISIBLE_TO_EMPLOYER, proposals_for_employer
from werkcentrum.employers.models import Chain
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required
from werkcentrum.regions.models import Subregion
from werkcentrum.vacancies.models import EDUCATION_LEVELS, Vacancy

from . import services
from .forms import QuestionForm

employer_only = role_required(lambda u: u.is_employer)


def _params(source):
    chain = source.get("chain", "")
    chain = chain if chain in Chain.values else ""
    subregion = source.get("subregion", "").replace("\x00", "")[:50]  # NUL: no database stores it
    education = source.get("min_education", "")
    min_education = int(education) if education.isdecimal() and 0 <= int(education) <= 7 else None
    return {"chain": chain, "subregion": subregion, "min_education": min_education}


@employer_only
def home(request):
    employer = request.user.employer
    vacancies = (
        Vacancy.objects.visible_to(request.user)
        .select_related("municipality")
        .annotate(proposed=Count("proposals", filter=Q(proposals__status__in=VISIBLE_TO_EMPLOYER)))
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "portal/home.html",
        {
            "employer": employer,
            "vacancies": vacancies,
            "questions": services.employer_questions(request.user)[:20],
            "question_form": QuestionForm(),
        },
    )


@employer_only
@require_POST
def ask(request):
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            contact = services.ask_question(request.user, question=form.cleaned_data["question"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Your question %(ref)s went to the Werkcentrum; your account holder is informed.")
                % {"ref": contact.reference},
            )
    else:
        messages.error(request, _("Please describe your question."))
    return redirect("portal:home")


@employer_only
def proposals(request):
    return render(
        request,
        "portal/proposals.html",
        {"employer": request.user.employer, "proposals": proposals_for_employer(request.user)},
    )


@employer_only
def candidate_search(request):
    params = _params(request.GET)
    groups, error = None, ""
    if "search" in request.GET:
        try:
            groups, _result = services.search(request.user, **params)
        except ServiceError as exc:
            error = exc.message
    return render(
        request,
        "portal/search.html",
        {
            "groups": groups,
            "error": error,
            "params": params,
            "chains": Chain.choices,
            "subregions": Subregion.objects.filter(region=request.user.employer.region),
            "education_levels": EDUCATION_LEVELS,
            "k": services.K,
        },
    )


@employer_only
@require_POST
def contact_request(request):
    params = _params(request.POST)
    message = request.POST.get("message", "").replace("\x00", "")  # NUL: no database stores it
    try:
        services.request_contact(
            request.user,
            key=request.POST.get("key", ""),
            message=message,
            **params,
        )
        messages.success(
            request,
            _(
                "Your request went to your account holder at the Werkcentrum, who will contact "
                "you. Candidates are never contacted directly."
            ),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("portal:home")
