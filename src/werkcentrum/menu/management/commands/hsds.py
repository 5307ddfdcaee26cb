"""``werkcentrum hsds export --region twente --out DIR`` and
``werkcentrum hsds import --region twente DIR``: the service menu as Open Referral HSDS 3.0.

Export writes ``DIR/hsds-<region>.json`` (tabular JSON: one array per HSDS object type) and
prints one line. Import reads that file (or the file given) and loads the services back, all
or nothing. Errors exit 2 with exactly one line on stderr.
"""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser


class _Parser(CommandParser):
    """Argument errors as one line on stderr and exit code 2 (the CLI contract)."""

    def error(self, message):
        message = " ".join(str(message).split())
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}", returncode=2)
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)


class Command(BaseCommand):
    help = "Export or import a region's service menu as Open Referral HSDS 3.0 JSON."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
        export = sub.add_parser("export", help="write DIR/hsds-<region>.json")
        export.add_argument("--region", required=True, help="region code, e.g. twente")
        export.add_argument("--out", required=True, metavar="DIR", help="output directory")
        load = sub.add_parser("import", help="load services back from an HSDS export")
        load.add_argument("--region", required=True, help="region code, e.g. twente")
        load.add_argument("source", metavar="DIR", help="directory (or .json file) of the export")

    def fail(self, message: str):
        sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
        sys.exit(2)

    def handle(self, *args, **options):
        from werkcentrum.core.bootstrap import ensure_database
        from werkcentrum.menu.hsds import import_region, write_export
        from werkcentrum.menu.loader import MenuFileError
        from werkcentrum.menu.models import Service
        from werkcentrum.regions.models import Region

        ensure_database()
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            self.fail(f"unknown region: {options['region']}")
        if options["action"] == "export":
            if not Service.objects.filter(region=region).exists():
                self.fail(f"region {region.code} has no service menu (run load_menu {region.code})")
            try:
                path = write_export(region, options["out"])
            except OSError as exc:
                self.fail(f"cannot write to {options['out']}: {exc.strerror or exc}")
            count = Service.objects.filter(region=region).count()
            self.stdout.write(f"Exported {count} services of {region.code} to {path} (HSDS 3.0).")
            return
        try:
            count = import_region(region, options["source"])
        except MenuFileError as exc:
            self.fail(str(exc))
        self.stdout.write(f"Imported {count} services into {region.code} from {options['source']}.")
