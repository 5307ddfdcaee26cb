"""Events: job fairs, career days, Meet & Greets, workshops and network days (DOMAIN.md §7).

An event has a capacity; registrations beyond it go on a waiting list (ordered by the moment of
registering). "Registered participants ≤ capacity" cannot be one SQL constraint, so booking runs
in ``services.register``, which locks the event row first (``select_for_update``) and counts.
What the database does guarantee: one active registration per e-mail address per event (a
partial unique index), a sane period, a place and a positive capacity.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    JOB_FAIR = "job_fair", _("Job fair")
    CAREER_DAY = "career_day", _("Career day")
    MEET_AND_GREET = "meet_and_greet", _("Meet & Greet")
    WORKSHOP = "workshop", _("Workshop")
    NETWORK_DAY = "network_day", _("Network day")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Job seekers and residents")
    EMPLOYERS = "employers", _("Employers")
    BOTH = "both", _("Job seekers and employers")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    EXHIBITOR = "exhibitor", _("Exhibitor")


def is_organiser(user) -> bool:
    """Employer advisers and coordinators organise events (administrators may too)."""
    return getattr(user, "is_authenticated", False) and (
        user.is_employer_services or user.is_administrator
    )


def new_cancel_token() -> str:
    return secrets.token_urlsafe(24)


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisers see (and edit) the events of their own region; administrators all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_employer_services:
            return self.filter(region_id=user.region_id)
        return self.none()

    def published(self):
        return self.filter(published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def with_counts(self):
        """``registered_count`` (participants holding a seat), ``waiting_count`` and
        ``exhibitor_count``; one query for a whole list."""
        active = Q(registrations__role=RegistrationRole.PARTICIPANT)
        return self.annotate(
            registered_count=Count(
                "registrations",
                filter=active & Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            waiting_count=Count(
                "registrations",
                filter=active & Q(registrations__status=RegistrationStatus.WAITING),
                distinct=True,
            ),
            exhibitor_count=Count(
                "registrations",
                filter=Q(registrations__role=RegistrationRole.EXHIBITOR)
                & Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
        )


class Event(models.Model):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    walk_in_point = models.ForeignKey(
        "regions.WalkInPoint",
        verbose_name=_("walk-in point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("When the event is not at a walk-in point: name of the venue and street."),
    )
    city = models.CharField(_("place"), max_length=100)
    capacity = models.PositiveIntegerField(_("number of places"))
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.RESIDENTS
    )
    exhibitors_welcome = models.BooleanField(
        _("employers can register as exhibitor"), default=False
    )
    published = models.BooleanField(_("published"), default=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    employers = models.ManyToManyField(
        "employers.Employer", verbose_name=_("employers"), blank=True, related_name="events"
    )
    vacancies = models.ManyToManyField(
        "vacancies.Vacancy", verbose_name=_("vacancies"), blank=True, related_name="events"
    )
    # Raised when the time or place changes, so calendars update the entry (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(walk_in_point__isnull=False) | ~Q(address=""),
                name="event_has_a_place",
            ),
        ]
        indexes = [models.Index(fields=["region", "published", "starts_at"])]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    @property
    def location(self) -> str:
        point = self.walk_in_point
        if point is not None:
            return f"{point.name}, {point.street}, {point.postcode} {point.city}"
        return f"{self.address}, {self.city}" if self.city else self.address

    @property
    def for_residents(self) -> bool:
        return self.audience in (Audience.RESIDENTS, Audience.BOTH)

    @property
    def for_employers(self) -> bool:
        return self.audience in (Audience.EMPLOYERS, Audience.BOTH)

    @property
    def seats_left(self) -> int | None:
        """Free seats; needs ``with_counts()`` (None without it)."""
        registered = getattr(self, "registered_count", None)
        return None if registered is None else max(self.capacity - registered, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def seated(self):
        """Participants holding a seat (exhibitors do not count against the capacity)."""
        return self.filter(status=RegistrationStatus.REGISTERED, role=RegistrationRole.PARTICIPANT)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")


class Registration(models.Model):
    """One registration. Minimal data: a name and an e-mail address (the resident's own record
    or the employer when logged in), the status and, afterwards, whether they attended."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "frontdoor.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        help_text=_("Set when a logged-in resident registered."),
    )
    employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    role = models.CharField(
        _("as"),
        max_length=12,
        choices=RegistrationRole.choices,
        default=RegistrationRole.PARTICIPANT,
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="cancelled_registration_has_cancelled_at",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="registered"),
                name="only_registered_attend",
            ),
            models.CheckConstraint(
                condition=~Q(role="exhibitor")
                | Q(employer__isnull=False, status__in=["registered", "cancelled"]),
                name="exhibitor_is_an_employer",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} @ {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED
