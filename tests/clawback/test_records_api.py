"""Records API: explicit writes through the record services, errors in the one error format, the
worksheet and the scenario of a case, and visibility (a covered executive never sees their own case)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clawback.models import Award, Executive, Measure, Restatement, RestatementEvent
from clawback.recovery import evaluate
from clawback.scenario import parse_scenario, result_to_json
from clawback.services.imports import import_scenario_file
from compliance_site.company.models import Company, PolicyVersion
from tests.clawback.compare import (
    ALL_EXAMPLE_NUMBERS,
    as_result_1,
    example_path,
    load_example,
    result_differences,
)
from tests.clients import api_error, post_json
from tests.factories import AwardFactory, ExecutiveFactory, MeasureFactory, UserFactory

BASE = "/api/clawback"


EXECUTIVE = {
    "key": "cfo",
    "name": "Blake Ortiz",
    "title": "Chief Financial Officer",
    "officer_periods": [
        {"start": "2019-01-01", "end": "2020-06-30", "title": "Controller"},
        {"start": "2024-09-01"},
    ],
    "neo_years": ["FY2025"],
}
MEASURE = {
    "key": "net_income",
    "name": "Net income",
    "category": "net_income",
    "values": [
        {"period_label": "FY2024", "original": "240000000", "source": "10-K 2024"},
        {"period_label": "FY2025", "original": "260,000,000"},
    ],
}


def _award_input(executive_id, measure_id, **overrides):
    data = {
        "executive": executive_id,
        "key": "cfo-fy2024-bonus",
        "award_type": "cash_bonus",
        "basis": "financial_reporting_measure",
        "performance_start": "2024-01-01",
        "performance_end": "2024-12-31",
        "measure": measure_id,
        "measure_period": "FY2024",
        "formula": {
            "kind": "curve",
            "target": "400000",
            "points": [["180000000", "0.5"], ["220000000", "1.0"]],
        },
        "received": "600000.00",
        "grant_date": "2024-02-01",
    }
    data.update(overrides)
    return data


def test_create_and_update_an_executive(api, calendar):
    response = post_json(api(), f"{BASE}/executives/create/", EXECUTIVE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == "cfo" and body["neo_years"] == ["FY2025"]
    assert [p["end"] for p in body["officer_periods"]] == ["2020-06-30", None]
    # A period given by its start date is changed; the one left out is kept (periods are voided, not dropped).
    update = EXECUTIVE | {"officer_periods": [{"start": "2024-09-01", "end": "2026-06-30"}], "neo_years": []}
    response = post_json(api(), f"{BASE}/executives/{body['id']}/update/", update)
    assert response.status_code == 200, response.content
    periods = response.json()["officer_periods"]
    assert [(p["start"], p["end"]) for p in periods] == [
        ("2019-01-01", "2020-06-30"),
        ("2024-09-01", "2026-06-30"),
    ]
    assert response.json()["neo_years"] == []
    # Given by its id, a period can be moved; without neo_years, the years on record stay.
    moved = {"id": periods[0]["id"], "start": "2019-02-01", "end": "2020-06-30"}
    update = {key: value for key, value in EXECUTIVE.items() if key != "neo_years"} | {
        "officer_periods": [moved]
    }
    post_json(api(), f"{BASE}/executives/{body['id']}/update/", EXECUTIVE | {"neo_years": ["FY2025"]})
    response = post_json(api(), f"{BASE}/executives/{body['id']}/update/", update)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["neo_years"] == ["FY2025"]
    assert [p["start"] for p in body["officer_periods"]] == ["2019-02-01", "2024-09-01"]


def test_executive_errors_name_the_field(api, company):
    bad = EXECUTIVE | {
        "officer_periods": [{"start": "2019-01-01"}, {"start": "2024-09-01"}],
        "neo_years": ["FY1999"],
    }
    error = api_error(post_json(api(), f"{BASE}/executives/create/", bad), 400)
    assert "overlaps" in error["fields"]["officer_periods"][0]
    assert "FY1999" in error["fields"]["neo_years"][0]
    error = api_error(
        post_json(api(), f"{BASE}/executives/create/", EXECUTIVE | {"officer_periods": []}), 400
    )
    assert "officer_periods" in error["fields"]


def test_create_and_update_a_measure_then_list_it(api, company):
    response = post_json(api(), f"{BASE}/measures/create/", MEASURE)
    assert response.status_code == 201, response.content
    measure_id = response.json()["id"]
    assert [v["original"] for v in response.json()["values"]] == ["240000000.000000", "260000000.000000"]
    changed = MEASURE | {"values": [{"period_label": "FY2024", "original": "$241,000,000"}]}
    response = post_json(api(), f"{BASE}/measures/{measure_id}/update/", changed)
    assert response.status_code == 200, response.content
    values = response.json()["values"]
    assert values[0] == {
        "id": values[0]["id"], "period_label": "FY2024", "original": "241000000.000000", "source": "",
        "voided_at": None, "voided_by": None, "void_reason": "",
    }  # fmt: skip
    assert [v["period_label"] for v in values] == ["FY2024", "FY2025"]  # FY2025 kept
    listing = api("auditor").get(f"{BASE}/measures/")
    assert listing.status_code == 200 and listing.json()["count"] == 1


def test_restated_figures_are_refused_on_a_measure_and_point_to_the_case(api, company):
    bad = MEASURE | {"values": [{"period_label": "FY2024", "original": "1", "restated": "2"}]}
    error = api_error(post_json(api(), f"{BASE}/measures/create/", bad), 400)
    assert "restated-values" in json.dumps(error["fields"])
    assert not Measure.objects.exists()


@pytest.mark.parametrize("typed", ["1,00", "$1,0000", "(5)", "1.2.3", "$"])
def test_mistyped_amounts_are_400_on_their_field(api, company, typed):
    bad = MEASURE | {"values": [{"period_label": "FY2024", "original": typed}]}
    error = api_error(post_json(api(), f"{BASE}/measures/create/", bad), 400)
    assert "values" in error["fields"], error


def test_create_and_update_an_award(api, calendar):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    measure = Measure.objects.create(
        company=calendar, key="net_income", name="Net income", category="net_income"
    )
    measure.values.create(period_label="FY2024", original=240000000)
    response = post_json(api(), f"{BASE}/awards/create/", _award_input(executive.pk, measure.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["formula"]["kind"] == "curve" and body["grant_date"] == "2024-02-01"
    assert (body["scorecard_target"], body["components"], body["credits"]) == (None, [], [])
    response = post_json(
        api(),
        f"{BASE}/awards/{body['id']}/update/",
        _award_input(executive.pk, measure.pk, received="$500,000"),
    )
    assert response.status_code == 200 and response.json()["received"] == "500000.0000"


SCORECARD = {
    "formula": None,
    "measure": None,
    "measure_period": "",
    "scorecard_target": "$400,000",
    "scorecard_cap_factor": "1.5",
}


def _scorecard_input(executive, measure, **overrides):
    goals = [
        {"measure": measure.pk, "measure_period": "FY2024", "weight": "0.6",
         "points": [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "1.5"]]},
        {"basis": "operational_goal", "weight": "0.4", "factor": "1.2"},
    ]  # fmt: skip
    return _award_input(executive.pk, None, **SCORECARD, components=goals) | overrides


def test_create_and_update_a_scorecard_award(api, calendar):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    measure = MeasureFactory(company=calendar, key="revenue")
    measure.values.create(period_label="FY2024", original=240000000)
    response = post_json(api(), f"{BASE}/awards/create/", _scorecard_input(executive, measure))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["scorecard_target"], body["scorecard_cap_factor"]) == ("400000", "1.5")
    goals = body["components"]
    assert [(g["basis"], g["measure"], g["weight"], g["factor"]) for g in goals] == [
        ("financial_reporting_measure", measure.pk, "0.6", None),
        ("operational_goal", None, "0.4", "1.2"),
    ]
    # A goal given with its id is changed; one left out is kept.
    changed = {"id": goals[1]["id"], "basis": "operational_goal", "weight": "0.4", "factor": "0.9"}
    response = post_json(
        api(),
        f"{BASE}/awards/{body['id']}/update/",
        _scorecard_input(executive, measure, components=[changed]),
    )
    assert response.status_code == 200, response.content
    assert [g["factor"] for g in response.json()["components"]] == [None, "0.9"]
    # A goal of another award is not this award's.
    error = api_error(
        post_json(
            api(),
            f"{BASE}/awards/{body['id']}/update/",
            _scorecard_input(executive, measure, components=[changed | {"id": 999999}]),
        ),
        400,
    )
    assert "components" in error["fields"]


def test_record_an_amount_already_recovered(api, clawback_case):
    award = AwardFactory(executive=clawback_case.covered_executives.get(key="cfo"), key="cfo-bonus")
    url = f"{BASE}/awards/{award.pk}/credits/"
    credit = {
        "amount": "$25,000",
        "recovered_on": "2025-03-01",
        "source": "sox_304",
        "reference": "SEC order 2025-17",
        "under_case": clawback_case.pk,
    }
    response = post_json(api(), url, credit)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["recorded_by"], body["under_case"]) == (
        "25000.0000",
        "secretary",
        clawback_case.pk,
    )
    listed = api("auditor").get(f"{BASE}/awards/{award.pk}/").json()
    assert [c["id"] for c in listed["credits"]] == [body["id"]]
    assert (
        "recovered_on"
        in api_error(post_json(api(), url, credit | {"recovered_on": "2999-01-01"}), 400)["fields"]
    )
    assert api_error(post_json(api("auditor"), url, credit), 403)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"formula": {"kind": "curve", "target": "1", "points": [["2", "1"], ["1", "1"]]}}, "formula"),
        ({"formula": "curve"}, "formula"),
        ({"formula": {"kind": "linear", "rate": 5}}, "formula"),
        ({"measure_period": "FY2031"}, "measure_period"),
        ({"unit": "units"}, "value_per_unit"),
        ({"performance_end": "2023-01-01"}, "non_field_errors"),
        ({"received": "-1"}, "received"),
        ({"executive": 999999}, "executive"),
    ],
)
def test_bad_awards_are_400_naming_the_field(api, calendar, overrides, field):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    measure = MeasureFactory(company=calendar, key="net_income")
    measure.values.create(period_label="FY2024", original=1)
    error = api_error(
        post_json(api(), f"{BASE}/awards/create/", _award_input(executive.pk, measure.pk, **overrides)), 400
    )
    assert field in error["fields"] or (field == "non_field_errors" and error["fields"]), error
    assert not Award.objects.exists()


def test_create_a_restatement_with_events(api, calendar):
    ceo = ExecutiveFactory(company=calendar, key="ceo")
    response = post_json(
        api(),
        f"{BASE}/restatements/create/",
        {"title": "FY2025", "kind": "big_r", "covered_executives": [ceo.pk]},
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["policy_version"] == PolicyVersion.objects.get(kind="clawback", version="1.0").pk
    url = f"{BASE}/restatements/{case['id']}/events/"
    error = api_error(post_json(api(), url, {"kind": "should_have_concluded", "date": "2026-03-01"}), 400)
    assert "rationale" in error["fields"]
    response = post_json(
        api(), url, {"kind": "should_have_concluded", "date": "2026-03-01", "rationale": "Memo."}
    )
    assert response.status_code == 201
    event_id = response.json()["id"]
    response = post_json(api(), f"{url}{event_id}/update/", {"kind": "board_concluded", "date": "2026-03-02"})
    assert response.status_code == 200 and response.json()["kind"] == "board_concluded"
    error = api_error(post_json(api(), url, {"kind": "other", "date": "2026-03-05"}), 400)
    assert "label" in error["fields"]
    response = post_json(api(), url, {"kind": "other", "date": "2026-03-05", "label": "Auditor resigned"})
    assert response.status_code == 201 and response.json()["label"] == "Auditor resigned"
    response = post_json(
        api(),
        f"{BASE}/restatements/{case['id']}/update/",
        {"title": "FY2025 restatement", "kind": "little_r"},
    )
    assert response.status_code == 200 and response.json()["covered_executives"] == []
    body = response.json()
    assert "measures_restated" not in body and "periods_restated" not in body
    assert [e["kind"] for e in body["events"]] == ["board_concluded", "other"]


def test_retired_restatement_fields_are_refused(api, calendar):
    error = api_error(
        post_json(
            api(),
            f"{BASE}/restatements/create/",
            {"title": "X", "kind": "big_r", "measures_restated": [], "periods_restated": "FY2024"},
        ),
        400,
    )
    assert {"measures_restated", "periods_restated"} <= set(error["fields"])


def test_set_a_cases_restated_values(api, calendar, clawback_case):
    measure = MeasureFactory(company=calendar, key="net_income")
    measure.values.create(period_label="FY2024", original=240000000)
    measure.values.create(period_label="FY2025", original=260000000)
    url = f"{BASE}/restatements/{clawback_case.pk}/restated-values/"
    values = [
        {"measure": measure.pk, "period_label": "FY2024", "restated": "$228,000,000", "source": "10-K/A"}
    ]
    response = post_json(api(), url, {"values": values})
    assert response.status_code == 200, response.content
    assert response.json()["restated_values"] == [
        {"id": response.json()["restated_values"][0]["id"], "measure": measure.pk, "measure_key": "net_income",
         "period_label": "FY2024", "original": "240000000.000000", "restated": "228000000.000000",
         "source": "10-K/A", "voided_at": None, "voided_by": None, "void_reason": ""},
    ]  # fmt: skip
    # Merge: FY2024 is changed, FY2025 added (a bare list is read as the values).
    response = post_json(
        api(),
        url,
        [
            values[0] | {"restated": "229000000"},
            {"measure": measure.pk, "period_label": "FY2025", "restated": "1"},
        ],
    )
    assert response.status_code == 200, response.content
    rows = response.json()["restated_values"]
    assert [(r["period_label"], r["restated"]) for r in rows] == [
        ("FY2024", "229000000.000000"),
        ("FY2025", "1.000000"),
    ]
    listed = api("auditor").get(f"{BASE}/restatements/{clawback_case.pk}/").json()
    assert len(listed["restated_values"]) == 2
    # A period the measure has no value for is named in the error.
    error = api_error(
        post_json(api(), url, [{"measure": measure.pk, "period_label": "FY2031", "restated": "1"}]), 400
    )
    assert "FY2031" in error["fields"]["values"][0]
    assert api_error(post_json(api("auditor"), url, {"values": values}), 403)


def test_signed_off_case_needs_a_reason_through_the_api(api, company, clawback_case):
    Restatement.objects.filter(pk=clawback_case.pk).update(status="approved")
    url = f"{BASE}/restatements/{clawback_case.pk}/update/"
    assert "reason" in api_error(post_json(api(), url, {"title": "X", "kind": "big_r"}), 400)["fields"]
    assert post_json(api(), url, {"title": "X", "kind": "big_r", "reason": "Minutes"}).status_code == 200


@pytest.mark.parametrize("role", ["auditor", "board", "counsel", "officer", "employee"])
def test_writes_need_clawback_manage(api, clawback_case, role):
    for url in (
        f"{BASE}/executives/create/",
        f"{BASE}/measures/create/",
        f"{BASE}/awards/create/",
        f"{BASE}/restatements/create/",
        f"{BASE}/restatements/{clawback_case.pk}/events/",
    ):
        assert api_error(post_json(api(role), url, {}), 403)["code"] == "permission_denied"


def test_covered_executive_cannot_reach_their_own_case_or_record(api, users, clawback_case):
    member = UserFactory(username="committee-exec", roles=["committee"])
    own = ExecutiveFactory(company=clawback_case.company, key="cao", user=member)
    clawback_case.covered_executives.add(own)
    client = APIClient()
    client.force_authenticate(member)
    for url in (
        f"{BASE}/restatements/{clawback_case.pk}/worksheet/",
        f"{BASE}/restatements/{clawback_case.pk}/update/",
        f"{BASE}/restatements/{clawback_case.pk}/events/",
        f"{BASE}/executives/{own.pk}/update/",
    ):
        method = client.get if url.endswith("worksheet/") else client.post
        assert method(url).status_code == 404, url
    # Nor add themselves to a case, or an award to their own record.
    mine = {"title": "X", "kind": "big_r", "covered_executives": [own.pk]}
    error = api_error(post_json(client, f"{BASE}/restatements/create/", mine), 400)
    assert "covered_executives" in error["fields"]


@pytest.mark.parametrize(
    "url", ["executives/abc/update/", "awards/0/update/", "restatements/9999999999999999999999/update/"]
)
def test_unknown_ids_are_404_in_the_error_format(api, url):
    assert api_error(post_json(api(), f"{BASE}/{url}", {}), 404)["code"] == "not_found"


# --- Worksheet and scenario -------------------------------------------------------------------------


def _in_the_examples_version(result: dict, expected: dict) -> dict:
    """A case in the database is evaluated in the current format (`clawback-result/2`); a `/1` example is
    compared without what `/2` adds."""
    return as_result_1(result) if expected["format"] == "clawback-result/1" else result


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_worksheet_and_scenario_of_an_imported_example(api, users, n):
    company = Company.objects.create(name="Example Corp")
    case = import_scenario_file(
        actor=users["secretary"], company=company, text=example_path(n).read_text(), title="X"
    )
    expected = load_example(n, "expected")
    response = api("committee").get(f"{BASE}/restatements/{case.pk}/worksheet/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert result_differences(_in_the_examples_version(body["result"], expected), expected) == []
    assert {a["id"] for a in body["awards"]} == {a["id"] for a in expected["awards"]}
    assert all(a["explanation"] for a in body["awards"])
    scenario = api("auditor").get(f"{BASE}/restatements/{case.pk}/scenario/")
    assert scenario.status_code == 200
    result = result_to_json(evaluate(parse_scenario(scenario.json())))
    assert result_differences(_in_the_examples_version(result, expected), expected) == []


def test_no_recovery_worksheet_carries_the_402w2_reason(api, users):
    company = Company.objects.create(name="Example Corp")
    case = import_scenario_file(
        actor=users["secretary"], company=company, text=example_path(1).read_text(), title="X"
    )
    Restatement.objects.filter(pk=case.pk).update(kind="non_error_change")
    body = api("committee").get(f"{BASE}/restatements/{case.pk}/worksheet/").json()
    assert (body["outcome"], body["no_recovery_reason"]) == ("no_recovery", "not_triggering")
    assert body["result"]["triggers_recovery_analysis"] is False


def test_incomplete_case_is_409_naming_the_problem(api, clawback_case):
    error = api_error(api("committee").get(f"{BASE}/restatements/{clawback_case.pk}/worksheet/"), 409)
    assert error["code"] == "case_incomplete" and "$.company.fiscal_periods" in error["message"]
    assert api_error(api("auditor").get(f"{BASE}/restatements/{clawback_case.pk}/scenario/"), 409)


def test_scenario_needs_clawback_export(api, clawback_case):
    assert api_error(api("board").get(f"{BASE}/restatements/{clawback_case.pk}/scenario/"), 403)


def test_measure_list_costs_the_same_queries_for_1_and_20_rows(api, company):
    client = api("auditor")

    def count():
        client.get(f"{BASE}/measures/")  # warm the per-user caches, as the list pages' tests do
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}/measures/").status_code == 200
        return len(captured.captured_queries)

    MeasureFactory(company=company).values.create(period_label="FY2024", original=1)
    one = count()
    for _ in range(19):
        MeasureFactory(company=company).values.create(period_label="FY2024", original=1)
    assert count() == one


def test_records_created_through_the_api_are_audited_as_the_caller(api, users, calendar):
    from compliance_site.audit.models import AuditEvent

    post_json(api(), f"{BASE}/executives/create/", EXECUTIVE)
    executive = Executive.objects.get()
    event = AuditEvent.objects.get(object_type="clawback.executive", object_id=str(executive.pk))
    assert event.actor == users["secretary"]
    assert not RestatementEvent.objects.exists()
