"""`make bench`: measure the front door's hot paths, each next to a baseline from the same run,
and write the figures to docs/performance.md. Not a test: nothing here asserts a time."""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "mean": statistics.fmean(ordered)}


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def bench_triage_engine(rng: random.Random) -> dict:
    from werkcentrum.triage import BENEFITS, TOPICS, WORK_STATUSES, Situation, default_rules, triage

    questions = [
        "Ik heb een WW-uitkering en zoek werk als kok.",
        "Ik wil omscholen naar de zorg, wie betaalt mijn opleiding?",
        "Wij zoeken personeel en willen iemand met een arbeidsbeperking aannemen.",
        "Ik heb schulden en weet niet meer hoe ik rond moet komen.",
        "Kan ik in Duitsland gaan werken en wat betekent dat voor mijn belasting?",
        "Ik dreig mijn baan te verliezen door een reorganisatie.",
    ]
    situations = [
        Situation(
            asker=rng.choice(["resident", "employer"]),
            municipality="GM0153",
            age=rng.choice([None, 17, 26, 45, 61]),
            work_status=rng.choice([None, *WORK_STATUSES]),
            benefit=rng.choice([None, *BENEFITS]),
            topics=rng.choice([None, tuple(rng.sample(TOPICS, 2))]),
            question=rng.choice(questions) + f" ({i})",  # unique text: no cache hits
        )
        for i in range(5000)
    ]
    rules = default_rules()
    engine = [t * 1e6 for t in timed_each(lambda s: triage(s, rules), situations)]
    payloads = [json.dumps(s.__dict__) for s in situations]
    baseline = [t * 1e6 for t in timed_each(lambda p: json.dumps(json.loads(p)), payloads)]
    return {
        "engine_us": percentiles(engine),
        "baseline_us": percentiles(baseline),
        "n": len(situations),
    }


def timed_each(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def setup_django(data_dir: str):
    os.environ["WERKCENTRUM_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "werkcentrum.config.settings.dev"
    import django

    django.setup()
    from werkcentrum.core.bootstrap import ensure_database

    ensure_database()


def bench_services(rng: random.Random) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from werkcentrum.accounts.models import Role, User
    from werkcentrum.frontdoor import selectors, services
    from werkcentrum.frontdoor.models import Contact
    from werkcentrum.regions.models import Municipality, Partner, Region

    region = Region.objects.get(code="twente")
    municipalities = list(Municipality.objects.filter(region=region))
    guide = User.objects.create_user(
        "bench-guide", role=Role.GUIDE, region=region, walk_in_point=region.walk_in_points.first()
    )
    uwv = Partner.objects.get(code="uwv-twente")
    employee = User.objects.create_user(
        "bench-uwv", role=Role.PARTNER_EMPLOYEE, region=region, partner=uwv
    )
    from werkcentrum.frontdoor.persons import create_person

    def register():
        return services.register_contact(
            region=region,
            channel="phone",
            asker_type="resident",
            created_by=guide,
            municipality=rng.choice(municipalities),
            benefit="ww",
            question="Ik heb een WW-uitkering en zoek werk als kok.",
        )

    register_times = [t * 1e3 for t in timed(register, 300)]
    baseline_times = [
        t * 1e3
        for t in timed(
            lambda: Contact.objects.create(
                region=region,
                channel="phone",
                asker_type="resident",
                question="x",
                service_level="basic",
                responsible_partner=uwv,
                owner_user=guide,
            ),
            300,
        )
    ]

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for i in range(1000):
            contact = register()
            person = create_person(
                region, first_name="P", last_name=f"Bench{i}", email=f"p{i}@example.org"
            )
            contact = services.attach_person(contact, person, guide)
            consent = services.record_consent(
                contact, guide, partner=uwv, categories=["contact_details", "question"]
            )
            services.create_handover(contact, guide, partner=uwv, consent=consent)
    with CaptureQueriesContext(connection) as queries:
        inbox_times = [
            t * 1e3
            for t in timed(
                lambda: [
                    selectors.shared_data(h) for h in list(selectors.partner_inbox(employee)[:200])
                ],
                20,
            )
        ]
    inbox_queries = len(queries) // 20
    return {
        "register_ms": percentiles(register_times),
        "create_baseline_ms": percentiles(baseline_times),
        "inbox_ms": percentiles(inbox_times),
        "inbox_queries": inbox_queries,
        "pending": 1000,
    }


def bench_titles() -> dict:
    """Title normalisation throughput, next to an exact-label dictionary lookup (the baseline
    that handles no typos, gender variants or word order), and held-out accuracy."""
    from werkcentrum.occupations.evaluation import evaluate_held_out
    from werkcentrum.occupations.normalise import TitleNormaliser, clean_title, load_occupations

    occupations = load_occupations()
    start = time.perf_counter()
    normaliser = TitleNormaliser(occupations)
    build_s = time.perf_counter() - start
    labels = [label for o in occupations for label in (o.label, *o.alt_labels)]
    rng = random.Random(7)
    titles = [
        rng.choice(labels) + rng.choice(["", " (m/v)", " 32 uur", "ster", " Enschede"])
        for _ in range(5000)
    ]
    start = time.perf_counter()
    normaliser.normalise_many(titles, top=5)
    many_s = time.perf_counter() - start
    lookup = {label.lower(): o.esco_id for o in occupations for label in (o.label, *o.alt_labels)}
    start = time.perf_counter()
    hits = sum(clean_title(t) in lookup or t.lower() in lookup for t in titles)
    lookup_s = time.perf_counter() - start
    quality = evaluate_held_out(fraction=0.1, seed=1)
    return {
        "build_s": build_s,
        "per_s": len(titles) / many_s,
        "lookup_per_s": len(titles) / lookup_s,
        "lookup_hit_rate": hits / len(titles),
        "quality": quality,
    }


def main():
    rng = random.Random(20261124)
    engine = bench_triage_engine(rng)
    from benchmarks import matching_bench  # noqa: I001 - benchmarks is a script folder
    from werkcentrum.matching.evaluation import evaluate as evaluate_matching

    sizes = tuple(int(x) for x in os.environ.get("BENCH_SIZES", "100000,1000000").split(","))
    matching = matching_bench.run(sizes)
    match_quality = evaluate_matching()
    titles = bench_titles()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        svc = bench_services(rng)
    # PostgreSQL at 1,000,000 contacts, in its own process (this one is set up for SQLite).
    from benchmarks import monitoring_bench

    monitoring = monitoring_bench.run_in_subprocess()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite (embedded); "
        f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine skews the figures)"
    )
    e, b = engine["engine_us"], engine["baseline_us"]
    r, c, i = svc["register_ms"], svc["create_baseline_ms"], svc["inbox_ms"]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (benchmarks/run.py); every figure has a baseline from the same run.",
        f"Machine: {machine}. Generated {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "## Front door (issue 2)",
        "",
        "| what | p50 | p95 | baseline (same run) | baseline p50 / p95 |",
        "|---|---|---|---|---|",
        f"| triage engine, one situation ({engine['n']} distinct questions) | {e['p50']:.1f} µs | {e['p95']:.1f} µs "
        f"| JSON round-trip of the same situation | {b['p50']:.1f} / {b['p95']:.1f} µs |",
        f"| register a contact (triage, timeline, processing log) | {r['p50']:.2f} ms | {r['p95']:.2f} ms "
        f"| bare `Contact.objects.create` | {c['p50']:.2f} / {c['p95']:.2f} ms |",
        f"| partner inbox, first 200 of {svc['pending']} pending handovers incl. consent filtering "
        f"| {i['p50']:.1f} ms | {i['p95']:.1f} ms | queries per inbox page | {svc['inbox_queries']} |",
        "",
        f"Reading: one triage costs about {e['p50'] / b['p50']:.0f}× a JSON round-trip of its input, tens of",
        "microseconds, so the live proposal while a guide types is dominated by the HTTP round-trip,",
        f"not by the rules. Registering a contact costs about {r['p50'] / c['p50']:.0f}× a bare insert: the triage,",
        "two timeline events and a processing-log entry, all in one transaction.",
        "The inbox uses a constant number of queries however many handovers wait (also asserted",
        "in the tests with small data).",
        "",
        "## Matching (issue 3)",
        "",
        "Top-50 candidates for one vacancy; 100 random vacancies per size; the baseline is the plain",
        "numpy brute force (every factor for every candidate, then argpartition) in the same run, and",
        "the index must return exactly the same ids and scores (mismatches counted).",
        "",
        "| candidates | index build | memory | top-50 p50 / p95 | brute force p50 / p95 | mismatches | upsert |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['candidates']:,} | {r['build_s']} s | {r['index_mb']} MB | {r['top']['p50_ms']} / "
            f"{r['top']['p95_ms']} ms | {r['brute_force']['p50_ms']} / {r['brute_force']['p95_ms']} ms | "
            f"{r['mismatches']} | {r['upsert_us']} µs |"
            for r in matching["sizes"]
        ],
        "",
        f"Targets: p95 ≤ 50 ms at 100,000 and ≤ 2× brute force. Peak memory of the benchmark process "
        f"{matching['peak_rss_mb']} MB.",
        "",
        "Quality on the judged evaluation set (docs/matching.md has the judging rules):",
        "",
        "```",
        json.dumps(match_quality, indent=2, default=str)[:3000],
        "```",
        "",
        "## Title normalisation (issue 3)",
        "",
        f"Index build {titles['build_s']:.2f} s; `normalise_many` {titles['per_s']:,.0f} titles/s on 5,000 noisy "
        f"titles, against an exact-label dictionary lookup at {titles['lookup_per_s']:,.0f} titles/s that finds "
        f"only {titles['lookup_hit_rate']:.0%} of them. Held-out ESCO labels (10 %, never in the index): "
        f"accuracy@1 {titles['quality'].get('held_out', titles['quality']).get('accuracy_at_1', '?')}, "
        f"accuracy@5 {titles['quality'].get('held_out', titles['quality']).get('accuracy_at_5', '?')}.",
        "",
        "```",
        json.dumps(titles["quality"], indent=2, default=str)[:2000],
        "```",
        "",
        *monitoring_bench.section_lines(monitoring),
    ]
    # The load test (`make loadtest`, issue 7) writes its own section; keep it on a rewrite.
    loadtest = ROOT / "benchmarks" / "results" / "loadtest.md"
    if loadtest.exists():
        lines += ["", *loadtest.read_text(encoding="utf-8").rstrip().splitlines()]
    out = ROOT / "docs" / "performance.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
