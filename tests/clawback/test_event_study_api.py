"""The event study over the API (clawback.api.event_studies): price sets (a dry run, then the import), a case's
studies, a study carried to an award and the committee's answer, with the refusals: 400 with the service's or
the engine's words, 403 without clawback.manage or when recused, 404 for a case the caller cannot see (a
covered executive's own). The case and the prices are the services tests' (test_event_study_services.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clawback.models import EventStudy, Executive, ReasonableEstimate
from clawback.services import determinations as workflow
from compliance_site.audit.recorder import audit_context
from tests.clawback.test_event_study_services import (
    FORM_8K,
    INFLATION_START,
    PEER_TSRS,
    PEERS,
    apply_percentile,
    build_case,
    demo_prices,
    edited_prices,
    import_demo,
    run_study,
    tsr_award,
)
from tests.clients import api_error, api_for

pytestmark = pytest.mark.django_db

PRICE_SETS = "/api/clawback/price-sets/"
SOURCE = "Demo closes: company, market index and peer index."


def studies_url(case) -> str:
    return f"/api/clawback/restatements/{case.pk}/event-studies/"


def upload(data: bytes = b"", file_name: str = "prices.csv", **fields) -> dict:
    return {"file": SimpleUploadedFile(file_name, data or demo_prices(), content_type="text/csv"), **fields}


def study_body(price_set, **changes) -> dict:
    body = {"price_set": price_set.pk, "event_dates": [FORM_8K.isoformat()], "inflation_start": "2024-02-15"}
    return body | changes


@pytest.fixture
def case(users):
    return build_case(users)


@pytest.fixture
def price_set(users, case):
    return import_demo(users["secretary"], case.company)


@pytest.fixture
def study(users, case, price_set):
    return run_study(users["secretary"], case, price_set)


@pytest.fixture
def result(users, case, study):
    return apply_percentile(users["secretary"], study, case)


def covered_executive(case, user):
    """`user` (who holds clawback.view) becomes the CEO the case covers: walled from it."""
    Executive.objects.filter(company=case.company, key="ceo").update(user=user)
    return api_for(user)


def queries(client, url) -> int:
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


# --- price sets --------------------------------------------------------------------------------------------


def test_dry_run_reports_and_saves_nothing(users, case):
    response = api_for(users["secretary"]).post(
        PRICE_SETS, upload(edited_prices(drop="2024-03-12"), dry_run=True), format="multipart"
    )
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["rows"], report["first_day"], report["last_day"]) == (895, "2022-12-01", "2026-06-30")
    assert (
        report["ok"] is True and report["has_peer"] is True and report["columns"]["market"] == "Market index"
    )
    (issue,) = report["issues"]
    assert issue["severity"] == "warning" and issue["code"] == "missing_days" and issue["day"] == "2024-03-12"
    assert not case.company.price_sets.exists()


def test_import_then_list_and_read(users, case):
    client = api_for(users["secretary"])
    response = client.post(
        PRICE_SETS, upload(file_name="closes.csv", source=SOURCE, name="Demo closes"), format="multipart"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (
        created["name"] == "Demo closes"
        and created["row_count"] == 896
        and created["file_name"] == "closes.csv"
    )
    assert created["imported_by"] == "secretary" and created["voided_at"] is None and "points" not in created

    listed = api_for(users["auditor"]).get(PRICE_SETS).json()
    assert listed["count"] == 1 and listed["results"][0]["file_sha256"] == created["file_sha256"]
    detail = api_for(users["auditor"]).get(f"{PRICE_SETS}{created['id']}/").json()
    assert "points" not in detail and detail["columns"]["company"] == "Company close"
    points = api_for(users["auditor"]).get(f"{PRICE_SETS}{created['id']}/?points=1").json()["points"]
    assert len(points) == 896 and points[0] == {
        "day": "2022-12-01", "company": "48.000000", "market": "3850.000000", "peer": "910.000000"
    }  # fmt: skip


def test_warnings_not_accepted_are_a_400_with_the_issues(users, case):
    client = api_for(users["secretary"])
    error = api_error(
        client.post(PRICE_SETS, upload(edited_prices(drop="2024-03-12"), source=SOURCE), format="multipart"),
        400,
    )
    assert set(error["fields"]) == {"accept_warnings", "issues"}
    assert error["fields"]["issues"][0]["code"] == "missing_days"
    response = client.post(
        PRICE_SETS,
        upload(edited_prices(drop="2024-03-12"), source=SOURCE, accept_warnings=True),
        format="multipart",
    )
    assert response.status_code == 201 and "2024-03-12" in response.json()["warnings"][0]


def test_errors_and_unreadable_files_are_400s(users, case):
    client = api_for(users["secretary"])

    def refused(**fields) -> dict:
        return api_error(client.post(PRICE_SETS, fields, format="multipart"), 400)["fields"]

    weekend = edited_prices(add="2026-07-04,60.00,6150.00,1195.00")  # a Saturday, Independence Day
    fields = refused(**upload(weekend, source=SOURCE, accept_warnings=True))
    assert "must be corrected first" in fields["file"][0]
    assert (fields["issues"][0]["code"], fields["issues"][0]["line"]) == ("not_trading_day", 898)
    assert "file" in refused(**upload(b"hello", file_name="prices.txt", dry_run=True))
    assert "source" in refused(**upload())
    assert "file" in refused(source=SOURCE)
    assert not case.company.price_sets.exists()


def test_price_set_permissions(users, case, price_set):
    api_error(api_for(users["auditor"]).post(PRICE_SETS, upload(source=SOURCE), format="multipart"), 403)
    api_error(api_for(users["officer"]).get(PRICE_SETS), 403)
    api_error(api_for(users["auditor"]).get(f"{PRICE_SETS}999999/"), 404)
    api_error(api_for(users["auditor"]).get(f"{PRICE_SETS}99999999999999999999/"), 404)


def test_price_set_list_queries_do_not_grow(users, case):
    client = api_for(users["admin"])
    small = edited_prices().decode().splitlines()[:40]
    few_data = ("\n".join(small) + "\n").encode()
    import_demo(users["secretary"], case.company, data=few_data)
    one = queries(client, PRICE_SETS)
    for _ in range(4):
        import_demo(users["committee"], case.company, data=few_data)
    assert client.get(PRICE_SETS).json()["count"] == 5
    assert queries(client, PRICE_SETS) == one


# --- a case's studies -------------------------------------------------------------------------------------


def test_case_studies_and_proposed_events(users, case, price_set, study):
    answer = api_for(users["auditor"]).get(f"{studies_url(case)}?price_set={price_set.pk}").json()
    assert answer["restatement"] == case.pk and answer["price_set"] == price_set.pk
    assert answer["proposed_events"] == [{"date": "2026-05-04", "label": "Form 8-K Item 4.02 filed"}]
    (listed,) = answer["results"]
    assert listed["id"] == study.pk and listed["price_set_name"] == "Demo closes" and "result" not in listed
    assert listed["links"]["data_csv"] == f"/api/clawback/event-studies/{study.pk}/data.csv"
    assert api_for(users["auditor"]).get(studies_url(case)).json()["price_set"] is None
    assert (
        "price_set"
        in api_error(api_for(users["auditor"]).get(f"{studies_url(case)}?price_set=999999"), 400)["fields"]
    )


def test_case_studies_list_queries_do_not_grow(users, case, price_set, study):
    client = api_for(users["admin"])
    url = f"{studies_url(case)}?price_set={price_set.pk}"
    one = queries(client, url)
    with audit_context(actor=users["secretary"]):
        for _ in range(4):
            EventStudy.objects.create(
                restatement=case, price_set=price_set, parameters=study.parameters, result=study.result,
                result_sha256=study.result_sha256, engine_version=study.engine_version, run_by=users["committee"],
            )  # fmt: skip
    assert client.get(url).json()["count"] == 5
    assert queries(client, url) == one


def test_running_a_study(users, case, price_set):
    body = study_body(
        price_set, event_dates=["2026-05-04", "2026-04-15"], event_labels={"2026-04-15": "Press"}
    )
    response = api_for(users["secretary"]).post(studies_url(case), body, format="json")
    assert response.status_code == 201, response.content
    study = response.json()
    assert study["parameters"]["event_dates"] == ["2026-04-15", "2026-05-04"]
    assert study["event_labels"] == {"2026-04-15": "Press", "2026-05-04": "Form 8-K Item 4.02 filed"}
    assert study["result"]["inflation"]["counted_events"] == ["2026-05-04"] and study["awards"] == []
    assert study["engine_version"] == "event-study/1" and study["run_by"] == "secretary"
    assert len(study["result_sha256"]) == 64 and study["run_at"]
    links = study["links"]
    assert links["report"] == "/api/documents/" and links["report_kind"] == "clawback_event_study"
    assert links["reports"].endswith(f"record_type=event_study&record_id={study['id']}")


def test_the_engine_refusal_is_a_400_in_its_words(users, case, price_set):
    client = api_for(users["secretary"])
    error = api_error(
        client.post(studies_url(case), study_body(price_set, event_dates=["2026-04-18"]), format="json"), 400
    )
    assert "The event date 2026-04-18 is not a trading day in the prices" in error["message"]
    error = api_error(
        client.post(studies_url(case), study_body(price_set, window=[1, 0]), format="json"), 400
    )
    assert "The event window's first offset (1) is after its last (0)" in error["message"]
    for bad in ({"event_dates": []}, {"model": "garch"}, {"price_set": 999999}, {"significance": "NaN"},
                {"event_labels": {"2026-01-02": "not an event date"}}):  # fmt: skip
        assert set(bad) & set(
            api_error(client.post(studies_url(case), study_body(price_set) | bad, format="json"), 400)[
                "fields"
            ]
        )
    assert not case.event_studies.exists()


def test_study_walls(users, case, price_set):
    body = study_body(price_set)
    assert (
        "recused"
        in api_error(api_for(users["committee2"]).post(studies_url(case), body, format="json"), 403)[
            "message"
        ]
    )
    api_error(api_for(users["auditor"]).post(studies_url(case), body, format="json"), 403)
    api_error(api_for(users["officer"]).get(studies_url(case)), 403)
    assert api_for(users["committee2"]).get(studies_url(case)).status_code == 200  # reads, takes no part
    walled = covered_executive(case, users["committee"])
    api_error(walled.get(studies_url(case)), 404)
    api_error(walled.post(studies_url(case), body, format="json"), 404)
    assert not case.event_studies.exists()


# --- a study, its data and its awards ----------------------------------------------------------------------


def test_study_detail_and_data(users, case, result):
    study = result.study
    detail = api_for(users["auditor"]).get(f"/api/clawback/event-studies/{study.pk}/").json()
    assert (
        detail["result"]["estimation"]["observations"] == 250
        and detail["result_sha256"] == study.result_sha256
    )
    (award,) = detail["awards"]
    assert award["id"] == result.pk and award["award_key"] == "ceo-tsr-psu" and award["outcome"] == "proposed"
    assert award["figures"]["but_for_value"] == "55.00" and award["proposed_value"] == "55.000000"

    response = api_for(users["auditor"]).get(
        f"/api/clawback/event-studies/{study.pk}/data.csv", HTTP_ACCEPT="text/csv"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="event-study-{study.pk}.csv"' in response["Content-Disposition"]
    assert study.result_sha256 in response.content.decode()

    walled = covered_executive(case, users["auditor"])
    api_error(walled.get(f"/api/clawback/event-studies/{study.pk}/"), 404)
    api_error(walled.get(f"/api/clawback/event-studies/{study.pk}/data.csv"), 404)


def test_carrying_the_study_to_the_award(users, case, study):
    url = f"/api/clawback/event-studies/{study.pk}/awards/"
    body = {"award": tsr_award(case).pk, "measure_kind": "tsr_percentile", "peer_tsrs": PEERS}
    response = api_for(users["secretary"]).post(url, body, format="json")
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["figures"]["actual_value"] == "60.00" and result["figures"]["but_for_value"] == "55.00"
    assert result["peer_tsrs"] == PEERS and result["outcome"] == "proposed" and result["estimate"] is None
    assert result["executive"] == "Avery Chen" and result["recorded_by"] == "secretary"
    assert "already been applied" in str(
        api_error(api_for(users["secretary"]).post(url, body, format="json"), 400)
    )


def test_peer_tsrs_typed_as_text(users, case, study):
    typed = "\n".join(f"Peer {i}, {v}%" for i, v in enumerate(PEER_TSRS))
    body = {
        "award": tsr_award(case).pk,
        "measure_kind": "tsr_percentile",
        "peer_tsrs": typed,
        "averaging_days": 1,
    }
    response = api_for(users["secretary"]).post(
        f"/api/clawback/event-studies/{study.pk}/awards/", body, format="json"
    )
    assert response.status_code == 201 and response.json()["proposed_value"] == "55.000000"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"peer_tsrs": "Acme, twelve"}, "peer_tsrs"),
        ({"peer_tsrs": [["Acme"]]}, "peer_tsrs"),
        ({"peer_tsrs": {"Acme": 1}}, "peer_tsrs"),
        ({"measure_kind": "ebitda"}, "measure_kind"),
        ({"award": 999999}, "award"),
        ({"averaging_days": 0}, "averaging_days"),
    ],
)
def test_bad_award_input_is_a_400(users, case, study, changes, field):
    body = {"award": tsr_award(case).pk, "measure_kind": "tsr_percentile", "peer_tsrs": PEERS} | changes
    response = api_for(users["secretary"]).post(
        f"/api/clawback/event-studies/{study.pk}/awards/", body, format="json"
    )
    assert field in api_error(response, 400)["fields"]


def test_too_few_peers_is_the_engine_words(users, case, study):
    body = {"award": tsr_award(case).pk, "measure_kind": "tsr_percentile", "peer_tsrs": PEERS[:2]}
    response = api_for(users["secretary"]).post(
        f"/api/clawback/event-studies/{study.pk}/awards/", body, format="json"
    )
    assert "at least 3 peers; 2 were given" in api_error(response, 400)["message"]


def test_award_walls(users, case, study):
    url = f"/api/clawback/event-studies/{study.pk}/awards/"
    body = {"award": tsr_award(case).pk, "measure_kind": "tsr", "peer_tsrs": []}
    api_error(api_for(users["committee2"]).post(url, body, format="json"), 403)
    api_error(api_for(users["auditor"]).post(url, body, format="json"), 403)
    api_error(covered_executive(case, users["committee"]).post(url, body, format="json"), 404)
    api_error(
        api_for(users["secretary"]).post("/api/clawback/event-studies/999999/awards/", body, format="json"),
        404,
    )


# --- the committee's answer --------------------------------------------------------------------------------


def answer_url(result) -> str:
    return f"/api/clawback/event-study-results/{result.pk}/answer/"


def test_adopting_records_the_estimate(users, case, result):
    today = workflow.exchange_date(timezone.now()).isoformat()
    body = {"outcome": "adopted", "provided_to_exchange_on": today}
    response = api_for(users["committee"]).post(answer_url(result), body, format="json")
    assert response.status_code == 200, response.content
    answered = response.json()
    estimate = ReasonableEstimate.objects.get(restatement=case, award=tsr_award(case))
    assert answered["outcome"] == "adopted" and answered["estimate"] == estimate.pk
    assert answered["adopted_value"] == "55.000000" and answered["decided_by"] == "committee"
    assert (
        estimate.provided_to_exchange_on.isoformat() == today
        and f"Event study no. {result.study_id}" in estimate.method
    )
    assert workflow.live_determination(case).result["totals"]["pending_estimates"] == 0
    twice = api_error(api_for(users["committee"]).post(answer_url(result), body, format="json"), 400)
    assert "already answered" in twice["message"]


def test_adjusting_and_rejecting_need_a_reason(users, case, result):
    client = api_for(users["committee"])
    error = api_error(client.post(answer_url(result), {"outcome": "adjusted"}, format="json"), 400)
    assert set(error["fields"]) == {"reason", "value"}
    error = api_error(client.post(answer_url(result), {"outcome": "rejected"}, format="json"), 400)
    assert set(error["fields"]) == {"reason"}
    assert (
        "outcome"
        in api_error(client.post(answer_url(result), {"outcome": "proposed"}, format="json"), 400)["fields"]
    )
    body = {"outcome": "adjusted", "value": "56", "reason": "Half weight to the 8-K's second day."}
    answered = client.post(answer_url(result), body, format="json").json()
    assert answered["outcome"] == "adjusted" and answered["adopted_value"] == "56.000000"
    assert ReasonableEstimate.objects.get(pk=answered["estimate"]).restated_value == 56


def test_rejecting_records_no_estimate(users, case, result):
    body = {"outcome": "rejected", "reason": "The peer data is stale."}
    answered = api_for(users["committee"]).post(answer_url(result), body, format="json").json()
    assert (
        answered["outcome"] == "rejected"
        and answered["estimate"] is None
        and answered["reason"] == body["reason"]
    )
    assert not ReasonableEstimate.objects.filter(restatement=case).exists()


def test_answer_walls(users, case, result):
    body = {"outcome": "adopted"}
    assert (
        "recused"
        in api_error(api_for(users["committee2"]).post(answer_url(result), body, format="json"), 403)[
            "message"
        ]
    )
    api_error(api_for(users["auditor"]).post(answer_url(result), body, format="json"), 403)
    api_error(covered_executive(case, users["committee"]).post(answer_url(result), body, format="json"), 404)
    api_error(
        api_for(users["secretary"]).post(
            "/api/clawback/event-study-results/999999/answer/", body, format="json"
        ),
        404,
    )
    result.refresh_from_db()
    assert result.outcome == "proposed"


def test_inflation_start_defaults_to_the_first_price(users, case, price_set):
    body = study_body(price_set)
    del body["inflation_start"]
    study = api_for(users["secretary"]).post(studies_url(case), body, format="json").json()
    assert study["parameters"]["inflation_start"] == "2022-12-01" != INFLATION_START.isoformat()


# --- voiding ------------------------------------------------------------------------------------------------


def test_a_study_then_its_prices_are_voided_with_a_reason(users, case, price_set, study):
    secretary = api_for(users["secretary"])
    set_void, study_void = (
        f"{PRICE_SETS}{price_set.pk}/void/",
        f"/api/clawback/event-studies/{study.pk}/void/",
    )
    assert "reason" in api_error(secretary.post(study_void, {"reason": ""}, format="json"), 400)["fields"]
    refused = api_error(secretary.post(set_void, {"reason": "Wrong ticker."}, format="json"), 400)
    assert f"study {study.pk}" in refused["message"]
    answer = secretary.post(study_void, {"reason": "Wrong ticker."}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["void_reason"] == "Wrong ticker." and answer.json()["voided_by"] == "secretary"
    assert study.pk not in [s["id"] for s in secretary.get(studies_url(case)).json()["results"]]
    answer = secretary.post(set_void, {"reason": "Wrong ticker."}, format="json")
    assert answer.status_code == 200 and answer.json()["voided_at"], answer.content
    assert price_set.pk not in [s["id"] for s in secretary.get(PRICE_SETS).json()["results"]]
    assert price_set.pk in [s["id"] for s in secretary.get(f"{PRICE_SETS}?show_voided=1").json()["results"]]
    assert (
        "already voided"
        in api_error(secretary.post(set_void, {"reason": "x"}, format="json"), 400)["message"]
    )
    assert (
        "price_set"
        in api_error(secretary.post(studies_url(case), study_body(price_set), format="json"), 400)["fields"]
    )


def test_voiding_walls(users, case, price_set, study):
    study_void, set_void = (
        f"/api/clawback/event-studies/{study.pk}/void/",
        f"{PRICE_SETS}{price_set.pk}/void/",
    )
    body = {"reason": "Wrong ticker."}
    assert (
        "recused"
        in api_error(api_for(users["committee2"]).post(study_void, body, format="json"), 403)["message"]
    )
    api_error(api_for(users["auditor"]).post(study_void, body, format="json"), 403)
    api_error(api_for(users["auditor"]).post(set_void, body, format="json"), 403)
    api_error(covered_executive(case, users["committee"]).post(study_void, body, format="json"), 404)
    api_error(
        api_for(users["secretary"]).post("/api/clawback/price-sets/999999999/void/", body, format="json"), 404
    )
    assert not EventStudy.all_objects.filter(voided_at__isnull=False).exists()
