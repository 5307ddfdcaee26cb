"""Tests of the REST API (/api/v1/). Helpers shared by the test modules."""

from rest_framework.test import APIClient

PROBLEM = "application/problem+json"


def api(user=None, token=False) -> APIClient:
    """A client logged in as ``user`` (session, or token auth like a machine client).

    It asks for English messages, as the assertions on error texts are in English; the
    API answers in Dutch by default (tested in test_conventions).
    """
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        if token:
            from rest_framework.authtoken.models import Token

            key = Token.objects.get_or_create(user=user)[0].key
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            client.force_authenticate(user)
    return client


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    return {param["name"] for param in response.json()["invalidParams"]}
