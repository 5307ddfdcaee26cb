"""Reads for reports and dashboards from a read replica (scale-out, docs/deployment.md).

With ``REPLICA_DATABASE_URL`` set, the settings add a ``replica`` database. Code that only reads
aggregates — the monitoring dashboard, the reports, the labour-market page — runs inside
``reading_from_replica()``; every other read, and every write, stays on ``default`` (a replica
lags behind: a guide must see the contact they just saved). Without a replica nothing changes.
"""

from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "werkcentrum_read_replica", default=False
)


@contextmanager
def reading_from_replica():
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def replica_reads(view):
    """Decorator: the whole function reads from the replica (when there is one)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of default: the same objects

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
