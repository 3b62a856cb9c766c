"""The what-if page: both worked examples, uploaded or pasted, give the expected result; nothing is saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clawback.models import Award, Restatement
from compliance_site.audit.models import AuditEvent
from tests.clawback.compare import EXAMPLE_NUMBERS, example_path, load_example, result_differences

URL = "/clawback/what-if/"


@pytest.fixture
def committee_client(client, users):
    client.force_login(users["committee"])
    return client


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
def test_uploaded_example_downloads_the_expected_result(committee_client, n):
    upload = SimpleUploadedFile(
        "scenario.json", example_path(n).read_bytes(), content_type="application/json"
    )
    response = committee_client.post(URL, {"file": upload, "download": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="clawback-result.json"'
    assert result_differences(json.loads(response.content), load_example(n, "expected")) == []


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (
            1,
            [
                "2026-04-15",
                "2023-01-01 – 2025-12-31",
                "$1,320,000.00",
                "6,000 units",
                "Received before 2023-10-02",
            ],
        ),
        (
            2,
            [
                "2026-10-20",
                "2023-10-01 – 2026-09-30",
                "$195,000.00",
                "estimate required",
                "Received outside the recovery period",
            ],
        ),
    ],
)
def test_pasted_example_shows_window_totals_and_reasons(committee_client, n, shown):
    before = (Restatement.objects.count(), Award.objects.count(), AuditEvent.objects.count())
    response = committee_client.post(URL, {"text": example_path(n).read_text()})
    assert response.status_code == 200
    page = response.content.decode()
    for text in shown:
        assert text in page, text
    # What-if never saves anything.
    assert (Restatement.objects.count(), Award.objects.count(), AuditEvent.objects.count()) == before


def test_invalid_scenario_lists_each_error_with_its_json_path(committee_client):
    scenario = load_example(1)
    scenario["awards"][0]["received"] = 100000
    scenario["awards"][1]["executive"] = "nobody"
    response = committee_client.post(URL, {"text": json.dumps(scenario)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "$.awards[0].received" in page
    assert "$.awards[1].executive" in page


def test_empty_submission_asks_for_a_scenario(committee_client):
    response = committee_client.post(URL, {"text": "  "})
    assert response.status_code == 200
    assert "Upload a scenario file or paste its JSON." in response.content.decode()


def test_page_is_refused_to_roles_without_whatif(client, users):
    client.force_login(users["employee"])
    assert client.get(URL).status_code == 403
