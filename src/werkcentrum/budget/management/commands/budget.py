"""``werkcentrum budget load|summary|export``: the budget from the command line.

    werkcentrum budget load [--region twente] [--file PATH]
    werkcentrum budget summary --region twente [--version V] [--json]
    werkcentrum budget export --region twente [--version V] --out FILE.xlsx

``summary --json`` prints one line: ``{"years": {"2025": {"income": ..., "costs": ...,
"gap": ..., "impulse_budget": ..., "one_off_investment": ..., "investment_room": ...}, ...}}``
with whole euros (the contract in docs/budget.md). Right after install it works against a fresh
embedded database: it migrates and loads the region's bundled budget on first use. Bad input
(an unknown region, a broken file) exits 2 with one line on stderr and nothing on stdout.
"""

from __future__ import annotations

import json

from django.db import IntegrityError

from werkcentrum.core.management.cli import OneLineErrorsCommand, OneLineParser
from werkcentrum.core.management.cli import fail as _fail


class Command(OneLineErrorsCommand):
    help = "Load the region's budget files, print the multi-year summary or export it to Excel."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="{load,summary,export}",
            parser_class=OneLineParser,
        )
        load = actions.add_parser(
            "load", help="load budget/data/<region>.toml (all regions by default)"
        )
        load.add_argument("--region", help="region code, e.g. twente (default: every bundled file)")
        load.add_argument("--file", metavar="PATH", help="load this file instead (needs --region)")

        summary = actions.add_parser("summary", help="income, costs, gap and room per year")
        export = actions.add_parser("export", help="write the budget as an Excel workbook")
        for sub in (summary, export):
            sub.add_argument("--region", default=None, help="region code, e.g. twente")
            sub.add_argument(
                "--version",
                dest="budget_version",
                default=None,
                help="budget version (default: the region's primary budget)",
            )
        summary.add_argument("--json", action="store_true", help="print the JSON contract")
        export.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write")

    def handle(self, *args, **options):
        from werkcentrum.core.bootstrap import ensure_database

        ensure_database()
        getattr(self, f"handle_{options['action']}")(options)

    # -- load ---------------------------------------------------------------------------------

    def handle_load(self, options):
        from django.db import transaction

        from werkcentrum.budget.budgetfile import bundled_budget_files
        from werkcentrum.budget.loader import BudgetFileError, load_budgets

        region, path = options["region"], options["file"]
        if path and not region:
            _fail("--file needs --region")
        codes = [region] if region else sorted(bundled_budget_files())
        loaded = {}
        try:
            with transaction.atomic():  # several regions: all or nothing
                for code in codes:
                    self._known_region(code)
                    loaded[code] = load_budgets(code, path)
        except BudgetFileError as exc:
            _fail(str(exc))
        for code, versions in loaded.items():
            self.stdout.write(f"Loaded {len(versions)} budget(s) for {code}: {', '.join(versions)}")

    # -- summary and export -----------------------------------------------------------------

    def _known_region(self, code):
        from werkcentrum.regions.models import Region

        region = Region.objects.filter(code=code).first()
        if region is None:
            _fail(f"unknown region: {code}")
        return region

    def _figures(self, options):
        from django.conf import settings

        from werkcentrum.budget import selectors
        from werkcentrum.budget.budgetfile import bundled_budget_files
        from werkcentrum.budget.loader import BudgetFileError, load_budgets

        region = self._known_region(options["region"] or settings.WERKCENTRUM_DEFAULT_REGION)
        budgets = selectors.budgets_for(region)
        if not budgets and region.code in bundled_budget_files():
            try:  # first use: the bundled budget
                load_budgets(region.code)
            except IntegrityError:
                pass  # another first command loaded it at the same moment
            except BudgetFileError as exc:
                _fail(str(exc))
            budgets = selectors.budgets_for(region)
        if not budgets:
            _fail(f"no budget for region {region.code} (load one with: werkcentrum budget load)")
        version = options["budget_version"]
        budget = selectors.pick(budgets, version)
        if version and budget.version != version:
            known = ", ".join(b.version for b in budgets)
            _fail(f"unknown budget version for {region.code}: {version} (known: {known})")
        return selectors.figures(budget)

    def handle_summary(self, options):
        from werkcentrum.budget import presentation

        data = self._figures(options)
        if options["json"]:
            result = {
                "years": {str(year): data.summaries[year].as_contract() for year in data.years}
            }
            self.stdout.write(json.dumps(result))
            return
        budget = data.budget
        self.stdout.write(f"{budget.region.name}: {budget.title} ({budget.version})")
        width = max(len(row.label) for row in presentation.summary_rows(data))
        header = "".join(f"{year:>14}" for year in data.years)
        self.stdout.write(f"{'':<{width}}{header}")
        for row in presentation.summary_rows(data):
            values = "".join(f"{presentation.dotted(v):>14}" for v in row.values)
            self.stdout.write(f"{row.label:<{width}}{values}")
        for warning in data.warnings:
            self.stdout.write("warning: " + presentation.warning_text(warning, presentation.dotted))

    def handle_export(self, options):
        from werkcentrum.budget.export import write_workbook

        data = self._figures(options)
        try:
            write_workbook(data, options["out"])
        except OSError as exc:
            _fail(f"cannot write {options['out']}: {exc.strerror or exc}")
        self.stdout.write(f"Wrote {options['out']} ({data.budget.title}, {len(data.years)} years)")
