"""My Werkcentrum (/mijn/): the resident's own questions, consents, appointments and data."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from werkcentrum.accounts.models import Role
from werkcentrum.accounts.views import PENDING_KEY
from werkcentrum.appointments import selectors as appointment_selectors
from werkcentrum.appointments import services as appointments
from werkcentrum.appointments.models import Booking, Slot
from werkcentrum.candidates import services as candidates
from werkcentrum.core.errors import ServiceError
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.regions.models import WalkInPoint

from . import accounts, export, selectors, services
from .forms import (
    CancelForm,
    DeletionForm,
    EmailLinkForm,
    PasswordLoginForm,
    QuestionForm,
    RegisterForm,
    SetPasswordForm,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def resident_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "residents:login")
        if not request.user.is_resident:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/mijn/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "residents:home"


def _log_in(request, user):
    """Log in, or go to the second step when the resident turned on two-factor login."""
    if user_has_device(user, confirmed=True):
        request.session[PENDING_KEY] = user.pk
        request.session["werkcentrum_next"] = _next(request)
        return redirect("accounts:login_otp")
    user.backend = MODEL_BACKEND
    login(request, user)
    return redirect(_next(request))


# -- logging in -----------------------------------------------------------------------------------


def login_view(request):
    if request.user.is_authenticated and request.user.is_resident:
        return redirect("residents:home")
    link_form = EmailLinkForm(request.POST if "send_link" in request.POST else None)
    password_form = PasswordLoginForm(request, request.POST if "password" in request.POST else None)
    if request.method == "POST":
        if "send_link" in request.POST and link_form.is_valid():
            services.send_login_link(link_form.cleaned_data["email"])
            return render(
                request, "residents/link_sent.html", {"email": link_form.cleaned_data["email"]}
            )
        if "password" in request.POST and password_form.is_valid():
            return _log_in(request, password_form.user)
    return render(
        request,
        "residents/login.html",
        {
            "link_form": link_form,
            "password_form": password_form,
            "next": request.GET.get("next", ""),
            "digid": getattr(settings, "WERKCENTRUM_DIGID_ENABLED", False),
        },
    )


def login_link(request, token: str):
    """GET shows a button, POST logs in: mail scanners that open links do not use them up."""
    user = accounts.user_for_login_token(token)
    if user is None:
        return render(request, "residents/link_invalid.html", status=400)
    if request.method == "POST":
        return _log_in(request, user)
    return render(request, "residents/link_confirm.html", {"account": user})


def register(request):
    region = _region_for(request)
    form = RegisterForm(region, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register(
                region,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                municipality=data["municipality"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(request, "residents/link_sent.html", {"email": data["email"]})
    return render(request, "residents/register.html", {"form": form, "region": region})


# -- the portal -------------------------------------------------------------------------------------


@resident_required
def home(request):
    user = request.user
    questions = selectors.with_latest_handover(selectors.my_questions(user)[:50])
    active, _ended = selectors.split_consents(selectors.my_consents(user))
    return render(
        request,
        "residents/home.html",
        {
            "person": user.person,
            "questions": questions,
            "active_consents": active,
            "bookings": list(selectors.upcoming_bookings(user)[:10]),
            "deletion": selectors.open_deletion_request(user),
        },
    )


@resident_required
def question_detail(request, pk: int):
    contact = selectors.my_question(request.user, pk)
    return render(
        request,
        "residents/question.html",
        {
            "contact": contact,
            "handover": contact.latest_handover,
            "steps": selectors.timeline(contact),
            "bookings": [b for b in selectors.my_bookings(request.user) if b.contact_id == pk],
        },
    )


@resident_required
def ask(request):
    person = request.user.person
    form = QuestionForm(
        person.region, request.POST or None, initial={"municipality": person.municipality_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.ask_question(
                request.user,
                question=form.cleaned_data["question"],
                municipality=form.cleaned_data["municipality"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("We received your question %(ref)s. You see here where it stands.")
                % {"ref": contact.reference},
            )
            return redirect("residents:question", pk=contact.pk)
    return render(request, "residents/ask.html", {"form": form})


@resident_required
def consents(request):
    active, ended = selectors.split_consents(selectors.my_consents(request.user))
    return render(
        request,
        "residents/consents.html",
        {
            "active": active,
            "ended": ended,
            "proposals": list(candidates.identity_requests_for(request.user)),
            "profile": getattr(request.user.person, "candidate", None),
        },
    )


@resident_required
@require_POST
def matching_consent(request):
    give = request.POST.get("give") == "1"
    try:
        candidates.set_matching_consent(request.user, give=give)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Advisers can now match you with vacancies.")
            if give
            else _("You are no longer matched with vacancies."),
        )
    return redirect("residents:consents")


@resident_required
@require_POST
def identity(request, pk: int):
    proposal = get_object_or_404(candidates.identity_requests_for(request.user), pk=pk)
    share = request.POST.get("share") == "1"
    try:
        candidates.decide_identity(request.user, proposal, share=share)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        employer = proposal.vacancy.employer.name
        messages.success(
            request,
            (
                _("%(employer)s now sees your name and contact details.")
                if share
                else _("%(employer)s does not see who you are.")
            )
            % {"employer": employer},
        )
    return redirect("residents:consents")


@resident_required
@require_POST
def consent_withdraw(request, pk: int):
    try:
        consent = services.withdraw_consent(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Consent withdrawn: %(partner)s no longer receives your data from us.")
            % {"partner": consent.partner.name},
        )
    return redirect("residents:consents")


@resident_required
def processing_log(request):
    page = Paginator(selectors.my_processing_log(request.user), 50).get_page(
        request.GET.get("page")
    )
    roles = dict(Role.choices)
    for entry in page.object_list:
        entry.who = selectors.who(entry, request.user, roles)
    return render(request, "residents/log.html", {"page": page})


@resident_required
def my_data(request):
    return render(
        request, "residents/data.html", {"deletion": selectors.open_deletion_request(request.user)}
    )


@resident_required
def export_json(request):
    services.log_export(request.user, "json")
    data = export.collect(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-werkcentrum.json"'
    return response


@resident_required
def export_pdf(request):
    services.log_export(request.user, "pdf")
    response = HttpResponse(
        export.as_pdf(export.collect(request.user)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-werkcentrum.pdf"'
    return response


@resident_required
def deletion(request):
    current = selectors.open_deletion_request(request.user)
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_deletion(request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "We received your request. We handle it within one month and tell you by e-mail."
                ),
            )
        return redirect("residents:data")
    return render(request, "residents/deletion.html", {"form": form, "current": current})


@resident_required
def account(request):
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(request.user, form.cleaned_data["password1"])
        except ServiceError as exc:
            form.add_error("password1", exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is set. You can now also log in with it."))
            return redirect("residents:account")
    return render(request, "residents/account.html", {"form": form})


# -- appointments -------------------------------------------------------------------------------


@resident_required
def appointments_view(request):
    user = request.user
    now = timezone.now()
    bookings = list(selectors.my_bookings(user))
    upcoming = [b for b in bookings if b.is_booked and b.slot.ends_at > now]
    past = [b for b in bookings if b not in upcoming]
    points = WalkInPoint.objects.filter(region=user.person.region).order_by("name")
    point = (
        points.filter(pk=request.GET.get("place") or 0).first()
        if request.GET.get("place", "").isdecimal()
        else None
    )
    days = appointment_selectors.free_slots_by_day(user, point) if point else []
    return render(
        request,
        "residents/appointments.html",
        {
            "upcoming": upcoming,
            "past": past[:20],
            "points": points,
            "point": point,
            "days": days,
        },
    )


@resident_required
@require_POST
def appointment_book(request):
    user = request.user
    slot_pk = request.POST.get("slot", "")
    slot = get_object_or_404(
        Slot.objects.visible_to(user).select_related("walk_in_point"),
        pk=slot_pk if slot_pk.isdecimal() else 0,
    )
    try:
        booking = appointments.book(
            user, slot, user.person, note=request.POST.get("note", "").replace("\x00", "")[:500]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('residents:appointments')}?place={slot.walk_in_point_id}")
    messages.success(
        request,
        _("Your appointment is booked: %(when)s. We sent a confirmation by e-mail.")
        % {"when": appointments.describe_time(booking.slot)},
    )
    return redirect("residents:appointments")


@resident_required
def appointment_cancel(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related("slot__walk_in_point"), pk=pk
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointments.cancel(
                request.user,
                booking,
                form.cleaned_data["reason"] or _("Cancelled by the resident in the portal"),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your appointment is cancelled."))
        return redirect("residents:appointments")
    return render(request, "residents/cancel.html", {"booking": booking, "form": form})


@resident_required
def appointment_ics(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "slot__walk_in_point", "slot__adviser", "person"
        ),
        pk=pk,
    )
    response = HttpResponse(appointments.ical_for(booking), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="afspraak.ics"'
    return response
