"""Object-level rules: a covered executive never sees the case about their own pay, a recused member reads
the case, a reporter sees their own incident only."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.models import Executive, OfficerPeriod
from compliance_site.accounts.roles import Role
from tests.factories import UserFactory
from tests.foundation.conftest import make_incident


@pytest.fixture
def covered_committee_member(world):
    """A committee member (so holding clawback.view) who is also a covered executive of the case."""
    user = UserFactory(username="committee-exec", roles=[Role.COMMITTEE])
    executive = Executive.objects.create(company=world.company, key="cao", name="Casey Accounting", user=user)
    OfficerPeriod.objects.create(executive=executive, start=world.case.created_at.date())
    world.case.covered_executives.add(executive)
    return user


def test_officer_never_sees_the_case_about_their_own_pay(world, client):
    client.force_login(world.users["officer"])
    web_response = client.get(reverse("clawback:restatement-detail", args=[world.case.pk]))
    assert web_response.status_code in {403, 404}
    assert world.case.title not in web_response.content.decode()
    api_response = client.get(reverse("clawback-api:restatement-detail", args=[world.case.pk]))
    assert api_response.status_code in {403, 404}
    assert world.case.title not in api_response.content.decode()


def test_covered_executive_with_clawback_view_gets_404_not_an_empty_200(world, covered_committee_member):
    client = APIClient()
    client.force_authenticate(covered_committee_member)
    response = client.get(f"/api/clawback/restatements/{world.case.pk}/")
    assert response.status_code == 404, response.content
    assert world.case.title not in response.content.decode()

    listing = client.get("/api/clawback/restatements/")
    assert listing.status_code == 200
    assert world.case.pk not in [item["id"] for item in listing.json()["results"]]

    web = Client()
    web.force_login(covered_committee_member)
    assert web.get(reverse("clawback:restatement-detail", args=[world.case.pk])).status_code == 404
    assert world.case.title not in web.get(reverse("clawback:restatement-list")).content.decode()
    # Its documents are not reachable either.
    assert (
        web.get(reverse("attachments:record", args=["clawback.restatement", world.case.pk])).status_code
        == 404
    )


def test_covered_executive_does_not_see_their_own_executive_or_award_rows(world, covered_committee_member):
    client = APIClient()
    client.force_authenticate(covered_committee_member)
    own = Executive.objects.get(user=covered_committee_member)
    assert client.get(f"/api/clawback/executives/{own.pk}/").status_code == 404
    assert client.get(f"/api/clawback/executives/{world.executive.pk}/").status_code == 200


def test_covered_executive_cannot_read_the_case_history_through_the_audit_trail(world):
    """A covered executive who also holds audit.view (a Corporate Secretary who is an executive officer)
    must not read the case about their own pay as its audit history either (visibility.py: 'attachments,
    the audit history and exports ask one question')."""
    secretary = UserFactory(username="secretary-exec", roles=[Role.SECRETARY])
    executive = Executive.objects.create(company=world.company, key="gc", name="Gale Counsel", user=secretary)
    world.case.covered_executives.add(executive)
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("clawback:restatement-detail", args=[world.case.pk])).status_code == 404
    response = client.get(reverse("audit:record-history", args=["clawback.restatement", world.case.pk]))
    assert response.status_code == 404


def test_recused_member_reads_the_case(world):
    committee2 = world.users["committee2"]
    web = Client()
    web.force_login(committee2)
    response = web.get(reverse("clawback:restatement-detail", args=[world.case.pk]))
    assert response.status_code == 200
    assert response.context["recused"] is True
    assert "You are recused" in response.content.decode()

    client = APIClient()
    client.force_authenticate(committee2)
    response = client.get(f"/api/clawback/restatements/{world.case.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == world.case.title


def test_reporter_sees_own_incident_only(world):
    own = make_incident(world.users["employee"], title="Employee's own report")
    client = Client()
    client.force_login(world.users["employee"])
    assert client.get(reverse("regfd:incident-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("regfd:incident-detail", args=[world.incident.pk])).status_code == 404
    listing = client.get(reverse("regfd:incident-list")).content.decode()
    assert own.reference in listing and world.incident.reference not in listing
