"""Public vacancy search for residents: filters in the URL (shareable), plain Dutch, no login."""

from __future__ import annotations

import math

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from werkcentrum.employers.models import Chain
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.occupations.chains import CHAIN_ISCO
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.regions.models import Municipality
from werkcentrum.regions.postcodes import default_table, normalise_pc4

from .models import Vacancy, VacancyStatus

PAGE_SIZE = 20
DISTANCES = (5, 10, 20, 30, 50)
POSTCODE_MAX_LENGTH = 7  # "7511 AB"
POSTCODE_DEFAULT_DISTANCE = 10  # km, when a postcode is given without a distance


def _km(a: Municipality, b: Municipality) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _int(value, low, high):
    return int(value) if (value or "").isdecimal() and low <= int(value) <= high else None


def _postcode_origin(raw: str, by_code: dict[str, Municipality]) -> Municipality | None:
    """The region's municipality a typed postcode lies in (by its PC4 area), else None.

    An approximation: distances are then measured from that municipality's centre.
    """
    if len(raw) > POSTCODE_MAX_LENGTH:
        return None
    pc4 = normalise_pc4(raw)
    code = default_table().municipality_for(pc4) if pc4 else None
    return by_code.get(code) if code else None


def vacancy_search(request):
    region = _region_for(request)
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    by_code = {m.code: m for m in municipalities}
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: no database stores it
    chain = request.GET.get("chain", "")
    chain = chain if chain in Chain.values else ""
    place = by_code.get(request.GET.get("place", ""))
    distance = _int(request.GET.get("distance"), 1, 100)
    postcode = request.GET.get("postcode", "").strip()
    postcode_place = _postcode_origin(postcode, by_code) if postcode else None
    postcode_unknown = bool(postcode) and postcode_place is None
    if postcode_place and not distance:
        distance = POSTCODE_DEFAULT_DISTANCE
    origin = postcode_place or place  # a known postcode wins over the place
    hours_min = _int(request.GET.get("hours_min"), 1, 60)
    work_and_learn = request.GET.get("work_and_learn") == "1"

    vacancies = Vacancy.objects.filter(region=region, status=VacancyStatus.OPEN).select_related(
        "employer", "municipality"
    )
    if q:
        esco_ids = [m.esco_id for m in default_normaliser().normalise(q, top=10)]
        vacancies = vacancies.filter(
            Q(title__icontains=q) | Q(occupation_label__icontains=q) | Q(esco_id__in=esco_ids)
        )
    if chain:
        groups = CHAIN_ISCO[chain]
        vacancies = vacancies.filter(isco_group__in=groups)
    if origin and distance:
        near = [m.pk for m in municipalities if m == origin or _km(origin, m) <= distance]
        vacancies = vacancies.filter(municipality_id__in=near)
    elif origin:
        vacancies = vacancies.filter(municipality=origin)
    if hours_min:
        vacancies = vacancies.filter(hours__gte=hours_min)
    if work_and_learn:
        vacancies = vacancies.filter(work_and_learn=True)
    page = Paginator(vacancies.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vacancies/public_list.html",
        {
            "region": region,
            "page": page,
            "q": q,
            "chain": chain,
            "place": place.code if place else "",
            "distance": distance,
            "postcode": postcode[:POSTCODE_MAX_LENGTH],
            "postcode_max_length": POSTCODE_MAX_LENGTH,
            "postcode_place": postcode_place,
            "postcode_unknown": postcode_unknown,
            "origin": origin,
            "hours_min": hours_min,
            "work_and_learn": work_and_learn,
            "chains": Chain.choices,
            "municipalities": municipalities,
            "distances": DISTANCES,
            "query": query.urlencode(),
            "filtered": any([q, chain, place, postcode, hours_min, work_and_learn]),
        },
    )


def vacancy_public_detail(request, pk):
    region = _region_for(request)
    vacancy = get_object_or_404(
        Vacancy.objects.filter(region=region, status=VacancyStatus.OPEN).select_related(
            "employer", "municipality"
        ),
        pk=pk,
    )
    return render(request, "vacancies/public_detail.html", {"vacancy": vacancy, "region": region})
