import pytest


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    # These tests are about what a signed-in person may type; signing in with a second factor has its own
    # tests (tests/accounts_mfa), so the pages here are used as a signed-in, verified person would.
    settings.MFA_REQUIRED = False
