"""Fixtures for the security findings: sign-in attempts are counted in the cache (the throttles), so each test
starts and ends with none counted, and a persona whose password is known."""

import pytest
from django.core.cache import cache

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _no_sign_in_attempts_counted():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def secretary(users):
    """The Corporate Secretary, who signs in with PASSWORD."""
    assert users["secretary"].check_password(PASSWORD)
    return users["secretary"]


@pytest.fixture
def no_second_factor(settings):
    """Pages without the second-factor step (tested on its own), for the tests that sign in by session."""
    settings.MFA_REQUIRED = False
