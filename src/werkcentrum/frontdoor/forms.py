"""Forms for the public question form and the staff screens. Validation messages say what and
where; services enforce the rules again (forms are for people, services for invariants)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.privacy.bsn import is_valid_bsn, normalise_bsn
from werkcentrum.regions.models import Municipality, Partner, WalkInPoint

from .models import (
    BENEFIT_CHOICES,
    SERVICE_LEVEL_CHOICES,
    TOPIC_CHOICES,
    WORK_STATUS_CHOICES,
    AskerType,
    Channel,
    ConsentCategory,
)
from .persons import normalise_phone

MAX_QUESTION = 5000
BLANK = [("", "—")]


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def municipality_queryset():
    return Municipality.objects.select_related("region").order_by("name")


class PersonFieldsMixin(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Helps to find a known person."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\s*\d{4}\s?[A-Za-z]{2}\s*$",
        required=False,
        max_length=7,
        error_messages={"invalid": _("Enter a Dutch postcode like 7511 AB.")},
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        digits = normalise_phone(phone)
        if phone and not (9 <= len(digits) <= 13):
            raise forms.ValidationError(_("Enter a phone number of 10 digits, e.g. 06 12345678."))
        return digits

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and not (
            timezone.localdate() - timedelta(days=120 * 365) < value <= timezone.localdate()
        ):
            raise forms.ValidationError(_("Enter a date of birth in the past."))
        return value

    def person_data(self) -> dict:
        return {
            k: self.cleaned_data.get(k) or ("" if k != "date_of_birth" else None)
            for k in ("first_name", "last_name", "date_of_birth", "email", "phone", "postcode")
        }

    def has_person_data(self) -> bool:
        return any(
            self.cleaned_data.get(k)
            for k in ("first_name", "last_name", "email", "phone", "date_of_birth")
        )


class SituationFieldsMixin(StyledFormMixin, forms.Form):
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="—",
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    work_status = forms.ChoiceField(
        label=_("Work"), choices=BLANK + WORK_STATUS_CHOICES, required=False
    )
    benefit = forms.ChoiceField(label=_("Benefit"), choices=BLANK + BENEFIT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipality_queryset()


class PublicQuestionForm(SituationFieldsMixin, PersonFieldsMixin):
    """The public form: ask only what is needed. Anonymous is fine if no reply is wanted."""

    REPLY_CHOICES = [
        ("email", _("By e-mail")),
        ("phone", _("By phone")),
        ("none", _("No reply needed: show me where I can go")),
    ]
    asker_type = forms.ChoiceField(
        label=_("I am asking as"),
        choices=AskerType.choices,
        widget=forms.RadioSelect,
        initial=AskerType.RESIDENT,
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In your own words. For example: I want to retrain for care work, who pays for the course?"
        ),
    )
    organisation_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    reply_by = forms.ChoiceField(
        label=_("How would you like an answer?"),
        choices=REPLY_CHOICES,
        widget=forms.RadioSelect,
        initial="email",
    )
    privacy_ok = forms.BooleanField(
        label=_("I agree that the Werkcentrum uses these details to answer my question."),
        required=True,
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot for bots

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].required = True
        self.fields["municipality"].help_text = _("Where you live (or where the company is).")

    def clean(self):
        data = super().clean()
        reply = data.get("reply_by")
        if data.get("website"):
            raise forms.ValidationError(_("Your question could not be sent."))
        if reply in ("email", "phone") and not data.get("last_name"):
            self.add_error("last_name", _("We need your name to answer you."))
        if reply == "email" and not data.get("email"):
            self.add_error(
                "email", _("Enter your e-mail address, or choose another way to get an answer.")
            )
        if reply == "phone" and not data.get("phone"):
            self.add_error(
                "phone", _("Enter your phone number, or choose another way to get an answer.")
            )
        if data.get("asker_type") == AskerType.EMPLOYER and not data.get("organisation_name"):
            self.add_error("organisation_name", _("Enter the name of your company."))
        return data


class IntakeForm(SituationFieldsMixin, PersonFieldsMixin):
    """The guide's intake: a walk-in or a call in a few keystrokes."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect
    )
    walk_in_point = forms.ModelChoiceField(
        label=_("Place"), queryset=WalkInPoint.objects.none(), required=False
    )
    referred_by = forms.ModelChoiceField(
        label=_("Referred by"), queryset=Partner.objects.none(), required=False
    )
    asker_type = forms.ChoiceField(
        label=_("Asker"), choices=AskerType.choices, widget=forms.RadioSelect
    )
    question = forms.CharField(
        label=_("Question (in the person's words)"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=TOPIC_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: recognised from the question when left empty."),
    )
    organisation_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=11,
        required=False,
        help_text=_("Only when a partner needs it. Stored encrypted."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    person_choice = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["walk_in_point"].queryset = WalkInPoint.objects.filter(region=region)
        self.fields["referred_by"].queryset = Partner.objects.filter(
            region=region, active=True
        ).order_by("name")
        self.fields["question"].widget.attrs["autofocus"] = True

    def clean_bsn(self):
        value = self.cleaned_data.get("bsn", "")
        if value and not is_valid_bsn(normalise_bsn(value)):
            raise forms.ValidationError(_("This is not a valid BSN (it fails the eleven-test)."))
        return normalise_bsn(value) if value else ""

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.WALK_IN and not data.get("walk_in_point"):
            self.add_error("walk_in_point", _("Choose the walk-in point where the person is."))
        if data.get("channel") == Channel.REFERRAL and not data.get("referred_by"):
            self.add_error("referred_by", _("Choose the partner that referred the person."))
        if self.has_person_data() and not data.get("last_name"):
            self.add_error(
                "last_name", _("Enter the last name, or leave all personal fields empty.")
            )
        if data.get("bsn") and not data.get("last_name"):
            self.add_error("bsn", _("A BSN can only be recorded for a named person."))
        return data


class AttachPersonForm(PersonFieldsMixin):
    bsn = IntakeForm.base_fields["bsn"]
    person_choice = forms.CharField(required=False, widget=forms.HiddenInput)

    clean_bsn = IntakeForm.clean_bsn

    def clean(self):
        data = super().clean()
        if not data.get("last_name"):
            self.add_error("last_name", _("Enter the last name."))
        return data


class AnswerForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What was answered (links, information given)"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdviceForm(StyledFormMixin, forms.Form):
    adviser = forms.ModelChoiceField(
        label=_("Adviser"),
        queryset=None,
        required=False,
        help_text=_("Empty: you are the adviser yourself."),
    )
    goal = forms.CharField(
        label=_("Goal of the advice"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note for the advice (appointment, adviser)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        from werkcentrum.accounts.models import User

        self.fields["adviser"].queryset = User.objects.filter(
            region=region, is_active=True, role__in=["guide", "coordinator", "employer_adviser"]
        ).order_by("first_name")


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class HandoverForm(StyledFormMixin, forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    categories = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=ConsentCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ConsentCategory.CONTACT_DETAILS, ConsentCategory.QUESTION],
    )
    valid_until = forms.DateField(
        label=_("Consent valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    message = forms.CharField(
        label=_("Message to the partner"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_details_checked = forms.BooleanField(label=_("Contact details checked with the person"))
    consent_given = forms.BooleanField(
        label=_("The person agreed after hearing what is shared, with whom and until when")
    )

    def __init__(self, *args, region=None, exclude_partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(region=region, active=True).exclude(
            kind="werkcentrum", default_for_kind=True
        )
        self.fields["partner"].queryset = partners.select_related("municipality").order_by(
            "kind", "name"
        )
        self.fields["valid_until"].initial = timezone.localdate() + timedelta(days=90)

    def clean_categories(self):
        categories = set(self.cleaned_data["categories"])
        if not {ConsentCategory.CONTACT_DETAILS, ConsentCategory.QUESTION} <= categories:
            raise forms.ValidationError(
                _("A handover always shares the name, contact details and the question.")
            )
        return sorted(categories)

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The consent cannot end in the past."))
        if value > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("Ask consent for at most one year."))
        return value


class OverrideForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Service level"), choices=SERVICE_LEVEL_CHOICES)
    partner = PartnerChoiceField(label=_("First responsible"), queryset=Partner.objects.none())
    reason = forms.CharField(
        label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            region=region, active=True
        ).order_by("kind", "name")


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you returning it?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suggested_partner = PartnerChoiceField(
        label=_("Better partner (optional)"), queryset=Partner.objects.none(), required=False
    )

    def __init__(self, *args, region=None, own_partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Partner.objects.filter(region=region, active=True)
        if own_partner is not None:
            qs = qs.exclude(pk=own_partner.pk)
        self.fields["suggested_partner"].queryset = qs.order_by("kind", "name")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ReassignForm(StyledFormMixin, forms.Form):
    to_user = forms.ModelChoiceField(label=_("Guide"), queryset=None)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        from werkcentrum.accounts.models import User

        self.fields["to_user"].queryset = User.objects.filter(
            region=region, role__in=["guide", "coordinator"], is_active=True
        ).order_by("first_name")


class RerouteForm(StyledFormMixin, forms.Form):
    partner = PartnerChoiceField(label=_("New partner"), queryset=Partner.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.filter(region=region, active=True)
            .exclude(kind="werkcentrum", default_for_kind=True)
            .order_by("kind", "name")
        )


class RulesForm(StyledFormMixin, forms.Form):
    source_text = forms.CharField(
        label=_("Rules (TOML)"),
        widget=forms.Textarea(
            attrs={"rows": 30, "spellcheck": "false", "wrap": "off", "class": "textarea--code"}
        ),
        max_length=200_000,
    )
    change_note = forms.CharField(label=_("What changed and why"), max_length=300)
