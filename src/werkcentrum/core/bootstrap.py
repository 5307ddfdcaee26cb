"""First-use preparation of the embedded database, so CLI contracts work right after install."""

import fcntl
import io
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection


@contextmanager
def _init_lock():
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.DATA_DIR / ".init.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # two first commands at once must not both migrate
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _needs_migrate() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_database(load_regions: bool = True) -> None:
    """Migrate silently if needed and load the bundled region files if no region is loaded."""
    from werkcentrum.budget.loader import load_all_bundled_budgets
    from werkcentrum.menu.loader import load_all_bundled_menus
    from werkcentrum.monitoring.loader import load_all_bundled_targets
    from werkcentrum.regions.loader import load_all_bundled_regions
    from werkcentrum.regions.models import Region
    from werkcentrum.training.loader import load_all_bundled_trainings

    tables = connection.introspection.table_names()
    if (
        "regions_region" in tables
        and not _needs_migrate()
        and (not load_regions or Region.objects.exists())
    ):
        return
    with _init_lock():
        if _needs_migrate():
            call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        if load_regions and not Region.objects.exists():
            load_all_bundled_regions()
            load_all_bundled_trainings()
            load_all_bundled_menus()
            load_all_bundled_budgets()
            load_all_bundled_targets()
