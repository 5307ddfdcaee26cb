from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.regions.models import WalkInPoint

DURATIONS = [(15, "15"), (20, "20"), (30, "30"), (45, "45"), (60, "60"), (90, "90")]


def points_of(region):
    return WalkInPoint.objects.filter(region=region).order_by("-is_regional_centre", "name")


class PublishForm(StyledFormMixin, forms.Form):
    walk_in_point = forms.ModelChoiceField(
        label=_("Place"),
        queryset=WalkInPoint.objects.none(),
        help_text=_("A walk-in point or the regional centre."),
    )
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.TypedChoiceField(
        label=_("Minutes per appointment"), choices=DURATIONS, coerce=int, initial=30
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["walk_in_point"].queryset = points_of(region)


class PlaceForm(StyledFormMixin, forms.Form):
    """Which place to show free times for (GET)."""

    point = forms.ModelChoiceField(
        label=_("Place"), queryset=WalkInPoint.objects.none(), empty_label=None
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points_of(region)


class ChooseSlotForm(StyledFormMixin, forms.Form):
    # Rendered as radio buttons grouped by day; the view looks the slot up (404 if unknown).
    slot = forms.IntegerField(label=_("Time"), error_messages={"required": _("Choose a time.")})


class BookForm(ChooseSlotForm):
    note = forms.CharField(
        label=_("Note for the adviser"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the adviser only, not in the confirmation."),
    )


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)


def default_day():
    return timezone.localdate() + timedelta(days=1)
