"""Finding (hardening): authenticated API responses carried no Cache-Control, so a browser or a proxy could keep
a copy of a case or of a token on disk. Every API response now says `Cache-Control: no-store`."""

from rest_framework.test import APIClient

from tests.clients import api_for
from tests.conftest import PASSWORD


def test_authenticated_api_responses_are_no_store(users):
    client = api_for(users["secretary"])
    for url in ("/api/me/", "/api/regfd/incidents/", "/api/nowhere/"):
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), (url, response.status_code)


def test_the_token_response_is_no_store(secretary):
    response = APIClient().post(
        "/api/auth/token/", {"username": secretary.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_refusals_are_no_store_too():
    assert "no-store" in APIClient().get("/api/me/").get("Cache-Control", "")
