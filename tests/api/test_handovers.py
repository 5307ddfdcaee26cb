"""/api/v1/handovers: the warm handover over the API, scoped per partner, with consent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api import PROBLEM, api, invalid_names
from tests.factories import contact, handover
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Consent, Handover
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Partner

URL = "/api/v1/handovers"


@pytest.fixture
def pending(twente, guide, uwv):
    return handover(contact(twente, guide), guide, uwv)


# -- create ------------------------------------------------------------------------------------


def test_front_office_hands_over_with_consent_in_one_call(twente, guide, uwv):
    c = contact(twente, guide)
    valid_until = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = api(guide).post(
        URL,
        {
            "contact": c.pk,
            "partner": "uwv-twente",
            "categories": ["contact_details", "question", "situation"],
            "valid_until": valid_until,
            "message": "Graag contact over de WW-aanvraag.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"{URL}/{body['id']}"
    assert body["partner"] == "uwv-twente" and body["status"] == "pending"
    assert body["contact"] == c.pk and body["contact_reference"] == c.reference
    assert body["consent"]["categories"] == ["contact_details", "question", "situation"]
    assert body["consent"]["valid_until"] == valid_until and body["consent"]["active"] is True
    assert "shared" not in body  # only partner employees get the shared data
    c.refresh_from_db()
    assert c.status == "handover_pending" and c.owner_partner == uwv


def test_create_lists_every_invalid_field(twente, guide):
    c = contact(twente, guide)
    response = api(guide).post(
        URL,
        {"contact": c.pk, "partner": "no-such-partner", "categories": ["question", "shoe_size"]},
        format="json",
    )
    names = invalid_names(response)
    assert names == {"partner", "categories.1"}  # the position of the unknown category
    assert Consent.objects.count() == 0 and Handover.objects.count() == 0


def test_create_without_required_categories_rolls_back_the_consent(twente, guide, uwv):
    c = contact(twente, guide)
    response = api(guide).post(
        URL, {"contact": c.pk, "partner": "uwv-twente", "categories": ["question"]}, format="json"
    )
    assert invalid_names(response) == {"categories"}
    assert Consent.objects.count() == 0


def test_create_for_a_contact_without_person_is_400_and_nothing_is_stored(twente, guide):
    c = contact(twente, guide, with_person=False)
    response = api(guide).post(
        URL,
        {"contact": c.pk, "partner": "uwv-twente", "categories": ["contact_details", "question"]},
        format="json",
    )
    assert invalid_names(response) == {"person"}
    assert Consent.objects.count() == 0 and Handover.objects.count() == 0


def test_create_for_a_contact_already_handed_over_is_409_and_leaves_no_consent(
    twente, guide, pending
):
    response = api(guide).post(
        URL,
        {
            "contact": pending.contact_id,
            "partner": "sbb-twente",
            "categories": ["contact_details", "question"],
        },
        format="json",
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith(PROBLEM)
    assert Consent.objects.count() == 1  # only the first handover's


def test_create_for_a_contact_of_another_region_is_400(twente, guide, achterhoek_guide):
    c = contact(twente, guide)
    response = api(achterhoek_guide).post(
        URL,
        {"contact": c.pk, "partner": "uwv-twente", "categories": ["contact_details", "question"]},
        format="json",
    )
    assert invalid_names(response) >= {"contact"}
    assert Handover.objects.count() == 0


def test_partner_employee_cannot_create(twente, guide, uwv_employee):
    c = contact(twente, guide)
    response = api(uwv_employee).post(
        URL,
        {"contact": c.pk, "partner": "uwv-twente", "categories": ["contact_details", "question"]},
        format="json",
    )
    assert response.status_code == 403
    assert Handover.objects.count() == 0


# -- list and retrieve: scoping ----------------------------------------------------------------


def test_partner_lists_only_its_own_handovers_oldest_due_first(
    twente, guide, uwv, uwv_employee, municipality_employee
):
    first = handover(contact(twente, guide), guide, uwv)
    second = handover(contact(twente, guide), guide, uwv)
    Handover.objects.filter(pk=second.pk).update(due_at=first.due_at - timedelta(hours=1))
    enschede = Partner.objects.get(code="gm0153-social_assistance")
    theirs = handover(contact(twente, guide, municipality="Enschede"), guide, enschede)

    body = api(uwv_employee).get(URL).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    assert all("shared" not in row for row in body["results"])

    assert [row["id"] for row in api(municipality_employee).get(URL).json()["results"]] == [
        theirs.pk
    ]
    assert api(guide).get(URL).json()["count"] == 3


def test_list_filters_on_status(twente, guide, pending, uwv_employee):
    client = api(uwv_employee)
    assert client.get(URL, {"status": "pending"}).json()["count"] == 1
    assert client.get(URL, {"status": "accepted"}).json()["count"] == 0
    assert invalid_names(client.get(URL, {"status": "lost"})) == {"status"}


def test_partner_b_cannot_see_partner_a_handover(pending, municipality_employee):
    client = api(municipality_employee)
    for response in (
        client.get(f"{URL}/{pending.pk}"),
        client.post(f"{URL}/{pending.pk}/accept"),
        client.post(f"{URL}/{pending.pk}/return", {"reason": "Niet voor ons."}, format="json"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"].startswith(PROBLEM)
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_other_region_guide_cannot_see_the_handover(pending, achterhoek_guide):
    assert api(achterhoek_guide).get(f"{URL}/{pending.pk}").status_code == 404
    assert api(achterhoek_guide).get(URL).json()["count"] == 0


def test_manager_gets_403(pending, manager):
    client = api(manager)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/{pending.pk}").status_code == 403
    assert client.post(f"{URL}/{pending.pk}/accept").status_code == 403


def test_anonymous_is_refused(pending):
    for response in (
        api().get(URL),
        api().get(f"{URL}/{pending.pk}"),
        api().post(f"{URL}/{pending.pk}/accept"),
    ):
        assert response.status_code in (401, 403)
        assert response["Content-Type"].startswith(PROBLEM)
    pending.refresh_from_db()
    assert pending.status == "pending"


# -- shared data -------------------------------------------------------------------------------


def test_partner_gets_exactly_the_consented_data(twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    c.person.date_of_birth = timezone.localdate().replace(year=1990)
    c.person.save()
    h = handover(c, guide, uwv, categories=("contact_details", "question"))

    response = api(uwv_employee).get(f"{URL}/{h.pk}")
    assert response.status_code == 200
    shared = response.json()["shared"]
    assert set(shared) == {"contact_details", "question"}
    assert shared["contact_details"]["name"] == "Yvonne Jansen"
    assert shared["contact_details"]["email"] == "yvonne.jansen@example.org"
    assert shared["question"]["question"] == c.question
    assert "situation" not in shared and "date_of_birth" not in shared
    assert "1990" not in response.content.decode()
    assert (
        "GM0173" not in response.content.decode() and "Oldenzaal" not in response.content.decode()
    )
    assert ProcessingLogEntry.objects.filter(
        object_type="handover", object_id=str(h.pk), operation="read", actor=uwv_employee
    ).exists()


def test_shared_data_includes_situation_when_consented(twente, guide, uwv, uwv_employee):
    h = handover(
        contact(twente, guide), guide, uwv, categories=("contact_details", "question", "situation")
    )
    shared = api(uwv_employee).get(f"{URL}/{h.pk}").json()["shared"]
    assert shared["situation"]["municipality"] == "Oldenzaal"


def test_handover_is_gone_for_the_partner_once_consent_is_withdrawn(
    twente, guide, pending, uwv_employee
):
    services.withdraw_consent(pending.consent, guide, "Wil het toch niet.")
    response = api(uwv_employee).get(f"{URL}/{pending.pk}")
    assert response.status_code == 404
    assert pending.pk not in [h["id"] for h in api(uwv_employee).get(URL).json()["results"]]


# -- accept, return, withdraw ------------------------------------------------------------------


def test_accept_then_second_accept_is_409_with_clear_detail(twente, pending, uwv, uwv_employee):
    colleague = type(uwv_employee).objects.create_user(
        username="uwv2",
        password="x-test-password-1",
        role="partner_employee",
        region=twente,
        partner=uwv,
        first_name="Ubbo",
    )
    first = api(uwv_employee).post(f"{URL}/{pending.pk}/accept")
    assert first.status_code == 200
    assert first.json()["status"] == "accepted"
    assert first.json()["decided_by"] == str(uwv_employee)
    assert set(first.json()["shared"]) == {"contact_details", "question"}
    pending.contact.refresh_from_db()
    assert pending.contact.status == "handed_over" and pending.contact.owner_partner == uwv

    second = api(colleague).post(f"{URL}/{pending.pk}/accept")
    assert second.status_code == 409
    assert second["Content-Type"].startswith(PROBLEM)
    body = second.json()
    assert body["status"] == 409 and body["title"] == "Conflict"
    assert "already" in body["detail"] and str(uwv_employee) in body["detail"]


def test_return_sends_it_back_to_the_guide(twente, guide, pending, uwv_employee):
    response = api(uwv_employee).post(
        f"{URL}/{pending.pk}/return",
        {
            "reason": "Geen WW-recht; bijstand ligt meer voor de hand.",
            "suggested_partner": "gm0173-social_assistance",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "returned"
    assert body["suggested_partner"] == "gm0173-social_assistance"
    assert body["shared"] is None  # no longer with this partner
    pending.contact.refresh_from_db()
    assert pending.contact.status == "open" and pending.contact.owner_user == guide


def test_return_without_reason_is_400_naming_reason(pending, uwv_employee):
    response = api(uwv_employee).post(f"{URL}/{pending.pk}/return", {}, format="json")
    assert invalid_names(response) == {"reason"}
    blank = api(uwv_employee).post(f"{URL}/{pending.pk}/return", {"reason": "   "}, format="json")
    assert invalid_names(blank) == {"reason"}
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_return_with_unknown_suggested_partner_is_400(pending, uwv_employee):
    response = api(uwv_employee).post(
        f"{URL}/{pending.pk}/return",
        {"reason": "Niet voor ons.", "suggested_partner": "nope"},
        format="json",
    )
    assert invalid_names(response) == {"suggested_partner"}


def test_guide_cannot_accept(pending, guide):
    response = api(guide).post(f"{URL}/{pending.pk}/accept")
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_withdraw_by_front_office(guide, pending):
    client = api(guide)
    assert invalid_names(client.post(f"{URL}/{pending.pk}/withdraw", {}, format="json")) == {
        "reason"
    }
    response = client.post(
        f"{URL}/{pending.pk}/withdraw", {"reason": "Persoon heeft al een afspraak."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    pending.contact.refresh_from_db()
    assert pending.contact.status == "open" and pending.contact.owner_user == guide
    again = client.post(f"{URL}/{pending.pk}/withdraw", {"reason": "Nogmaals."}, format="json")
    assert again.status_code == 409


def test_partner_cannot_withdraw(pending, uwv_employee):
    response = api(uwv_employee).post(
        f"{URL}/{pending.pk}/withdraw", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_list_uses_a_constant_number_of_queries(
    twente, guide, uwv, uwv_employee, django_assert_max_num_queries
):
    for _ in range(10):
        handover(contact(twente, guide), guide, uwv)
    with django_assert_max_num_queries(2):  # the count and one page, related rows joined
        rows = api(uwv_employee).get(URL).json()["results"]
    assert len(rows) == 10
    assert all(row["partner"] == "uwv-twente" and row["consent"]["active"] for row in rows)
