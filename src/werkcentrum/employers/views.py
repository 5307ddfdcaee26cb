"""Employer services screens: employers, contact log, satisfaction survey answer page."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required

from . import selectors, services
from .forms import ContactLogForm, EmployerForm, LocationForm, NpsForm
from .models import Employer, EmployerContactPerson, NpsSurvey

employer_services = role_required(lambda u: u.is_employer_services or u.is_administrator)


@employer_services
def employer_list(request):
    query = request.GET.get("q", "").replace("\x00", "")[:100]  # NUL: no database stores it
    employers = selectors.employer_list(request.user, query)[:200]
    today = timezone.localdate()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    next_year = date(today.year + 1, 1, 1)
    satisfaction = {
        "quarter": services.nps(request.user.region, quarter_start, next_year),
        "year": services.nps(request.user.region, date(today.year, 1, 1), next_year),
    }
    return render(
        request, "employers/list.html", {"employers": employers, "q": query, "nps": satisfaction}
    )


@employer_services
def employer_new(request):
    region = request.user.region
    form = EmployerForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                employer = services.create_employer(
                    request.user,
                    region=region,
                    name=data["name"],
                    kvk_number=data["kvk_number"],
                    sbi_code=data["sbi_code"],
                    chain=data["chain"],
                    size_class=data["size_class"],
                    municipality=data["municipality"],
                    job_agreement_employer=data["job_agreement_employer"],
                    wage_subsidy_experience=data["wage_subsidy_experience"],
                )
                if data["contact_name"]:
                    EmployerContactPerson.objects.create(
                        employer=employer,
                        name=data["contact_name"],
                        email=data["contact_email"],
                        phone=data["contact_phone"],
                    )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Employer %(name)s registered.") % {"name": employer.name})
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/new.html", {"form": form})


def _employer(request, pk) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)


@employer_services
def employer_detail(request, pk):
    employer = _employer(request, pk)
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "contacts": employer.contacts.select_related("user")[:50],
            "vacancies": employer.vacancies.select_related("municipality")[:100],
            "placements": employer.placements.select_related("vacancy")[:50],
            "contact_persons": employer.contact_persons.all(),
            "surveys": employer.nps_surveys.order_by("-sent_at")[:20],
            "log_form": ContactLogForm(),
            "location_form": LocationForm(region=employer.region),
            "locations": employer.locations.select_related("municipality"),
        },
    )


@employer_services
@require_POST
def employer_log_contact(request, pk):
    employer = _employer(request, pk)
    form = ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.log_contact(employer, request.user, **form.cleaned_data)
            messages.success(request, _("Contact registered."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the contact a subject and a channel."))
    return redirect("employers:detail", pk=pk)


@employer_services
@require_POST
def employer_add_location(request, pk):
    employer = _employer(request, pk)
    form = LocationForm(request.POST, region=employer.region)
    if form.is_valid():
        data = form.cleaned_data
        services.require_employer_services(request.user, employer.region_id)
        employer.locations.create(
            **{**data, "postcode": (data["postcode"] or "").replace(" ", "").upper()}
        )
        messages.success(request, _("Location added."))
    else:
        messages.error(
            request,
            _("Check the location: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[f].label}: {e[0]}"
                    for f, e in form.errors.items()
                    if f in form.fields
                )
            },
        )
    return redirect("employers:detail", pk=pk)


def nps_answer(request, token: str):
    """Public page behind the link in the survey e-mail: one question, 0–10."""
    survey = get_object_or_404(NpsSurvey.objects.select_related("employer"), token=token)
    if survey.answered_at:
        return render(request, "employers/nps_thanks.html", {"survey": survey, "already": True})
    form = NpsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_nps(token, form.cleaned_data["score"], form.cleaned_data["comment"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "employers/nps_thanks.html", {"survey": survey})
    return render(request, "employers/nps.html", {"form": form, "survey": survey})
