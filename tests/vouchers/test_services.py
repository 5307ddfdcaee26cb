"""The fund's services: LLO first, once per period, the lifecycle (every illegal transition
refused and nothing changed), budget arithmetic, letters and the processing log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict

from tests import factories
from tests.vouchers.conftest import TRAINING, budget_line, record_llo, today
from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.privacy.models import AuditEvent, ProcessingLogEntry
from werkcentrum.vouchers import services
from werkcentrum.vouchers.models import Application, Budget, LedgerEntry, LLOConversation
from werkcentrum.vouchers.rules import add_months
from werkcentrum.vouchers.states import TRANSITIONS, ApplicationStatus

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def snapshot(application):
    application = Application.objects.get(pk=application.pk)
    return (
        model_to_dict(application),
        list(LedgerEntry.objects.values_list("kind", "amount", "budget_id")),
        OutboundEmail.objects.count(),
    )


# -- LLO conversations -----------------------------------------------------------------------------


def test_an_llo_adviser_records_a_conversation_and_the_person_is_found(twente, fund_staff):
    person = factories.person(twente)
    conversation = services.record_llo_conversation(
        fund_staff,
        region=twente,
        held_on=today(),
        summary="Verzorgende IG.",
        outcome="apply",
        first_name="Yvonne",
        last_name="Jansen",
        email="yvonne.jansen@example.org",
    )
    assert conversation.person == person
    assert conversation.reference == f"LLO-{conversation.pk:06d}"
    assert ProcessingLogEntry.objects.filter(
        activity_id="training_fund", operation="create", object_type="lloconversation"
    ).exists()


def test_a_guide_is_an_llo_adviser_too_and_a_new_person_is_registered(twente, guide):
    conversation = services.record_llo_conversation(
        guide,
        region=twente,
        held_on=today(),
        summary="Omscholing ICT.",
        outcome="apply",
        last_name="Nieuw",
        date_of_birth=today().replace(year=1990),
    )
    assert conversation.person.last_name == "Nieuw"
    assert conversation.adviser == guide


@pytest.mark.parametrize("who", ["uwv_employee", "manager", "employer_adviser"])
def test_others_cannot_record_llo_conversations(request, twente, who):
    if who == "employer_adviser":
        from tests.conftest import make_user
        from werkcentrum.accounts.models import Role

        user = make_user("adv", Role.EMPLOYER_ADVISER, twente)
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.record_llo_conversation(
            user,
            region=twente,
            person=factories.person(twente),
            held_on=today(),
            summary="x",
            outcome="apply",
        )
    assert not LLOConversation.objects.exists()


def test_an_llo_adviser_of_another_region_is_refused(twente, achterhoek_fund_staff):
    with pytest.raises(NotAllowed):
        services.record_llo_conversation(
            achterhoek_fund_staff,
            region=twente,
            person=factories.person(twente),
            held_on=today(),
            summary="x",
            outcome="apply",
        )


def test_a_conversation_needs_advice_and_cannot_be_in_the_future(twente, fund_staff):
    person = factories.person(twente)
    kwargs = {"region": twente, "person": person, "outcome": "apply"}
    with pytest.raises(ServiceError) as exc:
        services.record_llo_conversation(fund_staff, held_on=today(), summary=" ", **kwargs)
    assert exc.value.field == "summary"
    with pytest.raises(ServiceError) as exc:
        services.record_llo_conversation(
            fund_staff, held_on=today() + timedelta(days=1), summary="x", **kwargs
        )
    assert exc.value.field == "held_on"


# -- applying: LLO first ------------------------------------------------------------------------------


def test_no_application_without_an_llo_conversation(resident):
    with pytest.raises(ServiceError, match="LLO conversation"):
        services.apply_as_resident(resident, **TRAINING)
    assert not Application.objects.exists()


def test_no_application_on_an_llo_conversation_that_is_too_old(resident, fund_staff):
    record_llo(fund_staff, resident.person, days_ago=400)
    with pytest.raises(ServiceError, match="more than 12 months old"):
        services.apply_as_resident(resident, **TRAINING)
    assert services.valid_llo(resident.person, resident.person.region) is None


def test_a_resident_applies_after_an_llo_conversation(resident_with_llo, training):
    application = services.apply_as_resident(resident_with_llo, training=training)
    assert application.status == S.SUBMITTED
    assert application.person == resident_with_llo.person
    # Prefilled from the catalogue.
    assert (application.provider, application.level, application.sector, application.cost) == (
        "ROC van Twente",
        "mbo3",
        "care",
        1440,
    )
    assert application.llo_conversation.person == resident_with_llo.person
    assert ProcessingLogEntry.objects.filter(
        activity_id="training_fund", object_type="application", operation="create"
    ).exists()


def test_an_own_cost_overrides_the_catalogue_cost(resident_with_llo, training):
    application = services.apply_as_resident(resident_with_llo, training=training, cost=1600)
    assert application.cost == 1600


@pytest.mark.parametrize(
    "change, field",
    [
        ({"training_title": ""}, "training_title"),
        ({"level": "phd"}, "level"),
        ({"sector": "space"}, "sector"),
        ({"cost": 0}, "cost"),
        ({"cofinancing": 5000}, "cofinancing"),
        ({"requested_amount": 0}, "requested_amount"),
    ],
)
def test_incomplete_applications_are_refused(resident_with_llo, change, field):
    with pytest.raises(ServiceError) as exc:
        services.apply_as_resident(resident_with_llo, **{**TRAINING, **change})
    assert exc.value.field == field
    assert not Application.objects.exists()


def test_one_open_application_per_person(submitted, resident_with_llo):
    with pytest.raises(Conflict, match="already an open application"):
        services.apply_as_resident(resident_with_llo, **TRAINING)
    assert Application.objects.count() == 1


def test_an_employer_applies_for_an_employee_with_an_llo_conversation_naming_it(
    employer_user, employee
):
    conversation = employee.llo_conversations.get()
    application = services.apply_as_employer(
        employer_user, llo_conversation=conversation, cofinancing=400, **TRAINING
    )
    assert application.applicant_kind == "employer"
    assert application.employer == employer_user.employer
    assert application.person == employee


def test_an_employer_cannot_use_an_llo_conversation_of_another_company(
    other_employer_user, employee
):
    with pytest.raises(ServiceError, match="recorded for your company"):
        services.apply_as_employer(
            other_employer_user, llo_conversation=employee.llo_conversations.get(), **TRAINING
        )


def test_an_employer_cannot_apply_without_an_llo_conversation_for_its_employee(
    twente, employer_user, fund_staff
):
    person = factories.person(twente, first="Zonder", last="Toestemming")
    conversation = record_llo(fund_staff, person)  # no employer named
    with pytest.raises(ServiceError):
        services.apply_as_employer(employer_user, llo_conversation=conversation, **TRAINING)


def test_only_residents_and_employers_apply(fund_staff, guide):
    for user in (fund_staff, guide):
        with pytest.raises(NotAllowed):
            services.apply_as_resident(user, **TRAINING)
        with pytest.raises(NotAllowed):
            services.apply_as_employer(user, llo_conversation=None, **TRAINING)


# -- assessment -------------------------------------------------------------------------------------


def test_approving_follows_the_proposal_and_sends_the_letter(
    submitted, fund_staff, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = services.proposal_for(submitted)
    assert proposal.approved and proposal.amount == 1296
    with django_capture_on_commit_callbacks(execute=True):
        application = services.decide(fund_staff, submitted, approve=True)
    assert application.status == S.APPROVED
    assert (application.amount_granted, application.own_contribution) == (1296, 144)
    assert not application.overridden
    assert application.rules_version == services.rules_for(application.region).version
    assert {r["code"] for r in application.decision_reasons} >= {"llo_held", "granted"}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["yvonne.jansen@example.org"]
    assert application.reference in mailoutbox[0].subject


def test_deviating_from_the_proposal_needs_a_reason(submitted, fund_staff):
    before = snapshot(submitted)
    with pytest.raises(ServiceError) as exc:
        services.decide(fund_staff, submitted, approve=True, amount=1000)
    assert exc.value.field == "note"
    with pytest.raises(ServiceError):
        services.decide(fund_staff, submitted, approve=False)
    assert snapshot(submitted) == before
    application = services.decide(
        fund_staff, submitted, approve=True, amount=1000, note="Deel betaalt de werkgever."
    )
    assert application.overridden and application.amount_granted == 1000
    assert application.own_contribution == 440


def test_the_amount_never_exceeds_the_maximum_or_cost_minus_cofinancing(submitted, fund_staff):
    with pytest.raises(ServiceError, match="At most"):
        services.decide(fund_staff, submitted, approve=True, amount=1441, note="te veel")


def test_a_refusal_proposed_by_the_rules_can_be_overridden_with_a_reason(
    resident_with_llo, fund_staff
):
    application = services.apply_as_resident(resident_with_llo, **{**TRAINING, "level": "course"})
    assert not services.proposal_for(application).approved
    with pytest.raises(ServiceError):
        services.decide(fund_staff, application, approve=True, amount=500)
    application = services.decide(
        fund_staff, application, approve=True, amount=500, note="Erkend vakcertificaat."
    )
    assert application.status == S.APPROVED and application.overridden


def test_rejecting_sends_the_reasons(
    resident_with_llo, fund_staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = services.apply_as_resident(resident_with_llo, **{**TRAINING, "level": "course"})
    with django_capture_on_commit_callbacks(execute=True):
        application = services.decide(fund_staff, application, approve=False)
    assert application.status == S.REJECTED and application.amount_granted is None
    assert "mbo" in mailoutbox[0].body.lower()


def test_once_per_period_per_person(paid, resident_with_llo, fund_staff):
    second = services.apply_as_resident(resident_with_llo, **TRAINING)
    proposal = services.proposal_for(second)
    assert not proposal.approved
    assert "period" in {r.code for r in proposal.refusals}


def test_a_withdrawn_voucher_does_not_count_for_the_period(approved, resident_with_llo):
    services.withdraw(resident_with_llo, approved, "Toch niet.")
    second = services.apply_as_resident(resident_with_llo, **TRAINING)
    assert services.proposal_for(second).approved


def test_an_employer_voucher_counts_for_the_employee_too(
    employer_user, employee, fund_staff, budgets
):
    first = services.apply_as_employer(
        employer_user,
        llo_conversation=employee.llo_conversations.get(),
        cofinancing=400,
        **TRAINING,
    )
    services.decide(fund_staff, first, approve=True)
    services.withdraw(fund_staff, first, "test")  # withdrawn: does not count
    second = services.apply_as_employer(
        employer_user,
        llo_conversation=employee.llo_conversations.get(),
        cofinancing=400,
        **TRAINING,
    )
    services.decide(fund_staff, second, approve=True)
    services.commit(fund_staff, second)
    services.register_completion(fund_staff, second, completed_on=today(), proof="x")
    services.pay(fund_staff, second)
    third = services.apply_for_resident(fund_staff, employee, **TRAINING)
    assert "period" in {r.code for r in services.proposal_for(third).refusals}


# -- the lifecycle ------------------------------------------------------------------------------------


def _attempt(action, user, application):
    if action == S.APPROVED:
        return services.decide(user, application, approve=True, amount=100, note="x")
    if action == S.REJECTED:
        return services.decide(user, application, approve=False, note="x")
    if action == S.COMMITTED:
        return services.commit(user, application)
    if action == S.COMPLETED:
        return services.register_completion(user, application, completed_on=today(), proof="x")
    if action == S.PAID:
        return services.pay(user, application)
    return services.withdraw(user, application, "x")


STATE_FIXTURES = {
    S.SUBMITTED: "submitted",
    S.APPROVED: "approved",
    S.COMMITTED: "committed",
    S.COMPLETED: "completed",
    S.PAID: "paid",
}
ILLEGAL = [
    (state, action)
    for state in STATE_FIXTURES
    for action in (S.APPROVED, S.REJECTED, S.COMMITTED, S.COMPLETED, S.PAID, S.WITHDRAWN)
    if action not in TRANSITIONS[state]
]


@pytest.mark.parametrize("state, action", ILLEGAL)
def test_every_illegal_transition_is_refused_and_nothing_changes(
    request, state, action, fund_staff, budgets
):
    application = request.getfixturevalue(STATE_FIXTURES[state])
    before = snapshot(application)
    with pytest.raises(Conflict, match="cannot be"):
        _attempt(action, fund_staff, application)
    assert snapshot(application) == before


@pytest.mark.parametrize("final", ["rejected", "withdrawn"])
@pytest.mark.parametrize(
    "action", [S.APPROVED, S.REJECTED, S.COMMITTED, S.COMPLETED, S.PAID, S.WITHDRAWN]
)
def test_final_states_accept_nothing(submitted, fund_staff, budgets, final, action):
    if final == "rejected":
        services.decide(fund_staff, submitted, approve=False, note="x")
    else:
        services.withdraw(fund_staff, submitted, "x")
    before = snapshot(submitted)
    with pytest.raises(Conflict):
        _attempt(action, fund_staff, submitted)
    assert snapshot(submitted) == before


@pytest.mark.parametrize("state", list(STATE_FIXTURES))
@pytest.mark.parametrize("who", ["guide", "uwv_employee", "manager", "resident", "employer"])
def test_only_fund_staff_move_an_application(request, state, who, budgets, fund_staff):
    application = request.getfixturevalue(STATE_FIXTURES[state])
    user = {
        "resident": lambda: application.person.account,
        "employer": lambda: request.getfixturevalue("employer_user"),
    }.get(who, lambda: request.getfixturevalue(who))()
    before = snapshot(application)
    for action in TRANSITIONS[state] - {S.WITHDRAWN}:
        with pytest.raises(NotAllowed):
            _attempt(action, user, application)
    assert snapshot(application) == before


def test_fund_staff_of_another_region_cannot_decide(submitted, achterhoek_fund_staff):
    before = snapshot(submitted)
    with pytest.raises(NotAllowed):
        services.decide(achterhoek_fund_staff, submitted, approve=True)
    assert snapshot(submitted) == before


def test_the_applicant_withdraws_until_committed(committed, resident_with_llo):
    before = snapshot(committed)
    with pytest.raises(Conflict, match="ask the fund"):
        services.withdraw(resident_with_llo, committed)
    assert snapshot(committed) == before


def test_another_resident_cannot_withdraw(submitted, other_resident):
    with pytest.raises(NotAllowed):
        services.withdraw(other_resident, submitted)
    assert Application.objects.get(pk=submitted.pk).status == S.SUBMITTED


def test_the_whole_way_with_letters_and_log(
    submitted, fund_staff, budgets, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.decide(fund_staff, submitted, approve=True)
        a = services.commit(fund_staff, a)
        a = services.register_completion(fund_staff, a, completed_on=today(), proof="Diploma 1")
        a = services.pay(fund_staff, a)
    a = Application.objects.get(pk=a.pk)
    assert a.status == S.PAID
    assert (a.committed_amount, a.paid_amount, a.paid_on) == (1296, 1296, today())
    assert len(mailoutbox) == 3
    assert all(a.reference in m.subject for m in mailoutbox)
    assert all(m.to == ["yvonne.jansen@example.org"] for m in mailoutbox)
    operations = ProcessingLogEntry.objects.filter(
        activity_id="training_fund", object_type="application", object_id=str(a.pk)
    )
    assert operations.filter(operation="update").count() == 4
    assert set(operations.values_list("subject_person", flat=True)) == {a.person_id}


def test_proof_cannot_be_in_the_future_or_empty(committed, fund_staff):
    before = snapshot(committed)
    with pytest.raises(ServiceError):
        services.register_completion(
            fund_staff, committed, completed_on=today() + timedelta(days=1), proof="x"
        )
    with pytest.raises(ServiceError):
        services.register_completion(fund_staff, committed, completed_on=today(), proof="")
    assert snapshot(committed) == before


# -- budget arithmetic --------------------------------------------------------------------------------


def totals(budget):
    budget = Budget.objects.with_totals().get(pk=budget.pk)
    return budget.committed_total, budget.spent_total


def test_committing_and_paying_move_the_money(twente, committed, fund_staff):
    care = budget_line(twente, "care")
    assert totals(care) == (1296, 0)
    services.register_completion(fund_staff, committed, completed_on=today(), proof="x")
    services.pay(fund_staff, committed, amount=1000)
    # Paying less releases the rest: committed = spent = 1000.
    assert totals(care) == (1000, 1000)
    kinds = list(LedgerEntry.objects.order_by("id").values_list("kind", "amount"))
    assert kinds == [("commitment", 1296), ("payment", 1000), ("release", 296)]


def test_withdrawing_a_commitment_gives_the_money_back(twente, committed, fund_staff):
    services.withdraw(fund_staff, committed, "Gestopt met de opleiding.")
    assert totals(budget_line(twente, "care")) == (0, 0)


def test_paying_more_than_committed_is_refused(completed, fund_staff):
    before = snapshot(completed)
    with pytest.raises(ServiceError, match="committed"):
        services.pay(fund_staff, completed, amount=1297)
    assert snapshot(completed) == before


def test_other_sectors_share_the_other_line(twente, resident_with_llo, fund_staff, budgets):
    application = services.apply_as_resident(
        resident_with_llo, **{**TRAINING, "sector": "logistics", "cost": 1000}
    )
    services.decide(fund_staff, application, approve=True)
    services.commit(fund_staff, application)
    assert totals(budget_line(twente, "other")) == (900, 0)


def test_a_commitment_that_does_not_fit_is_refused_and_nothing_changes(
    twente, approved, fund_staff, budgets
):
    care = budget_line(twente, "care")
    Budget.objects.filter(pk=care.pk).update(amount=1295)
    before = snapshot(approved)
    with pytest.raises(Conflict, match="budget for Care & Welfare .* is exhausted"):
        services.commit(fund_staff, approved)
    assert snapshot(approved) == before
    Budget.objects.filter(pk=care.pk).update(amount=1296)  # exactly enough
    services.commit(fund_staff, approved)
    assert totals(care) == (1296, 0)


def test_without_a_budget_line_nothing_is_committed(approved, fund_staff):
    with pytest.raises(ServiceError, match="no budget"):
        services.commit(fund_staff, approved)
    assert not LedgerEntry.objects.exists()


def test_sequential_commitments_stop_at_the_budget(twente, fund_staff, budgets):
    care = budget_line(twente, "care")
    Budget.objects.filter(pk=care.pk).update(amount=3000)
    results = []
    for n in range(3):
        person = factories.person(twente, first=f"P{n}", last="Test")
        record_llo(fund_staff, person)
        application = services.apply_for_resident(fund_staff, person, **TRAINING)
        services.decide(fund_staff, application, approve=True)
        try:
            services.commit(fund_staff, application)
            results.append("ok")
        except Conflict:
            results.append("conflict")
    assert results == ["ok", "ok", "conflict"]  # 2 x 1296 = 2592; a third does not fit
    assert totals(care) == (2592, 0)


def test_sync_budgets_is_idempotent_and_never_below_committed(twente, committed, fund_staff):
    year = today().year
    count = Budget.objects.count()
    services.sync_budgets(twente, year)
    assert Budget.objects.count() == count
    rules = services.rules_for(twente)
    assert budget_line(twente, "care").amount == rules.budget_lines(year)["care"]
    Budget.objects.filter(region=twente, sector="care").update(amount=1)
    services.sync_budgets(twente, year, user=fund_staff)  # restores the file's figure
    assert budget_line(twente, "care").amount == rules.budget_lines(year)["care"]
    assert AuditEvent.objects.filter(action="voucher_budgets_synced").exists()


def test_sync_budgets_needs_fund_staff(twente, guide):
    with pytest.raises(NotAllowed):
        services.sync_budgets(twente, today().year, user=guide)


# -- the IKBINDR label ---------------------------------------------------------------------------------


def test_fund_staff_set_and_remove_the_ikbindr_label(employer, fund_staff):
    services.set_ikbindr(fund_staff, employer, today())
    employer.refresh_from_db()
    assert employer.ikbindr_since == today()
    services.set_ikbindr(fund_staff, employer, None)
    employer.refresh_from_db()
    assert employer.ikbindr_since is None
    assert AuditEvent.objects.filter(action="ikbindr_label").count() == 2


def test_only_fund_staff_set_the_label(employer, employer_user, guide):
    for user in (employer_user, guide):
        with pytest.raises(NotAllowed):
            services.set_ikbindr(user, employer, today())
    employer.refresh_from_db()
    assert employer.ikbindr_since is None


def test_the_label_cannot_start_in_the_future(employer, fund_staff):
    with pytest.raises(ServiceError):
        services.set_ikbindr(fund_staff, employer, add_months(today(), 1))


# -- demo -----------------------------------------------------------------------------------------


def test_demo_fund_is_idempotent(twente, fund_staff, employer_user):
    from werkcentrum.vouchers.demo import load_demo_fund

    assert load_demo_fund(twente)["created"]
    counts = (Application.objects.count(), LLOConversation.objects.count(), Budget.objects.count())
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "approved", "committed", "paid", "rejected"}
    assert Application.objects.filter(applicant_kind="employer").exists()
    assert not load_demo_fund(twente)["created"]
    assert counts == (
        Application.objects.count(),
        LLOConversation.objects.count(),
        Budget.objects.count(),
    )
    employer_user.employer.refresh_from_db()
    assert employer_user.employer.ikbindr_since is not None
