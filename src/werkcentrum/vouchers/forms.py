from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.employers.models import Chain, Employer
from werkcentrum.regions.models import Municipality
from werkcentrum.training.models import Level, Training

from .models import LLOConversation, LLOOutcome

DATE = {"type": "date"}


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs
    )


def _euros(label, **kwargs):
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", 1_000_000)
    return forms.IntegerField(
        label=label, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs
    )


class LLOConversationForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = _date_field(_("Date of birth"), required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("With this address the person sees the application in My Werkcentrum."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    held_on = _date_field(_("Date of the conversation"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=LLOOutcome.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Advice"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which training fits, why, and how to fund it. The person can read this."),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer that applies (optional)"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("Only when the person agrees that this employer applies for the voucher."),
    )

    def __init__(self, *args, region=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)
        self.fields["employer"].queryset = Employer.objects.filter(region=region).order_by("name")

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone") or data.get("date_of_birth")):
            self.add_error("email", _("Give an e-mail address, phone number or date of birth."))
        return data


class ApplicationForm(StyledFormMixin, forms.Form):
    """The training (from the catalogue, or described) and the money."""

    training = forms.ModelChoiceField(
        label=_("Training from the catalogue"),
        queryset=Training.objects.none(),
        required=False,
        help_text=_(
            "Choose it here and we fill in the provider, level, sector and cost. Not in the "
            "list? Describe the training below."
        ),
    )
    training_title = forms.CharField(
        label=_("Other training: name"), max_length=200, required=False
    )
    provider = forms.CharField(label=_("School or provider"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices], required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Chain.choices], required=False
    )
    cost = _euros(
        _("Cost in euros"),
        required=False,
        help_text=_("The whole training. Empty with a catalogue training: its listed cost."),
    )
    cofinancing = _euros(
        _("Co-financing in euros"),
        required=False,
        initial=0,
        help_text=_("What an employer, sector fund or someone else pays."),
    )
    cofinancier = forms.CharField(label=_("Co-financed by"), max_length=200, required=False)
    requested_amount = _euros(
        _("Amount you ask for, in euros"),
        required=False,
        min_value=1,
        help_text=_("Empty: as much as the fund's rules allow."),
    )
    motivation = forms.CharField(
        label=_("Why this training?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, trainings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = Training.objects.filter(
            pk__in=[t.pk for t in trainings]
        ).order_by("title", "provider", "pk")

    def clean(self):
        data = super().clean()
        if not data.get("training"):
            for name, message in (
                ("training_title", _("Choose a training from the catalogue or name one.")),
                ("provider", _("Name the school or training provider.")),
                ("level", _("Choose the level.")),
                ("sector", _("Choose the sector.")),
                ("cost", _("Give the cost.")),
            ):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["cofinancing"] = data.get("cofinancing") or 0
        return data


class EmployerApplicationForm(ApplicationForm):
    llo_conversation = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=LLOConversation.objects.none(),
        help_text=_("Employees whose LLO conversation names your company."),
    )
    field_order = ["llo_conversation"]

    def __init__(self, *args, conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["llo_conversation"]
        field.queryset = LLOConversation.objects.filter(
            pk__in=[c.pk for c in conversations]
        ).select_related("person")
        field.label_from_instance = lambda c: f"{c.person.full_name} ({c.reference})"
        self.fields["cofinancing"].label = _("Your company's contribution in euros")
        self.fields["cofinancing"].help_text = _("An employer pays part of the cost itself.")
        self.fields["cofinancier"].widget = forms.HiddenInput()


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    amount = _euros(_("Amount granted in euros"), required=False, min_value=1)
    note = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you deviate from the proposal."),
    )


class CompletionForm(StyledFormMixin, forms.Form):
    completed_on = _date_field(_("Completed on"))
    proof = forms.CharField(
        label=_("Proof"),
        max_length=300,
        help_text=_("E.g. the diploma or certificate number, or where the document is kept."),
    )


class PaymentForm(StyledFormMixin, forms.Form):
    amount = _euros(_("Amount paid in euros"), min_value=1)
    paid_on = _date_field(_("Paid on"))


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=500, required=False)


class LabelForm(StyledFormMixin, forms.Form):
    since = _date_field(_("IKBINDR label since"), required=False)
