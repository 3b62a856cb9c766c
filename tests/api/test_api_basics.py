"""The REST API: authentication, refusals in the one error format, input validation, the Reg FD workflow
and constant query counts on list endpoints."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clawback.models import Award, Executive, OfficerPeriod, Restatement, RestatementEvent
from compliance_site.attachments.services import add_attachment
from compliance_site.company.models import FiscalPeriod
from regfd.models import Incident
from tests.clients import api_error, client_for, token_api_for
from tests.factories import report_incident

from .conftest import ET, INCIDENT_INPUT

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/regfd/incidents/"


def incident_payload(**overrides) -> dict:
    return {
        **INCIDENT_INPUT,
        "disclosed_at": "2026-03-03T14:00:00-05:00",
        "learned_at": "2026-03-03T15:30:00-05:00",
        **overrides,
    }


# Authentication -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/me/", "/api/company/", INCIDENTS, "/api/clawback/restatements/", "/api/audit/events/"]
)
def test_anonymous_request_is_401_in_the_error_format(url):
    response = APIClient().get(url)
    error = api_error(response, 401)
    assert error["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_invalid_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    api_error(client.get("/api/me/"), 401)


@pytest.mark.parametrize("header", ["Token \xe9", "Token caf\xe9-\xff"])
def test_a_token_that_is_not_ascii_is_401_not_a_500(header):
    answer = APIClient().get("/api/me/", HTTP_AUTHORIZATION=header)
    assert api_error(answer, 401)["code"] == "authentication_failed"


def test_token_from_the_token_endpoint_authenticates(users):
    user = users["secretary"]
    user.set_password("correct horse battery staple")
    user.save()
    response = APIClient().post(
        "/api/auth/token/", {"username": user.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


def test_token_endpoint_refuses_a_wrong_password(users):
    response = APIClient().post(
        "/api/auth/token/", {"username": users["secretary"].username, "password": "nope"}
    )
    api_error(response, 400)


def test_schema_is_served_to_signed_in_users_only(client_as):
    anonymous = APIClient().get("/api/schema/?format=json")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    response = client_as("employee").get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/me/",
        "/api/regfd/incidents/{id}/record-disclosure/",
        "/api/attachments/{id}/download/",
    } <= set(paths)


# /api/me/ -------------------------------------------------------------------------------------------


def test_me_lists_role_values_and_sorted_capabilities(client_as, users):
    body = client_as("auditor").get("/api/me/").json()
    assert body["username"] == users["auditor"].username
    assert body["full_name"] == users["auditor"].get_full_name()
    assert body["roles"] == ["auditor"]
    assert body["capabilities"] == sorted(body["capabilities"])
    assert "audit.view" in body["capabilities"]
    assert "regfd.report" not in body["capabilities"]


def test_me_patch_changes_preferences_through_the_service(client_as, users):
    response = client_as("employee").patch("/api/me/", {"time_zone": "America/Chicago", "first_name": "Eve"})
    assert response.status_code == 200, response.content
    assert response.json()["time_zone"] == "America/Chicago"
    users["employee"].refresh_from_db()
    assert users["employee"].first_name == "Eve"


def test_me_patch_refuses_an_unknown_time_zone(client_as):
    error = api_error(client_as("employee").patch("/api/me/", {"time_zone": "Mars/Olympus"}), 400)
    assert "time_zone" in error["fields"]


# Capabilities: 403 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "url", "data"),
    [
        ("officer", "get", "/api/clawback/restatements/", None),
        ("employee", "get", "/api/clawback/awards/", None),
        ("officer", "get", "/api/audit/events/", None),
        ("auditor", "post", INCIDENTS, incident_payload()),
        ("employee", "patch", "/api/company/", {"name": "Hijacked"}),
        ("auditor", "post", "/api/policies/", {}),
        ("board", "post", "/api/fiscal-periods/", {}),
    ],
)
def test_role_without_the_capability_gets_403(client_as, company, role, method, url, data):
    response = getattr(client_as(role), method)(url, data)
    error = api_error(response, 403)
    assert error["code"] == "permission_denied"


def test_reporter_cannot_record_the_disclosure_of_their_own_incident(client_as, incident):
    response = client_as("employee").post(
        f"{INCIDENTS}{incident.pk}/record-disclosure/",
        {"disclosed_at": "2026-03-04T08:00:00-05:00", "method": "form_8k_7_01"},
    )
    api_error(response, 403)


# Visibility: 404 ------------------------------------------------------------------------------------


def test_incident_reported_by_someone_else_is_404_for_a_mere_reporter(client_as, incident):
    assert client_as("employee").get(f"{INCIDENTS}{incident.pk}/").status_code == 200
    api_error(client_as("committee").get(f"{INCIDENTS}{incident.pk}/"), 404)
    assert client_as("committee").get(INCIDENTS).json()["count"] == 0
    assert client_as("auditor").get(INCIDENTS).json()["count"] == 1


def test_covered_executive_never_sees_their_own_case(client_as, users, clawback_case):
    # The officer persona lacks clawback.view; give the executive a board seat to reach the endpoint.
    from compliance_site.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=users["officer"], role="board")
    client = client_as("officer")
    api_error(client.get(f"/api/clawback/restatements/{clawback_case.pk}/"), 404)
    assert client.get("/api/clawback/restatements/").json()["count"] == 0
    assert client_as("board").get(f"/api/clawback/restatements/{clawback_case.pk}/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/regfd/incidents/999999/", "/api/regfd/incidents/abc/", "/api/audit/events/999999/"]
)
def test_missing_records_are_404_in_the_error_format(client_as, url):
    api_error(client_as("admin").get(url), 404)


def test_company_is_404_until_set_up(client_as):
    api_error(client_as("employee").get("/api/company/"), 404)


# Input validation: 400 ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["disclosed_at", "learned_at"])
def test_naive_datetime_is_refused_with_a_clear_message(client_as, field):
    response = client_as("employee").post(INCIDENTS, incident_payload(**{field: "2026-03-03T16:00:00"}))
    error = api_error(response, 400)
    assert field in error["fields"]
    assert "offset" in error["fields"][field][0]
    assert not Incident.objects.exists()


def test_learned_before_disclosed_is_a_field_error(client_as):
    response = client_as("employee").post(
        INCIDENTS, incident_payload(disclosed_at="2026-03-03T14:00:00Z", learned_at="2026-03-03T13:00:00Z")
    )
    assert list(api_error(response, 400)["fields"]) == ["learned_at"]


def test_missing_required_fields_are_named(client_as):
    error = api_error(client_as("employee").post(INCIDENTS, {}), 400)
    assert {"title", "disclosed_at", "learned_at", "recipient_category"} <= set(error["fields"])


@pytest.mark.parametrize(
    ("query", "field"),
    [("date_from=2026-13-45", "date_from"), ("date_to=yesterday", "date_to"), ("action=explode", "action")],
)
def test_bad_audit_filters_are_400_with_field_errors(client_as, query, field):
    error = api_error(client_as("auditor").get(f"/api/audit/events/?{query}"), 400)
    assert field in error["fields"]


def test_audit_filters_narrow_the_list(client_as, incident):
    client = client_as("auditor")
    all_events = client.get("/api/audit/events/").json()["count"]
    assert all_events >= 1
    body = client.get(
        "/api/audit/events/",
        {"object_type": "regfd.incident", "object_id": str(incident.pk), "date_from": "2020-01-01"},
    ).json()
    assert body["count"] >= 1
    assert {row["object_id"] for row in body["results"]} == {str(incident.pk)}
    assert client.get("/api/audit/events/", {"date_to": "2000-01-01"}).json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["", "?record_type=regfd.incident", "?record_type=nonsense&record_id=1", "?record_id=x"]
)
def test_attachment_list_needs_a_valid_record(client_as, query):
    api_error(client_as("secretary").get(f"/api/attachments/{query}"), 400)


def test_incident_filters_are_validated(client_as):
    assert "status" in api_error(client_as("secretary").get(f"{INCIDENTS}?status=lost"), 400)["fields"]


# The Reg FD workflow --------------------------------------------------------------------------------


def test_create_then_record_disclosure(client_as, users):
    created = client_as("employee").post(INCIDENTS, incident_payload())
    assert created.status_code == 201, created.content
    body = created.json()
    for field in ("outer_limit", "policy_target", "due_at", "calendar_version", "rule_version"):
        assert body[field], field
    assert body["status"] == "open"
    assert body["outcome"] == ""
    assert body["reported_by"] == users["employee"].pk

    url = f"{INCIDENTS}{body['id']}/record-disclosure/"
    disclosed = client_as("secretary").post(
        url, {"disclosed_at": body["due_at"], "method": "form_8k_7_01", "reference": "0000950170-26-000123"}
    )
    assert disclosed.status_code == 200, disclosed.content
    assert disclosed.json()["status"] == "disclosed"
    assert disclosed.json()["outcome"] == "on_time"
    assert disclosed.json()["public_disclosure_method"] == "form_8k_7_01"
    assert disclosed.json()["public_disclosure_reference"] == "0000950170-26-000123"

    again = client_as("secretary").post(url, {"disclosed_at": body["due_at"], "method": "press_release"})
    assert "already closed" in api_error(again, 400)["fields"]["non_field_errors"][0]


def test_record_disclosure_refuses_a_naive_time(client_as, incident):
    response = client_as("secretary").post(
        f"{INCIDENTS}{incident.pk}/record-disclosure/",
        {"disclosed_at": "2026-03-04 08:00", "method": "form_8k_7_01"},
    )
    assert "disclosed_at" in api_error(response, 400)["fields"]


def test_close_not_required_needs_a_reason(client_as, incident):
    url = f"{INCIDENTS}{incident.pk}/close-not-required/"
    assert "reason" in api_error(client_as("secretary").post(url, {"reason": ""}), 400)["fields"]
    closed = client_as("secretary").post(url, {"reason": "Already public in the 10-Q."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "not_required"


def test_incident_list_filters_and_orders_by_due_at(client_as, users):
    for day in (5, 3, 4):
        report_incident(
            users["employee"],
            disclosed_at=datetime(2026, 3, day, 10, 0, tzinfo=ET),
            learned_at=datetime(2026, 3, day, 11, 0, tzinfo=ET),
        )
    client = client_as("secretary")
    due = [row["due_at"] for row in client.get(INCIDENTS).json()["results"]]
    assert due == sorted(due)
    assert [r["due_at"] for r in client.get(INCIDENTS, {"ordering": "-due_at"}).json()["results"]] == due[
        ::-1
    ]
    assert client.get(INCIDENTS, {"status": "disclosed"}).json()["count"] == 0
    assert client.get(INCIDENTS, {"q": "ann analyst"}).json()["count"] == 3


# Company, fiscal periods, policies ------------------------------------------------------------------


def test_company_read_and_update(client_as, company):
    assert client_as("employee").get("/api/company/").json()["ticker"] == "ALNT"
    response = client_as("secretary").patch("/api/company/", {"ticker": "ACMW", "reason": "Ticker change"})
    assert response.status_code == 200, response.content
    company.refresh_from_db()
    assert company.ticker == "ACMW"
    assert (
        "exchange"
        in api_error(client_as("secretary").patch("/api/company/", {"exchange": "LSE"}), 400)["fields"]
    )


def test_fiscal_periods_are_created_through_the_service_and_never_overlap(client_as, company):
    client = client_as("secretary")
    created = client.post(
        "/api/fiscal-periods/", {"label": "FY2025", "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert created.status_code == 201, created.content
    overlap = client.post(
        "/api/fiscal-periods/", {"label": "FY2025b", "start": "2025-06-01", "end": "2026-05-31"}
    )
    assert "start" in api_error(overlap, 400)["fields"]
    backwards = client.post(
        "/api/fiscal-periods/", {"label": "X", "start": "2027-01-01", "end": "2026-01-01"}
    )
    assert "end" in api_error(backwards, 400)["fields"]
    assert [p["label"] for p in client_as("auditor").get("/api/fiscal-periods/").json()["results"]] == [
        "FY2025"
    ]


def test_policy_text_only_in_the_detail(client_as):
    created = client_as("secretary").post(
        "/api/policies/",
        {
            "kind": "regfd",
            "version": "9.9",
            "title": "Reg FD policy",
            "text": "Full text.",
            "effective_date": "2026-01-01",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["text"] == "Full text."
    listed = client_as("employee").get("/api/policies/").json()["results"]
    assert listed and all("text" not in row for row in listed)
    assert client_as("employee").get(f"/api/policies/{created.json()['id']}/").json()["text"] == "Full text."
    duplicate = client_as("secretary").post(
        "/api/policies/",
        {"kind": "regfd", "version": "9.9", "title": "Again", "text": "x", "effective_date": "2026-01-01"},
    )
    api_error(duplicate, 400)


# Attachments ----------------------------------------------------------------------------------------


def _upload(client, incident, name="note.txt", content=b"Call notes.\n", **extra):
    return client.post(
        "/api/attachments/",
        {
            "record_type": "regfd.incident",
            "record_id": incident.pk,
            "file": SimpleUploadedFile(name, content, content_type="text/plain"),
            "kind": "evidence",
            **extra,
        },
        format="multipart",
    )


def test_attachment_upload_list_and_download(client_as, incident, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    created = _upload(client_as("secretary"), incident)
    assert created.status_code == 201, created.content
    attachment = created.json()
    assert attachment["record_type"] == "regfd.incident"
    assert attachment["version"] == 1
    assert attachment["is_current"] is True

    listed = client_as("employee").get(
        "/api/attachments/", {"record_type": "regfd.incident", "record_id": incident.pk}
    )
    assert [a["id"] for a in listed.json()["results"]] == [attachment["id"]]
    download = client_as("employee").get(f"/api/attachments/{attachment['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Call notes.\n"

    second = _upload(client_as("secretary"), incident, supersedes=attachment["id"])
    assert second.status_code == 201, second.content
    assert second.json()["version"] == 2
    assert client_as("secretary").get(f"/api/attachments/{attachment['id']}/").json()["is_current"] is False


def test_attachment_refusals(client_as, users, incident, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api_error(_upload(client_as("employee"), incident), 403)  # sees the incident, may not attach
    api_error(_upload(client_as("committee"), incident), 404)  # may not even see it
    assert (
        "non_field_errors"
        in api_error(_upload(client_as("secretary"), incident, name="x.exe"), 400)["fields"]
    )
    assert (
        "supersedes" in api_error(_upload(client_as("secretary"), incident, supersedes=999999), 400)["fields"]
    )
    attachment = add_attachment(
        actor=users["secretary"],
        record=incident,
        uploaded=SimpleUploadedFile("a.txt", b"text", content_type="text/plain"),
    )
    api_error(client_as("committee").get(f"/api/attachments/{attachment.pk}/"), 404)
    api_error(client_as("committee").get(f"/api/attachments/{attachment.pk}/download/"), 404)
    api_error(client_as("secretary").get("/api/attachments/abc/"), 404)


# Query counts ---------------------------------------------------------------------------------------


def _make_restatements(n, start, *, company, executive, **_):
    for i in range(start, start + n):
        restatement = Restatement.objects.create(company=company, title=f"R{i}", kind=Restatement.Kind.BIG_R)
        restatement.covered_executives.add(executive)
        RestatementEvent.objects.create(
            restatement=restatement, kind=RestatementEvent.Kind.BOARD_CONCLUDED, date=date(2026, 1, 1)
        )


def _make_executives(n, start, *, company, **_):
    for i in range(start, start + n):
        executive = Executive.objects.create(company=company, key=f"exec-{i}", name=f"Executive {i}")
        OfficerPeriod.objects.create(executive=executive, start=date(2020, 1, 1))
        OfficerPeriod.objects.create(executive=executive, start=date(2018, 1, 1), end=date(2019, 1, 1))


def _make_awards(n, start, *, executive, **_):
    for i in range(start, start + n):
        Award.objects.create(
            executive=executive,
            key=f"bonus-{i}",
            award_type=Award.Type.CASH_BONUS,
            basis=Award.Basis.FINANCIAL_REPORTING_MEASURE,
            performance_start=date(2025, 1, 1),
            performance_end=date(2025, 12, 31),
            received=Decimal("1000.00"),
        )


def _make_incidents(n, start, *, reporter, **_):
    for i in range(start, start + n):
        report_incident(
            reporter,
            disclosed_at=datetime(2026, 3, 3, 9, i, tzinfo=ET),
            learned_at=datetime(2026, 3, 3, 10, i, tzinfo=ET),
        )


def _make_fiscal_periods(n, start, *, company, **_):
    for i in range(start, start + n):
        FiscalPeriod.objects.create(
            company=company, label=f"FY{2000 + i}", start=date(2000 + i, 1, 1), end=date(2000 + i, 12, 31)
        )


def _make_attachments(n, start, *, record, reporter, **_):
    for i in range(start, start + n):
        add_attachment(
            actor=reporter,
            record=record,
            uploaded=SimpleUploadedFile(f"f{i}.txt", b"x", content_type="text/plain"),
        )


LIST_ENDPOINTS = {
    "restatements": ("/api/clawback/restatements/", _make_restatements),
    "executives": ("/api/clawback/executives/", _make_executives),
    "awards": ("/api/clawback/awards/", _make_awards),
    "incidents": (INCIDENTS, _make_incidents),
    "audit-events": ("/api/audit/events/", _make_incidents),
    "fiscal-periods": ("/api/fiscal-periods/", _make_fiscal_periods),
    "attachments": ("/api/attachments/?record_type=regfd.incident&record_id={incident}", _make_attachments),
}


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_endpoints_cost_the_same_queries_for_1_and_20_rows(
    client_as, users, company, incident, settings, tmp_path, endpoint
):
    settings.MEDIA_ROOT = tmp_path
    url, make = LIST_ENDPOINTS[endpoint]
    url = url.format(incident=incident.pk)
    other_executive = Executive.objects.create(company=company, key="cfo", name="Frank Finance")
    context = {
        "company": company,
        "executive": other_executive,
        "reporter": users["employee"],
        "record": incident,
    }
    client = client_as("admin")
    make(1, 0, **context)
    one = _count_queries(client, url)
    make(19, 1, **context)
    twenty = _count_queries(client, url)
    assert client.get(url).json()["count"] >= 20
    assert twenty == one, f"{endpoint}: {one} queries for 1 row, {twenty} for 20"


def test_the_api_answers_in_utc_with_a_token_as_with_a_session(users):
    """A program reads the same zone whoever's session or token it uses: the session gave the person's own
    zone, a token UTC."""
    user = users["secretary"]
    user.time_zone = "America/Los_Angeles"
    user.save()
    for client in (token_api_for(user), client_for(user)):
        (token,) = client.get("/api/auth/tokens/").json()  # the token client's own
        assert token["created"].endswith("Z"), token
