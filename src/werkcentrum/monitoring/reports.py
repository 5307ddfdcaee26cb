"""The quarterly progress report and the annual report (DOMAIN.md §9-11).

One content model — a report is a cover, then sections of blocks (paragraphs, facts, tables,
bar charts) — built from the same ``overview`` the dashboard shows, plus the budget; two
renderers: PDF (fpdf2, ``core/pdf.py``) and a standalone HTML page. Aggregates only: every count
went through the small-cell suppression; totals are always computed from their rows.

    report = build(region, "quarterly", 2026, 3)     # or build(region, "annual", 2026)
    render_pdf(report) -> bytes;  render_html(report) -> str

The quarterly report shows the quarter's figures, and placements against the targets up to the
end of the quarter (year to date); the annual report shows the whole year. A constant number of
queries, whatever the amount of data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from werkcentrum.config.routers import reading_from_replica

from . import figures, overview
from .figures import Cell, Period
from .indicators import Filters

QUARTERLY, ANNUAL = "quarterly", "annual"
KINDS = (QUARTERLY, ANNUAL)


class ReportError(ValueError):
    """A report that cannot be made (unknown kind, quarter out of range...): a clear message."""


# -- content model ----------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Facts:
    pairs: list[tuple[str, str]]
    kind: str = "facts"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    widths: list[float] | None = None
    total: bool = False  # the last row is a (computed) total
    kind: str = "table"

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold figures (right-aligned): all but the first."""
        return [i > 0 for i in range(len(self.header))]


@dataclass
class Bars:
    title: str
    bars: list[tuple[str, float, str]]  # label, value, text
    reference: float | None = None  # e.g. 100 (% of target): a dashed line
    kind: str = "bars"


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)


@dataclass
class Report:
    kind: str
    region_name: str
    region_code: str
    year: int
    quarter: int | None
    period: Period
    title: str
    subtitle: str
    generated_at: datetime
    cover: list[tuple[str, str]]
    sections: list[Section]
    lang: str = "nl"

    @property
    def filename(self) -> str:
        base = f"werkcentrum-{self.region_code}-{self.year}"
        return f"{base}-q{self.quarter}" if self.quarter else f"{base}-jaarverslag"


# -- formatting -------------------------------------------------------------------------------


def number(value) -> str:
    if value is None:
        return "–"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def euro(value) -> str:
    return "–" if value is None else f"€ {number(value)}"


def cell(c: Cell, unit: str = "") -> str:
    if c.shown:
        return f"{number(c.value)}{unit}"
    if c.small:
        return f"<{figures.MIN_CELL}"
    if c.reason == "not_measured":
        return _("not measured")
    return "x"


def percent(value) -> str:
    return "–" if value is None else f"{value}%"


def on_track(real) -> str:
    if real is None or real.on_track is None:
        return "–"
    return _("on track") if real.on_track else _("behind")


# -- building ---------------------------------------------------------------------------------


def period_for(kind: str, year: int, quarter: int | None) -> Period:
    if kind not in KINDS:
        raise ReportError(_("Unknown report; choose quarterly or annual."))
    if not 2000 <= year <= 2100:
        raise ReportError(_("The year must lie between 2000 and 2100."))
    if kind == QUARTERLY:
        if quarter not in (1, 2, 3, 4):
            raise ReportError(_("The quarter must be 1, 2, 3 or 4."))
        return figures.quarter_period(year, quarter)
    return figures.year_period(year)


def build(
    region,
    kind: str,
    year: int,
    quarter: int | None = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
    lang: str = "nl",
    progress: Callable[[int, str], None] | None = None,
) -> Report:
    """The report's content, computed from live data in ``lang`` (Dutch by default)."""
    from werkcentrum.regions.models import Municipality, Subregion

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = period_for(kind, year, quarter)
    step = progress or (lambda percent, text: None)
    with translation.override(lang), reading_from_replica():
        step(5, _("Reading the region"))
        municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
        subregions = list(Subregion.objects.filter(region=region).order_by("name"))

        def make(p: Period) -> overview.Overview:
            return overview.build(
                Filters(region=region, period=p),
                municipalities=municipalities,
                subregions=subregions,
                today=today,
                now=now,
            )

        step(15, _("Counting contacts, handovers and placements"))
        main = make(period)
        if kind == QUARTERLY:
            step(45, _("Placements up to the end of the quarter"))
            to_date = make(figures.custom_period(date(year, 1, 1), period.last_day))
        else:
            to_date = main
        step(70, _("Budget"))
        budget = _budget_section(region, year, quarter)
        step(85, _("Writing the report"))
        if kind == QUARTERLY:
            title = _("Quarterly report Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
            subtitle = _("Progress report for the regional council, Werkcentrum %(region)s") % {
                "region": region.name
            }
            scope = _("up to the end of Q%(quarter)s") % {"quarter": quarter}
        else:
            title = _("Annual report %(year)s") % {"year": year}
            subtitle = _("Annual report and evaluation, Werkcentrum %(region)s") % {
                "region": region.name
            }
            scope = _("in %(year)s") % {"year": year}
        sections = [
            _summary(main, to_date, budget, scope),
            _placements(to_date, scope),
            _reach(main),
            _partners(main),
            _services(main),
            budget.section,
            _notes(to_date, now),
        ]
        report = Report(
            kind=kind,
            region_name=region.name,
            region_code=region.code,
            year=year,
            quarter=quarter,
            period=period,
            title=title,
            subtitle=subtitle,
            generated_at=now,
            cover=[
                (_("Region"), region.name),
                (
                    _("Period"),
                    _("%(start)s up to and including %(end)s")
                    % {
                        "start": formats.date_format(period.start, "j F Y"),
                        "end": formats.date_format(period.last_day, "j F Y"),
                    },
                ),
                (
                    _("Generated"),
                    formats.date_format(timezone.localtime(now), "j F Y, H:i"),
                ),
                (_("Targets"), _target_version(to_date)),
                (
                    _("Privacy"),
                    _(
                        "Aggregates only. Counts of fewer than %(n)s people are not shown, "
                        "nor any figure from which they could be worked out."
                    )
                    % {"n": figures.MIN_CELL},
                ),
            ],
            sections=sections,
            lang=lang,
        )
        if period.start > today:
            report.sections[0].blocks.insert(
                0, Paragraph(_("This period has not started yet: there are no figures yet."))
            )
        elif period.end > today:
            report.sections[0].blocks.insert(
                0,
                Paragraph(
                    _("This period is not over yet: the figures are up to %(date)s.")
                    % {"date": formats.date_format(today, "j F Y")}
                ),
            )
    step(90, _("Report ready"))
    return report


def _target_version(ov: overview.Overview) -> str:
    ts = ov.target_set
    if ts is None:
        return _("No targets have been set for this year.")
    return _("%(year)s, version %(version)s") % {"year": ts.year, "version": ts.version}


def _headline_table(ov: overview.Overview) -> Table:
    rows = []
    for h in ov.headline:
        real = h.realisation
        target = real.target if real is not None and real.target is not None else h.target
        rows.append(
            [
                h.label,
                cell(h.cell, h.unit if h.cell.shown else ""),
                "–" if target is None else f"{number(target)}{h.unit}",
                percent(real.percent if real else None),
                on_track(real),
            ]
        )
    return Table(
        [_("Indicator"), _("Realised"), _("Target"), _("Of target"), _("Status")],
        rows,
        widths=[3, 1.2, 1.2, 1.1, 1.1],
    )


def _summary(main, to_date, budget, scope: str) -> Section:
    blocks: list = []
    sentences = []
    sentences.append(
        _("The Werkcentrum registered %(n)s contacts in this period.")
        % {"n": cell(main.reach_total)}
    )
    regime = to_date.regime
    yearly_target = regime.target_total
    if yearly_target:
        realised = regime.realised_total
        real = figures.realisation(realised.value, yearly_target, to_date.period, main.today)
        sentence = _(
            "Placements %(scope)s: %(realised)s against a target of %(target)s "
            "(yearly target %(yearly)s)."
        ) % {
            "scope": scope,
            "realised": cell(realised),
            "target": number(real.target),
            "yearly": number(yearly_target),
        }
        if real.percent is not None:
            sentence += " " + (
                _("That is %(percent)s percent of the target: on track.")
                if real.on_track
                else _("That is %(percent)s percent of the target: behind.")
            ) % {"percent": real.percent}
        sentences.append(sentence)
    else:
        sentences.append(_("No placement targets have been set for this year."))
    in_time = next(h for h in main.headline if h.code == "handovers_in_time_pct").cell
    if in_time.shown:
        sentences.append(
            _("Partners decided on %(percent)s percent of the handovers within the pick-up time.")
            % {"percent": in_time.value}
        )
    backlog = main.backlog.total
    if backlog.shown:
        sentences.append(
            _(
                "%(n)s matters wait for a coordinator now (overdue or returned handovers, questions nobody picked up)."
            )
            % {"n": number(backlog.value)}
        )
    sentences += budget.summary
    blocks.append(Paragraph(" ".join(sentences)))
    blocks.append(_headline_table(main))
    return Section(_("Summary"), blocks)


def _target_rows(rows, with_group: bool = False) -> list[list[str]]:
    out = []
    for r in rows:
        real = r.realisation
        target = real.target if real is not None and real.target is not None else r.target
        line = [
            r.label,
            "–" if r.target is None else number(r.target),
            "–" if target is None else number(target),
            cell(r.cell),
            percent(real.percent if real else None),
            on_track(real),
        ]
        if with_group:
            line.insert(1, r.group)
        out.append(line)
    return out


def _placements(ov, scope: str) -> Section:
    header = [
        _("Regime"),
        _("Yearly target"),
        _("Target %(scope)s") % {"scope": scope},
        _("Realised"),
        _("Of target"),
        _("Status"),
    ]
    regime_rows = _target_rows(ov.regime.rows)
    regime_rows.append(
        [
            _("Total"),
            number(ov.regime.target_total),
            "",
            cell(ov.regime.realised_total),
            "",
            "",
        ]
    )
    blocks: list = [
        Paragraph(
            _(
                "Placements in work %(scope)s per benefit regime, against the targets of the "
                "implementation plan. A target for part of the year is the yearly target pro "
                "rata; 'on track' compares with what should have been reached by now."
            )
            % {"scope": scope}
        ),
        Table(
            header, regime_rows, _("Per benefit regime"), [2.2, 1, 1.2, 1.2, 1.1, 0.9], total=True
        ),
        Bars(
            _("Share of the target reached per regime"),
            [
                (r.label, r.realisation.percent, f"{r.realisation.percent}%")
                for r in ov.regime.rows
                if r.realisation is not None and r.realisation.percent is not None
            ],
            reference=100,
        ),
    ]
    sub_header = [_("Subregion"), *header[1:]]
    sub_rows = _target_rows(ov.subregional.rows)
    sub_rows.append(
        [
            _("Total"),
            number(ov.subregional.target_total),
            "",
            cell(ov.subregional.realised_total),
            "",
            "",
        ]
    )
    blocks += [
        Paragraph(
            _(
                "Social-assistance placements (Participation Act) per subregion and "
                "municipality, by the municipality that pays the benefit."
            )
        ),
        Table(sub_header, sub_rows, _("Per subregion"), [2.2, 1, 1.2, 1.2, 1.1, 0.9], total=True),
        Bars(
            _("Share of the target reached per subregion"),
            [
                (r.label, r.realisation.percent, f"{r.realisation.percent}%")
                for r in ov.subregional.rows
                if r.realisation is not None and r.realisation.percent is not None
            ],
            reference=100,
        ),
    ]
    mun_header = [_("Municipality"), _("Subregion"), *header[1:]]
    mun_rows = _target_rows(ov.municipal.rows, with_group=True)
    blocks.append(
        Table(mun_header, mun_rows, _("Per municipality"), [1.7, 1.7, 0.9, 1.1, 1.2, 1.1, 0.9])
    )
    notes = [r for r in ov.municipal.rows if r.note]
    if notes:
        blocks.append(Paragraph(" ".join(sorted({r.note for r in notes}))))
    quarter_rows = [
        [
            q.label,
            "–"
            if q.realisation is None or q.realisation.target is None
            else number(q.realisation.target),
            cell(q.cell),
            percent(q.realisation.percent if q.realisation else None),
        ]
        for q in ov.quarters
    ]
    blocks += [
        Table(
            [_("Quarter"), _("Target"), _("Realised"), _("Of target")],
            quarter_rows,
            _("All placements per quarter"),
            [2, 1, 1, 1],
        ),
        Bars(
            _("Placements per quarter"),
            [(q.short, q.cell.value, number(q.cell.value)) for q in ov.quarters if q.cell.shown],
        ),
    ]
    source_rows = [[r.label, cell(r.cell), percent(r.percent)] for r in ov.sources.rows]
    source_rows.append([_("Total"), cell(ov.sources.total), ""])
    blocks.append(
        Table(
            [_("Source"), _("Placements"), _("Share")],
            source_rows,
            _("By source"),
            [3, 1, 1],
            total=True,
        )
    )
    return Section(_("Placements against target"), blocks)


def _list(table, label: str, caption: str = "") -> Table:
    rows = [[r.label, cell(r.cell), percent(r.percent)] for r in table.rows]
    rows.append([_("Total"), cell(table.total), ""])
    return Table([label, _("Number"), _("Share")], rows, caption, [3, 1, 1], total=True)


def _reach(ov) -> Section:
    blocks: list = [
        Paragraph(
            _("Contacts registered in the period (questions on every channel): %(n)s.")
            % {"n": cell(ov.reach_total)}
        ),
        Bars(
            _("Contacts by channel"),
            [
                (r.label, r.cell.value, number(r.cell.value))
                for r in ov.reach_tables[0][2].rows
                if r.cell.shown
            ],
        ),
    ]
    for _key, caption, table in ov.reach_tables:
        blocks.append(_list(table, caption, caption))
    return Section(_("Reach"), blocks)


def _partners(ov) -> Section:
    header = [
        _("Partner"),
        _("Received"),
        _("Accepted"),
        _("Returned"),
        _("Withdrawn"),
        _("Waiting"),
        _("Within pick-up time"),
        _("Median (working days)"),
        _("Overdue now"),
    ]
    rows = [
        [
            r.name,
            cell(r.received),
            *[cell(c) for c in r.cells],
            cell(r.in_time, "%") if r.in_time.shown else "–",
            "–" if r.median is None else formats.number_format(r.median, 1, use_l10n=True),
            cell(r.overdue),
        ]
        for r in ov.partner_rows
    ]
    t = ov.handover_totals
    if t is not None:
        rows.append(
            [
                _("Total"),
                cell(t.grand),
                *[cell(c) for c in t.col_totals],
                "",
                "",
                cell(ov.overdue_total),
            ]
        )
    blocks: list = [
        Paragraph(
            _(
                "Each partner's contribution: the warm handovers it received in the period and "
                "what became of them; the pick-up time runs from the handover to accepting or "
                "returning it, in working days. Overdue: waiting past the pick-up time now."
            )
        )
    ]
    if rows:
        blocks.append(
            Table(
                header,
                rows,
                _("Handovers per partner"),
                [3, 1, 1.15, 1.3, 1.05, 0.95, 1.1, 1.1, 0.9],
                total=t is not None,
            )
        )
    else:
        blocks.append(Paragraph(_("No handovers in this period.")))
    blocks.append(_list(ov.backlog, _("Waiting now"), _("Escalation backlog")))
    return Section(_("Partners and handovers"), blocks)


def _services(ov) -> Section:
    cells = ov.fund_cells
    blocks: list = [
        _list(ov.outcomes, _("Outcome"), _("Career-advice trajectories closed, by outcome")),
        Facts(
            [
                (_("LLO conversations held"), cell(cells["llo_total"])),
                (
                    _("Led to an application"),
                    cell(cells["llo_applied"], "%") if cells["llo_applied"].shown else "–",
                ),
                (_("Voucher applications submitted"), cell(cells["submitted"])),
                (_("Vouchers granted"), cell(cells["granted"])),
                (_("Applications rejected"), cell(cells["rejected"])),
                (_("Amount granted"), euro(ov.amount_granted)),
            ]
        ),
        _list(ov.llo_outcomes, _("Outcome"), _("LLO conversations by outcome")),
        Facts(
            [
                (_("Employer NPS"), cell(ov.nps_cell)),
                (_("Answers"), number(ov.nps["responses"])),
                (_("Appointments in the period"), cell(ov.appointments_total)),
                (
                    _("Appointments kept (not cancelled)"),
                    cell(ov.appointments_kept, "%") if ov.appointments_kept.shown else "–",
                ),
            ]
        ),
    ]
    return Section(_("Trajectories, training fund, employers and appointments"), blocks)


@dataclass
class _Budget:
    section: Section
    summary: list[str]


def _budget_section(region, year: int, quarter: int | None) -> _Budget:
    from werkcentrum.budget import presentation as budget_text
    from werkcentrum.budget import selectors as budgets

    title = _("Budget status")
    budget = budgets.primary_budget(region)
    if budget is None:
        text = _("No budget has been recorded for this region.")
        return _Budget(Section(title, [Paragraph(text)]), [])
    data = budgets.figures(budget)
    if year not in data.years:
        text = _("The budget (%(name)s) has no figures for %(year)s.") % {
            "name": budget.title,
            "year": year,
        }
        return _Budget(Section(title, [Paragraph(text)]), [])
    s = data.summaries[year]
    quarters = list(range(1, (quarter or 4) + 1))
    blocks: list = [
        Paragraph(
            _("%(name)s, version %(version)s. Amounts in whole euros.")
            % {"name": budget.title, "version": budget.version}
        ),
        Facts(
            [
                (_("Income"), euro(s.income)),
                (_("Costs"), euro(s.costs)),
                (_("Gap (income minus costs)"), euro(s.gap)),
                (_("Impulse budget"), euro(s.impulse_budget)),
                (_("One-off investments"), euro(s.one_off_investment)),
                (_("Investment room"), euro(s.investment_room)),
            ]
        ),
    ]
    comparison = budgets.comparison(data, year)
    rows = []
    sums = {"budget": 0, "realised": 0}
    for item in comparison:
        if not item.row.budget and not item.row.realised:
            continue
        realised = sum(item.row.quarters[q] or 0 for q in quarters)
        entered = sum(1 for q in quarters if item.row.quarters[q] is not None)
        rows.append(
            [
                item.line.label,
                number(item.row.budget),
                number(realised) if entered else "–",
                percent(round(100 * realised / item.row.budget))
                if entered and item.row.budget
                else "–",
            ]
        )
        if item.line.section == "cost":
            sums["budget"] += item.row.budget
            sums["realised"] += realised
    scope = (
        _("realised Q1–Q%(quarter)s") % {"quarter": quarter}
        if quarter
        else _("realised in the year")
    )
    if rows:
        blocks.append(
            Table(
                [_("Line"), _("Budget %(year)s") % {"year": year}, scope.capitalize(), _("Share")],
                rows,
                _("Budget against realisation per line"),
                [3, 1.1, 1.1, 0.8],
            )
        )
    warnings = [w for w in data.warnings if w.year == year]
    for w in warnings:
        blocks.append(Paragraph("⚠ " + budget_text.warning_text(w, fmt=number)))
    summary = [
        _("Budget %(year)s: gap %(gap)s, investment room %(room)s.")
        % {"year": year, "gap": euro(s.gap), "room": euro(s.investment_room)}
    ]
    if sums["budget"]:
        summary.append(
            _("Costs realised %(scope)s: %(realised)s of %(budget)s budgeted.")
            % {"scope": scope, "realised": euro(sums["realised"]), "budget": euro(sums["budget"])}
        )
    if warnings:
        summary.append(
            _("The budget has %(n)s warning(s) for this year; see the budget status.")
            % {"n": len(warnings)}
        )
    return _Budget(Section(title, blocks), summary)


def _notes(ov, now) -> Section:
    notes = [
        _(
            "Source: the Werkcentrum's own records at the moment the report was generated. "
            "Figures can still change when records are completed later."
        ),
        _(
            "<%(n)s: fewer than %(n)s people, not shown. x: not shown so that a small count "
            "cannot be worked out from the totals. Percentages are left out when they rest on "
            "small numbers."
        )
        % {"n": figures.MIN_CELL},
        _(
            "Totals are always computed from the rows shown with them; a hidden row still "
            "counts in its total."
        ),
        _("EURES placements are counted under WW: placements do not record EURES separately."),
        _(
            "Placements record no partner, so a partner's contribution is shown through the "
            "handovers it received."
        ),
        _(
            "The platform records no attendance: an appointment counts as kept when it was "
            "not cancelled."
        ),
    ]
    table = ov.regime
    if table.printed_differs:
        notes.append(
            _(
                "The implementation plan prints a total of %(printed)s placements; the sum of "
                "its rows is %(computed)s. This report uses the computed total."
            )
            % {"printed": number(table.printed_total), "computed": number(table.target_total)}
        )
    return Section(_("Notes"), [Paragraph(n) for n in notes])


# -- rendering --------------------------------------------------------------------------------


def render_html(report: Report) -> str:
    """A standalone HTML page (own styles, inline SVG charts): opens in any browser, prints."""
    from werkcentrum.labourmarket import charts

    with translation.override(report.lang):
        sections = []
        for i, section in enumerate(report.sections):
            blocks = []
            for j, block in enumerate(section.blocks):
                item = {"block": block, "svg": ""}
                if isinstance(block, Bars):
                    item["svg"] = charts.bar_chart(
                        [charts.Bar(label, value, text) for label, value, text in block.bars],
                        chart_id=f"chart-{i}-{j}",
                        title=block.title,
                        desc=_("The figures are in the table next to this chart."),
                        empty_text=_("No figures to show."),
                    )
                blocks.append(item)
            sections.append({"title": section.title, "blocks": blocks, "number": i + 1})
        return render_to_string(
            "monitoring/report.html",
            {"report": report, "sections": sections, "lang": report.lang},
        )


def render_pdf(report: Report) -> bytes:
    from werkcentrum.core.pdf import Document

    with translation.override(report.lang):
        footer = f"{report.title} · Werkcentrum {report.region_name}"
        doc = Document(
            title=report.title,
            subject=report.subtitle,
            footer=footer,
            lang=report.lang,
            cover=report.cover,
        )
        landscape = False
        for number_, section in enumerate(report.sections, start=1):
            wide = _is_wide(section)  # a table too wide for portrait: a landscape page
            if number_ > 1 and (wide or landscape or _starts_on_new_page(section)):
                doc.add_page(orientation="L" if wide else "P")
            landscape = wide
            doc.heading(f"{number_}. {section.title}")
            for block in section.blocks:
                _pdf_block(doc, block)
        return doc.render()


def _is_wide(section: Section) -> bool:
    return any(isinstance(b, Table) and len(b.header) >= 8 for b in section.blocks)


def _starts_on_new_page(section: Section) -> bool:
    return any(isinstance(b, (Table, Bars)) for b in section.blocks)


def _pdf_block(doc, block) -> None:
    if isinstance(block, Paragraph):
        doc.paragraph(block.text)
    elif isinstance(block, Facts):
        doc.key_values(block.pairs)
    elif isinstance(block, Table):
        if doc.will_page_break(30):  # a caption never stands alone at the foot of a page
            doc.add_page()
        if block.caption:
            doc.heading(block.caption, level=2)
        doc.table_rows(
            block.header,
            block.rows,
            widths=block.widths,
            numeric=block.numeric,
            bold_last=block.total,
            size=7.5 if len(block.header) >= 7 else 9,  # wide tables: smaller type
        )
    elif isinstance(block, Bars):
        doc.bar_chart(
            block.title, block.bars, reference=block.reference, empty_text=_("No figures to show.")
        )


def summary_json(report: Report) -> dict:
    """What the CLI prints with --json: the report's identity and its section titles."""
    return {
        "kind": report.kind,
        "region": report.region_code,
        "year": report.year,
        "quarter": report.quarter,
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.last_day.isoformat(),
        },
        "title": report.title,
        "sections": [s.title for s in report.sections],
    }


def tables(report: Report) -> Sequence[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table)]
