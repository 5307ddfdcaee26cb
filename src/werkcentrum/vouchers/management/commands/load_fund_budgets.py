"""``werkcentrum load_fund_budgets twente [--year 2027]``: set a year's budget lines of the
training fund from its rules file (``vouchers/data/<region>.toml``). Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from werkcentrum.core.errors import ServiceError
from werkcentrum.regions.models import Region
from werkcentrum.vouchers import services


class Command(BaseCommand):
    help = "Set a year's training-fund budget lines from the fund's rules file."

    def add_arguments(self, parser):
        parser.add_argument("region", help="region code, e.g. twente")
        parser.add_argument("--year", type=int, default=None, help="default: this year")

    def handle(self, *args, region, year, **options):
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"unknown region {region!r}", returncode=2)
        year = year or timezone.localdate().year
        try:
            budgets = services.sync_budgets(found, year)
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        for budget in budgets:
            self.stdout.write(f"{budget.year} {budget.sector}: {budget.amount}")
