"""Backup and restore round-trip (scripts/backup.sh, scripts/restore.sh; real PostgreSQL).

Real data through the services — contacts, handovers with their timeline, persons with an
encrypted BSN — is backed up from the test database, restored into a fresh database, and
compared: the script's counts and checksums, and independently every row of every table. A
changed restored database, a changed manifest, a damaged dump and a non-empty target are each
refused with their own exit code. A write committed while the backup runs is in neither the dump
nor the manifest (both come from one snapshot), so the restore still verifies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests import factories
from tests.conftest import make_user
from tests.faults.test_sigkill import database_url
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Contact, ContactEvent, Handover, Person
from werkcentrum.frontdoor.persons import set_bsn
from werkcentrum.privacy.bsn import decrypt_bsn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"
BSN = "111222333"  # passes the eleven-test
# A copy of the first timeline event as a new row (for the columns after INSERT INTO ...).
COPY_EVENT = (
    "(contact_id, kind, actor_id, note, data, at) SELECT contact_id, kind, actor_id, note, "
    "data, at FROM frontdoor_contactevent ORDER BY id LIMIT 1"
)


def _url(name: str) -> str:
    return database_url().rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def new_database():
    """Names of fresh, empty databases ("werkcentrum_backup_<random>"), dropped afterwards."""
    made = []

    def make(create: bool = True) -> str:
        name = f"werkcentrum_backup_{uuid.uuid4().hex[:12]}"
        made.append(name)
        if create:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        return name

    yield make
    with connection.cursor() as cursor:
        for name in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own scripts
        ["bash", str(script), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def backup(tmp_path: Path, env: dict | None = None) -> tuple[Path, dict]:
    result = run(BACKUP, str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    dump = Path(result.stdout.strip())
    assert dump.exists() and dump.suffix == ".dump"
    manifest = json.loads(dump.with_suffix(".manifest.json").read_text())
    return dump, manifest


def some_data(twente, guide, uwv):
    """A few contacts with persons (one with a BSN), two handovers, one of them accepted."""
    contacts = [factories.contact(twente, guide) for _ in range(3)]
    person = contacts[0].person
    set_bsn(person, BSN)
    person.save()
    factories.handover(contacts[1], guide, uwv)
    accepted = factories.handover(contacts[2], guide, uwv)
    employee = make_user("uwv_worker", Role.PARTNER_EMPLOYEE, twente, partner=uwv)
    services.accept_handover(accepted, employee)
    return person


def every_row(name: str) -> dict[str, list]:
    """Every row of every table of database ``name``, as Python values, in a fixed order."""
    with psycopg.connect(_url(name)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: sorted(
                conn.execute(f'SELECT * FROM "{table}"').fetchall(),  # noqa: S608
                key=repr,
            )
            for table in tables
        }


def test_backup_and_restore_round_trip(twente, guide, uwv, tmp_path, new_database):
    person = some_data(twente, guide, uwv)
    dump, manifest = backup(tmp_path)

    tables = manifest["tables"]
    assert manifest["format"] == "werkcentrum-backup/1"
    assert manifest["database"] == connection.settings_dict["NAME"]
    assert tables["frontdoor_contact"]["rows"] == Contact.objects.count() == 3
    assert tables["frontdoor_handover"]["rows"] == Handover.objects.count() == 2
    assert tables["frontdoor_person"]["rows"] == Person.objects.count() == 3
    assert tables["frontdoor_contactevent"]["rows"] == ContactEvent.objects.count()
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: owner only

    target = new_database()
    result = run(RESTORE, str(dump), _url(target))
    assert result.returncode == 0, result.stderr
    assert "counts and checksums equal to the manifest" in result.stdout

    # Independently of the script: every row of every table is the same.
    source_rows, restored_rows = every_row(connection.settings_dict["NAME"]), every_row(target)
    assert source_rows.keys() == restored_rows.keys() == tables.keys()
    assert source_rows == restored_rows
    assert {t: len(rows) for t, rows in restored_rows.items()} == {
        t: v["rows"] for t, v in tables.items()
    }
    # The BSN is still encrypted in the restored database and opens with the same key.
    with psycopg.connect(_url(target)) as conn:
        (token,) = conn.execute(
            "SELECT bsn_encrypted FROM frontdoor_person WHERE id = %s", [person.pk]
        ).fetchone()
    assert BSN not in token and decrypt_bsn(token) == BSN
    # The identity sequences were restored too: a new row gets the next id, no collision.
    with psycopg.connect(_url(target)) as conn:
        (new_id,) = conn.execute(
            f"INSERT INTO frontdoor_contactevent {COPY_EVENT} RETURNING id"
        ).fetchone()
    assert new_id > max(row[0] for row in restored_rows["frontdoor_contactevent"])


def test_a_tampered_restore_is_detected(twente, guide, uwv, tmp_path, new_database):
    some_data(twente, guide, uwv)
    dump, manifest = backup(tmp_path)
    target = new_database()
    assert run(RESTORE, str(dump), _url(target)).returncode == 0
    assert run(RESTORE, "--verify", str(dump), _url(target)).returncode == 0

    # A changed row in the restored database: same count, different checksum.
    with psycopg.connect(_url(target)) as conn:
        conn.execute(
            "UPDATE frontdoor_person SET last_name = 'Anders' WHERE id = "
            "(SELECT min(id) FROM frontdoor_person)"
        )
    result = run(RESTORE, "--verify", str(dump), _url(target))
    assert result.returncode == 1
    assert "frontdoor_person: 3 rows, checksum differs" in result.stderr

    # A lost row: the count differs.
    with psycopg.connect(_url(target)) as conn:
        conn.execute(
            "DELETE FROM frontdoor_contactevent WHERE id = "
            "(SELECT max(id) FROM frontdoor_contactevent)"
        )
    result = run(RESTORE, "--verify", str(dump), _url(target))
    expected = manifest["tables"]["frontdoor_contactevent"]["rows"]
    assert result.returncode == 1
    assert f"frontdoor_contactevent: {expected - 1} rows, manifest {expected}" in result.stderr

    # Restoring into a database that is not empty is refused (nothing is overwritten).
    assert run(RESTORE, str(dump), _url(target)).returncode == 3

    # A manifest that does not describe the dump's content: the restore finds the difference.
    changed = tmp_path / "changed.manifest.json"
    text = dump.with_suffix(".manifest.json").read_text()
    contact_md5 = manifest["tables"]["frontdoor_contact"]["md5"]
    changed.write_text(text.replace(contact_md5, "0" * 32))
    result = run(RESTORE, str(dump), _url(new_database()), env={"MANIFEST": str(changed)})
    assert result.returncode == 1
    assert "frontdoor_contact: 3 rows, checksum differs" in result.stderr

    # A damaged dump is refused before anything is restored.
    damaged = tmp_path / "damaged.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    fresh = new_database()
    result = run(
        RESTORE,
        str(damaged),
        _url(fresh),
        env={"MANIFEST": str(dump.with_suffix(".manifest.json"))},
    )
    assert result.returncode == 2 and "does not match its manifest" in result.stderr
    with psycopg.connect(_url(fresh)) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)


def test_a_write_during_the_backup_is_in_neither_dump_nor_manifest(
    twente, guide, uwv, tmp_path, new_database
):
    """pg_dump and the manifest share one snapshot: a contact registered while pg_dump starts
    (after the snapshot) is in neither, so the manifest still matches the dump exactly."""
    some_data(twente, guide, uwv)
    real_pg_dump = shutil.which("pg_dump")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "pg_dump"
    # A concurrent writer: copies a contact event in its own session, committed, right
    # before the real pg_dump starts.
    wrapper.write_text(
        "#!/bin/sh\n"
        f'psql -X -q -d "$WC_TEST_URL" -c "INSERT INTO frontdoor_contactevent {COPY_EVENT}" '
        "|| exit 1\n"
        f'exec "{real_pg_dump}" "$@"\n'
    )
    wrapper.chmod(0o755)
    before = ContactEvent.objects.count()
    out = tmp_path / "out"
    dump, manifest = backup(
        out,
        env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "WC_TEST_URL": database_url()},
    )
    assert ContactEvent.objects.count() == before + 1  # the write happened during the backup
    assert manifest["tables"]["frontdoor_contactevent"]["rows"] == before

    target = new_database()
    result = run(RESTORE, str(dump), _url(target))
    assert result.returncode == 0, result.stderr
    with psycopg.connect(_url(target)) as conn:
        assert conn.execute("SELECT count(*) FROM frontdoor_contactevent").fetchone() == (before,)
