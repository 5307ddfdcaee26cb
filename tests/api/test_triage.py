"""POST /api/v1/triage: the CLI's triage contract over HTTP."""

import pytest

from tests.api import api, invalid_names
from werkcentrum.frontdoor.models import Contact

URL = "/api/v1/triage"

YVONNE = {
    "asker": "resident",
    "municipality": "Oldenzaal",
    "age": 26,
    "work_status": "employed",
    "question": "Ik werk als oproepkracht bij een drogist en wil me laten omscholen naar de "
    "ouderenzorg. Kan ik daarvoor een scholingscheque krijgen?",
}


def test_yvonne_in_oldenzaal_goes_to_the_training_fund(twente, guide):
    response = api(guide).post(URL, YVONNE, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["service_level"] == "basic"
    assert body["partner_kind"] == "training_fund"
    assert body["partner_id"] == "twents-fonds-voor-vakmanschap"
    assert body["rule_id"] == "training-funding"
    assert body["reasons"] and body["reasons_en"]
    assert body["municipality"] == {"code": "GM0173", "name": "Oldenzaal", "region": "twente"}
    assert body["region"] == "twente"
    assert Contact.objects.count() == 0  # nothing stored


def test_cbs_code_works_like_the_name(twente, guide):
    by_code = api(guide).post(URL, {**YVONNE, "municipality": "GM0173"}, format="json").json()
    by_name = api(guide).post(URL, YVONNE, format="json").json()
    assert by_code == by_name


def test_resident_of_another_region_is_sent_to_that_werkcentrum(twente, guide):
    body = api(guide).post(URL, {**YVONNE, "municipality": "Doetinchem"}, format="json").json()
    assert body["other_region"] == "achterhoek"
    assert body["partner_kind"] == "werkcentrum"
    assert body["region"] == "twente"


def test_region_defaults_to_the_users_region(achterhoek, achterhoek_guide):
    body = (
        api(achterhoek_guide)
        .post(URL, {**YVONNE, "municipality": "Doetinchem"}, format="json")
        .json()
    )
    assert body["region"] == "achterhoek"
    assert "other_region" not in body


def test_unknown_municipality_is_400_naming_it(twente, guide):
    response = api(guide).post(URL, {**YVONNE, "municipality": "Atlantis"}, format="json")
    assert invalid_names(response) == {"municipality"}
    assert "Atlantis" in response.json()["invalidParams"][0]["reason"]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"asker": "alien"}, "asker"),
        ({"age": -1}, "age"),
        ({"age": "twenty"}, "age"),
        ({"work_status": "retired"}, "work_status"),
        ({"benefit": "lottery"}, "benefit"),
        ({"topics": ["astrology"]}, "topics.0"),
        ({"shoe_size": 43}, "shoe_size"),
        ({"region": "atlantis"}, "region"),
    ],
)
def test_invalid_fields_are_named(twente, guide, change, field):
    response = api(guide).post(URL, {**YVONNE, **change}, format="json")
    assert field in invalid_names(response)


def test_every_invalid_field_is_listed(twente, guide):
    response = api(guide).post(
        URL, {"asker": "alien", "age": 500, "benefit": "lottery"}, format="json"
    )
    assert invalid_names(response) == {"asker", "age", "benefit", "municipality"}


def test_anonymous_may_not_triage(twente):
    assert api().post(URL, YVONNE, format="json").status_code in (401, 403)


def test_manager_may_triage(twente, manager):
    assert api(manager).post(URL, YVONNE, format="json").json()["partner_kind"] == "training_fund"
