"""Each member votes for themselves (issue: committee decisions as boards take them).

Example 2 under review with its estimate: the Compensation Committee is `committee` (chair), `committee2`
(recused) and `member3`; `board` sits on the Board only. The vote is opened by the secretary on the live
determination, each member votes for themselves, the tally decides, the chair and secretary sign."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clawback.models import Decision, DecisionSignature, Restatement, Vote
from clawback.services import determinations as workflow
from clawback.services import records, voting
from compliance_site.accounts.roles import Role
from compliance_site.company.models import Company
from compliance_site.notifications.models import Reminder
from tests.clawback.test_inputs_change import terms
from tests.clawback.workflow_setup import (
    NOW,
    award,
    claim_of,
    record_tsr_estimate,
    reviewed_example_2,
)
from tests.factories import UserFactory
from tests.governance import minutes, seat

pytestmark = pytest.mark.django_db

FOR, AGAINST, ABSTAIN = Vote.Choice.FOR, Vote.Choice.AGAINST, Vote.Choice.ABSTAIN
APPROVE = Decision.Kind.APPROVE_DETERMINATION
COMMITTEE = Decision.Body.COMPENSATION_COMMITTEE


@pytest.fixture
def case(users):
    users["member3"] = UserFactory(username="member3", roles=[Role.COMMITTEE])
    case = reviewed_example_2(users)
    record_tsr_estimate(case, users["committee"])
    seat(
        case.company,
        "committee",
        users["committee"],
        users["committee2"],
        users["member3"],
        chair=users["committee"],
    )
    seat(case.company, "board", users["board"], users["committee"])
    return case


def open_vote(case, users, *, mode=Decision.Mode.MEETING, hours=48, **more):
    return voting.open_vote(
        actor=users["secretary"],
        case=case,
        kind=APPROVE,
        body=COMMITTEE,
        mode=mode,
        resolution="RESOLVED, that the recovery determination is approved.",
        closes_at=NOW + timedelta(hours=hours),
        now=NOW,
        **more,
    )


def vote(decision, user, choice=FOR, *, now=NOW + timedelta(minutes=5)):
    decision.refresh_from_db()
    return voting.cast_vote(
        actor=user,
        decision=decision,
        choice=choice,
        determination_sha256=decision.determination_sha256,
        now=now,
    )


def test_only_the_deciding_body_votes_and_a_quorum_adopts(case, users):
    decision = open_vote(case, users)
    assert decision.quorum == 2  # a majority of the three seats, the recused member's included
    assert set(decision.eligible.all()) == {users["committee"], users["member3"]}
    assert decision.determination_sha256 == case.determinations.get(invalidated_at__isnull=True).sha256

    with pytest.raises(PermissionDenied, match="not among the members"):
        vote(decision, users["board"])  # a Board member who does not sit on the committee
    with pytest.raises(PermissionDenied):
        vote(decision, users["committee2"])  # recused

    vote(decision, users["committee"])
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN
    vote(decision, users["member3"])
    decision.refresh_from_db()
    case.refresh_from_db()
    assert decision.status == Decision.Status.ADOPTED and decision.adopted
    assert case.status == Restatement.Status.APPROVED
    assert claim_of(case, "ceo").determined_on == (NOW + timedelta(minutes=5)).date()
    assert [v.method for v in decision.votes.all()] == [Vote.Method.IN_APP] * 2


def test_a_member_votes_once_on_the_determination_shown(case, users):
    decision = open_vote(case, users)
    with pytest.raises(ValidationError, match="not the determination"):
        voting.cast_vote(
            actor=users["committee"], decision=decision, choice=FOR, determination_sha256="0" * 64, now=NOW
        )
    vote(decision, users["committee"], ABSTAIN)
    with pytest.raises(ValidationError, match="already voted"):
        vote(decision, users["committee"])


def test_changed_inputs_withdraw_the_open_vote(case, users):
    decision = open_vote(case, users)
    vote(decision, users["committee"])
    # A corrected award changes the determination's inputs: the numbers voted on are no longer the case's.
    bonus = award(case, "evp-fy2025-bonus")
    records.update_award(
        actor=users["secretary"], award=bonus, now=NOW, **terms(bonus, received=Decimal(380000))
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.WITHDRAWN
    assert "replaced" in decision.outcome_reason
    with pytest.raises(ValidationError, match="closed"):
        vote(decision, users["member3"])


def test_the_vote_closes_without_its_quorum(case, users):
    decision = open_vote(case, users, hours=1)
    vote(decision, users["committee"])
    assert voting.close_due_votes(now=NOW + timedelta(hours=2)) == 1
    decision.refresh_from_db()
    assert decision.status == Decision.Status.NOT_ADOPTED
    assert "short of the quorum" in decision.outcome_reason
    assert voting.close_due_votes(now=NOW + timedelta(hours=3)) == 0


def test_written_consent_needs_every_member(case, users):
    decision = open_vote(case, users, mode=Decision.Mode.WRITTEN_CONSENT)
    assert decision.quorum == 2
    vote(decision, users["committee"])
    vote(decision, users["member3"], ABSTAIN)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.NOT_ADOPTED
    assert "unanimous" in decision.outcome_reason


def test_a_meeting_vote_is_recorded_only_with_its_minutes(case, users):
    decision = open_vote(case, users)
    with pytest.raises(ValidationError, match="minutes"):
        voting.record_vote_from_minutes(
            actor=users["secretary"], decision=decision, member=users["member3"], choice=FOR,
            minutes=None, meeting_on=NOW.date(), now=NOW,
        )  # fmt: skip
    recorded = voting.record_vote_from_minutes(
        actor=users["secretary"], decision=decision, member=users["member3"], choice=FOR,
        minutes=minutes(), meeting_on=NOW.date(), now=NOW,
    )  # fmt: skip
    assert recorded.method == Vote.Method.MINUTES and recorded.recorded_by == users["secretary"]
    assert recorded.minutes.kind == "minutes"
    with pytest.raises(PermissionDenied):
        voting.record_vote_from_minutes(
            actor=users["committee"], decision=decision, member=users["committee"], choice=FOR,
            minutes=minutes(), meeting_on=NOW.date(), now=NOW,
        )  # fmt: skip


def test_the_chair_then_the_secretary_sign_what_was_adopted(case, users):
    decision = open_vote(case, users)
    with pytest.raises(ValidationError, match="adopted"):
        voting.sign_decision(
            actor=users["committee"],
            decision=decision,
            determination_sha256=decision.determination_sha256,
            now=NOW,
        )
    vote(decision, users["committee"])
    vote(decision, users["member3"])
    decision.refresh_from_db()
    sha = decision.determination_sha256
    with pytest.raises(PermissionDenied, match="Chair signs next"):
        voting.sign_decision(actor=users["secretary"], decision=decision, determination_sha256=sha, now=NOW)
    with pytest.raises(PermissionDenied):
        voting.sign_decision(actor=users["member3"], decision=decision, determination_sha256=sha, now=NOW)
    voting.sign_decision(actor=users["committee"], decision=decision, determination_sha256=sha, now=NOW)
    assert voting.next_signature(decision) == DecisionSignature.Capacity.SECRETARY
    voting.sign_decision(actor=users["secretary"], decision=decision, determination_sha256=sha, now=NOW)
    assert voting.next_signature(decision) is None
    assert [(s.position, s.capacity) for s in decision.signatures.all()] == [(1, "chair"), (2, "secretary")]
    with pytest.raises(ValidationError, match="already in"):
        voting.sign_decision(actor=users["committee"], decision=decision, determination_sha256=sha, now=NOW)


def test_the_company_sets_the_order_of_signatures(case, users):
    Company.objects.filter(pk=case.company_id).update(
        signature_order=Company.SignatureOrder.SECRETARY_THEN_CHAIR
    )
    decision = open_vote(case, users)
    vote(decision, users["committee"])
    vote(decision, users["member3"])
    decision.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Corporate Secretary signs next"):
        voting.sign_decision(
            actor=users["committee"],
            decision=decision,
            determination_sha256=decision.determination_sha256,
            now=NOW,
        )


def test_a_vote_needs_the_bodys_seats_recorded(users):
    case = reviewed_example_2(users)
    record_tsr_estimate(case, users["committee"])
    with pytest.raises(ValidationError, match="No members of the Compensation Committee"):
        open_vote(case, users)


def test_a_meeting_record_refuses_a_board_only_member_on_a_committee_decision(case, users):
    with pytest.raises(ValidationError, match="was not a member of the Compensation Committee"):
        workflow.record_decision(
            actor=users["secretary"], case=case, kind=APPROVE, body=COMMITTEE, held_on=NOW.date(),
            members_present=[users["committee"], users["board"]], quorum=2,
            resolution="RESOLVED, that the determination is approved.",
            votes={users["committee"]: FOR, users["board"]: FOR}, minutes=minutes(), now=NOW,
        )  # fmt: skip


def test_members_waiting_to_vote_are_notified_and_reminded(case, users):
    decision = open_vote(case, users)
    mine = Reminder.objects.filter(content_type__model="decision", object_id=decision.pk)
    kinds = set(mine.values_list("kind", flat=True))
    assert kinds == {"vote_open", "vote_closing"}
    from compliance_site.notifications.services import recipients_for

    opening = mine.get(kind="vote_open")
    assert {u.username for u in recipients_for(opening, decision)} == {"committee", "member3"}
    vote(decision, users["committee"])
    assert {u.username for u in recipients_for(opening, decision)} == {"member3"}
    assert award(case, "ceo-tsr-psu")  # the case is untouched by the reminders
