"""What the database guarantees on its own (SQLite and PostgreSQL alike)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.events.conftest import anonymous, at
from werkcentrum.events.models import (
    Event,
    EventKind,
    Registration,
    RegistrationRole,
    RegistrationStatus,
)

pytestmark = pytest.mark.django_db


def raw_event(twente, **fields):
    values = {
        "region": twente,
        "kind": EventKind.WORKSHOP,
        "title": "Workshop",
        "starts_at": at(3, 10),
        "ends_at": at(3, 12),
        "address": "Marktplein 1",
        "city": "Almelo",
        "capacity": 10,
        **fields,
    }
    return Event.objects.create(**values)


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_an_event_ends_after_it_starts(twente):
    refused(lambda: raw_event(twente, ends_at=at(3, 10)))
    refused(lambda: raw_event(twente, ends_at=at(3, 9)))
    assert raw_event(twente).pk


def test_capacity_is_positive(twente):
    refused(lambda: raw_event(twente, capacity=0))


def test_an_event_has_a_place(twente):
    refused(lambda: raw_event(twente, address=""))
    point = twente.walk_in_points.first()
    assert raw_event(twente, address="", walk_in_point=point).location.startswith(point.name)


def test_one_active_registration_per_email_but_cancelled_ones_do_not_count(twente):
    event = raw_event(twente)

    def add(**fields):
        return Registration.objects.create(event=event, name="A", email="a@example.org", **fields)

    first = add()
    refused(add)
    refused(lambda: add(status=RegistrationStatus.WAITING))
    first.status, first.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    first.save()
    second = add()
    assert second.pk != first.pk
    # The same address at another event is fine.
    other = raw_event(twente, title="Andere workshop")
    assert Registration.objects.create(event=other, name="A", email="a@example.org").pk


def test_cancelled_exactly_when_it_has_a_cancel_time(twente):
    event = raw_event(twente)
    refused(
        lambda: Registration.objects.create(
            event=event, name="A", email="a@example.org", status=RegistrationStatus.CANCELLED
        )
    )
    refused(
        lambda: Registration.objects.create(
            event=event, name="B", email="b@example.org", cancelled_at=timezone.now()
        )
    )


def test_only_registered_people_have_an_attendance(twente):
    event = raw_event(twente)
    refused(
        lambda: Registration.objects.create(
            event=event,
            name="A",
            email="a@example.org",
            status=RegistrationStatus.WAITING,
            attended=True,
        )
    )


def test_an_exhibitor_is_an_employer_with_a_place(twente, employer):
    event = raw_event(twente)
    refused(
        lambda: Registration.objects.create(
            event=event, name="A", email="a@example.org", role=RegistrationRole.EXHIBITOR
        )
    )
    refused(
        lambda: Registration.objects.create(
            event=event,
            name="A",
            email="a@example.org",
            role=RegistrationRole.EXHIBITOR,
            employer=employer,
            status=RegistrationStatus.WAITING,
        )
    )


def test_counts_and_seats_left(event):
    for name in ("Anna A", "Bert B", "Cor C", "Dirk D"):
        anonymous(event, name=name)
    event = Event.objects.with_counts().get(pk=event.pk)
    assert (event.registered_count, event.waiting_count, event.seats_left) == (3, 1, 0)
    assert event.is_full
    assert Event.objects.get(pk=event.pk).seats_left is None  # without with_counts()


def test_cancel_tokens_are_unique_and_unguessable(event):
    a, b = anonymous(event, name="Anna A"), anonymous(event, name="Bert B")
    assert a.cancel_token != b.cancel_token and len(a.cancel_token) >= 32
