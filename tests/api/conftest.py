"""API fixtures on top of the shared personas in tests/conftest.py (`users`, `company`, `clawback_case`):
a token per persona, clients authenticated with them, and an open Reg FD incident."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ANALYST_CALL, report_incident

ET = ZoneInfo("America/New_York")

INCIDENT_INPUT = ANALYST_CALL  # the incident's fields as the API takes them


@pytest.fixture
def tokens(users) -> dict[str, str]:
    return {role: Token.objects.create(user=user).key for role, user in users.items()}


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
