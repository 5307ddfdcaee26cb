"""Reads for the labour-market page: aggregates only, in a constant number of queries.

``labour_market()`` runs four queries whatever the amount of data (the monthly series, one
aggregate per ESCO occupation, one per municipality, and the job seekers grouped by their list of
desired occupations); grouping into sectors and occupation groups, growth, tension, ranking and
suppression happen in the pure ``figures`` module. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.occupations.chains import CHAIN_ISCO, chain_of_isco
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from . import figures as f
from .figures import Cell, Change, GroupFigures, OccupationRow, Period
from .occupation_groups import group_of


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def sector_q(chain: str, prefix: str = "") -> Q:
    """Vacancies whose ISCO group belongs to ``chain`` (the same rule as ``chain_of_isco``)."""
    listed, prefixes, others = f.sector_membership(chain)
    q = Q(**{f"{prefix}isco_group__in": sorted(listed)})
    fallback = Q()
    for p in sorted(prefixes):
        fallback |= Q(**{f"{prefix}isco_group__startswith": p})
    if prefixes:
        q |= fallback & ~Q(**{f"{prefix}isco_group__in": sorted(others | listed)})
    return q


@dataclass
class LabourMarket:
    """Everything the page shows, for one region, period and filter."""

    period: Period
    previous: Period
    calculated_at: datetime
    series: list[tuple[date, int]]  # new vacancies per month (SERIES_MONTHS months)
    new: int
    new_previous: int
    open: int
    open_long: int
    job_seekers: Cell  # available job seekers with consent (within the sector filter)
    sectors: list[GroupFigures]  # key = chain code, label filled in by the view
    groups: list[GroupFigures]  # key = ISCO sub-major group
    municipalities: list[GroupFigures]  # key = municipality id (str)
    occupations: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.new_previous or self.open or any(c for _, c in self.series))


def _vacancies(region, sector: str, municipality_id: int | None):
    qs = Vacancy.objects.filter(region=region)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if sector:
        qs = qs.filter(sector_q(sector))
    return qs.order_by()


def _job_seekers(region, municipality_id: int | None):
    """Available job seekers with consent (the rule lives in ``with_consent``)."""
    qs = CandidateProfile.objects.with_consent().filter(region=region, available=True)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.order_by()


def _sector_case(isco: str) -> tuple[str, list]:
    """SQL equal to ``chain_of_isco``: listed unit groups first, then two-digit prefixes."""
    whens, params = [], []
    for chain, groups in CHAIN_ISCO.items():
        whens.append(f"WHEN {isco} IN ({', '.join(['%s'] * len(groups))}) THEN %s")
        params += [*groups, chain]
    prefixes: dict[str, str] = {}
    for groups in CHAIN_ISCO.values():
        for g in groups:
            prefixes.setdefault(g[:2], chain_of_isco(g[:2]))
    for prefix, chain in sorted(prefixes.items()):
        whens.append(f"WHEN SUBSTR({isco}, 1, 2) = %s THEN %s")
        params += [prefix, chain]
    return f"(CASE {' '.join(whens)} ELSE '' END)", params


def job_seeker_counts(region, municipality_id: int | None = None, sector: str | None = None):
    """``figures.count_job_seekers`` computed by the database: one query, aggregates only.

    The desired occupations are a JSON list per job seeker, so the list is unnested with the
    database's own JSON function (json_each on SQLite, jsonb_array_elements on PostgreSQL);
    other databases get the lists grouped by value and counted by the pure function."""
    qs = _job_seekers(region, municipality_id)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):  # pragma: no cover - the two supported databases
        rows = qs.values_list("occupations").annotate(n=Count("id"))
        return f.count_job_seekers(rows, sector)
    qn = connection.ops.quote_name
    table = qn(CandidateProfile._meta.db_table)
    column = "c." + qn(CandidateProfile._meta.get_field("occupations").column)
    ids_sql, ids_params = qs.values("id").query.sql_with_params()
    if vendor == "postgresql":
        items = (
            "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof("
            f"{column}) = 'array' THEN {column} ELSE '[]'::jsonb END) AS j(value)"
        )
        isco = "(CASE WHEN jsonb_typeof(j.value) = 'object' THEN j.value ->> 'isco_group' END)"
        two_digits = "o.isco ~ '^[0-9][0-9]'"
    else:
        items = f", json_each({column}) AS j"
        isco = "(CASE WHEN j.type = 'object' THEN CAST(json_extract(j.value, '$.isco_group') AS TEXT) END)"
        two_digits = "o.isco GLOB '[0-9][0-9]*'"
    sector_sql, sector_params = _sector_case("x.isco")
    within = "WHERE o.sector = %s" if sector is not None else ""
    within_params = [sector] if sector is not None else []
    # Only constant SQL, quoted names and the ORM's own SQL are put together here; every value
    # is a parameter.
    sql = (
        f"WITH x AS (SELECT c.id AS id, {isco} AS isco FROM {table} c {items} "  # noqa: S608
        f"WHERE c.id IN ({ids_sql})), "
        f"o AS (SELECT x.id AS id, x.isco AS isco, {sector_sql} AS sector FROM x "
        "WHERE x.isco IS NOT NULL AND x.isco <> '') "
        f"SELECT 'group', CASE WHEN {two_digits} THEN SUBSTR(o.isco, 1, 2) ELSE '' END, "
        f"COUNT(DISTINCT o.id) FROM o {within} GROUP BY 2 "
        f"UNION ALL SELECT 'sector', o.sector, COUNT(DISTINCT o.id) FROM o {within} GROUP BY 2 "
    )
    params = [*ids_params, *sector_params, *within_params, *within_params]
    if sector is not None:
        sql += f"UNION ALL SELECT 'total', '', COUNT(DISTINCT o.id) FROM o {within}"  # noqa: S608
        params += within_params
    else:
        sql += f"UNION ALL SELECT 'total', '', COUNT(*) FROM ({ids_sql}) t"  # noqa: S608
        params += list(ids_params)
    counts = f.JobSeekerCounts()
    # PostgreSQL's planner assumes 100 items per list (there are a few), overestimates the cost
    # and would spend about half a second compiling this query (JIT): not for this one.
    postgres = vendor == "postgresql"
    with (
        transaction.atomic(using=connection.alias) if postgres else nullcontext(),
        connection.cursor() as cursor,
    ):
        if postgres:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        for kind, key, n in cursor.fetchall():
            if kind == "total":
                counts.total = n
            elif n:
                (counts.by_group if kind == "group" else counts.by_sector)[key or ""] += n
    return counts


def labour_market(
    region,
    period: Period,
    *,
    sector: str = "",
    municipality_id: int | None = None,
    now: datetime | None = None,
    sector_label=str,
    group_label=str,
    municipality_label=None,
) -> LabourMarket:
    """The figures for ``region`` in ``period``, optionally for one sector (a chain code) and one
    municipality (place of work for vacancies, place of residence for job seekers)."""
    now = now or timezone.now()
    previous = period.previous()
    months = period.series_months()
    start, end = _aware(period.start), _aware(period.end)
    prev_start = _aware(previous.start)
    long_ago = now - timedelta(days=f.LONG_OPEN_DAYS)
    vacancies = _vacancies(region, sector, municipality_id)
    is_open = Q(status=VacancyStatus.OPEN)
    in_period = Q(created_at__gte=start, created_at__lt=end)
    in_previous = Q(created_at__gte=prev_start, created_at__lt=start)

    # 1. New vacancies per month.
    tz = timezone.get_current_timezone()
    per_month = {}
    for month, n in (
        vacancies.filter(created_at__gte=_aware(months[0]), created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        if month is not None:
            local = timezone.localtime(month, tz) if timezone.is_aware(month) else month
            per_month[date(local.year, local.month, 1)] = n
    series = [(m, per_month.get(m, 0)) for m in months]

    # 2. Per ESCO occupation: new now and before, open now, open for long.
    rows = [
        OccupationRow(esco_id or "", isco or "", label or "", new, new_prev, open_, open_long)
        for esco_id, isco, label, new, new_prev, open_, open_long in vacancies.filter(
            is_open | Q(created_at__gte=prev_start, created_at__lt=end)
        )
        .values_list("esco_id", "isco_group")
        .annotate(
            label=Max("occupation_label"),
            new=Count("id", filter=in_period),
            new_prev=Count("id", filter=in_previous),
            open=Count("id", filter=is_open),
            open_long=Count("id", filter=is_open & Q(created_at__lt=long_ago)),
        )
    ]

    # 3. Per municipality (place of work): new in the period and before, open now.
    municipality_rows = (
        vacancies.filter(is_open | Q(created_at__gte=prev_start, created_at__lt=end))
        .values_list("municipality_id")
        .annotate(
            new=Count("id", filter=in_period),
            new_prev=Count("id", filter=in_previous),
            open=Count("id", filter=is_open),
            open_long=Count("id", filter=is_open & Q(created_at__lt=long_ago)),
        )
    )

    # 4. Job seekers, as aggregates (within the chosen sector, if any).
    seekers = job_seeker_counts(region, municipality_id, sector or None)

    by_sector = f.sum_by(rows, lambda r: f.sector_of(r.isco_group))
    by_group = f.sum_by(rows, lambda r: group_of(r.isco_group))
    sector_keys = {sector} if sector else set(by_sector) | set(seekers.by_sector)
    group_keys = set(by_group) | set(seekers.by_group)
    sector_cells = f.protect({k: seekers.by_sector.get(k, 0) for k in sector_keys})
    group_cells = f.protect({k: seekers.by_group.get(k, 0) for k in group_keys})

    def figures_for(keys, totals, cells, label):
        return [
            GroupFigures(
                key=key,
                label=label(key),
                new=totals.get(key, (0, 0, 0, 0))[0],
                new_previous=totals.get(key, (0, 0, 0, 0))[1],
                open=totals.get(key, (0, 0, 0, 0))[2],
                open_long=totals.get(key, (0, 0, 0, 0))[3],
                job_seekers=cells[key],
            )
            for key in sorted(keys)
        ]

    municipalities = [
        GroupFigures(
            key=str(mid),
            label=municipality_label(mid) if municipality_label else str(mid),
            new=n,
            new_previous=p,
            open=o,
            open_long=lo,
        )
        for mid, n, p, o, lo in municipality_rows
    ]
    occupations = [
        Change(key=r.esco_id, label=r.label, current=r.new, previous=r.new_previous)
        for r in rows
        if r.esco_id
    ]
    totals = [sum(r.new for r in rows), sum(r.new_previous for r in rows)]
    return LabourMarket(
        period=period,
        previous=previous,
        calculated_at=now,
        series=series,
        new=totals[0],
        new_previous=totals[1],
        open=sum(r.open for r in rows),
        open_long=sum(r.open_long for r in rows),
        job_seekers=f.protect_count(seekers.total),
        sectors=figures_for(sector_keys, by_sector, sector_cells, sector_label),
        groups=figures_for(group_keys, by_group, group_cells, group_label),
        municipalities=municipalities,
        occupations=occupations,
    )
