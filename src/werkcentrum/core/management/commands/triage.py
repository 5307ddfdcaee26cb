"""``werkcentrum triage --region twente --json -``: the triage contract (see README)."""

import json
import sys
from dataclasses import replace

from django.core.management.base import BaseCommand

from werkcentrum.core.bootstrap import ensure_database


class Command(BaseCommand):
    help = "Triage one situation (JSON on stdin or a file) and print level, partner and reasons."

    def add_arguments(self, parser):
        parser.add_argument(
            "input", nargs="?", default="-", help="'-' for stdin (default) or a JSON file"
        )
        parser.add_argument("--region", default=None, help="region code, e.g. twente")
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the only output format)"
        )

    def fail(self, message: str):
        sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
        sys.exit(2)

    def handle(self, *args, **options):
        from django.conf import settings

        from werkcentrum.frontdoor.routing import propose
        from werkcentrum.regions.loader import RegionFileError, load_region
        from werkcentrum.regions.models import Region
        from werkcentrum.regions.selectors import UnknownMunicipality, find_municipality
        from werkcentrum.triage import SituationError, parse_situation

        try:
            raw = (
                sys.stdin.read()
                if options["input"] == "-"
                else open(options["input"], encoding="utf-8").read()
            )
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(f"cannot read input: {exc}")
        try:
            data = json.loads(raw)
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # no lone surrogates ("\\ud800")
        except (json.JSONDecodeError, RecursionError, UnicodeEncodeError) as exc:
            self.fail(f"invalid JSON: {exc}")
        if not isinstance(data, dict):
            self.fail("invalid input: expected one JSON object")
        try:
            situation = parse_situation(data)
        except SituationError as exc:
            self.fail(f"invalid value: {exc}")

        ensure_database()
        code = options["region"] or settings.WERKCENTRUM_DEFAULT_REGION
        region = Region.objects.filter(code=code).first()
        if region is None:
            try:
                region = load_region(code)
            except RegionFileError:
                self.fail(f"unknown region: {code}")
        try:
            municipality = find_municipality(situation.municipality)
        except UnknownMunicipality:
            self.fail(f"unknown municipality: {situation.municipality}")
        situation = replace(situation, municipality=municipality.code)
        proposal = propose(region, situation, municipality)
        result = proposal.to_dict()
        result["region"] = region.code
        result["municipality"] = {
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region.code,
        }
        self.stdout.write(
            json.dumps(result, ensure_ascii=False, indent=None if options["json"] else 2)
        )
