"""The register of tests.registers.people: its URLs for every test here, and its record of service calls
emptied before each."""

import pytest

from tests.registers.people import CALLS


@pytest.fixture(autouse=True)
def _people_urls(settings):
    settings.ROOT_URLCONF = "tests.registers.people"
    CALLS.clear()
