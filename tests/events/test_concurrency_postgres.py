"""Two people take the last seat at the same moment (real PostgreSQL, real threads, each with its
own connection): the event row lock serialises them, so one gets the seat and the other lands on
the waiting list; never more registered than places. And a cancellation racing a registration
hands the freed seat to exactly one person."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from tests.events.conftest import make_event
from werkcentrum.events import services
from werkcentrum.events.models import Event, Registration, RegistrationStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def at_once(*jobs):
    """Run the callables in their own threads, released together; returns their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", job())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = ("error", exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a registration hung (deadlock?)"
    return results


def register(event_pk, name):
    def job():
        event = Event.objects.get(pk=event_pk)
        email = f"{name.lower()}@example.org"
        return services.register(event, name=name, email=email, consent=True).status

    return job


def test_two_people_take_the_last_seat_one_waits(organiser, is_postgres):
    assert is_postgres
    for round_ in range(ROUNDS):
        event = make_event(organiser, title=f"Workshop {round_}", capacity=2)
        services.register(event, name="Eerste", email="eerste@example.org", consent=True)
        results = at_once(register(event.pk, "Anna"), register(event.pk, "Bert"))

        assert [r[0] for r in results] == ["ok", "ok"], results
        assert sorted(r[1] for r in results) == ["registered", "waiting"], results
        seated = Registration.objects.filter(event=event).seated().count()
        assert seated == 2
        assert Registration.objects.filter(event=event, status="waiting").count() == 1


def test_many_at_once_never_exceed_the_capacity(organiser, is_postgres):
    assert is_postgres
    event = make_event(organiser, capacity=3)
    names = [f"Persoon{i}" for i in range(8)]
    results = at_once(*(register(event.pk, n) for n in names))
    assert all(r[0] == "ok" for r in results), results
    assert sorted(r[1] for r in results) == ["registered"] * 3 + ["waiting"] * 5
    assert Registration.objects.filter(event=event).seated().count() == 3


def test_a_cancellation_racing_a_registration_gives_the_seat_once(organiser, is_postgres):
    assert is_postgres
    event = make_event(organiser, capacity=2)
    anna = services.register(event, name="Anna", email="anna@example.org", consent=True)
    services.register(event, name="Bert", email="bert@example.org", consent=True)
    services.register(event, name="Cor", email="cor@example.org", consent=True)  # waiting

    results = at_once(
        lambda: services.cancel(anna, token=anna.cancel_token).status,
        register(event.pk, "Dirk"),
    )
    assert [r[0] for r in results] == ["ok", "ok"], results
    rows = dict(Registration.objects.filter(event=event).values_list("name", "status"))
    assert rows["Anna"] == RegistrationStatus.CANCELLED
    assert rows["Cor"] == RegistrationStatus.REGISTERED  # first in line got the seat
    assert rows["Dirk"] == RegistrationStatus.WAITING
    assert Registration.objects.filter(event=event).seated().count() == 2


def test_the_same_address_twice_at_once_is_one_registration(organiser, is_postgres):
    assert is_postgres
    event = make_event(organiser, capacity=10)
    results = at_once(register(event.pk, "Anna"), register(event.pk, "Anna"))
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert "already registered" in error.message
    assert Registration.objects.filter(event=event).count() == 1
