"""The fund's screens over HTTP: fund staff, residents and employers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.vouchers.conftest import TRAINING, budget_line, record_llo, today
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.vouchers import services
from werkcentrum.vouchers.models import Application, Budget, LLOConversation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English (the msgids): the language cookie the language switch sets."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def detail(pk):
    return reverse("vouchers:staff_detail", args=[pk])


@pytest.fixture
def staff_client(client, fund_staff):
    client.force_login(fund_staff)
    return client


# -- fund staff ---------------------------------------------------------------------------------------


def test_the_list_shows_applications_by_status_and_logs_the_reads(staff_client, submitted):
    page = staff_client.get(reverse("vouchers:staff_list")).content.decode()
    assert submitted.reference in page and "Yvonne Jansen" in page
    assert ProcessingLogEntry.objects.filter(
        activity_id="training_fund", operation="read", object_id=str(submitted.pk)
    ).exists()
    page = staff_client.get(reverse("vouchers:staff_list"), {"status": "paid"}).content.decode()
    assert submitted.reference not in page
    page = staff_client.get(reverse("vouchers:staff_list"), {"q": "jansen"}).content.decode()
    assert submitted.reference in page
    page = staff_client.get(reverse("vouchers:staff_list"), {"sector": "ict"}).content.decode()
    assert submitted.reference not in page


def test_the_list_uses_a_constant_number_of_queries(staff_client, twente, fund_staff, submitted):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("vouchers:staff_list")).status_code == 200
        return len(queries)

    first = count()
    for n in range(5):
        person = factories.person(twente, first=f"Extra{n}", last="Persoon")
        record_llo(fund_staff, person)
        services.apply_for_resident(fund_staff, person, **TRAINING)
    assert count() == first


def test_the_detail_shows_the_reasoned_proposal(staff_client, submitted):
    page = staff_client.get(detail(submitted.pk)).content.decode()
    assert "Proposal of the fund&#x27;s rules" in page or "Proposal of the fund's rules" in page
    assert "LLO conversation held on" in page
    assert "Care &amp; Welfare is a priority sector" in page
    assert 'value="1296"' in page  # the proposed amount prefilled


def test_staff_walk_an_application_to_payment(staff_client, submitted, budgets, twente):
    url = detail(submitted.pk)
    response = staff_client.post(url, {"action": "decide", "decision": "approve"})
    assert response.status_code == 302
    assert Application.objects.get(pk=submitted.pk).status == "approved"
    page = staff_client.get(url).content.decode()
    assert "available" in page
    assert staff_client.post(url, {"action": "commit"}).status_code == 302
    assert budget_line(twente, "care").totals()["committed_total"] == 1296
    response = staff_client.post(
        url,
        {
            "action": "complete",
            "completed_on": today().isoformat(),
            "proof": "Diploma 42",
        },
    )
    assert response.status_code == 302
    response = staff_client.post(
        url, {"action": "pay", "amount": "1296", "paid_on": today().isoformat()}
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=submitted.pk)
    assert application.status == "paid" and application.paid_amount == 1296


def test_deviating_without_a_reason_shows_the_error(staff_client, submitted):
    response = staff_client.post(
        detail(submitted.pk),
        {"action": "decide", "decision": "approve", "amount": "1000"},
    )
    assert response.status_code == 400
    assert "give the reason" in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_committing_without_budget_shows_why(staff_client, approved):
    response = staff_client.post(detail(approved.pk), {"action": "commit"})
    assert response.status_code == 400
    assert "There is no budget" in response.content.decode()


def test_an_exhausted_budget_is_a_conflict(staff_client, approved, twente, budgets):
    Budget.objects.filter(pk=budget_line(twente, "care").pk).update(amount=100)
    response = staff_client.post(detail(approved.pk), {"action": "commit"})
    assert response.status_code == 409
    assert "is exhausted" in response.content.decode()
    assert Application.objects.get(pk=approved.pk).status == "approved"


def test_an_illegal_action_is_a_conflict(staff_client, submitted):
    response = staff_client.post(detail(submitted.pk), {"action": "commit"})
    assert response.status_code == 409
    assert response.context is not None
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_an_unknown_action_is_404(staff_client, submitted):
    assert staff_client.post(detail(submitted.pk), {"action": "delete"}).status_code == 404


def test_staff_withdraw_with_a_reason(staff_client, committed, twente):
    response = staff_client.post(detail(committed.pk), {"action": "withdraw", "reason": "Gestopt"})
    assert response.status_code == 302
    assert Application.objects.get(pk=committed.pk).status == "withdrawn"
    assert budget_line(twente, "care").totals()["committed_total"] == 0


def test_recording_an_llo_conversation(staff_client, twente):
    municipality = twente.municipalities.get(name="Oldenzaal")
    response = staff_client.post(
        reverse("vouchers:llo"),
        {
            "first_name": "Yvonne",
            "last_name": "Jansen",
            "email": "yvonne.jansen@example.org",
            "municipality": municipality.pk,
            "held_on": today().isoformat(),
            "outcome": "apply",
            "summary": "Verzorgende IG.",
        },
    )
    assert response.status_code == 302
    conversation = LLOConversation.objects.get()
    assert conversation.person.email == "yvonne.jansen@example.org"
    page = staff_client.get(reverse("vouchers:llo")).content.decode()
    assert conversation.reference in page


def test_an_llo_conversation_needs_an_identifier(staff_client):
    response = staff_client.post(
        reverse("vouchers:llo"),
        {"last_name": "Jansen", "held_on": today().isoformat(), "outcome": "apply", "summary": "x"},
    )
    assert response.status_code == 400
    assert not LLOConversation.objects.exists()


def test_a_guide_records_an_llo_conversation_too(client, guide):
    client.force_login(guide)
    response = client.post(
        reverse("vouchers:llo"),
        {
            "last_name": "Nieuw",
            "phone": "0612345678",
            "held_on": today().isoformat(),
            "outcome": "other_funding",
            "summary": "UWV-scholingsbudget.",
        },
    )
    assert response.status_code == 302
    assert LLOConversation.objects.get().adviser == guide


def test_the_budget_page_and_its_warning(staff_client, twente, committed):
    Budget.objects.filter(pk=budget_line(twente, "care").pk).update(amount=2000)
    page = staff_client.get(reverse("vouchers:budget")).content.decode()
    assert "Care &amp; Welfare is nearly exhausted" in page
    assert "Other sectors" in page
    assert "Yvonne" not in page


def test_fund_staff_set_this_years_budget_from_the_rules(staff_client, twente):
    year = today().year
    response = staff_client.post(reverse("vouchers:budget") + f"?year={year}")
    assert response.status_code == 302
    assert Budget.objects.filter(region=twente, year=year).count() == len(
        services.rules_for(twente).budget_lines(year)
    )


def test_a_manager_sees_the_budget_but_cannot_change_it(client, manager, twente):
    client.force_login(manager)
    assert client.get(reverse("vouchers:budget")).status_code == 200
    assert client.post(reverse("vouchers:budget")).status_code == 404
    assert not Budget.objects.exists()


def test_the_yearly_figures_count_without_names(staff_client, paid, submitted_other):
    page = staff_client.get(reverse("vouchers:figures")).content.decode()
    figures = staff_client.get(reverse("vouchers:figures")).context["figures"]
    assert figures["vouchers_granted"] == 1
    assert figures["llo_conversations"] == 2
    assert figures["paid_total"] == 1296
    care = next(r for r in figures["per_sector"] if r["sector"] == "care")
    assert (care["granted"], care["paid"], care["vouchers_paid"]) == (1, 1296, 1)
    assert figures["target_vouchers"] == 625
    assert "Yvonne" not in page and "Karel" not in page


@pytest.fixture
def submitted_other(other_resident, fund_staff):
    record_llo(fund_staff, other_resident.person)
    return services.apply_as_resident(other_resident, **TRAINING)


def test_fund_staff_give_and_remove_the_ikbindr_label(staff_client, employer):
    url = reverse("vouchers:employer_label", args=[employer.pk])
    assert staff_client.post(url, {"since": today().isoformat()}).status_code == 302
    employer.refresh_from_db()
    assert employer.ikbindr_since == today()
    page = staff_client.get(reverse("vouchers:employers")).content.decode()
    assert employer.name in page and "Remove" in page
    staff_client.post(url, {"remove": "1"})
    employer.refresh_from_db()
    assert employer.ikbindr_since is None


# -- residents -----------------------------------------------------------------------------------------


def test_without_an_llo_conversation_the_resident_is_told_how_to_get_one(client, resident):
    client.force_login(resident)
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert "First: an LLO conversation" in page
    assert 'href="/mijn/afspraken/"' in page
    assert reverse("vouchers:resident_apply") not in page
    response = client.get(reverse("vouchers:resident_apply"))
    assert response.status_code == 302


def test_a_resident_applies_with_a_catalogue_training(client, resident_with_llo, training):
    client.force_login(resident_with_llo)
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert reverse("vouchers:resident_apply") in page
    page = client.get(reverse("vouchers:resident_apply")).content.decode()
    assert "Verzorgende IG (BBL)" in page
    response = client.post(
        reverse("vouchers:resident_apply"), {"training": training.pk, "cofinancing": "0"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.training, application.cost) == (training, 1440)
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert application.reference in page and "The fund is assessing the application." in page


def test_a_resident_describes_another_training(client, resident_with_llo):
    client.force_login(resident_with_llo)
    response = client.post(reverse("vouchers:resident_apply"), {"training_title": "Iets"})
    assert response.status_code == 400
    assert not Application.objects.exists()
    response = client.post(
        reverse("vouchers:resident_apply"),
        {**TRAINING, "cofinancing": "100", "cofinancier": "Werkgever"},
    )
    assert response.status_code == 302
    assert Application.objects.get().cofinancing == 100


def test_a_resident_sees_the_status_and_withdraws(client, approved, resident_with_llo):
    client.force_login(resident_with_llo)
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert "Granted: € 1,296" in page
    response = client.post(reverse("vouchers:resident_withdraw", args=[approved.pk]))
    assert response.status_code == 302
    assert Application.objects.get(pk=approved.pk).status == "withdrawn"


def test_a_rejected_resident_sees_the_reasons(client, resident_with_llo, fund_staff):
    application = services.apply_as_resident(resident_with_llo, **{**TRAINING, "level": "course"})
    services.decide(fund_staff, application, approve=False)
    client.force_login(resident_with_llo)
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert "The fund covers MBO and HBO training only" in page


def test_the_tab_is_in_my_werkcentrum(client, resident):
    client.force_login(resident)
    assert reverse("vouchers:resident") in client.get(reverse("residents:home")).content.decode()


# -- employers -------------------------------------------------------------------------------------


def test_an_employer_applies_for_an_employee(client, employer_user, employee, training):
    employer = employer_user.employer
    employer.ikbindr_since = today()
    employer.save()
    client.force_login(employer_user)
    page = client.get(reverse("vouchers:employer")).content.decode()
    assert "IKBINDR label" in page
    assert reverse("vouchers:employer") in client.get(reverse("portal:home")).content.decode()
    conversation = employee.llo_conversations.get()
    page = client.get(reverse("vouchers:employer_apply")).content.decode()
    assert "Bas Oude Luttikhuis" in page
    response = client.post(
        reverse("vouchers:employer_apply"),
        {"llo_conversation": conversation.pk, "training": training.pk, "cofinancing": "400"},
    )
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get()
    assert application.cofinancier == employer.name
    page = client.get(reverse("vouchers:employer")).content.decode()
    assert application.reference in page and "Bas Oude Luttikhuis" in page
    # The employee is no longer offered while the application is open.
    page = client.get(reverse("vouchers:employer_apply")).content.decode()
    assert "Bas Oude Luttikhuis" not in page


def test_an_employer_cannot_pick_another_companys_employee(
    client, other_employer_user, employee, training
):
    client.force_login(other_employer_user)
    response = client.post(
        reverse("vouchers:employer_apply"),
        {
            "llo_conversation": employee.llo_conversations.get().pk,
            "training": training.pk,
            "cofinancing": "400",
        },
    )
    assert response.status_code == 400  # not a choice: no conversation names this company
    assert not Application.objects.exists()


def test_fund_staff_see_the_nav_link(staff_client):
    page = staff_client.get(reverse("vouchers:staff_list")).content.decode()
    assert 'href="/fonds/"' in page
