import pytest


@pytest.fixture(autouse=True)
def _signed_in_with_a_second_factor(settings):
    # The second factor at sign-in has its own tests (tests/accounts_mfa): the admin is used here as a
    # signed-in, verified administrator uses it.
    settings.MFA_REQUIRED = False
