from django import forms
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.frontdoor.forms import MAX_QUESTION


class QuestionForm(StyledFormMixin, forms.Form):
    question = forms.CharField(
        label=_("Your question to the Werkcentrum"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: which subsidy applies when I hire someone with a wage-cost subsidy?"
        ),
    )
