"""The coordinator's small edit form and the administrator's approval form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.frontdoor.models import (
    BENEFIT_CHOICES,
    TOPIC_CHOICES,
    WORK_STATUS_CHOICES,
    AskerType,
)

from .eligibility import MAX_AGE
from .models import Service

LIST_FIELDS = ("topics", "askers", "benefits", "work_statuses", "municipalities")
EDITABLE = (
    "name",
    "description",
    "target_groups",
    *LIST_FIELDS,
    "age_min",
    "age_max",
    "job_agreement",
    "costs",
    "funding",
    "how_to_apply",
    "contact_name",
    "phone",
    "email",
    "website",
    "valid_from",
    "valid_until",
    "capacity",
    "capacity_period",
    "places_left",
    "budget_available",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain language (B1), in Dutch."),
    )
    target_groups = forms.CharField(
        label=_("Target groups"),
        required=False,
        max_length=1000,
        help_text=_("Separate with commas."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Themes"), choices=TOPIC_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    askers = forms.MultipleChoiceField(
        label=_("For"),
        choices=AskerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none for both."),
    )
    benefits = forms.MultipleChoiceField(
        label=_("Only with these benefits"),
        choices=BENEFIT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none when it is open whatever the benefit (ontschot)."),
    )
    work_statuses = forms.MultipleChoiceField(
        label=_("Only in these work situations"),
        choices=WORK_STATUS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Only in these municipalities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none for the whole region."),
    )
    age_min = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    age_max = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    job_agreement = forms.BooleanField(
        label=_("Only for the job agreement's target-group register (banenafspraak)"),
        required=False,
    )
    costs = forms.CharField(
        label=_("Costs"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    funding = forms.CharField(
        label=_("Funding"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    how_to_apply = forms.CharField(
        label=_("How to apply"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    capacity = forms.IntegerField(label=_("Places per period"), required=False, min_value=1)
    capacity_period = forms.CharField(label=_("Period"), max_length=50, required=False)
    places_left = forms.IntegerField(label=_("Places left"), required=False, min_value=0)
    budget_available = forms.BooleanField(label=_("Budget available"), required=False)

    def __init__(self, *args, service: Service, **kwargs):
        self.service = service
        initial = {name: getattr(service, name) for name in EDITABLE}
        initial["target_groups"] = ", ".join(service.target_groups)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].choices = list(
            service.region.municipalities.order_by("name").values_list("code", "name")
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The maximum age is below the minimum age."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date is before the start date."))
        capacity, left = data.get("capacity"), data.get("places_left")
        if left is not None and (capacity is None or left > capacity):
            self.add_error(
                "places_left", _("Places left cannot be more than the places per period.")
            )
        if data.get("capacity_period") and capacity is None:
            self.add_error("capacity_period", _("Give the places per period too."))
        return data

    def changes(self) -> dict:
        """The cleaned values in the model's shape (lists for the list fields)."""
        data = dict(self.cleaned_data)
        data["target_groups"] = [g.strip() for g in data["target_groups"].split(",") if g.strip()]
        for name in LIST_FIELDS:  # keep the canonical order of each vocabulary
            order = [value for value, _label in self.fields[name].choices]
            data[name] = [value for value in order if value in data[name]]
        for name in ("name", "contact_name", "phone", "capacity_period"):
            data[name] = " ".join(data[name].split())
        return {name: data[name] for name in EDITABLE}


class ApprovalForm(StyledFormMixin, forms.Form):
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_("For example: the portfolio holders' meeting (PHA) of the region."),
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)

    def __init__(self, *args, service: Service, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "approved_by": _("PHA %(region)s") % {"region": service.region.name},
                "approved_on": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The approval date cannot be in the future."))
        return value
