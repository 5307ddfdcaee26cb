"""``werkcentrum targets load [--region twente] [--file PATH]``: load the target files.

Each year whose targets differ from the version in force becomes a new version. Bad input (an
unknown region, a broken file) exits 2 with one line on stderr and changes nothing.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError


def _fail(message: str):
    raise CommandError(" ".join(str(message).split()), returncode=2)


class Command(BaseCommand):
    help = "Load the region's target files (monitoring/data/<region>.toml)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = actions.add_parser("load", help="load monitoring/data/<region>.toml")
        load.add_argument("--region", help="region code, e.g. twente (default: every bundled file)")
        load.add_argument("--file", metavar="PATH", help="load this file instead (needs --region)")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            sys.stderr.write(f"error: {exc}\n")
            sys.exit(exc.returncode)

    def handle(self, *args, **options):
        from werkcentrum.core.bootstrap import ensure_database

        ensure_database()
        self.handle_load(options)

    def handle_load(self, options):
        from django.db import transaction

        from werkcentrum.monitoring.loader import TargetFileError, load_targets
        from werkcentrum.monitoring.targetfile import bundled_target_files
        from werkcentrum.regions.models import Region

        region, path = options["region"], options["file"]
        if path and not region:
            _fail("--file needs --region")
        codes = [region] if region else sorted(bundled_target_files())
        loaded = {}
        try:
            with transaction.atomic():
                for code in codes:
                    if not Region.objects.filter(code=code).exists():
                        _fail(f"unknown region: {code}")
                    loaded[code] = load_targets(code, path)
        except TargetFileError as exc:
            _fail(str(exc))
        for code, years in loaded.items():
            listed = ", ".join(f"{year} v{version}" for year, version in sorted(years.items()))
            self.stdout.write(f"Loaded targets for {code}: {listed}")
