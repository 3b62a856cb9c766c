"""Shared set-up for the workflow tests: the worked example 2 imported as a case (a TSR award needing the
committee's reasonable estimate), and helpers that walk it through review, approval and recovery.

Example 2 on the restated basis: the CEO's FY2024 bonus is $75,000 too high; the EVP's FY2025 bonus
$120,000; the CEO's relative-TSR PSU waits for an estimate. With the estimate of the 55th percentile
(60th originally) the PSU pays 24,000 of the 28,000 shares received: 4,000 shares x $62.50 = $250,000.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from clawback.models import Award, Decision, RecoveryClaim, RecoveryEvent, Recusal, Restatement, Vote
from clawback.scenario import load_scenario
from clawback.services import determinations as workflow
from clawback.services import import_scenario, recovery
from compliance_site.company.models import Company
from tests.clawback.compare import example_path
from tests.governance import minutes, seat, sign

ET = ZoneInfo("America/New_York")
# A fixed "now" after every date of example 2, so the tests never depend on the clock.
NOW = datetime(2027, 1, 15, 15, 0, tzinfo=ET)
TODAY = NOW.date()
MEETING = date(2026, 12, 10)

CEO_EXCESS = Decimal("325000.00")  # 75,000 bonus + 250,000 PSU (4,000 shares)
EVP_EXCESS = Decimal("120000.00")


def import_example_2(actor, *, title: str = "FY2024–FY2025 operating income restatement") -> Restatement:
    company = Company.objects.create(name="Harbor Instruments Inc.", ticker="HBR")
    scenario = load_scenario(example_path(2).read_text())
    # Created with real dates first: import_scenario hands FiscalPeriod ISO strings, which its __str__
    # (called by the audit trail on create) cannot format.
    for period in scenario.fiscal_periods:
        company.fiscal_periods.create(label=period.label, start=period.start, end=period.end)
    return import_scenario(actor=actor, company=company, scenario=scenario, title=title)


def award(case: Restatement, key: str) -> Award:
    return Award.objects.get(executive__company=case.company, key=key)


def recuse(case: Restatement, user) -> None:
    Recusal.objects.create(restatement=case, user=user, reason="Sat on the audit committee in FY2025")


def record_tsr_estimate(case, actor, *, provided: bool = True, now=NOW):
    return workflow.record_estimate(
        actor=actor,
        case=case,
        award=award(case, "ceo-tsr-psu"),
        restated_value=Decimal("55"),
        method="Event study: abnormal return on the restatement announcement applied to the TSR percentile.",
        documents="Event study memo (Valuation advisers, 2026-11-30)\nPeer TSR data extract",
        adopted_on=date(2026, 12, 1),
        provided_to_exchange_on=date(2026, 12, 3) if provided else None,
        now=now,
    )


def approve(
    case,
    users,
    *,
    members=("committee", "board"),
    votes=None,
    body=Decision.Body.COMPENSATION_COMMITTEE,
    quorum=2,
    held_on=MEETING,
    now=NOW,
    **more,
):
    """Record an approval of the determination by `body` (the committee): unless `votes` say otherwise, the
    members present vote for."""
    present = [users[m] for m in members]
    seat(case.company, body, *present, chair=present[0])
    more.setdefault("minutes", minutes())
    decision = workflow.record_decision(
        actor=users["secretary"],
        case=case,
        kind=Decision.Kind.APPROVE_DETERMINATION,
        body=body,
        held_on=held_on,
        members_present=present,
        quorum=quorum,
        resolution="RESOLVED, that the recovery determination is approved.",
        votes=votes if votes is not None else {m: Vote.Choice.FOR for m in present},
        now=now,
        **more,
    )
    # The chair and the secretary sign what was adopted, as they would the next morning.
    return sign(decision, now=now) if decision.adopted else decision


def reviewed_example_2(users) -> Restatement:
    """Example 2 under review, committee2 recused, no estimate yet."""
    case = import_example_2(users["secretary"])
    recuse(case, users["committee2"])
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    return case


def approved_example_2(users) -> Restatement:
    """Example 2 submitted, estimated and approved, committee2 recused."""
    case = reviewed_example_2(users)
    record_tsr_estimate(case, users["committee"])
    approve(case, users)
    case.refresh_from_db()
    return case


def in_recovery(users) -> Restatement:
    case = approved_example_2(users)
    workflow.confirm_no_indemnification(actor=users["secretary"], case=case, now=NOW)
    workflow.start_recovery(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    return case


def impracticability_decision(
    case, users, *, body=Decision.Body.COMPENSATION_COMMITTEE, held_on=None, now=NOW
):
    present = [users["committee"], users["board"]]
    seat(case.company, body, *present, chair=present[0])
    return workflow.record_decision(
        actor=users["secretary"],
        case=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        body=body,
        held_on=held_on or (MEETING + timedelta(days=20)),
        members_present=present,
        quorum=2,
        resolution="RESOLVED, that recovery of the amount stated is impracticable.",
        votes={m: Vote.Choice.FOR for m in present},
        minutes=minutes(),
        now=now,
    )


def claim_of(case, key) -> RecoveryClaim:
    """The case's claim against the executive `key`."""
    return RecoveryClaim.objects.get(restatement=case, executive__key=key)


def recover(
    claim,
    actor,
    *,
    amount,
    units=Decimal(0),
    occurred_on=date(2026, 12, 20),
    method=RecoveryEvent.Method.CASH,
    evidence="Wire",
    now=NOW,
) -> RecoveryEvent:
    """Record a recovery on `claim`: by default a cash wire on 20 December 2026, after example 2's approval."""
    return recovery.record_recovery_event(
        actor=actor,
        claim=claim,
        occurred_on=occurred_on,
        method=method,
        amount=amount,
        units=units,
        evidence=evidence,
        now=now,
    )
