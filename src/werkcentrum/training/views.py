"""Public training catalogue for residents: every filter in the URL (shareable), no login.

Invalid filter values are ignored, never an error: a shared or hand-edited link always works.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkcentrum.employers.models import Chain
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.occupations.isco import SUB_MAJOR
from werkcentrum.regions.models import Municipality, Partner, PartnerKind

from . import selectors
from .models import Funding, LearningForm, Level, Training

PAGE_SIZE = 20
MAX_COST = 100_000
MAX_WEEKS = 520
COST_STEPS = (0, 250, 500, 1000, 2500, 5000)
WEEK_STEPS = (4, 13, 26, 52, 104)
SORTS = {
    "": ("title", "provider", "pk"),
    "cost": ("cost_eur", "title", "pk"),
    "duration": ("duration_weeks", "title", "pk"),
}


def _int(value, low, high):
    value = (value or "").strip()
    return int(value) if value.isdecimal() and low <= int(value) <= high else None


def _choice(value, choices):
    return value if value in choices else ""


def _cost_label(amount: int) -> str:
    if amount == 0:
        return _("Free")
    return _("up to € %(amount)s") % {"amount": number_format(amount, force_grouping=True)}


def _weeks_label(weeks: int) -> str:
    return ngettext("up to %(n)s week", "up to %(n)s weeks", weeks) % {"n": weeks}


def _steps(steps, current, label):
    values = sorted(set(steps) | ({current} if current is not None else set()))
    return [(value, label(value)) for value in values]


def training_fund_name(region) -> str:
    """Name of the region's training fund (e.g. Twents Fonds voor Vakmanschap), or ""."""
    fund = (
        Partner.objects.filter(region=region, kind=PartnerKind.TRAINING_FUND, active=True)
        .order_by("-default_for_kind", "name")
        .first()
    )
    return fund.name if fund else ""


def funding_explanations(codes, region) -> list[tuple[str, str]]:
    """(label, one-line explanation) for each funding code, in the training's order."""
    fund = training_fund_name(region)
    explain = {
        Funding.TRAINING_FUND: (
            _(
                "The region's training fund (%(fund)s) can pay all or part of the costs. "
                "Ask us whether you qualify."
            )
            % {"fund": fund}
            if fund
            else _("The region's training fund can pay all or part of the costs.")
        ),
        Funding.EMPLOYER: _(
            "Your employer, or the employer that hires you, may pay, for example in a "
            "work-and-learn job."
        ),
        Funding.UWV: _(
            "If you receive a benefit from UWV, UWV can sometimes pay for training that helps "
            "you find work."
        ),
        Funding.MUNICIPALITY: _(
            "If you receive social assistance, your municipality can sometimes pay for training "
            "that helps you find work."
        ),
        Funding.SECTOR_FUND: _(
            "The training and development fund (O&O fund) of the sector can give a subsidy, "
            "usually through the employer."
        ),
        Funding.LIFELONG_LEARNING_CREDIT: _(
            "You can borrow the tuition fees from DUO with the lifelong learning credit "
            "(levenlanglerenkrediet)."
        ),
        Funding.OWN: _("You can also pay for it yourself."),
    }
    labels = dict(Funding.choices)
    return [(labels[code], explain[code]) for code in codes if code in labels]


def training_search(request):
    region = _region_for(request)
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    by_code = {m.code: m for m in municipalities}
    get = request.GET
    q = get.get("q", "").replace("\x00", "").strip()[:100]  # NUL: no database stores it
    level = _choice(get.get("level", ""), Level.values)
    sector = _choice(get.get("sector", ""), Chain.values)
    learning_form = _choice(get.get("learning_form", ""), LearningForm.values)
    funding = _choice(get.get("funding", ""), Funding.values)
    max_cost = _int(get.get("max_cost"), 0, MAX_COST)
    max_weeks = _int(get.get("max_weeks"), 1, MAX_WEEKS)
    municipality = by_code.get(get.get("municipality", ""))
    sort = _choice(get.get("sort", ""), SORTS)

    trainings = selectors.search(
        region,
        q=q,
        level=level,
        sector=sector,
        learning_form=learning_form,
        funding=funding,
        max_cost=max_cost,
        max_weeks=max_weeks,
        municipality=municipality,
    ).order_by(*SORTS[sort])
    page = Paginator(trainings, PAGE_SIZE).get_page(get.get("page"))
    cleaned = {
        "q": q,
        "level": level,
        "sector": sector,
        "learning_form": learning_form,
        "funding": funding,
        "max_cost": max_cost,
        "max_weeks": max_weeks,
        "municipality": municipality.code if municipality else "",
    }
    filtered = any(value not in ("", None) for value in cleaned.values())
    # page links carry the valid filters only (invalid values were ignored, so they go)
    query = urlencode({k: v for k, v in {**cleaned, "sort": sort}.items() if v not in ("", None)})
    return render(
        request,
        "training/search.html",
        {
            "region": region,
            "page": page,
            "q": q,
            "level": level,
            "sector": sector,
            "learning_form": learning_form,
            "funding": funding,
            "max_cost": max_cost,
            "max_weeks": max_weeks,
            "municipality": municipality.code if municipality else "",
            "sort": sort,
            "levels": Level.choices,
            "sectors": Chain.choices,
            "learning_forms": LearningForm.choices,
            "fundings": Funding.choices,
            "costs": _steps(COST_STEPS, max_cost, _cost_label),
            "weeks": _steps(WEEK_STEPS, max_weeks, _weeks_label),
            "municipalities": municipalities,
            "sorts": [
                ("", _("Title (A–Z)")),
                ("cost", _("Cheapest first")),
                ("duration", _("Shortest first")),
            ],
            "query": query,
            "filtered": filtered,
            "catalogue_empty": not page.object_list
            and not filtered
            and not Training.objects.filter(region=region, active=True).exists(),
        },
    )


def training_detail(request, pk):
    region = _region_for(request)
    training = get_object_or_404(
        Training.objects.filter(region=region, active=True).select_related("municipality"), pk=pk
    )
    occupations = list(
        dict.fromkeys(SUB_MAJOR[g[:2]] for g in training.isco_groups if g[:2] in SUB_MAJOR)
    )
    return render(
        request,
        "training/detail.html",
        {
            "region": region,
            "training": training,
            "funding": funding_explanations(training.funding, region),
            "occupations": occupations,
        },
    )
