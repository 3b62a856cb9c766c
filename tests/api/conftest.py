"""API fixtures on top of the shared personas in tests/conftest.py (`users`, `company`, `clawback_case`):
a token per persona, clients authenticated with them, and an open Reg FD incident."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from compliance_site.accounts.tokens import issue_token
from tests.factories import ANALYST_CALL, report_incident

ET = ZoneInfo("America/New_York")

INCIDENT_INPUT = ANALYST_CALL  # the incident's fields as the API takes them


@pytest.fixture(autouse=True)
def _no_sign_in_attempts_counted():
    # The sign-in throttles count in the cache: the fuzzed token endpoint must not use up the next test's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tokens(users) -> dict[str, str]:
    """An expiring API token per persona, as POST /api/auth/token/ issues them."""
    return {role: issue_token(user=user)[1] for role, user in users.items()}


@pytest.fixture
def client_as(tokens):
    """client_as("auditor"): an API client authenticated with that persona's token."""

    def make(role: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[role]}")
        return client

    return make


@pytest.fixture
def incident(users):
    """An open incident reported by the employee persona: the program's officers and the employee see it,
    other reporters do not."""
    return report_incident(
        users["employee"],
        disclosed_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 15, 0, tzinfo=ET),
    )
