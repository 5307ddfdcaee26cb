"""Publishing availability, booking, no double booking, cancel, rebook, e-mails, reminders."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tests.appointments.conftest import in_days
from tests.conftest import make_user
from tests.factories import contact, person
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services
from werkcentrum.appointments.models import Booking, BookingStatus, Slot
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.frontdoor.models import ContactEvent
from werkcentrum.privacy.models import ProcessingLogEntry

pytestmark = pytest.mark.django_db

TAKEN = "This time was just booked by someone else; choose another time."


def dutch_subject(msgid, slot):
    """E-mails go out in Dutch (the default language), whatever the UI language."""
    with translation.override("nl"):
        return translation.gettext(msgid) % {"when": services.describe_time(slot)}


def slot_at(adviser, point, starts_in: timedelta, minutes=30):
    """A slot at any moment (also in the past), bypassing the publishing rules."""
    starts_at = timezone.now() + starts_in
    return Slot.objects.create(
        adviser=adviser,
        walk_in_point=point,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )


# -- publishing --------------------------------------------------------------------------------


def test_publish_cuts_the_period_into_slots_and_skips_existing_ones(adviser, oldenzaal):
    created = services.publish_availability(adviser, oldenzaal, in_days(3), "09:00", "12:00", 30)
    assert len(created) == 6
    first = timezone.localtime(created[0].starts_at)
    assert (first.hour, first.minute) == (9, 0)
    assert timezone.localtime(created[-1].ends_at).hour == 12
    # Publishing the same (and a longer) period again adds only the new times.
    assert services.publish_availability(adviser, oldenzaal, in_days(3), "09:00", "12:00") == []
    more = services.publish_availability(adviser, oldenzaal, in_days(3), "09:00", "13:00")
    assert len(more) == 2
    assert Slot.objects.filter(adviser=adviser).count() == 8


def test_publish_refuses_the_past_overlaps_and_nonsense(adviser, oldenzaal, twente):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ServiceError) as exc:
        services.publish_availability(adviser, oldenzaal, yesterday, "09:00", "12:00")
    assert exc.value.field == "day"
    with pytest.raises(ServiceError):
        services.publish_availability(adviser, oldenzaal, in_days(2), "12:00", "09:00")
    with pytest.raises(ServiceError):
        services.publish_availability(adviser, oldenzaal, in_days(2), "09:00", "09:20", 30)

    services.publish_availability(adviser, oldenzaal, in_days(2), "09:00", "12:00")
    with pytest.raises(ServiceError) as exc:  # shifted by 15 minutes: overlaps
        services.publish_availability(adviser, oldenzaal, in_days(2), "10:15", "11:15")
    assert exc.value.field == "start"
    enschede = twente.walk_in_points.get(code="enschede-werkplein")
    with pytest.raises(ServiceError):  # one adviser cannot be in two places at once
        services.publish_availability(adviser, enschede, in_days(2), "11:00", "11:30")
    assert Slot.objects.count() == 6


def test_only_staff_of_the_region_publish(uwv_employee, manager, achterhoek_guide, oldenzaal):
    for user in (uwv_employee, manager, achterhoek_guide):
        with pytest.raises(NotAllowed):
            services.publish_availability(user, oldenzaal, in_days(2), "09:00", "10:00")
    assert not Slot.objects.exists()


def test_the_database_refuses_an_empty_slot(adviser, oldenzaal):
    now = timezone.now() + timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(adviser=adviser, walk_in_point=oldenzaal, starts_at=now, ends_at=now)


# -- booking -----------------------------------------------------------------------------------


def test_book_confirms_by_email_with_an_ics_attachment(
    twente, guide, slots, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book(guide, slots[0], c.person, c, note="Wil omscholen naar de zorg")
    assert (booking.status, booking.booked_by, booking.contact) == ("booked", guide, c)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [c.person.email]
    assert message.subject == dutch_subject("Your appointment on %(when)s", slots[0])
    assert "Yvonne Jansen" in message.body and "Sociaal plein" in message.body
    assert "omscholen" not in message.body  # the note is for the adviser only
    (filename, content, mimetype), *_ = message.attachments
    assert (filename, mimetype) == ("afspraak.ics", "text/calendar")
    assert content.startswith("BEGIN:VCALENDAR\r\n")
    assert f"UID:appointment-{booking.pk}@" in content

    assert c.events.filter(kind=ContactEvent.Kind.NOTIFIED, data__about="appointment_confirmed")
    entry = ProcessingLogEntry.objects.get(object_type="booking", operation="create")
    assert (entry.subject_person, entry.actor, entry.activity_id) == (c.person, guide, "intake")


def test_no_email_without_an_address(twente, guide, slots, django_capture_on_commit_callbacks):
    p = person(twente, first="Zonder", email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.book(guide, slots[0], p)
    assert mail.outbox == []


def test_double_booking_is_refused(twente, guide, coordinator, slots):
    services.book(guide, slots[0], person(twente, first="Eerste"))
    with translation.override("en"), pytest.raises(Conflict) as exc:
        services.book(coordinator, slots[0], person(twente, first="Tweede"))
    assert exc.value.message == TAKEN
    assert Booking.objects.filter(slot=slots[0]).count() == 1


def test_the_database_itself_refuses_a_second_booking(twente, slots):
    p = person(twente)
    Booking.objects.create(slot=slots[0], person=p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slots[0], person=p)
    # A cancelled booking does not hold the slot.
    Booking.objects.filter(slot=slots[0]).update(
        status=BookingStatus.CANCELLED, cancelled_at=timezone.now()
    )
    Booking.objects.create(slot=slots[0], person=p)


def test_a_past_slot_cannot_be_booked(twente, guide, adviser, oldenzaal):
    past = slot_at(adviser, oldenzaal, -timedelta(hours=1))
    with pytest.raises(ServiceError) as exc:
        services.book(guide, past, person(twente))
    assert exc.value.field == "slot"


def test_who_may_book(twente, guide, slots, uwv_employee, manager, achterhoek_guide, adviser):
    p = person(twente)
    for user in (uwv_employee, manager, achterhoek_guide):
        with pytest.raises(NotAllowed):
            services.book(user, slots[0], p)
    employer_adviser = make_user("ea", Role.EMPLOYER_ADVISER, twente)
    with pytest.raises(NotAllowed):
        services.book(employer_adviser, slots[0], p)
    other = contact(twente, guide)
    with pytest.raises(ServiceError):  # the question is about someone else
        services.book(guide, slots[0], p, other)
    assert not Booking.objects.exists()


# -- cancel and rebook ---------------------------------------------------------------------------


def test_cancel_frees_the_slot_for_someone_else(
    twente, guide, coordinator, slots, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    booking = services.book(guide, slots[0], c.person, c)
    with pytest.raises(ServiceError):
        services.cancel(guide, booking, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(guide, booking, "Persoon heeft werk gevonden")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_at
    assert booking.cancel_reason == "Persoon heeft werk gevonden"
    cancelled = dutch_subject("Your appointment on %(when)s is cancelled", slots[0])
    assert mail.outbox[-1].subject == cancelled
    with pytest.raises(Conflict):
        services.cancel(guide, booking, "nogmaals")

    other = services.book(coordinator, slots[0], person(twente, first="Ander"))
    assert other.status == "booked"


def test_partners_and_other_regions_cannot_cancel(
    twente, guide, slots, uwv_employee, achterhoek_guide
):
    booking = services.book(guide, slots[0], person(twente))
    for user in (uwv_employee, achterhoek_guide):
        with pytest.raises(NotAllowed):
            services.cancel(user, booking, "weg")
    booking.refresh_from_db()
    assert booking.is_booked


def test_the_adviser_of_the_slot_may_cancel(twente, guide, oldenzaal):
    employer_adviser = make_user("ea", Role.EMPLOYER_ADVISER, twente)
    (slot,) = services.publish_availability(
        employer_adviser, oldenzaal, in_days(2), "14:00", "14:30"
    )
    booking = services.book(guide, slot, person(twente))
    services.cancel(employer_adviser, booking, "Ziek")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_rebook_moves_the_appointment(twente, guide, slots, django_capture_on_commit_callbacks):
    c = contact(twente, guide)
    old = services.book(guide, slots[0], c.person, c, note="CV meenemen")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.rebook(guide, old, slots[3])
    old.refresh_from_db()
    assert old.status == "cancelled"
    assert (new.slot, new.person, new.contact, new.note, new.replaces) == (
        slots[3],
        c.person,
        c,
        "CV meenemen",
        old,
    )
    assert len(mail.outbox) == 1
    (_name, ics, _type), *_ = mail.outbox[0].attachments
    # The calendar moves the event: same UID as the first appointment, higher SEQUENCE.
    assert f"UID:appointment-{old.pk}@" in ics and "SEQUENCE:1\r\n" in ics
    with translation.override("nl"):
        assert services.describe_time(slots[3]) in mail.outbox[0].body
    with pytest.raises(Conflict):
        services.rebook(guide, old, slots[4])  # the old one is no longer booked
    with pytest.raises(ServiceError):
        services.rebook(guide, new, slots[3])  # the same time


def test_rebook_is_atomic_when_the_new_time_is_taken(twente, guide, slots):
    mine = services.book(guide, slots[0], person(twente, first="Mijn"))
    services.book(guide, slots[1], person(twente, first="Ander"))
    with translation.override("en"), pytest.raises(Conflict) as exc:
        services.rebook(guide, mine, slots[1])
    assert exc.value.message == TAKEN
    mine.refresh_from_db()
    assert (mine.status, mine.slot, mine.cancelled_at) == ("booked", slots[0], None)
    assert Booking.objects.count() == 2


# -- reminders ---------------------------------------------------------------------------------


def test_reminders_only_within_24_hours_and_only_once(
    twente, guide, adviser, oldenzaal, django_capture_on_commit_callbacks
):
    def booked(hours, first):
        return services.book(
            guide, slot_at(adviser, oldenzaal, timedelta(hours=hours)), person(twente, first=first)
        )

    soon, tomorrow, later = booked(2, "Snel"), booked(23, "Morgen"), booked(30, "Later")
    cancelled = booked(3, "Afgezegd")
    services.cancel(guide, cancelled, "Kan niet")
    silent = services.book(
        guide,
        slot_at(adviser, oldenzaal, timedelta(hours=4)),
        person(twente, first="Stil", email=""),
    )

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # queued in the outbox, sent on commit
        assert services.send_due_reminders(now) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [soon.person.email, tomorrow.person.email]
    )
    reminder = "Reminder: your appointment on %(when)s"
    assert {m.subject for m in mail.outbox} == {
        dutch_subject(reminder, soon.slot),
        dutch_subject(reminder, tomorrow.slot),
    }
    assert all(m.attachments for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now) == 0  # idempotent
    assert len(mail.outbox) == 2
    for b, reminded in ((soon, True), (tomorrow, True), (later, False), (silent, False)):
        b.refresh_from_db()
        assert (b.reminded_at is not None) == reminded

    out = io.StringIO()
    call_command("send_appointment_reminders", stdout=out)  # what production schedules
    assert out.getvalue().strip() == "0 reminder(s) sent"
    assert services.send_due_reminders(now + timedelta(hours=8)) == 1  # "later" is due now
