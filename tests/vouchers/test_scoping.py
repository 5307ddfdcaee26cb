"""Who sees which application and LLO conversation: fund staff their region's, a resident only
their own, an employer only its company's; everyone else nothing."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.vouchers.conftest import TRAINING
from werkcentrum.accounts.models import Role
from werkcentrum.vouchers import services
from werkcentrum.vouchers.models import Application, LLOConversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer_application(employer_user, employee):
    return services.apply_as_employer(
        employer_user,
        llo_conversation=employee.llo_conversations.get(),
        cofinancing=400,
        **TRAINING,
    )


def visible(user):
    return set(Application.objects.visible_to(user).values_list("pk", flat=True))


def test_fund_staff_see_all_of_their_region(submitted, employer_application, fund_staff):
    assert visible(fund_staff) == {submitted.pk, employer_application.pk}


def test_fund_staff_of_another_region_see_nothing(
    submitted, employer_application, achterhoek_fund_staff
):
    assert visible(achterhoek_fund_staff) == set()
    assert not LLOConversation.objects.visible_to(achterhoek_fund_staff).exists()


def test_a_resident_sees_only_their_own(submitted, employer_application, resident, other_resident):
    assert visible(resident) == {submitted.pk}
    assert visible(other_resident) == set()
    assert not LLOConversation.objects.visible_to(other_resident).exists()


def test_an_employee_sees_the_application_their_employer_made(employer_application, employee):
    from werkcentrum.residents.accounts import register_by_email

    account, _ = register_by_email(
        employee.region, first_name="Bas", last_name="Oude Luttikhuis", email=employee.email
    )
    assert visible(account) == {employer_application.pk}


def test_an_employer_sees_only_its_company(
    submitted, employer_application, employer_user, other_employer_user
):
    assert visible(employer_user) == {employer_application.pk}
    assert visible(other_employer_user) == set()
    assert not LLOConversation.objects.visible_to(other_employer_user).exists()


@pytest.mark.parametrize("who", ["guide", "coordinator", "uwv_employee", "manager"])
def test_other_staff_see_no_applications(request, submitted, who):
    assert visible(request.getfixturevalue(who)) == set()


def test_a_guide_sees_the_llo_conversations_of_the_region(submitted, guide, achterhoek_guide):
    assert LLOConversation.objects.visible_to(guide).count() == 1
    assert not LLOConversation.objects.visible_to(achterhoek_guide).exists()


def test_another_partner_employee_is_no_fund_staff(twente, submitted):
    from werkcentrum.regions.models import Partner

    uwv = make_user(
        "u2", Role.PARTNER_EMPLOYEE, twente, partner=Partner.objects.get(code="uwv-twente")
    )
    assert visible(uwv) == set()


# -- over HTTP ------------------------------------------------------------------------------------


def test_another_resident_cannot_withdraw_or_see(client, submitted, other_resident):
    client.force_login(other_resident)
    response = client.post(reverse("vouchers:resident_withdraw", args=[submitted.pk]))
    assert response.status_code == 404
    page = client.get(reverse("vouchers:resident")).content.decode()
    assert submitted.reference not in page
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_another_employer_cannot_withdraw_or_see(client, employer_application, other_employer_user):
    client.force_login(other_employer_user)
    response = client.post(reverse("vouchers:employer_withdraw", args=[employer_application.pk]))
    assert response.status_code == 404
    page = client.get(reverse("vouchers:employer")).content.decode()
    assert employer_application.reference not in page
    assert "Oude Luttikhuis" not in page


def test_fund_staff_of_another_region_get_404(client, submitted, achterhoek_fund_staff):
    client.force_login(achterhoek_fund_staff)
    url = reverse("vouchers:staff_detail", args=[submitted.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "decide", "decision": "approve"}).status_code == 404
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


@pytest.mark.parametrize(
    "name", ["staff_list", "llo", "budget", "figures", "employers", "resident", "employer"]
)
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"vouchers:{name}"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("guide", {"llo"}),
        ("coordinator", {"llo", "budget", "figures"}),
        ("manager", {"budget", "figures"}),
        ("uwv_employee", set()),
        ("fund_staff", {"staff_list", "llo", "budget", "figures", "employers"}),
        ("resident", {"resident"}),
        ("employer_user", {"employer"}),
    ],
)
def test_who_may_open_which_page(request, client, who, allowed):
    client.force_login(request.getfixturevalue(who))
    for name in ("staff_list", "llo", "budget", "figures", "employers", "resident", "employer"):
        status = client.get(reverse(f"vouchers:{name}")).status_code
        assert (status == 200) == (name in allowed), (who, name, status)
