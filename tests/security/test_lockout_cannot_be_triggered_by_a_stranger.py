"""Finding: the lock-out after failed sign-ins was keyed on the address the request came from, which behind the
documented TLS proxy is the proxy's for everyone: a stranger's five wrong passwords locked the real user out
for 15 minutes. The client's address now comes from X-Forwarded-For, believed only as far as the configured
number of trusted proxies (TRUSTED_PROXY_COUNT), so a lock-out holds the stranger's address only."""

import pytest
from django.test import Client
from django.urls import reverse

from compliance_site.accounts.client_address import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"
STRANGER = "203.0.113.9"
SECRETARY_DESK = "198.51.100.7"


def _through_proxy(address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def _page_sign_in(username: str, password: str, address: str):
    return Client().post(
        reverse("accounts:login"), {"username": username, "password": password}, **_through_proxy(address)
    )


def _token_sign_in(username: str, password: str, address: str):
    return Client().post(
        "/api/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        **_through_proxy(address),
    )


@pytest.fixture
def one_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


@pytest.mark.parametrize("sign_in", [_page_sign_in, _token_sign_in], ids=["login page", "token endpoint"])
def test_a_strangers_failures_do_not_lock_the_user_out_from_their_own_address(
    sign_in, secretary, one_trusted_proxy
):
    for _ in range(6):
        sign_in(secretary.username, "guessing wrong", STRANGER)
    # The stranger is locked out, told so (the lock-out page is a 429, the API's refusal a 403)...
    locked = sign_in(secretary.username, PASSWORD, STRANGER)
    assert locked.status_code in (403, 429)
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # ...and the Secretary, at her own desk behind the same proxy, signs in.
    response = sign_in(secretary.username, PASSWORD, SECRETARY_DESK)
    assert response.status_code in (200, 302), response.content[:300]
    if sign_in is _page_sign_in:
        assert response.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(secretary, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 5
    # An attacker talking to the application directly cannot dodge the lock-out by inventing addresses.
    for n in range(6):
        Client().post(
            reverse("accounts:login"),
            {"username": secretary.username, "password": "guessing wrong"},
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    locked = Client().post(
        reverse("accounts:login"),
        {"username": secretary.username, "password": PASSWORD},
        REMOTE_ADDR=STRANGER,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is anyone's to write
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # The client wrote its own X-Forwarded-For; the proxy appended the real address: the right-most wins.
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # Fewer entries than trusted proxies: the request did not come through them all.
        (2, "10.0.0.3", "203.0.113.9", "10.0.0.3"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_address(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_Request(remote, forwarded)) == expected
