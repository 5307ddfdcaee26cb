"""``werkcentrum report quarterly|annual``: the progress reports from the command line.

    werkcentrum report quarterly --region twente --year 2026 --quarter 3 --out q3.pdf
    werkcentrum report annual --region twente --year 2026 --out jaarverslag-2026.pdf

The format follows the file name: ``.pdf`` or ``.html`` (a standalone page). Dutch by default
(``--lang en`` for English). Prints one line about what it wrote, or with ``--json`` one JSON
object: ``{"kind", "region", "year", "quarter", "period": {"start", "end"}, "title",
"sections", "out", "format", "bytes"}``. Bad input (unknown region, quarter out of range, an
unknown extension, a folder that does not exist) exits 2 with one line on stderr and writes
nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from werkcentrum.core.management.cli import OneLineErrorsCommand, OneLineParser, fail

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


class Command(OneLineErrorsCommand):
    help = "Write the quarterly progress report or the annual report as PDF or HTML."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(
            dest="kind", required=True, metavar="{quarterly,annual}", parser_class=OneLineParser
        )
        quarterly = kinds.add_parser("quarterly", help="the quarterly progress report")
        annual = kinds.add_parser("annual", help="the annual report")
        for sub in (quarterly, annual):
            sub.add_argument("--region", default=None, help="region code, e.g. twente")
            sub.add_argument("--year", type=int, required=True)
            sub.add_argument("--out", required=True, metavar="FILE.pdf", help=".pdf or .html")
            sub.add_argument("--lang", choices=["nl", "en"], default="nl")
            sub.add_argument("--json", action="store_true", help="print what was written as JSON")
        quarterly.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])

    def handle(self, *args, **options):
        from django.conf import settings

        from werkcentrum.core.bootstrap import ensure_database
        from werkcentrum.monitoring import reports
        from werkcentrum.regions.models import Region

        out = Path(options["out"])
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            fail(f"--out must end in .pdf or .html, not {out.name!r}")
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            fail(f"folder does not exist: {folder}")
        if out.is_dir():
            fail(f"--out is a folder: {out}")
        ensure_database()
        code = options["region"] or settings.WERKCENTRUM_DEFAULT_REGION
        region = Region.objects.filter(code=code).first()
        if region is None:
            fail(f"unknown region: {code}")
        try:
            report = reports.build(
                region,
                options["kind"],
                options["year"],
                options.get("quarter"),
                lang=options["lang"],
            )
        except reports.ReportError as exc:
            fail(str(exc))
        content = (
            reports.render_pdf(report)
            if fmt == "pdf"
            else reports.render_html(report).encode("utf-8")
        )
        _write_atomically(out, content)
        if options["json"]:
            result = reports.summary_json(report) | {
                "out": str(out),
                "format": fmt,
                "bytes": len(content),
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Wrote {out} ({report.title}, {region.code}, {len(content):,} bytes)"
            )


def _write_atomically(path: Path, content: bytes) -> None:
    """All or nothing: a half-written report never replaces a good one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
