"""``werkcentrum import_vacancies FILE --region twente [--dry-run]`` with progress on stderr."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from werkcentrum.core.bootstrap import ensure_database


class Command(BaseCommand):
    help = "Import vacancies from a CSV/Excel export of the old systems; prints the report as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--region", required=True)
        parser.add_argument(
            "--user", default="", help="username of the employer adviser doing the import"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        from werkcentrum.accounts.models import Role, User
        from werkcentrum.regions.models import Region
        from werkcentrum.vacancies.services import import_vacancies

        ensure_database()
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            sys.stderr.write(f"error: unknown region {options['region']}\n")
            sys.exit(2)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            sys.stderr.write(f"error: cannot read {path}: {exc}\n")
            sys.exit(2)
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        if user is None:
            user, _ = User.objects.get_or_create(
                username=f"import-{region.code}",
                defaults={"role": Role.EMPLOYER_ADVISER, "region": region},
            )

        def progress(done: int) -> None:
            sys.stderr.write(f"\r{done} rows read")
            sys.stderr.flush()

        report = import_vacancies(
            data, path.name, user=user, region=region, dry_run=options["dry_run"], progress=progress
        )
        sys.stderr.write("\n")
        self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False))
        if report.file_error:
            sys.exit(2)
