"""The workflow over the API: a case from submission to closing, the read endpoints, and the refusals with
their status codes (400 with the service's reason, 403, 404)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from clawback.models import Executive, Restatement
from clawback.services import determinations as workflow
from compliance_site.attachments.models import Attachment
from tests.clawback.workflow_setup import (
    NOW,
    award,
    import_example_2,
    in_recovery,
    recuse,
)
from tests.governance import minutes_on, seat

pytestmark = pytest.mark.django_db
S = Restatement.Status
# Dates before the real "today" of these requests (the API takes the clock), after example 2's RD 2026-10-20.
ADOPTED, PROVIDED, MEETING, PAID = "2026-11-01", "2026-11-03", "2026-11-10", "2026-11-15"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def reason(response) -> str:
    """The error's message and every field's messages, as one string to search."""
    return str(response.json()["error"])


def case_url(case, action):
    return f"/api/clawback/restatements/{case.pk}/{action}/"


@pytest.fixture
def case(users):
    case = import_example_2(users["secretary"])
    recuse(case, users["committee2"])
    seat(case.company, "committee", users["committee"], users["board"], users["committee2"])
    seat(case.company, "board", users["committee"], users["board"])
    minutes_on(case, users["secretary"])
    return case


def decision_body(users, **changes):
    body = {
        "minutes": Attachment.objects.filter(kind="minutes").latest("pk").pk,
        "kind": "approve_determination",
        "body": "committee",
        "held_on": MEETING,
        "members_present": [users["committee"].pk, users["board"].pk],
        "quorum": 2,
        "resolution": "RESOLVED, that the recovery determination is approved.",
        "votes": [
            {"member": users["committee"].pk, "choice": "for"},
            {"member": users["board"].pk, "choice": "for"},
        ],
    }
    return body | changes


def estimate_body(case, **changes):
    body = {
        "award": award(case, "ceo-tsr-psu").pk,
        "restated_value": "55",
        "method": "Event study of the announcement-day abnormal return.",
        "documents": ["Event study memo", "Peer TSR extract"],
        "adopted_on": ADOPTED,
        "provided_to_exchange_on": PROVIDED,
    }
    return body | changes


def test_a_case_from_submission_to_closing(users, case):
    secretary = api(users["secretary"])
    response = secretary.post(case_url(case, "submit"))
    assert response.status_code == 200, response.json()
    state = response.json()
    assert state["status"] == "review" and state["live_determination"]["number"] == 1
    assert state["live_determination"]["pending_estimates"] == 1
    assert any("ceo-tsr-psu" in b for b in state["approval_blockers"])

    blocked = secretary.post(case_url(case, "record-decision"), decision_body(users), format="json")
    assert blocked.status_code == 400
    assert "ceo-tsr-psu" in reason(blocked)

    response = api(users["committee"]).post(
        case_url(case, "record-estimate"), estimate_body(case), format="json"
    )
    assert response.status_code == 200, response.json()
    live = response.json()["live_determination"]
    assert (
        live["number"] == 2
        and live["total_excess_usd"] == "445000.00"
        and response.json()["approval_blockers"] == []
    )

    response = secretary.post(
        case_url(case, "record-decision"), decision_body(users, determination=live["number"]), format="json"
    )
    assert response.status_code == 200, response.json()
    decision = response.json()
    assert decision["adopted"] is True
    assert sorted(v["member"] for v in decision["votes"]) == sorted(
        [users["committee"].pk, users["board"].pk]
    )

    state = secretary.get(case_url(case, "workflow")).json()
    assert state["status"] == "approved" and state["approved_determination"]["decision"] == decision["id"]
    assert state["inputs_current"] is True

    claims = secretary.get(f"/api/clawback/claims/?restatement={case.pk}").json()["results"]
    by_key = {c["executive_name"]: c for c in claims}
    ceo, evp = by_key["Morgan Reyes"], by_key["Casey Lindqvist"]
    assert (ceo["amount_owed"], ceo["units_owed"], ceo["outstanding"]) == (
        "325000.00",
        "4000.000000",
        "325000.00",
    )
    assert evp["determined_on"] == MEETING and evp["outstanding_180_days"] is False

    determination = secretary.get(f"/api/clawback/determinations/{live['id']}/").json()
    assert determination["approved"] is True and determination["inputs"]["format"] == "clawback-scenario/2"
    assert determination["sha256"] == workflow.sha256_of(
        {"inputs": determination["inputs"], "result": determination["result"]}
    )

    refused = secretary.post(case_url(case, "start-recovery"))
    assert refused.status_code == 400 and "no-indemnification" in reason(refused)
    checklist = {"no_indemnity_agreement": True, "no_insurance": True, "no_premium_reimbursement": True}
    assert (
        secretary.post(case_url(case, "confirm-no-indemnification"), checklist, format="json").status_code
        == 200
    )
    assert secretary.post(case_url(case, "start-recovery")).json()["status"] == "recovery"

    paid = secretary.post(
        f"/api/clawback/claims/{ceo['id']}/record-recovery-event/",
        {
            "occurred_on": PAID,
            "method": "cancellation",
            "amount": "$325,000.00",  # typed as people write it, as every amount of the API reads it
            "units": "4,000",
            "evidence": "Notice",
        },
        format="json",
    )
    assert paid.status_code == 200, paid.json()
    assert paid.json()["outstanding"] == "0.00" and paid.json()["units_outstanding"] == "0.000000"
    over = secretary.post(
        f"/api/clawback/claims/{evp['id']}/record-recovery-event/",
        {"occurred_on": PAID, "method": "cash", "amount": "120000.01", "evidence": "Wire"},
        format="json",
    )
    assert over.status_code == 400 and "amount" in over.json()["error"]["fields"]
    assert secretary.post(case_url(case, "close")).status_code == 400

    impracticable = secretary.post(
        case_url(case, "record-decision"),
        decision_body(
            users, kind="impracticability", body="independent_directors", resolution="RESOLVED: forgo"
        ),
        format="json",
    ).json()
    expense = {
        "decision": impracticable["id"],
        "ground": "expense",
        "amount_forgone": "120000.00",
        "third_party_cost": "150000.00",
        "costs_are_third_party": False,
        "attempts": "Demand letters",
        "provided_to_exchange_on": PAID,
    }
    internal = secretary.post(
        f"/api/clawback/claims/{evp['id']}/determine-impracticable/", expense, format="json"
    )
    assert internal.status_code == 400 and "costs_are_third_party" in internal.json()["error"]["fields"]
    expense["costs_are_third_party"] = True
    forgone = secretary.post(
        f"/api/clawback/claims/{evp['id']}/determine-impracticable/", expense, format="json"
    )
    assert forgone.status_code == 200, forgone.json()
    assert forgone.json()["forgone"] == "120000.00" and forgone.json()["outstanding"] == "0.00"

    closed = secretary.post(case_url(case, "close"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    reopened = secretary.post(case_url(case, "reopen"), {"reason": "Second error found"}, format="json")
    assert reopened.json()["status"] == "review" and reopened.json()["approved_determination"] is None


def test_refusals_carry_the_right_status(users, case):
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    assert (
        api(users["committee2"])
        .post(case_url(case, "record-estimate"), estimate_body(case), format="json")
        .status_code
        == 403
    )
    assert api(users["auditor"]).post(case_url(case, "submit")).status_code == 403
    assert api(users["officer"]).get(case_url(case, "workflow")).status_code == 403
    assert api(users["auditor"]).get(case_url(case, "workflow")).status_code == 200

    Executive.objects.filter(company=case.company, key="ceo").update(user=users["committee"])
    covered = api(users["committee"])
    assert covered.get(case_url(case, "workflow")).status_code == 404
    assert covered.post(case_url(case, "submit")).status_code == 404
    assert covered.get(f"/api/clawback/determinations/?restatement={case.pk}").json()["results"] == []


def test_decision_input_is_checked_before_any_service(users, case):
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    client = api(users["secretary"])
    unknown = client.post(
        case_url(case, "record-decision"), decision_body(users, members_present=[999999]), format="json"
    )
    assert unknown.status_code == 400 and "members_present" in unknown.json()["error"]["fields"]
    twice = decision_body(users, votes=[{"member": users["board"].pk, "choice": "for"}] * 2)
    assert client.post(case_url(case, "record-decision"), twice, format="json").status_code == 400
    recused_vote = decision_body(
        users,
        members_present=[users["committee"].pk, users["board"].pk, users["committee2"].pk],
        votes=[{"member": users["committee2"].pk, "choice": "for"}],
    )
    response = client.post(case_url(case, "record-decision"), recused_vote, format="json")
    assert response.status_code == 400 and "recused" in str(response.json()["error"]["fields"]["votes"])
    board = client.post(case_url(case, "record-decision"), decision_body(users, body="board"), format="json")
    assert board.status_code == 400 and "body" in board.json()["error"]["fields"]


def test_estimate_for_an_award_outside_the_case_is_refused(users, case):
    other = import_example_2(users["secretary"], title="Another company's case")
    response = api(users["committee"]).post(
        case_url(case, "record-estimate"),
        estimate_body(case, award=award(other, "ceo-tsr-psu").pk),
        format="json",
    )
    assert response.status_code == 400 and "award" in response.json()["error"]["fields"]


def test_successor_through_the_api(users):
    case = in_recovery(users)
    evp = case.claims.get(executive__key="evp")
    response = api(users["secretary"]).post(
        f"/api/clawback/claims/{evp.pk}/set-party/",
        {"sought_from": "heir", "party_name": "R. Lindqvist"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["sought_from"] == "heir"
    assert Decimal(response.json()["amount_owed"]) == Decimal("120000.00")


def test_disclosure_endpoint(users):
    case = in_recovery(users)
    client = api(users["auditor"])
    assert client.get("/api/clawback/disclosure/").status_code == 400
    assert client.get("/api/clawback/disclosure/?year=FY1999").status_code == 404
    response = client.get(
        f"/api/clawback/disclosure/?year=FY2027&prepared_on=2027-11-15&company={case.company_id}"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["error_correction_box"] is True and data["recovery_analysis_box"] is True
    (disclosed,) = data["cases"]
    assert disclosed["aggregate_erroneous"] == "445000.00"
    assert disclosed["outstanding_at_fye"] == "445000.00"
    assert [(o["name"], o["days_outstanding"]) for o in disclosed["outstanding_180_by_neo"]] == []
    assert disclosed["estimates"][0]["restated_value"] == "55.000000"
