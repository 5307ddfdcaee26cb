"""``werkcentrum match --vacancy ID --top N --json`` / ``--candidate ID``: ranked, explained."""

import json
import sys

from django.core.management.base import BaseCommand

from werkcentrum.core.bootstrap import ensure_database


class Command(BaseCommand):
    help = "Rank candidates for a vacancy, or vacancies for a candidate, with factor contributions."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--vacancy", type=int)
        target.add_argument("--candidate", type=int)
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the only output format)"
        )

    def fail(self, message: str):
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)

    def handle(self, *args, **options):
        from werkcentrum.candidates.models import CandidateProfile
        from werkcentrum.matching import services as matching
        from werkcentrum.vacancies.models import Vacancy

        ensure_database()
        top = options["top"]
        if not 1 <= top <= 1000:
            self.fail("--top must be between 1 and 1000")
        if options["vacancy"] is not None:
            vacancy = (
                Vacancy.objects.select_related("municipality").filter(pk=options["vacancy"]).first()
            )
            if vacancy is None:
                self.fail(f"no vacancy with id {options['vacancy']}")
            results = matching.candidates_for(vacancy, top=top)
        else:
            candidate = (
                CandidateProfile.objects.select_related("municipality")
                .filter(pk=options["candidate"])
                .first()
            )
            if candidate is None:
                self.fail(f"no candidate with id {options['candidate']}")
            results = matching.vacancies_for(candidate, top=top)
        payload = {"results": [matching.result_dict(r) for r in results]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
