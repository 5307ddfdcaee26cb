"""Two people decide on the same pending handover at the same moment (real PostgreSQL, real
threads, each with its own connection): exactly one wins, the other gets a clear Conflict, and
the contact ends in the state of the winning decision."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from tests.conftest import make_user
from tests.factories import contact, handover
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.errors import Conflict
from werkcentrum.frontdoor.models import ContactEvent, Handover
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def run_at_once(*actions):
    """Run each action(wait) in its own thread; ``wait`` releases them together after each
    read the handover (so both saw it pending). Returns one ("ok", result),
    ("conflict", Conflict) or ("error", exc) per action."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(index, action):
        translation.activate("en")
        try:
            results[index] = ("ok", action(lambda: barrier.wait(timeout=10)))
        except Conflict as exc:
            results[index] = ("conflict", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = ("error", exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a decision hung (deadlock?)"
    return results


def decide(kind, handover_pk, user):
    def action(wait):
        h = Handover.objects.get(pk=handover_pk)  # each thread reads it on its own connection
        assert h.status == HandoverStatus.PENDING
        wait()
        if kind == "accept":
            return services.accept_handover(h, user)
        if kind == "return":
            return services.return_handover(h, user, reason="Niet voor ons")
        return services.withdraw_handover(h, user, "Persoon belt zelf")

    return action


EXPECTED = {
    "accept": (
        HandoverStatus.ACCEPTED,
        ContactStatus.HANDED_OVER,
        "partner",
        ContactEvent.Kind.ACCEPTED,
    ),
    "return": (HandoverStatus.RETURNED, ContactStatus.OPEN, "guide", ContactEvent.Kind.RETURNED),
    "withdraw": (
        HandoverStatus.WITHDRAWN,
        ContactStatus.OPEN,
        "guide",
        ContactEvent.Kind.WITHDRAWN,
    ),
}


@pytest.mark.parametrize(
    "kinds", [("accept", "return"), ("accept", "accept"), ("return", "withdraw")]
)
def test_simultaneous_decisions_exactly_one_wins(
    twente, guide, uwv, uwv_employee, is_postgres, kinds
):
    assert is_postgres
    colleague = make_user("uwv_colleague", Role.PARTNER_EMPLOYEE, twente, partner=uwv)
    actors = {
        "accept": [uwv_employee, colleague],
        "return": [colleague, uwv_employee],
        "withdraw": [guide],
    }
    winners = []
    for _round in range(ROUNDS):
        c = contact(twente, guide)
        h = handover(c, guide, uwv)
        users = [actors[k][i % len(actors[k])] for i, k in enumerate(kinds)]
        results = run_at_once(*(decide(k, h.pk, u) for k, u in zip(kinds, users, strict=True)))

        assert not [r for r in results if r[0] == "error"], results
        outcomes = [r[0] for r in results]
        assert sorted(outcomes) == ["conflict", "ok"], results
        winner = kinds[outcomes.index("ok")]
        winners.append(winner)
        conflict = results[outcomes.index("conflict")][1]

        h.refresh_from_db()
        c.refresh_from_db()
        handover_status, contact_status, owner, event = EXPECTED[winner]
        assert h.status == handover_status
        # The loser is told what happened, naming the status the handover already has.
        with translation.override("en"):
            assert f"already {HandoverStatus(handover_status).label.lower()} by" in conflict.message
        assert c.status == contact_status
        if owner == "partner":
            assert (c.owner_user, c.owner_partner) == (None, uwv)
        else:
            assert (c.owner_user, c.owner_partner) == (guide, None)
        decisions = c.events.filter(kind__in=[e[3] for e in EXPECTED.values()])
        assert list(decisions.values_list("kind", flat=True)) == [event]
        assert c.handovers.filter(status=HandoverStatus.PENDING).count() == 0
    assert len(winners) == ROUNDS
