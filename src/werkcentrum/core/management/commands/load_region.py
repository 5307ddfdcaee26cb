from django.core.management.base import BaseCommand, CommandError

from werkcentrum.core.bootstrap import ensure_database
from werkcentrum.regions.loader import RegionFileError, load_all_bundled_regions, load_region


class Command(BaseCommand):
    help = "Load (or reload) a region from its versioned data file: a bundled code or a .toml path."

    def add_arguments(self, parser):
        parser.add_argument(
            "region", nargs="?", help="region code (e.g. twente) or path to a .toml file"
        )
        parser.add_argument("--all", action="store_true", help="load every bundled region")

    def handle(self, *args, **options):
        ensure_database(load_regions=False)
        if not options["region"] and not options["all"]:
            raise CommandError("name a region (e.g. twente) or pass --all", returncode=2)
        try:
            regions = (
                load_all_bundled_regions() if options["all"] else [load_region(options["region"])]
            )
        except RegionFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for region in regions:
            self.stdout.write(
                f"Loaded region {region.code} ({region.name}), data version {region.data_version}: "
                f"{region.municipalities.count()} municipalities, {region.walk_in_points.count()} walk-in points, "
                f"{region.partners.filter(active=True).count()} partners."
            )
