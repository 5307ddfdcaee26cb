"""Demo events for ``make run``: five upcoming, published events in the region, linked to demo
employers and vacancies when those are loaded. Idempotent (an event is found by its title)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from werkcentrum.accounts.models import Role, User
from werkcentrum.employers.models import Employer
from werkcentrum.regions.models import WalkInPoint
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from .models import Audience, Event, EventKind

# title, kind, days from today, from, until, place (walk-in point city or None), address, city,
# capacity, audience, exhibitors welcome, employers' chains ("*": any; (): none), description
DEMO_EVENTS = [
    (
        "Banenmarkt Twente",
        EventKind.JOB_FAIR,
        12,
        time(13, 0),
        time(17, 0),
        "Enschede",
        "",
        "",
        200,
        Audience.BOTH,
        True,
        "*",
        "Tientallen werkgevers uit Twente zoeken nieuwe collega's. Neem je cv mee en praat "
        "direct met de mensen van de werkvloer. Ook voor een werken-en-leren-plek.",
    ),
    (
        "Meet & Greet zorg en welzijn",
        EventKind.MEET_AND_GREET,
        9,
        time(10, 0),
        time(12, 0),
        "Hengelo",
        "",
        "",
        12,
        Audience.RESIDENTS,
        False,
        ("care",),
        "Kennismaken met zorgorganisaties in een kleine groep, bij een kop koffie. "
        "Ervaring is niet nodig: veel zorgbanen kun je leren in de praktijk.",
    ),
    (
        "Workshop solliciteren",
        EventKind.WORKSHOP,
        6,
        time(9, 30),
        time(12, 0),
        "Almelo",
        "",
        "",
        15,
        Audience.RESIDENTS,
        False,
        (),
        "Je cv en motivatiebrief op orde, oefenen met een sollicitatiegesprek en tips voor "
        "solliciteren via LinkedIn. Neem als je kunt een laptop of tablet mee.",
    ),
    (
        "Loopbaandag techniek en logistiek",
        EventKind.CAREER_DAY,
        20,
        time(10, 0),
        time(15, 0),
        None,
        "Techniekhuis (demo), Marktstraat 1",
        "Oldenzaal",
        60,
        Audience.RESIDENTS,
        True,
        ("construction", "process", "logistics"),
        "Ontdek wat je kunt in de techniek en de logistiek: proeflessen, rondleidingen en "
        "gesprekken met loopbaanadviseurs over omscholing en het opleidingsfonds.",
    ),
    (
        "Netwerkdag inclusief werkgeverschap",
        EventKind.NETWORK_DAY,
        27,
        time(15, 0),
        time(18, 0),
        "Enschede",
        "",
        "",
        40,
        Audience.EMPLOYERS,
        False,
        (),
        "Voor werkgevers: ervaringen met loonkostensubsidie, jobcoaching en de banenafspraak. "
        "Met korte pitches van werkgevers die het al doen en een borrel.",
    ),
]


def _point(region, city: str | None) -> WalkInPoint | None:
    if city is None:
        return None
    points = WalkInPoint.objects.filter(region=region).order_by("-is_regional_centre", "code")
    return points.filter(city=city).first() or points.first()


def _employers(region, chains) -> list[Employer]:
    if not chains:
        return []
    employers = Employer.objects.filter(region=region).order_by("name")
    if chains != "*":
        employers = employers.filter(chain__in=chains)
    return list(employers[:6])


@transaction.atomic
def load_demo_events(region, *, today=None) -> list[Event]:
    """Create the demo events of ``region`` that do not exist yet; returns all five."""
    today = today or timezone.localdate()
    organiser = (
        User.objects.filter(region=region, role__in=[Role.EMPLOYER_ADVISER, Role.COORDINATOR])
        .order_by("role", "pk")
        .first()
    )
    events = []
    for (
        title,
        kind,
        days,
        start,
        end,
        point_city,
        address,
        city,
        capacity,
        audience,
        exhibitors,
        chains,
        description,
    ) in DEMO_EVENTS:
        event = Event.objects.filter(region=region, title=title).first()
        if event is None:
            day = today + timedelta(days=days)
            point = _point(region, point_city)
            tz = timezone.get_default_timezone()
            event = Event.objects.create(
                region=region,
                kind=kind,
                title=title,
                description=description,
                starts_at=timezone.make_aware(datetime.combine(day, start), tz),
                ends_at=timezone.make_aware(datetime.combine(day, end), tz),
                walk_in_point=point,
                address="" if point else (address or f"Werkcentrum {region.name}"),
                city=point.city if point else (city or region.name),
                capacity=capacity,
                audience=audience,
                exhibitors_welcome=exhibitors,
                published=True,
                organiser=organiser,
            )
            employers = _employers(region, chains)
            event.employers.set(employers)
            event.vacancies.set(
                Vacancy.objects.filter(
                    region=region, status=VacancyStatus.OPEN, employer__in=employers
                ).order_by("title")[:6]
            )
        events.append(event)
    return events
