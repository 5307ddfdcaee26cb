"""Appointment screens. Thin: forms in, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from werkcentrum.frontdoor import selectors as frontdoor_selectors
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required

from . import selectors, services
from .forms import BookForm, CancelForm, ChooseSlotForm, PlaceForm, PublishForm, default_day
from .models import Booking, is_staff

staff = role_required(is_staff)
front_office = role_required(lambda u: u.is_front_office)


def _refused(request, form, exc: ServiceError) -> int:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
    return exc.status_code


def _choose_point(request, default):
    """The place whose free times are shown: ?point=<id> or ``default``."""
    region = request.user.region
    if "point" in request.GET:
        form = PlaceForm(request.GET, region=region)
        if form.is_valid():
            return form, form.cleaned_data["point"]
    point = default or PlaceForm(region=region).fields["point"].queryset.first()
    return PlaceForm(initial={"point": point}, region=region), point


@staff
def overview(request):
    user = request.user
    initial = {
        "walk_in_point": user.walk_in_point_id,
        "day": default_day(),
        "start": "09:00",
        "end": "12:00",
        "minutes": 30,
    }
    form = PublishForm(request.POST or None, region=user.region, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                slots = services.publish_availability(user, **form.cleaned_data)
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                if slots:
                    count = len(slots)
                    messages.success(
                        request,
                        ngettext("%(n)s time published.", "%(n)s times published.", count)
                        % {"n": count},
                    )
                else:
                    messages.info(request, _("These times were already published."))
                return redirect("appointments:overview")
    context = {
        "form": form,
        "slots": selectors.my_slots(user),
        "booked_by_me": selectors.bookings_made_by(user) if user.is_front_office else [],
    }
    return render(request, "appointments/overview.html", context, status=status)


@front_office
def book(request):
    contact_id = request.GET.get("contact", "")
    if not contact_id.isdecimal():
        raise Http404
    contact = frontdoor_selectors.contact_detail(request.user, int(contact_id))
    if contact.person is None:
        messages.error(
            request, _("Link a person to the question first: the confirmation goes to them.")
        )
        return redirect("frontdoor:contact_detail", pk=contact.pk)
    place_form, point = _choose_point(request, contact.walk_in_point or request.user.walk_in_point)
    form = BookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slot = selectors.slot_for_booking(request.user, form.cleaned_data["slot"])
            try:
                booking = services.book(
                    request.user, slot, contact.person, contact, form.cleaned_data["note"]
                )
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(request, _booked_message(booking))
                return redirect("frontdoor:contact_detail", pk=contact.pk)
    context = {
        "contact": contact,
        "person": contact.person,
        "place_form": place_form,
        "point": point,
        "form": form,
        "days": selectors.free_slots_by_day(request.user, point) if point else [],
        "appointments": selectors.contact_appointments(request.user, contact),
    }
    return render(request, "appointments/book.html", context, status=status)


def _booked_message(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    text = _("Appointment booked: %(when)s at %(place)s.") % {
        "when": start.strftime("%d-%m-%Y %H:%M"),
        "place": booking.slot.walk_in_point.name,
    }
    if booking.person.email:
        text += " " + _("The confirmation goes to %(email)s.") % {"email": booking.person.email}
    else:
        text += " " + _("No e-mail address is known: give the person the time on paper.")
    return text


def _back(request):
    target = request.POST.get("next", "")
    # A path only: anything else would be taken for a URL pattern name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("appointments:overview")


@staff
@require_POST
def cancel(request, pk):
    booking = get_object_or_404(Booking.objects.visible_to(request.user), pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
        return _back(request)
    try:
        services.cancel(request.user, booking, form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment cancelled. The time is free again."))
    return _back(request)


@front_office
def rebook(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    if not booking.is_booked:
        messages.error(request, _("This appointment was already cancelled."))
        return redirect("appointments:overview")
    place_form, point = _choose_point(request, booking.slot.walk_in_point)
    form = ChooseSlotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slot = selectors.slot_for_booking(request.user, form.cleaned_data["slot"])
            try:
                new = services.rebook(request.user, booking, slot)
            except ServiceError as exc:
                status = _refused(request, form, exc)
            else:
                messages.success(request, _booked_message(new))
                if new.contact_id:
                    return redirect("frontdoor:contact_detail", pk=new.contact_id)
                return redirect("appointments:overview")
    context = {
        "booking": booking,
        "place_form": place_form,
        "point": point,
        "form": form,
        "days": selectors.free_slots_by_day(request.user, point) if point else [],
    }
    return render(request, "appointments/rebook.html", context, status=status)


@staff
def ics(request, pk):
    booking = selectors.booking_detail(request.user, pk)
    response = HttpResponse(services.ical_for(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{booking.pk}.ics"'
    return response
