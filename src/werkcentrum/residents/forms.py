from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.frontdoor.forms import MAX_QUESTION, MunicipalityChoiceField
from werkcentrum.regions.models import Municipality


def _municipalities(region):
    return Municipality.objects.filter(region=region).order_by("name")


class EmailLinkForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordLoginForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        from werkcentrum.residents.accounts import resident_by_email

        account = resident_by_email(data["email"])
        user = None
        if account is not None and account.has_usable_password():
            user = authenticate(self.request, username=account.username, password=data["password"])
        if user is None or not user.is_resident:
            raise forms.ValidationError(
                _("E-mail address or password is wrong. No password yet? Ask for a login link.")
            )
        self.user = user
        return data


class RegisterForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality where you live"), queryset=Municipality.objects.none()
    )
    privacy_ok = forms.BooleanField(
        label=_(
            "I agree that the Werkcentrum keeps my name and e-mail address for my account "
            "and shows me my own questions."
        )
    )

    def __init__(self, region, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities(region)


class QuestionForm(StyledFormMixin, forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In your own words. For example: I want to retrain for care work, who pays for the course?"
        ),
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality where you live"), queryset=Municipality.objects.none()
    )

    def __init__(self, region, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities(region)


class SetPasswordForm(StyledFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class DeletionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, I want the Werkcentrum to delete my data and my account.")
    )


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(),
    )
