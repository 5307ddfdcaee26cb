"""Reads for the event screens: public lists (published only), the organisers' lists (scoped by
``visible_to``) and the attendance list; counts by annotation, no per-row queries."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from werkcentrum.employers.models import Employer
from werkcentrum.privacy.services import log_list_reads
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from .models import Event, Registration, RegistrationRole, RegistrationStatus


def public_events(region, *, kind: str = "", city: str = "", now=None):
    """Upcoming published events of ``region``, soonest first, with seat counts."""
    events = (
        Event.objects.published()
        .upcoming(now)
        .filter(region=region)
        .with_counts()
        .select_related("walk_in_point")
        .order_by("starts_at", "id")
    )
    if kind:
        events = events.filter(kind=kind)
    if city:
        events = events.filter(city__iexact=city)
    return events


def public_cities(region, *, now=None) -> list[str]:
    """The places with upcoming published events (the place filter's options)."""
    cities = (
        Event.objects.published()
        .upcoming(now)
        .filter(region=region)
        .values_list("city", flat=True)
        .distinct()
    )
    return sorted(set(cities), key=str.casefold)


def public_event(pk: int) -> Event:
    """A published event with its employers and open vacancies (404 otherwise). Past events
    stay reachable by their link (registration is closed then)."""
    return get_object_or_404(
        Event.objects.published()
        .with_counts()
        .select_related("walk_in_point", "region")
        .prefetch_related(
            Prefetch("employers", queryset=Employer.objects.order_by("name")),
            Prefetch(
                "vacancies",
                queryset=Vacancy.objects.filter(status=VacancyStatus.OPEN)
                .select_related("employer", "municipality")
                .order_by("title"),
            ),
        ),
        pk=pk,
    )


def own_registration(user, event: Event) -> Registration | None:
    """The logged-in resident's or employer user's active registration for ``event``."""
    if not getattr(user, "is_authenticated", False):
        return None
    registrations = Registration.objects.active().filter(event=event)
    if user.is_resident:
        return registrations.filter(person_id=user.person_id).first()
    if user.is_employer and user.email:
        return registrations.filter(employer_id=user.employer_id, email=user.email.lower()).first()
    return None


def staff_events(user, *, past: bool = False, now=None):
    now = now or timezone.now()
    events = Event.objects.visible_to(user).with_counts().select_related("walk_in_point")
    if past:
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return events.filter(ends_at__gt=now).order_by("starts_at", "id")


def staff_event(user, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(user)
        .with_counts()
        .select_related("walk_in_point", "region", "organiser"),
        pk=pk,
    )


def registrations(user, event: Event) -> dict:
    """The event's registrations for its organisers, grouped: seats (participants),
    exhibitors, the waiting list (in order) and cancellations. Reading names is logged."""
    rows = list(
        Registration.objects.filter(event=event)
        .select_related("person", "employer")
        .order_by("created_at", "id")
    )
    log_list_reads(actor=user, activity="events", objects=[r for r in rows if r.person_id])
    registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITING]
    for position, registration in enumerate(waiting, start=1):
        registration.position = position
    return {
        "participants": [r for r in registered if r.role == RegistrationRole.PARTICIPANT],
        "exhibitors": [r for r in registered if r.role == RegistrationRole.EXHIBITOR],
        "waiting": waiting,
        "cancelled": [r for r in rows if r.status == RegistrationStatus.CANCELLED],
    }
