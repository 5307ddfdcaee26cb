"""Every change to appointments goes through here: one transaction per service, a permission
check, the processing log, and e-mails only after the transaction commits (queued in the
outbox, ``werkcentrum.outbox``, and sent by the task queue).

No double booking is guaranteed by the database (``one_booking_per_slot``, a partial unique
index on the booked slot); ``book`` turns the violation into a clear Conflict.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import partial
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkcentrum.accounts.models import User
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.frontdoor.models import Contact, ContactEvent, Person
from werkcentrum.outbox.services import queue_email
from werkcentrum.privacy.services import log_processing
from werkcentrum.regions.models import WalkInPoint

from . import ical
from .models import Booking, BookingStatus, Slot, is_staff

logger = logging.getLogger(__name__)

ACTIVITY = "intake"  # an appointment is part of handling the person's question
REMINDER_WINDOW = timedelta(hours=24)


# -- availability ------------------------------------------------------------------------------


def _parse_time(value: str | time, field: str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a time like 09:30."), field=field) from None


def _local(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


@transaction.atomic
def publish_availability(
    adviser: User,
    walk_in_point: WalkInPoint,
    day: date,
    start: str | time,
    end: str | time,
    minutes: int = 30,
) -> list[Slot]:
    """Cut ``start``–``end`` on ``day`` into slots of ``minutes``. Slots already published
    exactly so are skipped; an overlap with other own slots (anywhere) is refused."""
    if not is_staff(adviser):
        raise NotAllowed(_("Only Werkcentrum staff can publish availability."))
    if walk_in_point.region_id != adviser.region_id:
        raise NotAllowed(_("This walk-in point belongs to another region."))
    if not 5 <= minutes <= 240:
        raise ServiceError(_("An appointment lasts between 5 and 240 minutes."), field="minutes")
    first, last = _local(day, _parse_time(start, "start")), _local(day, _parse_time(end, "end"))
    if last <= first:
        raise ServiceError(_("The end time must be after the start time."), field="end")
    if first <= timezone.now():
        raise ServiceError(_("You cannot publish availability in the past."), field="day")
    step = timedelta(minutes=minutes)
    periods = []
    while first + step <= last:
        periods.append((first, first + step))
        first += step
    if not periods:
        raise ServiceError(_("This period is shorter than one appointment."), field="end")

    own = list(
        Slot.objects.filter(
            adviser=adviser, starts_at__lt=periods[-1][1], ends_at__gt=periods[0][0]
        )
    )
    new = []
    for starts_at, ends_at in periods:
        same = (starts_at, ends_at, walk_in_point.pk)
        if any((s.starts_at, s.ends_at, s.walk_in_point_id) == same for s in own):
            continue
        clash = next((s for s in own if s.starts_at < ends_at and s.ends_at > starts_at), None)
        if clash is not None:
            raise ServiceError(
                _("This overlaps with a time you already published: %(when)s at %(place)s.")
                % {"when": describe_time(clash), "place": clash.walk_in_point.name},
                field="start",
            )
        new.append(
            Slot(adviser=adviser, walk_in_point=walk_in_point, starts_at=starts_at, ends_at=ends_at)
        )
    return Slot.objects.bulk_create(new)


# -- booking -----------------------------------------------------------------------------------


def _check_can_book(user: User, slot: Slot, person: Person, contact: Contact | None) -> None:
    if user.is_resident:
        if person.pk != user.person_id:
            raise NotAllowed(_("You can only book an appointment for yourself."))
    elif not (user.is_front_office or user.is_administrator):
        raise NotAllowed(_("Only guides and coordinators can book an appointment for someone."))
    if user.is_front_office and person.region_id != user.region_id:
        raise NotAllowed(_("This person is registered in another region."))
    if slot.walk_in_point.region_id != person.region_id:
        raise ServiceError(_("This time is in another region."), field="slot")
    if contact is not None and contact.person_id != person.pk:
        raise ServiceError(_("This question is about someone else."), field="contact")


def _create_booking(user, slot, person, contact, note, replaces=None) -> Booking:
    if slot.starts_at <= timezone.now():
        raise ServiceError(_("This time has already passed; choose another time."), field="slot")
    taken = Conflict(_("This time was just booked by someone else; choose another time."))
    if Booking.objects.booked().filter(slot=slot).exists():
        raise taken
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            return Booking.objects.create(
                slot=slot,
                person=person,
                contact=contact,
                booked_by=None if user.is_resident else user,
                note=(note or "").strip(),
                replaces=replaces,
            )
    except IntegrityError as exc:  # someone else booked it between our check and insert
        raise taken from exc


def book(
    user: User, slot: Slot, person: Person, contact: Contact | None = None, note: str = ""
) -> Booking:
    """Book ``slot`` for ``person``; the confirmation (with .ics) goes out after commit."""
    with transaction.atomic():
        _check_can_book(user, slot, person, contact)
        booking = _create_booking(user, slot, person, contact, note)
        log_processing(
            actor=user, activity=ACTIVITY, operation="create", obj=booking, persons=[person]
        )
        transaction.on_commit(partial(send_confirmation, booking.pk), robust=True)
    return booking


def _lock_booked(user: User, booking: Booking) -> Booking:
    locked = (
        Booking.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("slot__walk_in_point", "person", "contact")
        .filter(pk=booking.pk)
        .first()
    )
    if locked is None:
        raise NotAllowed(_("You cannot change this appointment."))
    if not locked.is_booked:
        raise Conflict(_("This appointment was already cancelled."))
    return locked


def _cancel(booking: Booking, reason: str) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])


def cancel(user: User, booking: Booking, reason: str) -> Booking:
    """Cancel an appointment; the slot is free again at once. The person is told by e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for cancelling."), field="reason")
    with transaction.atomic():
        booking = _lock_booked(user, booking)
        _cancel(booking, reason)
        log_processing(
            actor=user, activity=ACTIVITY, operation="update", obj=booking, persons=[booking.person]
        )
        transaction.on_commit(partial(send_cancellation, booking.pk), robust=True)
    return booking


def rebook(user: User, booking: Booking, new_slot: Slot) -> Booking:
    """Move an appointment to ``new_slot`` in one transaction: when the new time is taken,
    nothing changes and the original appointment stands."""
    with transaction.atomic():
        old = _lock_booked(user, booking)
        if new_slot.pk == old.slot_id:
            raise ServiceError(_("Choose a different time."), field="slot")
        _check_can_book(user, new_slot, old.person, old.contact)
        _cancel(old, _("Moved to another time."))
        new = _create_booking(user, new_slot, old.person, old.contact, old.note, replaces=old)
        for obj, operation in ((old, "update"), (new, "create")):
            log_processing(
                actor=user, activity=ACTIVITY, operation=operation, obj=obj, persons=[old.person]
            )
        transaction.on_commit(partial(send_confirmation, new.pk), robust=True)
    return new


# -- iCalendar and e-mail ------------------------------------------------------------------------


def describe_time(slot: Slot) -> str:
    """E.g. "dinsdag 2 juni 2026 10:00–10:30" in the active language."""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    day = formats.date_format(start, "l j F Y")
    if translation.get_language() == "nl":
        day = day.lower()  # Dutch writes weekdays in lower case mid-sentence
    return f"{day} {start:%H:%M}–{end:%H:%M}"


def _address(point: WalkInPoint) -> str:
    return f"{point.name}, {point.street}, {point.postcode} {point.city}"


def _series(booking: Booking) -> tuple[int, int]:
    """A rebooked appointment keeps the UID of the first one with a higher SEQUENCE, so a
    calendar moves the event instead of adding a second one."""
    first, sequence = booking, 0
    while first.replaces_id:
        first, sequence = first.replaces, sequence + 1
    return first.pk, sequence


def ical_for(booking: Booking, stamp: datetime | None = None) -> str:
    slot = booking.slot
    first_pk, sequence = _series(booking)
    point = slot.walk_in_point
    host = urlparse(settings.SITE_URL).hostname or "werkcentrum"
    lines = [_("With: %(adviser)s") % {"adviser": slot.adviser}]
    if point.phone:
        lines.append(_("Cannot come? Call %(phone)s.") % {"phone": point.phone})
    event = ical.Event(
        uid=f"appointment-{first_pk}@{host}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=_("Appointment at the Werkcentrum"),
        location=_address(point),
        description="\n".join(lines),
        sequence=sequence,
    )
    return ical.calendar(event, stamp=stamp or timezone.now())


RELATED = ("slot__walk_in_point__region", "slot__adviser", "person", "contact")

# E-mail texts: (subject, opening line), translated when the e-mail is composed.
CONFIRMATION = (
    gettext_lazy("Your appointment on %(when)s"),
    gettext_lazy("Your appointment at the Werkcentrum is confirmed."),
)
MOVED = (
    gettext_lazy("Your appointment on %(when)s"),
    gettext_lazy("Your appointment at the Werkcentrum has been moved to a new time."),
)
REMINDER = (
    gettext_lazy("Reminder: your appointment on %(when)s"),
    gettext_lazy("A reminder of your appointment at the Werkcentrum."),
)
CANCELLATION = (
    gettext_lazy("Your appointment on %(when)s is cancelled"),
    gettext_lazy(
        "Your appointment at the Werkcentrum is cancelled. Would you like a new one? "
        "Contact us or drop by at a walk-in point."
    ),
)


def _email(booking: Booking, texts, *, with_ics: bool, key: str) -> bool:
    """Compose one e-mail about ``booking`` in the default language (Dutch) and queue it;
    ``key`` makes queueing it twice send it once."""
    person, slot = booking.person, booking.slot
    if not person.email:
        return False
    subject, opening = texts
    point = slot.walk_in_point
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Dear %(name)s,") % {"name": person.full_name},
            "",
            str(opening),
            "",
            _("When: %(when)s") % {"when": describe_time(slot)},
            _("Where: %(place)s") % {"place": _address(point)},
            _("With: %(adviser)s") % {"adviser": slot.adviser},
            "",
        ]
        if with_ics:
            lines.append(
                _("Cannot come? Please let us know, so that someone else can use this time.")
            )
            if point.phone:
                lines.append(_("Phone: %(phone)s") % {"phone": point.phone})
            lines.append("")
        lines += [_("Kind regards,"), _("Werkcentrum %(region)s") % {"region": point.region}]
        attachments = [("afspraak.ics", ical_for(booking), "text/calendar")] if with_ics else []
        queue_email(
            str(subject) % {"when": describe_time(slot)},
            "\n".join(lines) + "\n",
            [person.email],
            key=key,
            attachments=attachments,
        )
    return True


def _notified(booking: Booking, about: str) -> None:
    if booking.contact_id:
        ContactEvent.objects.create(
            contact_id=booking.contact_id,
            kind=ContactEvent.Kind.NOTIFIED,
            data={"channel": "email", "about": about, "appointment": booking.pk},
        )


def send_confirmation(booking_id: int) -> bool:
    booking = Booking.objects.select_related(*RELATED).get(pk=booking_id)
    texts = MOVED if booking.replaces_id else CONFIRMATION
    sent = booking.is_booked and _email(
        booking, texts, with_ics=True, key=f"appointment-confirmation:{booking.pk}"
    )
    if sent:
        _notified(booking, "appointment_confirmed")
    return sent


def send_cancellation(booking_id: int) -> bool:
    booking = Booking.objects.select_related(*RELATED).get(pk=booking_id)
    sent = _email(
        booking, CANCELLATION, with_ics=False, key=f"appointment-cancellation:{booking.pk}"
    )
    if sent:
        _notified(booking, "appointment_cancelled")
    return sent


def send_due_reminders(now: datetime | None = None) -> int:
    """E-mail a reminder for every appointment starting within 24 hours that has not had one.

    Idempotent: each booking is locked, its e-mail queued in the outbox and the booking marked
    (``reminded_at``) in one transaction, so a second run, or one running at the same time,
    sends nothing twice. Delivery (and retrying a failed send) is the task queue's job.
    Production runs ``werkcentrum send_appointment_reminders`` every 15 minutes (cron or a
    systemd timer; see docs/deployment.md).
    """
    now = now or timezone.now()
    due = (
        Booking.objects.booked()
        .filter(
            reminded_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMINDER_WINDOW,
        )
        .exclude(person__email="")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        try:
            with transaction.atomic():
                booking = (
                    Booking.objects.select_for_update(of=("self",), skip_locked=True)
                    .select_related(*RELATED)
                    .filter(pk=pk, status=BookingStatus.BOOKED, reminded_at__isnull=True)
                    .first()
                )
                if booking is None:
                    continue
                _email(booking, REMINDER, with_ics=True, key=f"appointment-reminder:{pk}")
                booking.reminded_at = now
                booking.save(update_fields=["reminded_at"])
                log_processing(
                    actor=None,
                    activity=ACTIVITY,
                    operation="read",
                    obj=booking,
                    persons=[booking.person],
                )
                _notified(booking, "appointment_reminder")
        except Exception:  # one failing booking must not stop the others
            logger.exception("appointment reminder %s failed", pk)
            continue
        sent += 1
    return sent
