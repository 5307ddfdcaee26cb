"""record_realisation: permission, validation before any write, audit of every change."""

import pytest
from django.utils import translation

from werkcentrum.accounts.models import Role
from werkcentrum.budget import services
from werkcentrum.budget.models import BudgetLine, Realisation
from werkcentrum.core.errors import NotAllowed, ServiceError
from werkcentrum.privacy.models import AuditEvent

from ..conftest import make_user


@pytest.fixture
def lines(planning):
    return {line.code: line for line in BudgetLine.objects.filter(budget=planning)}


def record(user, budget, amounts, year=2025, quarter=1):
    return services.record_realisation(
        user=user, budget=budget, year=year, quarter=quarter, amounts=amounts
    )


def test_manager_and_administrator_may_enter(planning, lines, manager, administrator):
    assert record(manager, planning, {lines["housing"].pk: 40_000}) == 1
    assert record(administrator, planning, {lines["housing"].pk: 41_000}) == 1
    assert record(administrator, planning, {lines["housing"].pk: 41_000}) == 0  # unchanged
    assert Realisation.objects.get().amount == 41_000
    assert AuditEvent.objects.filter(action="budget_realisation_recorded").count() == 2


@pytest.mark.parametrize("who", ["coordinator", "guide", "uwv_employee"])
def test_others_may_not(planning, lines, request, who):
    with pytest.raises(NotAllowed):
        record(request.getfixturevalue(who), planning, {lines["housing"].pk: 1})
    assert not Realisation.objects.exists()


def test_not_in_another_region(planning, lines, achterhoek):
    other = make_user("manager_ah", Role.MANAGER, achterhoek)
    with translation.override("en"), pytest.raises(NotAllowed, match="another region"):
        record(other, planning, {lines["housing"].pk: 1})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 2030}, "year"),
        ({"quarter": 0}, "quarter"),
        ({"amount": -1}, "line"),
        ({"amount": 1.5}, "line"),
        ({"amount": 10**11}, "line"),
        ({"line": 10**9}, None),
    ],
)
def test_bad_input_writes_nothing(planning, lines, manager, change, field):
    staff, housing = lines["base-formation"], lines["housing"]
    amounts = {staff.pk: 470_250, change.get("line", housing.pk): change.get("amount", 1)}
    with pytest.raises(ServiceError) as info:
        record(manager, planning, amounts, change.get("year", 2025), change.get("quarter", 1))
    assert (info.value.field or "").startswith(field or "") if field else info.value.field is None
    assert not Realisation.objects.exists()
    assert not AuditEvent.objects.filter(action="budget_realisation_recorded").exists()


def test_permissions():
    class U:
        is_manager = is_coordinator = is_administrator = False

    user = U()
    assert not services.can_view(user) and not services.can_edit(user)
    user.is_coordinator = True
    assert services.can_view(user) and not services.can_edit(user)
    user.is_manager = True
    assert services.can_edit(user)
