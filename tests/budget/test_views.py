"""Budget screens: who may see and enter, the overview's figures, realisation entry."""

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from werkcentrum.accounts.models import Role
from werkcentrum.budget import presentation
from werkcentrum.budget.models import BudgetLine, Realisation
from werkcentrum.privacy.models import AuditEvent

from ..conftest import make_user
from .conftest import PLAN

OVERVIEW = reverse("budget:overview")
REALISATION = reverse("budget:realisation")
EXPORT = reverse("budget:export")


def html(response) -> str:
    return response.content.decode()


def english(client):
    """Texts are checked in English (the Dutch catalogue translates them); amounts in Dutch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_anonymous_is_sent_to_login(client, budgets):
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", [OVERVIEW, REALISATION, EXPORT])
@pytest.mark.parametrize("who", ["guide", "uwv_employee", "municipality_employee"])
def test_guides_and_partners_get_403(client, budgets, request, url, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403


def test_manager_of_another_region_gets_403(client, budgets, achterhoek):
    client.force_login(make_user("manager_ah", Role.MANAGER, achterhoek))
    assert client.get(OVERVIEW + "?region=twente").status_code == 403


def test_manager_sees_the_multi_year_overview(client, budgets, manager):
    client.force_login(manager)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = html(response)
    assert "Meerjarenbegroting Werkcentrum Twente 2025-2028" in page
    for figure in (
        "2.295.004",
        "2.555.550",
        "-260.546",
        "910.129",
        "174.583",
        "566.844",
        "856.431",
        "1.030.929",
    ):
        assert figure in page
    assert "1.185.180" in page  # structural costs paid from temporary money
    assert 'class="alert alert--warning"' in page and "is-overdue" in page
    assert page.count('role="region"') >= 5 and page.count("<caption") >= 5
    assert 'tabindex="0" role="region"' in page
    assert 'scope="col"' in page and 'scope="row"' in page
    assert "style=" not in page and "<script>" not in page  # CSP
    assert reverse("budget:overview") in page  # the nav link in base.html


def test_overview_of_another_version(client, budgets, manager):
    client.force_login(manager)
    page = html(client.get(OVERVIEW + f"?version={PLAN}"))
    assert "3.430.497" in page  # financing: income + impulse budget
    assert "2.985.000" in page and "-29.503" in page
    assert "1.685.038" in page  # SZW by financier
    assert f"version={PLAN}" in page  # the links keep the version
    assert "174.583" in html(client.get(OVERVIEW + "?version=nope"))
    english(client)
    assert "primary budget" in html(client.get(OVERVIEW + "?version=nope"))


def test_amounts_follow_the_language():
    with translation.override("nl"):
        assert presentation.amount(2_295_004) == "2.295.004"
        assert presentation.amount(-260_546) == "-260.546"
        assert presentation.number(Decimal("20.90")) == "20,9"
        assert presentation.number(Decimal("300.00")) == "300"
    with translation.override("en"):
        assert presentation.amount(2_295_004) == "2,295,004"
    assert presentation.amount(None) == "—"
    assert presentation.dotted(-1_030_929) == "-1.030.929"


def test_the_same_warning_in_several_years_is_said_once(client, budgets, manager):
    client.force_login(manager)
    english(client)
    page = html(client.get(OVERVIEW))
    texts = re.findall(r"<li>(.*?)</li>", page[page.index("warnings-title") :], re.S)
    assert len([t for t in texts if "2025–2028" in t]) == 1
    assert "2025–2028" in page


def test_coordinator_reads_but_cannot_enter(client, budgets, coordinator, planning):
    client.force_login(coordinator)
    assert client.get(OVERVIEW).status_code == 200
    response = client.get(REALISATION + "?year=2025&quarter=1")
    assert response.status_code == 200
    assert 'name="line_' not in html(response)
    line = BudgetLine.objects.get(budget=planning, code="housing")
    post = client.post(REALISATION, {"year": 2025, "quarter": 1, f"line_{line.pk}": "1000"})
    assert post.status_code == 403
    assert not Realisation.objects.exists()


def test_administrator_sees_any_region(client, budgets, administrator):
    client.force_login(administrator)
    assert client.get(OVERVIEW + "?region=twente").status_code == 200
    assert client.get(OVERVIEW + "?region=achterhoek").status_code == 200  # no budget: empty
    assert "werkcentrum budget load --region achterhoek" in html(
        client.get(OVERVIEW + "?region=achterhoek")
    )
    assert client.get(OVERVIEW + "?region=atlantis").status_code == 404


def test_enter_realisation(client, planning, manager):
    client.force_login(manager)
    housing = BudgetLine.objects.get(budget=planning, code="housing")
    staff = BudgetLine.objects.get(budget=planning, code="base-formation")
    page = client.get(REALISATION + "?year=2025&quarter=2")
    assert page.status_code == 200
    assert f'name="line_{housing.pk}"' in html(page)
    response = client.post(
        REALISATION + "?year=2025&quarter=2",
        {
            "year": "2025",
            "quarter": "2",
            f"line_{housing.pk}": "40.000",
            f"line_{staff.pk}": "470250",
        },
    )
    assert response.status_code == 302
    assert "year=2025" in response["Location"] and "quarter=2" in response["Location"]
    assert dict(Realisation.objects.values_list("line__code", "amount")) == {
        "housing": 40_000,
        "base-formation": 470_250,
    }
    assert Realisation.objects.get(line=housing).entered_by == manager
    event = AuditEvent.objects.get(action="budget_realisation_recorded")
    assert event.user == manager
    assert event.detail == {
        "year": 2025,
        "quarter": 2,
        "changes": {"housing": [None, 40_000], "base-formation": [None, 470_250]},
    }
    shown = html(client.get(REALISATION + "?year=2025&quarter=2"))
    assert 'value="40000"' in shown  # the form shows what was entered
    assert "120.000" in shown  # remaining on housing: 160,000 - 40,000
    assert "25%" in shown

    # Clearing a field removes the entry; unchanged fields write nothing.
    client.post(
        REALISATION,
        {"year": "2025", "quarter": "2", f"line_{housing.pk}": "", f"line_{staff.pk}": "470250"},
    )
    assert list(Realisation.objects.values_list("line__code", flat=True)) == ["base-formation"]
    assert AuditEvent.objects.filter(action="budget_realisation_recorded").count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "12,50"},
        {"amount": "-5"},
        {"amount": "abc"},
        {"amount": "99999999999999"},
        {"year": "2031"},
        {"quarter": "5"},
    ],
)
def test_bad_input_changes_nothing(client, planning, manager, bad):
    client.force_login(manager)
    english(client)
    housing = BudgetLine.objects.get(budget=planning, code="housing")
    staff = BudgetLine.objects.get(budget=planning, code="base-formation")
    Realisation.objects.create(line=staff, year=2025, quarter=1, amount=5, entered_by=manager)
    data = {
        "year": bad.get("year", "2025"),
        "quarter": bad.get("quarter", "1"),
        f"line_{staff.pk}": "470250",  # a good change in the same form
        f"line_{housing.pk}": bad.get("amount", "1000"),
    }
    response = client.post(REALISATION, data)
    assert response.status_code == 400
    assert "Nothing was saved" in html(response)
    assert list(Realisation.objects.values_list("line__code", "amount")) == [("base-formation", 5)]
    assert not AuditEvent.objects.filter(action="budget_realisation_recorded").exists()
    if "amount" in bad:
        assert 'aria-invalid="true"' in html(response)


def test_export_download(client, budgets, manager):
    client.force_login(manager)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="begroting-twente-meerjarenbegroting-2025-2028.xlsx"'
        in response["Content-Disposition"]
    )
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[1:] == ["2025", "2026", "2027", "2028"]
    plan = client.get(EXPORT + f"?version={PLAN}")
    assert openpyxl.load_workbook(BytesIO(plan.content)).sheetnames[1:] == ["2024"]


def test_no_budget_loaded(client, twente, manager):
    client.force_login(manager)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert "werkcentrum budget load --region twente" in html(response)
    assert client.get(REALISATION).status_code == 200
    assert client.get(EXPORT).status_code == 404


def test_constant_number_of_queries(client, budgets, manager, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(15):
        client.get(OVERVIEW)
    with django_assert_max_num_queries(15):
        client.get(REALISATION)
