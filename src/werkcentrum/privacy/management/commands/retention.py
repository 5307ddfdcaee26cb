"""``werkcentrum retention``: delete or anonymise what has passed its retention period.

    werkcentrum retention --dry-run          # what a run would do now; nothing changes
    werkcentrum retention --dry-run --json   # the same as one JSON object
    werkcentrum retention                    # apply the rules (also run nightly by Celery beat)

The rules are in ``privacy/data/retention.toml`` (``--file`` for another one). Prints, per rule,
the record type, the action, the cut-off and how many records were (or would be) deleted or
anonymised; with ``--json`` one object ``{"rules": [{"record", "action", "cutoff", "count"}],
"dry_run": bool}``. An applied run writes the same counts to the audit trail
(``retention_run``). A broken retention file exits 2 with one ``error:`` line and changes
nothing.
"""

from __future__ import annotations

import json

from werkcentrum.core.management.cli import OneLineErrorsCommand, fail


class Command(OneLineErrorsCommand):
    help = "Delete or anonymise personal data whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count; change nothing")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument(
            "--file", default=None, metavar="RETENTION.toml", help="another retention file"
        )
        parser.add_argument(
            "--record",
            action="append",
            default=None,
            metavar="RECORD",
            help="only this record type's rule (repeatable)",
        )

    def handle(self, *args, **options):
        from werkcentrum.core.bootstrap import ensure_database
        from werkcentrum.privacy.retention import RetentionFileError
        from werkcentrum.privacy.retention_runner import load_policy, run

        try:
            policy = load_policy(options["file"])
        except RetentionFileError as exc:
            fail(str(exc))
        records = options["record"]
        if records:
            unknown = sorted(set(records) - {rule.record for rule in policy.rules})
            if unknown:
                fail(f"--record: no retention rule for {', '.join(unknown)}")
        ensure_database(load_regions=False)
        summary = run(policy, dry_run=options["dry_run"], records=records)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
            return
        verb = "would be changed (dry run: nothing changed)" if summary.dry_run else "changed"
        self.stdout.write(f"Retention rules {policy.version}: records {verb}")
        for result in summary.results:
            self.stdout.write(
                f"  {result.record:<22} {result.action:<10} "
                f"before {result.cutoff:%Y-%m-%d %H:%M}  {result.count:>8,}"
            )
        self.stdout.write(f"  {'total':<22} {'':<10} {'':<24} {summary.total:>8,}")
