"""Personas and records for the API tests.

The shared personas (`users`, one per role, and `demo_company`) are meant to come from tests/conftest.py;
the fixtures here have the same names and shapes so the API tests run on their own in the meantime.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clawback.models import Executive, OfficerPeriod, Restatement, RestatementEvent
from compliance_site.accounts.models import RoleAssignment, User
from compliance_site.accounts.roles import Role
from compliance_site.company.models import Company
from regfd.services import open_incident

ET = ZoneInfo("America/New_York")


@pytest.fixture
def demo_company(db):
    return Company.objects.create(name="Acme Widgets, Inc.", ticker="ACME", cik="0000123456")


@pytest.fixture
def users(db) -> dict[str, User]:
    """One user per role, keyed by the role's value: users["secretary"], users["auditor"]..."""
    people = {}
    for role in Role:
        user = User.objects.create_user(
            username=f"{role.value}-user",
            email=f"{role.value}@example.com",
            first_name=role.label.split()[0],
            last_name="Tester",
        )
        RoleAssignment.objects.create(user=user, role=role)
        people[role.value] = user
    return people


@pytest.fixture
def tokens(users) -> dict[str, str]:
    return {role: Token.objects.create(user=user).key for role, user in users.items()}


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_as(tokens):
    """client_as("auditor"): an API client authenticated with that persona's token."""

    def make(role: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[role]}")
        return client

    return make


@pytest.fixture
def officer_executive(demo_company, users):
    executive = Executive.objects.create(
        company=demo_company, key="ceo", name="Olivia Officer", title="Chief Executive Officer", user=users["officer"]
    )
    OfficerPeriod.objects.create(executive=executive, start=date(2021, 1, 1), title="CEO")
    return executive


@pytest.fixture
def restatement(demo_company, officer_executive):
    restatement = Restatement.objects.create(
        company=demo_company, title="FY2025 revenue restatement", kind=Restatement.Kind.BIG_R
    )
    restatement.covered_executives.add(officer_executive)
    RestatementEvent.objects.create(
        restatement=restatement, kind=RestatementEvent.Kind.BOARD_CONCLUDED, date=date(2026, 3, 2)
    )
    return restatement


INCIDENT_INPUT = {
    "title": "CFO call with analyst",
    "disclosed_by": "Chief Financial Officer",
    "recipient_name": "Ann Analyst",
    "recipient_firm": "Example Securities",
    "recipient_category": "analyst",
    "information": "Quarterly revenue guidance ahead of the earnings release.",
    "learned_by": "General Counsel",
}


@pytest.fixture
def incident(users):
    """An open incident reported by the employee persona (so only the program's officers and the
    employee see it)."""
    return open_incident(
        actor=users["employee"],
        now=timezone.now(),
        disclosed_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 15, 0, tzinfo=ET),
        **INCIDENT_INPUT,
    )
