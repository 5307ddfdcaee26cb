"""Advisers' screens for career-advice trajectories."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.views import role_required
from werkcentrum.privacy.services import log_list_reads, log_processing

from . import services
from .forms import CloseForm, NoteForm, PlanForm
from .models import Trajectory

advisers = role_required(
    lambda u: u.is_front_office or u.is_employer_services or u.is_administrator
)


@advisers
def my_trajectories(request):
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .filter(adviser=request.user, closed_at__isnull=True)
        .select_related("contact__person", "contact__municipality")
    )
    trajectories = list(trajectories)
    log_list_reads(
        actor=request.user, activity="intake", objects=trajectories, person_attr="contact.person"
    )
    return render(request, "trajectories/list.html", {"trajectories": trajectories})


def _trajectory(request, pk) -> Trajectory:
    return get_object_or_404(
        Trajectory.objects.visible_to(request.user).select_related(
            "contact__person", "adviser", "contact__region"
        ),
        pk=pk,
    )


@advisers
def detail(request, pk, forms=None):
    trajectory = _trajectory(request, pk)
    log_processing(actor=request.user, activity="intake", operation="read", obj=trajectory.contact)
    forms = forms or {}
    return render(
        request,
        "trajectories/detail.html",
        {
            "trajectory": trajectory,
            "notes": services.notes_for(trajectory, request.user),
            "plan_form": forms.get("plan")
            or PlanForm(initial={"goal": trajectory.goal, "plan": trajectory.plan}),
            "note_form": forms.get("note") or NoteForm(),
            "close_form": forms.get("close") or CloseForm(),
        },
        status=400 if forms else 200,
    )


def _act(request, pk, key, form_class, act, success):
    trajectory = _trajectory(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(trajectory, form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, success)
            return redirect("trajectories:detail", pk=pk)
    return detail(request, pk, forms={key: form})


@advisers
@require_POST
def save_plan(request, pk):
    return _act(
        request,
        pk,
        "plan",
        PlanForm,
        lambda t, d: services.update_plan(t, request.user, goal=d["goal"], plan=d["plan"]),
        _("Plan saved."),
    )


@advisers
@require_POST
def add_note(request, pk):
    return _act(
        request,
        pk,
        "note",
        NoteForm,
        lambda t, d: services.add_note(t, request.user, d["text"]),
        _("Note added."),
    )


@advisers
@require_POST
def close(request, pk):
    return _act(
        request,
        pk,
        "close",
        CloseForm,
        lambda t, d: services.close(t, request.user, outcome=d["outcome"], note=d["note"]),
        _("Trajectory closed; the question is answered with this outcome."),
    )
