"""``werkcentrum normalise-title "<title>" --top N --json`` or ``--file PATH`` (one title a line)."""

import json
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Normalise job titles to ranked ESCO occupations (no database needed)."

    def add_arguments(self, parser):
        parser.add_argument("title", nargs="?", help="a job title in Dutch")
        parser.add_argument("--file", help="a text file with one title per line (UTF-8)")
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the only output format)"
        )

    def fail(self, message: str):
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)

    def handle(self, *args, **options):
        from werkcentrum.occupations.normalise import default_normaliser

        top = options["top"]
        if not 1 <= top <= 100:
            self.fail("--top must be between 1 and 100")
        if bool(options["title"]) == bool(options["file"]):
            self.fail("give a title or --file PATH (not both)")
        normaliser = default_normaliser()

        def as_json(matches) -> str:
            results = [
                {
                    "esco_id": m.esco_id,
                    "label": m.label,
                    "isco_group": m.isco_group,
                    "score": round(m.score, 6),
                }
                for m in matches
            ]
            return json.dumps({"results": results}, ensure_ascii=False)

        if options["title"]:
            self.stdout.write(as_json(normaliser.normalise(options["title"], top=top)))
            return
        try:
            with open(options["file"], encoding="utf-8") as handle:
                titles = [line.rstrip("\r\n") for line in handle]
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(f"cannot read {options['file']}: {exc}")
        out = sys.stdout
        batch = 2000
        for start in range(0, len(titles), batch):
            for matches in normaliser.normalise_many(titles[start : start + batch], top=top):
                out.write(as_json(matches) + "\n")
        out.flush()
