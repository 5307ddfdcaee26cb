"""Every change to the training fund goes through here: one transaction per service, a
permission check, the lifecycle check (``states.TRANSITIONS``), the processing log (activity
``training_fund``) and the applicant's letters queued in the outbox.

Over-commitment is impossible: :func:`commit` locks the budget line (``SELECT … FOR UPDATE``)
and checks committed + amount ≤ budget in the same transaction, so of two simultaneous
commitments of the last money exactly one wins; the other gets a Conflict ("the budget for
ICT 2026 is exhausted"). SQLite serialises writers, so the same code is safe there too.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.employers.models import Chain, Employer
from werkcentrum.frontdoor.models import Person
from werkcentrum.frontdoor.persons import find_or_create_person
from werkcentrum.outbox.services import queue_email
from werkcentrum.privacy.services import audit, log_processing
from werkcentrum.regions.models import Region
from werkcentrum.training.models import Level, Training

from . import rules as fund
from .models import (
    ApplicantKind,
    Application,
    Budget,
    Decision,
    LedgerEntry,
    LedgerKind,
    LLOConversation,
    LLOOutcome,
    budget_line_label,
    is_fund_staff,
    is_llo_adviser,
)
from .reasons import euro
from .states import (
    APPLICANT_WITHDRAWABLE,
    OPEN_STATUSES,
    STAFF_WITHDRAWABLE,
    ApplicationStatus,
    can_transition,
)

ACTIVITY = "training_fund"
DATA_DIR = Path(__file__).resolve().parent / "data"
S = ApplicationStatus


# -- the rules ---------------------------------------------------------------------------------------


@cache
def _rules_for_code(code: str) -> fund.FundRules | None:
    path = DATA_DIR / f"{code}.toml"
    if not path.exists():
        return None
    return fund.parse_rules_file(path)


def rules_for(region: Region | int) -> fund.FundRules:
    """The fund rules of ``region`` (``data/<region code>.toml``)."""
    if not isinstance(region, Region):
        region = Region.objects.get(pk=region)
    rules = _rules_for_code(region.code)
    if rules is None:
        raise ServiceError(_("This region has no training fund rules."))
    return rules


def has_fund(region: Region) -> bool:
    return _rules_for_code(region.code) is not None


def facts_for(application: Application, on: date | None = None) -> fund.Facts:
    """What the rules engine looks at for ``application`` (earlier vouchers from the database)."""
    previous = (
        Application.objects.granted()
        .filter(person_id=application.person_id, decided_at__isnull=False)
        .exclude(pk=application.pk)
        .values_list("decided_at", flat=True)
    )
    llo = application.llo_conversation
    return fund.Facts(
        applicant=application.applicant_kind,
        sector=application.sector,
        level=application.level,
        cost=application.cost,
        cofinancing=application.cofinancing,
        requested=application.requested_amount,
        on=on or timezone.localdate(application.submitted_at),
        llo_on=llo.held_on if llo else None,
        previous_grants=tuple(timezone.localdate(d) for d in previous),
    )


def proposal_for(application: Application) -> fund.Decision:
    """The rules engine's reasoned proposal (the facts as they are now)."""
    return fund.assess(rules_for(application.region_id), facts_for(application))


# -- permissions -----------------------------------------------------------------------------------


def _require_fund_staff(user, region_id: int) -> None:
    if user.is_administrator:
        return
    if not is_fund_staff(user):
        raise NotAllowed(_("Only the training fund's staff can do this."))
    if user.partner.region_id != region_id:
        raise NotAllowed(_("This belongs to another region."))


def _require_llo_adviser(user, region_id: int) -> None:
    if user.is_administrator:
        return
    if not is_llo_adviser(user):
        raise NotAllowed(
            _("Only LLO advisers (the fund's staff, guides and coordinators) can do this.")
        )
    region = user.partner.region_id if is_fund_staff(user) else user.region_id
    if region != region_id:
        raise NotAllowed(_("This belongs to another region."))


# -- LLO conversations ---------------------------------------------------------------------------


def record_llo_conversation(
    user,
    *,
    region: Region,
    held_on: date,
    summary: str,
    outcome: str,
    person: Person | None = None,
    employer: Employer | None = None,
    **person_data,
) -> LLOConversation:
    """Record an LLO conversation (advice on training) with ``person``, or with the person the
    given details (name plus e-mail, phone or date of birth) identify, registered if new."""
    _require_llo_adviser(user, region.pk)
    summary = (summary or "").strip()
    if not summary:
        raise ServiceError(_("Write down the advice you gave."), field="summary")
    if outcome not in LLOOutcome.values:
        raise ServiceError(_("Choose the outcome of the conversation."), field="outcome")
    if held_on > timezone.localdate():
        raise ServiceError(_("The conversation cannot be in the future."), field="held_on")
    if employer is not None and employer.region_id != region.pk:
        raise ServiceError(_("This employer belongs to another region."), field="employer")
    with transaction.atomic():
        if person is None:
            if not (
                person_data.get("email")
                or person_data.get("phone")
                or person_data.get("date_of_birth")
            ):
                raise ServiceError(
                    _("Give an e-mail address, phone number or date of birth as well."),
                    field="email",
                )
            person, created = find_or_create_person(region, **person_data)
            log_processing(
                actor=user,
                activity=ACTIVITY,
                operation="create" if created else "read",
                obj=person,
            )
        elif person.region_id != region.pk:
            raise ServiceError(_("This person is registered in another region."))
        conversation = LLOConversation.objects.create(
            region=region,
            person=person,
            adviser=user,
            held_on=held_on,
            summary=summary,
            outcome=outcome,
            employer=employer,
        )
        log_processing(actor=user, activity=ACTIVITY, operation="create", obj=conversation)
    return conversation


def latest_llo(person: Person, on: date | None = None) -> LLOConversation | None:
    """The person's most recent LLO conversation on or before ``on`` (today)."""
    on = on or timezone.localdate()
    return (
        LLOConversation.objects.filter(person=person, held_on__lte=on)
        .order_by("-held_on", "-id")
        .first()
    )


def valid_llo(person: Person, region: Region) -> LLOConversation | None:
    """The LLO conversation an application can rest on now (recent enough), or None."""
    conversation = latest_llo(person)
    if conversation is None or not has_fund(region):
        return None
    months = rules_for(region).llo_valid_months
    if fund.add_months(conversation.held_on, months) < timezone.localdate():
        return None
    return conversation


# -- applications ----------------------------------------------------------------------------------


def _training_fields(region: Region, training: Training | None, data: dict) -> dict:
    """The training's description: from the catalogue (prefilled) or as typed."""
    fields = {
        "training_title": (data.get("training_title") or "").strip(),
        "provider": (data.get("provider") or "").strip(),
        "level": data.get("level") or "",
        "sector": data.get("sector") or "",
        "cost": data.get("cost"),
    }
    if training is not None:
        if training.region_id != region.pk:
            raise ServiceError(_("This training is in another region's catalogue."), "training")
        fields["training_title"] = training.title
        fields["provider"] = training.provider
        fields["level"] = training.level
        fields["sector"] = training.sector
        if fields["cost"] in (None, ""):
            fields["cost"] = training.cost_eur
    for name, message in (
        ("training_title", _("Name the training.")),
        ("provider", _("Name the school or training provider.")),
    ):
        if not fields[name]:
            raise ServiceError(message, field=name)
    if fields["level"] not in Level.values:
        raise ServiceError(_("Choose the level of the training."), field="level")
    if fields["sector"] not in Chain.values:
        raise ServiceError(_("Choose the sector of the training."), field="sector")
    if fields["cost"] in (None, "") or int(fields["cost"]) < 1:
        raise ServiceError(_("Give the cost of the training in euros."), field="cost")
    fields["cost"] = int(fields["cost"])
    return fields


def _submit(
    user,
    *,
    region: Region,
    person: Person,
    llo_conversation: LLOConversation | None,
    kind: str,
    employer: Employer | None = None,
    training: Training | None = None,
    cofinancing: int | None = 0,
    cofinancier: str = "",
    requested_amount: int | None = None,
    motivation: str = "",
    **training_data,
) -> Application:
    rules = rules_for(region)
    if llo_conversation is None:
        raise ServiceError(
            _(
                "An application starts with an LLO conversation: advice on training from an "
                "LLO adviser. Book an appointment for one first."
            )
        )
    if llo_conversation.person_id != person.pk:
        raise ServiceError(_("This LLO conversation is about someone else."))
    if fund.add_months(llo_conversation.held_on, rules.llo_valid_months) < timezone.localdate():
        raise ServiceError(
            _("The LLO conversation is more than %(months)s months old: a new one is needed.")
            % {"months": rules.llo_valid_months}
        )
    fields = _training_fields(region, training, training_data)
    cofinancing = int(cofinancing or 0)
    if cofinancing < 0:
        raise ServiceError(_("Co-financing cannot be negative."), field="cofinancing")
    if cofinancing > fields["cost"]:
        raise ServiceError(_("The co-financing cannot be more than the cost."), field="cofinancing")
    if requested_amount is not None and int(requested_amount) < 1:
        raise ServiceError(_("Ask for at least 1 euro, or leave it empty."), "requested_amount")
    open_one = Conflict(
        _("There is already an open application for this person; wait for it to be finished.")
    )
    with transaction.atomic():
        if Application.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
            raise open_one
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    region=region,
                    applicant_kind=kind,
                    person=person,
                    employer=employer,
                    llo_conversation=llo_conversation,
                    submitted_by=user,
                    training=training,
                    cofinancing=cofinancing,
                    cofinancier=(cofinancier or "").strip()[:200],
                    requested_amount=requested_amount,
                    motivation=(motivation or "").strip(),
                    submitted_at=timezone.now(),
                    **fields,
                )
        except IntegrityError as exc:  # another open application was created at the same time
            raise open_one from exc
        log_processing(actor=user, activity=ACTIVITY, operation="create", obj=application)
    return application


def apply_as_resident(user, **data) -> Application:
    """A resident applies for a voucher for themselves, resting on their LLO conversation."""
    if not user.is_resident:
        raise NotAllowed(_("Only a resident can apply for themselves."))
    person = user.person
    region = person.region
    if not has_fund(region):
        raise ServiceError(_("This region has no training fund rules."))
    return _submit(
        user,
        region=region,
        person=person,
        llo_conversation=latest_llo(person),
        kind=ApplicantKind.RESIDENT,
        **data,
    )


def apply_for_resident(user, person: Person, **data) -> Application:
    """The fund's staff register a resident's application handed in on paper or at the desk."""
    _require_fund_staff(user, person.region_id)
    return _submit(
        user,
        region=person.region,
        person=person,
        llo_conversation=latest_llo(person),
        kind=ApplicantKind.RESIDENT,
        **data,
    )


def apply_as_employer(user, *, llo_conversation: LLOConversation, **data) -> Application:
    """An employer applies for an employee: the employee's LLO conversation names the employer
    (the employee agreed to it)."""
    if not user.is_employer:
        raise NotAllowed(_("Only an employer can apply for an employee."))
    employer = user.employer
    if llo_conversation is None or llo_conversation.employer_id != employer.pk:
        raise ServiceError(
            _("Choose an employee whose LLO conversation was recorded for your company."),
            field="llo_conversation",
        )
    return _submit(
        user,
        region=employer.region,
        person=llo_conversation.person,
        llo_conversation=llo_conversation,
        kind=ApplicantKind.EMPLOYER,
        employer=employer,
        **data,
    )


# -- the lifecycle ---------------------------------------------------------------------------------


ACTION_LABELS = {
    S.APPROVED: _("approved"),
    S.REJECTED: _("rejected"),
    S.COMMITTED: _("committed"),
    S.COMPLETED: _("marked as completed"),
    S.PAID: _("paid"),
    S.WITHDRAWN: _("withdrawn"),
}


def _lock(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person", "region", "llo_conversation")
        .filter(pk=application.pk)
        .first()
    )
    if locked is None:
        raise NotAllowed(_("This application does not exist."))
    return locked


def _check_transition(application: Application, new: str) -> None:
    if not can_transition(application.status, new):
        raise Conflict(
            _("Application %(ref)s is %(status)s: it cannot be %(action)s now.")
            % {
                "ref": application.reference,
                "status": application.get_status_display().lower(),
                "action": ACTION_LABELS.get(new, new),
            }
        )


def decide(
    user, application: Application, *, approve: bool, amount: int | None = None, note: str = ""
) -> Application:
    """Approve or reject, against the rules engine's proposal. Deviating from the proposal
    (another decision or amount) needs a reason. The amount is never more than the sector's
    maximum or the cost minus the co-financing."""
    note = (note or "").strip()
    with transaction.atomic():
        application = _lock(application)
        _require_fund_staff(user, application.region_id)
        new = S.APPROVED if approve else S.REJECTED
        _check_transition(application, new)
        rules = rules_for(application.region_id)
        proposal = fund.assess(rules, facts_for(application))
        if approve:
            if amount in (None, ""):
                if not proposal.approved:
                    raise ServiceError(_("Give the amount you grant."), field="amount")
                amount = proposal.amount
            amount = int(amount)
            ceiling = min(proposal.maximum, application.cost - application.cofinancing)
            if amount < 1:
                raise ServiceError(_("Grant at least 1 euro, or reject."), field="amount")
            if amount > ceiling:
                raise ServiceError(
                    _("At most %(ceiling)s can be granted (maximum, cost minus co-financing).")
                    % {"ceiling": euro(ceiling)},
                    field="amount",
                )
        else:
            amount = None
        overridden = approve != proposal.approved or (approve and amount != proposal.amount)
        if overridden and not note:
            raise ServiceError(
                _("You deviate from the rules' proposal: give the reason."), field="note"
            )
        application.status = new
        application.decision = Decision.APPROVED if approve else Decision.REJECTED
        application.decided_at = timezone.now()
        application.decided_by = user
        application.amount_granted = amount
        application.own_contribution = (
            application.cost - application.cofinancing - amount
            if approve
            else application.cost - application.cofinancing
        )
        application.proposal = proposal.as_dict()
        application.decision_reasons = [r.as_dict() for r in proposal.reasons]
        application.overridden = overridden
        application.decision_note = note
        application.rules_version = rules.version
        application.save()
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=application)
        _letter(application, "decision")
    return application


def budget_for(application: Application, year: int | None = None) -> Budget | None:
    rules = rules_for(application.region_id)
    return Budget.objects.filter(
        region_id=application.region_id,
        year=year or timezone.localdate().year,
        sector=rules.budget_sector(application.sector),
    ).first()


def commit(user, application: Application) -> Application:
    """Reserve the granted amount on this year's budget line of the application's sector.

    The budget line is locked for the check and the ledger entry, so committed can never
    exceed the budget, also when two members of staff commit the last money at once."""
    with transaction.atomic():
        application = _lock(application)
        _require_fund_staff(user, application.region_id)
        _check_transition(application, S.COMMITTED)
        rules = rules_for(application.region_id)
        today = timezone.localdate()
        line = rules.budget_sector(application.sector)
        budget = (
            Budget.objects.select_for_update()
            .filter(region_id=application.region_id, year=today.year, sector=line)
            .first()
        )
        label = budget_line_label(line)
        if budget is None:
            raise ServiceError(
                _("There is no budget for %(sector)s %(year)s.")
                % {"sector": label, "year": today.year}
            )
        amount = application.amount_granted
        committed = budget.totals()["committed_total"]
        if committed + amount > budget.amount:
            raise Conflict(
                _(
                    "The budget for %(sector)s %(year)s is exhausted: %(available)s available, "
                    "%(amount)s needed."
                )
                % {
                    "sector": label,
                    "year": budget.year,
                    "available": euro(max(0, budget.amount - committed)),
                    "amount": euro(amount),
                }
            )
        LedgerEntry.objects.create(
            budget=budget,
            application=application,
            kind=LedgerKind.COMMITMENT,
            amount=amount,
            on=today,
            created_by=user,
        )
        application.status = S.COMMITTED
        application.committed_at = timezone.now()
        application.committed_by = user
        application.save(update_fields=["status", "committed_at", "committed_by"])
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=application)
        _letter(application, "commitment")
    return application


def register_completion(
    user, application: Application, *, completed_on: date, proof: str
) -> Application:
    """Proof of completion: the date and a reference to the certificate or diploma."""
    proof = (proof or "").strip()
    with transaction.atomic():
        application = _lock(application)
        _require_fund_staff(user, application.region_id)
        _check_transition(application, S.COMPLETED)
        if not proof:
            raise ServiceError(
                _("Give the proof: e.g. the diploma or certificate number."), field="proof"
            )
        if completed_on is None or completed_on > timezone.localdate():
            raise ServiceError(_("The completion date cannot be in the future."), "completed_on")
        if completed_on < timezone.localdate(application.submitted_at):
            raise ServiceError(
                _("The training cannot be completed before the application."), "completed_on"
            )
        application.status = S.COMPLETED
        application.completed_on = completed_on
        application.completion_proof = proof[:300]
        application.completed_at = timezone.now()
        application.completed_by = user
        application.save(
            update_fields=[
                "status",
                "completed_on",
                "completion_proof",
                "completed_at",
                "completed_by",
            ]
        )
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=application)
    return application


def pay(
    user, application: Application, *, amount: int | None = None, paid_on: date | None = None
) -> Application:
    """Pay the voucher after proof of completion: at most the committed amount; what is not
    paid goes back to the budget line (a release in the ledger)."""
    with transaction.atomic():
        application = _lock(application)
        _require_fund_staff(user, application.region_id)
        _check_transition(application, S.PAID)
        commitment = application.ledger.filter(kind=LedgerKind.COMMITMENT).first()
        if commitment is None:  # pragma: no cover - completed implies committed
            raise Conflict(_("This application has no commitment."))
        amount = commitment.amount if amount in (None, "") else int(amount)
        if not 1 <= amount <= commitment.amount:
            raise ServiceError(
                _("Pay between 1 euro and the committed %(amount)s.")
                % {"amount": euro(commitment.amount)},
                field="amount",
            )
        paid_on = paid_on or timezone.localdate()
        if paid_on > timezone.localdate():
            raise ServiceError(_("The payment date cannot be in the future."), field="paid_on")
        Budget.objects.select_for_update().filter(pk=commitment.budget_id).first()
        LedgerEntry.objects.create(
            budget_id=commitment.budget_id,
            application=application,
            kind=LedgerKind.PAYMENT,
            amount=amount,
            on=paid_on,
            created_by=user,
        )
        if amount < commitment.amount:
            LedgerEntry.objects.create(
                budget_id=commitment.budget_id,
                application=application,
                kind=LedgerKind.RELEASE,
                amount=commitment.amount - amount,
                on=paid_on,
                created_by=user,
            )
        application.status = S.PAID
        application.paid_at = timezone.now()
        application.paid_by = user
        application.save(update_fields=["status", "paid_at", "paid_by"])
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=application)
        _letter(application, "payment", paid=amount)
    return application


def withdraw(user, application: Application, reason: str = "") -> Application:
    """The applicant withdraws (until committed), or the fund's staff (also a commitment, whose
    money goes back to the budget line)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        application = _lock(application)
        if user.is_administrator or is_fund_staff(user):
            _require_fund_staff(user, application.region_id)
            if not reason:
                raise ServiceError(_("Give a reason for withdrawing."), field="reason")
            allowed = STAFF_WITHDRAWABLE
        else:
            own_resident = (
                user.is_resident
                and application.person_id == user.person_id
                and application.applicant_kind == ApplicantKind.RESIDENT
            )
            own_employer = user.is_employer and application.employer_id == user.employer_id
            if not (own_resident or own_employer):
                raise NotAllowed(_("You cannot withdraw this application."))
            allowed = APPLICANT_WITHDRAWABLE
        _check_transition(application, S.WITHDRAWN)
        if application.status not in allowed:
            raise Conflict(
                _("Application %(ref)s is %(status)s: ask the fund to withdraw it.")
                % {
                    "ref": application.reference,
                    "status": application.get_status_display().lower(),
                }
            )
        if application.status == S.COMMITTED:
            commitment = application.ledger.get(kind=LedgerKind.COMMITMENT)
            Budget.objects.select_for_update().filter(pk=commitment.budget_id).first()
            LedgerEntry.objects.create(
                budget_id=commitment.budget_id,
                application=application,
                kind=LedgerKind.RELEASE,
                amount=commitment.amount,
                on=timezone.localdate(),
                created_by=user,
            )
        application.status = S.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.withdrawn_by = user
        application.withdraw_reason = reason
        application.save(
            update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason"]
        )
        log_processing(actor=user, activity=ACTIVITY, operation="update", obj=application)
    return application


# -- budgets and the IKBINDR label -------------------------------------------------------------


def sync_budgets(region: Region, year: int, user=None) -> list[Budget]:
    """Create (or update) ``year``'s budget lines from the rules file. A line is never set
    below what is already committed on it."""
    if user is not None:
        _require_fund_staff(user, region.pk)
    rules = rules_for(region)
    result = []
    with transaction.atomic():
        for line, amount in rules.budget_lines(year).items():
            budget, created = Budget.objects.select_for_update().get_or_create(
                region=region, year=year, sector=line, defaults={"amount": amount}
            )
            if not created and budget.amount != amount:
                committed = budget.totals()["committed_total"]
                if amount < committed:
                    raise Conflict(
                        _(
                            "The budget for %(sector)s %(year)s cannot be lower than the %(committed)s already committed."
                        )
                        % {
                            "sector": budget_line_label(line),
                            "year": year,
                            "committed": euro(committed),
                        }
                    )
                budget.amount = amount
                budget.save(update_fields=["amount", "updated_at"])
            result.append(budget)
        if user is not None:
            audit(user=user, action="voucher_budgets_synced", detail={"year": year})
    return result


def set_ikbindr(user, employer: Employer, since: date | None) -> Employer:
    """Give an employer the IKBINDR label (from ``since``) or take it away (None)."""
    _require_fund_staff(user, employer.region_id)
    if since is not None and since > timezone.localdate():
        raise ServiceError(_("The label cannot start in the future."), field="since")
    with transaction.atomic():
        Employer.objects.filter(pk=employer.pk).update(ikbindr_since=since)
        employer.ikbindr_since = since
        audit(
            user=user,
            action="ikbindr_label",
            obj=employer,
            detail={"since": since.isoformat() if since else None},
        )
    return employer


# -- letters -----------------------------------------------------------------------------------------


def _recipient(application: Application) -> tuple[str, str]:
    """(name, e-mail) of the applicant: the resident, or the employer's portal user."""
    if application.is_employer_application:
        user = application.submitted_by
        name = application.employer.name
        return name, (user.email if user else "")
    return application.person.full_name, application.person.email


def _letter(application: Application, kind: str, paid: int | None = None) -> bool:
    """Queue the decision, commitment or payment letter (in Dutch, the default language)."""
    name, email = _recipient(application)
    if not email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        from .reasons import describe

        ref = application.reference
        fund_name = rules_for(application.region_id).name
        lines = [_("Dear %(name)s,") % {"name": name}, ""]
        about = _("Your application %(ref)s for %(training)s at %(provider)s") % {
            "ref": ref,
            "training": application.training_title,
            "provider": application.provider,
        }
        if application.is_employer_application:
            about += " " + _("(for %(person)s)") % {"person": application.person.full_name}
        if kind == "decision" and application.decision == Decision.APPROVED:
            subject = _("Training voucher %(ref)s granted") % {"ref": ref}
            lines += [
                about + ":",
                _("granted: %(amount)s from the fund; your own contribution is %(own)s.")
                % {
                    "amount": euro(application.amount_granted),
                    "own": euro(application.own_contribution),
                },
                "",
                _("Next, the fund reserves the money for you; we will let you know."),
            ]
        elif kind == "decision":
            subject = _("Training voucher %(ref)s: decision") % {"ref": ref}
            lines += [about + ":", _("we cannot grant a voucher. The reasons:")]
            lines += [f"- {describe(r)}" for r in application.decision_reasons if r.get("refusal")]
            if application.decision_note:
                lines.append(f"- {application.decision_note}")
        elif kind == "commitment":
            subject = _("Training voucher %(ref)s: the money is reserved") % {"ref": ref}
            lines += [
                about + ":",
                _(
                    "%(amount)s is reserved for you. After the training, send us the proof of "
                    "completion (diploma or certificate); then the fund pays."
                )
                % {"amount": euro(application.amount_granted)},
            ]
        else:
            subject = _("Training voucher %(ref)s paid") % {"ref": ref}
            lines += [
                about + ":",
                _("%(amount)s has been paid.") % {"amount": euro(paid)},
            ]
        lines += [
            "",
            _("You can follow your application online."),
            "",
            _("Kind regards,"),
            fund_name,
        ]
        queue_email(
            subject,
            "\n".join(lines) + "\n",
            [email],
            key=f"voucher-{kind}:{application.pk}",
        )
    return True
