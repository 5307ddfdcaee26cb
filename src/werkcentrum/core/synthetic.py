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
from datetime import date, timedelta

from werkcentrum.occupations.chains import CHAIN_ISCO, chain_of_isco

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
