"""/api/v1/contacts: list, retrieve, create, answer, claim — with scoping and validation."""

import pytest

from tests.api import PROBLEM, api, invalid_names
from tests.factories import contact, handover
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Contact, ContactEvent, Person
from werkcentrum.privacy.models import ProcessingLogEntry

URL = "/api/v1/contacts"

NEW_CONTACT = {
    "channel": "walk_in",
    "asker_type": "resident",
    "question": "Ik wil me laten omscholen naar de ouderenzorg. Kan ik een scholingscheque krijgen?",
    "municipality": "Oldenzaal",
    "age": 26,
    "work_status": "employed",
    "person": {
        "first_name": "Yvonne",
        "last_name": "Jansen",
        "email": "yvonne@example.org",
        "phone": "06 12345678",
        "date_of_birth": "1999-03-01",
    },
}


# -- list --------------------------------------------------------------------------------------


def test_list_is_paginated_and_scoped_to_the_region(twente, achterhoek, guide, achterhoek_guide):
    mine = contact(twente, guide)
    theirs = contact(achterhoek, achterhoek_guide, municipality="Doetinchem")
    response = api(guide).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == mine.pk
    assert row["reference"] == mine.reference
    assert row["municipality"] == "GM0173"
    assert row["walk_in_point"] == "oldenzaal-sociaal-plein"
    assert row["owner"] == {"type": "user", "name": str(guide)}
    assert row["triage"]["partner_id"] == mine.responsible_partner.code
    # lists carry no personal details and no timeline
    assert "person" not in row and "timeline" not in row

    other = api(achterhoek_guide).get(URL).json()
    assert [row["id"] for row in other["results"]] == [theirs.pk]


def test_list_filters_and_page_size(twente, guide):
    first = contact(twente, guide)
    services.answer_contact(contact(twente, guide), guide, "Doorverwezen naar de vacaturebank.")
    contact(twente, guide, channel="phone")
    client = api(guide)

    answered = client.get(URL, {"status": "answered"}).json()
    assert answered["count"] == 1 and answered["results"][0]["status"] == "answered"
    assert answered["results"][0]["owner"] is None

    phone = client.get(URL, {"channel": "phone"}).json()
    assert phone["count"] == 1 and phone["results"][0]["channel"] == "phone"

    page = client.get(URL, {"pageSize": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and "pageSize=2" in page["next"]
    assert page["previous"] is None
    assert first.pk in {r["id"] for r in client.get(page["next"]).json()["results"]}

    bad = client.get(URL, {"status": "lost", "channel": "pigeon"})
    assert invalid_names(bad) == {"status", "channel"}


def test_list_uses_a_constant_number_of_queries(twente, guide, django_assert_max_num_queries):
    for _ in range(20):
        contact(twente, guide)
    client = api(guide)
    with django_assert_max_num_queries(2):  # the count and one page, related rows joined
        response = client.get(URL, {"pageSize": 20})
    results = response.json()["results"]
    assert len(results) == 20
    assert all(row["owner"]["name"] == str(guide) and row["walk_in_point"] for row in results)


def test_partner_sees_only_contacts_handed_over_to_it_without_the_situation(
    twente, guide, uwv, uwv_employee, municipality_employee
):
    handed = contact(twente, guide)
    handover(handed, guide, uwv)
    contact(twente, guide)  # not handed over

    rows = api(uwv_employee).get(URL).json()["results"]
    assert [r["id"] for r in rows] == [handed.pk]
    assert rows[0]["question"] == handed.question
    assert rows[0]["municipality"] is None and rows[0]["triage"] is None

    assert api(municipality_employee).get(URL).json()["count"] == 0
    detail = api(uwv_employee).get(f"{URL}/{handed.pk}").json()
    assert "person" not in detail
    assert all(event["note"] == "" for event in detail["timeline"])


# -- retrieve ----------------------------------------------------------------------------------


def test_retrieve_shows_person_and_timeline_and_logs_the_read(twente, guide):
    c = contact(twente, guide)
    before = ProcessingLogEntry.objects.filter(
        object_type="contact", object_id=str(c.pk), operation="read"
    ).count()
    response = api(guide).get(f"{URL}/{c.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == {
        "name": "Yvonne Jansen",
        "email": "yvonne.jansen@example.org",
        "phone": "",
    }
    kinds = [event["kind"] for event in body["timeline"]]
    assert kinds[:2] == ["created", "triaged"]
    assert body["timeline"][0]["actor"] == str(guide)
    after = ProcessingLogEntry.objects.filter(
        object_type="contact", object_id=str(c.pk), operation="read"
    )
    assert after.count() == before + 1
    assert after.last().actor == guide


def test_other_region_gets_404_not_the_contact(twente, guide, achterhoek_guide):
    c = contact(twente, guide)
    response = api(achterhoek_guide).get(f"{URL}/{c.pk}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)
    assert "question" not in response.json()


def test_non_numeric_id_is_404_problem(guide):
    response = api(guide).get(f"{URL}/abc")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)


# -- roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [("get", ""), ("get", "/1"), ("post", ""), ("post", "/1/answer"), ("post", "/1/claim")],
)
def test_manager_gets_403(twente, guide, manager, method, path):
    c = contact(twente, guide)
    response = getattr(api(manager), method)(URL + path.replace("1", str(c.pk)), {}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith(PROBLEM)
    assert "aggregate" in response.json()["detail"]


def test_anonymous_is_refused(twente, guide):
    c = contact(twente, guide)
    for response in (
        api().get(URL),
        api().get(f"{URL}/{c.pk}"),
        api().post(URL, NEW_CONTACT, format="json"),
    ):
        assert response.status_code in (401, 403)
        assert response["Content-Type"].startswith(PROBLEM)
        assert "results" not in response.json()
    assert Contact.objects.count() == 1


def test_token_authentication_works(twente, guide):
    contact(twente, guide)
    response = api(guide, token=True).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 1


# -- create ------------------------------------------------------------------------------------


def test_create_registers_contact_with_triage_and_person(twente, guide):
    response = api(guide).post(URL, NEW_CONTACT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    created = Contact.objects.get(pk=body["id"])
    assert response["Location"] == f"{URL}/{created.pk}"
    assert created.created_by == guide and created.owner_user == guide
    assert created.region == twente
    assert created.walk_in_point.code == "oldenzaal-sociaal-plein"  # the guide's own
    assert body["municipality"] == "GM0173"
    assert body["service_level"] == "basic"
    assert body["responsible_partner"] == "twents-fonds-voor-vakmanschap"
    assert body["triage"]["partner_kind"] == "training_fund"
    assert body["person"]["name"] == "Yvonne Jansen"
    assert created.person.date_of_birth.isoformat() == "1999-03-01"
    assert [e["kind"] for e in body["timeline"]][:2] == ["created", "triaged"]


def test_create_reuses_a_known_person(twente, guide):
    client = api(guide)
    first = client.post(URL, NEW_CONTACT, format="json").json()
    second = client.post(
        URL, {**NEW_CONTACT, "question": "Nog een vraag over de cheque."}, format="json"
    ).json()
    assert Person.objects.count() == 1
    assert (
        Contact.objects.get(pk=first["id"]).person_id
        == Contact.objects.get(pk=second["id"]).person_id
    )


def test_create_lists_every_invalid_field_and_changes_nothing(twente, guide):
    body = {
        **NEW_CONTACT,
        "channel": "pigeon",
        "age": 300,
        "municipality": "Atlantis",
        "person": {"first_name": "Yvonne"},
    }
    del body["question"]
    response = api(guide).post(URL, body, format="json")
    assert invalid_names(response) == {
        "channel",
        "question",
        "age",
        "municipality",
        "person.last_name",
    }
    assert response.json()["status"] == 400
    assert Contact.objects.count() == 0 and Person.objects.count() == 0


def test_create_missing_question_and_bad_channel_gives_two_invalid_params(twente, guide):
    body = {k: v for k, v in NEW_CONTACT.items() if k != "question"} | {"channel": "fax"}
    response = api(guide).post(URL, body, format="json")
    params = response.json()["invalidParams"]
    assert len(params) == 2
    assert {p["name"]: p["code"] for p in params} == {
        "question": "required",
        "channel": "invalid_choice",
    }


def test_create_with_a_walk_in_point_of_another_region_is_400(twente, guide):
    body = {**NEW_CONTACT, "walk_in_point": "doetinchem-regionaal-centrum"}
    assert invalid_names(api(guide).post(URL, body, format="json")) == {"walk_in_point"}
    assert Contact.objects.count() == 0


def test_partner_employee_cannot_create(twente, uwv_employee):
    response = api(uwv_employee).post(URL, NEW_CONTACT, format="json")
    assert response.status_code == 403
    assert Contact.objects.count() == 0


# -- answer and claim --------------------------------------------------------------------------


def test_answer_closes_the_contact(twente, guide):
    c = contact(twente, guide)
    response = api(guide).post(
        f"{URL}/{c.pk}/answer", {"outcome": "Vacaturesites uitgelegd."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert response.json()["owner"] is None
    c.refresh_from_db()
    assert c.outcome == "Vacaturesites uitgelegd." and c.answered_at is not None


def test_answer_without_outcome_is_400_and_twice_is_409(twente, guide):
    c = contact(twente, guide)
    client = api(guide)
    assert invalid_names(client.post(f"{URL}/{c.pk}/answer", {}, format="json")) == {"outcome"}
    assert (
        client.post(f"{URL}/{c.pk}/answer", {"outcome": "Beantwoord."}, format="json").status_code
        == 200
    )
    again = client.post(f"{URL}/{c.pk}/answer", {"outcome": "Nogmaals."}, format="json")
    assert again.status_code == 409
    assert again["Content-Type"].startswith(PROBLEM)


def test_claim_takes_an_unassigned_contact_once(twente, guide, other_guide):
    web = services.register_contact(
        region=twente, channel="digital", asker_type="resident", question="Ik zoek werk in de zorg."
    )
    assert web.owner_user is None
    response = api(guide).post(f"{URL}/{web.pk}/claim")
    assert response.status_code == 200
    assert response.json()["owner"] == {"type": "user", "name": str(guide)}
    assert ContactEvent.objects.filter(contact=web, kind="claimed", actor=guide).exists()

    late = api(other_guide).post(f"{URL}/{web.pk}/claim")
    assert late.status_code == 409
    assert "already picked up" in late.json()["detail"]


def test_claim_in_another_region_is_404(twente, achterhoek_guide):
    web = services.register_contact(
        region=twente, channel="digital", asker_type="resident", question="Ik zoek werk."
    )
    assert api(achterhoek_guide).post(f"{URL}/{web.pk}/claim").status_code == 404
    web.refresh_from_db()
    assert web.owner_user is None


def test_referral_needs_and_records_the_referring_partner(twente, guide):
    body = {**NEW_CONTACT, "channel": "referral"}
    body.pop("person")
    missing = api(guide).post(URL, body, format="json")
    assert missing.status_code == 400
    assert "referred_by" in invalid_names(missing)
    assert not Contact.objects.filter(channel="referral").exists()

    created = api(guide).post(URL, {**body, "referred_by": "uwv-twente"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["referred_by"] == "uwv-twente"
    assert Contact.objects.get(channel="referral").referred_by.code == "uwv-twente"
