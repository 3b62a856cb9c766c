"""What a clawback case and a recovery claim are reminded of (compliance_site.notifications;
docs/architecture.md), registered when ClawbackConfig.ready imports this module:

- a case under committee review: a review reminder every N days to the committee (not those recused);
- an active case: the fiscal year end's Item 402(w) data, to the Corporate Secretary and the committee;
- a claim with a balance outstanding: as it approaches and when it passes 180 days outstanding.

| a save of                     | reschedules                                       |
|-------------------------------|---------------------------------------------------|
| Restatement                   | the case (review, fiscal year end) and its claims |
| RecoveryClaim                 | the claim (180-day ageing)                        |
| RecoveryEvent (also deleted)  | its claim (the balance changed)                   |
| Impracticability (also del.)  | its claim (the balance changed)                   |
| company.FiscalPeriod          | the company's active cases (the year end moved)   |
| Decision, Vote                | the vote (opened, decided, one more member voted) |
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import FiscalPeriod
from compliance_site.lib import timefmt
from compliance_site.notifications import schedule
from compliance_site.notifications.registry import ReminderSource, register_source, register_trigger
from compliance_site.notifications.schedule import Kind, Planned
from compliance_site.notifications.sources import (
    EXCHANGE_TZ,
    MORNING_HOUR,
    ReminderConfig,
    next_fiscal_year_end,
    when,
)

from .models import Decision, Impracticability, RecoveryClaim, RecoveryEvent, Restatement, Vote

ACTIVE_CASE = (Restatement.Status.REVIEW, Restatement.Status.APPROVED, Restatement.Status.RECOVERY)


def review_started(restatement: Restatement) -> datetime:
    """When the case last entered committee review, from the audit trail (the status change to 'review');
    the case's creation when the trail has no such change (a case created straight into review by a
    fixture). Restatement has no field for it."""
    started = (
        AuditEvent.objects.filter(
            object_type=Restatement._meta.label_lower,
            object_id=str(restatement.pk),
            changes__status__1=Restatement.Status.REVIEW,
        )
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    return started or restatement.created_at


def claim_balance(claim: RecoveryClaim) -> Decimal:
    """Amount owed less what was recovered and what was determined impracticable to recover."""
    recovered = RecoveryEvent.objects.filter(claim=claim).aggregate(total=Sum("amount"))["total"] or 0
    forgone = (
        Impracticability.objects.filter(claim=claim).aggregate(total=Sum("amount_forgone"))["total"] or 0
    )
    return claim.amount_owed - Decimal(recovered) - Decimal(forgone)


def _case_url(restatement: Restatement) -> str:
    return reverse("clawback:restatement-detail", args=[restatement.pk])


# ---- the case ----


def case_plans(case: Restatement, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    plans: tuple[Planned, ...] = ()
    if case.status == Restatement.Status.REVIEW:
        plans += schedule.review_reminders(
            review_started=review_started(case), every=config.review_every, now=now
        )
    if case.status in ACTIVE_CASE:
        period = next_fiscal_year_end(case.company_id, now=now)
        if period is not None:
            plans += schedule.fiscal_year_end_reminders(
                fiscal_year_end=period.end,
                lead_days=config.fiscal_year_lead_days,
                now=now,
                tz=EXCHANGE_TZ,
                hour=MORNING_HOUR,
            )
    return plans


def _case_ref(case: Restatement) -> str:
    """How a reminder names a case: its number and title (a title names the restatement, never a person;
    compliance_site/notifications/registry.py says what a message may contain)."""
    return f"case #{case.pk} ({case.title})"


def case_message(reminder, case: Restatement, *, now: datetime) -> tuple[str, str]:
    if reminder.kind == Kind.REVIEW_DUE:
        days = max(0, (now - reminder.anchor_at).days)
        return (
            f"Committee review due: {_case_ref(case)}, in review {days} days",
            f"Committee review of {_case_ref(case)} began {when(reminder.anchor_at)}. "
            f"Review the determination and record the committee's decision on the case's page.",
        )
    end = timefmt.in_zone(reminder.anchor_at, timefmt.EXCHANGE_TZ).date()
    return (
        f"Fiscal-year-end disclosure data due: {_case_ref(case)}, year end {end:%Y-%m-%d}",
        f"Item 402(w) disclosure for the fiscal year ending {end:%Y-%m-%d} needs the data of "
        f"{_case_ref(case)}: what each executive owes, what was recovered and what is outstanding, and any "
        f"impracticability determinations, all on the case's page. Reminder: {reminder.label}.",
    )


def recused_from_review(kind: str, case: Restatement) -> set[int]:
    """Committee members recused from a case vote on nothing: they get no review reminders for it."""
    if kind == Kind.REVIEW_DUE:
        return set(case.recusals.values_list("user_id", flat=True))
    return set()


register_source(
    ReminderSource(
        model=Restatement,
        roles={Kind.REVIEW_DUE: (Role.COMMITTEE,), Kind.FISCAL_YEAR_END: (Role.SECRETARY, Role.COMMITTEE)},
        plans=case_plans,
        message=case_message,
        url=_case_url,
        excluded_users=recused_from_review,
        series=((Q(status=Restatement.Status.REVIEW), Kind.REVIEW_DUE),),
    )
)


# ---- the claim ----


def claim_plans(claim: RecoveryClaim, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    if claim.restatement.status == Restatement.Status.CLOSED or claim_balance(claim) <= 0:
        return ()
    return schedule.ageing_reminders(
        determined_on=claim.determined_on,
        lead_days=config.ageing_lead_days,
        now=now,
        tz=EXCHANGE_TZ,
        hour=MORNING_HOUR,
    )


def claim_message(reminder, claim: RecoveryClaim, *, now: datetime) -> tuple[str, str]:
    # Neither the executive nor the balance: a forwarded e-mail must not say who owes what (registry.py).
    day180 = claim.determined_on + timedelta(days=schedule.OUTSTANDING_DAYS)
    claim_ref = f"claim #{claim.pk} in {_case_ref(claim.restatement)}"
    if reminder.kind == Kind.RECOVERY_OUTSTANDING:
        title = f"Recovery outstanding 180 days: {claim_ref}"
    else:
        title = f"Recovery nearing 180 days: {claim_ref}, day 180 on {day180:%Y-%m-%d}"
    body = (
        f"Recovery {claim_ref} has a balance outstanding since {claim.determined_on:%Y-%m-%d}. Item 402(w) "
        f"discloses balances outstanding 180 days or longer (day 180: {day180:%Y-%m-%d}). The executive, "
        f"the amount and what was recovered are on the case's page. Reminder: {reminder.label}."
    )
    return title, body


register_source(
    ReminderSource(
        model=RecoveryClaim,
        roles={
            Kind.RECOVERY_APPROACHING: (Role.SECRETARY, Role.COMMITTEE),
            Kind.RECOVERY_OUTSTANDING: (Role.SECRETARY, Role.COMMITTEE),
        },
        plans=claim_plans,
        message=claim_message,
        url=lambda claim: _case_url(claim.restatement),
        subject=lambda claim: claim.restatement,  # who may see the case may hear about its claims
    )
)


# ---- what reschedules them ----


def _case_and_claims(case: Restatement):
    yield case
    yield from case.claims.all()


def _the_claim(claim: RecoveryClaim):
    return [claim]


def _claim_of(entry: RecoveryEvent | Impracticability):
    """A recovery step or an impracticability determination, saved or deleted: its claim's balance moved."""
    return [entry.claim]


def _active_cases_of(period: FiscalPeriod):
    """A fiscal period saved: the year end the company's active cases count towards may have moved."""
    return Restatement.objects.filter(company_id=period.company_id, status__in=ACTIVE_CASE)


register_trigger(Restatement, _case_and_claims)
register_trigger(RecoveryClaim, _the_claim)
register_trigger(RecoveryEvent, _claim_of, on_delete=True)
register_trigger(Impracticability, _claim_of, on_delete=True)
register_trigger(FiscalPeriod, _active_cases_of)


# ---- votes of the body ----

VOTE_CLOSING_LEAD = timedelta(hours=24)


def vote_plans(decision: Decision, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    if decision.status != Decision.Status.OPEN or decision.opened_at is None or decision.closes_at is None:
        return ()
    return schedule.vote_reminders(
        opened_at=decision.opened_at, closes_at=decision.closes_at, lead=VOTE_CLOSING_LEAD, now=now
    )


def vote_message(reminder, decision: Decision, *, now: datetime) -> tuple[str, str]:
    # No amounts, no names, not the resolution's text: the message says where to look, the vote's page says
    # the rest (registry.py).
    closes = when(decision.closes_at)
    what = decision.get_kind_display()
    case = _case_ref(decision.restatement)
    if reminder.kind == Kind.VOTE_OPEN:
        title = f"Your vote is requested: {what}, {case}"
    else:
        title = f"Vote closing {closes}: {what}, {case}"
    body = (
        f"The {decision.get_body_display()} is asked to vote on a resolution to {what.lower()} in "
        f"{case}. Open the vote, review the determination (SHA-256 {decision.determination_sha256[:12]}…) "
        f"and vote for yourself before {closes}."
    )
    return title, body


def not_waiting_on(kind: str, decision: Decision) -> set[int]:
    """Only members who may vote and have not voted yet are notified and reminded."""
    waiting = set(decision.eligible.values_list("pk", flat=True)) - set(
        decision.votes.values_list("member_id", flat=True)
    )
    holders = RoleAssignment.objects.filter(role__in=(Role.BOARD, Role.COMMITTEE)).values_list(
        "user_id", flat=True
    )
    return set(holders) - waiting


register_source(
    ReminderSource(
        model=Decision,
        roles={Kind.VOTE_OPEN: (Role.BOARD, Role.COMMITTEE), Kind.VOTE_CLOSING: (Role.BOARD, Role.COMMITTEE)},
        plans=vote_plans,
        message=vote_message,
        url=lambda decision: reverse("clawback:decision-detail", args=[decision.pk]),
        subject=lambda decision: decision.restatement,
        excluded_users=not_waiting_on,
    )
)


def _the_vote(decision: Decision):
    return [decision]


def _vote_of(vote: Vote):
    return [vote.decision]


register_trigger(Decision, _the_vote)
register_trigger(Vote, _vote_of)
