"""The employer portal: own vacancies, and the anonymised candidate search (k ≥ 5)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.employers.models import Chain
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required
from werkcentrum.regions.models import Subregion
from werkcentrum.vacancies.models import EDUCATION_LEVELS, Vacancy

from . import services

employer_only = role_required(lambda u: u.is_employer)


def _params(source):
    chain = source.get("chain", "")
    chain = chain if chain in Chain.values else ""
    subregion = source.get("subregion", "")[:50]
    education = source.get("min_education", "")
    min_education = int(education) if education.isdigit() and 0 <= int(education) <= 7 else None
    return {"chain": chain, "subregion": subregion, "min_education": min_education}


@employer_only
def home(request):
    employer = request.user.employer
    vacancies = Vacancy.objects.visible_to(request.user).select_related("municipality")[:100]
    return render(request, "portal/home.html", {"employer": employer, "vacancies": vacancies})


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
    try:
        services.request_contact(
            request.user,
            key=request.POST.get("key", ""),
            message=request.POST.get("message", ""),
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
