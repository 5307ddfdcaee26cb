"""Realistic Dutch synthetic data for demos, tests and benchmarks (pure, deterministic per seed).

Municipalities are drawn weighted by population, occupations by the employer's occupational
chain (beroepsgroepenketen) through ISCO unit groups, skills from the chain's vocabulary.
Nothing here is a real person or company.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from werkcentrum.core.workdays import add_working_days
from werkcentrum.occupations.chains import CHAIN_ISCO, chain_of_isco
from werkcentrum.triage import Situation, default_rules, triage

CHAIN_WEIGHTS = {
    "logistics": 14,
    "care": 18,
    "construction": 14,
    "process": 10,
    "contact_centres": 5,
    "hospitality_retail": 13,
    "ict": 8,
    "green": 5,
    "facilities": 7,
    "education_government": 6,
}
CHAIN_SKILLS = {
    "logistics": [
        "rijbewijs c",
        "rijbewijs ce",
        "heftruckcertificaat",
        "orderpicken",
        "voorraadbeheer",
        "vca",
        "planning",
        "laden en lossen",
        "scanner",
        "code 95",
    ],
    "care": [
        "big-registratie",
        "persoonlijke verzorging",
        "medicatie toedienen",
        "dementiezorg",
        "rapporteren",
        "tilliften",
        "empathie",
        "ouderenzorg",
        "wondzorg",
        "signaleren",
    ],
    "construction": [
        "vca",
        "metselen",
        "timmeren",
        "tekening lezen",
        "lassen",
        "elektrotechniek",
        "installatietechniek",
        "steigerbouw",
        "nen 3140",
        "hoogwerker",
    ],
    "process": [
        "haccp",
        "machinebediening",
        "kwaliteitscontrole",
        "hygiëne",
        "productieplanning",
        "storingen oplossen",
        "gmp",
        "inpakken",
        "5s",
        "lean",
    ],
    "contact_centres": [
        "klantgericht",
        "telefoneren",
        "crm",
        "duits",
        "engels",
        "klachtafhandeling",
        "typevaardigheid",
        "verkoop",
        "chat",
        "geduld",
    ],
    "hospitality_retail": [
        "kassa",
        "koken",
        "haccp",
        "klantvriendelijk",
        "bedienen",
        "voorraad",
        "barista",
        "sociale hygiëne",
        "visual merchandising",
        "duits",
    ],
    "ict": [
        "python",
        "java",
        "sql",
        "netwerken",
        "cloud",
        "linux",
        "javascript",
        "servicedesk",
        "itil",
        "security",
    ],
    "green": [
        "trekker rijden",
        "snoeien",
        "dierverzorging",
        "gewasbescherming",
        "grondverzet",
        "groenonderhoud",
        "spuitlicentie",
        "melken",
        "kas",
        "hoveniersvak",
    ],
    "facilities": [
        "beveiligingsdiploma",
        "bhv",
        "schoonmaken",
        "receptie",
        "cameratoezicht",
        "sleutelbeheer",
        "postverwerking",
        "klantvriendelijk",
        "nachtdienst",
        "vca",
    ],
    "education_government": [
        "lesgeven",
        "pedagogiek",
        "administratie",
        "excel",
        "beleidsadvies",
        "kinderopvang",
        "onderwijsassistent",
        "klantcontact",
        "archiveren",
        "taalvaardig",
    ],
}
FIRST_NAMES = [
    "Anna",
    "Sanne",
    "Lotte",
    "Femke",
    "Eva",
    "Sophie",
    "Julia",
    "Emma",
    "Lisa",
    "Fleur",
    "Noor",
    "Anouk",
    "Daan",
    "Sem",
    "Lucas",
    "Bram",
    "Thijs",
    "Jesse",
    "Ruben",
    "Tim",
    "Jan",
    "Gerrit",
    "Henk",
    "Bart",
    "Mehmet",
    "Ayşe",
    "Fatima",
    "Mohamed",
    "Youssef",
    "Samira",
    "Ahmad",
    "Lina",
    "Olena",
    "Piotr",
    "Marta",
    "Kevin",
    "Priya",
    "Jorrit",
    "Wilma",
    "Hennie",
]
LAST_NAMES = [
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dijkstra",
    "Wolters",
    "Nijhuis",
    "Oude Vrielink",
    "Kamphuis",
    "Ten Brinke",
    "Hofman",
    "Schuurman",
    "Leferink",
    "Pots",
    "Yilmaz",
    "Kaya",
    "El Amrani",
    "Bouzid",
    "Haddad",
    "Kowalski",
    "Nowak",
    "Demir",
    "Lammers",
    "Grootenhuis",
    "Sanders",
    "Ter Horst",
]
COMPANY_WORDS = [
    "Twentse",
    "Tukker",
    "Dinkel",
    "Regge",
    "Hof",
    "Noord-Oost",
    "Euregio",
    "Saxon",
    "Berkel",
    "Achterhoekse",
    "Oost",
    "Grensland",
    "Vecht",
    "Kanaal",
    "Essen",
]
COMPANY_KINDS = {
    "logistics": ["Transport", "Logistiek", "Distributie"],
    "care": ["Zorggroep", "Thuiszorg", "Zorg"],
    "construction": ["Bouw", "Installatietechniek", "Bouwbedrijf"],
    "process": ["Foods", "Productie", "Metaal"],
    "contact_centres": ["Klantcontact", "Callcenter"],
    "hospitality_retail": ["Horeca", "Retail", "Supermarkt"],
    "ict": ["ICT", "Software", "Data"],
    "green": ["Hoveniers", "Agro", "Kwekerij"],
    "facilities": ["Beveiliging", "Schoonmaak", "Facilitair"],
    "education_government": ["Kinderopvang", "Onderwijs", "Diensten"],
}
SBI_BY_CHAIN = {
    "logistics": "4941",
    "care": "8710",
    "construction": "4120",
    "process": "1089",
    "contact_centres": "8220",
    "hospitality_retail": "5610",
    "ict": "6201",
    "green": "8130",
    "facilities": "8010",
    "education_government": "8891",
}
BENEFIT_WEIGHTS = {"ww": 30, "bijstand": 35, "wajong": 8, "wia": 7, "none": 20}
SIZE_CLASSES = ["1-9", "10-49", "50-249", "250+"]


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    population: int


@dataclass(frozen=True)
class Occupation:
    esco_id: str
    isco_group: str
    label: str


class Generator:
    def __init__(
        self, seed: int, municipalities: Sequence[Municipality], occupations: Sequence[Occupation]
    ):
        self.rng = random.Random(seed)
        self.municipalities = list(municipalities)
        self.weights = [max(m.population, 1) for m in self.municipalities]
        by_group: dict[str, list[Occupation]] = defaultdict(list)
        for occupation in occupations:
            by_group[occupation.isco_group].append(occupation)
        self.by_chain = {
            chain: [o for group in groups for o in by_group.get(group, [])]
            for chain, groups in CHAIN_ISCO.items()
        }
        self.chains = [c for c in CHAIN_WEIGHTS if self.by_chain[c]]
        self.chain_weights = [CHAIN_WEIGHTS[c] for c in self.chains]

    def municipality(self) -> Municipality:
        return self.rng.choices(self.municipalities, self.weights)[0]

    def chain(self) -> str:
        return self.rng.choices(self.chains, self.chain_weights)[0]

    def skills(self, chain: str, low: int, high: int) -> list[str]:
        pool = CHAIN_SKILLS[chain]
        return self.rng.sample(pool, self.rng.randint(low, min(high, len(pool))))

    def employers(self, n: int, start_kvk: int = 60_000_000) -> Iterator[dict]:
        for i in range(n):
            chain = self.chain()
            municipality = self.municipality()
            yield {
                "name": f"{self.rng.choice(COMPANY_WORDS)} {self.rng.choice(COMPANY_KINDS[chain])} "
                f"{self.rng.choice(LAST_NAMES).split()[-1]}",
                "kvk_number": f"{start_kvk + i:08d}",
                "chain": chain,
                "sbi_code": SBI_BY_CHAIN[chain],
                "size_class": self.rng.choices(SIZE_CLASSES, [50, 30, 15, 5])[0],
                "municipality": municipality.code,
                "job_agreement_employer": self.rng.random() < 0.2,
                "wage_subsidy_experience": self.rng.random() < 0.25,
            }

    def vacancies(self, n: int, employers: Sequence[dict]) -> Iterator[dict]:
        for i in range(n):
            employer = self.rng.choice(employers)
            chain = employer["chain"]
            occupation = self.rng.choice(self.by_chain[chain])
            yield {
                "employer_kvk": employer["kvk_number"],
                "title": occupation.label,
                "esco_id": occupation.esco_id,
                "isco_group": occupation.isco_group,
                "occupation_label": occupation.label,
                "required_skills": self.skills(chain, 1, 3),
                "desired_skills": self.skills(chain, 0, 2),
                "education_level": self.rng.choices(range(8), [3, 12, 8, 25, 20, 15, 12, 5])[0],
                "hours": self.rng.choice([16, 20, 24, 28, 32, 36, 38, 40]),
                "municipality": employer["municipality"]
                if self.rng.random() < 0.8
                else self.municipality().code,
                "work_and_learn": self.rng.random() < 0.25,
                "job_agreement": self.rng.random() < 0.08,
                "external_ref": f"SYN-V{i:07d}",
            }

    def candidates(self, n: int) -> Iterator[dict]:
        for _ in range(n):
            chain = self.chain()
            municipality = self.municipality()
            occupations = self.rng.sample(
                self.by_chain[chain], min(len(self.by_chain[chain]), self.rng.choice([1, 1, 2, 3]))
            )
            hours_min = self.rng.choice([8, 16, 20, 24, 32])
            benefit = self.rng.choices(list(BENEFIT_WEIGHTS), list(BENEFIT_WEIGHTS.values()))[0]
            yield {
                "first_name": self.rng.choice(FIRST_NAMES),
                "last_name": self.rng.choice(LAST_NAMES),
                "municipality": municipality.code,
                "occupations": [
                    {"esco_id": o.esco_id, "isco_group": o.isco_group, "label": o.label}
                    for o in occupations
                ],
                "skills": self.skills(chain, 1, 5),
                "experience_years": self.rng.choices([0, 1, 3, 6, 12], [15, 20, 30, 20, 15])[0],
                "education_level": self.rng.choices(range(8), [5, 15, 10, 22, 18, 14, 12, 4])[0],
                "hours_min": hours_min,
                "hours_max": min(40, hours_min + self.rng.choice([0, 8, 16, 24])),
                "travel_radius_km": self.rng.choice([10, 15, 25, 25, 40]),
                "work_fit": self.rng.random() < 0.8,
                "benefit_regime": benefit,
                "available": self.rng.random() < 0.9,
                "job_agreement_eligible": benefit == "wajong" or self.rng.random() < 0.05,
                "wage_subsidy_eligible": benefit in ("wajong", "bijstand")
                and self.rng.random() < 0.4,
                "wants_work_and_learn": self.rng.random() < 0.3,
                "consent": self.rng.random() < 0.92,
            }


# Vacancy history: how much more often a chain's vacancies are registered now than two years ago
# (growing care and ICT, shrinking hospitality), and how often they are still open when old.
CHAIN_TREND = {
    "logistics": 1.1,
    "care": 1.6,
    "construction": 1.3,
    "process": 0.9,
    "contact_centres": 0.7,
    "hospitality_retail": 0.8,
    "ict": 1.9,
    "green": 1.0,
    "facilities": 1.2,
    "education_government": 1.4,
}
HARD_TO_FILL = {"care", "ict", "construction"}
QUIET_MONTHS = {7: 0.75, 8: 0.8, 12: 0.7}  # summer and December


def vacancy_history(
    seed: int, isco_groups: Sequence[str], today: date, days: int = 730
) -> list[tuple[date, str]]:
    """For vacancies with these ISCO groups, in order: the day each was registered (within the
    last ``days`` days, more recent ones more likely per the chain's trend, fewer in quiet months)
    and its status now (young ones mostly open, old ones mostly filled or expired).

    Deterministic per seed, and independent of ``Generator``'s random stream so that adding it
    changes nothing else that is generated."""
    rng = random.Random(f"vacancy-history-{seed}")
    result = []
    for isco in isco_groups:
        chain = chain_of_isco(isco)
        trend = CHAIN_TREND.get(chain, 1.0)
        top = max(trend, 1.0)
        while True:
            age = rng.randrange(days)
            day = today - timedelta(days=age)
            weight = trend ** (1 - age / days) * QUIET_MONTHS.get(day.month, 1.0)
            if rng.random() * top <= weight:
                break
        still_open = (
            0.92 if age < 45 else 0.5 if age < 120 else 0.18 if chain in HARD_TO_FILL else 0.08
        )
        draw = rng.random()
        if draw < still_open:
            status = "open"
        else:
            status = rng.choices(["filled", "expired", "withdrawn"], [70, 20, 10])[0]
        result.append((day, status))
    return result


# -- activity history: contacts, handovers and placements (issue 6, monitoring at scale) --------
#
# Rows for two years of front-door activity ending yesterday, deterministic per seed and "today"
# and independent of ``Generator``'s random stream. Nothing here touches Django: the caller gives
# the network as plain values (walk-in points, user and partner keys, a ``route`` callable that
# resolves a partner kind to a partner) and turns the rows into model instances.

HISTORY_DAYS = 730
WEEKDAY_FACTOR = (1.0, 1.0, 0.95, 0.95, 0.85, 0.12, 0.06)  # Monday .. Sunday
GROWTH = 1.3  # two years of growth: the newest day gets 1.3x the oldest
CHANNEL_WEIGHTS = {"walk_in": 35, "phone": 30, "digital": 28, "referral": 7}
AGE_BANDS = ((17, 22, 10), (23, 27, 14), (28, 40, 28), (41, 55, 30), (56, 67, 18))
WORK_STATUS_WEIGHTS = {
    "unemployed": 45,
    "employed": 25,
    "threatened_with_unemployment": 8,
    "student": 7,
    "self_employed": 5,
    "": 10,
}
# Benefit given the work status ("" = not asked).
BENEFIT_BY_WORK = {
    "unemployed": {"ww": 35, "bijstand": 40, "wia": 6, "wajong": 5, "none": 9, "": 5},
    "employed": {"none": 75, "ww": 3, "bijstand": 5, "wia": 5, "wajong": 4, "": 8},
    "threatened_with_unemployment": {"none": 80, "ww": 10, "": 10},
    "student": {"none": 85, "wajong": 5, "": 10},
    "self_employed": {"none": 80, "bijstand": 10, "": 10},
    "": {"": 50, "none": 20, "ww": 10, "bijstand": 20},
}
TOPICS_BY_WORK = {
    "unemployed": {
        "job_search": 45,
        "benefit": 12,
        "training": 10,
        "career_advice": 8,
        "debts": 8,
        "training_funding": 5,
        "civic_integration": 4,
        "apprenticeship": 3,
        "general_info": 3,
        "cross_border": 2,
    },
    "employed": {
        "career_advice": 30,
        "training": 20,
        "training_funding": 20,
        "job_search": 15,
        "cross_border": 5,
        "general_info": 5,
        "debts": 5,
    },
    "threatened_with_unemployment": {
        "job_loss_threat": 60,
        "career_advice": 15,
        "job_search": 15,
        "training_funding": 10,
    },
    "student": {
        "apprenticeship": 30,
        "training": 25,
        "job_search": 25,
        "youth_without_qualification": 15,
        "general_info": 5,
    },
    "self_employed": {
        "general_info": 20,
        "career_advice": 20,
        "training_funding": 20,
        "debts": 20,
        "cross_border": 20,
    },
}
TOPICS_BY_WORK[""] = TOPICS_BY_WORK["unemployed"]
EMPLOYER_TOPICS = {
    "hiring": 50,
    "inclusive_hiring": 20,
    "apprenticeship": 12,
    "training_funding": 10,
    "general_info": 5,
    "cross_border": 3,
}
QUESTIONS = {
    "job_search": ["Ik zoek werk in de buurt.", "Ik wil graag weer aan het werk."],
    "career_advice": ["Ik wil iets anders gaan doen maar weet niet wat.", "Past mijn werk nog?"],
    "training": ["Ik wil een opleiding volgen.", "Welke cursus helpt mij verder?"],
    "training_funding": ["Wie betaalt mijn opleiding?", "Kan ik subsidie krijgen voor scholing?"],
    "hiring": ["Wij zoeken personeel.", "We hebben vacatures die we niet vervuld krijgen."],
    "apprenticeship": ["Ik wil werken en leren tegelijk.", "Wij zoeken een leerling (BBL)."],
    "inclusive_hiring": ["Wij willen iemand met een arbeidsbeperking aannemen."],
    "job_loss_threat": ["Ik dreig mijn baan te verliezen door een reorganisatie."],
    "benefit": ["Ik heb een vraag over mijn uitkering.", "Hoe zit het met mijn WW?"],
    "debts": ["Ik heb schulden en kom niet meer rond.", "Ik heb betalingsachterstanden."],
    "cross_border": ["Kan ik in Duitsland gaan werken?", "Ik woon in Duitsland en zoek werk hier."],
    "civic_integration": ["Ik moet inburgeren en zoek werk.", "Ik wil beter Nederlands leren."],
    "youth_without_qualification": ["Ik ben gestopt met school en zoek werk."],
    "general_info": ["Ik heb een algemene vraag.", "Waar kan ik terecht met mijn vraag?"],
}
ANSWERS = [
    "Informatie gegeven en doorverwezen naar de website.",
    "Vacatures doorgenomen en cv besproken.",
    "Uitleg gegeven over de regeling; persoon gaat zelf verder.",
    "Afspraak gemaakt met een adviseur.",
    "Vraag beantwoord aan de balie.",
]
RETURN_REASONS = [
    "Valt niet onder onze dienstverlening.",
    "Persoon woont buiten ons werkgebied.",
    "Persoon is al bij ons in beeld.",
    "Past beter bij een andere partner.",
]
WITHDRAW_REASONS = [
    "Persoon heeft zelf al contact gelegd.",
    "Vraag is inmiddels opgelost.",
    "Dubbel overgedragen.",
]
# Where a guide hands over a question the triage left with the Werkcentrum itself.
FALLBACK_HANDOVER_KINDS = (
    (("uwv", ""), 35),
    (("municipality", "social_assistance"), 30),
    (("training_fund", ""), 10),
    (("debt_support", "debt_support"), 10),
    (("social_partners", ""), 5),
    (("sbb", ""), 5),
    (("education", ""), 5),
)
PLACEMENT_REGIMES = {"bijstand": 45, "ww": 30, "none": 12, "wajong": 7, "wia": 6}
PLACEMENT_SOURCES = {"regular": 55, "direct_match": 30, "job_hunting": 15}


@dataclass(frozen=True)
class PartnerRef:
    """A partner as the generator sees it: an opaque key and its pick-up time."""

    key: int
    pickup_working_days: int
    takes_handovers: bool = True  # False for the region's own Werkcentrum


@dataclass(frozen=True)
class Place:
    """A walk-in point: its code and its municipality's CBS code."""

    code: str
    municipality: str


@dataclass
class Network:
    """What the history is drawn on. ``route(kind, desk, municipality_code)`` resolves a partner
    as the platform would; ``guides`` maps a walk-in point code (and ``None`` for all) to user
    keys; ``employees`` maps a partner key to a user key that decides its handovers."""

    municipalities: Sequence[Municipality]
    places: Sequence[Place]
    guides: dict[str | None, list[int]]
    employees: dict[int, int]
    route: object  # Callable[[str, str, str | None], PartnerRef]
    werkcentrum: PartnerRef
    rules: object = None  # a werkcentrum.triage.RuleSet (the packaged defaults when None)
    rules_version: int = 0


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def history_days(today: date, days: int = HISTORY_DAYS) -> list[date]:
    """The days of the history, oldest first: ``days`` days ending yesterday."""
    return [today - timedelta(days=days - i) for i in range(days)]


def day_weight(day: date, today: date, days: int = HISTORY_DAYS) -> float:
    age = (today - day).days
    trend = GROWTH ** (1 - age / days)
    return trend * WEEKDAY_FACTOR[day.weekday()] * QUIET_MONTHS.get(day.month, 1.0)


def add_working_time(start: datetime, days: float) -> datetime:
    """The moment ``days`` working days (fractional, weekends skipped) after ``start``, in the
    same way ``core.workdays.working_days_between`` counts them (days in ``start``'s time zone),
    so that ``working_days_between(start, add_working_time(start, d)) == d``."""
    remaining = days * 86400.0
    cursor = start
    while True:
        next_midnight = datetime.combine(
            cursor.date() + timedelta(days=1), datetime.min.time(), tzinfo=cursor.tzinfo
        )
        if cursor.weekday() < 5:
            room = (next_midnight - cursor).total_seconds()
            if remaining <= room:
                return cursor + timedelta(seconds=remaining)
            remaining -= room
        cursor = next_midnight


class History:
    """Contacts (with persons, consents and handovers) and placements over two years."""

    def __init__(self, seed: int, network: Network, today: date, tz, days: int = HISTORY_DAYS):
        self.seed = seed
        self.net = network
        self.today = today
        self.tz = tz
        self.days = days
        self.rules = network.rules or default_rules()
        self.midnight = datetime.combine(today, datetime.min.time(), tzinfo=tz)
        self.municipalities = list(network.municipalities)
        self.muni_weights = [max(m.population, 1) for m in self.municipalities]
        self._triage_cache: dict = {}
        self._partner_speed: dict[int, float] = {}

    # -- helpers ---------------------------------------------------------------------------

    def _spread(self, rng, n: int) -> tuple[list[date], list[int]]:
        """The history's days and how many of ``n`` rows fall on each (drawn by weight)."""
        days = history_days(self.today, self.days)
        weights = [day_weight(d, self.today, self.days) for d in days]
        per_day = [0] * len(days)
        for i in rng.choices(range(len(days)), weights, k=n):
            per_day[i] += 1
        return days, per_day

    def _municipality(self, rng) -> str:
        return rng.choices(self.municipalities, self.muni_weights)[0].code

    def _guide(self, rng, place: str | None) -> int:
        pool = self.net.guides.get(place) or self.net.guides[None]
        return rng.choice(pool)

    def _at(self, day: date, seconds: float) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
            seconds=seconds
        )

    def _decision(self, asker, topics, benefit, work_status, age, question):
        key = (asker, topics, benefit, work_status, age, question if benefit is None else "")
        decision = self._triage_cache.get(key)
        if decision is None:
            decision = triage(
                Situation(
                    asker=asker,
                    municipality=None,
                    age=age,
                    work_status=work_status,
                    benefit=benefit,
                    topics=topics,
                    question=question,
                ),
                self.rules,
            )
            self._triage_cache[key] = decision
        return decision

    def _speed(self, rng, partner: PartnerRef) -> float:
        """Each partner picks up at its own pace (drawn once, from the stream)."""
        speed = self._partner_speed.get(partner.key)
        if speed is None:
            speed = self._partner_speed[partner.key] = rng.uniform(0.6, 1.8)
        return speed

    # -- contacts --------------------------------------------------------------------------

    def contacts(self, n: int, handovers: int = 0) -> Iterator[dict]:
        """``n`` contacts in time order, ``handovers`` of them handed over to a partner (each a
        row with ``handover``); about a third with a person (every handed-over one)."""
        if handovers > n:
            raise ValueError("every handover needs its own contact: handovers <= contacts")
        rng = random.Random(f"contacts-{self.seed}")
        days, per_day = self._spread(rng, n)
        handed = set(rng.sample(range(n), handovers)) if handovers else set()
        with_person = (
            max(0.0, min(1.0, (n / 3 - handovers) / (n - handovers))) if n > handovers else 0
        )
        recent_persons: list[tuple[int, str | None]] = []
        persons = 0
        index = 0
        channels = list(CHANNEL_WEIGHTS)
        channel_weights = list(CHANNEL_WEIGHTS.values())
        if not self.net.places:
            channel_weights[channels.index("walk_in")] = 0
        for day, count in zip(days, per_day, strict=True):
            weekend = day.weekday() >= 5
            slots = []
            for _ in range(count):
                channel = "digital" if weekend else rng.choices(channels, channel_weights)[0]
                if channel == "digital":
                    seconds = rng.triangular(7 * 3600, 23 * 3600, 11 * 3600)
                else:
                    seconds = rng.uniform(8.5 * 3600, 17 * 3600)
                slots.append((seconds, channel))
            slots.sort()
            for seconds, channel in slots:
                created = self._at(day, seconds)
                has_person = index in handed or rng.random() < with_person
                person = None
                if has_person:
                    if recent_persons and rng.random() < 0.3:
                        known, municipality = rng.choice(recent_persons)
                        person = {"index": known, "new": False, "municipality": municipality}
                    else:
                        person = {"index": persons, "new": True}
                        persons += 1
                row = self._contact(rng, index, created, channel, person, index in handed)
                if person is not None and person["new"]:
                    recent_persons.append((person["index"], row["municipality"]))
                    if len(recent_persons) > 20000:
                        del recent_persons[:5000]
                yield row
                index += 1

    def _contact(self, rng, index, created, channel, person, handed_over) -> dict:
        place = None
        asker = "employer" if rng.random() < 0.12 else "resident"
        if channel == "walk_in":
            place = rng.choice(self.net.places)
        if person is not None and not person["new"]:
            municipality = person["municipality"]
        elif place is not None and rng.random() < 0.8:
            municipality = place.municipality
        elif channel in ("phone", "digital") and rng.random() < 0.06:
            municipality = None
        else:
            municipality = self._municipality(rng)
        age, work_status, benefit = None, "", ""
        organisation = ""
        if asker == "employer":
            weights = EMPLOYER_TOPICS
            organisation = (
                f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS[self._chain(rng)])}"
            )
        else:
            if rng.random() < 0.75:
                low, high, _w = rng.choices(AGE_BANDS, [b[2] for b in AGE_BANDS])[0]
                age = rng.randint(low, high)
            work_status = _pick(rng, WORK_STATUS_WEIGHTS)
            benefit = _pick(rng, BENEFIT_BY_WORK[work_status])
            weights = TOPICS_BY_WORK[work_status]
            if age is None or age >= 27:
                weights = {k: v for k, v in weights.items() if k != "youth_without_qualification"}
        first = _pick(rng, weights)
        topics = [first]
        if rng.random() < 0.3:
            second = _pick(rng, weights)
            if second != first:
                topics.append(second)
        question = " ".join(rng.choice(QUESTIONS[t]) for t in topics)
        decision = self._decision(
            asker, tuple(topics), benefit or None, work_status or None, age, question
        )
        if not benefit and decision.benefit_inferred and decision.benefit:
            benefit = decision.benefit
        responsible = self.net.route(decision.partner_kind, decision.desk, municipality)
        triage_data = decision.to_dict()
        triage_data.update(partner_kind=decision.partner_kind, rules_version=self.net.rules_version)
        created_by = None
        if channel == "walk_in":
            created_by = self._guide(rng, place.code)
        elif channel != "digital" or rng.random() < 0.4:
            created_by = self._guide(rng, None)
        referred_by = None
        if channel == "referral":
            kind = rng.choice([("uwv", ""), ("municipality", "social_assistance"), ("sbb", "")])
            referred_by = self.net.route(kind[0], kind[1], municipality).key
        row = {
            "index": index,
            "created_at": created,
            "channel": channel,
            "walk_in_point": place.code if place else None,
            "referred_by": referred_by,
            "asker_type": asker,
            "person": person,
            "organisation_name": organisation,
            "question": question,
            "topics": topics,
            "municipality": municipality,
            "age": age,
            "work_status": work_status,
            "benefit": benefit,
            "service_level": decision.service_level,
            "responsible_partner": responsible.key,
            "triage": triage_data,
            "created_by": created_by,
            "handover": None,
        }
        if person is not None and person["new"]:
            person.update(self._person(rng, created, municipality, age))
        if handed_over:
            self._hand_over(rng, row, decision, responsible)
        else:
            self._settle(rng, row, decision.service_level)
        return row

    def _chain(self, rng) -> str:
        return rng.choices(list(CHAIN_WEIGHTS), list(CHAIN_WEIGHTS.values()))[0]

    def _person(self, rng, created, municipality, age) -> dict:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = rng.randrange(10_000_000)
        handle = f"{first}.{last}".lower().replace(" ", "").replace("ş", "s")
        return {
            "first_name": first,
            "last_name": last,
            "email": f"{handle}{number % 1000}@example.org" if rng.random() < 0.7 else "",
            "phone": f"06{number:08d}" if rng.random() < 0.6 else "",
            "date_of_birth": created.date() - timedelta(days=int(age * 365.25) + rng.randrange(365))
            if age is not None and rng.random() < 0.8
            else None,
            "municipality": municipality,
            "created_at": created,
        }

    def _before_today(self, moment: datetime) -> bool:
        return moment < self.midnight

    def _settle(self, rng, row, level) -> None:
        """A contact without a handover: answered after a while, or still open."""
        created = row["created_at"]
        hours = {"light": 0.2, "basic": 24.0, "specialist": 72.0}.get(level, 24.0)
        answered = created + timedelta(hours=hours * rng.lognormvariate(0, 0.8))
        stale = rng.random() < 0.004
        if self._before_today(answered) and not stale:
            self._answer(rng, row, answered)
            return
        row["status"] = "open"
        row["updated_at"] = created
        if row["created_by"] is None and rng.random() < 0.5:
            row["owner_user"], row["owner_partner"] = None, self.net.werkcentrum.key
        else:
            row["owner_user"] = row["created_by"] or self._guide(rng, None)
            row["owner_partner"] = None
        row["outcome"], row["answered_at"] = "", None

    def _answer(self, rng, row, at: datetime) -> None:
        row.update(
            status="answered",
            owner_user=None,
            owner_partner=None,
            outcome=rng.choice(ANSWERS),
            answered_at=at,
            updated_at=at,
        )

    def _hand_over(self, rng, row, decision, responsible: PartnerRef) -> None:
        municipality = row["municipality"]
        partner = responsible
        if not partner.takes_handovers:
            kind, desk = rng.choices(
                [k for k, _w in FALLBACK_HANDOVER_KINDS], [w for _k, w in FALLBACK_HANDOVER_KINDS]
            )[0]
            partner = self.net.route(kind, desk, municipality)
            if not partner.takes_handovers:
                partner = self.net.route("uwv", "", municipality)
        created = row["created_at"]
        guide = row["created_by"] or self._guide(rng, None)
        if rng.random() < 0.6:
            made = created + timedelta(minutes=rng.uniform(5, 40))
        else:
            made = created + timedelta(days=rng.uniform(1, 5))
        if not self._before_today(made):
            made = created + (self.midnight - created) / 2
        given = max(created, made - timedelta(minutes=rng.uniform(1, 5)))
        categories = ["contact_details", "question"]
        if rng.random() < 0.7:
            categories.append("situation")
        if row["person"].get("date_of_birth") and rng.random() < 0.3:
            categories.append("date_of_birth")
        method = (
            "digital"
            if row["channel"] == "digital"
            else rng.choices(["verbal", "written"], [85, 15])[0]
        )
        consent = {
            "categories": sorted(categories),
            "method": method,
            "given_at": given,
            "valid_until": given.astimezone(self.tz).date() + timedelta(days=90),
            "withdrawn_at": None,
            "recorded_by": guide,
        }
        due = add_working_days(made.astimezone(self.tz), partner.pickup_working_days)
        handover = {
            "partner": partner.key,
            "created_by": guide,
            "created_at": made,
            "due_at": due,
            "status": "pending",
            "decided_at": None,
            "decided_by": None,
            "return_reason": "",
            "reminded_at": None,
            "message": rng.choice(
                ["", "", "Graag snel contact opnemen.", "Terugbellen in de middag."]
            ),
            "consent": consent,
        }
        row["handover"] = handover
        draw = rng.random()
        forgotten = draw < 0.005
        outcome = "withdrawn" if draw < 0.045 else "returned" if draw < 0.145 else "accepted"
        delay = rng.lognormvariate(-0.36, 1.0) * self._speed(rng, partner)  # median ~0.7 days
        decided = add_working_time(made.astimezone(UTC), delay).astimezone(self.tz)
        if forgotten or not self._before_today(decided):
            if due < self.midnight and rng.random() < 0.6:
                reminded = due + timedelta(hours=rng.uniform(1, 24))
                if self._before_today(reminded):
                    handover["reminded_at"] = reminded
            row.update(
                status="handover_pending",
                owner_user=None,
                owner_partner=partner.key,
                outcome="",
                answered_at=None,
                updated_at=made,
            )
            return
        handover["status"] = outcome
        handover["decided_at"] = decided
        if outcome == "accepted":
            handover["decided_by"] = self.net.employees.get(partner.key)
            answered = decided + timedelta(days=rng.uniform(3, 40))
            if self._before_today(answered) and rng.random() < 0.85:
                self._answer(rng, row, answered)
            else:
                row.update(
                    status="handed_over",
                    owner_user=None,
                    owner_partner=partner.key,
                    outcome="",
                    answered_at=None,
                    updated_at=decided,
                )
            return
        if outcome == "returned":
            handover["decided_by"] = self.net.employees.get(partner.key)
            handover["return_reason"] = rng.choice(RETURN_REASONS)
        elif rng.random() < 0.5:  # the person withdrew consent (in the portal)
            consent["withdrawn_at"] = decided
            handover["return_reason"] = "Toestemming ingetrokken"
        else:
            handover["decided_by"] = guide
            handover["return_reason"] = rng.choice(WITHDRAW_REASONS)
        answered = decided + timedelta(days=rng.uniform(0.1, 5))
        if self._before_today(answered) and rng.random() < 0.95:
            self._answer(rng, row, answered)
        else:
            row.update(
                status="open",
                owner_user=guide,
                owner_partner=None,
                outcome="",
                answered_at=None,
                updated_at=decided,
            )

    # -- placements ------------------------------------------------------------------------

    def placements(
        self,
        n: int,
        employers: Sequence[int],
        employer_weights: Sequence[float] | None = None,
        candidates: dict[str, list[tuple[int, str | None]]] | None = None,
        recorders: Sequence[int] = (),
    ) -> Iterator[dict]:
        """``n`` placements with a start date in the history, by benefit regime and source.
        ``candidates`` maps a regime to (key, benefit municipality) of profiles that may be
        placed; about 60 % of placements name one (each at most once)."""
        rng = random.Random(f"placements-{self.seed}")
        days, per_day = self._spread(rng, n)
        pools = {regime: list(keys) for regime, keys in (candidates or {}).items()}
        weights = list(employer_weights) if employer_weights else None
        for day, count in zip(days, per_day, strict=True):
            for _ in range(count):
                regime = _pick(rng, PLACEMENT_REGIMES)
                candidate, municipality = None, None
                pool = pools.get(regime)
                if pool and rng.random() < 0.6:
                    candidate, municipality = pool.pop(rng.randrange(len(pool)))
                if regime == "bijstand" and municipality is None:
                    municipality = self._municipality(rng)
                recorded = self._at(
                    day - timedelta(days=rng.randrange(15)), rng.uniform(8.5 * 3600, 17 * 3600)
                )
                yield {
                    "start_date": day,
                    "employer": rng.choices(employers, weights)[0],
                    "candidate": candidate,
                    "hours": rng.choice([16, 20, 24, 28, 32, 32, 36, 36, 38, 40]),
                    "benefit_regime": regime,
                    "benefit_municipality": municipality if regime == "bijstand" else None,
                    "source": _pick(rng, PLACEMENT_SOURCES),
                    "ends_benefit": "unknown"
                    if regime == "none"
                    else rng.choices(["full", "partial", "unknown"], [50, 30, 20])[0],
                    "recorded_by": rng.choice(recorders) if recorders else None,
                    "created_at": recorded,
                }
