"""The target edit form: one number field per target row, and a required note. Saving makes a
new version (services.save_version)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin

from .targetfile import INDICATORS, MAX_VALUE, PERCENT_INDICATORS, REGIMES, Row

INDICATOR_LABELS = {
    "placements": _("Placements"),
    "contacts": _("Contacts (reach)"),
    "handovers_in_time_pct": _("Handovers picked up in time (%)"),
    "trajectories_to_work": _("Trajectories ending in work"),
    "llo_conversations": _("LLO conversations"),
    "vouchers": _("Training vouchers granted"),
    "employer_nps": _("Employer NPS"),
    "appointments_kept_pct": _("Appointments kept (%)"),
}


def field_name(indicator: str, dimension: str, key: str) -> str:
    return f"t__{indicator}__{dimension}__{key}"


class TargetForm(forms.Form):
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "input"}),
        help_text=_("Saved with the new version, e.g. “Implementation plan 2026, PHA decision”."),
    )

    def __init__(self, *args, municipalities=(), subregions=(), initial_targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_targets = initial_targets or {}
        self.rows_meta: list[tuple[str, str, str, str, str]] = []  # name, ind, dim, key, label

        def add(indicator, dimension, key, label, group):
            name = field_name(indicator, dimension, key)
            maximum = 100 if indicator in PERCENT_INDICATORS else MAX_VALUE
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=maximum,
                initial=initial_targets.get((indicator, dimension, key)),
                widget=forms.NumberInput(attrs={"class": "input"}),
            )
            self.rows_meta.append((name, indicator, dimension, key, group))

        regime_labels = {
            "ww": "WW",
            "eures": "EURES (WW)",
            "wajong": "Wajong",
            "wia": "WIA",
        }
        for regime in REGIMES:
            add(
                "placements",
                "regime",
                regime,
                regime_labels[regime],
                _("Placements per UWV regime"),
            )
        for m in municipalities:
            add("placements", "municipality", m.code, m.name, _("Placements per municipality"))
        for s in subregions:
            add(
                "placements",
                "subregion",
                s.code,
                s.name,
                _("Placements for a subregion as a whole"),
            )
        for indicator, dims in INDICATORS.items():
            if "none" in dims:
                add(indicator, "none", "", INDICATOR_LABELS[indicator], _("Other indicators"))

    def groups(self):
        grouped: dict[str, list] = {}
        for name, _ind, _dim, _key, group in self.rows_meta:
            grouped.setdefault(str(group), []).append(self[name])
        return list(grouped.items())

    def rows(self) -> list[Row]:
        result = []
        for name, indicator, dimension, key, _group in self.rows_meta:
            value = self.cleaned_data.get(name)
            if value is not None:
                result.append(Row(indicator, dimension, key, value))
        return result


class ReportForm(StyledFormMixin, forms.Form):
    """Which report to make: the quarterly progress report or the annual report."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[("quarterly", _("Quarterly report")), ("annual", _("Annual report"))],
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Only for the quarterly report."),
    )
    lang = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[("nl", "Nederlands"), ("en", "English")],
        initial="nl",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "quarterly" and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter."))
        if data.get("kind") == "annual":
            data["quarter"] = None
        return data
