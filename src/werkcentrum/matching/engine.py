"""Explainable matching engine: vacancy -> ranked candidates (``CandidateIndex``) and
candidate -> ranked vacancies (``VacancyIndex``).

Pure Python + numpy, no Django. Matching job seekers is high-risk AI under the EU AI Act, so:
every result carries its named factor contributions (``Result.factors``, summing to the score),
the hard filters in force are reported, ``explain()`` scores any pair — also one a filter
excluded, naming that filter — and the ranking is advice: an adviser decides. Protected
attributes are not fields of the profiles, so they cannot be inputs.

Storage is columnar: one numpy array per attribute with capacity doubling, ids -> rows in a
dict, removals as tombstones (compacted once more than half the rows are dead, on the next
query). Skills and free-text words live in an append-only CSR-like log (``_RowLog``): an
upsert appends the row's entries and re-points the row's (start, length); superseded entries
are garbage, reclaimed when the log would otherwise have to grow. An upsert therefore costs
O(row) plus amortised O(1) — never a Python loop over the index.

Search (``top``) is exact and tiered; ``brute_force_top`` is the plain baseline (every factor
for every row, then partition) and the two agree exactly (same ids, same order, same floats):

1. Blocking on inverted lists ("postings", rebuilt lazily on the first query after more than
   ``dirty_limit`` changed rows; rows changed since are always scored): rows sharing the
   query's ESCO occupation or ISCO sub-major group. Every row outside has occupation score 0,
   so its score is at most U1 = the sum of the other weights. If the k-th best score among the
   blocked rows is > U1, no outside row can enter the top k (nor tie with it): done.
2. Add rows sharing a skill (and, in ``VacancyIndex``, vacancies listing no skills). Outside
   rows now also have skills score 0: bound U2; same test.
3. Otherwise scan: cheap per-row bounds (hours, education, work-and-learn exact, distance <= 1)
   and cheap filters (availability, job agreement, education, a latitude band for the travel
   radius) over all rows; only rows whose bound reaches the current k-th score are scored (all
   of them over whole columns, like brute force, when that is more than a third of the rows).

A blocking tier is skipped when its factor has weight 0 (it could never settle the query).

Each row's score is computed by the same elementwise code in every path, and the bounds use the
same summation order with term-wise larger values (IEEE rounding is monotone), so the pruning
never drops a row that brute force would rank. Ties are broken by id ascending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .factors import (
    EARTH_RADIUS_KM,
    combine,
    distance_score,
    education_score,
    haversine_km,
    hours_score,
    isco_codes,
    occupation_score,
    semantic_score,
    skills_score,
    text_tokens,
    work_and_learn_score,
)
from .profiles import (
    FACTORS,
    MAX_HOURS,
    MAX_OCCUPATIONS,
    CandidateProfile,
    Filters,
    ProfileError,
    Result,
    VacancyProfile,
    Weights,
    normalise_label,
)

SLOTS = MAX_OCCUPATIONS
_UNKNOWN = -2  # query-side code of an ESCO id the index has never seen (never matches)
_EMPTY = -1  # padding of unused occupation slots (never matches)
_BAND_SLACK_KM = 1e-6  # the latitude band only drops rows clearly beyond the radius
_INT = np.int64
_FULL_SCAN_SHARE = 3  # scan tier: evaluate whole columns once more than 1/3 of rows remain
_F32_SLACK = 1e-6  # radians (~6 m): far above float32 rounding of a latitude (< 1e-7 rad)


def _gather_positions(start: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of all entries of rows given by (start, length), concatenated in row order,
    and the offset of each row's first entry in that concatenation."""
    length = length.astype(_INT, copy=False)
    offsets = np.cumsum(length) - length
    total = int(length.sum()) if length.size else 0
    if total == 0:
        return np.zeros(0, _INT), offsets
    positions = np.arange(total, dtype=_INT) + np.repeat(start.astype(_INT) - offsets, length)
    return positions, offsets


class _RowLog:
    """Per-row (column, value) entries in an append-only log with per-row (start, length).

    Values are dyadic (1.0, 0.5), so every sum over them is exact in float64 whatever the
    summation order: a row's sum is bit-identical in the full scan and in a subset.
    """

    def __init__(self) -> None:
        self.col = np.zeros(64, np.int32)
        self.val = np.zeros(64, np.float32)  # 1.0 / 0.5: exact in float32
        self.used = 0
        self.garbage = 0
        self.start = np.zeros(0, _INT)
        self.length = np.zeros(0, np.int32)

    def resize_rows(self, capacity: int) -> None:
        for name in ("start", "length"):
            old = getattr(self, name)
            new = np.zeros(capacity, old.dtype)
            new[: min(old.size, capacity)] = old[:capacity]
            setattr(self, name, new)

    def _reserve(self, extra: int, n_rows: int) -> None:
        need = self.used + extra
        if need <= self.col.size:
            return
        if self.garbage * 2 >= self.used and self.garbage > 0:
            self.compact(np.arange(n_rows, dtype=_INT))
            need = self.used + extra
            if need <= self.col.size:
                return
        capacity = max(64, 2 * self.col.size, need)
        for name in ("col", "val"):
            old = getattr(self, name)
            new = np.zeros(capacity, old.dtype)
            new[: self.used] = old[: self.used]
            setattr(self, name, new)

    def set_row(self, row: int, cols: Sequence[int], vals: Sequence[float], n_rows: int) -> None:
        self.garbage += int(self.length[row])
        self.length[row] = 0
        size = len(cols)
        self._reserve(size, n_rows)
        self.col[self.used : self.used + size] = cols
        self.val[self.used : self.used + size] = vals
        self.start[row] = self.used
        self.length[row] = size
        self.used += size

    def clear_row(self, row: int) -> None:
        self.garbage += int(self.length[row])
        self.length[row] = 0
        self.start[row] = 0

    def load(
        self, first_row: int, indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int
    ) -> None:
        """Bulk-append rows first_row.. (CSR arrays); the rows must be empty."""
        self._reserve(cols.size, n_rows)
        self.col[self.used : self.used + cols.size] = cols
        self.val[self.used : self.used + cols.size] = vals
        count = indptr.size - 1
        self.start[first_row : first_row + count] = self.used + indptr[:-1]
        self.length[first_row : first_row + count] = np.diff(indptr)
        self.used += cols.size

    def compact(self, keep: np.ndarray) -> None:
        """Rewrite the log for rows ``keep`` (old row numbers), which become rows 0..len-1."""
        positions, offsets = _gather_positions(self.start[keep], self.length[keep])
        length = self.length[keep]
        col, val = self.col[positions], self.val[positions]
        capacity = max(64, self.col.size if keep.size else 64, positions.size)
        self.col = np.zeros(capacity, np.int32)
        self.val = np.zeros(capacity, np.float32)
        self.col[: positions.size] = col
        self.val[: positions.size] = val
        self.used = positions.size
        self.garbage = 0
        start = np.zeros(self.start.size, _INT)
        new_length = np.zeros(self.length.size, np.int32)
        start[: keep.size] = offsets
        new_length[: keep.size] = length
        self.start, self.length = start, new_length

    def row_sums(self, rows: np.ndarray | None, n_rows: int, qvec: np.ndarray) -> np.ndarray:
        """Per row: sum of qvec[col] * val over its entries. ``rows=None``: rows 0..n_rows-1 via
        one pass over the whole log (the brute-force path)."""
        if rows is None:
            weights = qvec[self.col[: self.used]] * self.val[: self.used]
            prefix = np.zeros(self.used + 1)
            np.cumsum(weights, out=prefix[1:])
            start = self.start[:n_rows]
            return prefix[start + self.length[:n_rows]] - prefix[start]
        positions, offsets = _gather_positions(self.start[rows], self.length[rows])
        if positions.size == 0:
            return np.zeros(rows.size)
        weights = qvec[self.col[positions]] * self.val[positions]
        prefix = np.zeros(positions.size + 1)
        np.cumsum(weights, out=prefix[1:])
        return prefix[offsets + self.length[rows]] - prefix[offsets]

    def entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every entry of ``rows``."""
        positions, _ = _gather_positions(self.start[rows], self.length[rows])
        return np.repeat(rows, self.length[rows]), self.col[positions]

    def nbytes(self) -> int:
        return self.col.nbytes + self.val.nbytes + self.start.nbytes + self.length.nbytes


class _Postings:
    """Frozen inverted lists: key -> rows, as CSR (indptr over keys). Within a key the rows are
    sorted by latitude (snapshot at build time), so a latitude band is two binary searches.
    Rows are int32 and latitudes float32 (memory); ``lookup`` widens the band to cover the
    float32 rounding, so it only ever returns more rows, never fewer."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, n_keys: int, lat: np.ndarray) -> None:
        keys = keys.astype(_INT, copy=False)
        ok = keys >= 0
        keys, rows, lat = keys[ok], rows[ok], lat[ok]
        by_lat = np.argsort(lat, kind="stable")  # near-linear: rows are kept in latitude order
        keys = keys[by_lat]
        if n_keys <= np.iinfo(np.uint16).max:
            by_key = np.argsort(keys.astype(np.uint16), kind="stable")  # radix sort
        else:
            by_key = np.argsort(keys * max(1, keys.size) + np.arange(keys.size))
        order = by_lat[by_key]
        self.rows = rows[order].astype(np.int32)
        self.lat = lat[order].astype(np.float32)
        counts = np.bincount(keys, minlength=n_keys)
        self.indptr = np.zeros(counts.size + 1, _INT)
        np.cumsum(counts, out=self.indptr[1:])

    def lookup(
        self, keys: Iterable[int], band: tuple[float, float] | None = None
    ) -> list[np.ndarray]:
        """Rows under each key; with ``band`` (radians) only rows whose latitude was inside."""
        out = []
        for key in {int(k) for k in keys}:
            if 0 <= key < self.indptr.size - 1:
                lo, hi = self.indptr[key], self.indptr[key + 1]
                if band is not None:
                    lats = self.lat[lo:hi]
                    lo, hi = (
                        lo + np.searchsorted(lats, np.float32(band[0] - _F32_SLACK), "left"),
                        lo + np.searchsorted(lats, np.float32(band[1] + _F32_SLACK), "right"),
                    )
                out.append(self.rows[lo:hi])
        return out

    def nbytes(self) -> int:
        return self.rows.nbytes + self.lat.nbytes + self.indptr.nbytes


@dataclass
class _Evaluation:
    score: np.ndarray
    keep: np.ndarray
    failed: dict[str, np.ndarray]  # filter name -> rows failing it
    factor_scores: dict[str, np.ndarray]
    contributions: dict[str, np.ndarray]
    distance_km: np.ndarray


class _Query:
    """A query profile encoded against an index's vocabularies (attributes vary by index)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def _radians(values) -> np.ndarray:
    return np.radians(np.asarray(values, dtype=np.float64))


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
        raise ProfileError(f"k must be a non-negative integer, got {k!r}")
    return int(k)


class _Index:
    """Columnar store + exact tiered search shared by both directions."""

    _columns: dict[str, tuple[type, tuple[int, ...], object]] = {}
    _candidate_side = True  # True: rows are candidates (CandidateIndex)
    _row_type: type = object
    _query_type: type = object

    def __init__(self, profiles: Iterable = (), *, dirty_limit: int | None = None) -> None:
        if dirty_limit is not None and (isinstance(dirty_limit, bool) or dirty_limit < 0):
            raise ProfileError("dirty_limit must be a non-negative integer or None")
        self._dirty_limit = dirty_limit
        self._n = 0  # rows in use (live + tombstones)
        self._live = 0
        self._capacity = 0
        self._cols: dict[str, np.ndarray] = {}
        self._row_of: dict[int, int] = {}
        self._skills = _RowLog()
        self._tokens = _RowLog()
        self._skill_vocab: dict[str, int] = {}
        self._token_vocab: dict[str, int] = {}
        self._esco_vocab: dict[str, int] = {}
        self._dirty: list[int] = []
        self._postings: dict[str, object] | None = None
        #: How ``top()`` queries were settled: blocked occupations, + skills, or pruned scan.
        self.search_stats = {"occupation_block": 0, "skill_block": 0, "scan": 0}
        self._reserve(16)
        for profile in profiles:
            self.upsert(profile)

    # ----------------------------------------------------------------- storage
    def _reserve(self, rows: int) -> None:
        if rows <= self._capacity:
            return
        if rows >= 2**31:
            raise ProfileError("an index holds fewer than 2**31 rows")
        capacity = max(16, 2 * self._capacity, rows)
        columns = {
            **self._columns,
            "ids": (np.int64, (), 0),
            "alive": (np.bool_, (), False),
            "dirty": (np.bool_, (), False),
        }
        for name, (dtype, shape, fill) in columns.items():
            new = np.full((capacity, *shape), fill, dtype=dtype)
            if name in self._cols:
                new[: self._n] = self._cols[name][: self._n]
            self._cols[name] = new
        self._skills.resize_rows(capacity)
        self._tokens.resize_rows(capacity)
        self._capacity = capacity

    def _mark_dirty(self, row: int) -> None:
        if not self._cols["dirty"][row]:
            self._cols["dirty"][row] = True
            self._dirty.append(row)

    def _code(self, vocab: dict[str, int], label: str) -> int:
        code = vocab.get(label)
        if code is None:
            code = vocab[label] = len(vocab)
        return code

    def _write(self, profile, values: dict, skill_cols, skill_vals, token_cols) -> None:
        row = self._row_of.get(profile.id)
        if row is None:
            row = self._n
            self._reserve(row + 1)
            self._n += 1
            self._live += 1
            self._row_of[profile.id] = row
            self._cols["ids"][row] = profile.id
            self._cols["alive"][row] = True
        for name, value in values.items():
            self._cols[name][row] = value
        self._skills.set_row(row, skill_cols, skill_vals, self._n)
        self._tokens.set_row(row, token_cols, [1.0] * len(token_cols), self._n)
        self._mark_dirty(row)

    def upsert(self, profile) -> None:
        """Insert or replace one profile (same id = replace). O(profile) + amortised O(1)."""
        if not isinstance(profile, self._row_type):
            raise ProfileError(
                f"expected a {self._row_type.__name__}, got {type(profile).__name__}"
            )
        self._upsert(profile)

    def remove(self, id: int) -> bool:
        """Drop a profile; False if the id was not in the index."""
        row = self._row_of.pop(int(id), None)
        if row is None:
            return False
        self._cols["alive"][row] = False
        self._skills.clear_row(row)
        self._tokens.clear_row(row)
        self._live -= 1
        return True

    def __len__(self) -> int:
        return self._live

    def __contains__(self, id: object) -> bool:
        return id in self._row_of

    def ids(self) -> list[int]:
        return sorted(self._row_of)

    def memory_bytes(self) -> int:
        """Bytes held by the numpy structures (columns, logs, postings)."""
        total = sum(a.nbytes for a in self._cols.values())
        total += self._skills.nbytes() + self._tokens.nbytes()
        for value in (self._postings or {}).values():
            total += value.nbytes() if isinstance(value, _Postings) else value.nbytes
        return total

    # ------------------------------------------------------------- maintenance
    def _limit(self) -> int:
        if self._dirty_limit is not None:
            return self._dirty_limit
        return max(1024, self._live // 64)

    def _maintain(self) -> None:
        dead = self._n - self._live
        if dead > max(1024, self._live):
            self._compact_rows()
        if self._postings is None or len(self._dirty) > self._limit():
            self._freeze()

    def optimize(self) -> None:
        """Drop tombstones and rebuild the inverted lists now (otherwise done lazily)."""
        if self._n != self._live:
            self._compact_rows()
        self._freeze()

    def _compact_rows(self) -> None:
        """Drop tombstones and lay the rows out by latitude (rows near each other on the map
        are near each other in memory, which keeps the gathers of a search cache-friendly)."""
        keep = np.flatnonzero(self._cols["alive"][: self._n]).astype(_INT)
        keep = keep[np.argsort(self._cols["lat_rad"][keep], kind="stable")]
        for column in self._cols.values():
            column[: keep.size] = column[keep]
            column[keep.size : self._n] = False if column.dtype == np.bool_ else 0
        self._skills.compact(keep)
        self._tokens.compact(keep)
        self._n = keep.size
        self._row_of = dict(zip(self._cols["ids"][: self._n].tolist(), range(self._n), strict=True))
        self._postings = None
        self._cols["dirty"][: self._n] = False
        self._dirty = []

    def _freeze(self) -> None:
        rows = np.flatnonzero(self._cols["alive"][: self._n]).astype(_INT)
        lat = self._cols["lat_rad"]
        entry_rows, entry_cols = self._skills.entries(rows)
        postings: dict[str, object] = {
            "skills": _Postings(entry_cols, entry_rows, len(self._skill_vocab), lat[entry_rows]),
        }
        postings.update(self._occupation_postings(rows))
        self._postings = postings
        self._frozen_max_radius = self._max_radius(rows)
        if self._dirty:
            self._cols["dirty"][np.asarray(self._dirty, dtype=_INT)] = False
        self._dirty = []

    def _dirty_rows(self) -> np.ndarray:
        return np.asarray(self._dirty, dtype=_INT)

    # -------------------------------------------------------------- hooks
    def _upsert(self, profile) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _occupation_postings(self, rows: np.ndarray) -> dict:  # pragma: no cover
        raise NotImplementedError

    def _encode_query(self, profile) -> _Query:  # pragma: no cover
        raise NotImplementedError

    def _evaluate(self, rows, q: _Query, w: dict, f: Filters) -> _Evaluation:  # pragma: no cover
        raise NotImplementedError

    def _cheap(self, rows, q: _Query, f: Filters) -> tuple[np.ndarray, list]:  # pragma: no cover
        """(mask of rows that can pass the filters, [hours, education, work_and_learn])."""
        raise NotImplementedError

    def _blocks(
        self, q: _Query, band
    ) -> tuple[list[np.ndarray], list[np.ndarray] | None]:  # pragma: no cover
        raise NotImplementedError

    def _max_radius(self, rows: np.ndarray) -> float:  # pragma: no cover
        raise NotImplementedError

    def _query_radius(self, q: _Query) -> float:
        """Largest travel radius a ranked pair can have: the query's (VacancyIndex) or the
        largest among the rows when the inverted lists were built (CandidateIndex; rows
        changed since are scored anyway)."""
        return self._frozen_max_radius

    def _maxima(self, q: _Query) -> dict[str, float]:  # pragma: no cover
        raise NotImplementedError

    # -------------------------------------------------------------- helpers
    def _col(self, name: str, rows):
        column = self._cols[name]
        return column[: self._n] if rows is None else column[rows]

    def _band(self, rows, q: _Query, radius) -> np.ndarray:
        """False where the latitude difference alone puts the pair beyond the radius
        (great-circle distance >= R·|Δφ|)."""
        dlat = np.abs(self._col("lat_rad", rows) - q.lat_rad) * EARTH_RADIUS_KM
        return dlat <= radius + _BAND_SLACK_KM

    def _finish(self, rows, w: dict, f: Filters, parts: dict, masks: dict, distance) -> _Evaluation:
        contributions = {name: w[name] * parts[name] for name in parts}
        score = combine([contributions[name] for name in parts])
        keep = self._col("alive", rows).copy()
        failed = {}
        for name, ok in masks.items():
            ok = np.broadcast_to(ok, keep.shape)
            failed[name] = ~ok
            keep &= ok
        return _Evaluation(score, keep, failed, parts, contributions, distance)

    def _parts_order(self, w: dict) -> list[str]:
        return [name for name in FACTORS if name != "semantic" or w["semantic"] > 0]

    def _upper_bound(self, q: _Query, w: dict, outside: dict[str, float], rows_parts=None):
        """Sum, in FACTORS order, of weight x (maximum factor score outside the blocked rows)."""
        maxima = self._maxima(q) | outside
        terms = []
        for name in self._parts_order(w):
            if rows_parts is not None and name in rows_parts:
                terms.append(w[name] * rows_parts[name])
            else:
                terms.append(w[name] * maxima[name])
        return combine(terms)

    # -------------------------------------------------------------- search
    def _prepare(self, query, weights, filters):
        if not isinstance(query, self._query_type):
            raise ProfileError(
                f"expected a {self._query_type.__name__}, got {type(query).__name__}"
            )
        weights = Weights() if weights is None else weights
        filters = Filters() if filters is None else filters
        if not isinstance(weights, Weights) or not isinstance(filters, Filters):
            raise ProfileError("weights must be Weights and filters Filters")
        return self._encode_query(query), weights.normalised(), filters

    def _select(self, rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
        if rows.size > k:
            threshold = np.partition(scores, rows.size - k)[rows.size - k]
            pick = scores >= threshold
            rows, scores = rows[pick], scores[pick]
        order = np.lexsort((self._cols["ids"][rows], -scores))[:k]
        return rows[order]

    def _results(
        self, rows: np.ndarray, q: _Query, w: dict, f: Filters, explain=False
    ) -> list[Result]:
        if rows.size == 0:
            return []
        ev = self._evaluate(rows, q, w, f)
        applied = f.active(candidate_side=self._candidate_side)
        names = list(ev.factor_scores)
        out = []
        for i, row in enumerate(rows.tolist()):
            excluded = tuple(n for n in applied if ev.failed[n][i]) if explain else ()
            out.append(
                Result(
                    id=int(self._cols["ids"][row]),
                    score=float(ev.score[i]),
                    factors={n: float(ev.contributions[n][i]) for n in names},
                    filters_applied=applied,
                    excluded_by=excluded,
                    factor_scores={n: float(ev.factor_scores[n][i]) for n in names},
                    distance_km=float(ev.distance_km[i]),
                )
            )
        return out

    def brute_force_top(
        self, query, k: int = 50, weights: Weights | None = None, filters: Filters | None = None
    ) -> list[Result]:
        """Baseline: every factor for every row, then partition + sort (no blocking)."""
        k = _check_k(k)
        q, w, f = self._prepare(query, weights, filters)
        if k == 0 or self._live == 0:
            return []
        ev = self._evaluate(None, q, w, f)
        rows = np.flatnonzero(ev.keep)
        return self._results(self._select(rows, ev.score[rows], k), q, w, f)

    def top(
        self, query, k: int = 50, weights: Weights | None = None, filters: Filters | None = None
    ) -> list[Result]:
        """The k best-scoring rows passing the filters, best first, ties by id ascending.
        Exactly equal to ``brute_force_top`` (see the module docstring for how)."""
        k = _check_k(k)
        q, w, f = self._prepare(query, weights, filters)
        if k == 0 or self._live == 0:
            return []
        self._maintain()
        return self._results(self._search(q, k, w, f), q, w, f)

    def _search(self, q: _Query, k: int, w: dict, f: Filters) -> np.ndarray:
        n = self._n
        seen = np.zeros(n, np.bool_)
        pool_rows: list[np.ndarray] = []
        pool_scores: list[np.ndarray] = []

        def score(parts: list[np.ndarray]) -> None:
            fresh = np.zeros(n, np.bool_)
            for part in parts:
                fresh[part] = True
            fresh &= ~seen
            seen[fresh] = True
            rows = np.flatnonzero(fresh)
            if rows.size == 0:
                return
            mask, _ = self._cheap(rows, q, f)
            rows = rows[mask]
            if rows.size == 0:
                return
            ev = self._evaluate(rows, q, w, f)
            pool_rows.append(rows[ev.keep])
            pool_scores.append(ev.score[ev.keep])

        def kth() -> float:
            scores = np.concatenate(pool_scores) if pool_scores else np.zeros(0)
            if scores.size < k:
                return -np.inf
            return float(np.partition(scores, scores.size - k)[scores.size - k])

        band = None
        if f.within_travel_radius:
            half = (self._query_radius(q) + _BAND_SLACK_KM) / EARTH_RADIUS_KM
            band = (float(q.lat_rad) - half, float(q.lat_rad) + half)
        occupation_block, skill_block = self._blocks(q, band)
        # A tier can only settle the query if its factor has weight; with weight 0 the factor
        # contributes exactly 0 everywhere, so "0 outside the block" holds without blocking.
        tiers = []
        if w["occupation"] > 0:
            tiers.append(("occupation_block", occupation_block, {"occupation": 0.0}))
        if skill_block is not None and w["skills"] > 0:
            tiers.append(("skill_block", skill_block, {"occupation": 0.0, "skills": 0.0}))
        threshold = -np.inf
        outside: dict[str, float] = {}
        pending = [self._dirty_rows()]  # changed since the lists were built: always scored
        for name, block, zero_outside in tiers:
            score([*block, *pending])
            pending = []
            outside.update(zero_outside)
            threshold = kth()
            if threshold > self._upper_bound(q, w, outside):
                self.search_stats[name] += 1
                return self._pool_select(pool_rows, pool_scores, k)
        # Tier 3: a pruned scan of everything not scored yet.
        self.search_stats["scan"] += 1
        mask, (hours, education, work_and_learn) = self._cheap(None, q, f)
        bound = self._upper_bound(
            q,
            w,
            outside,
            {"hours": hours, "education": education, "work_and_learn": work_and_learn},
        )
        rows = np.flatnonzero(mask & ~seen & (bound >= threshold))
        if rows.size * _FULL_SCAN_SHARE > n:
            # Pruning barely helps (e.g. distance-only weights without the radius filter):
            # contiguous full columns beat gathering most rows. Same code as brute force.
            ev = self._evaluate(None, q, w, f)
            rows = np.flatnonzero(ev.keep)
            return self._select(rows, ev.score[rows], k)
        if rows.size:
            ev = self._evaluate(rows, q, w, f)
            pool_rows.append(rows[ev.keep])
            pool_scores.append(ev.score[ev.keep])
        return self._pool_select(pool_rows, pool_scores, k)

    def _pool_select(self, pool_rows, pool_scores, k) -> np.ndarray:
        if not pool_rows:
            return np.zeros(0, _INT)
        return self._select(np.concatenate(pool_rows), np.concatenate(pool_scores), k)

    def _bulk(self, ids: np.ndarray, columns: dict, indptr, codes, vals) -> None:
        """Load n rows into an empty index from columns (see ``from_arrays``)."""
        n = ids.size
        self._row_of = dict(zip(ids.tolist(), range(n), strict=True))
        if len(self._row_of) != n:
            self._row_of = {}
            raise ProfileError("ids must be unique")
        self._reserve(n)
        self._n = self._live = n
        self._cols["ids"][:n] = ids
        self._cols["alive"][:n] = True
        for name, value in columns.items():
            self._cols[name][:n] = value
        self._skills.load(0, indptr, codes, vals, n)
        self._compact_rows()
        self._freeze()

    def _explain(self, query, id: int, weights, filters) -> Result:
        q, w, f = self._prepare(query, weights, filters)
        row = self._row_of.get(int(id))
        if row is None:
            raise KeyError(id)
        return self._results(np.array([row], _INT), q, w, f, explain=True)[0]


# ====================================================================== candidates
_CANDIDATE_COLUMNS = {
    "esco": (np.int32, (SLOTS,), _EMPTY),
    "isco4": (np.int32, (SLOTS,), _EMPTY),
    "isco3": (np.int32, (SLOTS,), _EMPTY),
    "isco2": (np.int32, (SLOTS,), _EMPTY),
    "lat_rad": (np.float64, (), 0.0),
    "lon_rad": (np.float64, (), 0.0),
    "cos_lat": (np.float64, (), 1.0),
    "radius": (np.float64, (), 1.0),
    "hours_min": (np.float64, (), 0.0),
    "hours_max": (np.float64, (), 0.0),
    "education": (np.int8, (), 0),
    "wants_wl": (np.bool_, (), False),
    "available": (np.bool_, (), True),
    "eligible": (np.bool_, (), False),
    "work_fit": (np.bool_, (), True),
    "n_tokens": (np.float64, (), 0.0),
}


def _position(lat, lon) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat_rad, lon_rad = _radians(lat), _radians(lon)
    return lat_rad, lon_rad, np.cos(lat_rad)


def _skill_query(vocab: dict[str, int], weighted: dict[str, float]) -> tuple[np.ndarray, list[int]]:
    qvec = np.zeros(max(1, len(vocab)))
    keys = []
    for label, value in weighted.items():
        code = vocab.get(label)
        if code is not None:
            qvec[code] = value
            keys.append(code)
    return qvec, keys


class CandidateIndex(_Index):
    """Candidates, searched for a vacancy: ``top(vacancy)`` ranks candidates."""

    _columns = _CANDIDATE_COLUMNS
    _candidate_side = True
    _row_type = CandidateProfile
    _query_type = VacancyProfile

    def _upsert(self, p: CandidateProfile) -> None:
        codes = np.full((4, SLOTS), _EMPTY, np.int32)
        for slot, (esco_id, isco_group) in enumerate(p.occupations):
            codes[0, slot] = self._code(self._esco_vocab, esco_id)
            codes[1:, slot] = isco_codes(isco_group)
        lat_rad, lon_rad, cos_lat = _position(p.lat, p.lon)
        tokens = text_tokens(p.text)
        values = {
            "esco": codes[0],
            "isco4": codes[1],
            "isco3": codes[2],
            "isco2": codes[3],
            "lat_rad": lat_rad,
            "lon_rad": lon_rad,
            "cos_lat": cos_lat,
            "radius": float(p.travel_radius_km),
            "hours_min": float(p.hours_min),
            "hours_max": float(p.hours_max),
            "education": p.education_level,
            "wants_wl": p.wants_work_and_learn,
            "available": p.available,
            "eligible": p.job_agreement_eligible,
            "work_fit": p.work_fit,
            "n_tokens": float(len(tokens)),
        }
        skills = [self._code(self._skill_vocab, s) for s in p.skills]
        words = [self._code(self._token_vocab, t) for t in tokens]
        self._write(p, values, skills, [1.0] * len(skills), words)

    @classmethod
    def from_arrays(
        cls,
        ids,
        *,
        esco_codes,
        esco_vocab: Sequence[str],
        isco_groups,
        skill_indptr,
        skill_codes,
        skill_vocab: Sequence[str],
        education_level,
        hours_min,
        hours_max,
        lat,
        lon,
        travel_radius_km,
        wants_work_and_learn=None,
        available=None,
        job_agreement_eligible=None,
        work_fit=None,
        dirty_limit: int | None = None,
    ) -> CandidateIndex:
        """Bulk constructor from columns (no per-row Python; what the benchmark and a nightly
        reload use). ``esco_codes``/``isco_groups``: (n, <=3) ints, -1 for an empty slot,
        ESCO as an index into ``esco_vocab``, ISCO as the 4-digit unit group's integer value
        (8332). Skills in CSR form: row i has ``skill_vocab[skill_codes[skill_indptr[i]:
        skill_indptr[i+1]]]``. Free text is not bulk-loaded (upsert profiles that have it)."""
        ids = np.asarray(ids, dtype=np.int64)
        n = ids.size
        esco = _slots(esco_codes, n, "esco_codes")
        isco = _slots(isco_groups, n, "isco_groups")
        if np.any((esco < 0) != (isco < 0)):
            raise ProfileError("esco_codes and isco_groups must have the same empty slots")
        if np.any(isco > 9999) or np.any(esco >= len(esco_vocab)):
            raise ProfileError(
                "isco_groups must be 4-digit unit groups, esco_codes index esco_vocab"
            )
        index = cls(dirty_limit=dirty_limit)
        esco_map = np.array(
            [index._code(index._esco_vocab, str(e).strip()) for e in esco_vocab] + [_EMPTY],
            np.int32,
        )
        columns = {
            "esco": esco_map[np.where(esco < 0, len(esco_vocab), esco)],
            "isco4": isco,
            "isco3": np.where(isco < 0, _EMPTY, isco // 10),
            "isco2": np.where(isco < 0, _EMPTY, isco // 100),
            "radius": _floats(travel_radius_km, n, "travel_radius_km", low=0.0, strict_low=True),
            "hours_min": _floats(hours_min, n, "hours_min", 0, MAX_HOURS),
            "hours_max": _floats(hours_max, n, "hours_max", 0, MAX_HOURS),
            "education": _floats(education_level, n, "education_level", 0, 7).astype(np.int8),
            "wants_wl": _bools(wants_work_and_learn, n, False),
            "available": _bools(available, n, True),
            "eligible": _bools(job_agreement_eligible, n, False),
            "work_fit": _bools(work_fit, n, True),
        }
        if np.any(columns["hours_min"] > columns["hours_max"]):
            raise ProfileError("hours_min must not exceed hours_max")
        columns.update(_positions(lat, lon, n))
        indptr, codes, _ = _skill_csr(index, skill_indptr, skill_codes, skill_vocab, n, None)
        index._bulk(ids, columns, indptr, codes, np.ones(codes.size))
        return index

    def _occupation_postings(self, rows: np.ndarray) -> dict:
        slot_rows = np.repeat(rows, SLOTS)
        lat = self._cols["lat_rad"][slot_rows]
        return {
            "esco": _Postings(
                self._cols["esco"][rows].ravel(), slot_rows, len(self._esco_vocab), lat
            ),
            "isco2": _Postings(self._cols["isco2"][rows].ravel(), slot_rows, 100, lat),
        }

    def _max_radius(self, rows: np.ndarray) -> float:
        return float(self._cols["radius"][rows].max()) if rows.size else 0.0

    def _encode_query(self, v: VacancyProfile) -> _Query:
        isco4, isco3, isco2 = isco_codes(v.isco_group)
        weighted = {s: 0.5 for s in v.desired_skills} | {s: 1.0 for s in v.required_skills}
        qvec, keys = _skill_query(self._skill_vocab, weighted)
        tokens = text_tokens(v.text)
        tvec, _ = _skill_query(self._token_vocab, dict.fromkeys(tokens, 1.0))
        lat_rad, lon_rad, cos_lat = _position(v.lat, v.lon)
        return _Query(
            esco=self._esco_vocab.get(v.esco_id, _UNKNOWN),
            isco4=isco4,
            isco3=isco3,
            isco2=isco2,
            skill_vec=qvec,
            skill_keys=keys,
            skill_den=len(v.required_skills) + 0.5 * len(v.desired_skills),
            token_vec=tvec,
            n_tokens=float(len(tokens)),
            lat_rad=lat_rad,
            lon_rad=lon_rad,
            cos_lat=cos_lat,
            hours=float(v.hours),
            education=v.education_level,
            work_and_learn=v.work_and_learn,
            job_agreement=v.job_agreement,
        )

    def _filter_masks(self, rows, q: _Query, f: Filters) -> dict[str, np.ndarray]:
        masks = {}
        if f.available_only:
            masks["available_only"] = self._col("available", rows)
        if f.job_agreement_only:
            masks["job_agreement_only"] = (
                self._col("eligible", rows) if q.job_agreement else np.True_
            )
        if f.min_education:
            masks["min_education"] = self._col("education", rows) >= q.education
        if f.work_fit_only:
            masks["work_fit_only"] = self._col("work_fit", rows)
        return masks

    def _evaluate(self, rows, q: _Query, w: dict, f: Filters) -> _Evaluation:
        c = lambda name: self._col(name, rows)  # noqa: E731
        parts = {
            "occupation": occupation_score(
                c("esco"), c("isco4"), c("isco3"), c("isco2"), q.esco, q.isco4, q.isco3, q.isco2
            )
        }
        size = parts["occupation"].shape[0]
        if q.skill_den > 0:
            numerator = self._skills.row_sums(rows, self._n, q.skill_vec)
            parts["skills"] = skills_score(numerator, q.skill_den)
        else:
            parts["skills"] = np.ones(size)
        radius = c("radius")
        distance = haversine_km(
            c("lat_rad"), c("lon_rad"), c("cos_lat"), q.lat_rad, q.lon_rad, q.cos_lat
        )
        parts["distance"] = distance_score(distance, radius)
        parts["hours"] = hours_score(q.hours, c("hours_min"), c("hours_max"))
        parts["education"] = education_score(c("education"), q.education)
        parts["work_and_learn"] = work_and_learn_score(q.work_and_learn, c("wants_wl"))
        if w["semantic"] > 0:
            shared = self._tokens.row_sums(rows, self._n, q.token_vec)
            parts["semantic"] = semantic_score(shared, c("n_tokens"), q.n_tokens)
        masks = self._filter_masks(rows, q, f)
        if f.within_travel_radius:
            masks = {"within_travel_radius": distance <= radius, **masks}
        return self._finish(rows, w, f, parts, masks, distance)

    def _cheap(self, rows, q: _Query, f: Filters):
        mask = self._col("alive", rows).copy()
        for ok in self._filter_masks(rows, q, f).values():
            mask &= ok
        if f.within_travel_radius:
            mask &= self._band(rows, q, self._col("radius", rows))
        if rows is not None:
            return mask, []
        parts = [
            hours_score(q.hours, self._col("hours_min", rows), self._col("hours_max", rows)),
            education_score(self._col("education", rows), q.education),
            work_and_learn_score(q.work_and_learn, self._col("wants_wl", rows)),
        ]
        return mask, parts

    def _blocks(self, q: _Query, band):
        postings = self._postings
        occupation = postings["esco"].lookup([q.esco], band) + postings["isco2"].lookup(
            [q.isco2], band
        )
        skills = postings["skills"].lookup(q.skill_keys, band) if q.skill_den > 0 else None
        return occupation, skills

    def _maxima(self, q: _Query) -> dict[str, float]:
        return {
            "occupation": 1.0,
            "skills": 1.0,
            "distance": 1.0,
            "hours": 1.0,
            "education": 1.0,
            "work_and_learn": 1.0 if q.work_and_learn else 0.0,
            "semantic": 1.0,
        }

    def explain(
        self,
        vacancy: VacancyProfile,
        candidate_id: int,
        weights: Weights | None = None,
        filters: Filters | None = None,
    ) -> Result:
        """The factors for one vacancy-candidate pair, also when a filter excludes it
        (``excluded_by`` names the filters it fails). KeyError for an unknown id."""
        return self._explain(vacancy, candidate_id, weights, filters)


# ====================================================================== vacancies
_VACANCY_COLUMNS = {
    "esco": (np.int32, (), _EMPTY),
    "isco4": (np.int32, (), _EMPTY),
    "isco3": (np.int32, (), _EMPTY),
    "isco2": (np.int32, (), _EMPTY),
    "lat_rad": (np.float64, (), 0.0),
    "lon_rad": (np.float64, (), 0.0),
    "cos_lat": (np.float64, (), 1.0),
    "hours": (np.float64, (), 0.0),
    "education": (np.int8, (), 0),
    "work_and_learn": (np.bool_, (), False),
    "job_agreement": (np.bool_, (), False),
    "open": (np.bool_, (), True),
    "skill_den": (np.float64, (), 0.0),
    "n_tokens": (np.float64, (), 0.0),
}


class VacancyIndex(_Index):
    """Vacancies, searched for a candidate: ``top(candidate)`` ranks vacancies. The same
    factors and filters as ``CandidateIndex`` with the roles swapped; ``available_only``
    keeps open vacancies, ``work_fit_only`` does not apply."""

    _columns = _VACANCY_COLUMNS
    _candidate_side = False
    _row_type = VacancyProfile
    _query_type = CandidateProfile

    def _upsert(self, v: VacancyProfile) -> None:
        isco4, isco3, isco2 = isco_codes(v.isco_group)
        lat_rad, lon_rad, cos_lat = _position(v.lat, v.lon)
        tokens = text_tokens(v.text)
        values = {
            "esco": self._code(self._esco_vocab, v.esco_id),
            "isco4": isco4,
            "isco3": isco3,
            "isco2": isco2,
            "lat_rad": lat_rad,
            "lon_rad": lon_rad,
            "cos_lat": cos_lat,
            "hours": float(v.hours),
            "education": v.education_level,
            "work_and_learn": v.work_and_learn,
            "job_agreement": v.job_agreement,
            "open": v.open,
            "skill_den": len(v.required_skills) + 0.5 * len(v.desired_skills),
            "n_tokens": float(len(tokens)),
        }
        cols = [self._code(self._skill_vocab, s) for s in (*v.required_skills, *v.desired_skills)]
        vals = [1.0] * len(v.required_skills) + [0.5] * len(v.desired_skills)
        words = [self._code(self._token_vocab, t) for t in tokens]
        self._write(v, values, cols, vals, words)

    @classmethod
    def from_arrays(
        cls,
        ids,
        *,
        esco_codes,
        esco_vocab: Sequence[str],
        isco_groups,
        required_indptr,
        required_codes,
        desired_indptr,
        desired_codes,
        skill_vocab: Sequence[str],
        education_level,
        hours,
        lat,
        lon,
        work_and_learn=None,
        job_agreement=None,
        open=None,
        dirty_limit: int | None = None,
    ) -> VacancyIndex:
        """Bulk constructor from columns; ``esco_codes``/``isco_groups`` are (n,) ints (see
        ``CandidateIndex.from_arrays``), required and desired skills in two CSR pairs."""
        ids = np.asarray(ids, dtype=np.int64)
        n = ids.size
        esco = np.asarray(esco_codes, dtype=np.int64).reshape(n)
        isco = np.asarray(isco_groups, dtype=np.int64).reshape(n)
        if (
            np.any(esco < 0)
            or np.any(esco >= len(esco_vocab))
            or np.any((isco < 0) | (isco > 9999))
        ):
            raise ProfileError(
                "every vacancy needs an ESCO code (index into esco_vocab) and a 4-digit ISCO group"
            )
        index = cls(dirty_limit=dirty_limit)
        esco_map = np.array(
            [index._code(index._esco_vocab, str(e).strip()) for e in esco_vocab], np.int32
        )
        columns = {
            "esco": esco_map[esco],
            "isco4": isco,
            "isco3": isco // 10,
            "isco2": isco // 100,
            "hours": _floats(hours, n, "hours", 0, MAX_HOURS),
            "education": _floats(education_level, n, "education_level", 0, 7).astype(np.int8),
            "work_and_learn": _bools(work_and_learn, n, False),
            "job_agreement": _bools(job_agreement, n, False),
            "open": _bools(open, n, True),
        }
        columns.update(_positions(lat, lon, n))
        indptr, codes, vals = _skill_csr(
            index,
            (required_indptr, desired_indptr),
            (required_codes, desired_codes),
            skill_vocab,
            n,
            (1.0, 0.5),
        )
        row_of_entry = np.repeat(np.arange(n), np.diff(indptr))
        columns["skill_den"] = np.bincount(row_of_entry, weights=vals, minlength=n)
        index._bulk(ids, columns, indptr, codes, vals)
        return index

    def _occupation_postings(self, rows: np.ndarray) -> dict:
        no_skills = rows[self._cols["skill_den"][rows] == 0]
        lat = self._cols["lat_rad"][rows]
        return {
            "esco": _Postings(self._cols["esco"][rows], rows, len(self._esco_vocab), lat),
            "isco2": _Postings(self._cols["isco2"][rows], rows, 100, lat),
            "no_skills": no_skills,
        }

    def _max_radius(self, rows: np.ndarray) -> float:
        return 0.0

    def _query_radius(self, q: _Query) -> float:
        return q.radius

    def _encode_query(self, p: CandidateProfile) -> _Query:
        codes = np.full((4, SLOTS), _EMPTY, np.int32)
        for slot, (esco_id, isco_group) in enumerate(p.occupations):
            codes[0, slot] = self._esco_vocab.get(esco_id, _UNKNOWN)
            codes[1:, slot] = isco_codes(isco_group)
        qvec, keys = _skill_query(self._skill_vocab, dict.fromkeys(p.skills, 1.0))
        tokens = text_tokens(p.text)
        tvec, _ = _skill_query(self._token_vocab, dict.fromkeys(tokens, 1.0))
        lat_rad, lon_rad, cos_lat = _position(p.lat, p.lon)
        return _Query(
            esco=codes[0],
            isco4=codes[1],
            isco3=codes[2],
            isco2=codes[3],
            skill_vec=qvec,
            skill_keys=keys,
            token_vec=tvec,
            n_tokens=float(len(tokens)),
            lat_rad=lat_rad,
            lon_rad=lon_rad,
            cos_lat=cos_lat,
            radius=float(p.travel_radius_km),
            hours_min=float(p.hours_min),
            hours_max=float(p.hours_max),
            education=p.education_level,
            wants=p.wants_work_and_learn,
            eligible=p.job_agreement_eligible,
        )

    def _filter_masks(self, rows, q: _Query, f: Filters) -> dict[str, np.ndarray]:
        masks = {}
        if f.available_only:
            masks["available_only"] = self._col("open", rows)
        if f.job_agreement_only:
            masks["job_agreement_only"] = (
                np.True_ if q.eligible else ~self._col("job_agreement", rows)
            )
        if f.min_education:
            masks["min_education"] = self._col("education", rows) <= q.education
        return masks

    def _evaluate(self, rows, q: _Query, w: dict, f: Filters) -> _Evaluation:
        c = lambda name: self._col(name, rows)  # noqa: E731
        parts = {
            "occupation": occupation_score(
                q.esco,
                q.isco4,
                q.isco3,
                q.isco2,
                c("esco")[:, None],
                c("isco4")[:, None],
                c("isco3")[:, None],
                c("isco2")[:, None],
            )
        }
        numerator = self._skills.row_sums(rows, self._n, q.skill_vec)
        parts["skills"] = skills_score(numerator, c("skill_den"))
        distance = haversine_km(
            c("lat_rad"), c("lon_rad"), c("cos_lat"), q.lat_rad, q.lon_rad, q.cos_lat
        )
        parts["distance"] = distance_score(distance, q.radius)
        parts["hours"] = hours_score(c("hours"), q.hours_min, q.hours_max)
        parts["education"] = education_score(q.education, c("education"))
        parts["work_and_learn"] = work_and_learn_score(c("work_and_learn"), q.wants)
        if w["semantic"] > 0:
            shared = self._tokens.row_sums(rows, self._n, q.token_vec)
            parts["semantic"] = semantic_score(shared, c("n_tokens"), q.n_tokens)
        masks = self._filter_masks(rows, q, f)
        if f.within_travel_radius:
            masks = {"within_travel_radius": distance <= q.radius, **masks}
        return self._finish(rows, w, f, parts, masks, distance)

    def _cheap(self, rows, q: _Query, f: Filters):
        mask = self._col("alive", rows).copy()
        for ok in self._filter_masks(rows, q, f).values():
            mask &= ok
        if f.within_travel_radius:
            mask &= self._band(rows, q, q.radius)
        if rows is not None:
            return mask, []
        parts = [
            hours_score(self._col("hours", rows), q.hours_min, q.hours_max),
            education_score(q.education, self._col("education", rows)),
            work_and_learn_score(self._col("work_and_learn", rows), q.wants),
        ]
        return mask, parts

    def _blocks(self, q: _Query, band):
        postings = self._postings
        occupation = postings["esco"].lookup(q.esco, band) + postings["isco2"].lookup(q.isco2, band)
        skills = postings["skills"].lookup(q.skill_keys, band) + [postings["no_skills"]]
        return occupation, skills

    def _maxima(self, q: _Query) -> dict[str, float]:
        return {
            "occupation": 1.0,
            "skills": 1.0,
            "distance": 1.0,
            "hours": 1.0,
            "education": 1.0,
            "work_and_learn": 1.0 if q.wants else 0.5,
            "semantic": 1.0,
        }

    def explain(
        self,
        candidate: CandidateProfile,
        vacancy_id: int,
        weights: Weights | None = None,
        filters: Filters | None = None,
    ) -> Result:
        """The factors for one candidate-vacancy pair, also when a filter excludes it."""
        return self._explain(candidate, vacancy_id, weights, filters)


# ====================================================================== bulk helpers
def _slots(values, n: int, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.int64)
    if array.ndim == 1:
        array = array[:, None]
    if array.shape[0] != n or array.ndim != 2 or array.shape[1] > SLOTS:
        raise ProfileError(f"{name} must have shape (n, <= {SLOTS})")
    out = np.full((n, SLOTS), _EMPTY, np.int64)
    out[:, : array.shape[1]] = np.where(array < 0, _EMPTY, array)
    return out


def _floats(values, n: int, name: str, low=None, high=None, strict_low=False) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).reshape(n)
    if not np.all(np.isfinite(array)):
        raise ProfileError(f"{name} must be finite")
    if low is not None and (np.any(array <= low) if strict_low else np.any(array < low)):
        raise ProfileError(f"{name} out of range")
    if high is not None and np.any(array > high):
        raise ProfileError(f"{name} out of range")
    return array


def _bools(values, n: int, default: bool) -> np.ndarray:
    if values is None:
        return np.full(n, default, np.bool_)
    return np.asarray(values, dtype=np.bool_).reshape(n)


def _positions(lat, lon, n: int) -> dict[str, np.ndarray]:
    lat = _floats(lat, n, "lat", -90, 90)
    lon = _floats(lon, n, "lon", -180, 180)
    lat_rad, lon_rad, cos_lat = _position(lat, lon)
    return {"lat_rad": lat_rad, "lon_rad": lon_rad, "cos_lat": cos_lat}


def _skill_csr(index: _Index, indptrs, codes, vocab: Sequence[str], n: int, values):
    """Normalise the vocabulary, map codes into the index's vocabulary and drop duplicate
    skills within a row (keeping the highest value: required before desired)."""
    if values is None:
        indptrs, codes, values = (indptrs,), (codes,), (1.0,)
    label_map = np.array(
        [index._code(index._skill_vocab, normalise_label(s)) for s in vocab] or [0], np.int64
    )
    rows, cols, rank = [], [], []
    for i, (indptr, code) in enumerate(zip(indptrs, codes, strict=True)):
        indptr = np.asarray(indptr, dtype=np.int64)
        code = np.asarray(code, dtype=np.int64)
        if (
            indptr.shape != (n + 1,)
            or indptr[0] != 0
            or indptr[-1] != code.size
            or np.any(np.diff(indptr) < 0)
        ):
            raise ProfileError("skill indptr must be a CSR row pointer of length n + 1")
        if code.size and (code.min() < 0 or code.max() >= len(vocab)):
            raise ProfileError("skill codes must index the skill vocabulary")
        rows.append(np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr)))
        cols.append(label_map[code] if code.size else code)
        rank.append(np.full(code.size, i, np.int64))  # 0 = required: wins a duplicate
    rows, cols, rank = np.concatenate(rows), np.concatenate(cols), np.concatenate(rank)
    width = max(1, len(index._skill_vocab))
    key = np.sort((rows * width + cols) * len(values) + rank, kind="stable")
    first = np.ones(key.size, np.bool_)
    pair = key // len(values)
    first[1:] = pair[1:] != pair[:-1]
    key, pair = key[first], pair[first]
    rows, cols = pair // width, pair % width
    vals = np.asarray(values, np.float64)[key % len(values)]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols.astype(np.int32), vals
