"""The public labour-market page (/arbeidsmarkt/) and its CSV export: aggregates only.

Filters live in the URL (shareable): ``period`` ("12m", "2025-03", "2025-Q1", "2025"),
``sector`` (a chain code), ``place`` (a municipality's CBS code) and ``region`` (a region code).
Values that are not understood are ignored with a notice, never an error.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from werkcentrum.config.routers import replica_reads
from werkcentrum.employers.models import Chain
from werkcentrum.frontdoor.views import _region_for
from werkcentrum.regions.models import Municipality, Region

from . import charts, selectors
from . import figures as f
from .occupation_groups import group_label

MAX_PARAM = 20  # longer filter values are never valid
TOP = 10  # bars per ranking chart


@dataclass
class Filters:
    region: Region
    municipalities: list
    period: f.Period
    sector: str
    place: Municipality | None
    notices: list

    def query(self) -> str:
        """The filters as a query string (without the region), for links."""
        q = QueryDict(mutable=True)
        values = {
            "period": self.period.key,
            "sector": self.sector,
            "place": self.place.code if self.place else "",
        }
        for key, value in values.items():
            if value and not (key == "period" and value == f.DEFAULT_PERIOD):
                q[key] = value
        return q.urlencode()


def _param(request, name: str) -> str:
    value = request.GET.get(name, "")
    # NUL: no database stores it (PostgreSQL refuses even to compare with it)
    return value.replace("\x00", "").strip()[:MAX_PARAM] if isinstance(value, str) else ""


def _filters(request) -> Filters:
    notices = []
    code = _param(request, "region")
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        region = _region_for(request)
        if code:
            notices.append(
                _("We do not know that region; showing %(region)s.") % {"region": region.name}
            )
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    today = timezone.localdate()
    raw = _param(request, "period")
    period = f.parse_period(raw, today)
    if period is None:
        notices.append(
            _(
                "We cannot show that period (it is unknown or not complete yet); showing the last 12 months."
            )
        )
        period = f.default_period(today)
    sector = _param(request, "sector")
    if sector and sector not in Chain.values:
        notices.append(_("We do not know that sector; showing all sectors."))
        sector = ""
    place_code = _param(request, "place")
    place = next((m for m in municipalities if m.code == place_code), None)
    if place_code and place is None:
        notices.append(_("We do not know that municipality; showing the whole region."))
    return Filters(region, municipalities, period, sector, place, notices)


def _sector_label(key: str) -> str:
    return str(dict(Chain.choices).get(key) or _("Other occupations"))


@replica_reads
def _data(filters: Filters, lang: str):
    names = {m.pk: m.name for m in filters.municipalities}
    return selectors.labour_market(
        filters.region,
        filters.period,
        sector=filters.sector,
        municipality_id=filters.place.pk if filters.place else None,
        sector_label=_sector_label,
        group_label=lambda key: group_label(key, lang),
        municipality_label=lambda pk: names.get(pk, str(pk)),
    )


# --- presentation -----------------------------------------------------------------------------


def _seekers_text(cell: f.Cell | None, lang: str) -> str:
    if cell is None:
        return ""
    if cell.shown:
        return f.fmt_int(cell.value, lang)
    if cell.hidden == f.SMALL:
        return _("fewer than %(n)s") % {"n": f.MIN_CELL}
    return _("not shown")


def _tension_text(g: f.GroupFigures, lang: str) -> str:
    return _("not shown") if g.tension is None else f.fmt_tension(g.tension, lang)


def _change_text(current: int, previous: int, lang: str) -> str:
    change = f.growth(current, previous)
    if change is None:
        return _("new") if current else "—"
    return f.fmt_percent(change, lang, signed=True)


def _share_text(share: float | None, lang: str) -> str:
    return "—" if share is None else f.fmt_percent(share, lang)


def _row(g: f.GroupFigures, lang: str) -> dict:
    return {
        "key": g.key,
        "label": g.label,
        "new": f.fmt_int(g.new, lang),
        "new_previous": f.fmt_int(g.new_previous, lang),
        "change": _change_text(g.new, g.new_previous, lang),
        "open": f.fmt_int(g.open, lang),
        "open_long": _share_text(g.long_share, lang),
        "job_seekers": _seekers_text(g.job_seekers, lang),
        "job_seekers_hidden": g.job_seekers is not None and not g.job_seekers.shown,
        "tension": _tension_text(g, lang) if g.job_seekers is not None else "",
    }


def _bars_desc(bars: list[charts.Bar]) -> str:
    return "; ".join(f"{b.label}: {b.value_text}" for b in bars) + ("." if bars else "")


def _bar_chart(chart_id, title, bars, empty_text) -> str:
    return mark_safe(  # noqa: S308 - charts.py escapes every text it writes
        charts.bar_chart(
            bars,
            chart_id=chart_id,
            title=title,
            desc=_bars_desc(bars) or empty_text,
            empty_text=empty_text,
        )
    )


def _presentation(filters: Filters, data: selectors.LabourMarket, lang: str) -> dict:
    period = data.period
    no_data = _("No data for this choice.")
    # The time series.
    series_rows = [
        {
            "month": f.month_name(m, lang),
            "new": f.fmt_int(n, lang),
            "chosen": period.contains(m),
        }
        for m, n in data.series
    ]
    highest = max(data.series, key=lambda mn: (mn[1], mn[0]), default=None)
    series_desc = _(
        "New vacancies per month from %(first)s to %(last)s; the months of the chosen period "
        "are dark blue."
    ) % {
        "first": f.month_name(data.series[0][0], lang),
        "last": f.month_name(data.series[-1][0], lang),
    }
    if highest and highest[1]:
        series_desc += " " + _("Most in %(month)s: %(n)s.") % {
            "month": f.month_name(highest[0], lang),
            "n": f.fmt_int(highest[1], lang),
        }
    series_chart = mark_safe(  # noqa: S308 - charts.py escapes every text it writes
        charts.column_chart(
            [
                charts.Column(
                    f.month_short(m, lang),
                    n,
                    f"{f.month_name(m, lang)}: {f.fmt_int(n, lang)}",
                    period.contains(m),
                )
                for m, n in data.series
            ],
            chart_id="lmi-series",
            title=_("New vacancies per month"),
            desc=series_desc,
            legend=(_("Chosen period"), _("Earlier months")),
            empty_text=no_data,
            fmt=lambda x: f.fmt_int(round(x), lang),
        )
    )

    # Sectors, or occupation groups within the chosen sector.
    breakdown = data.groups if filters.sector else data.sectors
    by_new = f.rank(breakdown, lambda g: (g.new, g.open))
    breakdown_bars = [
        charts.Bar(g.label, g.new, f.fmt_int(g.new, lang)) for g in by_new[:TOP] if g.new
    ]
    breakdown_title = (
        _("New vacancies per occupation group") if filters.sector else _("New vacancies per sector")
    )

    hardest = f.hardest_to_fill(data.groups, n=TOP)
    hardest_bars = [charts.Bar(g.label, g.tension, f.fmt_tension(g.tension, lang)) for g in hardest]
    longest = f.open_longest(data.groups, n=TOP)
    longest_bars = [
        charts.Bar(g.label, g.long_share, f.fmt_percent(g.long_share, lang)) for g in longest
    ]
    growing = f.fastest_growing(data.occupations, n=TOP)
    growing_bars = [
        charts.Bar(c.label, c.growth * 100, f.fmt_percent(c.growth, lang, signed=True))
        for c in growing
    ]
    places = f.rank(data.municipalities, lambda g: (g.open, g.new))
    place_bars = [charts.Bar(g.label, g.open, f.fmt_int(g.open, lang)) for g in places if g.open]

    groups_sorted = f.rank(data.groups, lambda g: (g.open, g.new))
    top = by_new[0].label if by_new and by_new[0].new else ""
    facts = f.SummaryFacts(
        place=filters.place.name if filters.place else filters.region.name,
        period=period,
        new=data.new,
        new_previous=data.new_previous,
        open=data.open,
        job_seekers=data.job_seekers,
        sector=_sector_label(filters.sector) if filters.sector else "",
        top=top,
        hardest=[g.label for g in hardest[:3]],
    )
    return {
        "summary": f.summary(facts, lang),
        "series_chart": series_chart,
        "series_rows": series_rows,
        "breakdown_title": breakdown_title,
        "breakdown_chart": _bar_chart("lmi-breakdown", breakdown_title, breakdown_bars, no_data),
        "breakdown_rows": [_row(g, lang) for g in by_new],
        "hardest_chart": _bar_chart(
            "lmi-hardest", _("Open vacancies per job seeker"), hardest_bars, no_data
        ),
        "group_rows": [_row(g, lang) for g in groups_sorted],
        "longest_chart": _bar_chart(
            "lmi-longest",
            _("Share of open vacancies open for more than 3 months"),
            longest_bars,
            no_data,
        ),
        "longest_rows": [_row(g, lang) for g in longest],
        "growing_chart": _bar_chart(
            "lmi-growing",
            _("Fastest-growing occupations"),
            growing_bars,
            _("Too few vacancies per occupation to compare; choose a longer period."),
        ),
        "growing_rows": [
            {
                "label": c.label,
                "current": f.fmt_int(c.current, lang),
                "previous": f.fmt_int(c.previous, lang),
                "change": f.fmt_percent(c.growth, lang, signed=True),
            }
            for c in growing
        ],
        "place_chart": _bar_chart(
            "lmi-places", _("Open vacancies per municipality"), place_bars, no_data
        ),
        "place_rows": [_row(g, lang) for g in places],
        "new": f.fmt_int(data.new, lang),
        "open": f.fmt_int(data.open, lang),
        "job_seekers": _seekers_text(data.job_seekers, lang),
        "job_seekers_hidden": not data.job_seekers.shown,
        "tension": (
            f.fmt_tension(f.tension(data.open, data.job_seekers), lang)
            if f.tension(data.open, data.job_seekers) is not None
            else _("not shown")
        ),
        "change": _change_text(data.new, data.new_previous, lang),
        "period_name": f.period_name(period, lang),
        "period_range": f.period_range(period, lang),
        "previous_range": f.period_range(data.previous, lang),
        "series_range": f"{f.month_name(data.series[0][0], lang)} – "
        f"{f.month_name(data.series[-1][0], lang)}",
        "calculated_at": data.calculated_at,
    }


def _period_choices(lang: str):
    today = timezone.localdate()
    options = f.period_options(today)
    names = {
        f.ROLLING: _("Rolling"),
        f.YEAR: _("Calendar years"),
        f.QUARTER: _("Quarters"),
        f.MONTH: _("Months"),
    }
    return [
        (names[kind], [(p.key, f.period_name(p, lang)) for p in periods])
        for kind, periods in options.items()
    ]


@require_GET
def overview(request):
    lang = "en" if (get_language() or "").startswith("en") else "nl"
    filters = _filters(request)
    data = _data(filters, lang)
    context = {
        "region": filters.region,
        "filters": filters,
        "data": data,
        "period_choices": _period_choices(lang),
        "chains": Chain.choices,
        "municipalities": filters.municipalities,
        "sector": filters.sector,
        "sector_label": _sector_label(filters.sector) if filters.sector else "",
        "place": filters.place,
        "period_key": filters.period.key,
        "query": filters.query(),
        "filtered": bool(filters.sector or filters.place or filters.period.kind != f.ROLLING),
        "min_cell": f.MIN_CELL,
        "min_growth_base": f.MIN_GROWTH_BASE,
        "min_open": f.MIN_OPEN,
        "long_open_days": f.LONG_OPEN_DAYS,
        **_presentation(filters, data, lang),
    }
    return render(request, "labourmarket/overview.html", context)


# --- CSV export -------------------------------------------------------------------------------

CSV_COLUMNS = [
    "region",
    "period_start",
    "period_end",
    "calculated_at",
    "section",
    "key",
    "name",
    "new_vacancies",
    "new_vacancies_previous_period",
    "change_percent",
    "open_vacancies_now",
    "open_more_than_90_days",
    "job_seekers",
    "vacancies_per_job_seeker",
]


def _safe(text: str) -> str:
    """No spreadsheet formulas from labels."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_seekers(cell: f.Cell | None) -> str:
    if cell is None:
        return ""
    if cell.shown:
        return str(cell.value)
    return f"<{f.MIN_CELL}" if cell.hidden == f.SMALL else "hidden"


def _csv_change(current: int, previous: int) -> str:
    change = f.growth(current, previous)
    return "" if change is None else f"{change * 100:.1f}"


@require_GET
def export_csv(request):
    lang = "en" if (get_language() or "").startswith("en") else "nl"
    filters = _filters(request)
    data = _data(filters, lang)
    period = data.period
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    sector = f"-{filters.sector}" if filters.sector else ""
    place = f"-{filters.place.code}" if filters.place else ""
    response["Content-Disposition"] = (
        f'attachment; filename="arbeidsmarkt-{filters.region.code}-{period.key}{sector}{place}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)

    def write(row):  # every row as wide as the header
        writer.writerow(list(row) + [""] * (len(CSV_COLUMNS) - len(row)))

    meta = [
        filters.region.code,
        period.start.isoformat(),
        period.last_day.isoformat(),
        timezone.localtime(data.calculated_at).isoformat(timespec="seconds"),
    ]

    def group_row(section, g: f.GroupFigures):
        t = g.tension
        return [
            *meta,
            section,
            g.key,
            _safe(g.label),
            g.new,
            g.new_previous,
            _csv_change(g.new, g.new_previous),
            g.open,
            g.open_long,
            _csv_seekers(g.job_seekers),
            "" if t is None else f"{t:.2f}",
        ]

    total = f.GroupFigures(
        key=filters.place.code if filters.place else filters.region.code,
        label=filters.place.name if filters.place else filters.region.name,
        new=data.new,
        new_previous=data.new_previous,
        open=data.open,
        open_long=data.open_long,
        job_seekers=data.job_seekers,
    )
    write(group_row("total", total))
    for month, n in data.series:
        write([*meta, "month", month.strftime("%Y-%m"), month.strftime("%Y-%m"), n])
    for g in data.sectors:
        write(group_row("sector", g))
    for g in data.groups:
        write(group_row("occupation_group", g))
    codes = {str(m.pk): m.code for m in filters.municipalities}
    for g in sorted(data.municipalities, key=lambda g: g.label):
        write(group_row("municipality", replace(g, key=codes.get(g.key, g.key))))
    for c in sorted(data.occupations, key=lambda c: (c.label, c.key)):
        write(
            [
                *meta,
                "occupation",
                c.key,
                _safe(c.label),
                c.current,
                c.previous,
                _csv_change(c.current, c.previous),
            ]
        )
    return response
