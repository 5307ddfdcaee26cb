"""Appointments: advisers publish slots at a walk-in point (or the regional centre); a slot
holds at most one booking at a time, guaranteed by the database (a partial unique index)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.accounts.models import Role

# Werkcentrum staff who publish availability and work with appointments.
STAFF_ROLES = {Role.GUIDE, Role.COORDINATOR, Role.EMPLOYER_ADVISER}


def is_staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in STAFF_ROLES


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class SlotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and residents see the slots in their region (slots carry no personal data)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if is_staff(user):
            return self.filter(walk_in_point__region_id=user.region_id)
        if user.is_resident:
            return self.filter(walk_in_point__region_id=user.person.region_id)
        return self.none()

    def with_taken(self):
        booked = Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED)
        return self.annotate(is_taken=Exists(booked))

    def free(self):
        return self.with_taken().filter(is_taken=False)


class Slot(models.Model):
    """One bookable period of one adviser at one place."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    walk_in_point = models.ForeignKey(
        "regions.WalkInPoint",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts"
            ),
            models.UniqueConstraint(
                fields=["adviser", "starts_at"], name="one_slot_per_adviser_per_start"
            ),
        ]
        indexes = [models.Index(fields=["walk_in_point", "starts_at"])]

    def __str__(self):
        return f"{self.walk_in_point} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Front office sees the appointments in its region; an employer adviser those on
        their own slots (they meet the person); a resident their own; partners and managers
        none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(slot__walk_in_point__region_id=user.region_id)
        if is_staff(user):
            return self.filter(slot__adviser=user)
        if user.is_resident:  # only their own
            return self.filter(person_id=user.person_id)
        return self.none()

    def booked(self):
        return self.filter(status=BookingStatus.BOOKED)


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        "frontdoor.Person", on_delete=models.CASCADE, related_name="appointments"
    )
    contact = models.ForeignKey(
        "frontdoor.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the resident booked it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    note = models.TextField(_("note for the adviser"), blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # No double booking, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="one_booking_per_slot"
            ),
            models.CheckConstraint(
                condition=Q(status="booked", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="cancelled_booking_has_cancelled_at",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.slot}"

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED
