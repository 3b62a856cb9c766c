"""Fixtures for the second-factor tests: the rule turned on (tests elsewhere run with it off, tests/conftest.py),
a person enrolled with an authenticator app and recovery codes, and the codes the app would show."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.MFA_REQUIRED = True
    # allauth remembers spent TOTP codes in the cache; user ids repeat between tests.
    cache.clear()
    yield settings
    cache.clear()


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (`step` 30-second periods later), as allauth computes it."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def enroll(user) -> tuple[str, list[str]]:
    """An authenticator app and recovery codes for `user`: (the TOTP secret, the recovery codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    return secret, codes


def sign_in_with_password(client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post(
        LOGIN + (f"?next={next_url}" if next_url else ""), {"username": username, "password": password}
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session
