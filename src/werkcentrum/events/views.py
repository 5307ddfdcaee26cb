"""Event screens. Public: the calendar, an event with its register form, the .ics download and
cancelling through the signed link. Organisers: their region's events, the create/edit form,
publishing, and the attendance list with a CSV export. Thin: forms in, services write,
selectors read; a refused request shows its message, never a 500."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.core.errors import ServiceError
from werkcentrum.frontdoor.views import _region_for, role_required

from . import selectors, services
from .forms import AttendanceForm, EventForm, RegisterForm, default_start
from .models import (
    Event,
    EventKind,
    Registration,
    RegistrationRole,
    RegistrationStatus,
    is_organiser,
)

organiser = role_required(is_organiser)


def _refused(request, form, exc: ServiceError) -> int:
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
    return exc.status_code


# -- public ------------------------------------------------------------------------------------


def event_list(request):
    region = _region_for(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    cities = selectors.public_cities(region)
    place = request.GET.get("place", "").strip()[:100]
    place = next((c for c in cities if c.casefold() == place.casefold()), "")
    events = list(selectors.public_events(region, kind=kind, city=place))
    return render(
        request,
        "events/list.html",
        {
            "region": region,
            "events": events,
            "kinds": EventKind.choices,
            "kind": kind,
            "cities": cities,
            "place": place,
            "filtered": bool(kind or place),
        },
    )


def _can_register(user, event) -> bool:
    """Whether the register form applies to this visitor (the service checks again)."""
    if getattr(user, "is_authenticated", False):
        if user.is_resident:
            return event.for_residents
        if user.is_employer:
            return event.for_employers or event.exhibitors_welcome
    return True


def event_detail(request, pk):
    event = selectors.public_event(pk)
    user = request.user
    now = timezone.now()
    open_ = event.starts_at > now
    own = selectors.own_registration(user, event)
    can_register = open_ and own is None and _can_register(user, event)
    form = (
        RegisterForm(request.POST if request.method == "POST" else None, event=event, user=user)
        if can_register
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(request, _("You cannot register for this event."))
            return redirect("events:detail", pk=event.pk)
        status = 400
        if form.is_valid():
            try:
                registration = services.register(
                    event, user=user, **form.registration_data(), now=now
                )
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(request, _registered_message(registration))
                return redirect("events:detail", pk=event.pk)
    if own is not None and own.status == RegistrationStatus.WAITING:
        own.position = services.waiting_position(own)
    login_next = urlencode({"next": reverse("events:detail", args=[event.pk])})
    context = {
        "event": event,
        "region": event.region,
        "form": form,
        "open": open_,
        "own": own,
        "can_register": can_register,
        "login_next": login_next,
        "employers": list(event.employers.all()),
        "vacancies": list(event.vacancies.all()),
    }
    return render(request, "events/detail.html", context, status=status)


def _registered_message(registration: Registration) -> str:
    values = {"email": registration.email}
    if registration.status == RegistrationStatus.WAITING:
        values["position"] = services.waiting_position(registration)
        return (
            _(
                "This event is full: you are on the waiting list (number %(position)s). "
                "When a place becomes free, it is yours and we e-mail %(email)s."
            )
            % values
        )
    if registration.role == RegistrationRole.EXHIBITOR:
        return (
            _("Your company is registered as exhibitor. The confirmation goes to %(email)s.")
            % values
        )
    return _("You are registered. The confirmation goes to %(email)s.") % values


def event_ics(request, pk):
    event = selectors.public_event(pk)
    response = HttpResponse(services.ical_for(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{services.ics_filename(event)}"'
    return response


@login_required
@require_POST
def cancel_mine(request, pk):
    """A logged-in resident or employer cancels their own registration from the event page."""
    event = selectors.public_event(pk)
    own = selectors.own_registration(request.user, event)
    if own is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect("events:detail", pk=event.pk)
    try:
        services.cancel(own, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", pk=event.pk)


def cancel_by_link(request, token):
    """The signed link from the e-mail: GET asks to confirm, POST cancels. A tampered or
    unknown link gets a friendly page, and nothing changes."""
    registration = services.registration_for_link(token)
    if registration is None:
        return render(request, "events/cancel_invalid.html", status=404)
    event = registration.event
    context = {"registration": registration, "event": event, "region": event.region}
    if request.method == "POST":
        if registration.status == RegistrationStatus.CANCELLED:
            return render(request, "events/cancel_done.html", context)
        try:
            services.cancel(registration, token=registration.cancel_token)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return render(request, "events/cancel.html", context, status=exc.status_code)
        return render(request, "events/cancel_done.html", context)
    if registration.status == RegistrationStatus.CANCELLED:
        return render(request, "events/cancel_done.html", context)
    return render(request, "events/cancel.html", context)


# -- organisers --------------------------------------------------------------------------------


@organiser
def staff_list(request):
    past = request.GET.get("past") == "1"
    return render(
        request,
        "events/staff_list.html",
        {"events": list(selectors.staff_events(request.user, past=past)), "past": past},
    )


def _event_form(request, event=None):
    user = request.user
    region = event.region if event is not None else user.region
    if region is None:  # an administrator without a region
        messages.error(request, _("Your account has no region; events belong to a region."))
        return redirect("events:staff_list")
    initial = {}
    if event is None:
        initial = {"day": default_start(), "start": "10:00", "end": "16:00", "capacity": 50}
    form = EventForm(
        request.POST if request.method == "POST" else None,
        region=region,
        event=event,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if event is None:
                    event = services.create_event(user, region=region, **form.event_fields())
                    messages.success(
                        request,
                        _("Event saved. It is not public yet: publish it when it is ready."),
                    )
                else:
                    services.update_event(user, event, **form.event_fields())
                    messages.success(request, _("Event saved."))
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                return redirect("events:edit", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": event}, status=status)


@organiser
def event_new(request):
    return _event_form(request)


@organiser
def event_edit(request, pk):
    return _event_form(request, selectors.staff_event(request.user, pk))


@organiser
@require_POST
def event_publish(request, pk):
    event = selectors.staff_event(request.user, pk)
    publish = request.POST.get("published") == "1"
    try:
        services.set_published(request.user, event, publish)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if publish:
            messages.success(request, _("The event is published on the public events page."))
        else:
            messages.info(request, _("The event is no longer public. Registrations are kept."))
    return redirect("events:edit", pk=event.pk)


@organiser
def attendance(request, pk):
    event = selectors.staff_event(request.user, pk)
    groups = selectors.registrations(request.user, event)
    present = groups["participants"] + groups["exhibitors"]
    status = 200
    if request.method == "POST":
        form = AttendanceForm(request.POST, registrations=present)
        status = 400
        if form.is_valid():
            try:
                count = services.set_attendance(request.user, event, form.cleaned_data["attended"])
            except ServiceError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(n)s of %(total)s attended.")
                    % {"n": count, "total": len(present)},
                )
                return redirect("events:attendance", pk=event.pk)
        else:
            messages.error(request, _("The list changed meanwhile; check it and save again."))
    return render(request, "events/attendance.html", {"event": event, **groups}, status=status)


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@organiser
def attendance_csv(request, pk):
    """Who registered and whether they came: name, organisation, role, attended. No e-mail
    addresses or other personal data: the list is for counting and follow-up at the desk."""
    event = selectors.staff_event(request.user, pk)
    groups = selectors.registrations(request.user, event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="aanwezigheid-evenement-{event.pk}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("Organisation"), _("Take part as"), _("Attended")])
    labels = {True: _("yes"), False: _("no"), None: _("not recorded")}
    for registration in groups["participants"] + groups["exhibitors"]:
        writer.writerow(
            [
                _cell(registration.name),
                _cell(registration.organisation),
                registration.get_role_display(),
                labels[registration.attended],
            ]
        )
    return response


@organiser
@require_POST
def registration_cancel(request, pk):
    """An organiser cancels someone's registration (e.g. they phoned); the waiting list moves."""
    registration = get_object_or_404(
        Registration.objects.filter(event__in=Event.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        services.cancel(registration, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Registration of %(name)s cancelled.") % {"name": registration.name}
        )
    return redirect("events:attendance", pk=registration.event_id)
