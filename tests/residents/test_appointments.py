"""A resident books, sees, exports and cancels their own appointment; never someone else's."""

import pytest
from django.core import mail
from django.urls import reverse

from werkcentrum.appointments import services
from werkcentrum.appointments.models import Booking, BookingStatus
from werkcentrum.core.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_book_see_and_cancel_own_appointment(
    client, resident, slots, oldenzaal, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    page = client.get(reverse("residents:appointments"), {"place": oldenzaal.pk})
    assert page.status_code == 200
    assert f'value="{slots[0].pk}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("residents:appointment_book"), {"slot": slots[0].pk, "note": "Omscholing"}
        )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.person == resident.person and booking.booked_by is None
    assert booking.note == "Omscholing"
    assert mail.outbox and mail.outbox[-1].to == [resident.email]
    # The booked time is no longer offered; the appointment is listed.
    page = client.get(reverse("residents:appointments"), {"place": oldenzaal.pk}).content.decode()
    assert f'value="{slots[0].pk}"' not in page
    assert reverse("residents:appointment_cancel", args=[booking.pk]) in page
    ics = client.get(reverse("residents:appointment_ics", args=[booking.pk]))
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("residents:appointment_cancel", args=[booking.pk]), {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason
    page = client.get(reverse("residents:appointments"), {"place": oldenzaal.pk}).content.decode()
    assert f'value="{slots[0].pk}"' in page  # free again


def test_a_taken_time_gives_a_clear_message(client, resident, other_resident, slots):
    services.book(other_resident, slots[0], other_resident.person)
    client.force_login(resident)
    response = client.post(
        reverse("residents:appointment_book"), {"slot": slots[0].pk}, follow=True
    )
    assert Booking.objects.count() == 1
    assert "net door iemand anders geboekt" in response.content.decode()


def test_nobody_touches_another_residents_appointment(client, resident, other_resident, slots):
    booking = services.book(other_resident, slots[0], other_resident.person)
    client.force_login(resident)
    assert client.get(reverse("residents:appointment_cancel", args=[booking.pk])).status_code == 404
    assert (
        client.post(reverse("residents:appointment_cancel", args=[booking.pk])).status_code == 404
    )
    assert client.get(reverse("residents:appointment_ics", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.is_booked
    with pytest.raises(NotAllowed):
        services.book(resident, slots[1], other_resident.person)


def test_bad_slot_values_do_not_crash(client, resident, slots):
    client.force_login(resident)
    for value in ("", "abc", "999999", "-1"):
        assert (
            client.post(reverse("residents:appointment_book"), {"slot": value}).status_code == 404
        )
    assert client.get(reverse("residents:appointments"), {"place": "x'; drop"}).status_code == 200
    assert not Booking.objects.exists()
