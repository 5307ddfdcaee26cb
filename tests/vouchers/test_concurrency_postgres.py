"""Two members of the fund's staff commit the last money of a budget line at the same moment
(real PostgreSQL, real threads, each with its own connection): exactly one wins, the other gets
a clear Conflict, and committed never exceeds the budget."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from tests import factories
from tests.vouchers.conftest import TRAINING, budget_line, record_llo
from werkcentrum.core.errors import Conflict
from werkcentrum.vouchers import services
from werkcentrum.vouchers.models import Application, Budget, LedgerEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def commit_at_once(attempts):
    """Each (user, application pk) commits in its own thread, released together."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def worker(index, user, pk):
        translation.activate("en")
        try:
            application = Application.objects.get(pk=pk)
            barrier.wait(timeout=10)
            results[index] = ("ok", services.commit(user, application))
        except Conflict as exc:
            results[index] = ("conflict", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = ("error", exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, user, pk)) for i, (user, pk) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a commitment hung (deadlock?)"
    return results


def approved_for(region, staff, n):
    person = factories.person(region, first=f"Leerling{n}", last="Test")
    record_llo(staff, person)
    application = services.apply_for_resident(staff, person, **TRAINING)
    return services.decide(staff, application, approve=True)  # 1,296 each


def test_two_commitments_of_the_last_money_exactly_one_wins(
    twente, fund_staff, other_fund_staff, budgets, is_postgres
):
    assert is_postgres
    care = budget_line(twente, "care")
    for round_ in range(ROUNDS):
        # Room for exactly one more voucher of 1,296 on top of what is committed.
        committed = care.totals()["committed_total"]
        Budget.objects.filter(pk=care.pk).update(amount=committed + 1296 + 1295)
        first = approved_for(twente, fund_staff, 2 * round_)
        second = approved_for(twente, fund_staff, 2 * round_ + 1)

        results = commit_at_once([(fund_staff, first.pk), (other_fund_staff, second.pk)])

        assert not [r for r in results if r[0] == "error"], results
        assert sorted(r[0] for r in results) == ["conflict", "ok"], results
        conflict = next(r[1] for r in results if r[0] == "conflict")
        assert "budget for Care & Welfare" in conflict.message
        assert "is exhausted" in conflict.message
        winner = next(r[1] for r in results if r[0] == "ok")
        loser = first if winner.pk == second.pk else second
        assert Application.objects.get(pk=loser.pk).status == "approved"
        assert not LedgerEntry.objects.filter(application_id=loser.pk).exists()
        care.refresh_from_db()
        assert care.totals()["committed_total"] <= care.amount


def test_the_same_application_committed_twice_at_once_is_committed_once(
    twente, fund_staff, other_fund_staff, budgets, is_postgres
):
    assert is_postgres
    application = approved_for(twente, fund_staff, 99)
    results = commit_at_once([(fund_staff, application.pk), (other_fund_staff, application.pk)])
    assert sorted(r[0] for r in results) == ["conflict", "ok"], results
    assert LedgerEntry.objects.filter(application=application, kind="commitment").count() == 1
