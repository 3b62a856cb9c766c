"""Clients signed in as a given user, and reading the API's one error format, for the tests of every part."""

import json

from django.test import Client
from rest_framework.test import APIClient

from compliance_site.accounts.tokens import issue_token


def client_for(user) -> Client:
    """A browser-like client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    """An API client authenticated as `user` (no token: the session-less shortcut)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_api_for(user) -> APIClient:
    """An API client sending `user`'s token, as an integration does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=user)[1]}")
    return client


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def api_error(response, status: int) -> dict:
    """The error of a refused API call, after checking it is in the API's one error format with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]
