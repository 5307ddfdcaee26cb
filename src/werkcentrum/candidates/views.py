"""Candidate profiles for advisers: create with consent, see ranked explained vacancies."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.models import Person
from werkcentrum.frontdoor.views import role_required
from werkcentrum.matching import services as matching
from werkcentrum.occupations import registry
from werkcentrum.privacy.services import log_list_reads, log_processing
from werkcentrum.vacancies.models import Vacancy
from werkcentrum.vacancies.views import FACTOR_LABELS

from . import services
from .forms import CandidateForm
from .models import CandidateProfile

advisers = role_required(
    lambda u: u.is_employer_services or u.is_front_office or u.is_administrator
)


@advisers
def candidate_list(request):
    candidates = (
        CandidateProfile.objects.visible_to(request.user)
        .select_related("person", "municipality")
        .order_by("-updated_at")[:200]
    )
    candidates = list(candidates)
    log_list_reads(actor=request.user, activity="candidate_profile", objects=candidates)
    return render(request, "candidates/list.html", {"candidates": candidates})


@advisers
def candidate_edit(request, person_pk):
    # The front office reaches persons through their questions; employer advisers through
    # the person's candidate profile (both scoped to the region).
    persons = Person.objects.visible_to(request.user) | Person.objects.filter(
        candidate__in=CandidateProfile.objects.visible_to(request.user)
    )
    person = get_object_or_404(persons.distinct(), pk=person_pk)
    profile = CandidateProfile.objects.filter(person=person).first()
    initial = {}
    if profile:
        initial = {
            **{
                f: getattr(profile, f)
                for f in (
                    "experience_years",
                    "education_level",
                    "hours_min",
                    "hours_max",
                    "postcode",
                    "travel_radius_km",
                    "work_fit",
                    "benefit_regime",
                    "available",
                    "job_agreement_eligible",
                    "wage_subsidy_eligible",
                    "wants_work_and_learn",
                    "summary",
                )
            },
            "municipality": profile.municipality_id,
            "benefit_municipality": profile.benefit_municipality_id,
            "skills": ", ".join(profile.skills),
            "occupations": [o["esco_id"] for o in profile.occupations],
            "consent": profile.has_consent,
        }
    else:
        initial = {"municipality": person.municipality_id, "postcode": person.postcode}
    form = CandidateForm(request.POST or None, initial=initial, region=person.region)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.save_profile(
                request.user,
                person=person,
                occupations=form.cleaned_data["occupations"],
                consent=form.cleaned_data["consent"],
                **form.profile_fields(),
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _saved_message(profile))
            return redirect("candidates:detail", pk=profile.pk)
    if request.method == "GET":
        log_processing(
            actor=request.user, activity="candidate_profile", operation="read", obj=person
        )
    chosen_ids = (
        form.data.getlist("occupations") if form.is_bound else initial.get("occupations", [])
    )
    chosen = [o for o in (registry.occupation(i) for i in chosen_ids) if o is not None]
    return render(
        request, "candidates/edit.html", {"form": form, "person": person, "chosen": chosen}
    )


def _saved_message(profile) -> str:
    from django.utils.translation import gettext as _

    if profile.has_consent:
        return _("Profile saved. The candidate can now be matched.")
    return _("Profile saved. Without consent the candidate is not matched or shown to employers.")


@advisers
def candidate_detail(request, pk):
    try:
        profile = services.profile_for(request.user, pk)
    except CandidateProfile.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    results = matching.vacancies_for(profile, top=20) if profile.has_consent else []
    vacancies = Vacancy.objects.select_related("municipality").in_bulk([r.id for r in results])
    rows = [
        {
            "result": r,
            "vacancy": vacancies[r.id],
            "factors": [(str(FACTOR_LABELS.get(k, k)), v) for k, v in r.factors.items()],
        }
        for r in results
        if r.id in vacancies
    ]
    return render(
        request,
        "candidates/detail.html",
        {
            "profile": profile,
            "rows": rows,
            "proposals": profile.proposals.select_related("vacancy"),
        },
    )
