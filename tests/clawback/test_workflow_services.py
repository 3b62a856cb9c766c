"""The determination and recovery workflow services: every transition and every refusal.

Built on worked example 2 (tests/clawback/workflow_setup.py): a TSR award that waits for the committee's
reasonable estimate, a current CEO and a former EVP, committee2 recused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clawback.models import (
    Decision,
    Determination,
    Impracticability,
    RecoveryClaim,
    RecoveryEvent,
    Restatement,
    Vote,
)
from clawback.recovery import RULE_VERSION
from clawback.services import determinations as workflow
from clawback.services import recovery
from compliance_site.accounts.roles import Role
from tests.clawback.workflow_setup import (
    CEO_EXCESS,
    EVP_EXCESS,
    MEETING,
    NOW,
    approve,
    approved_example_2,
    award,
    claim_of,
    import_example_2,
    impracticability_decision,
    in_recovery,
    record_tsr_estimate,
    recover,
)
from tests.factories import UserFactory
from tests.governance import minutes, seat

pytestmark = pytest.mark.django_db
S = Restatement.Status


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Review ----------------------------------------------------------------------------------------------


def test_submit_freezes_inputs_result_and_their_sha256(users):
    case = import_example_2(users["secretary"])
    determination = workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    assert case.status == S.REVIEW
    assert determination.number == 1
    assert determination.inputs["format"] == "clawback-scenario/2"
    assert determination.result["format"] == "clawback-result/2"
    assert determination.sha256 == workflow.sha256_of(
        {"inputs": determination.inputs, "result": determination.result}
    )
    assert determination.rule_version == RULE_VERSION
    assert determination.result["totals"] == {
        "excess_usd": "195000.00",
        "excess_units": "0",
        "pending_estimates": 1,
        "to_recover_usd": "195000.00",
        "to_recover_units": "0",
    }
    assert determination.computed_by == users["secretary"]


def test_submit_is_refused_unless_draft(reviewed, users):
    with pytest.raises(ValidationError, match="under committee review, not draft"):
        workflow.submit_for_review(actor=users["secretary"], case=reviewed, now=NOW)


def test_submit_is_refused_when_the_case_cannot_be_evaluated(clawback_case, users):
    # No fiscal periods recorded for the company: the engine has nothing to work with.
    with pytest.raises(ValidationError, match="cannot be evaluated"):
        workflow.submit_for_review(actor=users["secretary"], case=clawback_case, now=NOW)
    clawback_case.refresh_from_db()
    assert clawback_case.status == S.DRAFT and not clawback_case.determinations.exists()


def test_recused_member_takes_no_part_in_the_case(reviewed, users):
    with pytest.raises(PermissionDenied):
        record_tsr_estimate(reviewed, users["committee2"])


def test_pending_estimate_blocks_approval(reviewed, users):
    with pytest.raises(ValidationError, match="ceo-tsr-psu") as excinfo:
        approve(reviewed, users)
    assert "Rule 10D-1(b)(1)(iii)(A)" in messages_of(excinfo)
    assert not Decision.objects.filter(restatement=reviewed).exists()
    reviewed.refresh_from_db()
    assert reviewed.status == S.REVIEW


def test_estimate_not_yet_provided_to_the_exchange_blocks_approval(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"], provided=False)
    with pytest.raises(ValidationError, match="provided to the exchange"):
        approve(reviewed, users)
    record_tsr_estimate(reviewed, users["committee"], provided=True)
    approve(reviewed, users)
    reviewed.refresh_from_db()
    assert reviewed.status == S.APPROVED


def test_recorded_estimate_is_frozen_into_a_new_determination(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    first, second = Determination.objects.filter(restatement=reviewed).order_by("number")
    assert first.invalidated_at is not None
    assert first.invalidated_reason.startswith("inputs changed: award ceo-tsr-psu: reasonable estimate added")
    assert second.invalidated_at is None
    psu = next(a for a in second.result["awards"] if a["id"] == "ceo-tsr-psu")
    assert psu["status"] == "estimated"
    assert psu["excess"] == "4000" and psu["excess_usd"] == "250000.00"
    assert second.inputs["awards"][2]["estimate"]["restated_value"] == "55"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("method", "  ", "Describe how"),
        ("documents", "\n", "supporting documents"),
        ("adopted_on", date(2027, 2, 1), "future"),
        ("provided_to_exchange_on", date(2026, 11, 1), "before the estimate was adopted"),
    ],
)
def test_estimate_needs_method_documents_and_sensible_dates(reviewed, users, field, value, message):
    data = {
        "restated_value": Decimal("55"),
        "method": "Event study",
        "documents": "Memo",
        "adopted_on": date(2026, 12, 1),
        "provided_to_exchange_on": date(2026, 12, 3),
    }
    data[field] = value
    with pytest.raises(ValidationError, match=message):
        workflow.record_estimate(
            actor=users["committee"], case=reviewed, award=award(reviewed, "ceo-tsr-psu"), now=NOW, **data
        )


def test_estimate_refused_for_an_award_that_can_be_recalculated(reviewed, users):
    with pytest.raises(ValidationError, match="can be recalculated"):
        workflow.record_estimate(
            actor=users["committee"],
            case=reviewed,
            award=award(reviewed, "ceo-fy2024-bonus"),
            restated_value=Decimal("47000000"),
            method="Guess",
            documents="Memo",
            adopted_on=date(2026, 12, 1),
            now=NOW,
        )


def test_designated_award_waits_for_an_estimate_and_records_why(reviewed, users):
    bonus = award(reviewed, "ceo-fy2024-bonus")
    with pytest.raises(ValidationError, match="Say why"):
        workflow.designate_not_determinable(
            actor=users["committee"], case=reviewed, award=bonus, reason=" ", now=NOW
        )
    workflow.designate_not_determinable(
        actor=users["committee"],
        case=reviewed,
        award=bonus,
        reason="The restated segment allocation cannot be traced to the bonus pool.",
        now=NOW,
    )
    bonus.refresh_from_db()
    assert bonus.requires_estimate
    assert "cannot be traced to the bonus pool" in bonus.notes
    live = workflow.live_determination(reviewed)
    statuses = {a["id"]: a["status"] for a in live.result["awards"]}
    assert statuses["ceo-fy2024-bonus"] == "reasonable_estimate_required"
    with pytest.raises(ValidationError, match="already rests on a reasonable estimate"):
        workflow.designate_not_determinable(
            actor=users["committee"], case=reviewed, award=bonus, reason="x", now=NOW
        )
    record_tsr_estimate(reviewed, users["committee"])
    with pytest.raises(ValidationError, match="ceo-fy2024-bonus"):
        approve(reviewed, users)


# --- The decision -------------------------------------------------------------------------------------------


def test_adopted_approval_approves_the_live_determination_and_opens_claims(users):
    case = approved_example_2(users)
    assert case.status == S.APPROVED
    approved = workflow.approved_determination(case)
    assert approved == workflow.live_determination(case)
    assert approved.decision.adopted and approved.decision.held_on == MEETING
    ceo, evp = claim_of(case, "ceo"), claim_of(case, "evp")
    assert (ceo.amount_owed, ceo.units_owed, ceo.determined_on) == (CEO_EXCESS, Decimal("4000"), MEETING)
    assert (evp.amount_owed, evp.units_owed, evp.determined_on) == (EVP_EXCESS, Decimal("0"), MEETING)
    assert set(approved.decision.members_present.all()) == {users["committee"], users["board"]}
    assert approved.decision.votes.count() == 2


def test_approval_by_a_body_that_does_not_administer_the_policy_is_refused(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    for body in (Decision.Body.BOARD, Decision.Body.INDEPENDENT_DIRECTORS):
        with pytest.raises(ValidationError, match="administered by the Compensation Committee"):
            approve(reviewed, users, body=body)


def test_a_board_administered_case_is_approved_by_the_board(reviewed, users):
    Restatement.objects.filter(pk=reviewed.pk).update(administering_body="board")
    reviewed.refresh_from_db()
    record_tsr_estimate(reviewed, users["committee"])
    decision = approve(reviewed, users, body=Decision.Body.BOARD, members=("board", "committee"))
    assert decision.adopted
    reviewed.refresh_from_db()
    assert reviewed.status == S.APPROVED


def test_members_present_below_the_quorum_are_refused(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    with pytest.raises(ValidationError, match="below|count toward the quorum of 3"):
        approve(reviewed, users, quorum=3, votes={users["committee"]: Vote.Choice.FOR})


def test_a_recused_member_present_does_not_count_toward_the_quorum(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    with pytest.raises(ValidationError, match="1 of them recused: 1 count toward the quorum of 2"):
        approve(
            reviewed, users, members=("committee", "committee2"), votes={users["committee"]: Vote.Choice.FOR}
        )


def test_a_recused_member_cannot_vote(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    present = [users["committee"], users["board"], users["committee2"]]
    with pytest.raises(ValidationError, match="recused from this case and cannot vote"):
        approve(
            reviewed,
            users,
            members=("committee", "board", "committee2"),
            votes={member: Vote.Choice.FOR for member in present},
        )
    assert not Decision.objects.filter(restatement=reviewed).exists()


def test_only_members_who_may_vote_and_were_present_vote(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    # Who sits on the deciding body on the meeting's date votes: not the secretary, nor counsel.
    with pytest.raises(ValidationError, match="is not a member of the Compensation Committee"):
        approve(
            reviewed,
            users,
            votes={users["committee"]: "for", users["board"]: "for", users["secretary"]: "for"},
        )
    with pytest.raises(ValidationError, match="may not vote on clawback matters"):
        approve(reviewed, users, members=("committee", "board", "counsel"))
    absent = UserFactory(username="committee3", roles=[Role.COMMITTEE])
    seat(reviewed.company, "committee", absent)
    with pytest.raises(ValidationError, match="not recorded as present"):
        approve(reviewed, users, members=("committee", "board"), votes={absent: "for"})
    assert not Decision.objects.filter(restatement=reviewed).exists()


def test_a_tie_is_not_adopted_and_the_case_stays_in_review(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    decision = approve(
        reviewed, users, votes={users["committee"]: Vote.Choice.FOR, users["board"]: Vote.Choice.AGAINST}
    )
    assert decision.adopted is False
    reviewed.refresh_from_db()
    assert reviewed.status == S.REVIEW
    assert workflow.approved_determination(reviewed) is None
    assert not RecoveryClaim.objects.filter(restatement=reviewed).exists()


def test_abstentions_are_not_votes_cast(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    decision = approve(
        reviewed, users, votes={users["committee"]: Vote.Choice.FOR, users["board"]: Vote.Choice.ABSTAIN}
    )
    assert decision.adopted is True


def test_a_meeting_in_the_future_is_refused(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    with pytest.raises(ValidationError, match="future"):
        approve(reviewed, users, held_on=NOW.date() + timedelta(days=1))


def test_the_determination_voted_on_must_be_the_one_under_review(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    live = workflow.live_determination(reviewed)
    with pytest.raises(ValidationError, match="not the one under review"):
        approve(reviewed, users, determination_number=live.number - 1)


# --- Inputs that change -------------------------------------------------------------------------------------


def test_an_input_change_invalidates_the_approval_and_a_new_approval_is_needed(users):
    case = approved_example_2(users)
    approved = workflow.approved_determination(case)
    bonus = award(case, "evp-fy2025-bonus")
    bonus.received = Decimal("380000")
    bonus.save()

    check = workflow.ensure_approval_current(case, actor=users["secretary"], now=NOW)

    assert check.approval_invalidated and not check.current
    assert "award evp-fy2025-bonus: amount received 360,000 → 380,000" in check.reason
    case.refresh_from_db()
    assert case.status == S.REVIEW
    approved.refresh_from_db()
    assert approved.invalidated_at is not None
    assert approved.invalidated_reason.startswith(
        "inputs changed: award evp-fy2025-bonus: amount received 360,000"
    )
    fresh = workflow.live_determination(case)
    assert fresh.number == approved.number + 1 and fresh.decision is None
    assert workflow.approved_determination(case) is None
    # Running it again changes nothing.
    assert workflow.ensure_approval_current(case, actor=users["secretary"], now=NOW).current

    approve(case, users)
    case.refresh_from_db()
    assert case.status == S.APPROVED
    assert claim_of(case, "evp").amount_owed == Decimal("140000.00")


def test_a_system_change_withdraws_the_approval_and_the_next_manager_recomputes(users):
    case = approved_example_2(users)
    bonus = award(case, "ceo-fy2024-bonus")
    bonus.received = Decimal("520000")
    bonus.save()
    check = workflow.ensure_approval_current(case, actor=None, now=NOW)
    assert check.approval_invalidated and check.determination is None
    case.refresh_from_db()
    assert case.status == S.REVIEW and workflow.live_determination(case) is None
    check = workflow.check_inputs(actor=users["secretary"], case=case, now=NOW)
    assert check.determination.computed_by == users["secretary"]
    assert workflow.live_determination(case) == check.determination


def test_every_service_brings_the_approval_up_to_date_first(users):
    case = approved_example_2(users)
    workflow.confirm_no_indemnification(actor=users["secretary"], case=case, now=NOW)
    Restatement.objects.get(pk=case.pk).events.filter(kind="directed_by_court_or_regulator").update(
        date=date(2026, 10, 25)
    )
    with pytest.raises(
        ValidationError, match="approval was withdrawn because the inputs changed: restatement"
    ):
        workflow.start_recovery(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    assert case.status == S.REVIEW  # the invalidation stands although the action was refused


def test_approval_is_refused_when_the_inputs_changed_since_the_review(reviewed, users):
    record_tsr_estimate(reviewed, users["committee"])
    reviewed_number = workflow.live_determination(reviewed).number
    bonus = award(reviewed, "ceo-fy2024-bonus")
    bonus.received = Decimal("510000")
    bonus.save()
    with pytest.raises(ValidationError, match="must review it before approving"):
        approve(reviewed, users)
    assert workflow.live_determination(reviewed).number == reviewed_number + 1
    approve(reviewed, users)  # reviewed now
    reviewed.refresh_from_db()
    assert reviewed.status == S.APPROVED


def test_a_reader_checking_the_inputs_changes_nothing(users):
    case = approved_example_2(users)
    bonus = award(case, "evp-fy2025-bonus")
    bonus.received = Decimal("380000")
    bonus.save()
    check = workflow.check_inputs(actor=users["auditor"], case=case, now=NOW)
    assert not check.current and "amount received 360,000 → 380,000" in check.reason
    case.refresh_from_db()
    assert case.status == S.APPROVED
    check = workflow.check_inputs(actor=users["secretary"], case=case, now=NOW)
    assert check.approval_invalidated
    case.refresh_from_db()
    assert case.status == S.REVIEW


# --- Recovery and closing -----------------------------------------------------------------------------------


def test_recovery_starts_only_after_the_no_indemnification_checklist(users):
    case = approved_example_2(users)
    with pytest.raises(ValidationError, match="no-indemnification checklist"):
        workflow.start_recovery(actor=users["secretary"], case=case, now=NOW)
    with pytest.raises(ValidationError, match="Not confirmed: No insurance policy"):
        workflow.confirm_no_indemnification(
            actor=users["secretary"],
            case=case,
            now=NOW,
            confirmed=["no_indemnity_agreement", "no_premium_reimbursement"],
        )
    workflow.confirm_no_indemnification(
        actor=users["secretary"],
        case=case,
        now=NOW,
        confirmed=[c for c, _ in workflow.NO_INDEMNIFICATION_CHECKLIST],
    )
    workflow.start_recovery(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    assert case.status == S.RECOVERY
    assert case.no_indemnification_confirmed_by == users["secretary"]


def test_recovery_events_are_recorded_only_in_recovery(users):
    case = approved_example_2(users)
    with pytest.raises(ValidationError, match="not recovery in progress"):
        recover(claim_of(case, "evp"), users["secretary"], amount=Decimal("1000"))


@pytest.mark.parametrize(
    ("amount", "units", "occurred_on", "evidence", "message"),
    [
        (
            Decimal("120000.01"),
            Decimal(0),
            date(2026, 12, 20),
            "Wire",
            r"more than the \$120,000.00 outstanding",
        ),
        (Decimal(0), Decimal(0), date(2026, 12, 20), "Wire", "Record the amount recovered"),
        (Decimal("1000"), Decimal(0), date(2027, 1, 16), "Wire", "future"),
        (Decimal("1000"), Decimal(0), date(2026, 12, 9), "Wire", "cannot precede"),
        (Decimal("1000"), Decimal(0), date(2026, 12, 20), " ", "Say what shows"),
        (Decimal(0), Decimal("1"), date(2026, 12, 20), "Notice", "units outstanding"),
    ],
)
def test_a_recovery_beyond_what_is_outstanding_or_undated_is_refused(
    users, amount, units, occurred_on, evidence, message
):
    case = in_recovery(users)
    with pytest.raises(ValidationError, match=message):
        recover(
            claim_of(case, "evp"),
            users["secretary"],
            occurred_on=occurred_on,
            amount=amount,
            units=units,
            evidence=evidence,
        )
    assert not RecoveryEvent.objects.exists()


def test_close_is_refused_while_a_balance_is_left(users):
    case = in_recovery(users)
    recover(claim_of(case, "evp"), users["secretary"], amount=EVP_EXCESS, evidence="Wire confirmation 4471")
    with pytest.raises(ValidationError, match="Morgan Reyes \\(\\$325,000.00 outstanding\\)"):
        workflow.close_case(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    assert case.status == S.RECOVERY


def test_recoveries_and_an_impracticable_amount_close_the_case(users):
    case = in_recovery(users)
    ceo, evp = claim_of(case, "ceo"), claim_of(case, "evp")
    recover(
        ceo,
        users["secretary"],
        occurred_on=date(2026, 12, 15),
        method=RecoveryEvent.Method.CANCELLATION,
        amount=Decimal("250000.00"),
        units=Decimal("4000"),
        evidence="Cancellation of 4,000 unvested PSUs",
    )
    recover(
        ceo,
        users["secretary"],
        method=RecoveryEvent.Method.OFFSET,
        amount=Decimal("75000.00"),
        evidence="Offset against the 2027 bonus",
    )
    recover(
        evp,
        users["secretary"],
        occurred_on=date(2026, 12, 22),
        amount=Decimal("110000.00"),
        evidence="Wire confirmation 4471",
    )
    decision = impracticability_decision(case, users)
    recovery.determine_impracticable(
        actor=users["secretary"],
        claim=evp,
        ground=Impracticability.Ground.EXPENSE,
        decision=decision,
        amount_forgone=Decimal("10000.00"),
        third_party_cost=Decimal("45000.00"),
        costs_are_third_party=True,
        cost_description="Outside counsel estimate for suit in Sweden",
        attempts="Demand letters of 2026-12-12 and 2026-12-28; partial repayment received",
        provided_to_exchange_on=date(2027, 1, 5),
        now=NOW,
    )
    position = recovery.claim_position_of(claim_of(case, "evp"), as_of=NOW.date())
    assert (position.recovered, position.forgone, position.outstanding) == (
        Decimal("110000.00"),
        Decimal("10000.00"),
        Decimal("0.00"),
    )
    workflow.close_case(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_reopening_needs_a_reason_and_withdraws_the_approval(users):
    case = approved_example_2(users)
    with pytest.raises(ValidationError, match="Say why"):
        workflow.reopen_case(actor=users["secretary"], case=case, reason="  ", now=NOW)
    approved = workflow.approved_determination(case)
    fresh = workflow.reopen_case(
        actor=users["secretary"], case=case, reason="Auditor found a second error", now=NOW
    )
    case.refresh_from_db()
    approved.refresh_from_db()
    assert case.status == S.REVIEW
    assert approved.invalidated_reason == "reopened: Auditor found a second error"
    assert fresh.number == approved.number + 1 and fresh.decision is None
    with pytest.raises(ValidationError, match="Cannot reopen the case"):
        workflow.reopen_case(actor=users["secretary"], case=case, reason="again", now=NOW)


def test_a_closed_case_reopens_and_is_approved_again(users):
    case = in_recovery(users)
    for key, amount, units in (("ceo", CEO_EXCESS, Decimal("4000")), ("evp", EVP_EXCESS, Decimal(0))):
        recover(claim_of(case, key), users["secretary"], amount=amount, units=units)
    workflow.close_case(actor=users["secretary"], case=case, now=NOW)
    workflow.reopen_case(actor=users["secretary"], case=case, reason="Restated again", now=NOW)
    case.refresh_from_db()
    assert case.status == S.REVIEW
    approve(case, users, held_on=date(2027, 1, 10))
    case.refresh_from_db()
    assert case.status == S.APPROVED
    # The same amount approved again is not a new determination: the 180 days still count from the first
    # (docs/clawback-rules §1.10, "The 180-day test").
    assert claim_of(case, "evp").determined_on == MEETING
    assert claim_of(case, "evp").events.count() == 1  # the recoveries stay with the claim


# --- Impracticability ---------------------------------------------------------------------------------------

EXPENSE = {
    "ground": Impracticability.Ground.EXPENSE,
    "amount_forgone": Decimal("10000.00"),
    "third_party_cost": Decimal("45000.00"),
    "costs_are_third_party": True,
    "attempts": "Demand letters of 2026-12-12 and 2026-12-28",
    "provided_to_exchange_on": date(2027, 1, 5),
}
HOME_LAW = {
    "ground": Impracticability.Ground.HOME_COUNTRY_LAW,
    "amount_forgone": Decimal("10000.00"),
    "law_adopted_on": date(2019, 6, 1),
    "opinion": "Counsel's opinion: recovery would violate the Employment Protection Act.",
    "provided_to_exchange_on": date(2027, 1, 5),
}
PLAN = {
    "ground": Impracticability.Ground.RETIREMENT_PLAN,
    "amount_forgone": Decimal("10000.00"),
    "plan_description": "Harbor 401(k) Savings Plan, open to all US employees: recovering from the account "
    "would violate the anti-alienation rule of 26 U.S.C. 401(a)(13).",
}


@pytest.mark.parametrize(
    ("data", "changes", "message"),
    [
        (EXPENSE, {"costs_are_third_party": False}, "internal costs"),
        (EXPENSE, {"costs_are_third_party": None}, "internal costs"),
        (EXPENSE, {"third_party_cost": Decimal("10000.00")}, "must exceed the amount"),
        (EXPENSE, {"third_party_cost": None}, "State the third-party"),
        (EXPENSE, {"attempts": ""}, "reasonable attempt"),
        (EXPENSE, {"provided_to_exchange_on": None}, "provided to the exchange"),
        (HOME_LAW, {"law_adopted_on": date(2022, 11, 28)}, "adopted before 2022-11-28"),
        (HOME_LAW, {"law_adopted_on": date(2023, 5, 1)}, "adopted before 2022-11-28"),
        (HOME_LAW, {"law_adopted_on": None}, "State when"),
        (HOME_LAW, {"opinion": ""}, "counsel's opinion"),
        (HOME_LAW, {"provided_to_exchange_on": None}, "provided to the exchange"),
        (PLAN, {"plan_description": ""}, "401\\(a\\)\\(13\\)"),
        (PLAN, {"plan_description": "  "}, "Describe the tax-qualified retirement plan"),
        (
            EXPENSE,
            {"amount_forgone": Decimal("120000.01"), "third_party_cost": Decimal("999999")},
            "outstanding",
        ),
        (EXPENSE, {"amount_forgone": Decimal("0")}, "must be positive"),
    ],
)
def test_impracticability_grounds_need_their_documentation(users, data, changes, message):
    case = in_recovery(users)
    decision = impracticability_decision(case, users)
    with pytest.raises(ValidationError, match=message):
        recovery.determine_impracticable(
            actor=users["secretary"],
            claim=claim_of(case, "evp"),
            decision=decision,
            now=NOW,
            **(data | changes),
        )
    assert not Impracticability.objects.exists()


@pytest.mark.parametrize("data", [EXPENSE, HOME_LAW | {"law_adopted_on": date(2022, 11, 27)}, PLAN])
def test_each_ground_with_its_documentation_is_accepted(users, data):
    case = in_recovery(users)
    decision = impracticability_decision(case, users)
    record = recovery.determine_impracticable(
        actor=users["secretary"], claim=claim_of(case, "evp"), decision=decision, now=NOW, **data
    )
    assert record.amount_forgone == Decimal("10000.00")
    position = recovery.claim_position_of(claim_of(case, "evp"), as_of=NOW.date())
    assert position.outstanding == EVP_EXCESS - Decimal("10000.00")


def test_impracticability_is_never_decided_by_the_full_board(users):
    case = in_recovery(users)
    with pytest.raises(ValidationError, match="not the Board"):
        impracticability_decision(case, users, body=Decision.Body.BOARD)
    # Even a Board decision slipped in some other way is refused.
    decision = Decision.objects.create(
        restatement=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        body=Decision.Body.BOARD,
        held_on=MEETING,
        quorum=1,
        resolution="RESOLVED",
        recorded_by=users["secretary"],
        adopted=True,
    )
    with pytest.raises(ValidationError, match="not the Board"):
        recovery.determine_impracticable(
            actor=users["secretary"], claim=claim_of(case, "evp"), decision=decision, now=NOW, **EXPENSE
        )


def test_impracticability_needs_an_adopted_impracticability_decision_used_once(users):
    case = in_recovery(users)
    seat(case.company, "board", users["committee"], users["board"])
    rejected = workflow.record_decision(
        actor=users["secretary"],
        case=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        body=Decision.Body.INDEPENDENT_DIRECTORS,
        held_on=MEETING + timedelta(days=20),
        members_present=[users["committee"], users["board"]],
        quorum=2,
        resolution="RESOLVED",
        votes={users["committee"]: "against", users["board"]: "against"},
        minutes=minutes(),
        now=NOW,
    )
    with pytest.raises(ValidationError, match="not adopted"):
        recovery.determine_impracticable(
            actor=users["secretary"], claim=claim_of(case, "evp"), decision=rejected, now=NOW, **EXPENSE
        )
    approval = workflow.approved_determination(case).decision
    with pytest.raises(ValidationError, match="not an impracticability determination"):
        recovery.determine_impracticable(
            actor=users["secretary"], claim=claim_of(case, "evp"), decision=approval, now=NOW, **EXPENSE
        )
    decision = impracticability_decision(case, users)
    recovery.determine_impracticable(
        actor=users["secretary"], claim=claim_of(case, "evp"), decision=decision, now=NOW, **EXPENSE
    )
    with pytest.raises(ValidationError, match="already supports"):
        recovery.determine_impracticable(
            actor=users["secretary"], claim=claim_of(case, "ceo"), decision=decision, now=NOW, **EXPENSE
        )


def test_impracticability_decisions_wait_for_the_approval(reviewed, users):
    with pytest.raises(ValidationError, match="record an impracticability decision"):
        impracticability_decision(reviewed, users)


# --- Successors ---------------------------------------------------------------------------------------------


def test_recovery_is_sought_from_a_former_executives_successor(users):
    case = in_recovery(users)
    evp = recovery.set_claim_party(
        actor=users["secretary"],
        claim=claim_of(case, "evp"),
        sought_from=RecoveryClaim.Party.EXECUTOR,
        party_name="Estate of Casey Lindqvist, J. Lindqvist executor",
        now=NOW,
    )
    assert (evp.sought_from, evp.party_name) == (
        "executor",
        "Estate of Casey Lindqvist, J. Lindqvist executor",
    )
    with pytest.raises(ValidationError, match="Name the person"):
        recovery.set_claim_party(
            actor=users["secretary"], claim=claim_of(case, "evp"), sought_from="heir", party_name="", now=NOW
        )
    with pytest.raises(ValidationError, match="current executive officer"):
        recovery.set_claim_party(
            actor=users["secretary"],
            claim=claim_of(case, "ceo"),
            sought_from="heir",
            party_name="A. Reyes",
            now=NOW,
        )
