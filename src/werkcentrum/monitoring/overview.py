"""All figures of one period, suppressed and set against the targets: what the dashboard shows
and what the quarterly and annual reports print. One place, so the screen and the report can
never disagree. A constant number of queries, whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from . import figures, indicators, presentation, selectors
from .figures import Cell, Period
from .indicators import Filters


@dataclass
class PartnerRow:
    name: str
    code: str
    received: Cell
    cells: list[Cell]  # accepted, returned, withdrawn, pending
    overdue: Cell
    in_time: Cell  # percentage
    median: float | None  # working days; None when fewer than MIN_CELL decided


@dataclass
class QuarterRow:
    quarter: int
    label: str
    short: str
    cell: Cell
    realisation: figures.Realisation | None
    chosen: bool


@dataclass
class Overview:
    filters: Filters
    today: date
    target_set: object | None  # TargetSet
    targets: dict
    regime: presentation.TargetTable
    municipal: presentation.TargetTable
    subregional: presentation.TargetTable
    quarters: list[QuarterRow]
    reach_total: Cell
    reach_tables: list[tuple[str, str, presentation.ListTable]]
    partner_rows: list[PartnerRow]
    handover_totals: figures.Suppressed | None
    overdue_total: Cell
    outcomes: presentation.ListTable
    sources: presentation.ListTable
    fund: dict
    fund_cells: dict[str, Cell]
    amount_granted: int | None
    llo_outcomes: presentation.ListTable
    nps: dict
    nps_cell: Cell
    appointments_total: Cell
    appointments_kept: Cell
    backlog: presentation.ListTable
    headline: list[presentation.Figure]

    @property
    def period(self) -> Period:
        return self.filters.period


def quarter_rows(counts: dict, yearly_target: int, period: Period, today: date) -> list[QuarterRow]:
    """All placements per quarter of the year against the yearly target pro rata."""
    cells, _total = figures.suppress_list([int(counts.get(q, 0)) for q in (1, 2, 3, 4)])
    rows = []
    for q, cell in zip((1, 2, 3, 4), cells, strict=True):
        quarter = figures.quarter_period(period.year, q)
        real = (
            figures.realisation(cell.value, yearly_target, quarter, today)
            if yearly_target
            else None
        )
        rows.append(
            QuarterRow(
                q,
                _("Q%(quarter)s %(year)s") % {"quarter": q, "year": period.year},
                f"Q{q}",
                cell,
                real,
                quarter.start < period.end and period.start < quarter.end,
            )
        )
    return rows


def build(
    filters: Filters,
    *,
    municipalities: list,
    subregions: list,
    today: date,
    now: datetime,
) -> Overview:
    from werkcentrum.frontdoor.models import BENEFIT_CHOICES, AskerType, Channel
    from werkcentrum.trajectories.models import Outcome
    from werkcentrum.vacancies.models import VacancySource
    from werkcentrum.vouchers.models import LLOOutcome

    f, period = filters, filters.period
    target_set = selectors.current_set(f.region, period.year) if period.within_one_year else None
    targets = selectors.targets_of(target_set)
    printed = target_set.printed_total if target_set else None

    placed = indicators.placements(f)
    regime = presentation.regime_table(placed["regime"], targets, period, today, printed)
    municipal, subregional = presentation.municipal_table(
        placed["municipality"], targets, municipalities, subregions, period, today
    )
    quarters = quarter_rows(indicators.placements_by_quarter(f), regime.target_total, period, today)
    reach = indicators.reach(f)
    reach_tables = [
        (
            "channel",
            _("By channel"),
            presentation.list_table(reach["channel"], dict(Channel.choices), list(Channel.values)),
        ),
        ("walk_in_point", _("By walk-in point"), presentation.list_table(reach["walk_in_point"])),
        ("municipality", _("By municipality"), presentation.list_table(reach["municipality"])),
        (
            "asker_type",
            _("By asker"),
            presentation.list_table(
                reach["asker_type"], dict(AskerType.choices), list(AskerType.values)
            ),
        ),
        (
            "target_group",
            _("By target group (benefit)"),
            presentation.list_table(reach["target_group"], dict(BENEFIT_CHOICES)),
        ),
        (
            "novelty",
            _("New or known"),
            presentation.list_table(
                reach["novelty"],
                {
                    "new": _("New person"),
                    "known": _("Known person (earlier contact)"),
                    "anonymous": _("Anonymous"),
                },
                ["new", "known", "anonymous"],
            ),
        ),
    ]
    drill_fields = {"channel": "channel", "asker_type": "asker_type", "target_group": "benefit"}
    for key, _caption, table in reach_tables:
        if key in drill_fields:
            table.drill = ("contacts", drill_fields[key])

    handover_rows = indicators.handovers(f, now)
    matrix = [[r["accepted"], r["returned"], r["withdrawn"], r["pending"]] for r in handover_rows]
    handover_table = figures.suppress(matrix) if matrix else None
    overdue_cells, overdue_total = figures.suppress_list([r["overdue"] for r in handover_rows])
    partner_rows = [
        PartnerRow(
            name=r["partner__name"],
            code=r["partner__code"],
            received=handover_table.row_totals[i],
            cells=handover_table.cells[i],
            overdue=overdue_cells[i],
            in_time=presentation.percent_cell(r["in_time"], r["decided"]),
            median=r["median_days"] if r["decided"] >= figures.MIN_CELL else None,
        )
        for i, r in enumerate(handover_rows)
    ]
    decided_total = sum(r["decided"] for r in handover_rows)
    in_time_total = sum(r["in_time"] for r in handover_rows)

    trajectory_counts = indicators.trajectory_outcomes(f)
    outcomes = presentation.list_table(
        trajectory_counts, dict(Outcome.choices), list(Outcome.values)
    )
    outcomes.drill = ("trajectories", "outcome")
    sources = presentation.list_table(
        placed["source"], dict(VacancySource.choices), list(VacancySource.values)
    )
    sources.drill = ("placements", "source")
    fund = indicators.vouchers(f)
    llo_outcomes = presentation.list_table(
        fund["llo_outcome"], dict(LLOOutcome.choices), list(LLOOutcome.values)
    )
    nps = indicators.employer_nps(f)
    booked = indicators.appointments(f, now)
    backlog = indicators.escalation_backlog(f, now)
    backlog_table = presentation.list_table(
        {k: backlog[k] for k in ("overdue", "returned", "unassigned", "stale")},
        {
            "overdue": _("Handovers past their pick-up time"),
            "returned": _("Returned handovers waiting for a guide"),
            "unassigned": _("Questions nobody picked up"),
            "stale": _("Open questions without an outcome for too long"),
        },
        ["overdue", "returned", "unassigned", "stale"],
    )
    nps_cell = (
        Cell(nps["nps"], "", 0)
        if nps["responses"] >= figures.MIN_CELL and nps["nps"] is not None
        else Cell(None, figures.SMALL)
    )

    def fig(code, label, cell, unit="", note=""):
        target = targets.get((code, "none", ""))
        real = None
        if target is not None and cell.shown:
            real = figures.realisation(cell.value, target, period, today)
            if unit == "%" or code == "employer_nps":  # a level, not a sum over the year
                real = figures.Realisation(cell.value, target, None, None, cell.value >= target)
        return presentation.Figure(code, label, cell, target, real, unit, note)

    headline = [
        fig("contacts", _("Contacts"), presentation.count_cell(reach["total"])),
        fig(
            "handovers_in_time_pct",
            _("Handovers decided within the pick-up time"),
            presentation.percent_cell(in_time_total, decided_total),
            "%",
        ),
        fig(
            "trajectories_to_work",
            _("Trajectories ending in work"),
            presentation.count_cell(trajectory_counts.get("work", 0)),
        ),
        fig(
            "llo_conversations", _("LLO conversations"), presentation.count_cell(fund["llo_total"])
        ),
        fig("vouchers", _("Training vouchers granted"), presentation.count_cell(fund["granted"])),
        fig(
            "employer_nps",
            _("Employer NPS"),
            nps_cell,
            note=_("%(n)s answers") % {"n": nps["responses"]}
            if nps["responses"] >= figures.MIN_CELL
            else "",
        ),
        fig(
            "appointments_kept_pct",
            _("Appointments kept (not cancelled)"),
            presentation.percent_cell(booked["kept"], booked["total"]),
            "%",
        ),
    ]
    return Overview(
        filters=f,
        today=today,
        target_set=target_set,
        targets=targets,
        regime=regime,
        municipal=municipal,
        subregional=subregional,
        quarters=quarters,
        reach_total=presentation.count_cell(reach["total"]),
        reach_tables=reach_tables,
        partner_rows=partner_rows,
        handover_totals=handover_table,
        overdue_total=overdue_total,
        outcomes=outcomes,
        sources=sources,
        fund=fund,
        fund_cells={
            "llo_total": presentation.count_cell(fund["llo_total"]),
            "llo_applied": presentation.percent_cell(fund["llo_applied"], fund["llo_total"]),
            "submitted": presentation.count_cell(fund["submitted"]),
            "granted": presentation.count_cell(fund["granted"]),
            "rejected": presentation.count_cell(fund["rejected"]),
        },
        amount_granted=fund["amount_granted"] if fund["granted"] >= figures.MIN_CELL else None,
        llo_outcomes=llo_outcomes,
        nps=nps,
        nps_cell=nps_cell,
        appointments_total=presentation.count_cell(booked["total"]),
        appointments_kept=presentation.percent_cell(booked["kept"], booked["total"]),
        backlog=backlog_table,
        headline=headline,
    )
