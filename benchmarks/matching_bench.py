"""Matching engine benchmark: index build, top-50 latency of ``CandidateIndex.top`` next to
``brute_force_top`` in the same run (and a check that both give the same ranking), memory.

Synthetic, Netherlands-wide candidate pool generated column-wise (no dataclass per row) with
real ESCO occupation ids: occupations Zipf-distributed over ISCO unit groups, 4-10
occupation-specific skills plus 0-3 generic ones, homes scattered around 40 Dutch towns,
travel radii 5-50 km. Not a test: nothing asserts a time.

    .venv/bin/python benchmarks/matching_bench.py            # 100k and 1M
    .venv/bin/python benchmarks/matching_bench.py 20000      # custom sizes
"""

from __future__ import annotations

import csv
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from werkcentrum.matching import CandidateIndex, CandidateProfile, VacancyProfile  # noqa: E402

ESCO_CSV = ROOT / "src" / "werkcentrum" / "occupations" / "data" / "esco-occupations-nl.csv"
SPECIFIC_SKILLS = 20  # per ISCO unit group
GENERIC_SKILLS = (
    "communicatie samenwerken klantgericht werken rijbewijs b nederlandse taal engelse taal "
    "plannen computervaardigheden flexibel zelfstandig werken veiligheid vca "
    "stressbestendig nauwkeurig leergierig duitse taal heftruck rijden ploegendienst "
    "fysiek werk hygiëne administratie"
).split(" ")
# (lat, lon, weight) of 40 Dutch towns, roughly by population.
TOWNS = np.array(
    [
        (52.37, 4.90, 9),
        (51.92, 4.48, 7),
        (52.08, 4.30, 6),
        (52.09, 5.12, 4),
        (51.44, 5.48, 3),
        (53.22, 6.57, 3),
        (51.59, 4.78, 2),
        (52.16, 5.39, 2),
        (51.84, 5.85, 2),
        (51.98, 5.91, 2),
        (52.22, 6.89, 2),
        (52.26, 6.79, 1),
        (52.35, 6.66, 1),
        (52.51, 6.09, 1),
        (52.21, 5.97, 2),
        (51.69, 5.30, 2),
        (50.85, 5.69, 1),
        (51.56, 5.09, 2),
        (52.63, 4.75, 1),
        (52.96, 5.92, 1),
        (53.20, 5.80, 1),
        (51.81, 4.67, 1),
        (52.16, 4.49, 1),
        (52.38, 4.64, 2),
        (52.01, 4.36, 1),
        (51.50, 3.61, 1),
        (52.78, 6.90, 1),
        (52.99, 6.56, 1),
        (51.37, 6.17, 1),
        (51.44, 3.57, 1),
        (52.44, 4.82, 1),
        (52.70, 5.75, 1),
        (52.52, 5.47, 1),
        (52.30, 4.70, 1),
        (51.98, 4.13, 1),
        (52.06, 6.30, 1),
        (51.97, 6.72, 1),
        (52.34, 6.40, 1),
        (51.25, 5.71, 1),
        (52.00, 4.70, 1),
    ]
)


def load_esco() -> tuple[list[str], np.ndarray]:
    with ESCO_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [(r["esco_id"], int(r["isco_group"])) for r in csv.DictReader(fh)]
    return [r[0] for r in rows], np.array([r[1] for r in rows], np.int64)


class World:
    """ESCO occupations, ISCO groups with a Zipf popularity, and the skill vocabulary."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.esco_ids, self.esco_isco = load_esco()
        self.groups = np.unique(self.esco_isco)
        popularity = 1.0 / np.arange(1, self.groups.size + 1) ** 0.9
        self.group_p = rng.permutation(popularity / popularity.sum())
        order = np.argsort(self.esco_isco, kind="stable")
        self.esco_by_group = order
        self.group_start = np.searchsorted(self.esco_isco[order], self.groups)
        self.group_count = np.diff(np.append(self.group_start, order.size))
        self.skill_vocab = [
            f"{g:04d} vaardigheid {j}" for g in self.groups for j in range(SPECIFIC_SKILLS)
        ] + GENERIC_SKILLS
        generic = 1.0 / np.arange(1, len(GENERIC_SKILLS) + 1)
        self.generic_p = generic / generic.sum()

    def occupations(self, rng, n: int) -> tuple[np.ndarray, np.ndarray]:
        """n group indices and ESCO codes (uniform within the group)."""
        group = rng.choice(self.groups.size, size=n, p=self.group_p)
        pick = (rng.random(n) * self.group_count[group]).astype(np.int64)
        return group, self.esco_by_group[self.group_start[group] + pick]

    def related_groups(self, rng, group: np.ndarray) -> np.ndarray:
        """A group near each given one: often the neighbouring unit group (same minor or
        sub-major group), sometimes anything."""
        near = np.clip(group + rng.integers(-2, 3, group.size), 0, self.groups.size - 1)
        anything = rng.choice(self.groups.size, size=group.size, p=self.group_p)
        return np.where(rng.random(group.size) < 0.7, near, anything)

    def skills(self, rng, group: np.ndarray, low: int, high: int, generic_max: int):
        """CSR (indptr, codes): low..high group-specific skills and 0..generic_max generic."""
        n = group.size
        n_specific = rng.integers(low, high + 1, n)
        n_generic = rng.integers(0, generic_max + 1, n)
        counts = n_specific + n_generic
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(counts, out=indptr[1:])
        row = np.repeat(np.arange(n), counts)
        within = np.arange(indptr[-1]) - indptr[row]
        specific = group[row] * SPECIFIC_SKILLS + rng.integers(0, SPECIFIC_SKILLS, row.size)
        generic = self.groups.size * SPECIFIC_SKILLS + rng.choice(
            len(GENERIC_SKILLS), size=row.size, p=self.generic_p
        )
        codes = np.where(within < n_specific[row], specific, generic)
        return indptr, codes

    def places(self, rng, n: int) -> tuple[np.ndarray, np.ndarray]:
        weights = TOWNS[:, 2] / TOWNS[:, 2].sum()
        town = rng.choice(len(TOWNS), size=n, p=weights)
        lat = TOWNS[town, 0] + rng.normal(0, 0.08, n)
        lon = TOWNS[town, 1] + rng.normal(0, 0.12, n)
        return lat, lon


def build_candidates(world: World, n: int, seed: int = 1) -> CandidateIndex:
    rng = np.random.default_rng(seed)
    first, esco_first = world.occupations(rng, n)
    second = world.related_groups(rng, first)
    third = world.related_groups(rng, first)
    slots = np.stack([first, second, third], axis=1)
    pick = (rng.random((n, 3)) * world.group_count[slots]).astype(np.int64)
    esco = world.esco_by_group[world.group_start[slots] + pick]
    esco[:, 0] = esco_first
    used = np.stack([np.ones(n, bool), rng.random(n) < 0.5, rng.random(n) < 0.2], axis=1)
    esco = np.where(used, esco, -1)
    isco = np.where(used, world.groups[slots], -1)
    indptr, codes = world.skills(rng, first, 4, 10, 3)
    lat, lon = world.places(rng, n)
    hours_min = rng.choice([8, 16, 24, 32], size=n)
    hours_max = np.minimum(hours_min + rng.choice([0, 8, 16], size=n), 40)
    return CandidateIndex.from_arrays(
        np.arange(1, n + 1),
        esco_codes=esco,
        esco_vocab=world.esco_ids,
        isco_groups=isco,
        skill_indptr=indptr,
        skill_codes=codes,
        skill_vocab=world.skill_vocab,
        education_level=rng.choice(8, size=n, p=[0.05, 0.1, 0.1, 0.15, 0.2, 0.2, 0.12, 0.08]),
        hours_min=hours_min,
        hours_max=hours_max,
        lat=lat,
        lon=lon,
        travel_radius_km=rng.choice([5, 10, 15, 20, 25, 30, 40, 50], size=n),
        wants_work_and_learn=rng.random(n) < 0.25,
        available=rng.random(n) < 0.9,
        job_agreement_eligible=rng.random(n) < 0.1,
        work_fit=rng.random(n) < 0.8,
    )


def build_vacancies(world: World, count: int, seed: int = 2) -> list[VacancyProfile]:
    rng = np.random.default_rng(seed)
    group, esco = world.occupations(rng, count)
    req_ptr, req = world.skills(rng, group, 3, 6, 1)
    des_ptr, des = world.skills(rng, group, 1, 3, 1)
    lat, lon = world.places(rng, count)
    out = []
    for i in range(count):
        out.append(
            VacancyProfile(
                id=10_000_000 + i,
                esco_id=world.esco_ids[esco[i]],
                isco_group=f"{world.groups[group[i]]:04d}",
                required_skills=tuple(
                    world.skill_vocab[c] for c in req[req_ptr[i] : req_ptr[i + 1]]
                ),
                desired_skills=tuple(
                    world.skill_vocab[c] for c in des[des_ptr[i] : des_ptr[i + 1]]
                ),
                education_level=int(rng.integers(1, 7)),
                hours=int(rng.choice([16, 24, 32, 36, 40])),
                lat=float(lat[i]),
                lon=float(lon[i]),
                work_and_learn=bool(rng.random() < 0.3),
                job_agreement=bool(rng.random() < 0.05),
            )
        )
    return out


def build_candidate_profiles(world: World, count: int, first_id: int, seed: int = 3):
    """Dataclass profiles (for timing single upserts), same distributions as the bulk pool."""
    rng = np.random.default_rng(seed)
    group, esco = world.occupations(rng, count)
    ptr, codes = world.skills(rng, group, 4, 10, 3)
    lat, lon = world.places(rng, count)
    return [
        CandidateProfile(
            id=first_id + i,
            occupations=((world.esco_ids[esco[i]], f"{world.groups[group[i]]:04d}"),),
            skills=tuple(world.skill_vocab[c] for c in codes[ptr[i] : ptr[i + 1]]),
            education_level=int(rng.integers(0, 8)),
            hours_min=16,
            hours_max=32,
            lat=float(lat[i]),
            lon=float(lon[i]),
            travel_radius_km=float(rng.choice([5, 10, 20, 30])),
        )
        for i in range(count)
    ]


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50) * 1e3, 2),
        "p95_ms": round(pick(0.95) * 1e3, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1e3, 2),
    }


def bench_size(world: World, n: int, queries: int = 100, k: int = 50) -> dict:
    start = time.perf_counter()
    index = build_candidates(world, n)
    build_s = time.perf_counter() - start
    vacancies = build_vacancies(world, queries)
    index.top(vacancies[0], k)  # warm-up
    index.brute_force_top(vacancies[0], k)
    index.search_stats = dict.fromkeys(index.search_stats, 0)
    fast, brute, mismatches = [], [], 0
    for vacancy in vacancies:
        t0 = time.perf_counter()
        got = index.top(vacancy, k)
        t1 = time.perf_counter()
        want = index.brute_force_top(vacancy, k)
        t2 = time.perf_counter()
        fast.append(t1 - t0)
        brute.append(t2 - t1)
        same = [r.id for r in got] == [r.id for r in want] and all(
            abs(a.score - b.score) <= 1e-9 for a, b in zip(got, want, strict=True)
        )
        mismatches += not same
    top, base = _ms(fast), _ms(brute)
    settled = dict(index.search_stats)
    index_mb = round(index.memory_bytes() / 2**20, 1)
    # Live updates: single upserts, queries while those rows are "dirty", then a rebuild.
    profiles = build_candidate_profiles(world, 1000, first_id=n + 1)
    t0 = time.perf_counter()
    for profile in profiles:
        index.upsert(profile)
    upsert_s = (time.perf_counter() - t0) / len(profiles)
    after = []
    for vacancy in vacancies[:20]:
        t0 = time.perf_counter()
        index.top(vacancy, k)
        after.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    index.optimize()
    optimize_s = time.perf_counter() - t0
    return {
        "candidates": n,
        "queries": queries,
        "k": k,
        "build_s": round(build_s, 2),
        "index_mb": index_mb,
        "top": top,
        "brute_force": base,
        "speedup_p50": round(base["p50_ms"] / max(top["p50_ms"], 1e-9), 1),
        "speedup_p95": round(base["p95_ms"] / max(top["p95_ms"], 1e-9), 1),
        "settled_by": settled,
        "mismatches": mismatches,
        "upsert_us": round(upsert_s * 1e6, 1),
        "top_after_1000_upserts": _ms(after),
        "optimize_s": round(optimize_s, 2),
        "index_mb_after_upserts": round(index.memory_bytes() / 2**20, 1),  # capacity doubled
    }


def run(sizes=(100_000, 1_000_000), queries: int = 100, k: int = 50) -> dict:
    """Benchmark each pool size; returns plain JSON-able numbers."""
    world = World(np.random.default_rng(0))
    start = time.perf_counter()
    results = [bench_size(world, int(n), queries, k) for n in sizes]
    return {
        "sizes": results,
        "total_s": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "numpy": np.__version__,
    }


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:]) or (100_000, 1_000_000)
    print(json.dumps(run(chosen), indent=2))
