from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.occupations import registry
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies.forms import split_skills
from werkcentrum.vacancies.models import EDUCATION_LEVELS, VacancySource

from .models import BenefitRegime, CandidateProfile


class EscoMultipleChoiceField(forms.MultipleChoiceField):
    """ESCO ids picked from the suggestions; any known ESCO occupation is a valid choice."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value):
        return registry.occupation(value) is not None


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name} ({obj.pk})"


class PlacementForm(StyledFormMixin, forms.Form):
    candidate = CandidateChoiceField(
        label=_("Candidate"),
        queryset=CandidateProfile.objects.none(),
        required=False,
        help_text=_("Leave empty if the person is not registered as a candidate."),
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    benefit_regime = forms.ChoiceField(
        label=_("Benefit regime"),
        choices=BenefitRegime.choices,
        required=False,
        help_text=_("Taken from the candidate's profile when a candidate is chosen."),
    )
    benefit_municipality = forms.ModelChoiceField(
        label=_("Assistance paid by"), queryset=Municipality.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("Found through"), choices=VacancySource.choices)
    ends_benefit = forms.ChoiceField(
        label=_("Effect on the benefit"),
        choices=[
            ("full", _("ends it fully")),
            ("partial", _("ends it partly")),
            ("unknown", _("unknown")),
        ],
        initial="unknown",
    )

    def __init__(self, *args, employer=None, vacancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        region = employer.region if employer else None
        candidates = CandidateProfile.objects.filter(region=region).select_related("person")
        if vacancy is not None:
            candidates = candidates.filter(proposals__vacancy=vacancy)
            self.fields["hours"].initial = vacancy.hours
        self.fields["candidate"].queryset = candidates
        self.fields["benefit_municipality"].queryset = Municipality.objects.filter(region=region)
        self.fields["start_date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("candidate") and not data.get("benefit_regime"):
            self.add_error("benefit_regime", _("Choose the benefit regime."))
        return data


class CandidateForm(StyledFormMixin, forms.Form):
    occupations = EscoMultipleChoiceField(label=_("Desired occupations"), required=False)
    skills = forms.CharField(
        label=_("Skills"), max_length=2000, required=False, help_text=_("Separate with commas.")
    )
    experience_years = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=60, initial=0
    )
    education_level = forms.TypedChoiceField(
        label=_("Education level"), choices=EDUCATION_LEVELS, coerce=int
    )
    hours_min = forms.IntegerField(
        label=_("Hours per week, at least"), min_value=1, max_value=60, initial=16
    )
    hours_max = forms.IntegerField(
        label=_("Hours per week, at most"), min_value=1, max_value=60, initial=40
    )
    municipality = forms.ModelChoiceField(
        label=_("Place of residence"), queryset=Municipality.objects.none()
    )
    postcode = forms.RegexField(
        label=_("Postcode"), regex=r"^\s*\d{4}\s?[A-Za-z]{2}\s*$", required=False, max_length=7
    )
    travel_radius_km = forms.IntegerField(
        label=_("Travel radius (km)"), min_value=1, max_value=150, initial=25
    )
    work_fit = forms.BooleanField(label=_("Work-fit"), required=False, initial=True)
    benefit_regime = forms.ChoiceField(label=_("Benefit regime"), choices=BenefitRegime.choices)
    benefit_municipality = forms.ModelChoiceField(
        label=_("Assistance paid by"), queryset=Municipality.objects.none(), required=False
    )
    available = forms.BooleanField(label=_("Available"), required=False, initial=True)
    job_agreement_eligible = forms.BooleanField(
        label=_("Eligible for the job agreement"), required=False
    )
    wage_subsidy_eligible = forms.BooleanField(
        label=_("Eligible for wage-cost subsidy"), required=False
    )
    wants_work_and_learn = forms.BooleanField(label=_("Wants to work and learn"), required=False)
    summary = forms.CharField(
        label=_("Experience in short"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "The person agrees to be matched with vacancies and shown anonymously to employers"
        ),
        required=False,
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("municipality", "benefit_municipality"):
            self.fields[name].queryset = Municipality.objects.filter(region=region)

    def clean_occupations(self):
        chosen = list(dict.fromkeys(self.cleaned_data.get("occupations") or []))
        if not chosen:
            raise forms.ValidationError(_("Choose at least one desired occupation."))
        if len(chosen) > 3:
            raise forms.ValidationError(_("Choose at most three occupations."))
        return chosen

    def clean(self):
        data = super().clean()
        if (
            data.get("hours_min")
            and data.get("hours_max")
            and data["hours_min"] > data["hours_max"]
        ):
            self.add_error("hours_min", _("The minimum hours cannot be more than the maximum."))
        return data

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            k: data[k]
            for k in (
                "experience_years",
                "education_level",
                "hours_min",
                "hours_max",
                "municipality",
                "travel_radius_km",
                "work_fit",
                "benefit_regime",
                "benefit_municipality",
                "available",
                "job_agreement_eligible",
                "wage_subsidy_eligible",
                "wants_work_and_learn",
                "summary",
            )
        }
        fields["skills"] = split_skills(data.get("skills", ""))
        fields["postcode"] = (data.get("postcode") or "").replace(" ", "").upper()
        return fields
