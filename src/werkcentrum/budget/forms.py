"""The realisation form: one amount field per budget line for one year and quarter."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .budgetfile import MAX_AMOUNT
from .calc import QUARTERS

_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[., ])\d{3}(?:(?P=sep)\d{3})*")


class EuroField(forms.CharField):
    """Whole euros, as typed: 12500, 12.500, 12,500 or € 12 500. Empty means "not entered"."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter whole euros, 0 or more, for example 12500 or 12.500."),
        "too_large": gettext_lazy("That amount is too large."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"class": "input", "inputmode": "numeric", "size": 12, "maxlength": 20}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        text = text.replace("€", "").replace("\u00a0", " ").strip()
        if not text:
            return None
        if len(text) > 20 or not (_PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(re.sub(r"\D", "", text))
        if number > MAX_AMOUNT:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return number


class RealisationForm(forms.Form):
    # Chosen with the year/quarter selector (GET) and carried along hidden, so the amounts
    # shown are always the ones saved for that quarter.
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"),
        coerce=int,
        choices=[(q, f"Q{q}") for q in QUARTERS],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, lines, years, initial_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        initial_amounts = initial_amounts or {}
        for line in self.lines:
            name = self.field_name(line)
            self.fields[name] = EuroField(label=line.label)
            value = initial_amounts.get(line.pk)
            if value is not None and not self.is_bound:
                self.initial[name] = str(value)

    @staticmethod
    def field_name(line) -> str:
        return f"line_{line.pk}"

    def rows(self):
        """(line, bound field) in budget order, for the template; invalid fields are marked
        for assistive technology."""
        result = []
        for line in self.lines:
            name = self.field_name(line)
            bound = self[name]
            if self.is_bound and name in self.errors:
                bound.field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{bound.id_for_label}-error"}
                )
            result.append((line, bound))
        return result

    def amounts(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data[self.field_name(line)] for line in self.lines}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            raise ValidationError(_("Nothing was saved: correct what is marked."), code="invalid")
        return cleaned
