"""What each kind of record is reminded of, who receives it and what it says.

The seam between the reminder machinery and the regulated records: regfd and clawback know nothing of
reminders. For each record type this module answers, from the record's current state only:

- `current_anchors(record)`: the deadline or start each reminder kind counts from (nothing while inactive);
- `plans_for(record)`: the reminders that should exist (schedule.py computes the instants);
- `subject_of(record)`: the record whose visibility decides who may receive it and where it links;
- `message_for(reminder, record)`: the title and body.

Recipients follow the roles (issue 6): the Corporate Secretary gets incident reminders; the authorized
officers and counsel get escalations; committee members get review reminders (not those recused from the
case); the Secretary and the committee get recovery ageing and fiscal-year-end reminders. Nobody receives a
reminder about a record they may not see (a covered executive never hears about their own case).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from clawback.models import Impracticability, RecoveryClaim, RecoveryEvent, Restatement
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import FiscalPeriod
from compliance_site.lib import timefmt
from regfd.models import Incident

from . import schedule
from .schedule import Kind, Planned

EXCHANGE_TZ = "America/New_York"
MORNING_HOUR = 9  # day-based reminders (review, ageing, fiscal year end) go out at 9:00 ET

ROLES: dict[Kind, tuple[str, ...]] = {
    Kind.INCIDENT_DUE: (Role.SECRETARY,),
    Kind.INCIDENT_OVERDUE: (Role.OFFICER, Role.COUNSEL),
    Kind.REVIEW_DUE: (Role.COMMITTEE,),
    Kind.RECOVERY_APPROACHING: (Role.SECRETARY, Role.COMMITTEE),
    Kind.RECOVERY_OUTSTANDING: (Role.SECRETARY, Role.COMMITTEE),
    Kind.FISCAL_YEAR_END: (Role.SECRETARY, Role.COMMITTEE),
}

ACTIVE_CASE = (Restatement.Status.REVIEW, Restatement.Status.APPROVED, Restatement.Status.RECOVERY)


@dataclass(frozen=True)
class ReminderConfig:
    """The reminder settings (settings.py, from the environment), read once per service call."""

    offsets: tuple[timedelta, ...]
    escalate_every: timedelta
    review_every: timedelta
    ageing_lead_days: int
    fiscal_year_lead_days: tuple[int, ...]
    reenqueue_after: timedelta
    sending_lease: timedelta
    max_attempts: int


def current_config() -> ReminderConfig:
    return ReminderConfig(
        offsets=tuple(timedelta(hours=h) for h in getattr(settings, "REMINDER_OFFSETS_HOURS", (12, 4, 1, 0))),
        escalate_every=timedelta(hours=getattr(settings, "ESCALATION_EVERY_HOURS", 4)),
        review_every=timedelta(days=getattr(settings, "REMINDER_REVIEW_DAYS", 14)),
        ageing_lead_days=getattr(settings, "REMINDER_AGEING_LEAD_DAYS", 30),
        fiscal_year_lead_days=tuple(getattr(settings, "REMINDER_FISCAL_YEAR_LEAD_DAYS", (30, 0))),
        reenqueue_after=timedelta(seconds=getattr(settings, "REMINDER_REENQUEUE_SECONDS", 300)),
        sending_lease=timedelta(seconds=getattr(settings, "REMINDER_SENDING_LEASE_SECONDS", 300)),
        max_attempts=getattr(settings, "REMINDER_MAX_ATTEMPTS", 5),
    )


SOURCE_MODELS = (Incident, Restatement, RecoveryClaim)


# ---- anchors: what each kind counts from, given the record's state now ----


def review_started(restatement: Restatement) -> datetime:
    """When the case last entered committee review, from the audit trail (the status change to 'review');
    the case's creation when the trail has no such change (a case created straight into review by a
    fixture). Restatement has no field for it, and reading the trail keeps clawback untouched."""
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


def next_fiscal_year_end(company_id: int, *, now: datetime) -> FiscalPeriod | None:
    """The first fiscal period whose year-end reminders are not all behind us (a period whose last reminder,
    at its end date, has passed gives way to the next one, so sending it schedules the next year's)."""
    today = timefmt.in_zone(now, timefmt.EXCHANGE_TZ).date()
    for period in FiscalPeriod.objects.filter(company_id=company_id, end__gte=today).order_by("end")[:2]:
        if schedule.local_morning(period.end, tz=EXCHANGE_TZ, hour=MORNING_HOUR) > now:
            return period
    return None


def claim_balance(claim: RecoveryClaim) -> Decimal:
    """Amount owed less what was recovered and what was determined impracticable to recover."""
    recovered = RecoveryEvent.objects.filter(claim=claim).aggregate(total=Sum("amount"))["total"] or 0
    forgone = (
        Impracticability.objects.filter(claim=claim).aggregate(total=Sum("amount_forgone"))["total"] or 0
    )
    return claim.amount_owed - Decimal(recovered) - Decimal(forgone)


def plans_for(record, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    """The reminders that should exist for `record` as it stands (empty while it needs none)."""
    if isinstance(record, Incident):
        if record.status != Incident.Status.OPEN:
            return ()
        return schedule.deadline_reminders(
            deadline=record.due_at, offsets=config.offsets, now=now
        ) + schedule.escalations(deadline=record.due_at, every=config.escalate_every, now=now)
    if isinstance(record, Restatement):
        plans: tuple[Planned, ...] = ()
        if record.status == Restatement.Status.REVIEW:
            plans += schedule.review_reminders(
                review_started=review_started(record), every=config.review_every, now=now
            )
        if record.status in ACTIVE_CASE:
            period = next_fiscal_year_end(record.company_id, now=now)
            if period is not None:
                plans += schedule.fiscal_year_end_reminders(
                    fiscal_year_end=period.end,
                    lead_days=config.fiscal_year_lead_days,
                    now=now,
                    tz=EXCHANGE_TZ,
                    hour=MORNING_HOUR,
                )
        return plans
    if isinstance(record, RecoveryClaim):
        if record.restatement.status == Restatement.Status.CLOSED or claim_balance(record) <= 0:
            return ()
        return schedule.ageing_reminders(
            determined_on=record.determined_on,
            lead_days=config.ageing_lead_days,
            now=now,
            tz=EXCHANGE_TZ,
            hour=MORNING_HOUR,
        )
    raise TypeError(f"no reminders are defined for {type(record).__name__}")


def current_anchors(record, *, now: datetime, config: ReminderConfig) -> dict[str, datetime]:
    """{kind: anchor} of the reminders the record needs now; a pending reminder with another anchor is
    obsolete (the deadline moved, the record closed, review restarted)."""
    return {plan.kind.value: plan.anchor_at for plan in plans_for(record, now=now, config=config)}


# ---- who may receive it, and where it links ----


def subject_of(record):
    """The record whose visibility decides who may receive the reminder, and whose page it links to."""
    return record.restatement if isinstance(record, RecoveryClaim) else record


def url_of(record) -> str:
    subject = subject_of(record)
    if isinstance(subject, Incident):
        return reverse("regfd:incident-detail", args=[subject.pk])
    return reverse("clawback:restatement-detail", args=[subject.pk])


def excluded_users(reminder_kind: str, record) -> set[int]:
    """Committee members recused from a case vote on nothing: they get no review reminders for it."""
    if reminder_kind == Kind.REVIEW_DUE and isinstance(record, Restatement):
        return set(record.recusals.values_list("user_id", flat=True))
    return set()


# ---- what it says ----


def _when(instant: datetime) -> str:
    return f"{timefmt.label(instant, timefmt.EXCHANGE_TZ)} ({instant:%Y-%m-%d %H:%M} UTC)"


def message_for(reminder, record, *, now: datetime) -> tuple[str, str]:
    """(title, body) for `reminder` about `record`, from the record as it stands when it is sent."""
    kind = reminder.kind
    if isinstance(record, Incident):
        remaining = timefmt.describe_remaining(record.due_at - now)
        if kind == Kind.INCIDENT_OVERDUE:
            title = f"Escalation: {record.reference} public disclosure {remaining}"
        else:
            title = f"{record.reference}: public disclosure due " + (
                f"in {remaining}" if record.due_at > now else f"now ({remaining})"
            )
        body = (
            f"{record.title}\n"
            f"Working deadline (Regulation FD, policy I.B): {_when(record.due_at)}.\n"
            f"Outer limit: {_when(record.outer_limit)}.\n"
            f"Make the public disclosure (Form 8-K or a press release) and record it, or close the incident "
            f"with the reason disclosure is not required. Reminder: {reminder.label}."
        )
        return title, body
    if isinstance(record, Restatement):
        if kind == Kind.REVIEW_DUE:
            days = max(0, (now - reminder.anchor_at).days)
            return (
                f"Committee review due: {record.title} (in review {days} days)",
                f"The case {record.title!r} has been under committee review since "
                f"{_when(reminder.anchor_at)}. Review the determination and record the committee's decision.",
            )
        end = timefmt.in_zone(reminder.anchor_at, timefmt.EXCHANGE_TZ).date()
        return (
            f"Fiscal-year-end disclosure data due: {record.title} (year end {end:%Y-%m-%d})",
            f"Item 402(w) disclosure for the fiscal year ending {end:%Y-%m-%d} needs the case's data: "
            f"amounts owed, recovered and outstanding per executive, and impracticability determinations. "
            f"Reminder: {reminder.label}.",
        )
    if isinstance(record, RecoveryClaim):
        balance = claim_balance(record)
        day180 = record.determined_on + timedelta(days=schedule.OUTSTANDING_DAYS)
        if kind == Kind.RECOVERY_OUTSTANDING:
            title = f"Recovery outstanding 180 days: {record.executive} owes ${balance:,.2f}"
        else:
            title = (
                f"Recovery nearing 180 days: {record.executive} owes ${balance:,.2f} (day 180 on {day180})"
            )
        body = (
            f"Case {record.restatement.title!r}: ${balance:,.2f} of ${record.amount_owed:,.2f} owed is "
            f"outstanding since {record.determined_on:%Y-%m-%d}. Item 402(w) discloses balances outstanding "
            f"180 days or longer (day 180: {day180:%Y-%m-%d}). Reminder: {reminder.label}."
        )
        return title, body
    raise TypeError(f"no reminders are defined for {type(record).__name__}")
