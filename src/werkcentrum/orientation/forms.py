"""The interest test as a form (48 statements, 1-5) and the share form."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import talentwall
from .selectors import wall
from .services import MAX_MESSAGE_LENGTH
from .tokens import MAX_TOKEN_LENGTH

# The answer scale, 1..5 (msgids in English; the Dutch catalogue says "Helemaal niet" ...).
SCALE_LABELS = [
    ("1", gettext_lazy("Not at all")),
    ("2", gettext_lazy("Not really")),
    ("3", gettext_lazy("Neutral")),
    ("4", gettext_lazy("Somewhat")),
    ("5", gettext_lazy("Very much")),
]
FIELD_PREFIX = "a_"


def field_name(statement_id: str) -> str:
    return f"{FIELD_PREFIX}{statement_id}"


class TalentWallForm(forms.Form):
    """One optional radio field per statement; the whole is valid when the scoring accepts it
    (at least 80 % answered, enough of every type)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wall = wall()
        self.groups = talentwall.form_groups(self.wall.statements)
        self.profile: talentwall.Profile | None = None
        self.missing: tuple[str, ...] = ()
        self.answers: dict[str, int] = {}
        for statement in self.wall.statements:
            self.fields[field_name(statement.id)] = forms.TypedChoiceField(
                choices=SCALE_LABELS,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        answers = {
            s.id: cleaned[field_name(s.id)]
            for s in self.wall.statements
            if cleaned.get(field_name(s.id)) is not None
        }
        self.answers = answers
        if self.errors:  # a value outside 1..5: the field says so, the summary too
            raise forms.ValidationError(_("Some answers could not be read."), code="invalid")
        try:
            self.profile = talentwall.score(answers, self.wall.statements)
        except talentwall.IncompleteAnswers as exc:
            self.missing = exc.missing
            still = exc.required - exc.answered
            if still > 0:
                message = _(
                    "You answered %(answered)s of %(total)s statements. "
                    "Please answer at least %(more)s more."
                ) % {"answered": exc.answered, "total": len(self.wall.statements), "more": still}
            else:
                message = _(
                    "Please answer a few more statements, so every kind of work gets a fair chance."
                )
            raise forms.ValidationError(message, code="incomplete") from exc
        except ValueError as exc:
            raise forms.ValidationError(
                _("Some answers could not be read."), code="invalid"
            ) from exc
        return cleaned

    def rows(self):
        """The statements as the template shows them: 6 groups of numbered rows."""
        lang = get_language()
        missing = set(self.missing)
        bound = self.is_bound
        number = 0
        groups = []
        for group in self.groups:
            rows = []
            for statement in group:
                number += 1
                name = field_name(statement.id)
                value = self[name].value() if bound else self.initial.get(name)
                rows.append(
                    {
                        "number": number,
                        "id": f"st-{statement.id}",
                        "name": name,
                        "text": statement.text(lang),
                        "value": "" if value in (None, "") else str(value),
                        "missing": statement.id in missing,
                        "error": self[name].errors if bound else [],
                    }
                )
            groups.append(rows)
        return groups

    def first_missing_anchor(self) -> str:
        """The id of the first unanswered statement in the order shown, for the error summary."""
        missing = set(self.missing)
        for group in self.groups:
            for statement in group:
                if statement.id in missing:
                    return f"st-{statement.id}-1"
        for name in self.errors:
            if name.startswith(FIELD_PREFIX):
                return f"st-{name[len(FIELD_PREFIX) :]}-1"
        return ""


class ShareForm(forms.Form):
    r = forms.CharField(widget=forms.HiddenInput, max_length=MAX_TOKEN_LENGTH)
    message = forms.CharField(
        label=gettext_lazy("Message for the career adviser (optional)"),
        help_text=gettext_lazy(
            "For example what kind of work you are thinking of, or when you can be reached."
        ),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"class": "textarea", "rows": 4}),
    )
