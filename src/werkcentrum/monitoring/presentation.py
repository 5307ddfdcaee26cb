"""Tables for the dashboard: indicator aggregates + targets -> rows with suppression applied.

Every table is built from counts through ``figures.suppress``; templates only ever see
``figures.Cell`` objects (value None when hidden)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from . import figures
from .figures import Cell, Period


@dataclass
class ListRow:
    label: str
    cell: Cell
    key: str = ""
    percent: int | None = None


@dataclass
class ListTable:
    rows: list[ListRow]
    total: Cell
    drill: tuple[str, str] | None = None  # (indicator, field) for the drill-down links

    @property
    def empty(self) -> bool:
        return not self.rows


def list_table(counts: dict, labels: dict | None = None, order: list | None = None) -> ListTable:
    """Counts per key as a suppressed list with its computed total; keys in ``order`` first
    (zeros included), the rest by label."""
    labels = labels or {}
    keys = list(order or [])
    keys += sorted((k for k in counts if k not in keys), key=lambda k: str(labels.get(k, k)))
    values = [int(counts.get(k, 0)) for k in keys]
    cells, total = figures.suppress_list(values)
    rows = []
    for key, cell in zip(keys, cells, strict=True):
        label = labels.get(key, key)
        if key in (None, ""):
            label = _("Not recorded")
        rows.append(ListRow(str(label), cell, "" if key is None else str(key)))
    for row in rows:
        row.percent = figures.share(row.cell, total)
    return ListTable(rows, total)


@dataclass
class TargetRow:
    label: str
    target: int | None
    cell: Cell  # realised
    realisation: figures.Realisation | None = None
    note: str = ""
    group: str = ""


@dataclass
class TargetTable:
    rows: list[TargetRow]
    target_total: int
    realised_total: Cell
    printed_total: int | None = None
    groups: list = field(default_factory=list)

    @property
    def printed_differs(self) -> bool:
        return self.printed_total is not None and self.printed_total != self.target_total


def _realisation(cell: Cell, target: int | None, period: Period, today: date):
    if target is None:
        return None
    return figures.realisation(cell.value, target, period, today)


REGIME_ORDER = ["ww", "eures", "wajong", "wia"]


def regime_table(
    realised: dict, targets: dict, period: Period, today: date, printed_total: int | None
) -> TargetTable:
    """UWV regimes, social assistance (the sum of the municipal targets), no benefit."""
    from werkcentrum.candidates.models import BenefitRegime

    labels = dict(BenefitRegime.choices)
    regime_targets = {
        k: v for (ind, dim, k), v in targets.items() if ind == "placements" and dim == "regime"
    }
    municipal_target = sum(
        v
        for (ind, dim, _k), v in targets.items()
        if ind == "placements" and dim in ("municipality", "subregion")
    )
    keys = [k for k in REGIME_ORDER if k in regime_targets or k != "eures"]
    measured = [k for k in keys if k != "eures"] + ["bijstand", "none"]
    cells, total = figures.suppress_list([int(realised.get(k, 0)) for k in measured])
    by_key = dict(zip(measured, cells, strict=True))
    rows = []
    for key in keys:
        target = regime_targets.get(key)
        if key == "eures":
            cell = Cell(None, "not_measured")
            rows.append(
                TargetRow(
                    _("EURES (WW)"),
                    target,
                    cell,
                    None,
                    _("Counted under WW: placements do not record EURES separately."),
                )
            )
            continue
        cell = by_key[key]
        rows.append(
            TargetRow(
                str(labels.get(key, key)), target, cell, _realisation(cell, target, period, today)
            )
        )
    cell = by_key["bijstand"]
    target = municipal_target or None
    rows.append(
        TargetRow(
            str(labels["bijstand"]),
            target,
            cell,
            _realisation(cell, target, period, today),
            _("Target: the sum of the municipal targets."),
        )
    )
    rows.append(
        TargetRow(str(labels["none"]), None, by_key["none"], None, _("Measured without a target."))
    )
    target_total = figures.total(r.target for r in rows)
    return TargetTable(rows, target_total, total, printed_total)


def municipal_table(
    realised: dict,
    targets: dict,
    municipalities: list,
    subregions: list,
    period: Period,
    today: date,
) -> tuple[TargetTable, TargetTable]:
    """Social-assistance placements per municipality and per subregion against target.

    One suppression over municipalities x subregions (structural zeros outside a subregion),
    so a hidden municipality can't be worked out from its subregion's total either."""
    mun_targets = {
        k: v
        for (ind, dim, k), v in targets.items()
        if ind == "placements" and dim == "municipality"
    }
    sub_targets = {
        k: v for (ind, dim, k), v in targets.items() if ind == "placements" and dim == "subregion"
    }
    sub_index = {s.pk: j for j, s in enumerate(subregions)}
    matrix, structural = [], []
    for i, m in enumerate(municipalities):
        row = [0] * len(subregions)
        row[sub_index[m.subregion_id]] = int(realised.get(m.code, 0))
        matrix.append(row)
        structural += [(i, j) for j in range(len(subregions)) if j != sub_index[m.subregion_id]]
    table = figures.suppress(matrix, row_totals=False, col_totals=True, structural=structural)
    per_municipality = []
    for i, m in enumerate(municipalities):
        cell = table.cells[i][sub_index[m.subregion_id]]
        target = mun_targets.get(m.code)
        sub = subregions[sub_index[m.subregion_id]]
        note = ""
        if target is None and sub.code in sub_targets:
            note = _("Part of the target of %(subregion)s.") % {"subregion": sub.name}
        per_municipality.append(
            TargetRow(
                m.name, target, cell, _realisation(cell, target, period, today), note, sub.name
            )
        )
    per_subregion = []
    for j, s in enumerate(subregions):
        own = [
            mun_targets[m.code]
            for m in municipalities
            if m.subregion_id == s.pk and m.code in mun_targets
        ]
        target = (
            figures.total(own) + sub_targets.get(s.code, 0)
            if (own or s.code in sub_targets)
            else None
        )
        cell = table.col_totals[j]
        note = _("Target set for the subregion as a whole.") if s.code in sub_targets else ""
        per_subregion.append(
            TargetRow(s.name, target, cell, _realisation(cell, target, period, today), note)
        )
    sub_total = figures.total(r.target for r in per_subregion)
    return (
        # the municipal rows plus the targets set for a subregion as a whole
        TargetTable(per_municipality, sub_total, table.grand),
        TargetTable(per_subregion, sub_total, table.grand),
    )


@dataclass
class Figure:
    """One headline figure against an optional target."""

    code: str
    label: str
    cell: Cell
    target: int | None = None
    realisation: figures.Realisation | None = None
    unit: str = ""  # "%" for percentages
    note: str = ""


def percent_cell(part: int, whole: int) -> Cell:
    """A percentage of people: hidden when the whole or the part is a small number."""
    if (
        whole < figures.MIN_CELL
        or 0 < part < figures.MIN_CELL
        or 0 < whole - part < figures.MIN_CELL
    ):
        return Cell(None, figures.SMALL)
    return Cell(round(100 * part / whole), "", 0)


def count_cell(n: int) -> Cell:
    cells, _total = figures.suppress_list([n])
    return cells[0]
