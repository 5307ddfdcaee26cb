"""/api/v1/partners (authenticated) and /api/v1/walk-in-points (public)."""

from tests.api import PROBLEM, api, invalid_names
from werkcentrum.regions.models import Partner, WalkInPoint

PARTNERS = "/api/v1/partners"
POINTS = "/api/v1/walk-in-points"


def test_partners_list_filters_by_region_and_kind(twente, achterhoek, guide):
    client = api(guide)
    body = client.get(PARTNERS, {"region": "twente", "kind": "uwv"}).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert [p["code"] for p in body["results"]] == ["uwv-twente"]
    assert body["results"][0]["region"] == "twente"

    all_twente = client.get(PARTNERS, {"region": "twente", "pageSize": 100}).json()
    assert all_twente["count"] == Partner.objects.filter(region=twente).count()
    assert {p["region"] for p in all_twente["results"]} == {"twente"}
    achterhoek_count = client.get(PARTNERS, {"region": "achterhoek"}).json()["count"]
    assert achterhoek_count == Partner.objects.filter(region=achterhoek).count() > 0
    assert invalid_names(client.get(PARTNERS, {"kind": "bakery"})) == {"kind"}


def test_partner_retrieve_by_code(twente, uwv_employee):
    response = api(uwv_employee).get(f"{PARTNERS}/gm0173-social_assistance")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "gm0173-social_assistance"
    assert body["kind"] == "municipality" and body["desk"] == "social_assistance"
    assert body["municipality"] == "GM0173"
    assert set(body) >= {"name", "pickup_working_days", "email", "phone", "website"}
    assert api(uwv_employee).get(f"{PARTNERS}/no-such-partner").status_code == 404


def test_managers_may_read_partners_but_anonymous_may_not(twente, manager):
    assert api(manager).get(PARTNERS).status_code == 200
    response = api().get(PARTNERS)
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith(PROBLEM)


def test_partners_are_read_only(twente, administrator):
    response = api(administrator).post(PARTNERS, {"code": "x", "name": "X"}, format="json")
    assert response.status_code == 405
    assert not Partner.objects.filter(code="x").exists()


def test_walk_in_points_are_public_with_hours_services_and_address(twente):
    client = api()
    body = client.get(POINTS, {"region": "twente", "pageSize": 100}).json()
    assert body["count"] == WalkInPoint.objects.filter(region=twente).count()
    assert body["results"][0]["is_regional_centre"] is True  # the regional centre comes first

    oldenzaal = client.get(f"{POINTS}/oldenzaal-sociaal-plein")
    assert oldenzaal.status_code == 200
    point = oldenzaal.json()
    stored = WalkInPoint.objects.get(code="oldenzaal-sociaal-plein")
    assert point["municipality"] == "GM0173" and point["region"] == "twente"
    assert point["address"] == {
        "street": stored.street,
        "postcode": stored.postcode,
        "city": stored.city,
    }
    assert point["opening_hours"] == stored.opening_hours and point["opening_hours"]
    assert {"day", "opens", "closes"} <= set(point["opening_hours"][0])
    assert point["services"] == stored.services


def test_walk_in_points_filter_by_municipality(twente):
    body = api().get(POINTS, {"municipality": "GM0173"}).json()
    assert [p["code"] for p in body["results"]] == ["oldenzaal-sociaal-plein"]
    assert api().get(f"{POINTS}/atlantis").status_code == 404
