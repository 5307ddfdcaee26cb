"""The shape of every ``load_<data>`` command: regions or --all, an optional --file for one
region, all or nothing, one summary line, exit 2 with one line on bad input."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from werkcentrum.core.bootstrap import ensure_database
from werkcentrum.core.datafile import DataFileError


class LoadDataFileCommand(BaseCommand):
    """Subclasses set ``noun`` (plural, e.g. "trainings"), ``collection`` ("catalogue"),
    ``model`` (with ``region`` and ``active``) and implement ``bundled`` and ``load``."""

    noun = "items"
    collection = "data"
    model = None

    def bundled(self) -> dict:
        raise NotImplementedError

    def load(self, code: str, path) -> int:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("regions", nargs="*", metavar="REGION", help="region code, e.g. twente")
        parser.add_argument("--all", action="store_true", help="load every bundled file")
        parser.add_argument(
            "--file", metavar="PATH", help="load this .toml file instead (needs exactly one REGION)"
        )

    def handle(self, *args, **options):
        regions, load_all, path = options["regions"], options["all"], options["file"]
        if not regions and not load_all:
            raise CommandError("name a region (e.g. twente) or pass --all", returncode=2)
        if regions and load_all:
            raise CommandError("name regions or pass --all, not both", returncode=2)
        if path and len(regions) != 1:
            raise CommandError("--file needs exactly one REGION", returncode=2)
        ensure_database()
        codes = sorted(self.bundled()) if load_all else regions
        counts = {}
        try:
            with transaction.atomic():  # several regions: all or nothing
                for code in codes:
                    counts[code] = self.load(code, path)
        except DataFileError as exc:
            raise CommandError(" ".join(str(exc).split()), returncode=2) from exc
        inactive = self.model.objects.filter(region__code__in=codes, active=False).count()
        per_region = ", ".join(f"{code} {count}" for code, count in counts.items())
        self.stdout.write(
            f"Loaded {sum(counts.values())} {self.noun} ({per_region}); "
            f"{inactive} inactive in the {self.collection}."
        )
