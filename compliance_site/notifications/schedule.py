"""When reminders fall due: the pure rule module of the notifications app.

Standard library only; frozen dataclasses out; `now`, the offsets and the time zone are passed in, so the
schedule is tested in milliseconds and reads as a spec:

- Reg FD incident (policy I.B, the working deadline `due_at`): a reminder at each offset before the deadline
  (defaults 12 h, 4 h, 1 h and at the deadline), then an escalation every `every` while it stays overdue.
- Clawback case under committee review: a reminder every N days of review.
- Recovery claim with a balance outstanding: one reminder as the balance approaches 180 days outstanding and
  one when it passes 180 days (Item 402(w)(1)(iii) discloses balances outstanding 180 days or longer since the
  date the amount owed was determined).
- Fiscal year end: disclosure data (Item 402(w)) due, at each lead time before the fiscal year end.

Instants already past when the schedule is computed are not all replayed: only the latest past one is kept
(it is due at once), so an incident logged 3 hours before its deadline gets one "due in 4 h" reminder rather
than a burst of stale ones, and a worker that was down for a day sends one escalation, not six.
"""

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RULE_VERSION = "reminders/1"
OUTSTANDING_DAYS = 180


class Kind(enum.StrEnum):
    """What a reminder is about; the values are stored in Reminder.kind."""

    INCIDENT_DUE = "incident_due"
    INCIDENT_OVERDUE = "incident_overdue"
    REVIEW_DUE = "review_due"
    RECOVERY_APPROACHING = "recovery_approaching"
    RECOVERY_OUTSTANDING = "recovery_outstanding"
    FISCAL_YEAR_END = "fiscal_year_end"
    VOTE_OPEN = "vote_open"
    VOTE_CLOSING = "vote_closing"


@dataclass(frozen=True)
class Planned:
    """One reminder to exist: `due_at` when it is sent, `anchor_at` the deadline or start it was computed from
    (a pending reminder whose anchor is no longer the record's is obsolete), `label` what it says."""

    kind: Kind
    due_at: datetime
    anchor_at: datetime
    label: str


def _check_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass aware times (UTC in storage)")


def keep_future_and_latest_past(plans: Iterable[Planned], *, now: datetime) -> tuple[Planned, ...]:
    """Every plan due after `now`, plus the single latest one due at or before `now`, in due order."""
    ordered = sorted(set(plans), key=lambda p: (p.due_at, p.kind, p.label))
    past = [p for p in ordered if p.due_at <= now]
    future = [p for p in ordered if p.due_at > now]
    return tuple(past[-1:] + future)


def _describe_offset(offset: timedelta) -> str:
    if offset == timedelta(0):
        return "at the deadline"
    hours = offset.total_seconds() / 3600
    if hours >= 1 and hours == int(hours):
        return f"{int(hours)} h before the deadline"
    minutes = offset.total_seconds() / 60
    if minutes >= 1 and minutes == int(minutes):
        return f"{int(minutes)} min before the deadline"
    return f"{offset.total_seconds():g} s before the deadline"


def deadline_reminders(
    *, deadline: datetime, offsets: Sequence[timedelta], now: datetime
) -> tuple[Planned, ...]:
    """Reminders before (and at) an incident's working deadline: one per offset, stale ones collapsed."""
    _check_aware(deadline, now)
    if any(offset < timedelta(0) for offset in offsets):
        raise ValueError("reminder offsets are before the deadline: use non-negative durations")
    plans = {
        Planned(Kind.INCIDENT_DUE, deadline - offset, deadline, _describe_offset(offset))
        for offset in offsets
    }
    # Two offsets can never share a due time: keep the first label for a duplicated offset.
    by_due: dict[datetime, Planned] = {}
    for plan in sorted(plans, key=lambda p: p.label):
        by_due.setdefault(plan.due_at, plan)
    return keep_future_and_latest_past(by_due.values(), now=now)


def repeating(
    *, kind: Kind, start: datetime, every: timedelta, now: datetime, label: str
) -> tuple[Planned, ...]:
    """A series at start + k·every (k ≥ 1): the latest instant already due (if any) and the next one.

    The series is open-ended (an escalation repeats while the incident stays overdue), so only the next
    instant is ever stored; sending one schedules the one after.
    """
    _check_aware(start, now)
    if every <= timedelta(0):
        raise ValueError("a repeating reminder needs a positive interval")
    elapsed = now - start
    k_last = math.floor(elapsed / every) if elapsed >= every else 0
    plans = []
    if k_last >= 1:
        plans.append(Planned(kind, start + k_last * every, start, label))
    plans.append(Planned(kind, start + (k_last + 1) * every, start, label))
    return tuple(plans)


def escalations(*, deadline: datetime, every: timedelta, now: datetime) -> tuple[Planned, ...]:
    """Escalation of an overdue incident to the authorized officers and counsel, every `every` after it."""
    return repeating(
        kind=Kind.INCIDENT_OVERDUE, start=deadline, every=every, now=now, label="overdue: escalation"
    )


def review_reminders(*, review_started: datetime, every: timedelta, now: datetime) -> tuple[Planned, ...]:
    """A case under committee review: a reminder each time it has been in review another `every`."""
    return repeating(
        kind=Kind.REVIEW_DUE, start=review_started, every=every, now=now, label="committee review due"
    )


def vote_reminders(
    *, opened_at: datetime, closes_at: datetime, lead: timedelta, now: datetime
) -> tuple[Planned, ...]:
    """A vote of the body: a notice to the members when it opens, and a reminder `lead` before it closes
    (none when the vote is shorter than the lead: the opening notice says when it closes)."""
    _check_aware(opened_at, closes_at, now)
    plans = [Planned(Kind.VOTE_OPEN, opened_at, closes_at, "vote opened")]
    if closes_at - lead > opened_at:
        label = _describe_offset(lead).replace("the deadline", "the vote closes")
        plans.append(Planned(Kind.VOTE_CLOSING, closes_at - lead, closes_at, label))
    return keep_future_and_latest_past(plans, now=now)


def local_morning(day: date, *, tz: str, hour: int) -> datetime:
    """`hour`:00 on `day` in zone `tz`, as an aware UTC datetime.

    The wall-clock time is built in the local zone and converted straight back: across a DST
    change, 9:00 ET stays 9:00 ET (13:00 or 14:00 UTC), where adding 24 h in UTC would drift by an hour.
    """
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def ageing_reminders(
    *, determined_on: date, lead_days: int, now: datetime, tz: str, hour: int
) -> tuple[Planned, ...]:
    """A recovery balance approaching (180 − lead days) and passing 180 days outstanding since the amount
    owed was determined."""
    _check_aware(now)
    if not 0 < lead_days < OUTSTANDING_DAYS:
        raise ValueError(f"lead_days must be between 1 and {OUTSTANDING_DAYS - 1}")
    anchor = local_morning(determined_on, tz=tz, hour=hour)
    passing_day = determined_on + timedelta(days=OUTSTANDING_DAYS)
    approaching_day = passing_day - timedelta(days=lead_days)
    plans = [
        Planned(
            Kind.RECOVERY_APPROACHING,
            local_morning(approaching_day, tz=tz, hour=hour),
            anchor,
            f"{lead_days} days before {OUTSTANDING_DAYS} days outstanding",
        ),
        Planned(
            Kind.RECOVERY_OUTSTANDING,
            local_morning(passing_day, tz=tz, hour=hour),
            anchor,
            f"{OUTSTANDING_DAYS} days outstanding",
        ),
    ]
    return keep_future_and_latest_past(plans, now=now)


def fiscal_year_end_reminders(
    *, fiscal_year_end: date, lead_days: Sequence[int], now: datetime, tz: str, hour: int
) -> tuple[Planned, ...]:
    """Disclosure data as of the fiscal year end is due: a reminder `lead` days before it, for each lead."""
    _check_aware(now)
    if any(lead < 0 for lead in lead_days):
        raise ValueError("fiscal-year-end lead days are before the year end: use non-negative numbers")
    anchor = local_morning(fiscal_year_end, tz=tz, hour=hour)
    plans = [
        Planned(
            Kind.FISCAL_YEAR_END,
            local_morning(fiscal_year_end - timedelta(days=lead), tz=tz, hour=hour),
            anchor,
            "at the fiscal year end" if lead == 0 else f"{lead} days before the fiscal year end",
        )
        for lead in sorted(set(lead_days), reverse=True)
    ]
    return keep_future_and_latest_past(plans, now=now)
