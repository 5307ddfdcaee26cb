from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.occupations import registry
from werkcentrum.regions.models import Municipality

from .models import EDUCATION_LEVELS, VacancySource


def split_skills(text: str) -> list[str]:
    parts = [p.strip().lower() for p in (text or "").replace(";", ",").split(",")]
    return [p for p in dict.fromkeys(parts) if p][:30]


class VacancyForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        help_text=_("Type the title as the employer says it; choose the occupation below."),
    )
    esco_id = forms.CharField(
        label=_("Occupation (ESCO)"), max_length=40, required=False, widget=forms.HiddenInput
    )
    hours = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    municipality = forms.ModelChoiceField(
        label=_("Place of work"), queryset=Municipality.objects.none()
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\s*\d{4}\s?[A-Za-z]{2}\s*$",
        required=False,
        max_length=7,
        error_messages={"invalid": _("Enter a Dutch postcode like 7511 AB.")},
    )
    education_level = forms.TypedChoiceField(
        label=_("Education level needed"), choices=EDUCATION_LEVELS, coerce=int, initial=0
    )
    required_skills = forms.CharField(
        label=_("Required skills"),
        max_length=2000,
        required=False,
        help_text=_("Separate with commas."),
    )
    desired_skills = forms.CharField(label=_("Desired skills"), max_length=2000, required=False)
    work_and_learn = forms.BooleanField(label=_("Work-and-learn possible"), required=False)
    job_agreement = forms.BooleanField(label=_("Suitable for the job agreement"), required=False)
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=VacancySource.choices,
        initial=VacancySource.REGULAR,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)

    def clean_esco_id(self):
        value = self.cleaned_data.get("esco_id", "")
        if value and registry.occupation(value) is None:
            raise forms.ValidationError(_("Choose an occupation from the list."))
        return value

    def vacancy_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "postcode": (data.get("postcode") or "").replace(" ", "").upper(),
            "education_level": data["education_level"],
            "required_skills": split_skills(data.get("required_skills", "")),
            "desired_skills": split_skills(data.get("desired_skills", "")),
            "work_and_learn": data["work_and_learn"],
            "job_agreement": data["job_agreement"],
            "start_date": data.get("start_date"),
            "source": data.get("source") or VacancySource.REGULAR,
            "description": data.get("description", ""),
        }


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Export file (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)


class WeightsForm(StyledFormMixin, forms.Form):
    """An adviser's weights for one search (GET); defaults are the engine's."""

    occupation = forms.FloatField(label=_("Occupation"), min_value=0, max_value=10, required=False)
    skills = forms.FloatField(label=_("Skills"), min_value=0, max_value=10, required=False)
    distance = forms.FloatField(label=_("Distance"), min_value=0, max_value=10, required=False)
    hours = forms.FloatField(label=_("Hours"), min_value=0, max_value=10, required=False)
    education = forms.FloatField(
        label=_("Education level"), min_value=0, max_value=10, required=False
    )
    work_and_learn = forms.FloatField(
        label=_("Work-and-learn"), min_value=0, max_value=10, required=False
    )
    within_travel_radius = forms.BooleanField(
        label=_("Only within the candidate's travel radius"), required=False
    )
