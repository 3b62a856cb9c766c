"""The pure reminder schedule (compliance_site/notifications/schedule.py): no database, table-driven."""

from datetime import UTC, date, datetime, timedelta

import pytest

from compliance_site.notifications import schedule
from compliance_site.notifications.models import Reminder
from compliance_site.notifications.schedule import Kind

H = timedelta(hours=1)
DEADLINE = datetime(2026, 3, 4, 14, 30, tzinfo=UTC)
DEFAULT_OFFSETS = (12 * H, 4 * H, 1 * H, 0 * H)


def _hours_before(plans, deadline=DEADLINE):
    return [(deadline - p.due_at) / H for p in plans]


@pytest.mark.parametrize(
    ("now", "expected_hours_before"),
    [
        # Logged a day ahead: every reminder is in the future.
        (DEADLINE - 24 * H, [12, 4, 1, 0]),
        # Logged 5 h before: the 12 h reminder is past; it is kept (due at once) as the latest past one.
        (DEADLINE - 5 * H, [12, 4, 1, 0]),
        # Logged 3 h before: 12 h and 4 h are past; only the 4 h one is kept — no burst of stale reminders.
        (DEADLINE - 3 * H, [4, 1, 0]),
        # 30 minutes before: the 1 h reminder is due at once, the deadline one later.
        (DEADLINE - timedelta(minutes=30), [1, 0]),
        # After the deadline: the at-the-deadline reminder only (escalation takes over).
        (DEADLINE + 2 * H, [0]),
    ],
)
def test_deadline_reminders_keep_the_future_and_only_the_latest_past(now, expected_hours_before):
    plans = schedule.deadline_reminders(deadline=DEADLINE, offsets=DEFAULT_OFFSETS, now=now)
    assert _hours_before(plans) == expected_hours_before
    assert all(p.kind == Kind.INCIDENT_DUE and p.anchor_at == DEADLINE for p in plans)
    assert [p.due_at for p in plans] == sorted(p.due_at for p in plans)


def test_deadline_reminders_are_labelled_and_deduplicated():
    plans = schedule.deadline_reminders(
        deadline=DEADLINE, offsets=(4 * H, 4 * H, timedelta(minutes=30), timedelta(0)), now=DEADLINE - 24 * H
    )
    assert [p.label for p in plans] == [
        "4 h before the deadline",
        "30 min before the deadline",
        "at the deadline",
    ]


def test_deadline_reminders_refuse_negative_offsets_and_naive_times():
    with pytest.raises(ValueError, match="non-negative"):
        schedule.deadline_reminders(deadline=DEADLINE, offsets=(-H,), now=DEADLINE)
    with pytest.raises(ValueError, match="naive"):
        schedule.deadline_reminders(deadline=DEADLINE.replace(tzinfo=None), offsets=(H,), now=DEADLINE)


@pytest.mark.parametrize(
    ("hours_after_deadline", "expected_hours_after"),
    [
        (-10, [4]),  # not overdue yet: the first escalation, 4 h after the deadline
        (0, [4]),
        (3.9, [4]),
        (4, [4, 8]),  # exactly due: it is the latest past one, and the next is scheduled
        (5, [4, 8]),
        (13, [12, 16]),  # a worker down for half a day: one escalation now, not three
    ],
)
def test_escalations_every_four_hours_while_overdue(hours_after_deadline, expected_hours_after):
    now = DEADLINE + hours_after_deadline * H
    plans = schedule.escalations(deadline=DEADLINE, every=4 * H, now=now)
    assert [(p.due_at - DEADLINE) / H for p in plans] == expected_hours_after
    assert all(p.kind == Kind.INCIDENT_OVERDUE and p.anchor_at == DEADLINE for p in plans)


def test_repeating_needs_a_positive_interval():
    with pytest.raises(ValueError, match="positive"):
        schedule.escalations(deadline=DEADLINE, every=timedelta(0), now=DEADLINE)


@pytest.mark.parametrize(
    ("days_in_review", "expected_days"),
    [(0, [14]), (13, [14]), (14, [14, 28]), (30, [28, 42])],
)
def test_review_reminders_every_n_days_in_review(days_in_review, expected_days):
    started = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    plans = schedule.review_reminders(
        review_started=started, every=timedelta(days=14), now=started + timedelta(days=days_in_review)
    )
    assert [(p.due_at - started).days for p in plans] == expected_days
    assert {p.kind for p in plans} == {Kind.REVIEW_DUE}


@pytest.mark.parametrize(
    ("day", "expected_utc_hour"),
    [
        (date(2026, 1, 15), 14),  # EST: 9:00 ET = 14:00 UTC
        (date(2026, 7, 15), 13),  # EDT: 9:00 ET = 13:00 UTC
        (date(2026, 3, 8), 13),  # the DST change day itself: still 9:00 on the wall clock
        (date(2026, 11, 1), 14),
    ],
)
def test_local_morning_stays_at_nine_eastern_across_dst(day, expected_utc_hour):
    instant = schedule.local_morning(day, tz="America/New_York", hour=9)
    assert instant.tzinfo == UTC and instant.hour == expected_utc_hour and instant.date() == day


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            date(2026, 1, 2),
            [("recovery_approaching", date(2026, 5, 31)), ("recovery_outstanding", date(2026, 6, 30))],
        ),
        (
            date(2026, 6, 1),
            [("recovery_approaching", date(2026, 5, 31)), ("recovery_outstanding", date(2026, 6, 30))],
        ),
        (date(2026, 7, 1), [("recovery_outstanding", date(2026, 6, 30))]),
    ],
)
def test_ageing_reminders_before_and_at_180_days_outstanding(today, expected):
    # Determined on 2026-01-01: day 180 is 2026-06-30; 30 days' lead is 2026-05-31.
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + 18 * H
    plans = schedule.ageing_reminders(
        determined_on=date(2026, 1, 1), lead_days=30, now=now, tz="America/New_York", hour=9
    )
    assert [(p.kind.value, p.due_at.date()) for p in plans] == expected


def test_ageing_lead_must_fall_inside_the_180_days():
    with pytest.raises(ValueError):
        schedule.ageing_reminders(
            determined_on=date(2026, 1, 1), lead_days=180, now=DEADLINE, tz="America/New_York", hour=9
        )


@pytest.mark.parametrize(
    ("today", "expected_days_before"),
    [(date(2026, 11, 1), [30, 0]), (date(2026, 12, 15), [30, 0]), (date(2027, 1, 2), [0])],
)
def test_fiscal_year_end_reminders_at_each_lead(today, expected_days_before):
    year_end = date(2026, 12, 31)
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + 18 * H
    plans = schedule.fiscal_year_end_reminders(
        fiscal_year_end=year_end, lead_days=(0, 30), now=now, tz="America/New_York", hour=9
    )
    assert [(year_end - p.due_at.date()).days for p in plans] == expected_days_before
    assert {p.anchor_at for p in plans} == {schedule.local_morning(year_end, tz="America/New_York", hour=9)}


def test_model_kinds_are_the_schedule_kinds():
    assert set(Reminder.Kind.values) == {kind.value for kind in Kind}
