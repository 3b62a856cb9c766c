"""The workflow panel and its forms: who sees which forms, every transition through a real POST, refusals
as 400 pages with the reason, and the disclosure page."""

import pytest
from django.urls import reverse

from clawback.models import Decision, Executive, Restatement
from clawback.services import determinations as workflow
from compliance_site.accounts.roles import Role
from compliance_site.confirm import confirmed_data as confirmed
from tests.clawback.workflow_setup import (
    MEETING,
    NOW,
    approved_example_2,
    award,
    import_example_2,
    impracticability_decision,
    in_recovery,
    record_tsr_estimate,
)
from tests.clients import client_for
from tests.factories import UserFactory
from tests.governance import minutes_on, seat

pytestmark = pytest.mark.django_db
S = Restatement.Status


def url(name, case):
    return reverse(f"clawback:{name}", args=[case.pk])


def panel(client, case, **headers):
    response = client.get(url("case-workflow", case), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_case_page_loads_the_panel_from_the_workflow_view(users, reviewed):
    page = client_for(users["committee"]).get(reverse("clawback:restatement-detail", args=[reviewed.pk]))
    html = page.content.decode()
    assert f'hx-get="{url("case-workflow", reviewed)}?next=' in html
    fragment = panel(client_for(users["committee"]), reviewed, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment and 'data-testid="workflow-panel"' in fragment


def test_the_committee_sees_the_review_forms_with_recused_members_not_votable(users, reviewed):
    html = panel(client_for(users["committee"]), reviewed)
    assert 'data-testid="estimate-form"' in html and 'data-testid="decision-form"' in html
    assert "ceo-tsr-psu" in html and "Approval is blocked" in html
    assert f'name="vote_{users["committee"].pk}"' in html
    assert f'name="vote_{users["committee2"].pk}"' not in html
    assert "recused: no vote" in html


def test_a_member_covered_by_the_case_is_listed_without_a_vote(users, reviewed):
    """Their own pay is recomputed: the meeting form never offers them a vote (the service refused it, but
    the form asked for it)."""
    member = UserFactory(username="member3", roles=[Role.COMMITTEE])
    executive = reviewed.covered_executives.order_by("pk").first()
    executive.user = member
    executive.save()
    html = panel(client_for(users["committee"]), reviewed)
    assert f'name="vote_{member.pk}"' not in html
    assert "covered by the case: no vote" in html and f'name="vote_{users["committee"].pk}"' in html


def test_an_auditor_reads_the_panel_without_any_form(users, reviewed):
    html = panel(client_for(users["auditor"]), reviewed, HTTP_HX_REQUEST="true")
    assert "Determination" in html and "SHA-256" in html
    assert 'method="post"' not in html


def test_a_recused_member_reads_the_panel_without_forms_and_cannot_post(users, reviewed):
    client = client_for(users["committee2"])
    html = panel(client, reviewed, HTTP_HX_REQUEST="true")
    assert "You are recused" in html and 'method="post"' not in html
    response = client.post(
        url("case-record-estimate", reviewed), {"award": award(reviewed, "ceo-tsr-psu").pk}
    )
    assert response.status_code in {400, 403}
    response = client.post(url("case-submit", reviewed))
    assert response.status_code in {400, 403}


def test_the_covered_executive_cannot_reach_their_own_case(users, reviewed):
    ceo = Executive.objects.get(company=reviewed.company, key="ceo")
    ceo.user = users["committee"]
    ceo.save()
    client = client_for(users["committee"])
    assert client.get(url("case-workflow", reviewed)).status_code == 404
    assert client.post(url("case-submit", reviewed)).status_code == 404
    determination = workflow.live_determination(reviewed)
    assert client.get(reverse("clawback:determination-detail", args=[determination.pk])).status_code == 404
    assert client_for(users["officer"]).get(url("case-workflow", reviewed)).status_code == 403


def test_submit_through_the_page_returns_to_where_it_came_from(users):
    case = import_example_2(users["secretary"])
    detail = reverse("clawback:restatement-detail", args=[case.pk])
    response = client_for(users["secretary"]).post(url("case-submit", case), confirmed({"next": detail}))
    assert response.status_code == 302 and response["Location"] == detail + "#case-workflow"
    case.refresh_from_db()
    assert case.status == S.REVIEW
    response = client_for(users["secretary"]).post(
        url("case-submit", case), confirmed({"next": "https://evil.example/"})
    )
    assert response.status_code == 400
    assert "not draft" in response.content.decode()


def test_estimate_and_approval_through_the_forms(users, reviewed):
    client = client_for(users["committee"])
    estimate = {
        "award": award(reviewed, "ceo-tsr-psu").pk,
        "restated_value": "55",
        "method": "Event study",
        "documents": "Event study memo",
        "adopted_on": "2026-11-01",
    }
    assert client.post(url("case-record-estimate", reviewed), estimate).status_code == 302
    decision = {
        "kind": Decision.Kind.APPROVE_DETERMINATION,
        "body": Decision.Body.COMPENSATION_COMMITTEE,
        "held_on": "2026-11-10",
        "members_present": [users["committee"].pk, users["board"].pk, users["committee2"].pk],
        "quorum": 2,
        "resolution": "RESOLVED, that the determination is approved.",
        "minutes": meeting_minutes(reviewed, users),
        f"vote_{users['committee'].pk}": "for",
        f"vote_{users['board'].pk}": "for",
        f"vote_{users['committee2'].pk}": "for",  # no such field: a recused member's vote is never read
    }
    refused = client.post(url("case-record-decision", reviewed), confirmed(decision))
    assert refused.status_code == 400
    assert "provided to the exchange" in refused.content.decode()

    estimate["provided_to_exchange_on"] = "2026-11-03"
    assert client.post(url("case-record-estimate", reviewed), estimate).status_code == 302
    decision["determination"] = workflow.live_determination(reviewed).number
    response = client.post(url("case-record-decision", reviewed), confirmed(decision))
    assert response.status_code == 302, response.content.decode()
    reviewed.refresh_from_db()
    assert reviewed.status == S.APPROVED
    votes = {
        v.member.username: v.choice for v in workflow.approved_determination(reviewed).decision.votes.all()
    }
    assert votes == {"committee": "for", "board": "for"}


def test_decision_below_quorum_is_shown_as_an_error(users, reviewed):
    record_tsr_estimate(reviewed, users["committee"], now=NOW)
    response = client_for(users["secretary"]).post(
        url("case-record-decision", reviewed),
        confirmed(
            {
                "kind": Decision.Kind.APPROVE_DETERMINATION,
                "body": Decision.Body.COMPENSATION_COMMITTEE,
                "held_on": "2026-11-10",
                "members_present": [users["committee"].pk],
                "quorum": 2,
                "resolution": "RESOLVED",
                "minutes": meeting_minutes(reviewed, users),
                f"vote_{users['committee'].pk}": "for",
            }
        ),
    )
    assert response.status_code == 400
    assert "count toward the quorum of 2" in response.content.decode()


def test_recovery_cannot_start_before_the_checklist_then_closes_when_recovered(users):
    case = approved_example_2(users)
    client = client_for(users["secretary"])
    refused = client.post(url("case-start-recovery", case), confirmed())
    assert refused.status_code == 400 and "no-indemnification checklist" in refused.content.decode()
    partial = client.post(
        url("case-confirm-no-indemnification", case), confirmed({"no_indemnity_agreement": "on"})
    )
    assert partial.status_code == 400
    checklist = {code: "on" for code, _ in workflow.NO_INDEMNIFICATION_CHECKLIST}
    assert client.post(url("case-confirm-no-indemnification", case), confirmed(checklist)).status_code == 302
    assert client.post(url("case-start-recovery", case), confirmed()).status_code == 302
    case.refresh_from_db()
    assert case.status == S.RECOVERY

    claims = {c.executive.key: c for c in case.claims.select_related("executive")}
    over = client.post(
        url("recovery-record-event", case),
        confirmed(
            {
                "claim": claims["evp"].pk,
                "occurred_on": "2026-11-20",
                "method": "cash",
                "amount": "120000.01",
                "evidence": "Wire",
            }
        ),
    )
    # The meeting of example 2 is after the real "today" of these requests: whichever check trips first.
    assert over.status_code == 400


def test_close_with_a_balance_left_is_refused_on_the_page(users):
    case = in_recovery(users)
    response = client_for(users["secretary"]).post(url("case-close", case), confirmed())
    assert response.status_code == 400
    assert "Recovery is not complete" in response.content.decode()


def test_reopen_needs_a_reason(users):
    case = approved_example_2(users)
    client = client_for(users["secretary"])
    assert client.post(url("case-reopen", case), confirmed({"reason": ""})).status_code == 400
    assert client.post(url("case-reopen", case), confirmed({"reason": "A second error"})).status_code == 302
    case.refresh_from_db()
    assert case.status == S.REVIEW


def test_impracticability_form_refuses_internal_costs(users):
    case = in_recovery(users)
    decision = impracticability_decision(case, users, held_on=MEETING)
    claim = case.claims.get(executive__key="evp")
    response = client_for(users["secretary"]).post(
        url("recovery-determine-impracticable", case),
        confirmed(
            {
                "claim": claim.pk,
                "decision": decision.pk,
                "ground": "expense",
                "amount_forgone": "10000.00",
                "third_party_cost": "45000.00",
                "cost_nature": "internal",
                "attempts": "Demand letters",
                "provided_to_exchange_on": "2026-11-01",
            }
        ),
    )
    assert response.status_code == 400
    assert "internal costs" in response.content.decode()


def test_state_changing_routes_refuse_get(users, reviewed):
    client = client_for(users["secretary"])
    for name in ("case-submit", "case-record-decision", "recovery-record-event", "case-close"):
        assert client.get(url(name, reviewed)).status_code == 405


def test_disclosure_page(users):
    case = approved_example_2(users)
    client = client_for(users["auditor"])
    assert client.get(reverse("clawback:disclosure")).status_code == 200
    assert client.get(reverse("clawback:disclosure") + "?year=FY1999").status_code == 404
    response = client.get(reverse("clawback:disclosure") + "?year=FY2027&prepared_on=2027-11-15")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<li data-testid="box-error-correction">☒' in html
    assert "$445,000.00" in html
    assert case.title in html
    assert client_for(users["employee"]).get(reverse("clawback:disclosure")).status_code == 403


def test_determination_and_decision_pages(users):
    case = approved_example_2(users)
    determination = workflow.approved_determination(case)
    client = client_for(users["auditor"])
    page = client.get(reverse("clawback:determination-detail", args=[determination.pk]))
    assert page.status_code == 200 and determination.sha256 in page.content.decode()
    page = client.get(reverse("clawback:decision-detail", args=[determination.decision.pk]))
    assert page.status_code == 200 and "RESOLVED" in page.content.decode()
    assert "December 10, 2026" in page.content.decode()


def meeting_minutes(case, users) -> int:
    """The committee seated and the meeting's minutes attached to the case: what the decision form needs."""
    seat(case.company, "committee", users["committee"], users["board"], users["committee2"])
    return minutes_on(case, users["secretary"]).pk


# --- The guide: where the case stands, the next step first ----------------------------------------------


def _next_step(html: str) -> str:
    """The next-step card of the panel (up to the determination that follows it)."""
    start = html.index('data-testid="next-step"')
    return html[start : html.index('id="determination-heading"', start)]


def _ids(html: str) -> list[str]:
    import re

    return re.findall(r'\sid="([^"]+)"', html)


def test_a_draft_with_an_award_awaiting_its_estimate_leads_with_the_estimate_form(users):
    case = import_example_2(users["committee"])
    html = panel(client_for(users["committee"]), case, HTTP_HX_REQUEST="true")
    card = _next_step(html)
    assert 'data-step="estimates"' in card and 'data-testid="estimate-form"' in card
    assert "1 award paid on stock price or total shareholder return awaits" in card
    # Every other step is a click away, its form not repeated: one estimate form, one of each id.
    assert html.count('data-testid="estimate-form"') == 1
    assert '<details class="workflow-section mb-3" id="section-decisions"' in html
    assert 'id="section-estimates"' not in html
    ids = _ids(html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # Submitting stays possible before the estimate (the determination then shows what is missing).
    assert 'data-testid="transitions"' in html and url("case-submit", case) in html


def test_once_the_estimate_is_in_the_next_step_is_the_submission(users):
    case = import_example_2(users["committee"])
    record_tsr_estimate(case, users["committee"])
    card = _next_step(panel(client_for(users["committee"]), case, HTTP_HX_REQUEST="true"))
    assert 'data-step="review"' in card and url("case-submit", case) in card


def test_under_review_the_next_step_is_the_decision_with_the_vote_and_meeting_forms(users, reviewed):
    html = panel(client_for(users["committee"]), reviewed, HTTP_HX_REQUEST="true")
    card = _next_step(html)
    assert 'data-step="estimates"' in card  # the reviewed case still waits for the TSR estimate
    record_tsr_estimate(reviewed, users["committee"])
    workflow.check_inputs(actor=users["committee"], case=reviewed, now=NOW)
    card = _next_step(panel(client_for(users["committee"]), reviewed, HTTP_HX_REQUEST="true"))
    assert 'data-step="decision"' in card
    assert 'data-testid="open-vote-form"' in card and 'data-testid="decision-form"' in card


def test_an_auditor_sees_where_the_case_stands_without_any_form(users, reviewed):
    html = panel(client_for(users["auditor"]), reviewed, HTTP_HX_REQUEST="true")
    assert 'aria-current="step"' in html and 'data-testid="next-step"' in html
    assert 'method="post"' not in html


def test_a_closed_case_says_every_step_is_done(users):
    case = in_recovery(users)
    # Straight to closed (closing itself is tested above): only the status matters to the guide.
    Restatement.objects.filter(pk=case.pk).update(status=Restatement.Status.CLOSED)
    html = panel(client_for(users["auditor"]), case, HTTP_HX_REQUEST="true")
    assert "The case is closed: every step is done." in html and 'aria-current="step"' not in html
