"""``werkcentrum generate --region twente --candidates N --vacancies M --employers K --seed S``."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from werkcentrum.core.bootstrap import ensure_database

BATCH = 2000


class Command(BaseCommand):
    help = "Create realistic Dutch synthetic employers, vacancies and candidates (deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True)
        parser.add_argument("--candidates", type=int, default=0)
        parser.add_argument("--vacancies", type=int, default=0)
        parser.add_argument("--employers", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1)

    def fail(self, message):
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)

    def handle(self, *args, **o):
        from django.utils import timezone

        from werkcentrum.candidates.models import CandidateProfile
        from werkcentrum.core.synthetic import Generator, Municipality, Occupation
        from werkcentrum.employers.models import Employer
        from werkcentrum.frontdoor.models import Person
        from werkcentrum.matching.services import reset_indexes
        from werkcentrum.occupations.normalise import load_occupations
        from werkcentrum.regions.models import Municipality as MunicipalityModel
        from werkcentrum.regions.models import Region
        from werkcentrum.vacancies.models import Vacancy

        ensure_database()
        for name in ("candidates", "vacancies", "employers"):
            if not 0 <= o[name] <= 2_000_000:
                self.fail(f"--{name} must be between 0 and 2,000,000")
        region = Region.objects.filter(code=o["region"]).first()
        if region is None:
            self.fail(f"unknown region {o['region']}")
        if o["vacancies"] and not o["employers"] and not region.employers.exists():
            self.fail("vacancies need employers: pass --employers K")
        municipalities = {m.code: m for m in MunicipalityModel.objects.filter(region=region)}
        generator = Generator(
            o["seed"],
            [Municipality(m.code, m.name, m.population or 1) for m in municipalities.values()],
            [Occupation(x.esco_id, x.isco_group, x.label) for x in load_occupations()],
        )
        started = time.perf_counter()
        # KvK numbers per seed and region so that two runs never collide.
        start_kvk = 60_000_000 + (o["seed"] % 1000) * 30_000 + region.pk * 3_000_000 % 9_000_000
        employer_rows = list(generator.employers(o["employers"], start_kvk=start_kvk))
        with transaction.atomic():
            existing = set(
                Employer.objects.filter(
                    kvk_number__in=[e["kvk_number"] for e in employer_rows]
                ).values_list("kvk_number", flat=True)
            )
            Employer.objects.bulk_create(
                [
                    Employer(
                        region=region, **{**e, "municipality": municipalities[e["municipality"]]}
                    )
                    for e in employer_rows
                    if e["kvk_number"] not in existing
                ],
                batch_size=BATCH,
            )
        employers = {e.kvk_number: e for e in Employer.objects.filter(region=region)}
        pool = employer_rows or [
            {
                "kvk_number": e.kvk_number,
                "chain": e.chain or "logistics",
                "municipality": e.municipality.code
                if e.municipality
                else next(iter(municipalities)),
            }
            for e in employers.values()
        ]
        vacancies = []
        for row in generator.vacancies(o["vacancies"], pool):
            employer = employers[row.pop("employer_kvk")]
            row["municipality"] = municipalities[row["municipality"]]
            row["external_ref"] = f"{row['external_ref']}-{o['seed']}"
            vacancies.append(Vacancy(region=region, employer=employer, **row))
        with transaction.atomic():
            Vacancy.objects.bulk_create(vacancies, batch_size=BATCH, ignore_conflicts=True)
        now = timezone.now()
        made = 0
        rows = generator.candidates(o["candidates"])
        while made < o["candidates"]:
            chunk = [next(rows) for _ in range(min(BATCH, o["candidates"] - made))]
            with transaction.atomic():
                persons = Person.objects.bulk_create(
                    [
                        Person(
                            region=region,
                            first_name=c["first_name"],
                            last_name=c["last_name"],
                            municipality=municipalities[c["municipality"]],
                        )
                        for c in chunk
                    ]
                )
                profiles = []
                for person, c in zip(persons, chunk, strict=True):
                    consent = c.pop("consent")
                    c.pop("first_name"), c.pop("last_name")
                    municipality = municipalities[c.pop("municipality")]
                    profiles.append(
                        CandidateProfile(
                            person=person,
                            region=region,
                            municipality=municipality,
                            benefit_municipality=municipality
                            if c["benefit_regime"] == "bijstand"
                            else None,
                            consent_given_at=now if consent else None,
                            **c,
                        )
                    )
                CandidateProfile.objects.bulk_create(profiles, batch_size=BATCH)
            made += len(chunk)
            self.stderr.write(f"\r{made} candidates", ending="")
        if o["candidates"]:
            self.stderr.write("")
        reset_indexes()
        self.stdout.write(
            f"Generated for {region.code} (seed {o['seed']}): {len(employer_rows)} employers, {len(vacancies)} "
            f"vacancies, {made} candidates in {time.perf_counter() - started:.1f} s."
        )
