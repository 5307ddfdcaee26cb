"""Demo users for every role and a day's worth of contacts in every state (DOMAIN.md §13).

Everything goes through the real services, so timelines, consents and logs are genuine.
Idempotent: running it twice changes nothing the second time.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from werkcentrum.accounts.models import Role, User
from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Channel, Contact
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.regions.models import Municipality, Partner, Region, WalkInPoint

DEMO_PASSWORD = "Werkcentrum-demo-2026"  # noqa: S105 - demo data only, printed on purpose

# username, role, first, last, region, partner code, walk-in point code
DEMO_USERS = [
    ("gids", Role.GUIDE, "Sanne", "de Gids", "twente", None, "oldenzaal-sociaal-plein"),
    ("gids2", Role.GUIDE, "Ahmed", "Yilmaz", "twente", None, "enschede-werkplein"),
    (
        "coordinator",
        Role.COORDINATOR,
        "Karin",
        "Coördinator",
        "twente",
        None,
        "enschede-regionaal-centrum",
    ),
    ("uwv", Role.PARTNER_EMPLOYEE, "Pieter", "van UWV", "twente", "uwv-twente", None),
    (
        "gemeente",
        Role.PARTNER_EMPLOYEE,
        "Femke",
        "Werk en Inkomen",
        "twente",
        "gm1735-social_assistance",
        None,
    ),
    (
        "fonds",
        Role.PARTNER_EMPLOYEE,
        "Ruud",
        "van het Fonds",
        "twente",
        "twents-fonds-voor-vakmanschap",
        None,
    ),
    ("manager", Role.MANAGER, "Monique", "Manager", "twente", None, None),
    ("beheer", Role.ADMINISTRATOR, "Bram", "Beheerder", "twente", None, None),
    ("gids-achterhoek", Role.GUIDE, "Lotte", "Gids", "achterhoek", None, None),
    ("adviseur", Role.EMPLOYER_ADVISER, "Wouter", "Werkgeversadviseur", "twente", None, None),
    ("werkgever", Role.EMPLOYER, "Cevdet", "Yildiz", "twente", None, None),
]


def _demo_employer(region) -> Employer:
    employer, _created = Employer.objects.get_or_create(
        kvk_number="59876543",
        defaults={
            "region": region,
            "name": "Cevdet ICT Solutions",
            "chain": "ict",
            "sbi_code": "6201",
            "size_class": "10-49",
            "municipality": Municipality.objects.get(name="Almelo"),
            "wage_subsidy_experience": True,
        },
    )
    if not employer.contact_persons.exists():
        employer.contact_persons.create(
            name="Cevdet Yildiz", email="cevdet@cevdet-ict.example", phone="0546123456"
        )
    return employer


def _user(username, role, first, last, region_code, partner_code, point_code) -> User:
    region = Region.objects.get(code=region_code)
    partner = Partner.objects.filter(code=partner_code).first() if partner_code else None
    point = WalkInPoint.objects.filter(code=point_code).first() if point_code else None
    if point is None and role in (Role.GUIDE, Role.COORDINATOR):
        point = (
            WalkInPoint.objects.filter(region=region)
            .order_by("-is_regional_centre", "code")
            .first()
        )
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "region": region,
            "partner": partner,
            "walk_in_point": point,
            "email": f"{username}@werkcentrum-demo.example",
            "employer": _demo_employer(region) if role == Role.EMPLOYER else None,
            "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def _partner(code: str) -> Partner:
    return Partner.objects.get(code=code)


def _backdate(contact: Contact, days: float) -> None:
    """Move a demo contact (and its handovers/events) back in time, keeping deadlines consistent."""
    delta = timedelta(days=days)
    Contact.objects.filter(pk=contact.pk).update(created_at=contact.created_at - delta)
    for handover in contact.handovers.all():
        handover.created_at -= delta
        handover.due_at = services.pickup_deadline(handover.partner, handover.created_at)
        handover.save(update_fields=["created_at", "due_at"])
    for event in contact.events.all():
        event.at -= delta
        event.save(update_fields=["at"])


def _handover(
    contact, guide, partner_code, categories=("contact_details", "question", "situation")
):
    partner = _partner(partner_code)
    consent = services.record_consent(contact, guide, partner=partner, categories=list(categories))
    return services.create_handover(
        contact,
        guide,
        partner=partner,
        consent=consent,
        message="Graag telefonisch contact opnemen.",
    )


@transaction.atomic
def load_demo() -> dict:
    users = {row[0]: _user(*row) for row in DEMO_USERS}
    twente = Region.objects.get(code="twente")
    if Contact.objects.filter(created_by=users["gids"]).exists():
        return {"users": users, "created": False}
    gids, gids2 = users["gids"], users["gids2"]
    point_oldenzaal = gids.walk_in_point
    point_enschede = gids2.walk_in_point

    def person(first, last, municipality, dob, email="", phone=""):
        return create_person(
            twente,
            first_name=first,
            last_name=last,
            municipality=_municipality(municipality),
            date_of_birth=dob,
            email=email,
            phone=phone,
        )

    # Yvonne (Oldenzaal, 26): walk-in, wants to retrain to elderly care -> training fund, waiting.
    yvonne = person(
        "Yvonne",
        "Jansen",
        "Oldenzaal",
        date(2000, 5, 14),
        "yvonne.jansen@example.org",
        "0612345678",
    )
    c = services.register_contact(
        region=twente,
        channel=Channel.WALK_IN,
        walk_in_point=point_oldenzaal,
        asker_type="resident",
        created_by=gids,
        person=yvonne,
        municipality=_municipality("Oldenzaal"),
        age=26,
        work_status="employed",
        benefit="none",
        question="Ik werk als oproepkracht bij een drogist en wil omscholen naar de ouderenzorg. "
        "Kan ik een opleiding vergoed krijgen?",
    )
    _handover(c, gids, "twents-fonds-voor-vakmanschap")

    # Frits (Rijssen, WW): accepted by UWV.
    frits = person(
        "Frits",
        "Bosch",
        "Rijssen-Holten",
        date(1968, 2, 3),
        "frits.bosch@example.org",
        "0687654321",
    )
    c = services.register_contact(
        region=twente,
        channel=Channel.PHONE,
        asker_type="resident",
        created_by=gids2,
        person=frits,
        municipality=_municipality("Rijssen-Holten"),
        age=58,
        work_status="unemployed",
        benefit="ww",
        question="Ik heb een WW-uitkering na mijn ontslag als instellingskok. Ik zoek werk als kok of iets anders.",
    )
    h = _handover(c, gids2, "uwv-twente")
    services.accept_handover(h, users["uwv"])
    _backdate(c, 1)

    # Julia (Enschede, WIA): handed over to UWV four working days ago -> overdue.
    julia = person(
        "Julia", "Meijer", "Enschede", date(1985, 9, 21), "julia.meijer@example.org", "0611122233"
    )
    c = services.register_contact(
        region=twente,
        channel=Channel.WALK_IN,
        walk_in_point=point_enschede,
        asker_type="resident",
        created_by=gids2,
        person=julia,
        municipality=_municipality("Enschede"),
        age=40,
        benefit="wia",
        question="Ik heb een WIA-uitkering en kan gedeeltelijk werken. Welke ondersteuning en voorzieningen zijn er?",
    )
    _handover(c, gids2, "uwv-twente")
    _backdate(c, 6)

    # Marjolein (Goor, bijstand): returned by the municipality with a suggestion.
    marjolein = person(
        "Marjolein", "Smit", "Hof van Twente", date(1992, 11, 2), "marjolein.smit@example.org"
    )
    c = services.register_contact(
        region=twente,
        channel=Channel.WALK_IN,
        walk_in_point=point_oldenzaal,
        asker_type="resident",
        created_by=gids,
        person=marjolein,
        municipality=_municipality("Hof van Twente"),
        age=33,
        benefit="bijstand",
        question="Ik zit in de bijstand en wil een opleiding tot pedagogisch medewerker kinderopvang met een "
        "leerwerkplek.",
    )
    h = _handover(c, gids, "gm1735-social_assistance")
    services.return_handover(
        h,
        users["gemeente"],
        reason="Mevrouw is al bij ons bekend; de opleidingsvraag past "
        "beter bij het LLO-advies van het Werkcentrum.",
        suggested_partner=_partner("werkcentrum-twente-loopbaan"),
    )

    # Jan (Tubbergen, permanent contract): career switch -> social partners, waiting.
    jan = person("Jan", "Wolters", "Tubbergen", date(1979, 4, 8), "", "0644455566")
    c = services.register_contact(
        region=twente,
        channel=Channel.PHONE,
        asker_type="resident",
        created_by=gids,
        person=jan,
        municipality=_municipality("Tubbergen"),
        age=47,
        work_status="employed",
        question="Ik heb een vast contract maar wil een loopbaanswitch maken. Kan ik een beroepentest doen?",
    )
    _handover(c, gids, "sociale-partners-twente", ("contact_details", "question"))

    # Caroline (Losser, no benefit): asked on the website at night -> waiting for a guide.
    caroline = person("Caroline", "de Vries", "Losser", None, "caroline.devries@example.org")
    services.register_contact(
        region=twente,
        channel=Channel.DIGITAL,
        asker_type="resident",
        person=caroline,
        municipality=_municipality("Losser"),
        benefit="none",
        work_status="unemployed",
        question="Ik ben oud-verpleegkundige zonder uitkering en wil weer aan het werk in de zorg.",
    )

    # Cevdet (Almelo, ICT employer): employer services.
    c = services.register_contact(
        region=twente,
        channel=Channel.PHONE,
        asker_type="employer",
        created_by=gids2,
        organisation_name="Cevdet ICT Solutions",
        municipality=_municipality("Almelo"),
        question="Wij zijn een ICT-bedrijf met 40 medewerkers en zoeken gemotiveerde mensen die willen omscholen "
        "naar ICT.",
    )
    services.start_advice(
        c,
        gids2,
        "Accounthouder WSP belt morgen terug.",
        goal="Gemotiveerde mensen vinden die willen omscholen naar ICT; leerwerkplekken verkennen.",
    )

    # Hatice (Hengelo, student): light question answered on the spot.
    c = services.register_contact(
        region=twente,
        channel=Channel.WALK_IN,
        walk_in_point=point_enschede,
        asker_type="resident",
        created_by=gids2,
        municipality=_municipality("Hengelo"),
        age=21,
        work_status="student",
        question="Ik studeer aan Saxion en zoek een creatieve bijbaan naast mijn studie.",
    )
    services.answer_contact(c, gids2, "Vacaturesites en de jobbeurs van volgende maand genoemd.")

    _employer_services_demo(twente, users)
    _self_service_demo(twente, users, yvonne)
    _regional_offer_demo(twente)

    # An anonymous open question three days old (no outcome yet) for the escalation list.
    c = services.register_contact(
        region=twente,
        channel=Channel.PHONE,
        asker_type="resident",
        created_by=gids,
        municipality=_municipality("Almelo"),
        question="Wanneer is het inlooppunt in Almelo open?",
    )
    _backdate(c, 3)
    _monitoring_history(twente)
    return {"users": users, "created": True}


# Two years of synthetic history, so that the monitoring dashboard and the quarterly and annual
# reports have realistic figures to show (the generator's contacts belong to synthetic guides and
# partner staff, so the demo users' own queues stay as described in JOURNEYS.md).
DEMO_HISTORY = {"contacts": 4000, "handovers": 900, "placements": 420}


def _monitoring_history(region) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "generate",
        region=region.code,
        seed=2026,
        stdout=StringIO(),
        stderr=StringIO(),
        **DEMO_HISTORY,
    )


def demo_logins() -> list[tuple[str, str, str]]:
    rows = []
    for username, role, *_rest in DEMO_USERS:
        user = User.objects.filter(username=username).select_related("partner", "region").first()
        if user is None:
            continue
        where = user.partner.name if user.partner else (user.region.name if user.region else "")
        rows.append((username, Role(role).label, where))
    if User.objects.filter(email=RESIDENT_LOGIN, role=Role.RESIDENT).exists():
        rows.append((RESIDENT_LOGIN, Role.RESIDENT.label, "/mijn/inloggen/"))
    return rows


def _employer_services_demo(region, users) -> None:
    """Synthetic employers, vacancies and candidates (seeded), plus Cevdet's ICT vacancy with a
    shortlist, so the employer adviser's screens have something real to show."""
    from django.core.management import call_command

    from werkcentrum.candidates import services as candidate_services
    from werkcentrum.matching import services as matching
    from werkcentrum.vacancies import services as vacancy_services

    call_command(
        "generate",
        region=region.code,
        employers=40,
        vacancies=400,
        candidates=400,
        seed=2026,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    _vacancy_history(region)
    adviser = users["adviseur"]
    employer = _demo_employer(region)
    employer.account_holder = adviser
    employer.save(update_fields=["account_holder"])
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=employer,
        esco_id=_esco_for("softwareontwikkelaar"),
        title="Junior softwareontwikkelaar",
        hours=32,
        municipality=_municipality("Almelo"),
        required_skills=["python", "sql"],
        desired_skills=["linux"],
        work_and_learn=True,
        education_level=5,
    )
    for result in matching.candidates_for(vacancy, top=3):
        candidate = CandidateProfile.objects.get(pk=result.id)
        candidate_services.shortlist(
            adviser, vacancy=vacancy, candidate=candidate, match=matching.result_dict(result)
        )


def _regional_offer_demo(region) -> None:
    """The service menu of every region, the training fund's budgets and applications, and
    upcoming events."""
    from werkcentrum.budget.loader import load_all_bundled_budgets
    from werkcentrum.events.demo import load_demo_events
    from werkcentrum.menu.loader import load_all_bundled_menus
    from werkcentrum.vouchers.demo import load_demo_fund

    load_all_bundled_menus()
    load_all_bundled_budgets()
    load_demo_fund(region)
    load_demo_events(region)


RESIDENT_LOGIN = "yvonne.jansen@example.org"


def _self_service_demo(region, users, yvonne) -> None:
    """Yvonne has an account (e-mail link or password), advisers have published times to
    book, the training catalogue is loaded and Cevdet sees a proposed candidate."""
    from werkcentrum.appointments import services as appointments
    from werkcentrum.appointments.models import Slot
    from werkcentrum.candidates import services as candidate_services
    from werkcentrum.candidates.models import Proposal, ProposalStatus
    from werkcentrum.core.workdays import add_working_days
    from werkcentrum.residents.accounts import register_by_email
    from werkcentrum.training.loader import load_all_bundled_trainings

    load_all_bundled_trainings()
    account, _created = register_by_email(
        region, first_name="Yvonne", last_name="Jansen", email=RESIDENT_LOGIN
    )
    account.set_password(DEMO_PASSWORD)
    account.save(update_fields=["password"])
    now = timezone.localtime()
    for guide, start, end in (
        (users["gids"], "09:00", "12:00"),
        (users["gids2"], "13:00", "16:00"),
    ):
        for n in range(1, 6):
            appointments.publish_availability(
                guide, guide.walk_in_point, add_working_days(now, n).date(), start, end
            )
    first = (
        Slot.objects.filter(walk_in_point=users["gids"].walk_in_point).order_by("starts_at").first()
    )
    contact = Contact.objects.filter(person=yvonne).first()
    appointments.book(users["gids"], first, yvonne, contact, "Opleiding ouderenzorg bespreken")
    adviser = users["adviseur"]
    for proposal in Proposal.objects.filter(vacancy__employer=_demo_employer(region))[:2]:
        candidate_services.move_proposal(adviser, proposal, ProposalStatus.PROPOSED)
    shared = Proposal.objects.filter(status=ProposalStatus.PROPOSED).order_by("pk").first()
    if shared is not None:
        candidate_services.decide_identity(adviser, shared, share=True)


def _vacancy_history(region) -> None:
    """Spread the generated vacancies over the last two years with realistic statuses, so the
    labour-market page has a history to show (the `generate` command itself stays as is)."""
    from datetime import datetime

    from werkcentrum.core.synthetic import vacancy_history
    from werkcentrum.vacancies.models import Vacancy

    vacancies = list(Vacancy.objects.filter(region=region).order_by("pk"))
    history = vacancy_history(2026, [v.isco_group for v in vacancies], timezone.localdate())
    for vacancy, (day, status) in zip(vacancies, history, strict=True):
        vacancy.created_at = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
        vacancy.status = status
    Vacancy.objects.bulk_update(vacancies, ["created_at", "status"], batch_size=500)


def _esco_for(label: str) -> str:
    from werkcentrum.occupations.normalise import default_normaliser

    return default_normaliser().normalise(label, top=1)[0].esco_id
