from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.core.forms import StyledFormMixin
from werkcentrum.employers.models import Employer
from werkcentrum.regions.models import WalkInPoint
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

from .models import Audience, EventKind, RegistrationRole
from .services import MAX_CAPACITY


def _aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


class EventForm(StyledFormMixin, forms.Form):
    """Create or change an event. One day, from–until: the usual shape of these events."""

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens, for whom, what to bring. Shown on the public page."),
    )
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    walk_in_point = forms.ModelChoiceField(
        label=_("Walk-in point"),
        queryset=WalkInPoint.objects.none(),
        required=False,
        help_text=_("Leave empty and enter an address when the event is elsewhere."),
    )
    address = forms.CharField(
        label=_("Other venue: name and street"), required=False, max_length=300
    )
    city = forms.CharField(label=_("Other venue: place"), required=False, max_length=100)
    capacity = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("When all places are taken, people can join the waiting list."),
    )
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices)
    exhibitors_welcome = forms.BooleanField(
        label=_("Employers can register as exhibitor"), required=False
    )
    employers = forms.ModelMultipleChoiceField(
        label=_("Employers present"),
        queryset=Employer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown on the public page."),
    )
    vacancies = forms.ModelMultipleChoiceField(
        label=_("Vacancies to show"),
        queryset=Vacancy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Open vacancies of the region, linked from the public page."),
    )

    def __init__(self, *args, region=None, event=None, **kwargs):
        if event is not None:
            start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
            initial = {
                "kind": event.kind,
                "title": event.title,
                "description": event.description,
                "day": start.date(),
                "start": start.time(),
                "end": end.time(),
                "walk_in_point": event.walk_in_point_id,
                "address": event.address,
                "city": "" if event.walk_in_point_id else event.city,
                "capacity": event.capacity,
                "audience": event.audience,
                "exhibitors_welcome": event.exhibitors_welcome,
                "employers": list(event.employers.values_list("pk", flat=True)),
                "vacancies": list(event.vacancies.values_list("pk", flat=True)),
            }
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["walk_in_point"].queryset = WalkInPoint.objects.filter(region=region).order_by(
            "city", "name"
        )
        self.fields["employers"].queryset = Employer.objects.filter(region=region).order_by("name")
        vacancies = Vacancy.objects.filter(region=region, status=VacancyStatus.OPEN)
        if event is not None:  # keep vacancies linked before they closed
            vacancies = Vacancy.objects.filter(region=region).filter(
                pk__in=list(vacancies.values_list("pk", flat=True))
                + list(event.vacancies.values_list("pk", flat=True))
            )
        self.fields["vacancies"].queryset = vacancies.select_related("employer").order_by(
            "employer__name", "title"
        )
        self.fields["vacancies"].label_from_instance = lambda v: f"{v.title} — {v.employer.name}"

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            data["starts_at"] = _aware(day, start)
            data["ends_at"] = _aware(day, end)
            if end <= start:
                self.add_error("end", _("The end time must be after the start time."))
        if not data.get("walk_in_point") and not (data.get("address") or "").strip():
            self.add_error(
                "address", _("Choose a walk-in point or enter the address of the venue.")
            )
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        names = ("kind", "title", "description", "walk_in_point", "address", "city", "capacity")
        return {
            **{name: data[name] for name in names},
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "audience": data["audience"],
            "exhibitors_welcome": data["exhibitors_welcome"],
            "employers": data["employers"],
            "vacancies": data["vacancies"],
        }


def default_start():
    return timezone.localdate() + timedelta(days=14)


class RegisterForm(StyledFormMixin, forms.Form):
    """The register form on the public page; its fields depend on who is looking: a visitor
    gives a name and an e-mail address (and agrees), a logged-in resident registers with one
    click, a logged-in employer chooses how the company takes part."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    role = forms.ChoiceField(
        label=_("Take part as"), choices=RegistrationRole.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Werkcentrum uses my name and e-mail address for this event only "
            "(to confirm, remind and record attendance)."
        )
    )

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        authenticated = getattr(user, "is_authenticated", False)
        keep: set[str]
        if authenticated and user.is_resident:
            known = user.person.email or user.email
            keep = set() if known else {"email"}
        elif authenticated and user.is_employer:
            keep = set() if user.email else {"email"}
            roles = []
            if event.for_employers:
                roles.append(RegistrationRole.PARTICIPANT)
            if event.exhibitors_welcome:
                roles.append(RegistrationRole.EXHIBITOR)
            if len(roles) > 1:
                keep.add("role")
                self.fields["role"].initial = RegistrationRole.EXHIBITOR
            self.fixed_role = roles[0] if roles else RegistrationRole.PARTICIPANT
        else:
            keep = {"name", "email", "consent"}
            if event.for_employers:
                keep.add("organisation")
                self.fields["organisation"].required = event.audience == Audience.EMPLOYERS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def registration_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "organisation": data.get("organisation", ""),
            "role": data.get("role") or getattr(self, "fixed_role", RegistrationRole.PARTICIPANT),
            "consent": data.get("consent", False),
        }


class AttendanceForm(forms.Form):
    """The ticked registrations (checkbox ``attended`` per row); the view checks membership."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name) for r in registrations]
