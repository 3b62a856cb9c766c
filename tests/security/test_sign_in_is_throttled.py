"""Finding: nothing limited how fast POST /api/auth/token/ (or the login page) could be tried. Sign-in attempts
are now counted per client address, and on the token endpoint per user name too (against guessing spread
over many addresses); past the limit the answer is a 429 in the API's error format, with Retry-After."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.clients import api_error
from tests.conftest import PASSWORD


def _token(username, password="wrong", address="203.0.113.9"):
    return Client().post(
        "/api/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


@pytest.fixture
def low_limits(settings):
    settings.SIGN_IN_RATE_PER_ADDRESS = "3/minute"
    settings.SIGN_IN_RATE_PER_USERNAME = "4/hour"
    settings.AXES_FAILURE_LIMIT = 100  # the throttle, not the lock-out, is under test


def test_the_token_endpoint_is_limited_per_address(users, low_limits):
    for n in range(3):
        _token(f"nobody{n}")
    response = _token("nobody-else")
    error = api_error(response, 429)
    assert error["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another address is not affected.
    assert _token("nobody-else", address="198.51.100.7").status_code == 400


def test_the_token_endpoint_is_limited_per_user_name_across_addresses(secretary, low_limits):
    for n in range(4):
        _token(secretary.username, address=f"192.0.2.{n}")
    api_error(_token(secretary.username, PASSWORD, address="192.0.2.99"), 429)
    # Another user name from a fresh address is not affected.
    assert _token("auditor", PASSWORD, address="192.0.2.100").status_code == 200


def test_the_login_page_post_is_limited_per_address(secretary, low_limits):
    url = reverse("accounts:login")
    for n in range(3):
        Client().post(url, {"username": f"nobody{n}", "password": "x"}, REMOTE_ADDR="203.0.113.9")
    refused = Client().post(
        url, {"username": secretary.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Showing the page is not an attempt.
    assert Client().get(url, REMOTE_ADDR="203.0.113.9").status_code == 200
    ok = Client().post(
        url, {"username": secretary.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert ok.status_code == 302
