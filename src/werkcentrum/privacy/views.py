"""The data protection officer's screen for deletion requests (``/beheer/verwijderverzoeken/``).

Administrators only (the data protection officer works as one); everyone else gets 403. Showing
a request shows the person's name and records, so it is written to the processing log (activity
``self_service``) like every other page with personal data."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.core.errors import ServiceError
from werkcentrum.frontdoor.views import role_required

from . import erasure
from .forms import CarryOutForm, RefuseForm
from .services import log_list_reads, log_processing

administrator = role_required(lambda u: u.is_administrator)


def _default_answer(request, plan) -> str:
    lines = [
        _("We have handled your deletion request %(ref)s.") % {"ref": request.reference},
        "",
        _(
            "We deleted your details, your account, the content of your questions, your "
            "consents, notes and appointments."
        ),
    ]
    kept = [line.label for line in plan.keep if line.count and line.key == "figures"]
    if kept:
        lines += ["", _("What the law requires us to keep, we keep without your name:")]
        lines += [f"- {label}" for label in kept]
    if plan.identity_kept:
        lines += [
            "",
            _(
                "Your training voucher must be kept with your name for the tax authorities for "
                "seven years; after that we delete it too."
            ),
        ]
    lines += [
        "",
        _("If you do not agree, you can file a complaint with the Autoriteit Persoonsgegevens."),
    ]
    return "\n".join(lines)


@administrator
def deletion_requests(request):
    open_requests = list(erasure.open_requests())
    today = timezone.localdate()
    rows = [
        {"request": r, "due": erasure.due_date(r), "overdue": erasure.due_date(r) < today}
        for r in open_requests
    ]
    log_list_reads(actor=request.user, activity=erasure.ACTIVITY, objects=open_requests)
    return render(
        request,
        "privacy/deletion_requests.html",
        {"rows": rows, "handled": erasure.handled_requests()[:20]},
    )


def _detail(request, deletion, carry_form=None, refuse_form=None, status=200):
    plan = erasure.plan(deletion.person) if deletion.status == "open" else None
    if deletion.person is not None:
        log_processing(
            actor=request.user, activity=erasure.ACTIVITY, operation="read", obj=deletion
        )
    carry_form = carry_form or CarryOutForm(
        initial={"answer": _default_answer(deletion, plan) if plan else ""}
    )
    return render(
        request,
        "privacy/deletion_request.html",
        {
            "deletion": deletion,
            "plan": plan,
            "due": erasure.due_date(deletion),
            "emails": erasure.addresses(deletion.person),
            "carry_form": carry_form,
            "refuse_form": refuse_form or RefuseForm(),
        },
        status=status,
    )


def _get(pk):
    from werkcentrum.residents.models import DeletionRequest

    return get_object_or_404(
        DeletionRequest.objects.select_related("person", "person__region", "handled_by"), pk=pk
    )


@administrator
def deletion_request(request, pk):
    return _detail(request, _get(pk))


@administrator
@require_POST
def deletion_carry_out(request, pk):
    deletion = _get(pk)
    form = CarryOutForm(request.POST)
    if not form.is_valid():
        return _detail(request, deletion, carry_form=form, status=400)
    try:
        done, sent = erasure.carry_out(
            deletion.pk, request.user, form.cleaned_data["answer"], http_request=request
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:deletion_request", pk=deletion.pk)
    if sent:
        messages.success(
            request,
            _("Request %(ref)s carried out; the resident is told by e-mail.")
            % {"ref": done.reference},
        )
    else:
        messages.warning(
            request,
            _(
                "Request %(ref)s carried out. There was no e-mail address: tell the resident "
                "another way."
            )
            % {"ref": done.reference},
        )
    return redirect("privacy:deletion_requests")


@administrator
@require_POST
def deletion_refuse(request, pk):
    deletion = _get(pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _detail(request, deletion, refuse_form=form, status=400)
    try:
        done, _sent = erasure.refuse(
            deletion.pk, request.user, form.cleaned_data["reason"], http_request=request
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:deletion_request", pk=deletion.pk)
    messages.success(request, _("Request %(ref)s refused.") % {"ref": done.reference})
    return redirect("privacy:deletion_requests")
