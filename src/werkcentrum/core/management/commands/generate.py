"""``werkcentrum generate --region twente --candidates N --vacancies M --employers K --seed S``
and, for monitoring at scale, ``--contacts N --handovers M --placements K``.

Contacts (with persons, consents and handovers) and placements cover two years ending
yesterday (``core.synthetic.History``); they are written in batches of ``HISTORY_BATCH`` rows,
one transaction per batch, with their real timestamps (see ``explicit_timestamps``). Every
database constraint holds, and the rows are shaped as the front-door services would leave them
(one owner unless answered, a consent for this contact, person and partner behind every
handover, pick-up deadlines in working days, ...). Timeline events, the processing log and the
audit trail are not generated.
"""

import sys
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import transaction

from werkcentrum.core.bootstrap import ensure_database

BATCH = 2000
HISTORY_BATCH = 5000
LIMIT = 2_000_000
COUNTS = ("candidates", "vacancies", "employers", "contacts", "handovers", "placements")


@contextmanager
def explicit_timestamps(*models):
    """Let ``bulk_create`` keep the ``created_at``/``updated_at`` the rows carry: ``auto_now``
    and ``auto_now_add`` would overwrite them with "now". Restored on the way out."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Create realistic Dutch synthetic employers, vacancies and candidates, and two years of "
        "contacts, handovers and placements (deterministic per seed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True)
        parser.add_argument("--candidates", type=int, default=0)
        parser.add_argument("--vacancies", type=int, default=0)
        parser.add_argument("--employers", type=int, default=0)
        parser.add_argument(
            "--contacts", type=int, default=0, help="contacts over the last two years"
        )
        parser.add_argument(
            "--handovers",
            type=int,
            default=0,
            help="how many of the generated contacts are handed over (at most --contacts)",
        )
        parser.add_argument(
            "--placements", type=int, default=0, help="placements over the last two years"
        )
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

        for name in COUNTS:
            if not 0 <= o[name] <= LIMIT:
                self.fail(f"--{name} must be between 0 and 2,000,000")
        if o["handovers"] > o["contacts"]:
            self.fail(
                "--handovers must not exceed --contacts: each handover is of a generated contact"
            )
        ensure_database()
        region = Region.objects.filter(code=o["region"]).first()
        if region is None:
            self.fail(f"unknown region {o['region']}")
        if o["vacancies"] and not o["employers"] and not region.employers.exists():
            self.fail("vacancies need employers: pass --employers K")
        if o["placements"] and not o["employers"] and not region.employers.exists():
            self.fail("placements need employers: pass --employers K")
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
        history = ""
        if o["contacts"] or o["placements"]:
            writer = HistoryWriter(region, o["seed"], self.stderr)
            contacts, handovers = writer.contacts(o["contacts"], o["handovers"])
            placements = writer.placements(o["placements"])
            history = f", {contacts} contacts, {handovers} handovers, {placements} placements"
        reset_indexes()
        self.stdout.write(
            f"Generated for {region.code} (seed {o['seed']}): {len(employer_rows)} employers, {len(vacancies)} "
            f"vacancies, {made} candidates{history} in {time.perf_counter() - started:.1f} s."
        )


class HistoryWriter:
    """Turns ``core.synthetic.History`` rows into model rows, batch by batch."""

    def __init__(self, region, seed: int, progress):
        from django.conf import settings
        from django.utils import timezone

        from werkcentrum.accounts.models import Role, User
        from werkcentrum.core.synthetic import History, Municipality, Network, PartnerRef, Place
        from werkcentrum.frontdoor.routing import rules_in_force
        from werkcentrum.regions.models import Municipality as MunicipalityModel
        from werkcentrum.regions.models import Partner
        from werkcentrum.regions.selectors import resolve_partner, werkcentrum_partner

        self.region = region
        self.progress = progress
        self.municipalities = {
            m.code: m for m in MunicipalityModel.objects.filter(region=region).order_by("code")
        }
        points = list(region.walk_in_points.order_by("code"))
        self.points = {p.code: p for p in points}
        self.partners = {p.pk: p for p in Partner.objects.filter(region=region)}
        werkcentrum = werkcentrum_partner(region)
        routes: dict = {}

        def route(kind: str, desk: str, code: str | None) -> PartnerRef:
            key = (kind, desk, code)
            if key not in routes:
                partner = resolve_partner(region, kind, desk, self.municipalities.get(code or ""))
                self.partners[partner.pk] = partner
                routes[key] = PartnerRef(
                    partner.pk, partner.pickup_working_days, partner.pk != werkcentrum.pk
                )
            return routes[key]

        # Synthetic staff (no usable password): two guides per walk-in point, one employee per
        # partner who decides its handovers, one employer adviser who records placements.
        def user(username, role, **extra):
            found = User.objects.filter(username=username).first()
            if found is None:
                found = User.objects.create_user(
                    username, None, role=role, region=region, last_name="Synthetisch", **extra
                )
            return found.pk

        prefix = f"synthetic-{region.code}"
        guides: dict = {None: []}
        for point in points:
            guides[point.code] = [
                user(f"{prefix}-{point.code}-{k}", Role.GUIDE, walk_in_point=point) for k in (1, 2)
            ]
            guides[None].extend(guides[point.code])
        if not guides[None]:
            guides[None] = [user(f"{prefix}-guide", Role.GUIDE)]
        employees = {
            p.pk: user(f"synthetic-{p.code}", Role.PARTNER_EMPLOYEE, partner=p)
            for p in sorted(self.partners.values(), key=lambda p: p.code)
            if p.pk != werkcentrum.pk
        }
        self.adviser = user(f"{prefix}-adviser", Role.EMPLOYER_ADVISER)
        rules, version = rules_in_force(region)
        tz = timezone.get_default_timezone()
        self.today = timezone.localdate()
        self.history = History(
            seed,
            Network(
                municipalities=[
                    Municipality(m.code, m.name, m.population or 1)
                    for m in self.municipalities.values()
                ],
                places=[Place(p.code, p.municipality.code) for p in points],
                guides=guides,
                employees=employees,
                route=route,
                werkcentrum=route("werkcentrum", "", None),
                rules=rules,
                rules_version=version,
            ),
            self.today,
            tz,
        )
        self.language = settings.LANGUAGE_CODE

    def _report(self, what: str, done: int, total: int, started: float) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        self.progress.write(f"\r{done:,}/{total:,} {what} ({rate:,.0f}/s)", ending="")
        if done == total:
            self.progress.write("")

    def contacts(self, n: int, handovers: int) -> tuple[int, int]:
        from werkcentrum.frontdoor.models import Consent, Contact, Handover, Person

        started = time.perf_counter()
        person_pks: dict[int, int] = {}
        rows = self.history.contacts(n, handovers)
        made = handed = 0
        while made < n:
            chunk = [next(rows) for _ in range(min(HISTORY_BATCH, n - made))]
            with transaction.atomic(), explicit_timestamps(Person, Contact, Consent):
                handed += self._write_contacts(
                    chunk, person_pks, Person, Contact, Consent, Handover
                )
            made += len(chunk)
            self._report("contacts", made, n, started)
        return made, handed

    def _write_contacts(self, chunk, person_pks, Person, Contact, Consent, Handover) -> int:
        from django.utils.translation import gettext as _
        from django.utils.translation import override

        m = self.municipalities
        new_persons = [r["person"] for r in chunk if r["person"] and r["person"]["new"]]
        made = Person.objects.bulk_create(
            [
                Person(
                    region=self.region,
                    first_name=p["first_name"],
                    last_name=p["last_name"],
                    email=p["email"],
                    phone=p["phone"],
                    date_of_birth=p["date_of_birth"],
                    municipality=m.get(p["municipality"] or ""),
                    created_at=p["created_at"],
                    updated_at=p["created_at"],
                )
                for p in new_persons
            ]
        )
        for p, obj in zip(new_persons, made, strict=True):
            person_pks[p["index"]] = obj.pk
        contacts = []
        for r in chunk:
            partner = self.partners[r["responsible_partner"]]
            triage = dict(r["triage"], partner_id=partner.code, partner_name=partner.name)
            municipality = m.get(r["municipality"] or "")
            contacts.append(
                Contact(
                    region=self.region,
                    channel=r["channel"],
                    walk_in_point=self.points[r["walk_in_point"]] if r["walk_in_point"] else None,
                    referred_by_id=r["referred_by"],
                    asker_type=r["asker_type"],
                    person_id=person_pks[r["person"]["index"]] if r["person"] else None,
                    organisation_name=r["organisation_name"],
                    question=r["question"],
                    topics=r["topics"],
                    municipality=municipality,
                    age=r["age"],
                    work_status=r["work_status"],
                    benefit=r["benefit"],
                    service_level=r["service_level"],
                    responsible_partner_id=r["responsible_partner"],
                    triage=triage,
                    status=r["status"],
                    owner_user_id=r["owner_user"],
                    owner_partner_id=r["owner_partner"],
                    outcome=r["outcome"],
                    answered_at=r["answered_at"],
                    created_by_id=r["created_by"],
                    created_at=r["created_at"],
                    updated_at=r["updated_at"],
                )
            )
        contacts = Contact.objects.bulk_create(contacts)
        handed = [(r, c) for r, c in zip(chunk, contacts, strict=True) if r["handover"]]
        if not handed:
            return 0
        with override(self.language):  # the purpose reads as the service writes it
            consents = Consent.objects.bulk_create(
                [
                    Consent(
                        person_id=contact.person_id,
                        contact=contact,
                        partner_id=r["handover"]["partner"],
                        categories=r["handover"]["consent"]["categories"],
                        purpose=_("Warm handover of question %(ref)s to %(partner)s")
                        % {
                            "ref": contact.reference,
                            "partner": self.partners[r["handover"]["partner"]].name,
                        },
                        method=r["handover"]["consent"]["method"],
                        given_at=r["handover"]["consent"]["given_at"],
                        valid_until=r["handover"]["consent"]["valid_until"],
                        withdrawn_at=r["handover"]["consent"]["withdrawn_at"],
                        recorded_by_id=r["handover"]["consent"]["recorded_by"],
                    )
                    for r, contact in handed
                ]
            )
        Handover.objects.bulk_create(
            [
                Handover(
                    contact=contact,
                    partner_id=h["partner"],
                    consent=consent,
                    status=h["status"],
                    message=h["message"],
                    created_by_id=h["created_by"],
                    created_at=h["created_at"],
                    due_at=h["due_at"],
                    decided_at=h["decided_at"],
                    decided_by_id=h["decided_by"],
                    return_reason=h["return_reason"],
                    reminded_at=h["reminded_at"],
                )
                for (r, contact), consent in zip(handed, consents, strict=True)
                for h in (r["handover"],)
            ]
        )
        return len(handed)

    def placements(self, n: int) -> int:
        from werkcentrum.candidates.models import CandidateProfile, Placement
        from werkcentrum.employers.models import Employer

        if not n:
            return 0
        started = time.perf_counter()
        size_weight = {"1-9": 1, "10-49": 3, "50-249": 6, "250+": 10}
        employers = list(
            Employer.objects.filter(region=self.region)
            .order_by("pk")
            .values_list("pk", "size_class")
        )
        pool: dict[str, list] = {}
        for pk, regime, code in (
            CandidateProfile.objects.filter(region=self.region, placements__isnull=True)
            .order_by("pk")
            .values_list("pk", "benefit_regime", "benefit_municipality__code")
        ):
            pool.setdefault(regime, []).append((pk, code))
        rows = self.history.placements(
            n,
            [pk for pk, _size in employers],
            [size_weight.get(size, 2) for _pk, size in employers],
            pool,
            [self.adviser],
        )
        made = 0
        while made < n:
            chunk = [next(rows) for _ in range(min(HISTORY_BATCH, n - made))]
            with transaction.atomic(), explicit_timestamps(Placement):
                Placement.objects.bulk_create(
                    [
                        Placement(
                            region=self.region,
                            employer_id=r["employer"],
                            candidate_id=r["candidate"],
                            start_date=r["start_date"],
                            hours=r["hours"],
                            benefit_regime=r["benefit_regime"],
                            benefit_municipality=self.municipalities.get(
                                r["benefit_municipality"] or ""
                            ),
                            source=r["source"],
                            ends_benefit=r["ends_benefit"],
                            recorded_by_id=r["recorded_by"],
                            created_at=r["created_at"],
                        )
                        for r in chunk
                    ]
                )
            made += len(chunk)
            self._report("placements", made, n, started)
        return made
