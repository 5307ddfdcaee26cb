"""A worker process killed with SIGKILL in the middle of a write leaves a consistent state
(real PostgreSQL, a real child process with its own connection).

The child process runs one service — a partner accepts a handover, a guide books an
appointment, the fund's staff commit a training voucher — against the test database and stops
inside the service's transaction: either half-way (before the timeline event, the processing
log entry) or with every write done and only the COMMIT left. The parent checks that the child
really holds uncommitted writes and row locks, kills it with SIGKILL (no clean-up, no
rollback from Python), and then checks that

* nothing the child wrote is in the database (a fingerprint of every table is unchanged),
* the locks are gone (the same operation succeeds at once from the parent), and
* the domain invariants hold afterwards.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from tests import factories
from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor.models import ContactEvent, Handover
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.regions.models import Partner

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PAUSED_WITHIN = 20  # seconds for the child to start Django and reach the pause point

# The child: Django on the test database, then ``child_main`` from this module.
CHILD = """
import json, sys
import django
django.setup()
from tests.faults.test_sigkill import child_main
child_main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
"""


# -- the child process ---------------------------------------------------------------------------


def _accept(args):
    from werkcentrum.accounts.models import User
    from werkcentrum.frontdoor import services

    handover = Handover.objects.get(pk=args["handover"])
    return services.accept_handover(handover, User.objects.get(pk=args["user"]))


def _book(args):
    from werkcentrum.accounts.models import User
    from werkcentrum.appointments import services
    from werkcentrum.appointments.models import Slot
    from werkcentrum.frontdoor.models import Person

    slot = Slot.objects.select_related("walk_in_point").get(pk=args["slot"])
    person = Person.objects.get(pk=args["person"])
    return services.book(User.objects.get(pk=args["user"]), slot, person)


def _commit_voucher(args):
    from werkcentrum.accounts.models import User
    from werkcentrum.vouchers import services
    from werkcentrum.vouchers.models import Application

    application = Application.objects.get(pk=args["application"])
    return services.commit(User.objects.get(pk=args["user"]), application)


OPERATIONS = {"accept": _accept, "book": _book, "commit_voucher": _commit_voucher}
# "Half-way" pause points: a function the service calls after its first writes and before its
# last ones, as (module, name). The pause happens when the service calls it.
HALFWAY = {
    # handover decided and contact moved; the timeline event and the logs not yet written
    "accept": ("werkcentrum.frontdoor.services", "_event"),
    # booking row inserted; the processing-log entry and the confirmation not yet written
    "book": ("werkcentrum.appointments.services", "log_processing"),
    # ledger entry and application written; the processing log and the letter not yet
    "commit_voucher": ("werkcentrum.vouchers.services", "log_processing"),
}


def child_main(operation: str, point: str, args: dict) -> None:
    """Run ``operation`` and stop inside its transaction at ``point`` ("halfway"/"commit"),
    telling the parent "PAUSED <backend pid>" on stdout; the parent then kills us."""
    import importlib

    from django.utils import translation

    translation.activate("en")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def pause(*_args, **_kwargs):
        from psycopg.pq import TransactionStatus

        status = connection.connection.info.transaction_status
        assert status == TransactionStatus.INTRANS, "the pause point must be in the transaction"
        print(f"PAUSED {backend}", flush=True)
        time.sleep(120)
        os._exit(3)  # not reached: the parent kills us long before

    if point == "commit":
        # Every write is done; the next thing would be COMMIT.
        connection._commit = pause
    else:
        module, name = HALFWAY[operation]
        setattr(importlib.import_module(module), name, pause)
    OPERATIONS[operation](args)
    print("FINISHED", flush=True)  # the parent fails the test on this


# -- the parent ----------------------------------------------------------------------------------


def database_url() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "postgres", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(s['NAME'], safe='')}"


class Child:
    def __init__(self, proc: subprocess.Popen, backend: int, stderr_path: Path):
        self.proc, self.backend, self.stderr_path = proc, backend, stderr_path

    def writes_and_locks(self) -> tuple[set[str], bool]:
        """The tables the child's open transaction wrote to (it holds RowExclusiveLock on
        them) and whether that transaction has a transaction id (it wrote something)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r'",
                [self.backend],
            )
            tables = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT state, backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                [self.backend],
            )
            state, has_xid = cursor.fetchone()
        assert state == "idle in transaction", state
        return tables, has_xid

    def kill(self) -> None:
        """SIGKILL, then wait until PostgreSQL has noticed and ended the child's backend
        (which rolls its transaction back and releases its locks)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(timeout=10) == -signal.SIGKILL
        deadline = time.monotonic() + 10
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [self.backend]
                )
                if cursor.fetchone()[0] == 0:
                    return
            assert time.monotonic() < deadline, "PostgreSQL kept the killed child's backend"
            time.sleep(0.05)


@contextmanager
def paused_child(operation: str, point: str, args: dict, tmp_path: Path):
    """Start the child and wait until it is paused inside its transaction."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkcentrum.config.settings.test",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    stderr_path = tmp_path / f"child-{operation}-{point}.err"
    with stderr_path.open("w") as stderr:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", CHILD, operation, point, json.dumps(args)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        backend = None
        deadline = time.monotonic() + PAUSED_WITHIN
        while backend is None:
            remaining = deadline - time.monotonic()
            ready, _w, _x = select.select([proc.stdout], [], [], max(remaining, 0))
            line = proc.stdout.readline() if ready else ""
            if line.startswith("PAUSED "):
                backend = int(line.split()[1])
            elif not ready or (not line and proc.poll() is not None) or line.startswith("FIN"):
                proc.kill()
                proc.wait()
                pytest.fail(
                    f"the child did not pause ({line.strip() or 'no output'}):\n"
                    + stderr_path.read_text()[-3000:]
                )
        yield Child(proc, backend, stderr_path)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def fingerprint() -> dict[str, tuple[int, str]]:
    """Rows and a checksum of every table (the same method as scripts/backup.sh)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "  # noqa: S608
                f"FROM (SELECT md5(t::text) AS h FROM {quoted} t) rows"
            )
            result[table] = tuple(cursor.fetchone())
    return result


def row_is_locked(queryset) -> bool:
    """True when another transaction holds a lock on the queryset's row."""
    try:
        with transaction.atomic():
            list(queryset.select_for_update(nowait=True))
    except OperationalError:
        return True
    return False


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("point", ["halfway", "commit"])
def test_killed_while_accepting_a_handover(
    twente, guide, uwv, uwv_employee, is_postgres, tmp_path, point
):
    from werkcentrum.frontdoor import services

    assert is_postgres
    contact = factories.contact(twente, guide)
    handover = factories.handover(contact, guide, uwv)
    events_before = list(contact.events.values_list("pk", flat=True))
    before = fingerprint()

    args = {"handover": handover.pk, "user": uwv_employee.pk}
    with paused_child("accept", point, args, tmp_path) as child:
        written, has_xid = child.writes_and_locks()
        assert has_xid and {"frontdoor_handover", "frontdoor_contact"} <= written
        if point == "commit":
            assert "frontdoor_contactevent" in written
        assert row_is_locked(Handover.objects.filter(pk=handover.pk))
        child.kill()

    # Nothing of the half-done acceptance is left anywhere.
    assert fingerprint() == before
    handover.refresh_from_db()
    contact.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING and handover.decided_at is None
    assert contact.status == ContactStatus.HANDOVER_PENDING
    assert (contact.owner_user, contact.owner_partner) == (None, uwv)
    assert list(contact.events.values_list("pk", flat=True)) == events_before

    # The locks are gone: the partner accepts it now, once, with one timeline event.
    assert not row_is_locked(Handover.objects.filter(pk=handover.pk))
    services.accept_handover(Handover.objects.get(pk=handover.pk), uwv_employee)
    handover.refresh_from_db()
    contact.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED and handover.decided_by == uwv_employee
    assert contact.status == ContactStatus.HANDED_OVER
    assert (contact.owner_user, contact.owner_partner) == (None, uwv)
    assert contact.events.filter(kind=ContactEvent.Kind.ACCEPTED).count() == 1
    assert not Handover.objects.filter(contact=contact, status=HandoverStatus.PENDING).exists()


@pytest.mark.parametrize("point", ["halfway", "commit"])
def test_killed_while_booking_an_appointment(twente, guide, is_postgres, tmp_path, point):
    from werkcentrum.appointments import services
    from werkcentrum.appointments.models import Booking, BookingStatus, Slot

    assert is_postgres
    point_ = twente.walk_in_points.get(code="oldenzaal-sociaal-plein")
    adviser = make_user("career_adviser", Role.COORDINATOR, twente, walk_in_point=point_)
    day = timezone.localdate() + timedelta(days=2)
    slot = services.publish_availability(adviser, point_, day, "09:00", "09:30")[0]
    resident = factories.person(twente, first="Sara", last="Bakker")
    before = fingerprint()

    args = {"slot": slot.pk, "person": resident.pk, "user": guide.pk}
    with paused_child("book", point, args, tmp_path) as child:
        written, has_xid = child.writes_and_locks()
        assert has_xid and "appointments_booking" in written
        if point == "commit":
            assert "privacy_processinglogentry" in written
        child.kill()

    # The slot is still free and bookable; no booking, log entry or e-mail was left behind.
    assert fingerprint() == before
    assert not Booking.objects.filter(slot=slot).exists()
    assert Slot.objects.free().filter(pk=slot.pk).exists()

    # The index entry of the killed insert is gone too: booking the slot now succeeds.
    slot = Slot.objects.select_related("walk_in_point").get(pk=slot.pk)
    booking = services.book(guide, slot, resident)
    assert booking.status == BookingStatus.BOOKED
    assert list(Booking.objects.filter(slot=slot).values_list("pk", flat=True)) == [booking.pk]
    assert not Slot.objects.free().filter(pk=slot.pk).exists()


@pytest.mark.parametrize("point", ["halfway", "commit"])
def test_killed_while_committing_a_training_voucher(twente, is_postgres, tmp_path, point):
    from tests.vouchers.conftest import TRAINING, budget_line, record_llo
    from werkcentrum.vouchers import services
    from werkcentrum.vouchers.models import Application, LedgerEntry

    assert is_postgres
    fund = Partner.objects.get(code="twents-fonds-voor-vakmanschap")
    staff = make_user("fonds", Role.PARTNER_EMPLOYEE, twente, partner=fund)
    services.sync_budgets(twente, timezone.localdate().year)
    resident = factories.person(twente, first="Leerling", last="Test")
    record_llo(staff, resident)
    application = services.apply_for_resident(staff, resident, **TRAINING)
    application = services.decide(staff, application, approve=True)
    care = budget_line(twente, "care")
    committed_before = care.totals()["committed_total"]
    before = fingerprint()

    args = {"application": application.pk, "user": staff.pk}
    with paused_child("commit_voucher", point, args, tmp_path) as child:
        written, has_xid = child.writes_and_locks()
        assert has_xid and {"vouchers_ledgerentry", "vouchers_application"} <= written
        if point == "commit":
            assert "outbox_outboundemail" in written  # the commitment letter
        assert row_is_locked(type(care).objects.filter(pk=care.pk))  # the budget line
        child.kill()

    # The budget is not reduced, there is no commitment and no letter.
    assert fingerprint() == before
    assert care.totals()["committed_total"] == committed_before
    assert not LedgerEntry.objects.filter(application=application).exists()
    assert Application.objects.get(pk=application.pk).status == "approved"

    # The budget line is unlocked: committing now succeeds, exactly once.
    assert not row_is_locked(type(care).objects.filter(pk=care.pk))
    services.commit(staff, Application.objects.get(pk=application.pk))
    totals = care.totals()
    assert totals["committed_total"] == committed_before + application.amount_granted
    assert totals["committed_total"] <= care.amount
    assert LedgerEntry.objects.filter(application=application).count() == 1
    assert Application.objects.get(pk=application.pk).status == "committed"
