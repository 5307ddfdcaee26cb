"""Demo data for the training fund: this year's budget lines, LLO conversations and
applications in every state, all through the real services (so logs and letters are genuine).

Idempotent: budgets are synced every time; conversations and applications are only created
when the region has none yet. Needs a member of the fund's staff (demo user ``fonds``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from werkcentrum.accounts.models import Role, User
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.models import Person
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.training.models import Training

from . import services
from .models import TRAINING_FUND, LLOConversation, LLOOutcome

# first, last, e-mail, phone, municipality
PERSONS = {
    "yvonne": ("Yvonne", "Jansen", "yvonne.jansen@example.org", "", "Oldenzaal"),
    "marjolein": ("Marjolein", "Smit", "marjolein.smit@example.org", "", "Hof van Twente"),
    "frits": ("Frits", "Bosch", "frits.bosch@example.org", "", "Rijssen-Holten"),
    "caroline": ("Caroline", "de Vries", "caroline.devries@example.org", "", "Losser"),
    "jan": ("Jan", "Wolters", "", "0644455566", "Tubbergen"),
    "sven": ("Sven", "Nijhuis", "sven.nijhuis@example.org", "", "Almelo"),
    "bas": ("Bas", "Oude Luttikhuis", "bas.oudeluttikhuis@example.org", "", "Almelo"),
}

# Training keys of the demo catalogue (training/data/twente.toml), described here as well so
# the demo works without the catalogue.
TRAININGS = {
    "verzorgende-ig-bbl": ("Verzorgende IG (BBL)", "ROC van Twente", "mbo3", "care", 1440),
    "pedagogisch-medewerker-bbl": (
        "Pedagogisch medewerker kinderopvang (BBL)",
        "ROC van Twente",
        "mbo3",
        "care",
        1440,
    ),
    "kok-bbl": ("Kok (BBL)", "ROC van Twente", "mbo2", "hospitality_retail", 450),
    "mbo-verpleegkundige-bbl": (
        "MBO-verpleegkundige (BBL)",
        "ROC van Twente",
        "mbo4",
        "care",
        2160,
    ),
    "eerste-monteur-elektrotechniek-bbl": (
        "Eerste monteur elektrotechniek (BBL)",
        "ROC van Twente",
        "mbo3",
        "construction",
        1440,
    ),
    "heftruckcertificaat": (
        "Heftruckcertificaat",
        "Transportopleidingen Twente",
        "course",
        "logistics",
        395,
    ),
    "ad-software-development": (
        "Associate degree Software Development",
        "Saxion",
        "hbo_ad",
        "ict",
        5200,
    ),
}


def _person(region, key: str) -> Person:
    first, last, email, phone, municipality = PERSONS[key]
    found = Person.objects.filter(region=region, first_name=first, last_name=last)
    found = found.filter(email=email) if email else found.filter(phone=phone)
    person = found.order_by("pk").first()
    if person is not None:
        return person
    return create_person(
        region,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        municipality=region.municipalities.filter(name=municipality).first(),
    )


def _training(region, key: str) -> dict:
    training = Training.objects.filter(region=region, key=key).first()
    if training is not None:
        return {"training": training}
    title, provider, level, sector, cost = TRAININGS[key]
    return {
        "training_title": title,
        "provider": provider,
        "level": level,
        "sector": sector,
        "cost": cost,
    }


def _fund_staff(region) -> User | None:
    return (
        User.objects.filter(
            role=Role.PARTNER_EMPLOYEE,
            partner__kind=TRAINING_FUND,
            partner__region=region,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def load_demo_fund(region) -> dict:
    """Budgets for the current year, LLO conversations and applications in several states."""
    if not services.has_fund(region):
        return {"created": False, "reason": "no fund rules"}
    today = timezone.localdate()
    services.sync_budgets(region, today.year)
    staff = _fund_staff(region)
    if staff is None:
        return {"created": False, "reason": "no fund staff"}
    if LLOConversation.objects.filter(region=region).exists():
        return {"created": False, "reason": "already loaded"}

    def llo(key, summary, outcome=LLOOutcome.APPLY, days_ago=7, employer=None):
        return services.record_llo_conversation(
            staff,
            region=region,
            person=_person(region, key),
            held_on=today - timedelta(days=days_ago),
            summary=summary,
            outcome=outcome,
            employer=employer,
        )

    def apply(key, training_key, **extra):
        return services.apply_for_resident(
            staff, _person(region, key), **_training(region, training_key), **extra
        )

    # Yvonne: advised to retrain to elderly care; she applies herself in My Werkcentrum.
    llo(
        "yvonne",
        "Wil van oproepkracht drogist naar de ouderenzorg. Verzorgende IG (BBL, mbo 3) bij ROC van "
        "Twente past; leerwerkplek via de zorgaanbieder. Scholingscheque aanvragen.",
        days_ago=3,
    )

    # Marjolein: submitted, waiting for assessment.
    llo("marjolein", "Opleiding pedagogisch medewerker kinderopvang met leerwerkplek.")
    apply("marjolein", "pedagogisch-medewerker-bbl", motivation="Ik wil in de kinderopvang werken.")

    # Frits: another sector (hospitality), approved.
    llo("frits", "Vakdiploma kok (BBL) om weer als kok aan de slag te gaan.", days_ago=20)
    frits = apply("frits", "kok-bbl")
    services.decide(staff, frits, approve=True)

    # Caroline: care, approved and committed.
    llo("caroline", "Herintreden als verpleegkundige: MBO-verpleegkundige (BBL).", days_ago=40)
    caroline = apply("caroline", "mbo-verpleegkundige-bbl")
    services.decide(staff, caroline, approve=True)
    services.commit(staff, caroline)

    # Jan: engineering (energy transition), paid after proof of completion.
    llo("jan", "Loopbaanswitch naar de elektrotechniek (energietransitie).", days_ago=60)
    jan = apply(
        "jan", "eerste-monteur-elektrotechniek-bbl", cofinancing=200, cofinancier="O&O-fonds"
    )
    services.decide(staff, jan, approve=True)
    services.commit(staff, jan)
    services.register_completion(staff, jan, completed_on=today, proof="Diploma 2026-EM-0042")
    services.pay(staff, jan)

    # Sven: a course without MBO/HBO level, rejected by the rules.
    llo("sven", "Heftruckcertificaat gewenst; valt buiten het fonds.", LLOOutcome.OTHER_FUNDING)
    sven = apply("sven", "heftruckcertificaat")
    services.decide(staff, sven, approve=False)

    # Cevdet ICT Solutions: the IKBINDR label, and an application for an employee.
    employer = Employer.objects.filter(region=region, kvk_number="59876543").first()
    if employer is not None:
        services.set_ikbindr(staff, employer, today.replace(month=1, day=1))
        llo(
            "bas",
            "Omscholing naar softwareontwikkelaar via de Ad Software Development; werkgever "
            "Cevdet ICT Solutions vraagt de cheque aan (Bas stemt in).",
            employer=employer,
            days_ago=10,
        )
        portal_user = User.objects.filter(role=Role.EMPLOYER, employer=employer).first()
        if portal_user is not None:
            conversation = LLOConversation.objects.filter(employer=employer).first()
            services.apply_as_employer(
                portal_user,
                llo_conversation=conversation,
                cofinancing=1300,
                cofinancier=employer.name,
                **_training(region, "ad-software-development"),
            )
    return {"created": True}
