"""Talent wall screens: public, no login; only a logged-in resident's share is stored."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.core.errors import ServiceError
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.occupations.registry import occupation

from . import selectors, services, tokens
from .forms import SCALE_LABELS, ShareForm, TalentWallForm, field_name
from .talentwall import Profile, rank_areas, score

SESSION_KEY = "orientation_answers"
TOP_AREAS = 5
RESIDENT_LOGIN_PATH = "/mijn/inloggen/"  # residents:login (being built), hard-coded on purpose


def _session_answers(request) -> dict[str, int]:
    answers = request.session.get(SESSION_KEY)
    if not isinstance(answers, dict):
        return {}
    return {k: v for k, v in answers.items() if isinstance(k, str) and isinstance(v, int)}


def _result_url(token: str = "") -> str:
    url = reverse("orientation:result")
    return f"{url}?{urlencode({'r': token})}" if token else url


def start(request):
    region = _region_for(request)
    if request.method == "POST":
        form = TalentWallForm(request.POST)
        if form.is_valid():
            request.session[SESSION_KEY] = dict(form.answers)
            return redirect("orientation:result")
    else:
        initial = {field_name(k): v for k, v in _session_answers(request).items()}
        form = TalentWallForm(initial=initial)
    return render(
        request,
        "orientation/start.html",
        {
            "region": region,
            "form": form,
            "groups": form.rows(),
            "scale": SCALE_LABELS,
            "first_missing": form.first_missing_anchor() if form.is_bound else "",
            "statement_count": len(form.wall.statements),
            "has_answers": bool(_session_answers(request)),
        },
    )


def _profile_from_request(request) -> tuple[Profile | None, bool]:
    """The profile to show, and whether it came from a shared link; None when there is none."""
    if "r" in request.GET:
        return tokens.loads(request.GET.get("r", "")), True
    answers = _session_answers(request)
    if not answers:
        return None, False
    try:
        return score(answers, selectors.wall().statements), False
    except ValueError:  # the statements changed since the answers were given
        request.session.pop(SESSION_KEY, None)
        return None, False


def _area_context(request, region, ranked, lang):
    areas = []
    for item in ranked:
        area = item.area
        examples = [occupation(esco_id) for esco_id in area.esco_ids]
        areas.append(
            {
                "code": area.code,
                "name": area.name(lang),
                "description": area.description(lang),
                "fit": item.fit,
                "explanation": item.explanation(lang),
                "paths": [p.text(lang) for p in area.paths],
                "examples": [o.label for o in examples if o is not None],
                "vacancies": selectors.open_vacancies(region, area),
                "trainings": selectors.trainings(region, area),
                "search_url": reverse("vacancies:public_search")
                + "?"
                + urlencode({"chain": area.chain}),
            }
        )
    return areas


def result(request):
    profile, from_link = _profile_from_request(request)
    if profile is None:
        if from_link:
            messages.warning(
                request,
                _("This result link is not valid. Do the test again to see your result."),
            )
        else:
            messages.info(request, _("Answer the statements first; then you see your result."))
        return redirect("orientation:start")
    region = _region_for(request)
    wall = selectors.wall()
    lang = get_language()
    ranked = rank_areas(profile, wall.areas, top=TOP_AREAS, types=wall.types)
    token = tokens.dumps(profile)
    user = request.user
    can_share = user.is_authenticated and getattr(user, "is_resident", False)
    types = wall.types_by_letter
    return render(
        request,
        "orientation/result.html",
        {
            "region": region,
            "profile": profile,
            "from_link": from_link,
            "code_types": [
                {
                    "letter": t,
                    "name": types[t].name(lang),
                    "description": types[t].description(lang),
                }
                for t in profile.code
            ],
            "bars": [
                {
                    "letter": t,
                    "name": types[t].name(lang),
                    "score": profile.score(t),
                }
                for t in profile.ranking
            ],
            "areas": _area_context(request, region, ranked, lang),
            "token": token,
            "share_url": request.build_absolute_uri(_result_url(token)),
            "can_share": can_share,
            "share_form": ShareForm(initial={"r": token}) if can_share else None,
            "login_url": f"{RESIDENT_LOGIN_PATH}?next={quote(_result_url(token), safe='')}",
            "has_answers": bool(_session_answers(request)),
        },
    )


@require_POST
def share(request):
    form = ShareForm(request.POST)
    profile = tokens.loads(request.POST.get("r", ""))
    if profile is None:
        messages.warning(
            request, _("This result link is not valid. Do the test again to see your result.")
        )
        return redirect("orientation:start")
    back = _result_url(tokens.dumps(profile))
    user = request.user
    if not (user.is_authenticated and getattr(user, "is_resident", False)):
        messages.error(
            request,
            _(
                "Log in with your resident account to share your result with a career adviser, "
                "or ask your question without an account."
            ),
        )
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    wall = selectors.wall()
    ranked = rank_areas(profile, wall.areas, top=TOP_AREAS, types=wall.types)
    try:
        _result, created = services.share_with_adviser(
            user=user,
            profile=profile,
            ranked=list(ranked),
            types=wall.types_by_letter,
            message=form.cleaned_data.get("message", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if created:
        messages.success(request, _("Shared — a career adviser will contact you"))
    else:
        messages.info(
            request, _("You already shared this result. A career adviser will contact you.")
        )
    return redirect(back)


@require_POST
def clear(request):
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Your answers have been deleted."))
    return redirect("orientation:start")
