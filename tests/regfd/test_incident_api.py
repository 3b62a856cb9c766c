"""The Reg FD incident API: the live deadline endpoint, the incident actions (materiality, counsel's
conclusion, exclusions, T0 corrections, public disclosure) with their capabilities, errors in the API's one
format, and list queries that do not grow with rows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from regfd import services
from regfd.models import DeadlineComputation, Exclusion, Incident
from tests.clients import api_error, token_api_for
from tests.factories import report_incident
from tests.regfd.test_deadlines import SPEC_EXAMPLES

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
INCIDENTS = "/api/regfd/incidents/"
DEADLINE = "/api/regfd/deadline/"


@pytest.fixture
def api(users):
    """api("secretary"): an API client authenticated with that persona's token."""
    return lambda role: token_api_for(users[role])


@pytest.fixture
def incident(users):
    return report_incident(
        users["employee"],
        disclosed_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 15, 0, tzinfo=ET),
    )


# The live deadline endpoint ------------------------------------------------------------------------------


@pytest.mark.parametrize(("t0", "et", "utc"), SPEC_EXAMPLES)  # docs/regfd-rules §2.2, the worked examples
def test_deadline_endpoint_gives_the_outer_limit_in_utc_and_et(api, t0, et, utc):
    response = api("employee").get(DEADLINE, {"learned_at": t0})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outer_limit"]["et"] == et
    assert body["outer_limit"]["utc"] == utc
    assert body["calendar_version"].startswith("nyse-") and body["rule_version"] == "regfd-deadline/2"
    assert body["explanation"]


def test_deadline_endpoint_shows_the_requesting_users_zone(api, users):
    users["employee"].time_zone = "Asia/Tokyo"
    users["employee"].save()
    body = api("employee").get(DEADLINE, {"learned_at": "2026-03-03T14:00-05:00"}).json()
    assert body["time_zone"] == "Asia/Tokyo"
    assert body["working_deadline"]["utc"] == "2026-03-04T19:00Z"
    assert body["working_deadline"]["et"] == "2026-03-04T14:00-05:00"
    assert body["working_deadline"]["local"] == "2026-03-05T04:00+09:00"
    assert body["working_deadline"]["et_label"] == "2026-03-04 14:00 EST"
    assert body["working_deadline"]["local_label"] == "2026-03-05 04:00 JST"
    assert body["next_open"]["et"] == "2026-03-04T09:30-05:00"


def test_deadline_endpoint_takes_a_zone_name_in_brackets(api):
    # What the incident form sends: wall clock plus the zone chosen beside it.
    body = api("employee").get(DEADLINE, {"learned_at": "2026-07-01T21:00[Europe/London]"}).json()
    assert body["outer_limit"]["utc"] == "2026-07-02T20:00Z"


def test_policy_target_can_be_earlier_than_the_outer_limit(api):
    # Wed 06:00 ET, before the open: the rule gives Thu 09:30, the policy T0 + 24 h (Thu 06:00).
    body = api("secretary").get(DEADLINE, {"learned_at": "2026-06-10T06:00-04:00"}).json()
    assert body["policy_target"]["et"] == "2026-06-11T06:00-04:00"
    assert body["working_deadline"]["et"] == "2026-06-11T06:00-04:00"
    assert body["outer_limit"]["et"] == "2026-06-11T09:30-04:00"


def test_intentional_disclosure_deadline_is_the_disclosure_itself(api):
    body = (
        api("employee")
        .get(
            DEADLINE,
            {
                "learned_at": "2026-03-03T15:00-05:00",
                "disclosed_at": "2026-03-03T14:00-05:00",
                "intentional": "true",
            },
        )
        .json()
    )
    assert body["intentional"] is True
    assert body["working_deadline"]["utc"] == body["outer_limit"]["utc"] == "2026-03-03T19:00Z"


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"learned_at": "2026-03-03T14:00"}, "learned_at", "offset"),
        ({"learned_at": "2026-03-03T14:00:00"}, "learned_at", "never assumed"),
        ({}, "learned_at", "required"),
        ({"learned_at": "yesterday"}, "learned_at", "ISO 8601"),
        ({"learned_at": "2026-03-03T14:00[Mars/Olympus]"}, "learned_at", "unknown time zone"),
        ({"learned_at": "2026-03-08T02:30[America/New_York]"}, "learned_at", "daylight-saving"),
        ({"learned_at": "2031-03-03T14:00-05:00"}, "learned_at", "outside"),
        ({"learned_at": "0001-01-01T00:00+05:00"}, "learned_at", ""),
        ({"learned_at": "2026-03-03T14:00Z", "intentional": "true"}, "disclosed_at", "intentional"),
        ({"learned_at": "2026-03-03T14:00Z", "disclosed_at": "2026-03-03T15:00Z"}, "learned_at", "before"),
    ],
)
def test_deadline_endpoint_refuses_bad_t0_in_the_error_format(api, params, field, text):
    error = api_error(api("employee").get(DEADLINE, params), 400)
    assert field in error["fields"]
    assert text in " ".join(error["fields"][field])


def test_deadline_endpoint_needs_a_signed_in_user():
    api_error(APIClient().get(DEADLINE, {"learned_at": "2026-03-03T14:00Z"}), 401)


def test_deadline_endpoint_works_with_the_browser_session(client, users):
    client.force_login(users["employee"])
    response = client.get(DEADLINE, {"learned_at": "2026-03-03T14:00[America/New_York]"})
    assert response.status_code == 200
    assert response.json()["working_deadline"]["utc"] == "2026-03-04T19:00Z"


# Reading incidents ---------------------------------------------------------------------------------------


def test_incident_carries_materiality_counsel_exclusions_and_deadline_history(api, incident):
    body = api("secretary").get(f"{INCIDENTS}{incident.pk}/").json()
    assert body["material_categories"] == [] and body["in_doubt"] is False
    assert body["presumed_material"] is False
    assert body["counsel_conclusion"] == "pending" and body["counsel_concluded_by"] is None
    assert body["outcome"] == "" and body["public_disclosure_method"] == ""
    assert body["exclusions"] == []
    [row] = body["deadline_history"]
    assert row["reason"] == "Incident logged" and row["due_at"] == body["due_at"]


def test_reporter_reads_their_incident_but_another_reporter_gets_404(api, incident):
    assert api("employee").get(f"{INCIDENTS}{incident.pk}/").status_code == 200
    api_error(api("committee").get(f"{INCIDENTS}{incident.pk}/"), 404)


# Actions -------------------------------------------------------------------------------------------------


def test_assess_materiality(api, incident):
    url = f"{INCIDENTS}{incident.pk}/assess-materiality/"
    data = {
        "material_categories": ["earnings", "expectations"],
        "materiality_assessment": "Guidance.",
        "in_doubt": True,
    }
    api_error(api("employee").post(url, data), 403)
    response = api("secretary").post(url, data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["material_categories"] == ["earnings", "expectations"]
    assert body["in_doubt"] is True and body["presumed_material"] is True
    error = api_error(api("secretary").post(url, {**data, "material_categories": ["gossip"]}), 400)
    assert "material_categories" in error["fields"]
    assert (
        "materiality_assessment"
        in api_error(api("secretary").post(url, {"material_categories": []}), 400)["fields"]
    )


def test_only_counsel_concludes(api, incident, users):
    url = f"{INCIDENTS}{incident.pk}/conclude/"
    data = {"counsel_conclusion": "not_material", "counsel_rationale": "Routine."}
    for role in ("secretary", "admin", "officer"):
        api_error(api(role).post(url, data), 403)
    response = api("counsel").post(url, data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counsel_conclusion"] == "not_material"
    assert body["counsel_concluded_by"] == users["counsel"].pk and body["counsel_concluded_at"]
    error = api_error(
        api("counsel").post(url, {"counsel_conclusion": "pending", "counsel_rationale": "x"}), 400
    )
    assert "counsel_conclusion" in error["fields"]


def test_claim_exclusion(api, incident, users):
    url = f"{INCIDENTS}{incident.pk}/claim-exclusion/"
    data = {"kind": "duty_of_trust", "evidence": "Outside counsel engaged on the deal."}
    api_error(api("counsel").post(url, data), 403)
    response = api("secretary").post(url, data)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "duty_of_trust"
    assert response.json()["claimed_by"] == users["secretary"].pk
    detail = api("secretary").get(f"{INCIDENTS}{incident.pk}/").json()
    assert [e["evidence"] for e in detail["exclusions"]] == ["Outside counsel engaged on the deal."]
    assert "kind" in api_error(api("secretary").post(url, {**data, "kind": "friendship"}), 400)["fields"]


def test_correct_learned_at_recomputes_and_records_the_reason(api, incident):
    url = f"{INCIDENTS}{incident.pk}/correct-learned-at/"
    data = {"learned_at": "2026-03-03T16:30:00-05:00", "reason": "Call log shows 16:30."}
    api_error(api("employee").post(url, data), 403)
    response = api("secretary").post(url, data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == "2026-03-04T21:30:00Z"  # Wed 16:30 ET
    assert [row["reason"] for row in body["deadline_history"]] == [
        "Incident logged",
        "T0 corrected: Call log shows 16:30.",
    ]
    naive = api_error(api("secretary").post(url, {**data, "learned_at": "2026-03-03T16:30:00"}), 400)
    assert "offset" in naive["fields"]["learned_at"][0]
    early = api_error(api("secretary").post(url, {**data, "learned_at": "2026-03-03T13:00:00-05:00"}), 400)
    assert "learned_at" in early["fields"]
    assert "reason" in api_error(api("secretary").post(url, {**data, "reason": ""}), 400)["fields"]


def test_record_disclosure_refuses_a_time_before_the_incident_or_in_the_future(api, incident):
    url = f"{INCIDENTS}{incident.pk}/record-disclosure/"
    before = api_error(
        api("secretary").post(url, {"disclosed_at": "2026-03-03T13:00:00-05:00", "method": "press_release"}),
        400,
    )
    assert "disclosed_at" in before["fields"]
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert (
        "disclosed_at"
        in api_error(api("secretary").post(url, {"disclosed_at": future, "method": "press_release"}), 400)[
            "fields"
        ]
    )
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.OPEN


def test_record_disclosure_with_reference_late(api, incident):
    response = api("secretary").post(
        f"{INCIDENTS}{incident.pk}/record-disclosure/",
        {
            "disclosed_at": "2026-03-05T09:00:00-05:00",
            "method": "form_8k_7_01",
            "reference": "0000950170-26-1",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "late" and body["public_disclosure_reference"] == "0000950170-26-1"


def test_actions_on_a_closed_incident_are_400(api, incident, users):
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Already public.")
    error = api_error(
        api("secretary").post(
            f"{INCIDENTS}{incident.pk}/claim-exclusion/", {"kind": "duty_of_trust", "evidence": "x"}
        ),
        400,
    )
    assert "already closed" in error["fields"]["non_field_errors"][0]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_unsupported_methods_are_405_not_500(api, incident, method):
    for url in (f"{INCIDENTS}{incident.pk}/", f"{INCIDENTS}{incident.pk}/conclude/", DEADLINE):
        assert getattr(api("employee"), method)(url, {}).status_code == 405


# Query counts --------------------------------------------------------------------------------------------


def _add(users, n):
    for i in range(n):
        made = report_incident(
            users["employee"],
            title=f"I{i}",
            disclosed_at=datetime(2026, 3, 3, 9, i, tzinfo=ET),
            learned_at=datetime(2026, 3, 3, 10, i, tzinfo=ET),
        )
        Exclusion.objects.create(
            incident=made, kind="duty_of_trust", evidence="x", claimed_by=users["secretary"]
        )
        services.conclude_materiality(
            actor=users["counsel"],
            now=timezone.now(),
            incident=made,
            conclusion="material",
            rationale="Earnings.",
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_incident_list_queries_do_not_grow_with_rows(api, users):
    client = api("secretary")
    _add(users, 2)
    few = _count(client, INCIDENTS)
    _add(users, 18)
    many = _count(client, INCIDENTS)
    assert client.get(INCIDENTS).json()["count"] == 20
    assert many == few
    assert DeadlineComputation.objects.count() == 20
