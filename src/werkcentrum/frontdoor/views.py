"""Screens of the front door. Thin: forms in, services do the work, selectors read."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkcentrum.menu import selectors as menu_selectors
from werkcentrum.privacy.services import log_list_reads
from werkcentrum.regions.models import Municipality, Region, WalkInPoint
from werkcentrum.triage import TOPICS, Situation

from . import notifications, selectors, services
from .errors import ServiceError
from .forms import (
    AdviceForm,
    AnswerForm,
    AttachPersonForm,
    HandoverForm,
    IntakeForm,
    OverrideForm,
    PublicQuestionForm,
    ReasonForm,
    ReassignForm,
    RerouteForm,
    ReturnForm,
    RulesForm,
)
from .models import SERVICE_LEVEL_CHOICES, TOPIC_CHOICES, Channel, Consent, Contact, Handover
from .persons import create_person, set_bsn
from .routing import DEFAULT_RULES_FILE, propose, rules_in_force
from .states import ContactStatus, HandoverStatus

RECEIPT_SALT = "werkcentrum.question-receipt"
RECEIPT_VALID_SECONDS = 180 * 24 * 60 * 60  # the status link works for half a year
TOPIC_LABELS = dict(TOPIC_CHOICES)


def role_required(check):
    """Allow a view only for users for whom ``check(user)`` holds (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


front_office = role_required(lambda u: u.is_front_office)
coordinator = role_required(lambda u: u.is_coordinator or u.is_administrator and u.region_id)
partner_employee = role_required(lambda u: u.is_partner_employee)


def _region_for(request) -> Region:
    user = request.user
    if getattr(user, "is_authenticated", False) and user.region_id:
        return user.region
    from django.conf import settings

    region = (
        Region.objects.filter(code=settings.WERKCENTRUM_DEFAULT_REGION).first()
        or Region.objects.first()
    )
    if region is None:
        raise Http404("No region loaded")
    return region


def _service_error(request, form, exc: ServiceError):
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


# -- public -----------------------------------------------------------------------------------


def home(request):
    user = request.user
    if user.is_authenticated and not request.GET.get("public"):
        return redirect("frontdoor:workspace")
    region = _region_for(request)
    points = WalkInPoint.objects.filter(region=region).select_related("municipality")
    return render(request, "frontdoor/home.html", {"region": region, "walk_in_points": points})


def walk_in_points(request):
    region = _region_for(request)
    points = (
        WalkInPoint.objects.filter(region=region)
        .select_related("municipality")
        .order_by("-is_regional_centre", "municipality__name", "name")
    )
    return render(
        request, "frontdoor/walk_in_points.html", {"region": region, "walk_in_points": points}
    )


def ask_question(request):
    region = _region_for(request)
    form = PublicQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = None
                if data["reply_by"] in ("email", "phone"):
                    person = create_person(
                        region, **form.person_data(), municipality=data["municipality"]
                    )
                contact = services.register_contact(
                    region=region,
                    channel=Channel.DIGITAL,
                    asker_type=data["asker_type"],
                    question=data["question"],
                    municipality=data["municipality"],
                    person=person,
                    organisation_name=data.get("organisation_name", ""),
                    age=data.get("age"),
                    work_status=data.get("work_status", ""),
                    benefit=data.get("benefit", ""),
                )
        except ServiceError as exc:
            _service_error(request, form, exc)
        else:
            token = signing.dumps(contact.pk, salt=RECEIPT_SALT)
            if contact.person and contact.person.email:
                notifications.question_received(contact, token)
            return redirect("frontdoor:question_received", token=token)
    return render(request, "frontdoor/ask.html", {"form": form, "region": region})


def question_received(request, token: str):
    try:
        pk = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_VALID_SECONDS)
    except signing.BadSignature as exc:
        raise Http404 from exc
    contact = get_object_or_404(
        Contact.objects.select_related("responsible_partner", "region", "person"), pk=pk
    )
    handover = contact.handovers.select_related("partner").order_by("-created_at", "-id").first()
    return render(request, "frontdoor/received.html", {"contact": contact, "handover": handover})


# -- workspace --------------------------------------------------------------------------------


@login_required
def workspace(request):
    user = request.user
    if user.is_partner_employee:
        return redirect("frontdoor:partner_inbox")
    if user.is_coordinator:
        return redirect("frontdoor:escalations")
    if user.is_employer_services:
        return redirect("employers:list")
    if user.is_employer:
        return redirect("portal:home")
    if user.is_resident:
        return redirect("residents:home")
    if user.is_front_office:
        return redirect("frontdoor:guide_queue")
    if user.is_manager:
        return redirect("frontdoor:manager_overview")
    if user.is_administrator:
        return redirect("admin:index")
    raise PermissionDenied


@front_office
def guide_queue(request):
    mine = list(selectors.my_queue(request.user)[:200])
    unassigned = list(selectors.unassigned_queue(request.user)[:50])
    log_list_reads(actor=request.user, activity="intake", objects=mine + unassigned)
    return render(request, "frontdoor/guide_queue.html", {"mine": mine, "unassigned": unassigned})


def _topic_labels(topics):
    return [TOPIC_LABELS.get(t, t) for t in topics]


def _situation_for_form(request):
    """The situation typed so far in the intake form, and its municipality."""
    question = (request.POST.get("question") or "").strip()
    raw_municipality = request.POST.get("municipality") or ""
    municipality = (  # half-typed forms: anything but a plain id is no municipality yet
        Municipality.objects.filter(pk=int(raw_municipality)).select_related("region").first()
        if raw_municipality.isascii() and raw_municipality.isdigit() and len(raw_municipality) < 10
        else None
    )
    try:
        age = int(request.POST.get("age") or "") if request.POST.get("age") else None
    except ValueError:
        age = None
    topics = tuple(t for t in request.POST.getlist("topics") if t in TOPICS) or None
    work_status = request.POST.get("work_status") or None
    benefit = request.POST.get("benefit") or None
    asker = request.POST.get("asker_type") or "resident"
    if asker not in ("resident", "employer"):
        asker = "resident"
    situation = Situation(
        asker=asker,
        municipality=municipality.code if municipality else None,
        age=age if age is None or 0 <= age <= 120 else None,
        work_status=work_status
        if work_status in dict(IntakeForm.base_fields["work_status"].choices)
        else None,
        benefit=benefit if benefit in dict(IntakeForm.base_fields["benefit"].choices) else None,
        topics=topics,
        question=question[:5000],
    )
    return situation, municipality


def _proposal_for_form(request, region):
    """Live triage for the intake form (htmx): the proposal for what is typed so far."""
    situation, municipality = _situation_for_form(request)
    if not situation.question and not situation.topics:
        return None
    return propose(region, situation, municipality)


@front_office
def triage_preview(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    proposal = _proposal_for_form(request, request.user.region)
    menu_matches = []
    if proposal:  # the top 5 services of the menu for the same situation
        situation, _municipality = _situation_for_form(request)
        menu_matches = menu_selectors.eligible_for(request.user.region, situation, limit=5)
    return render(
        request,
        "frontdoor/_proposal.html",
        {
            "proposal": proposal,
            "live": True,
            "topic_labels": _topic_labels(proposal.decision.topics) if proposal else [],
            "menu_matches": menu_matches,
        },
    )


@front_office
def person_search(request):
    """htmx: known persons matching what the guide typed (fuzzy name + an identifier)."""
    form = AttachPersonForm(request.GET)
    form.is_valid()
    data = {
        k: form.cleaned_data.get(k)
        for k in ("first_name", "last_name", "date_of_birth", "email", "phone")
    }
    matches = []
    if data.get("last_name"):
        matches = selectors.search_persons(
            request.user,
            request.user.region,
            **{k: v or ("" if k != "date_of_birth" else None) for k, v in data.items()},
        )
    return render(request, "frontdoor/_person_matches.html", {"matches": matches})


def _resolve_person(request, form, region):
    """The person for the form: a chosen match, a new one, or None. Returns (person, matches):
    when matches exist and the guide did not choose yet, person is None and matches are shown."""
    if not form.has_person_data():
        return None, []
    choice = form.cleaned_data.get("person_choice") or ""
    if choice.isdigit():
        match = selectors.search_persons(request.user, region, **_match_criteria(form))
        chosen = [m.person for m in match if str(m.person.pk) == choice]
        if chosen:
            return chosen[0], []
    if choice != "new":
        matches = selectors.search_persons(request.user, region, **_match_criteria(form))
        if matches:
            return None, matches
    data = form.person_data()
    person = create_person(
        region,
        **data,
        municipality=form.cleaned_data.get("municipality"),
        bsn=form.cleaned_data.get("bsn", ""),
    )
    return person, []


def _match_criteria(form):
    data = form.person_data()
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "date_of_birth": data["date_of_birth"],
        "email": data["email"],
        "phone": data["phone"],
        "bsn": form.cleaned_data.get("bsn", ""),
    }


@front_office
def intake(request):
    user = request.user
    region = user.region
    initial = {
        "channel": Channel.WALK_IN if user.walk_in_point_id else Channel.PHONE,
        "walk_in_point": user.walk_in_point_id,
        "asker_type": "resident",
    }
    form = IntakeForm(request.POST or None, initial=initial, region=region)
    matches = []
    proposal = None
    if request.method == "POST":
        proposal = _proposal_for_form(request, region)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    person, matches = _resolve_person(request, form, region)
                    if not matches:
                        if person is not None and data.get("bsn") and not person.has_bsn:
                            set_bsn(person, data["bsn"])
                            person.save(update_fields=["bsn_encrypted", "bsn_hash"])
                        contact = services.register_contact(
                            region=region,
                            channel=data["channel"],
                            asker_type=data["asker_type"],
                            question=data["question"],
                            created_by=user,
                            walk_in_point=data.get("walk_in_point"),
                            referred_by=data.get("referred_by")
                            if data["channel"] == Channel.REFERRAL
                            else None,
                            municipality=data.get("municipality"),
                            person=person,
                            organisation_name=data.get("organisation_name", ""),
                            topics=data.get("topics") or None,
                            age=data.get("age"),
                            work_status=data.get("work_status", ""),
                            benefit=data.get("benefit", ""),
                        )
            except ServiceError as exc:
                _service_error(request, form, exc)
            else:
                if not matches:
                    messages.success(
                        request, _("Question %(ref)s registered.") % {"ref": contact.reference}
                    )
                    return redirect("frontdoor:contact_detail", pk=contact.pk)
    return render(
        request,
        "frontdoor/intake.html",
        {
            "form": form,
            "matches": matches,
            "proposal": proposal,
            "topic_labels": _topic_labels(proposal.decision.topics) if proposal else [],
        },
    )


def _contact_context(request, contact, **forms):
    region = contact.region
    handovers = list(selectors.handovers_of(contact))
    pending = next((h for h in handovers if h.status == HandoverStatus.PENDING), None)
    last = handovers[-1] if handovers else None
    # After a return, propose the partner the returning partner suggested.
    suggested = (
        last.suggested_partner_id if last and last.status == HandoverStatus.RETURNED else None
    )
    context = {
        "contact": contact,
        "timeline": selectors.timeline(contact),
        "handovers": handovers,
        "pending_handover": pending,
        "topic_labels": _topic_labels(contact.topics),
        "masked_bsn": selectors.masked_bsn(contact.person) if contact.person else "",
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "advice_form": forms.get("advice_form") or AdviceForm(region=region),
        "open_trajectory": contact.trajectories.filter(closed_at__isnull=True).first(),
        "handover_partner": last.suggested_partner if suggested else contact.responsible_partner,
        "handover_form": forms.get("handover_form")
        or HandoverForm(
            region=region, initial={"partner": suggested or contact.responsible_partner_id}
        ),
        "override_form": forms.get("override_form")
        or OverrideForm(
            region=region,
            initial={"level": contact.service_level, "partner": contact.responsible_partner_id},
        ),
        "person_form": forms.get("person_form") or AttachPersonForm(),
        "person_matches": forms.get("person_matches") or [],
        "is_open": contact.status == ContactStatus.OPEN,
        "menu_matches": menu_selectors.eligible_for_contact(contact),
    }
    return context


@front_office
def contact_detail(request, pk: int):
    contact = selectors.contact_detail(request.user, pk)
    return render(request, "frontdoor/contact_detail.html", _contact_context(request, contact))


def _contact_action(request, pk):
    if request.method != "POST":
        raise Http404
    return selectors.contact_detail(request.user, pk)


def _contact_form_action(request, pk, form_key, make_form, act):
    """POST a form about one contact. Success: a message and back to the contact. Invalid input
    or a refused service: the contact page again with the form's errors (400), nothing changed."""
    contact = _contact_action(request, pk)
    form = make_form(contact)
    if form.is_valid():
        try:
            with transaction.atomic():
                message = act(contact, form.cleaned_data)
        except ServiceError as exc:
            _service_error(request, form, exc)
        else:
            messages.success(request, message)
            return redirect("frontdoor:contact_detail", pk=pk)
    context = _contact_context(request, contact, **{form_key: form})
    return render(request, "frontdoor/contact_detail.html", context, status=400)


@front_office
@require_POST
def contact_answer(request, pk):
    def act(contact, data):
        services.answer_contact(contact, request.user, data["outcome"])
        return _("Answered. The question is closed.")

    return _contact_form_action(request, pk, "answer_form", lambda c: AnswerForm(request.POST), act)


@front_office
@require_POST
def contact_advice(request, pk):
    def act(contact, data):
        services.start_advice(
            contact,
            request.user,
            data["note"],
            adviser=data.get("adviser"),
            goal=data.get("goal", ""),
        )
        return _("Advice started.")

    return _contact_form_action(
        request, pk, "advice_form", lambda c: AdviceForm(request.POST, region=c.region), act
    )


@front_office
@require_POST
def contact_handover(request, pk):
    def act(contact, data):
        consent = services.record_consent(
            contact,
            request.user,
            partner=data["partner"],
            categories=data["categories"],
            valid_until=data["valid_until"],
        )
        handover = services.create_handover(
            contact, request.user, partner=data["partner"], consent=consent, message=data["message"]
        )
        return _("Handed over to %(partner)s. They pick it up before %(due)s.") % {
            "partner": handover.partner.name,
            "due": timezone.localtime(handover.due_at).strftime("%d-%m-%Y %H:%M"),
        }

    return _contact_form_action(
        request, pk, "handover_form", lambda c: HandoverForm(request.POST, region=c.region), act
    )


@front_office
@require_POST
def contact_override(request, pk):
    def act(contact, data):
        services.override_triage(
            contact,
            request.user,
            level=data["level"],
            partner=data["partner"],
            reason=data["reason"],
        )
        return _("Triage changed; your reason is kept to improve the rules.")

    return _contact_form_action(
        request, pk, "override_form", lambda c: OverrideForm(request.POST, region=c.region), act
    )


@front_office
@require_POST
def contact_person(request, pk):
    contact = _contact_action(request, pk)
    form = AttachPersonForm(request.POST)
    matches = []
    if form.is_valid():
        try:
            with transaction.atomic():
                person, matches = _resolve_person(request, form, contact.region)
                if person is not None:
                    services.attach_person(contact, person, request.user)
            if person is not None:
                messages.success(request, _("Person linked to the question."))
                return redirect("frontdoor:contact_detail", pk=pk)
        except ServiceError as exc:
            _service_error(request, form, exc)
    return render(
        request,
        "frontdoor/contact_detail.html",
        _contact_context(request, contact, person_form=form, person_matches=matches),
        status=200 if matches else 400,
    )


def _contact_step(request, pk, service, success: str):
    contact = _contact_action(request, pk)
    try:
        service(contact, request.user)
        messages.success(request, success)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("frontdoor:contact_detail", pk=pk)


@front_office
@require_POST
def contact_claim(request, pk):
    return _contact_step(request, pk, services.claim_contact, _("The question is now yours."))


@front_office
@require_POST
def contact_reopen(request, pk):
    return _contact_step(request, pk, services.reopen_contact, _("Question reopened."))


def _handover_for_front_office(request, pk) -> Handover:
    return get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("contact", "partner"), pk=pk
    )


@front_office
@require_POST
def handover_withdraw(request, pk):
    handover = _handover_for_front_office(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_handover(handover, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Handover withdrawn; the question is back with its guide."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give a reason for withdrawing."))
    if request.POST.get("next") == "escalations":
        return redirect("frontdoor:escalations")
    return redirect("frontdoor:contact_detail", pk=handover.contact_id)


@front_office
@require_POST
def consent_withdraw(request, pk):
    """The person withdraws a consent (recorded by the front office on their behalf)."""
    consent = get_object_or_404(
        Consent.objects.visible_to(request.user).select_related("contact"), pk=pk
    )
    try:
        note = request.POST.get("note", "").replace("\x00", "")[:500]  # NUL: no database stores it
        services.withdraw_consent(consent, request.user, note)
        messages.success(
            request,
            _("Consent withdrawn: nothing more is shared with %(partner)s.")
            % {"partner": consent.partner.name},
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("frontdoor:contact_detail", pk=consent.contact_id)


# -- partner ----------------------------------------------------------------------------------


@partner_employee
def partner_inbox(request):
    tab = request.GET.get("tab", "pending")
    status = {
        "pending": HandoverStatus.PENDING,
        "accepted": HandoverStatus.ACCEPTED,
        "returned": HandoverStatus.RETURNED,
    }.get(tab, HandoverStatus.PENDING)
    handovers = list(selectors.partner_inbox(request.user, status)[:200])
    for handover in handovers:
        handover.shared = selectors.shared_data(handover)
    log_list_reads(
        actor=request.user,
        activity="partner_pickup",
        objects=[h for h in handovers if h.shared and "contact_details" in h.shared],
        person_attr="contact.person",
    )
    counts = {
        "pending": Handover.objects.visible_to(request.user)
        .filter(status=HandoverStatus.PENDING)
        .count(),
    }
    return render(
        request,
        "frontdoor/partner_inbox.html",
        {"handovers": handovers, "tab": tab, "counts": counts, "now": timezone.now()},
    )


@partner_employee
def partner_handover(request, pk):
    handover = selectors.handover_for_partner(request.user, pk)
    form = ReturnForm(region=handover.partner.region, own_partner=handover.partner)
    return render(
        request,
        "frontdoor/partner_handover.html",
        {
            "handover": handover,
            "shared": selectors.shared_data(handover),
            "return_form": form,
        },
    )


@partner_employee
@require_POST
def partner_accept(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=pk)
    try:
        services.accept_handover(handover, request.user)
        messages.success(request, _("Accepted. The question is now yours; the person is informed."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("frontdoor:partner_handover", pk=pk)


@partner_employee
@require_POST
def partner_return(request, pk):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("partner__region"), pk=pk
    )
    form = ReturnForm(request.POST, region=handover.partner.region, own_partner=handover.partner)
    if form.is_valid():
        try:
            services.return_handover(
                handover,
                request.user,
                reason=form.cleaned_data["reason"],
                suggested_partner=form.cleaned_data["suggested_partner"],
            )
            messages.success(request, _("Returned to the guide with your reason."))
            return redirect("frontdoor:partner_inbox")
        except ServiceError as exc:
            messages.error(request, exc.message)
    handover = selectors.handover_for_partner(request.user, pk)
    return render(
        request,
        "frontdoor/partner_handover.html",
        {"handover": handover, "shared": selectors.shared_data(handover), "return_form": form},
        status=400,
    )


# -- coordinator ------------------------------------------------------------------------------


@coordinator
def escalations(request):
    escalation = selectors.escalation_list(request.user)
    log_list_reads(
        actor=request.user,
        activity="coordination",
        objects=escalation.returned + escalation.unassigned + escalation.stale,
    )
    log_list_reads(
        actor=request.user,
        activity="coordination",
        objects=escalation.overdue,
        person_attr="contact.person",
    )
    return render(
        request,
        "frontdoor/escalations.html",
        {
            "escalation": escalation,
            "reassign_form": ReassignForm(region=request.user.region),
            "reroute_form": RerouteForm(region=request.user.region),
            "now": timezone.now(),
        },
    )


@coordinator
@require_POST
def escalation_remind(request, pk):
    handover = _handover_for_front_office(request, pk)
    try:
        services.remind_partner(handover, request.user)
        messages.success(
            request, _("Reminder sent to %(partner)s.") % {"partner": handover.partner.name}
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("frontdoor:escalations")


@coordinator
@require_POST
def escalation_reassign(request, pk):
    contact = _contact_action(request, pk)
    form = ReassignForm(request.POST, region=request.user.region)
    if form.is_valid():
        try:
            services.reassign_contact(contact, request.user, form.cleaned_data["to_user"])
            messages.success(
                request, _("Reassigned to %(user)s.") % {"user": form.cleaned_data["to_user"]}
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a guide."))
    return redirect("frontdoor:escalations")


@coordinator
@require_POST
def escalation_reroute(request, pk):
    handover = _handover_for_front_office(request, pk)
    form = RerouteForm(request.POST, region=request.user.region)
    if form.is_valid():
        try:
            result = services.reroute_handover(
                handover,
                request.user,
                partner=form.cleaned_data["partner"],
                reason=form.cleaned_data["reason"],
            )
            if isinstance(result, Handover):
                messages.success(
                    request, _("Re-routed to %(partner)s.") % {"partner": result.partner.name}
                )
            else:
                messages.warning(
                    request,
                    _("Withdrawn. The guide must ask consent for %(partner)s first.")
                    % {"partner": form.cleaned_data["partner"].name},
                )
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a partner and give a reason."))
    return redirect("frontdoor:escalations")


@coordinator
def insights(request):
    return render(
        request,
        "frontdoor/insights.html",
        {
            "pickup": selectors.partner_pickup_stats(request.user),
            "overrides": selectors.override_stats(request.user),
        },
    )


@coordinator
def rules(request):
    region = request.user.region
    rule_set, version = rules_in_force(region)
    versions = region.rule_sets.select_related("created_by")[:20]
    latest = versions[0] if versions else None
    if request.method == "POST":
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_rules(
                    region,
                    request.user,
                    source_text=form.cleaned_data["source_text"],
                    change_note=form.cleaned_data["change_note"],
                )
                messages.success(
                    request, _("Rules version %(v)s is now in force.") % {"v": saved.version}
                )
                return redirect("frontdoor:rules")
            except ServiceError as exc:
                _service_error(request, form, exc)
    else:
        text = latest.source_text if latest else DEFAULT_RULES_FILE.read_text(encoding="utf-8")
        form = RulesForm(initial={"source_text": text})
    return render(
        request,
        "frontdoor/rules.html",
        {"form": form, "versions": versions, "version": version, "rule_count": len(rule_set.rules)},
    )


@role_required(lambda u: u.is_manager or u.is_administrator)
def manager_overview(request):
    from django.db.models import Count

    # Aggregates only: a manager never sees names or questions.
    region = request.user.region or _region_for(request)
    base = Contact.objects.filter(region=region)

    def counted(field, choices):
        labels = dict(choices)
        rows = base.values(field).annotate(n=Count("id")).order_by(field)
        return [(labels.get(row[field], row[field]), row["n"]) for row in rows]

    by_status = counted("status", ContactStatus.choices)
    by_channel = counted("channel", Channel.choices)
    by_level = counted("service_level", SERVICE_LEVEL_CHOICES)
    return render(
        request,
        "frontdoor/manager.html",
        {
            "region": region,
            "by_status": by_status,
            "by_channel": by_channel,
            "by_level": by_level,
            "total": base.count(),
            "overdue": Handover.objects.filter(contact__region=region).overdue().count(),
        },
    )
