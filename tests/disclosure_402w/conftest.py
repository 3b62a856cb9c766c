import pytest


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    # These tests are about what the disclosure shows whom; signing in with a second factor has its own
    # tests (tests/accounts_mfa), so the pages here are read as a signed-in, verified person would.
    settings.MFA_REQUIRED = False
