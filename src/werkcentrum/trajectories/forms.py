from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin

from .models import Outcome


class PlanForm(StyledFormMixin, forms.Form):
    goal = forms.CharField(
        label=_("Goal"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.CharField(
        label=_("Action plan"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Note (only your organisation sees it)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Explanation (required when stopped)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
