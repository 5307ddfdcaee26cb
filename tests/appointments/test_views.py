"""The appointment screens: publish, book for a contact, cancel, rebook, .ics; who may see."""

from datetime import UTC

import pytest
from django.core import mail
from django.urls import reverse

from tests.appointments.conftest import in_days
from tests.conftest import make_user
from tests.factories import contact, person
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services
from werkcentrum.appointments.models import Booking, Slot

pytestmark = pytest.mark.django_db


def book_url(c, **params):
    query = "&".join(f"{k}={v}" for k, v in {"contact": c.pk, **params}.items())
    return f"{reverse('appointments:book')}?{query}"


def test_guide_books_for_the_person_of_a_contact(
    client, twente, guide, slots, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    client.force_login(guide)
    page = client.get(book_url(c))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Yvonne Jansen" in html and c.reference in html
    assert f'name="slot" value="{slots[2].pk}"' in html and "10:00" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(c), {"slot": slots[2].pk, "note": "Zorg"})
    assert response.status_code == 302
    assert response["Location"] == reverse("frontdoor:contact_detail", args=[c.pk])
    booking = Booking.objects.get()
    assert (booking.slot, booking.person, booking.contact, booking.note) == (
        slots[2],
        c.person,
        c,
        "Zorg",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments

    # The booked time is no longer offered; booking it again is refused with a message.
    page = client.get(book_url(c))
    assert f'name="slot" value="{slots[2].pk}"' not in page.content.decode()
    again = client.post(book_url(c), {"slot": slots[2].pk})
    assert again.status_code == 409
    assert Booking.objects.count() == 1


def test_free_times_at_another_place(client, twente, guide, adviser):
    enschede = twente.walk_in_points.get(code="enschede-werkplein")
    (slot,) = services.publish_availability(adviser, enschede, in_days(3), "13:00", "13:45", 45)
    c = contact(twente, guide)
    client.force_login(guide)
    assert f'name="slot" value="{slot.pk}"' not in client.get(book_url(c)).content.decode()
    page = client.get(book_url(c, point=enschede.pk))
    assert f'name="slot" value="{slot.pk}"' in page.content.decode()


def test_booking_needs_a_time_and_a_known_slot(client, twente, guide, slots):
    c = contact(twente, guide)
    client.force_login(guide)
    assert client.post(book_url(c), {"slot": ""}).status_code == 400
    assert client.post(book_url(c), {"slot": 999999}).status_code == 404
    assert client.get(reverse("appointments:book")).status_code == 404
    assert client.get(f"{reverse('appointments:book')}?contact=abc").status_code == 404
    assert not Booking.objects.exists()


def test_an_anonymous_contact_is_sent_back_to_link_a_person(client, twente, guide, slots):
    c = contact(twente, guide, with_person=False)
    client.force_login(guide)
    response = client.get(book_url(c))
    assert response.status_code == 302
    assert response["Location"] == reverse("frontdoor:contact_detail", args=[c.pk])


def test_partners_and_managers_get_403(client, twente, guide, slots, uwv_employee, manager):
    c = contact(twente, guide)
    booking = services.book(guide, slots[0], c.person, c)
    for user in (uwv_employee, manager):
        client.force_login(user)
        assert client.get(reverse("appointments:overview")).status_code == 403
        assert client.get(book_url(c)).status_code == 403
        assert client.post(book_url(c), {"slot": slots[1].pk}).status_code == 403
        assert client.get(reverse("appointments:ics", args=[booking.pk])).status_code == 403
        cancel = client.post(reverse("appointments:cancel", args=[booking.pk]), {"reason": "x"})
        assert cancel.status_code == 403
        assert client.get(reverse("appointments:rebook", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.is_booked and Booking.objects.count() == 1


def test_another_region_sees_nothing(client, twente, guide, slots, achterhoek_guide):
    c = contact(twente, guide)
    booking = services.book(guide, slots[0], c.person, c)
    client.force_login(achterhoek_guide)
    assert client.get(book_url(c)).status_code == 404
    assert client.get(reverse("appointments:ics", args=[booking.pk])).status_code == 404
    assert client.get(reverse("appointments:rebook", args=[booking.pk])).status_code == 404


def test_adviser_publishes_and_sees_bookings(client, twente, guide, adviser, oldenzaal):
    client.force_login(adviser)
    assert client.get(reverse("appointments:overview")).status_code == 200
    data = {
        "walk_in_point": oldenzaal.pk,
        "day": in_days(4).isoformat(),
        "start": "13:00",
        "end": "15:00",
        "minutes": "60",
    }
    response = client.post(reverse("appointments:overview"), data)
    assert response.status_code == 302
    assert Slot.objects.filter(adviser=adviser).count() == 2
    overlapping = client.post(reverse("appointments:overview"), {**data, "start": "13:30"})
    assert overlapping.status_code == 400
    past = client.post(reverse("appointments:overview"), {**data, "day": "2020-01-01"})
    assert past.status_code == 400

    slot = Slot.objects.filter(adviser=adviser).first()
    services.book(guide, slot, person(twente, first="Caroline", last="Smit"))
    page = client.get(reverse("appointments:overview")).content.decode()
    assert "Caroline Smit" in page


def test_employer_adviser_can_publish(client, twente, oldenzaal):
    employer_adviser = make_user("ea", Role.EMPLOYER_ADVISER, twente)
    client.force_login(employer_adviser)
    data = {
        "walk_in_point": oldenzaal.pk,
        "day": in_days(2).isoformat(),
        "start": "09:00",
        "end": "10:00",
        "minutes": "30",
    }
    assert client.post(reverse("appointments:overview"), data).status_code == 302
    assert Slot.objects.filter(adviser=employer_adviser).count() == 2


def test_cancel_and_rebook_on_screen(client, twente, guide, slots):
    c = contact(twente, guide)
    booking = services.book(guide, slots[0], c.person, c)
    client.force_login(guide)
    overview = client.get(reverse("appointments:overview")).content.decode()
    assert reverse("appointments:rebook", args=[booking.pk]) in overview

    page = client.get(reverse("appointments:rebook", args=[booking.pk]))
    assert page.status_code == 200 and f'name="slot" value="{slots[1].pk}"' in page.content.decode()
    response = client.post(reverse("appointments:rebook", args=[booking.pk]), {"slot": slots[1].pk})
    assert response.status_code == 302
    new = Booking.objects.get(status="booked")
    assert new.slot == slots[1] and new.replaces == booking

    response = client.post(
        reverse("appointments:cancel", args=[new.pk]),
        {"reason": "Heeft zelf afgezegd", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("appointments:overview")  # no open redirect
    new.refresh_from_db()
    assert new.status == "cancelled"
    assert not Booking.objects.filter(status="booked").exists()


def test_ics_download(client, twente, guide, slots):
    c = contact(twente, guide)
    booking = services.book(guide, slots[0], c.person, c)
    client.force_login(guide)
    response = client.get(reverse("appointments:ics", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    start = slots[0].starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in body
