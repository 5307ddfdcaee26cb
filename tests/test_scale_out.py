"""The scale-out path (docs/deployment.md): reports and dashboards read from a replica when one
is configured (database router), and Redis holds the cache and the sessions."""

import json
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
from django.test import override_settings

from werkcentrum.config import routers
from werkcentrum.config.routers import ReplicaRouter, reading_from_replica

SCRIPT = r"""
import json
from django.db import connections
from django.test.utils import CaptureQueriesContext
from werkcentrum.core.bootstrap import ensure_database
ensure_database()
from werkcentrum.monitoring import reports
from werkcentrum.regions.models import Region
region = Region.objects.get(code="twente")
with CaptureQueriesContext(connections["default"]) as primary, \
        CaptureQueriesContext(connections["replica"]) as replica:
    report = reports.build(region, "annual", 2026)
print(json.dumps({"default": len(primary), "replica": len(replica), "title": report.title}))
"""


def test_the_router_sends_only_report_reads_to_the_replica(monkeypatch):
    router = ReplicaRouter()
    configured = SimpleNamespace(DATABASES={"default": {}, "replica": {}})
    monkeypatch.setattr(routers, "settings", configured)
    assert router.db_for_read(None) is None  # ordinary reads: default
    with reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"  # never write to a replica
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "frontdoor") is False
    monkeypatch.setattr(routers, "settings", SimpleNamespace(DATABASES={"default": {}}))
    with reading_from_replica():
        assert router.db_for_read(None) is None  # no replica configured: nothing changes


def test_a_report_reads_from_the_replica(tmp_path):
    """A real second connection: the replica is the same SQLite file, so the report's reads
    are counted on the replica connection and none on the primary."""
    database = tmp_path / "werkcentrum.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkcentrum.config.settings.dev",
        "WERKCENTRUM_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "REPLICA_DATABASE_URL": f"sqlite:///{database}",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["replica"] > 10 and counts["default"] == 0, counts


@pytest.mark.broker
def test_cache_and_sessions_in_redis(db):
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import caches
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("WERKCENTRUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url}: {exc}")
        pytest.skip(f"Redis is not reachable at {url}")
    backend = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"werkcentrum-test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(
        CACHES=backend, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        cache = caches["default"]
        cache.set("answer", {"n": 42}, 30)
        assert cache.get("answer") == {"n": 42}
        session = SessionStore()
        session["werkcentrum"] = "gedeeld"
        session.save()
        # another app server: a fresh store reads the same session
        assert SessionStore(session_key=session.session_key)["werkcentrum"] == "gedeeld"
        cache.clear()
        assert SessionStore(session_key=session.session_key)["werkcentrum"] == "gedeeld"  # DB
