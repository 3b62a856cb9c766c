"""A vote of the body over the API and through the pages: opening it, each member's own vote, a vote from the
minutes (the secretary, with the minutes attached), the signatures in order, withdrawing; refusals as
400/403 with the reason; the decision page's query count does not grow with the votes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from clawback.models import Decision, Restatement, Vote
from clawback.services import voting
from clawback.services.review import exchange_date
from compliance_site.accounts.roles import Role
from compliance_site.confirm import confirmed_data as confirmed
from tests.clawback.workflow_setup import record_tsr_estimate, reviewed_example_2
from tests.clients import client_for
from tests.factories import UserFactory
from tests.governance import minutes_on, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users):
    users["member3"] = UserFactory(username="member3", roles=[Role.COMMITTEE])
    case = reviewed_example_2(users)
    record_tsr_estimate(case, users["committee"])
    seat(
        case.company, "committee", users["committee"], users["committee2"], users["member3"],
        chair=users["committee"],
    )  # fmt: skip
    return case


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def open_by_api(case, users, **changes):
    body = {
        "kind": "approve_determination",
        "body": "committee",
        "mode": "meeting",
        "resolution": "RESOLVED, that the recovery determination is approved.",
        "closes_at": (timezone.now() + timedelta(days=2)).isoformat(),
    } | changes
    return api(users["secretary"]).post(
        f"/api/clawback/restatements/{case.pk}/open-vote/", body, format="json"
    )


def test_a_vote_from_opening_to_the_last_signature_over_the_api(case, users):
    opened = open_by_api(case, users)
    assert opened.status_code == 200, opened.json()
    decision = opened.json()
    assert decision["status"] == "open" and decision["quorum"] == 2
    assert set(decision["eligible"]) == {users["committee"].pk, users["member3"].pk}
    vote_url = f"/api/clawback/decisions/{decision['id']}/vote/"
    sha = decision["determination_sha256"]

    # Only a member who may vote: the secretary has no vote (403), a Board member off the committee neither
    assert (
        api(users["secretary"]).post(vote_url, {"choice": "for", "determination_sha256": sha}).status_code
        == 403
    )
    refused = api(users["board"]).post(vote_url, {"choice": "for", "determination_sha256": sha})
    assert refused.status_code == 403 and "not among the members" in refused.json()["error"]["message"]
    wrong = api(users["member3"]).post(vote_url, {"choice": "for", "determination_sha256": "0" * 64})
    assert wrong.status_code == 400 and "determination_sha256" in wrong.json()["error"]["fields"]

    cast = api(users["member3"]).post(
        vote_url, {"choice": "for", "determination_sha256": sha, "comment": "Agreed."}
    )
    assert cast.status_code == 200 and cast.json()["status"] == "open"
    assert cast.json()["votes"][0] | {"cast_at": None} == cast.json()["votes"][0] | {
        "member": users["member3"].pk, "choice": "for", "method": "in_app", "comment": "Agreed.", "cast_at": None,
    }  # fmt: skip

    # A vote from the minutes: the secretary only, the minutes attached to the case
    minutes = minutes_on(case, users["secretary"])
    record_url = f"/api/clawback/decisions/{decision['id']}/record-vote/"
    recorded = {
        "member": users["committee"].pk,
        "choice": "for",
        "meeting_on": exchange_date(timezone.now()).isoformat(),
    }
    assert api(users["committee"]).post(record_url, recorded | {"minutes": minutes.pk}).status_code == 403
    done = api(users["secretary"]).post(record_url, recorded | {"minutes": minutes.pk})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "adopted" and done.json()["next_signature"] == "chair"
    from_minutes = next(v for v in done.json()["votes"] if v["member"] == users["committee"].pk)
    assert from_minutes["method"] == "minutes" and from_minutes["recorded_by"] == users["secretary"].pk
    case.refresh_from_db()
    assert case.status == Restatement.Status.APPROVED

    sign_url = f"/api/clawback/decisions/{decision['id']}/sign/"
    out_of_turn = api(users["secretary"]).post(sign_url, {"determination_sha256": sha})
    assert out_of_turn.status_code == 403 and "Chair signs next" in out_of_turn.json()["error"]["message"]
    assert api(users["committee"]).post(sign_url, {"determination_sha256": sha}).json()["next_signature"] == (
        "secretary"
    )
    last = api(users["secretary"]).post(sign_url, {"determination_sha256": sha})
    assert last.status_code == 200 and last.json()["next_signature"] is None
    assert [s["capacity"] for s in last.json()["signatures"]] == ["chair", "secretary"]


def test_opening_is_refused_with_reasons(case, users):
    past = open_by_api(case, users, closes_at=(timezone.now() - timedelta(hours=1)).isoformat())
    assert past.status_code == 400 and "closes_at" in past.json()["error"]["fields"]
    board = open_by_api(case, users, body="board")
    assert board.status_code == 400 and "body" in board.json()["error"]["fields"]
    assert open_by_api(case, users).status_code == 200
    again = open_by_api(case, users)
    assert again.status_code == 400 and "already open" in again.json()["error"]["message"]


def test_an_open_vote_is_withdrawn_with_a_reason(case, users):
    decision = open_by_api(case, users).json()
    url = f"/api/clawback/decisions/{decision['id']}/withdraw/"
    assert api(users["auditor"]).post(url, {"reason": "x"}).status_code == 403
    withdrawn = api(users["secretary"]).post(url, {"reason": "Put to the wrong body."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_the_pages_open_the_vote_take_each_vote_and_the_signatures(case, users):
    workflow_url = reverse("clawback:case-workflow", args=[case.pk])
    page = client_for(users["secretary"]).get(workflow_url)
    assert 'data-testid="open-vote-form"' in page.content.decode()
    form = {
        "vote-kind": "approve_determination",
        "vote-body": "committee",
        "vote-mode": "meeting",
        "vote-closes_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "vote-resolution": "RESOLVED, that the recovery determination is approved.",
    }
    secretary = client_for(users["secretary"])
    asked = secretary.post(reverse("clawback:case-open-vote", args=[case.pk]), form)
    assert asked.status_code == 200 and "Open the vote?" in asked.content.decode()
    assert not Decision.objects.exists()
    opened = secretary.post(reverse("clawback:case-open-vote", args=[case.pk]), confirmed(form))
    assert opened.status_code == 302
    decision = Decision.objects.get()
    detail = reverse("clawback:decision-detail", args=[decision.pk])
    assert opened["Location"] == detail

    member = client_for(users["member3"]).get(detail).content.decode()
    assert 'data-testid="cast-vote-form"' in member and decision.determination_sha256 in member
    assert 'data-testid="cast-vote-form"' not in client_for(users["committee2"]).get(detail).content.decode()
    assert 'data-testid="cast-vote-form"' not in client_for(users["board"]).get(detail).content.decode()

    vote = {"choice": "for", "determination_sha256": decision.determination_sha256}
    assert (
        client_for(users["board"])
        .post(reverse("clawback:decision-vote", args=[decision.pk]), vote)
        .status_code
        == 403
    )
    for name in ("member3", "committee"):
        response = client_for(users[name]).post(reverse("clawback:decision-vote", args=[decision.pk]), vote)
        assert response.status_code == 302, response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ADOPTED

    sign = {"determination_sha256": decision.determination_sha256}
    page = client_for(users["committee"]).get(detail).content.decode()
    assert "Sign as Chair" in page
    assert (
        client_for(users["committee"])
        .post(reverse("clawback:decision-sign", args=[decision.pk]), sign)
        .status_code
        == 302
    )
    assert (
        client_for(users["secretary"])
        .post(reverse("clawback:decision-sign", args=[decision.pk]), sign)
        .status_code
        == 302
    )
    assert 'data-testid="signatures-complete"' in client_for(users["auditor"]).get(detail).content.decode()


def test_a_refused_vote_on_the_page_says_why(case, users):
    decision = open_by_api(case, users).json()
    response = client_for(users["member3"]).post(
        reverse("clawback:decision-vote", args=[decision["id"]]),
        {"choice": "for", "determination_sha256": "f" * 64},
    )
    assert (
        response.status_code == 400 and "not the determination put to the vote" in response.content.decode()
    )


def test_the_decision_page_costs_the_same_queries_whatever_the_votes(
    case, users, django_assert_max_num_queries
):
    auditor = client_for(users["auditor"])

    def page_queries(decision) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert auditor.get(reverse("clawback:decision-detail", args=[decision.pk])).status_code == 200
        return len(queries)

    users["member4"] = UserFactory(username="member4", roles=[Role.COMMITTEE])
    seat(case.company, "committee", users["member4"])
    decision = voting.open_vote(
        actor=users["secretary"], case=case, kind="approve_determination", body="committee", mode="meeting",
        resolution="RESOLVED", closes_at=timezone.now() + timedelta(days=1), now=timezone.now(),
    )  # fmt: skip
    counts = []
    for member in ("member3", "member4"):
        voting.cast_vote(
            actor=users[member], decision=decision, choice=Vote.Choice.FOR,
            determination_sha256=decision.determination_sha256, now=timezone.now(),
        )  # fmt: skip
        counts.append(page_queries(decision))
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN
    assert counts[0] == counts[1]


@pytest.mark.parametrize("closes", ["9999-12-31T23:59", "2031-01-01T10:00"])
def test_a_vote_closing_years_away_is_refused_on_the_page(case, users, closes):
    form = {
        "vote-kind": "approve_determination",
        "vote-body": "committee",
        "vote-mode": "meeting",
        "vote-closes_at": closes,
        "vote-resolution": "RESOLVED, that the recovery determination is approved.",
    }
    answer = client_for(users["secretary"]).post(
        reverse("clawback:case-open-vote", args=[case.pk]), confirmed(form)
    )
    assert answer.status_code == 400 and "A vote closes within 90 days" in answer.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("closes", ["9999-12-31T23:00:00+00:00", "9999-12-31T23:59:00-05:00"])
def test_a_vote_closing_years_away_is_refused_over_the_api(case, users, closes):
    answer = open_by_api(case, users, closes_at=closes)
    assert answer.status_code == 400 and not Decision.objects.exists()
