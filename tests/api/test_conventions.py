"""API-wide conventions: API-Version header, problem+json, no trailing slashes, the schema."""

import json

import yaml

from tests.api import PROBLEM, api

EXPECTED_OPERATIONS = {
    "/api/v1/contacts": {"get", "post"},
    "/api/v1/contacts/{id}": {"get"},
    "/api/v1/contacts/{id}/answer": {"post"},
    "/api/v1/contacts/{id}/claim": {"post"},
    "/api/v1/handovers": {"get", "post"},
    "/api/v1/handovers/{id}": {"get"},
    "/api/v1/handovers/{id}/accept": {"post"},
    "/api/v1/handovers/{id}/return": {"post"},
    "/api/v1/handovers/{id}/withdraw": {"post"},
    "/api/v1/partners": {"get"},
    "/api/v1/partners/{code}": {"get"},
    "/api/v1/walk-in-points": {"get"},
    "/api/v1/walk-in-points/{code}": {"get"},
    "/api/v1/triage": {"post"},
}


def test_api_version_header_on_success_and_error(twente, guide, settings):
    ok = api(guide).get("/api/v1/contacts")
    assert ok["API-Version"] == settings.API_VERSION
    error = api().get("/api/v1/contacts")
    assert error["API-Version"] == settings.API_VERSION
    assert api().get("/api/v1/walk-in-points")["API-Version"] == settings.API_VERSION


def test_errors_are_problem_json(twente, guide):
    response = api(guide).post("/api/v1/contacts", {}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 400 and body["title"] and body["instance"] == "/api/v1/contacts"
    assert {p["name"] for p in body["invalidParams"]} == {"channel", "asker_type", "question"}
    assert all(p["reason"] and p["code"] for p in body["invalidParams"])


def test_wrong_method_is_a_405_problem(twente, guide):
    response = api(guide).delete("/api/v1/contacts")
    assert response.status_code == 405
    assert response["Content-Type"].startswith(PROBLEM)


def test_no_trailing_slashes(twente, guide):
    assert api(guide).get("/api/v1/contacts").status_code == 200
    assert api(guide).get("/api/v1/contacts/").status_code == 404


def test_schema_describes_every_operation_with_bodies(twente, guide):
    response = api().get("/api/v1/schema")  # public, like the docs
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1.0.0"
    paths = schema["paths"]
    for path, methods in EXPECTED_OPERATIONS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
        for method in methods:
            operation = paths[path][method]
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success and "content" in operation["responses"][success[0]], (path, method)
            assert PROBLEM in json.dumps(operation["responses"]), (path, method)
    for path, method in [
        ("/api/v1/contacts", "post"),
        ("/api/v1/handovers", "post"),
        ("/api/v1/triage", "post"),
        ("/api/v1/handovers/{id}/return", "post"),
        ("/api/v1/contacts/{id}/answer", "post"),
    ]:
        assert "requestBody" in paths[path][method], (path, method)
    listing = paths["/api/v1/contacts"]["get"]
    assert {"page", "pageSize", "status", "channel", "service_level"} <= {
        p["name"] for p in listing["parameters"]
    }
    components = schema["components"]["schemas"]
    assert "invalidParams" in components["Problem"]["properties"]
    assert "shared" in components["Handover"]["properties"]
    assert "shared" not in components["Handover"]["required"]


def test_schema_as_json(twente):
    response = api().get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/triage" in json.loads(response.content)["paths"]


def test_docs_page_is_served(twente):
    response = api().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"redoc" in response.content.lower()
    assert b"/api/v1/schema" in response.content


def test_bodies_must_be_json(twente, guide):
    response = api(guide).post("/api/v1/triage", {"asker": "resident", "municipality": "Oldenzaal"})
    assert response.status_code == 415
    assert response["Content-Type"].startswith(PROBLEM)


def test_malformed_json_is_a_400_problem(twente, guide):
    response = api(guide).post("/api/v1/triage", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)


def test_browser_session_authentication_works(client, twente, guide):
    client.force_login(guide)  # the session cookie of the web application
    response = client.get("/api/v1/contacts")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_errors_are_dutch_by_default_and_english_on_request(twente, manager):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(manager)
    dutch = client.get("/api/v1/contacts")
    assert dutch.status_code == 403
    assert dutch["Content-Language"] == "nl"
    english = client.get("/api/v1/contacts", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert dutch.json()["detail"] != english.json()["detail"]
