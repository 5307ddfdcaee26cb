"""The data protection officer's forms for a deletion request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin


class CarryOutForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer to the resident"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Sent by e-mail; the resident can no longer log in afterwards."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the summary: erase this person's data now.")
    )


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent by e-mail and shown in My Werkcentrum. Mention the right to complain "
            "to the Autoriteit Persoonsgegevens."
        ),
    )
