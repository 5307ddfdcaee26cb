"""Reads for the appointment screens, scoped by ``visible_to``; no per-row queries."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from django.shortcuts import get_object_or_404
from django.utils import timezone

from werkcentrum.privacy.services import log_list_reads, log_processing

from .models import Booking, Slot

BOOKING_HORIZON = timedelta(days=14)
BOOKING_RELATED = ("slot__walk_in_point", "slot__adviser", "person", "contact", "booked_by")


def free_slots_by_day(user, walk_in_point, *, now=None):
    """Free slots at ``walk_in_point`` in the next 14 days as [(date, [slot, ...]), ...]."""
    now = now or timezone.now()
    slots = (
        Slot.objects.visible_to(user)
        .free()
        .filter(walk_in_point=walk_in_point, starts_at__gt=now, starts_at__lt=now + BOOKING_HORIZON)
        .select_related("adviser")
        .order_by("starts_at", "adviser__last_name", "id")
    )
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date())
    ]


def my_slots(user, *, now=None):
    """The adviser's own upcoming availability, with the booking (if any) on each slot."""
    now = now or timezone.now()
    slots = list(
        Slot.objects.filter(adviser=user, ends_at__gt=now)
        .select_related("walk_in_point")
        .order_by("starts_at")
    )
    bookings = {
        b.slot_id: b
        for b in Booking.objects.booked()
        .filter(slot__in=[s.pk for s in slots])
        .select_related(*BOOKING_RELATED)
    }
    for slot in slots:
        slot.booking = bookings.get(slot.pk)
    log_list_reads(actor=user, activity="intake", objects=list(bookings.values()))
    return slots


def bookings_made_by(user, *, now=None):
    """Upcoming appointments this user booked for someone (a guide's follow-up list)."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.visible_to(user)
        .booked()
        .filter(booked_by=user, slot__ends_at__gt=now)
        .select_related(*BOOKING_RELATED)
        .order_by("slot__starts_at")
    )
    log_list_reads(actor=user, activity="intake", objects=bookings)
    return bookings


def contact_appointments(user, contact):
    return (
        Booking.objects.visible_to(user)
        .filter(contact=contact)
        .select_related(*BOOKING_RELATED)
        .order_by("slot__starts_at")
    )


def booking_detail(user, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.visible_to(user).select_related(*BOOKING_RELATED), pk=pk
    )
    log_processing(actor=user, activity="intake", operation="read", obj=booking)
    return booking


def slot_for_booking(user, pk) -> Slot:
    """A slot the user may book (404 for an unknown or invisible one)."""
    return get_object_or_404(Slot.objects.visible_to(user).select_related("walk_in_point"), pk=pk)
