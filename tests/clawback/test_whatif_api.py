"""POST /api/clawback/what-if/: both worked examples through the API; errors by JSON path; nothing saved."""

import json

import pytest
from rest_framework.test import APIClient

from clawback.models import Restatement
from tests.clawback.compare import EXAMPLE_NUMBERS, example_path, load_example, result_differences

URL = "/api/clawback/what-if/"


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["committee"])
    return client


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
def test_worked_example_through_the_api_gives_the_expected_result(api, n):
    response = api.post(URL, data=example_path(n).read_bytes(), content_type="application/json")
    assert response.status_code == 200, response.content
    assert result_differences(response.json(), load_example(n, "expected")) == []
    assert Restatement.objects.count() == 0


def test_bad_scenario_is_a_400_naming_each_json_path(api):
    scenario = load_example(1)
    scenario["awards"][0]["received"] = 100000
    scenario["surprise"] = True
    response = api.post(URL, data=json.dumps(scenario), content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "$.awards[0].received" in fields
    assert "$.surprise" in fields


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"format": NaN}'])
def test_malformed_bodies_are_400_not_500(api, body):
    response = api.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_roles_without_whatif_are_refused(users):
    client = APIClient()
    client.force_authenticate(users["employee"])
    assert client.post(URL, data=b"{}", content_type="application/json").status_code == 403
    assert APIClient().post(URL, data=b"{}", content_type="application/json").status_code == 401
