"""Offline evaluation of the matching engine against an adviser's rubric.

``build_pool(seed)`` makes a deterministic synthetic Twente pool (40 vacancies, 160
candidates) with real ESCO occupation ids from ``occupations/data/esco-occupations-nl.csv``,
grouped in the occupational chains of DOMAIN.md §7. ``judge(vacancy, candidate)`` grades a pair
0-3 with the written rubric in docs/matching.md ("Judging rules") — threshold rules an employer
adviser uses, deliberately *not* the engine's weighted sum, and with knowledge the engine lacks
(occupations an adviser considers related across ISCO groups, work-fitness). Every pair of the
pool is judged (no pooling bias); ``data/evaluation_pairs.csv`` is that judgement written out.
``evaluate()`` ranks each vacancy's candidates with the engine and with baselines and reports
recall@10 and nDCG@10.

    .venv/bin/python -m werkcentrum.matching.evaluation          # print the metrics
    .venv/bin/python -m werkcentrum.matching.evaluation --write  # rewrite the csv
"""

from __future__ import annotations

import csv
import math
import random
import statistics
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .engine import CandidateIndex
from .profiles import CandidateProfile, Filters, VacancyProfile, Weights

SEED = 20240607
N_VACANCIES = 40
N_CANDIDATES = 160
CUTOFF = 10
RELEVANT = 2  # grade >= 2 counts as relevant for recall

DATA = Path(__file__).resolve().parent / "data"
PAIRS_CSV = DATA / "evaluation_pairs.csv"
ESCO_CSV = Path(__file__).resolve().parents[1] / "occupations" / "data" / "esco-occupations-nl.csv"

#: Occupational chain -> ISCO unit group -> (ESCO preferred labels to use, skills of the trade).
CHAINS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "logistiek": {
        "4321": (
            ("magazijnmedewerker kleding", "voorraadadministrateur"),
            (
                "orderpicken",
                "voorraadbeheer",
                "scanner gebruiken",
                "goederen ontvangen",
                "inpakken",
            ),
        ),
        "9333": (
            ("pakhuismedewerker", "expeditiemedewerker"),
            ("orderpicken", "inpakken", "laden en lossen", "palletwagen", "goederen ontvangen"),
        ),
        "8344": (
            ("heftruckchauffeur",),
            (
                "heftruckcertificaat",
                "laden en lossen",
                "reachtruck",
                "palletwagen",
                "veiligheid vca",
            ),
        ),
        "8332": (
            ("vrachtwagenchauffeur",),
            ("rijbewijs ce", "code 95", "tachograaf", "laden en lossen", "routeplanning"),
        ),
    },
    "zorg": {
        "5321": (
            ("zorghulp", "verpleeghulp"),
            ("persoonlijke verzorging", "adl-ondersteuning", "hygiëne", "rapporteren", "empathie"),
        ),
        "5322": (
            ("thuiszorgmedewerker",),
            ("persoonlijke verzorging", "huishoudelijke ondersteuning", "rapporteren", "empathie"),
        ),
        "2221": (
            ("algemeen verpleegkundige",),
            ("medicatie toedienen", "wondzorg", "rapporteren", "big-registratie", "triage"),
        ),
    },
    "bouw_techniek": {
        "7115": (
            ("timmerman", "keukenmonteur"),
            (
                "houtbewerking",
                "bouwtekeningen lezen",
                "meten",
                "elektrisch gereedschap",
                "veiligheid vca",
            ),
        ),
        "7411": (
            ("monteur elektrische installaties",),
            (
                "nen 3140",
                "bouwtekeningen lezen",
                "bekabeling",
                "storingen verhelpen",
                "veiligheid vca",
            ),
        ),
        "7126": (
            ("badkamermonteur", "rioolmonteur"),
            ("leidingwerk", "solderen", "bouwtekeningen lezen", "tegelwerk", "veiligheid vca"),
        ),
        "7212": (
            ("lasser",),
            ("mig/mag-lassen", "tig-lassen", "tekening lezen", "metaalbewerking", "veiligheid vca"),
        ),
    },
    "proces_voeding": {
        "8160": (
            ("operator snoepmachine", "medewerker diervoeding"),
            ("machine bedienen", "haccp", "kwaliteitscontrole", "ploegendienst", "hygiëne"),
        ),
        "7512": (
            ("bakker", "banketbakker"),
            ("deeg bereiden", "ovens bedienen", "haccp", "recepturen", "vroege diensten"),
        ),
        "9329": (
            ("productiemedewerker",),
            ("lopende band", "inpakken", "kwaliteitscontrole", "ploegendienst", "machine bedienen"),
        ),
    },
    "contactcenter": {
        "4222": (
            ("medewerker klantencontactcentrum", "chatmedewerker"),
            ("klantgesprekken", "crm-systeem", "typevaardigheid", "klachtafhandeling", "duits"),
        ),
    },
    "horeca_retail": {
        "5120": (
            ("kok",),
            ("koken", "haccp", "mise-en-place", "menu samenstellen", "snijtechnieken"),
        ),
        "5131": (
            ("ober/serveerster", "gastheer/gastvrouw"),
            ("gastvrijheid", "bestellingen opnemen", "kassa", "wijnkennis", "dienblad dragen"),
        ),
        "5223": (
            ("verkoopmedewerker", "winkelmedewerker"),
            ("klantadvies", "kassa", "vakkenvullen", "productkennis", "verkooptechnieken"),
        ),
        "5230": (
            ("kassamedewerker",),
            ("kassa", "geld tellen", "klantvriendelijk", "vakkenvullen"),
        ),
        "9411": (
            ("medewerker fastfood", "pizzaiolo"),
            ("snackbereiding", "haccp", "kassa", "snel werken"),
        ),
    },
    "ict": {
        "2512": (
            ("software ontwikkelaar", "software analist"),
            ("python", "sql", "git", "webontwikkeling", "testen"),
        ),
        "3512": (
            ("medewerker helpdesk", "ICT-technicus"),
            (
                "windows-beheer",
                "netwerken",
                "klantgesprekken",
                "storingen verhelpen",
                "ticketsysteem",
            ),
        ),
    },
    "groen": {
        "6113": (
            ("hovenier", "medewerker groenvoorziening/medewerkster groenvoorziening"),
            ("snoeien", "bestrating", "beplantingsplan", "kettingzaag", "grasmaaien"),
        ),
        "9214": (
            ("tuinbouwmedewerker", "tuinier"),
            ("oogsten", "snoeien", "kasteelt", "grasmaaien", "seizoenswerk"),
        ),
    },
    "facilitair_beveiliging": {
        "5414": (
            ("beveiliger", "bedrijfsbewaker"),
            ("diploma beveiliger", "toegangscontrole", "surveilleren", "bhv", "rapporteren"),
        ),
        "9112": (
            ("schoonmaker gebouwen", "medewerker huishoudelijke dienst"),
            ("schoonmaaktechnieken", "hygiëne", "schoonmaakmachines", "zelfstandig werken"),
        ),
    },
    "onderwijs_overheid": {
        "2341": (
            ("leraar basisonderwijs",),
            ("lesgeven", "pabo-diploma", "klassenmanagement", "didactiek", "oudergesprekken"),
        ),
        "5312": (
            ("onderwijsassistent basisonderwijs", "onderwijsassistent"),
            ("kinderen begeleiden", "didactiek", "klassenmanagement", "rapporteren"),
        ),
        "4110": (
            ("kantoorbediende", "administratief medewerker ledenadministratie"),
            ("administratie", "excel", "archiveren", "typevaardigheid", "crm-systeem"),
        ),
    },
}
GENERIC_SKILLS = (
    "rijbewijs b",
    "nederlandse taal",
    "engelse taal",
    "computervaardigheden",
    "samenwerken",
)

#: Occupations an adviser considers a natural next step for each other although their ISCO
#: codes differ (the engine knows only the ISCO hierarchy). Symmetric.
RELATED_GROUPS: tuple[tuple[str, str], ...] = (
    ("4321", "9333"),
    ("4321", "8344"),
    ("9333", "8344"),
    ("9333", "9329"),
    ("5321", "5322"),
    ("5120", "9411"),
    ("5223", "5230"),
    ("5131", "9411"),
    ("4222", "3512"),
    ("4222", "4110"),
    ("6113", "9214"),
    ("7115", "7126"),
    ("2341", "5312"),
    ("8160", "9329"),
    ("7512", "8160"),
)

# Twente: Enschede, Hengelo, Almelo, Oldenzaal, Rijssen, Haaksbergen, Borne, Vriezenveen.
TOWNS = (
    (52.2215, 6.8937),
    (52.2658, 6.7931),
    (52.3567, 6.6625),
    (52.3133, 6.9290),
    (52.3100, 6.5190),
    (52.1550, 6.7390),
    (52.2990, 6.7520),
    (52.4080, 6.6200),
)


@lru_cache(maxsize=1)
def esco_ids_by_label() -> dict[str, tuple[str, str]]:
    """ESCO preferred label -> (esco_id, isco_group), from the bundled occupation list."""
    with ESCO_CSV.open(encoding="utf-8", newline="") as fh:
        return {
            row["preferred_label"]: (row["esco_id"], row["isco_group"])
            for row in csv.DictReader(fh)
        }


def _group_info() -> dict[str, tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]]:
    """ISCO group -> (chain, ((esco_id, label), ...), skills)."""
    by_label = esco_ids_by_label()
    out = {}
    for chain, groups in CHAINS.items():
        for group, (labels, skills) in groups.items():
            occupations = []
            for label in labels:
                esco_id, isco = by_label[label]
                if isco != group:
                    raise ValueError(f"{label} is ISCO {isco}, not {group}")
                occupations.append((esco_id, label))
            out[group] = (chain, tuple(occupations), skills)
    return out


@dataclass(frozen=True)
class Pool:
    vacancies: tuple[VacancyProfile, ...]
    candidates: tuple[CandidateProfile, ...]


def _place(rng: random.Random) -> tuple[float, float]:
    lat, lon = rng.choice(TOWNS)
    return round(lat + rng.gauss(0, 0.03), 4), round(lon + rng.gauss(0, 0.045), 4)


def build_pool(seed: int = SEED) -> Pool:
    """The deterministic evaluation pool: 40 vacancies, 160 candidates (Twente)."""
    rng = random.Random(seed)
    info = _group_info()
    groups = sorted(info)
    related = _related()
    vacancies = []
    for i in range(N_VACANCIES):
        group = groups[i % len(groups)] if i < len(groups) else rng.choice(groups)
        _, occupations, skills = info[group]
        esco_id, _ = rng.choice(occupations)
        required = rng.sample(skills, rng.randint(2, 3))
        desired = rng.sample(
            [s for s in skills if s not in required] + list(GENERIC_SKILLS), rng.randint(1, 2)
        )
        lat, lon = _place(rng)
        vacancies.append(
            VacancyProfile(
                id=1000 + i,
                esco_id=esco_id,
                isco_group=group,
                required_skills=tuple(required),
                desired_skills=tuple(desired),
                education_level=rng.choice([1, 2, 2, 3, 3, 4, 4, 5])
                if group not in ("2221", "2341", "2512")
                else 6,
                hours=rng.choice([16, 24, 32, 32, 36, 38, 40]),
                lat=lat,
                lon=lon,
                work_and_learn=rng.random() < 0.3,
                job_agreement=rng.random() < 0.1,
            )
        )
    candidates = []
    for i in range(N_CANDIDATES):
        # Lean towards the vacancies' occupations so every vacancy has real contenders.
        first = rng.choice(vacancies).isco_group if rng.random() < 0.8 else rng.choice(groups)
        wanted = [first]
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            pick = (
                rng.choice(sorted(related[first]))
                if related[first] and rng.random() < 0.5
                else rng.choice(groups)
            )
            if pick not in wanted:
                wanted.append(pick)
        occupations = tuple((rng.choice(info[g][1])[0], g) for g in wanted)
        own = info[first][2]
        skills = set(rng.sample(own, rng.randint(1, len(own))))
        for g in wanted[1:]:
            skills.update(rng.sample(info[g][2], rng.randint(0, 2)))
        skills.update(rng.sample(GENERIC_SKILLS, rng.randint(0, 3)))
        hours_min = rng.choice([8, 16, 24, 32])
        lat, lon = _place(rng)
        candidates.append(
            CandidateProfile(
                id=1 + i,
                occupations=occupations,
                skills=tuple(sorted(skills)),
                education_level=rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 6, 7]),
                hours_min=hours_min,
                hours_max=min(40, hours_min + rng.choice([0, 8, 16, 24])),
                lat=lat,
                lon=lon,
                travel_radius_km=rng.choice([10, 15, 20, 25, 30, 40]),
                wants_work_and_learn=rng.random() < 0.3,
                available=rng.random() < 0.9,
                job_agreement_eligible=rng.random() < 0.15,
                work_fit=rng.random() < 0.85,
            )
        )
    return Pool(tuple(vacancies), tuple(candidates))


def _related() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {g: set() for groups in CHAINS.values() for g in groups}
    for a, b in RELATED_GROUPS:
        out[a].add(b)
        out[b].add(a)
    return out


def _chain_of() -> dict[str, str]:
    return {group: chain for chain, groups in CHAINS.items() for group in groups}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Adviser's 'how far is it': great-circle distance (spherical law of cosines)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cosine)))


def judge(vacancy: VacancyProfile, candidate: CandidateProfile) -> tuple[int, str]:
    """Grade 0-3 by the adviser's rubric (docs/matching.md, "Judging rules") and the reasons.

    3 could start tomorrow, 2 good after a short training, 1 possible with a development path,
    0 not suitable. Threshold rules, not a weighted sum.
    """
    related, chain_of = _related(), _chain_of()
    groups = {g for _, g in candidate.occupations}
    escos = {e for e, _ in candidate.occupations}
    if vacancy.esco_id in escos or vacancy.isco_group in groups:
        occupation = "same"
    elif groups & related.get(vacancy.isco_group, set()):
        occupation = "related"
    elif chain_of.get(vacancy.isco_group) in {chain_of.get(g) for g in groups}:
        occupation = "chain"
    else:
        occupation = "other"
    must = set(vacancy.required_skills)
    have = len(must & set(candidate.skills))
    share = have / len(must) if must else 1.0
    km = _km(candidate.lat, candidate.lon, vacancy.lat, vacancy.lon)
    commute = (
        "yes"
        if km <= candidate.travel_radius_km
        else ("near" if km <= candidate.travel_radius_km + 5 else "no")
    )
    off = max(candidate.hours_min - vacancy.hours, vacancy.hours - candidate.hours_max, 0)
    hours = "fit" if off == 0 else ("close" if off <= 8 else ("far" if off <= 16 else "no"))
    short = vacancy.education_level - candidate.education_level
    education = "meets" if short <= 0 else ("one_below" if short == 1 else "below")
    reasons = f"occupation={occupation};must_have={have}/{len(must)};commute={commute};hours={hours};education={education}"

    blockers = []
    if not candidate.available:
        blockers.append("not_available")
    if vacancy.job_agreement and not candidate.job_agreement_eligible:
        blockers.append("not_job_agreement_eligible")
    if commute == "no":
        blockers.append("too_far")
    if hours == "no":
        blockers.append("hours_incompatible")
    if blockers:
        return 0, reasons + ";blocked=" + "+".join(blockers)

    grade = 0
    if (
        occupation == "same"
        and share == 1.0
        and commute == "yes"
        and hours == "fit"
        and education == "meets"
    ):
        grade = 3
    elif (
        occupation in ("same", "related")
        and share >= 0.5
        and commute == "yes"
        and hours in ("fit", "close")
        and education in ("meets", "one_below")
    ):
        grade = 2
    else:
        path = (
            occupation in ("same", "related", "chain")
            or share >= 0.5
            or (vacancy.work_and_learn and candidate.wants_work_and_learn)
        )
        if path and (education != "below" or vacancy.work_and_learn):
            grade = 1
    if not candidate.work_fit and grade > 1:
        grade, reasons = 1, reasons + ";capped=not_work_fit"
    return grade, reasons


def judge_pool(pool: Pool) -> list[dict]:
    rows = []
    for vacancy in pool.vacancies:
        for candidate in pool.candidates:
            grade, reasons = judge(vacancy, candidate)
            rows.append(
                {
                    "vacancy_id": vacancy.id,
                    "candidate_id": candidate.id,
                    "grade": grade,
                    "reasons": reasons,
                }
            )
    return rows


def write_pairs(path: Path = PAIRS_CSV, seed: int = SEED) -> int:
    rows = judge_pool(build_pool(seed))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["vacancy_id", "candidate_id", "grade", "reasons"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def read_pairs(path: Path = PAIRS_CSV) -> dict[tuple[int, int], int]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            (int(r["vacancy_id"]), int(r["candidate_id"])): int(r["grade"])
            for r in csv.DictReader(fh)
        }


def _ndcg(ranked: list[int], grades: dict[int, int], cutoff: int) -> float:
    dcg = sum((2 ** grades.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:cutoff]))
    ideal = sorted(grades.values(), reverse=True)[:cutoff]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def _metrics(
    rankings: dict[int, list[int]], judged: dict[int, dict[int, int]], cutoff: int
) -> dict:
    recalls, ndcgs, precisions = [], [], []
    for vacancy_id, grades in judged.items():
        ranked = rankings[vacancy_id][:cutoff]
        relevant = {c for c, g in grades.items() if g >= RELEVANT}
        if relevant:
            recalls.append(len(relevant & set(ranked)) / len(relevant))
        if any(grades.values()):
            ndcgs.append(_ndcg(ranked, grades, cutoff))
        precisions.append(len(relevant & set(ranked)) / cutoff)
    return {
        f"recall@{cutoff}": round(statistics.fmean(recalls), 4),
        f"ndcg@{cutoff}": round(statistics.fmean(ndcgs), 4),
        f"precision@{cutoff}": round(statistics.fmean(precisions), 4),
    }


def evaluate(
    path: Path = PAIRS_CSV, seed: int = SEED, cutoff: int = CUTOFF, random_runs: int = 20
) -> dict:
    """recall@10 / nDCG@10 of the engine (default weights and filters) and of baselines."""
    pool = build_pool(seed)
    pairs = read_pairs(path)
    judged: dict[int, dict[int, int]] = {}
    for (vacancy_id, candidate_id), grade in pairs.items():
        judged.setdefault(vacancy_id, {})[candidate_id] = grade
    index = CandidateIndex(pool.candidates)
    systems = {
        "engine": (Weights(), Filters()),
        "engine_job_agreement_filter": (Weights(), Filters(job_agreement_only=True)),
        "engine_no_filters": (Weights(), Filters(within_travel_radius=False, available_only=False)),
        "occupation_only": (
            Weights(occupation=1, skills=0, distance=0, hours=0, education=0, work_and_learn=0),
            Filters(),
        ),
        "skills_only": (
            Weights(occupation=0, skills=1, distance=0, hours=0, education=0, work_and_learn=0),
            Filters(),
        ),
    }
    results = {}
    for name, (weights, filters) in systems.items():
        rankings = {
            v.id: [r.id for r in index.top(v, cutoff, weights, filters)] for v in pool.vacancies
        }
        results[name] = _metrics(rankings, judged, cutoff)
    runs = []
    ids = [c.id for c in pool.candidates]
    for run in range(random_runs):
        rng = random.Random(run)
        rankings = {v.id: rng.sample(ids, len(ids)) for v in pool.vacancies}
        runs.append(_metrics(rankings, judged, cutoff))
    results["random"] = {key: round(statistics.fmean(r[key] for r in runs), 4) for key in runs[0]}
    by_grade: dict[int, list[float]] = {g: [] for g in range(4)}
    for vacancy in pool.vacancies:
        for candidate_id, grade in judged[vacancy.id].items():
            by_grade[grade].append(index.explain(vacancy, candidate_id).score)
    grades = list(pairs.values())
    return {
        "pairs": len(pairs),
        "vacancies": len(judged),
        "candidates": len(pool.candidates),
        "grade_counts": {g: grades.count(g) for g in range(4)},
        "vacancies_with_relevant": sum(
            1 for g in judged.values() if any(x >= RELEVANT for x in g.values())
        ),
        "mean_relevant_per_vacancy": round(
            statistics.fmean(sum(1 for x in g.values() if x >= RELEVANT) for g in judged.values()),
            2,
        ),
        "cutoff": cutoff,
        "mean_engine_score_by_grade": {
            g: round(statistics.fmean(v), 3) for g, v in by_grade.items() if v
        },
        "systems": results,
    }


if __name__ == "__main__":
    if "--write" in sys.argv:
        print(f"wrote {write_pairs()} pairs to {PAIRS_CSV}")
    import json

    print(json.dumps(evaluate(), indent=2))
