"""Measure how well :mod:`werkcentrum.occupations.normalise` maps titles to ESCO occupations.

Run with ``python -m werkcentrum.occupations.evaluation`` (prints a JSON report).

Two measurements:

* **held-out alternative labels**: a deterministic fraction of the ESCO alternative labels
  is left out of the index, and each left-out label is normalised against the rest. Many
  ESCO labels are shared between occupations or are near-duplicates of another occupation's
  label, so this is a strict, partly ambiguous test.
* **hand-written test set** (``data/title_testset.csv``): realistic typed titles with typos,
  female forms, abbreviations, noise words and word-order changes, each with the most
  plausible ESCO occupation (ambiguous ones are marked in the ``note`` column).

Plus build time and throughput of ``normalise_many``.
"""

from __future__ import annotations

import csv
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .normalise import Match, Occupation, TitleNormaliser, load_occupations

TESTSET_PATH = Path(__file__).resolve().parent / "data" / "title_testset.csv"

NormaliserFactory = Callable[..., TitleNormaliser]


def held_out_labels(
    occupations: Sequence[Occupation], fraction: float = 0.1, seed: int = 1
) -> list[tuple[str, str]]:
    """A deterministic sample of (esco_id, alt_label) pairs to leave out of the index."""
    pairs = sorted(
        {
            (occupation.esco_id, label)
            for occupation in occupations
            for label in occupation.alt_labels
            if label != occupation.label
        }
    )
    count = round(len(pairs) * fraction)
    return sorted(random.Random(seed).sample(pairs, count))


def load_testset(path: str | Path | None = None) -> list[tuple[str, str]]:
    """(title, esco_id) pairs of the hand-written test set."""
    path = Path(path) if path is not None else TESTSET_PATH
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["title"], row["esco_id"]) for row in csv.DictReader(handle)]


def _accuracy(results: Sequence[Sequence[Match]], truth: Sequence[str]) -> tuple[float, float]:
    at_1 = sum(
        1
        for matches, esco_id in zip(results, truth, strict=True)
        if matches[:1] and matches[0].esco_id == esco_id
    )
    at_5 = sum(
        1
        for matches, esco_id in zip(results, truth, strict=True)
        if any(match.esco_id == esco_id for match in matches[:5])
    )
    n = max(1, len(truth))
    return at_1 / n, at_5 / n


def _noisy_titles(labels: Sequence[str], count: int, seed: int) -> list[str]:
    """Realistic-looking distinct titles for the throughput measurement."""
    rng = random.Random(seed)
    decorations = ["", "", " (m/v)", " 32-40 uur", " fulltime", "Senior ", "junior ", " Enschede"]
    titles = []
    for i in range(count):
        label = labels[i % len(labels)]
        if rng.random() < 0.3 and len(label) > 5:  # one typo: drop a letter
            position = rng.randrange(1, len(label) - 1)
            label = label[:position] + label[position + 1 :]
        decoration = rng.choice(decorations)
        title = decoration + label if decoration.endswith(" ") else label + decoration
        titles.append(title.upper() if rng.random() < 0.1 else title)
    return titles


def evaluate_held_out(
    fraction: float = 0.1,
    seed: int = 1,
    *,
    occupations: Sequence[Occupation] | None = None,
    factory: NormaliserFactory = TitleNormaliser,
    throughput_titles: int = 5000,
) -> dict:
    """Held-out and test-set accuracy@1/@5, build time and normalise_many throughput."""
    occupations = list(occupations) if occupations is not None else load_occupations()
    held_out = held_out_labels(occupations, fraction=fraction, seed=seed)

    normaliser = factory(occupations, exclude_labels=set(held_out))
    results = normaliser.normalise_many([label for _, label in held_out], top=5)
    held_at_1, held_at_5 = _accuracy(results, [esco_id for esco_id, _ in held_out])

    started = time.perf_counter()
    full = factory(occupations)
    build_seconds = time.perf_counter() - started

    testset = load_testset()
    test_results = full.normalise_many([title for title, _ in testset], top=5)
    test_at_1, test_at_5 = _accuracy(test_results, [esco_id for _, esco_id in testset])
    by_id = {occupation.esco_id: occupation.label for occupation in occupations}
    misses = [
        {
            "title": title,
            "expected": by_id.get(esco_id, esco_id),
            "got": [match.label for match in matches[:3]],
        }
        for (title, esco_id), matches in zip(testset, test_results, strict=True)
        if not matches or matches[0].esco_id != esco_id
    ]

    # Throughput on a fresh normaliser (cold caches) over distinct, noisy titles.
    fresh = factory(occupations)
    all_labels = sorted({label for occupation in occupations for label in occupation.alt_labels})
    random.Random(seed).shuffle(all_labels)
    titles = _noisy_titles(all_labels, throughput_titles, seed)
    started = time.perf_counter()
    fresh.normalise_many(titles, top=5)
    elapsed = time.perf_counter() - started

    return {
        "held_out": {
            "fraction": fraction,
            "seed": seed,
            "n": len(held_out),
            "accuracy_at_1": round(held_at_1, 4),
            "accuracy_at_5": round(held_at_5, 4),
        },
        "testset": {
            "n": len(testset),
            "accuracy_at_1": round(test_at_1, 4),
            "accuracy_at_5": round(test_at_5, 4),
            "misses_at_1": misses,
        },
        "build_seconds": round(build_seconds, 3),
        "throughput": {
            "titles": len(titles),
            "seconds": round(elapsed, 3),
            "titles_per_second": round(len(titles) / elapsed if elapsed else float("inf"), 1),
        },
    }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(evaluate_held_out(), indent=2, ensure_ascii=False))
