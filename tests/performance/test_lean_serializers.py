"""The lean serializers (compliance_site/api/lean.py) answer exactly what the stock DRF ModelSerializer
answers: every list and detail endpoint `make bench` measures, on the fixtures the query-count test grows,
read by a user whose zone is not UTC (so every time is converted) and by one in UTC."""

import pytest
from rest_framework import serializers

from compliance_site.api.lean import LeanModelSerializer
from tests.clients import token_api_for
from tests.factories import RestatementFactory
from tests.performance.test_list_query_counts import _grow

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/regfd/incidents/",
    "/api/clawback/awards/",
    "/api/clawback/executives/",
    "/api/audit/events/",
    "/api/documents/",
]


def _answers(client, urls):
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = response.json()
    return answers


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC"])
def test_lean_answers_equal_the_stock_serializer(zone, users, company, monkeypatch):
    case = RestatementFactory(company=company, title="FY2025 restatement")
    _grow(4, company=company, case=case, users=users)
    admin = users["admin"]
    admin.time_zone = zone
    admin.save(update_fields=["time_zone"])
    client = token_api_for(admin)
    lists = _answers(client, LISTS)
    details = [f"{url}{page['results'][0]['id']}/" for url, page in lists.items()]
    lean = lists | _answers(client, details)

    monkeypatch.setattr(
        LeanModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    stock = _answers(client, LISTS + details)

    assert all(lean[url]["results"] for url in LISTS)
    for url in LISTS + details:
        assert lean[url] == stock[url], url


def test_a_time_is_converted_to_the_active_zone_as_drf_does(users, company, monkeypatch):
    """The API answers in UTC (its clients get `Z` times), but a serializer used under another active zone
    converts as DRF does: the zone is looked up when the plan is made, once per serializer, not per
    process."""
    from django.utils import timezone

    from regfd.api.serializers import IncidentSerializer
    from regfd.models import Incident

    case = RestatementFactory(company=company, title="FY2025 restatement")
    _grow(2, company=company, case=case, users=users)
    incidents = list(Incident.objects.all())
    lean = {}
    for zone in ["America/New_York", "UTC"]:
        with timezone.override(zone):
            lean[zone] = IncidentSerializer(incidents, many=True).data
    monkeypatch.setattr(
        LeanModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    with timezone.override("America/New_York"):
        assert IncidentSerializer(incidents, many=True).data == lean["America/New_York"]
    assert lean["UTC"][0]["reported_at"].endswith("Z")
    assert lean["America/New_York"][0]["reported_at"][-6:] in {"-05:00", "-04:00"}
