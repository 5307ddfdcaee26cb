"""Two guides book the same slot at the same moment (real PostgreSQL, real threads, each with
its own connection): exactly one wins, the other gets a clear Conflict."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from tests.appointments.conftest import in_days
from tests.conftest import make_user
from tests.factories import person
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services
from werkcentrum.appointments.models import Booking, Slot
from werkcentrum.frontdoor.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def book_at_once(slot_pk, attempts):
    """Each (user, person) books ``slot_pk`` in its own thread, released together."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def worker(index, user, who):
        translation.activate("en")
        try:
            slot = Slot.objects.select_related("walk_in_point").get(pk=slot_pk)
            barrier.wait(timeout=10)
            results[index] = ("ok", services.book(user, slot, who))
        except Conflict as exc:
            results[index] = ("conflict", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = ("error", exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, user, who))
        for i, (user, who) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a booking hung (deadlock?)"
    return results


def test_simultaneous_bookings_of_one_slot_exactly_one_wins(
    twente, guide, other_guide, is_postgres
):
    assert is_postgres
    point = twente.walk_in_points.get(code="oldenzaal-sociaal-plein")
    adviser = make_user("career_adviser", Role.COORDINATOR, twente)
    slots = services.publish_availability(adviser, point, in_days(2), "09:00", "11:30")
    assert len(slots) == ROUNDS
    for round_, slot in enumerate(slots):
        first = person(twente, first=f"Eerste{round_}")
        second = person(twente, first=f"Tweede{round_}")
        results = book_at_once(slot.pk, [(guide, first), (other_guide, second)])

        assert not [r for r in results if r[0] == "error"], results
        outcomes = sorted(r[0] for r in results)
        assert outcomes == ["conflict", "ok"], results
        conflict = next(r[1] for r in results if r[0] == "conflict")
        assert "just booked by someone else" in conflict.message
        winner = next(r[1] for r in results if r[0] == "ok")
        assert list(Booking.objects.filter(slot=slot).values_list("pk", "status")) == [
            (winner.pk, "booked")
        ]
