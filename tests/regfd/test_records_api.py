"""The Reg FD policy records over the API: the workflows end to end, refusals in the one error format,
naive times refused, visibility through the selectors, and constant query counts on the list endpoints."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance_site.accounts.roles import Role
from regfd.models import Communication, Incident, InformationRequest
from regfd.services import records as services
from tests.clients import api_error, api_for
from tests.factories import UserFactory
from tests.regfd.records_setup import make_cfo
from tests.regfd.test_records_views import _many, build_records

pytestmark = pytest.mark.django_db
ET = ZoneInfo("America/New_York")
API = "/api/regfd/"


def iso(instant: datetime) -> str:
    return instant.isoformat()


@pytest.fixture
def records(users):
    return build_records(users)


# ---- Times ----


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        (
            "information-requests/",
            {
                "requester_name": "Pat",
                "requester_phone": "555",
                "request": "?",
                "received_at": "2026-03-09T10:00",
            },
        ),
        (
            "communications/",
            {"kind": "meeting", "title": "M", "participants": "Jo", "scheduled_at": "2026-12-01T10:00"},
        ),
        (
            "earnings-events/",
            {"period_label": "Q", "release_at": "2026-05-05T16:05:00", "call_at": "2026-05-05T17:00Z"},
        ),
    ],
)
def test_a_naive_time_is_refused_with_a_clear_400(users, path, payload):
    payload = {**payload, "routed_to": users["officer"].pk, "spokesperson": users["officer"].pk}
    error = api_error(api_for(users["secretary"]).post(API + path, payload, format="json"), 400)
    naive_fields = [
        name for name, messages in error["fields"].items() if any("UTC offset" in m for m in messages)
    ]
    assert naive_fields, error


def test_a_far_off_year_is_refused_not_a_500(users):
    response = api_for(users["secretary"]).post(
        API + "earnings-events/",
        {
            "period_label": "Q",
            "release_at": "0001-01-01T00:00:00+14:00",
            "call_at": "9999-12-31T23:59:59-12:00",
        },
        format="json",
    )
    api_error(response, 400)


# ---- Spokespersons ----


def test_officer_authorizes_over_the_api_and_others_are_refused(users):
    payload = {
        "person": users["employee"].pk,
        "scope": "Conference meetings",
        "content_reviewed": "Public deck",
        "valid_from": "2026-03-01",
        "valid_until": "2026-03-31",
    }
    api_error(api_for(users["secretary"]).post(API + "spokesperson-authorizations/", payload), 403)
    response = api_for(users["officer"]).post(API + "spokesperson-authorizations/", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["authorized_by"] == users["officer"].pk and body["revoked_at"] is None
    status = api_for(users["secretary"]).get(
        API + "spokesperson-authorizations/status/",
        {"person": users["employee"].pk, "on": "2026-03-31T23:30:00-04:00"},
    )
    assert status.json()["authorized"] is True
    revoke = api_for(users["officer"]).post(
        API + f"spokesperson-authorizations/{body['id']}/revoke/", {"reason": "Done"}
    )
    assert revoke.status_code == 200 and revoke.json()["revocation_reason"] == "Done"


def test_status_needs_an_existing_person_and_an_aware_instant(users):
    client = api_for(users["secretary"])
    api_error(
        client.get(
            API + "spokesperson-authorizations/status/", {"person": 999999, "on": "2026-03-09T10:00Z"}
        ),
        400,
    )
    api_error(
        client.get(
            API + "spokesperson-authorizations/status/",
            {"person": users["officer"].pk, "on": "2026-03-09T10:00"},
        ),
        400,
    )


def test_keeping_current_over_the_api(users):
    client = api_for(users["officer"])
    payload = {"period_label": "2026-Q1", "reviewed_filings": True, "reviewed_press_releases": True}
    error = api_error(client.post(API + "keeping-current/", payload, format="json"), 400)
    assert "attended_or_heard_calls" in error["fields"]
    error = api_error(
        client.post(API + "keeping-current/", {**payload, "attended_or_heard_calls": False}, format="json"),
        400,
    )
    assert "attended_or_heard_calls" in error["fields"]
    response = client.post(
        API + "keeping-current/", {**payload, "attended_or_heard_calls": True}, format="json"
    )
    assert response.status_code == 201 and response.json()["person"] == users["officer"].pk
    missing = api_for(users["secretary"]).get(API + "keeping-current/missing/", {"period": "2026-Q1"}).json()
    assert missing == []


# ---- Requests ----


def test_request_is_answered_only_by_the_routed_officer(users):
    cfo = UserFactory(username="cfo", roles=[Role.OFFICER])
    payload = {
        "received_at": "2026-03-09T10:15:00-05:00",
        "requester_name": "Pat Analyst",
        "requester_phone": "+1 212 555 0100",
        "request": "Guidance?",
        "routed_to": users["secretary"].pk,
    }
    error = api_error(api_for(users["employee"]).post(API + "information-requests/", payload), 400)
    assert "routed_to" in error["fields"]
    response = api_for(users["officer"]).post(API + "information-requests/", {**payload, "routed_to": cfo.pk})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # The CEO received it: they may see it but never answer it.
    api_error(
        api_for(users["officer"]).post(API + f"information-requests/{pk}/respond/", {"response": "x"}), 403
    )
    api_error(
        api_for(users["auditor"]).post(API + f"information-requests/{pk}/respond/", {"response": "x"}), 403
    )
    answered = api_for(cfo).post(API + f"information-requests/{pk}/respond/", {"response": "See the 10-Q."})
    assert answered.status_code == 200 and answered.json()["responded_by"] == cfo.pk
    assert InformationRequest.objects.get(pk=pk).response == "See the 10-Q."


def test_a_committee_member_sees_only_their_own_requests(users, records):
    client = api_for(users["committee"])
    assert client.get(API + "information-requests/").json()["results"] == []
    api_error(client.get(API + f"information-requests/{records.request.pk}/"), 404)
    mine = api_for(users["employee"]).get(API + "information-requests/").json()["results"]
    assert [item["id"] for item in mine] == [records.request.pk]


# ---- Communications and the debrief ----


def test_schedule_hold_and_debrief_with_mnpi_over_the_api(users):
    client = api_for(users["secretary"])
    when = timezone.now() + timedelta(hours=2)
    response = client.post(
        API + "communications/",
        {
            "kind": "analyst_call",
            "title": "Call with Example Securities",
            "scheduled_at": iso(when),
            "spokesperson": users["counsel"].pk,
            "participants": "Pat Analyst",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["spokesperson_authorized"] is False and body["authorization_note"].startswith(
        "NOT AUTHORIZED"
    )
    assert body["fls_disclaimer_given"] is None and body["incidents"] == []
    pk = body["id"]
    # Recorded as held after the fact (the service takes "now"; here it already happened).
    Communication.objects.filter(pk=pk).update(scheduled_at=timezone.now() - timedelta(hours=3))
    held = client.post(
        API + f"communications/{pk}/record-held/",
        {"record_of_discussion": "Strategy.", "fls_disclaimer_given": True},
        format="json",
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    t0 = (timezone.now() - timedelta(hours=1)).astimezone(ET).replace(microsecond=0)
    debrief = api_for(users["officer"]).post(
        API + f"communications/{pk}/debrief/",
        {
            "debriefed_at": iso(t0),
            "possible_mnpi": True,
            "debrief_notes": "Margins hinted.",
            "information": "Q1 margin beat",
            "recipient_name": "Pat Analyst",
            "recipient_category": "analyst",
        },
        format="json",
    )
    assert debrief.status_code == 200, debrief.content
    incident = Incident.objects.get()
    assert debrief.json()["incidents"] == [incident.pk]
    assert incident.learned_at == t0 and incident.source_communication_id == pk


def test_debrief_refusals_are_400s(users):
    now = timezone.now()
    communication = services.schedule_communication(
        actor=users["secretary"],
        now=now - timedelta(days=1),
        kind="meeting",
        title="M",
        scheduled_at=now - timedelta(hours=5),
        spokesperson=users["officer"],
        participants="Jo",
    )
    url = API + f"communications/{communication.pk}/debrief/"
    payload = {"debriefed_at": iso(now), "possible_mnpi": False, "debrief_notes": "Fine."}
    error = api_error(api_for(users["secretary"]).post(url, payload, format="json"), 400)
    assert any("held" in message for message in error["fields"]["non_field_errors"])
    api_error(api_for(users["employee"]).post(url, payload, format="json"), 403)


def test_an_employee_sees_only_the_communications_they_speak_at(users, records):
    assert [c["id"] for c in api_for(users["employee"]).get(API + "communications/").json()["results"]] == [
        records.communication.pk
    ]
    assert api_for(users["committee"]).get(API + "communications/").json()["results"] == []


# ---- Earnings and Regulation G ----


def test_earnings_event_and_checklist_over_the_api(users):
    client = api_for(users["officer"])
    response = client.post(
        API + "earnings-events/",
        {"period_label": "2026-Q1", "release_at": "2026-03-09T11:30:00Z", "call_at": "2026-03-09T12:30:00Z"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["release_timing"] == "before_open" and body["nyse_notice_required"] is True  # 7:30 EDT
    checklist = {item["key"]: item["ok"] for item in body["checklist"]}
    assert checklist["nyse_notice"] is False
    updated = client.post(
        API + f"earnings-events/{body['id']}/update-checklist/",
        {"nyse_notice_at": "2026-03-09T07:15:00-04:00", "qa_audible_to_all": True},
        format="json",
    )
    checklist = {item["key"]: item["ok"] for item in updated.json()["checklist"]}
    assert checklist["nyse_notice"] is True and checklist["qa_audible"] is True
    api_error(api_for(users["employee"]).get(API + "earnings-events/"), 403)
    api_error(
        client.post(
            API + "earnings-events/",
            {
                "period_label": "2026-Q1",
                "release_at": "2026-03-09T11:30:00Z",
                "call_at": "2026-03-09T12:30:00Z",
            },
            format="json",
        ),
        400,
    )


def test_nongaap_review_signed_off_by_the_cfo_before_release(users):
    release = timezone.now() + timedelta(days=1)
    payload = {
        "measure": "Adjusted EBITDA",
        "comparable_gaap_measure": "Net income",
        "document": "Q1 release",
        "reconciliation": "NI 10 + D&A 3 = 13",
        "release_at": iso(release),
    }
    created = api_for(users["secretary"]).post(API + "nongaap-reviews/", payload, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    cfo = make_cfo()
    error = api_error(api_for(cfo).post(API + f"nongaap-reviews/{pk}/sign-off/"), 400)
    assert "equal_prominence" in error["fields"]
    api_error(api_for(users["employee"]).post(API + f"nongaap-reviews/{pk}/sign-off/"), 403)
    # An authorized officer who is not the CFO, and a manager of the program with no delegation: refused.
    for who in ("officer", "secretary"):
        error = api_error(api_for(users[who]).post(API + f"nongaap-reviews/{pk}/sign-off/"), 400)
        assert "Only the CFO" in error["message"]
    revised = api_for(users["secretary"]).post(
        API + f"nongaap-reviews/{pk}/revise/", {"equal_prominence": True}, format="json"
    )
    assert revised.json()["equal_prominence"] is True
    signed = api_for(cfo).post(API + f"nongaap-reviews/{pk}/sign-off/")
    assert signed.status_code == 200 and signed.json()["signed_off_by"] == cfo.pk
    assert signed.json()["signed_off_capacity"] == "CFO"
    api_error(api_for(users["secretary"]).post(API + f"nongaap-reviews/{pk}/revise/", {"measure": "X"}), 400)


# ---- The other records ----


def test_policy_records_over_the_api(users):
    now = timezone.now()
    rumor = api_for(users["secretary"]).post(
        API + "policy-records/rumor/",
        {
            "occurred_at": iso(now - timedelta(hours=2)),
            "summary": "Takeover chatter",
            "no_comment_given": True,
            "internal_source": True,
        },
        format="json",
    )
    assert "referred_to_counsel_at" in api_error(rumor, 400)["fields"]
    analyst = {"occurred_at": iso(now - timedelta(hours=1)), "summary": "Note", "historical_facts_only": True}
    api_error(
        api_for(users["secretary"]).post(API + "policy-records/analyst-review/", analyst, format="json"), 403
    )
    assert (
        api_for(users["officer"])
        .post(API + "policy-records/analyst-review/", analyst, format="json")
        .status_code
        == 201
    )
    question = api_for(users["employee"]).post(API + "policy-records/question/", {"summary": "Material?"})
    assert question.status_code == 201
    pk = question.json()["id"]
    api_error(api_for(users["officer"]).post(API + f"policy-records/{pk}/answer/", {"answer": "x"}), 403)
    answered = api_for(users["secretary"]).post(
        API + f"policy-records/{pk}/answer/", {"answer": "Presume so."}
    )
    assert answered.json()["answered_by"] == users["secretary"].pk
    kinds = api_for(users["secretary"]).get(API + "policy-records/", {"kind": "question"}).json()["results"]
    assert [r["id"] for r in kinds] == [pk]
    assert [r["id"] for r in api_for(users["employee"]).get(API + "policy-records/").json()["results"]] == [
        pk
    ]


# ---- Distribution ----


def test_acknowledge_and_outstanding_over_the_api(users, records):
    url = API + f"policy-distributions/{records.distribution.pk}/"
    assert api_for(users["employee"]).post(url + "acknowledge/").status_code == 200
    assert api_for(users["employee"]).post(url + "acknowledge/").status_code == 200  # idempotent
    assert api_for(users["employee"]).get(url).json()["acknowledged"] == 1
    outstanding = api_for(users["auditor"]).get(url + "outstanding/").json()
    assert "employee" not in {u["username"] for u in outstanding} and "auditor" in {
        u["username"] for u in outstanding
    }
    api_error(api_for(users["employee"]).get(url + "outstanding/"), 403)
    api_error(
        api_for(users["employee"]).post(API + "policy-distributions/", {"policy": records.policy.pk}), 403
    )
    created = api_for(users["secretary"]).post(API + "policy-distributions/", {"policy": records.policy.pk})
    assert created.status_code == 201 and created.json()["recipients"] == len(users)


def test_an_unoffered_method_is_a_405_not_a_500(users, records):
    client = api_for(users["admin"])
    assert client.put(API + "communications/", {}).status_code == 405
    assert client.delete(API + f"communications/{records.communication.pk}/").status_code == 405


# ---- Query counts ----

LISTS = [
    "spokesperson-authorizations/",
    "keeping-current/",
    "information-requests/",
    "communications/",
    "earnings-events/",
    "nongaap-reviews/",
    "policy-records/",
]


def _queries(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API + path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), len(response.json()["results"])


def test_list_endpoints_cost_the_same_for_few_and_many_rows(users, records):
    client = api_for(users["admin"])
    client.get(API + "communications/")  # the user's roles are loaded once, then cached on the user
    _many(users, 2)
    few = {path: _queries(client, path) for path in LISTS}
    _many(users, 18)
    many = {path: _queries(client, path) for path in LISTS}
    for path in LISTS:
        assert many[path][1] > few[path][1], path
        assert many[path][0] == few[path][0], f"{path}: {few[path][0]} vs {many[path][0]} queries"
