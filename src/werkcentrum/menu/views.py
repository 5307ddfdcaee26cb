"""Screens of the service menu: the public list and detail (no login), a coordinator's edit
and an administrator's approval. Invalid filter values are ignored, never an error."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.models import (
    BENEFIT_CHOICES,
    TOPIC_CHOICES,
    WORK_STATUS_CHOICES,
    AskerType,
)
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.regions.models import Partner, WalkInPoint

from . import selectors, services
from .eligibility import describe, is_valid_on
from .forms import ApprovalForm, ServiceForm
from .models import Menu, Service

PAGE_SIZE = 25
TOPIC_LABELS = dict(TOPIC_CHOICES)


def _choice(value, choices):
    return value if value in choices else ""


def service_list(request):
    region = _region_for(request)
    get = request.GET
    providers = list(
        Partner.objects.filter(
            region=region, menu_services__active=True, menu_services__region=region
        )
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )
    q = get.get("q", "").replace("\x00", "").strip()[:100]  # NUL: no database stores it
    asker = _choice(get.get("for", ""), [value for value, _label in AskerType.choices])
    provider = _choice(get.get("provider", ""), [code for code, _name in providers])
    topic = _choice(get.get("theme", ""), TOPIC_LABELS)
    found = selectors.search(region, q=q, asker=asker, provider=provider, topic=topic)
    page = Paginator(found, PAGE_SIZE).get_page(get.get("page"))
    names = selectors.place_names(region) if page.object_list else {}
    rows = [
        (service, describe(service.rules, names), _labels(service.topics, TOPIC_CHOICES))
        for service in page.object_list
    ]
    cleaned = {"q": q, "for": asker, "provider": provider, "theme": topic}
    query = urlencode({k: v for k, v in cleaned.items() if v})
    return render(
        request,
        "menu/list.html",
        {
            "region": region,
            "menu": Menu.objects.filter(region=region).first(),
            "page": page,
            "rows": rows,
            "q": q,
            "asker": asker,
            "provider": provider,
            "theme": topic,
            "askers": AskerType.choices,
            "providers": providers,
            "themes": TOPIC_CHOICES,
            "query": query,
            "filtered": bool(query),
            "is_staff_user": request.user.is_authenticated and not request.user.is_resident,
        },
    )


def _labels(codes, choices):
    labels = dict(choices)
    return [labels.get(code, code) for code in codes]


def service_detail(request, pk: int):
    region = _region_for(request)
    service = get_object_or_404(selectors.active_services(region), pk=pk)
    user = request.user
    staff = user.is_authenticated and not user.is_resident
    if not staff and not is_valid_on(service, timezone.localdate()):
        raise Http404("Service not valid today")
    names = selectors.place_names(region)
    points = []
    if service.walk_in_service:
        points = list(
            WalkInPoint.objects.filter(
                region=region, services__icontains=f'"{service.walk_in_service}"'
            ).select_related("municipality")
        )
    return render(
        request,
        "menu/detail.html",
        {
            "region": region,
            "service": service,
            "for_whom": describe(service.rules, names),
            "themes": _labels(service.topics, TOPIC_CHOICES),
            "benefits": _labels(service.benefits, BENEFIT_CHOICES),
            "work_statuses": _labels(service.work_statuses, WORK_STATUS_CHOICES),
            "places": [names.get(code, code) for code in service.municipalities],
            "walk_in_points": points,
            "is_staff_user": staff,
            "can_edit": services.can_edit(user, service),
            "can_approve": services.can_approve(user, service),
            "approval_form": ApprovalForm(service=service)
            if services.can_approve(user, service)
            else None,
        },
    )


@login_required
def service_edit(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("region", "provider"), pk=pk)
    if not services.can_edit(request.user, service):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            new_version = services.edit_service(service, request.user, form.changes())
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if new_version:
                messages.success(
                    request, _("Saved as a new version. It awaits approval by the PHA.")
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("menu:detail", pk=service.pk)
    return render(
        request,
        "menu/edit.html",
        {"service": service, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def service_approve(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("region"), pk=pk)
    if not services.can_approve(request.user, service):
        raise PermissionDenied
    form = ApprovalForm(request.POST, service=service)
    if form.is_valid():
        try:
            services.record_approval(service, request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Approval recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("menu:detail", pk=service.pk)
