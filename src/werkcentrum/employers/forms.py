from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.regions.models import Municipality

from .kvk import is_valid_kvk, normalise_kvk
from .models import Chain, EmployerContact, SizeClass


class EmployerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    kvk_number = forms.CharField(label=_("KvK number"), max_length=12, help_text=_("8 digits"))
    sbi_code = forms.RegexField(
        label=_("SBI code"),
        regex=r"^\d{2,5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("An SBI code has 2 to 5 digits.")},
    )
    chain = forms.ChoiceField(
        label=_("Occupational chain"), choices=[("", "—"), *Chain.choices], required=False
    )
    size_class = forms.ChoiceField(
        label=_("Size"), choices=[("", "—"), *SizeClass.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    job_agreement_employer = forms.BooleanField(
        label=_("Employs people under the job agreement"), required=False
    )
    wage_subsidy_experience = forms.BooleanField(
        label=_("Has experience with wage-cost subsidy"), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact person's phone"), max_length=20, required=False
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)

    def clean_kvk_number(self):
        value = normalise_kvk(self.cleaned_data["kvk_number"])
        if not is_valid_kvk(value):
            raise forms.ValidationError(_("A KvK number has 8 digits."))
        return value


class ContactLogForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=EmployerContact.Channel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closes_question = forms.BooleanField(
        label=_("This closes the employer's question (sends the satisfaction survey)"),
        required=False,
    )


class NpsForm(StyledFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely is it that you would recommend the Werkcentrum to another employer?"),
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What could we do better? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LocationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Location name"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\s*\d{4}\s?[A-Za-z]{2}\s*$",
        required=False,
        max_length=7,
        error_messages={"invalid": _("Enter a Dutch postcode like 7511 AB.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)
