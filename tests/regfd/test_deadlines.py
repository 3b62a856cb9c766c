"""Regulation FD deadline engine (regfd/deadlines.py) against docs/regfd-rules §2.2-§3 and its worked
examples.

Expected values are written out by hand or derived from the docs/regfd-rules §3.2 tables typed into
tests/lib/test_nyse_seed.py, never from the engine's own calendar code.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_site.lib.markets import CLOSURE, CalendarRow, TradingCalendar, format_et, format_utc
from compliance_site.lib.nyse_seed import nyse_calendar_rows
from compliance_site.lib.nyse_seed import seed_calendar as current_calendar
from regfd.deadlines import (
    BASIS_NEXT_OPEN,
    BASIS_SIMULTANEOUS,
    BASIS_T24,
    METHOD_INTENTIONAL,
    METHOD_NON_INTENTIONAL,
    RULE_VERSION,
    DeadlineInput,
    compute_deadline,
)
from tests.lib.test_nyse_seed import RULES_CLOSURES, RULES_EARLY_CLOSES

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
LONDON = ZoneInfo("Europe/London")
LA = ZoneInfo("America/Los_Angeles")
H24 = timedelta(hours=24)


@pytest.fixture(scope="module")
def cal():
    return current_calendar()


def deadline_for(t0, calendar, **kwargs):
    if isinstance(t0, str):
        t0 = datetime.fromisoformat(t0)
    return compute_deadline(DeadlineInput(learned_at=t0, **kwargs), calendar=calendar)


def et(*args):
    return datetime(*args, tzinfo=NY)


def ref_is_trading_day(d):
    """docs/regfd-rules §3.2 reference: a weekday that is not a listed closure (valid for 2025-2028)."""
    return d.weekday() < 5 and d not in RULES_CLOSURES


def ref_next_trading_day_after(d):
    d += timedelta(days=1)
    while not ref_is_trading_day(d):
        d += timedelta(days=1)
    return d


def ref_prev_trading_day_before(d):
    d -= timedelta(days=1)
    while not ref_is_trading_day(d):
        d -= timedelta(days=1)
    return d


def ref_open(d):
    return datetime.combine(d, time(9, 30), tzinfo=NY)


# --- the examples table of regfd-deadlines.md --------------------------------------------------------

SPEC_EXAMPLES = [
    ("2026-03-03T14:00-05:00", "2026-03-04T14:00-05:00", "2026-03-04T19:00Z"),
    ("2026-09-04T17:00-04:00", "2026-09-08T09:30-04:00", "2026-09-08T13:30Z"),
    ("2026-11-28T11:00-05:00", "2026-11-30T09:30-05:00", "2026-11-30T14:30Z"),
    ("2027-01-15T16:30-05:00", "2027-01-19T09:30-05:00", "2027-01-19T14:30Z"),
    ("2026-06-10T06:00-04:00", "2026-06-11T09:30-04:00", "2026-06-11T13:30Z"),
    ("2026-02-13T10:00-05:00", "2026-02-17T09:30-05:00", "2026-02-17T14:30Z"),
    ("2026-07-01T21:00+01:00", "2026-07-02T16:00-04:00", "2026-07-02T20:00Z"),
]


SPEC_FILE = Path(__file__).resolve().parents[3] / "shared" / "spec" / "regfd-deadlines.md"


@pytest.mark.skipif(
    not SPEC_FILE.exists(), reason=f"the spec is not checked out beside the repo ({SPEC_FILE})"
)
def test_spec_examples_here_are_exactly_the_table_in_regfd_deadlines_md():
    """SPEC_EXAMPLES, used by the engine, command and API tests, is the spec's table, row for row."""
    text = SPEC_FILE.read_text(encoding="utf-8").split("## Examples", 1)[1]
    rows = re.findall(r"^\| `([^`]+)`[^|]*\| ([^|\s]+) \| ([^|\s]+) \|$", text, flags=re.M)
    assert rows == SPEC_EXAMPLES


@pytest.mark.parametrize(("t0", "outer_et", "outer_utc"), SPEC_EXAMPLES)
def test_outer_limit_matches_every_spec_example_in_et_and_utc(cal, t0, outer_et, outer_utc):
    d = deadline_for(t0, cal)
    assert format_et(d.outer_limit_utc) == outer_et
    assert format_utc(d.outer_limit_utc) == outer_utc
    assert d.outer_limit_utc == datetime.fromisoformat(outer_et) == datetime.fromisoformat(outer_utc)


# --- every closure and early close 2025-2028 ---------------------------------------------------------


@pytest.mark.parametrize("closure", sorted(RULES_CLOSURES), ids=str)
def test_deadline_rolls_over_each_closure_to_the_next_trading_day_open(cal, closure):
    before = ref_prev_trading_day_before(closure)
    after = ref_next_trading_day_after(closure)
    d = deadline_for(datetime.combine(before, time(17, 0), tzinfo=NY), cal)
    assert d.outer_limit_utc == ref_open(after)
    assert d.outer_limit_basis == BASIS_NEXT_OPEN
    assert d.policy_target_utc == ref_open(after)  # a weekend day or the closure intervenes
    assert d.working_deadline_utc == ref_open(after)


@pytest.mark.parametrize("closure", sorted(RULES_CLOSURES), ids=str)
def test_t0_on_a_closure_day_is_the_later_of_t24_and_the_next_open(cal, closure):
    t0 = datetime.combine(closure, time(12, 0), tzinfo=NY)
    next_open = ref_open(ref_next_trading_day_after(closure))
    d = deadline_for(t0, cal)
    assert d.outer_limit_utc == max(t0 + H24, next_open)
    assert d.next_open_utc == next_open
    assert d.policy_target_utc == next_open  # the closure itself is within the 24 hours


@pytest.mark.parametrize("early_close", sorted(RULES_EARLY_CLOSES), ids=str)
def test_early_close_day_is_a_trading_day_that_opens_at_0930(cal, early_close):
    before = ref_prev_trading_day_before(early_close)
    t0 = datetime.combine(before, time(17, 0), tzinfo=NY)
    d = deadline_for(t0, cal)
    assert d.next_open_utc == ref_open(early_close)
    # After a weekend or a closure the open wins; the day after a trading day, T0 + 24 h (17:00) does.
    assert d.outer_limit_utc == max(t0 + H24, ref_open(early_close))


@pytest.mark.parametrize(
    ("t0", "outer"),
    [
        (et(2025, 7, 3, 14, 0), et(2025, 7, 7, 9, 30)),  # after the 13:00 close; Jul 4 closed
        (et(2025, 11, 28, 14, 0), et(2025, 12, 1, 9, 30)),
        (et(2025, 12, 24, 14, 0), et(2025, 12, 26, 9, 30)),  # Christmas Thu
        (et(2026, 11, 27, 14, 0), et(2026, 11, 30, 9, 30)),
        (et(2026, 12, 24, 14, 0), et(2026, 12, 28, 9, 30)),  # Christmas Fri
        (et(2027, 11, 26, 14, 0), et(2027, 11, 29, 9, 30)),
        (et(2028, 7, 3, 14, 0), et(2028, 7, 5, 9, 30)),  # Jul 4 Tue closed
        (et(2028, 11, 24, 14, 0), et(2028, 11, 27, 9, 30)),
    ],
    ids=str,
)
def test_t0_after_an_early_close_rolls_to_the_next_trading_day_open(cal, t0, outer):
    assert deadline_for(t0, cal).outer_limit_utc == outer


def test_dec_31_2027_is_a_trading_day_so_the_deadline_does_not_skip_it(cal):
    d = deadline_for(et(2027, 12, 30, 17, 0), cal)
    assert d.outer_limit_utc == et(2027, 12, 31, 17, 0)  # T0 + 24 h, on a normal trading Friday


# --- DST changes 2025-2028 ---------------------------------------------------------------------------

# (Sunday of the change, +1 if clocks spring forward or -1 if they fall back), docs/regfd-rules §3.1.
DST_CHANGES = [
    (date(2025, 3, 9), +1), (date(2025, 11, 2), -1),
    (date(2026, 3, 8), +1), (date(2026, 11, 1), -1),
    (date(2027, 3, 14), +1), (date(2027, 11, 7), -1),
    (date(2028, 3, 12), +1), (date(2028, 11, 5), -1),
]  # fmt: skip


@pytest.mark.parametrize(("sunday", "shift"), DST_CHANGES, ids=str)
def test_friday_before_dst_change_deadline_is_0930_new_offset_not_wall_clock_hours(cal, sunday, shift):
    friday, monday = sunday - timedelta(days=2), sunday + timedelta(days=1)
    t0 = datetime.combine(friday, time(12, 0), tzinfo=NY)
    d = deadline_for(t0, cal)
    # Fri 12:00 -> Mon 09:30 is 69.5 h on the wall clock, one hour less (spring) or more (fall) elapsed.
    assert d.outer_limit_utc - t0 == timedelta(hours=69, minutes=30) - timedelta(hours=shift)
    monday_open_utc = datetime.combine(monday, time(13, 30) if shift == 1 else time(14, 30), tzinfo=UTC)
    assert d.outer_limit_utc == monday_open_utc
    assert format_et(d.outer_limit_utc) == f"{monday}T09:30{'-04:00' if shift == 1 else '-05:00'}"


@pytest.mark.parametrize(("sunday", "shift"), DST_CHANGES, ids=str)
def test_saturday_before_dst_change_t24_is_24_elapsed_hours_not_the_same_wall_clock(cal, sunday, shift):
    saturday, monday = sunday - timedelta(days=1), sunday + timedelta(days=1)
    t0 = datetime.combine(saturday, time(12, 0), tzinfo=NY)
    d = deadline_for(t0, cal)
    assert d.t24_utc - t0 == H24
    # 24 elapsed hours land at 13:00 (spring forward) or 11:00 (fall back) on Sunday's wall clock.
    expected_wall = time(13, 0) if shift == 1 else time(11, 0)
    assert d.t24_utc.astimezone(NY).replace(tzinfo=None) == datetime.combine(sunday, expected_wall)
    assert d.outer_limit_utc == ref_open(monday)
    assert d.outer_limit_utc - t0 == timedelta(hours=45, minutes=30) - timedelta(hours=shift)
    assert d.policy_target_utc == ref_open(monday)


# --- inputs in other zones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t0", "outer_et", "outer_utc"),
    [
        # Tokyo (no DST).
        (datetime(2026, 3, 4, 3, 0, tzinfo=TOKYO), "2026-03-04T13:00-05:00", "2026-03-04T18:00Z"),
        # Tokyo Monday of Labor Day is still Sunday evening in New York: the New York date decides.
        (datetime(2026, 9, 7, 9, 0, tzinfo=TOKYO), "2026-09-08T09:30-04:00", "2026-09-08T13:30Z"),
        # Thanksgiving afternoon in New York; T0 + 24 h is after Friday's 13:00 early close.
        (datetime(2026, 11, 27, 5, 0, tzinfo=TOKYO), "2026-11-27T15:00-05:00", "2026-11-27T20:00Z"),
        # London in the March gap week (US on EDT, UK still on GMT): 13:00 London is 09:00 New York.
        (datetime(2026, 3, 10, 13, 0, tzinfo=LONDON), "2026-03-11T09:30-04:00", "2026-03-11T13:30Z"),
        (datetime(2026, 3, 10, 18, 0, tzinfo=LONDON), "2026-03-11T14:00-04:00", "2026-03-11T18:00Z"),
        # London in the October gap week (UK back on GMT, US still on EDT).
        (datetime(2026, 10, 27, 13, 0, tzinfo=LONDON), "2026-10-28T09:30-04:00", "2026-10-28T13:30Z"),
        (datetime(2026, 10, 27, 20, 30, tzinfo=LONDON), "2026-10-28T16:30-04:00", "2026-10-28T20:30Z"),
        # London Friday evening; US DST ends that Sunday, so Monday opens at 14:30Z.
        (datetime(2026, 10, 30, 21, 0, tzinfo=LONDON), "2026-11-02T09:30-05:00", "2026-11-02T14:30Z"),
        # Los Angeles late Monday is Tuesday 01:00 in New York: Wednesday's open, not Tuesday 22:00 PST.
        (datetime(2026, 3, 2, 22, 0, tzinfo=LA), "2026-03-04T09:30-05:00", "2026-03-04T14:30Z"),
        (datetime(2026, 9, 4, 14, 0, tzinfo=LA), "2026-09-08T09:30-04:00", "2026-09-08T13:30Z"),
        (datetime(2026, 3, 6, 22, 0, tzinfo=LA), "2026-03-09T09:30-04:00", "2026-03-09T13:30Z"),
        (datetime(2026, 11, 25, 21, 30, tzinfo=LA), "2026-11-27T09:30-05:00", "2026-11-27T14:30Z"),
    ],
    ids=str,
)
def test_t0_in_tokyo_london_or_los_angeles_uses_its_new_york_date(cal, t0, outer_et, outer_utc):
    d = deadline_for(t0, cal)
    assert format_et(d.outer_limit_utc) == outer_et
    assert format_utc(d.outer_limit_utc) == outer_utc


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Europe/London", "America/Los_Angeles", "UTC"])
def test_the_same_instant_entered_in_any_zone_gives_the_same_deadline(cal, zone):
    t0 = et(2026, 3, 10, 9, 0)
    assert deadline_for(t0.astimezone(ZoneInfo(zone)), cal) == deadline_for(t0, cal)


# --- boundaries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t0", "outer", "outer_basis", "policy"),
    [
        (et(2026, 3, 3, 9, 29, 59), et(2026, 3, 4, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 4, 9, 29, 59)),
        (et(2026, 3, 3, 9, 30, 0), et(2026, 3, 4, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 4, 9, 30)),
        (et(2026, 3, 3, 9, 30, 1), et(2026, 3, 4, 9, 30, 1), BASIS_T24, et(2026, 3, 4, 9, 30, 1)),
        # docs/regfd-rules §2.2: T0 Wed 07:00 gives Thu 09:30 (rule) but Thu 07:00 (policy, within 24 h).
        (et(2026, 6, 10, 7, 0), et(2026, 6, 11, 9, 30), BASIS_NEXT_OPEN, et(2026, 6, 11, 7, 0)),
        # 23:59 ET: still the earlier New York date.
        (et(2026, 3, 3, 23, 59), et(2026, 3, 4, 23, 59), BASIS_T24, et(2026, 3, 4, 23, 59)),
        (
            et(2026, 3, 3, 23, 59, 59, 999999),
            et(2026, 3, 4, 23, 59, 59, 999999),
            BASIS_T24,
            et(2026, 3, 4, 23, 59, 59, 999999),
        ),
        # Midnight starts the next New York date, so the open moves a day later.
        (et(2026, 3, 4, 0, 0), et(2026, 3, 5, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 5, 0, 0)),
        (et(2026, 3, 6, 23, 59), et(2026, 3, 9, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 9, 9, 30)),
        (et(2026, 11, 25, 23, 59), et(2026, 11, 27, 9, 30), BASIS_NEXT_OPEN, et(2026, 11, 27, 9, 30)),
    ],
    ids=str,
)
def test_0930_and_midnight_boundaries_are_exact(cal, t0, outer, outer_basis, policy):
    d = deadline_for(t0, cal)
    assert d.outer_limit_utc == outer
    assert d.outer_limit_basis == outer_basis
    assert d.policy_target_utc == policy


# --- company policy target (policy I.B) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("t0", "policy", "policy_basis", "outer"),
    [
        # Weekday with a trading day next: within 24 hours.
        (et(2026, 11, 24, 15, 0), et(2026, 11, 25, 15, 0), BASIS_T24, et(2026, 11, 25, 15, 0)),
        # Pre-market Wednesday: policy is earlier than the law.
        (et(2026, 6, 10, 6, 0), et(2026, 6, 11, 6, 0), BASIS_T24, et(2026, 6, 11, 9, 30)),
        # Sunday after the open time: policy is Monday's open, the law T0 + 24 h (docs/regfd-rules §2.2).
        (et(2026, 3, 1, 10, 0), et(2026, 3, 2, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 2, 10, 0)),
        # Labor Day itself.
        (et(2026, 9, 7, 10, 0), et(2026, 9, 8, 9, 30), BASIS_NEXT_OPEN, et(2026, 9, 8, 10, 0)),
        # Pre-market Friday: Saturday falls within the 24 hours.
        (et(2026, 3, 6, 8, 0), et(2026, 3, 9, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 9, 9, 30)),
        # The day before Thanksgiving: the holiday falls within the 24 hours.
        (et(2026, 11, 25, 10, 0), et(2026, 11, 27, 9, 30), BASIS_NEXT_OPEN, et(2026, 11, 27, 9, 30)),
        # The day before the unscheduled 2025-01-09 closure.
        (et(2025, 1, 8, 10, 0), et(2025, 1, 10, 9, 30), BASIS_NEXT_OPEN, et(2025, 1, 10, 9, 30)),
        # An early close (Dec 24, 2026) is a trading day, not a holiday.
        (et(2026, 12, 23, 10, 0), et(2026, 12, 24, 10, 0), BASIS_T24, et(2026, 12, 24, 10, 0)),
        # Thursday 00:00: the 24 hours end at Friday 00:00, no weekend day touched.
        (et(2026, 3, 12, 0, 0), et(2026, 3, 13, 0, 0), BASIS_T24, et(2026, 3, 13, 9, 30)),
        # Friday 00:00: the 24 hours end as Saturday begins, so no part of Saturday is within them.
        (et(2026, 3, 13, 0, 0), et(2026, 3, 14, 0, 0), BASIS_T24, et(2026, 3, 16, 9, 30)),
        # Friday 00:01: the 24 hours run a minute into Saturday.
        (et(2026, 3, 13, 0, 1), et(2026, 3, 16, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 16, 9, 30)),
    ],
    ids=str,
)
def test_policy_target_is_24h_unless_a_weekend_or_closure_intervenes(cal, t0, policy, policy_basis, outer):
    d = deadline_for(t0, cal)
    assert d.policy_target_utc == policy
    assert d.policy_target_basis == policy_basis
    assert d.outer_limit_utc == outer
    assert d.working_deadline_utc == min(policy, outer)


# --- the 24 hours ending at midnight (issue #17) -----------------------------------------------------
# docs/regfd-rules §2.2: a day intervenes when some part of it lies within the 24 hours after T0. With T0 at
# exactly 00:00 New York time the 24 hours end at the next midnight, the instant the next day begins, so
# none of that day lies within them: the policy target is T0 + 24 h even when that day is closed. One
# second (or one microsecond) later the 24 hours run into the closed day and the target is the next open.


@pytest.mark.parametrize(
    ("t0", "policy", "policy_basis", "outer"),
    [
        # Thursday 2026-12-24 (an early close, a trading day); Friday 2026-12-25, Christmas, is closed.
        (et(2026, 12, 24, 0, 0), et(2026, 12, 25, 0, 0), BASIS_T24, et(2026, 12, 28, 9, 30)),
        (et(2026, 12, 24, 0, 0, 1), et(2026, 12, 28, 9, 30), BASIS_NEXT_OPEN, et(2026, 12, 28, 9, 30)),
        (et(2026, 12, 24, 0, 0, 0, 1), et(2026, 12, 28, 9, 30), BASIS_NEXT_OPEN, et(2026, 12, 28, 9, 30)),
        # A Friday before a weekend.
        (et(2026, 3, 13, 0, 0), et(2026, 3, 14, 0, 0), BASIS_T24, et(2026, 3, 16, 9, 30)),
        (et(2026, 3, 13, 0, 0, 1), et(2026, 3, 16, 9, 30), BASIS_NEXT_OPEN, et(2026, 3, 16, 9, 30)),
        # The day before Thanksgiving (Thursday 2026-11-26 closed; Friday 2026-11-27 an early close).
        (et(2026, 11, 25, 0, 0), et(2026, 11, 26, 0, 0), BASIS_T24, et(2026, 11, 27, 9, 30)),
        (et(2026, 11, 25, 0, 0, 1), et(2026, 11, 27, 9, 30), BASIS_NEXT_OPEN, et(2026, 11, 27, 9, 30)),
        # The day before the unscheduled 2025-01-09 closure.
        (et(2025, 1, 8, 0, 0), et(2025, 1, 9, 0, 0), BASIS_T24, et(2025, 1, 10, 9, 30)),
        (et(2025, 1, 8, 0, 0, 1), et(2025, 1, 10, 9, 30), BASIS_NEXT_OPEN, et(2025, 1, 10, 9, 30)),
        # The same midnight entered in another zone is the same instant.
        (
            datetime(2026, 12, 24, 5, 0, tzinfo=UTC),
            et(2026, 12, 25, 0, 0),
            BASIS_T24,
            et(2026, 12, 28, 9, 30),
        ),
        # The 24 hours that end at midnight before a trading day, and the closed day's own midnight.
        (et(2026, 12, 23, 0, 0), et(2026, 12, 24, 0, 0), BASIS_T24, et(2026, 12, 24, 9, 30)),
        (et(2026, 12, 25, 0, 0), et(2026, 12, 28, 9, 30), BASIS_NEXT_OPEN, et(2026, 12, 28, 9, 30)),
        # T0 one second before Thursday begins: the 24 hours end one second before Christmas begins.
        (et(2026, 12, 23, 23, 59, 59), et(2026, 12, 24, 23, 59, 59), BASIS_T24, et(2026, 12, 24, 23, 59, 59)),
    ],
    ids=str,
)
def test_policy_target_is_t24_when_the_24_hours_end_at_the_midnight_a_closed_day_begins(
    cal, t0, policy, policy_basis, outer
):
    d = deadline_for(t0, cal)
    assert d.policy_target_utc == policy
    assert d.policy_target_basis == policy_basis
    assert d.outer_limit_utc == outer
    assert d.working_deadline_utc == min(policy, outer)


def test_explanation_says_the_24_hours_end_as_the_closed_day_begins(cal):
    d = deadline_for(et(2026, 12, 24, 0, 0), cal)
    assert (
        "so the target is 2026-12-25T00:00-05:00 (the 24 hours end as 2026-12-25 (Fri) begins"
        in d.explanation
    )
    assert "2026-12-25T00:00-05:00 (2026-12-25T05:00Z)" in d.explanation  # the working deadline


# --- the calendar is data ----------------------------------------------------------------------------


def test_an_unscheduled_closure_changes_the_deadline_and_the_calendar_version(cal):
    rows = [*nyse_calendar_rows(), CalendarRow(date(2026, 3, 4), CLOSURE, "Unscheduled closure", "test")]
    edited = TradingCalendar.from_rows(rows, exchange="NYSE", first_year=2023, last_year=2028)
    before = deadline_for("2026-03-03T14:00-05:00", cal)
    after = deadline_for("2026-03-03T14:00-05:00", edited)
    assert before.outer_limit_utc == et(2026, 3, 4, 14, 0)
    assert after.outer_limit_utc == et(2026, 3, 5, 9, 30)
    assert edited.version != cal.version
    assert (before.calendar_version, after.calendar_version) == (cal.version, edited.version)


def test_removing_the_2025_01_09_closure_changes_the_deadline_and_version(cal):
    rows = [row for row in nyse_calendar_rows() if row.date != date(2025, 1, 9)]
    edited = TradingCalendar.from_rows(rows, exchange="NYSE", first_year=2023, last_year=2028)
    assert deadline_for(et(2025, 1, 8, 17, 0), cal).outer_limit_utc == et(2025, 1, 10, 9, 30)
    assert deadline_for(et(2025, 1, 8, 17, 0), edited).outer_limit_utc == et(2025, 1, 9, 17, 0)
    assert edited.version != cal.version


@pytest.mark.parametrize(
    "t0", [et(2029, 3, 1, 12, 0), et(2022, 6, 1, 12, 0), et(2028, 12, 29, 17, 0)], ids=str
)
def test_a_calendar_that_does_not_cover_the_dates_needed_is_refused(cal, t0):
    with pytest.raises(ValueError, match="outside it"):
        deadline_for(t0, cal)


def test_a_one_year_calendar_refuses_a_deadline_running_into_the_next_year():
    rows_2026 = [row for row in nyse_calendar_rows() if row.date.year == 2026]
    one_year = TradingCalendar.from_rows(rows_2026, exchange="NYSE", first_year=2026, last_year=2026)
    assert deadline_for(et(2026, 6, 10, 12, 0), one_year).outer_limit_utc == et(2026, 6, 11, 12, 0)
    with pytest.raises(ValueError, match="covers 2026-2026"):
        deadline_for(et(2026, 12, 31, 12, 0), one_year)


# --- what is recorded ----------------------------------------------------------------------------------


def test_deadline_records_inputs_versions_method_and_utc_instants(cal):
    d = deadline_for("2026-07-01T21:00+01:00", cal)
    assert d.learned_at_utc == datetime(2026, 7, 1, 20, 0, tzinfo=UTC)
    assert d.learned_date_et == date(2026, 7, 1)
    assert d.t24_utc == datetime(2026, 7, 2, 20, 0, tzinfo=UTC)
    assert d.next_open_utc == et(2026, 7, 2, 9, 30)
    assert d.calendar_version == cal.version
    assert d.rule_version == RULE_VERSION == "regfd-deadline/2"
    assert d.method == METHOD_NON_INTENTIONAL
    assert not d.intentional and d.disclosed_at_utc is None
    for instant in (d.learned_at_utc, d.t24_utc, d.next_open_utc, d.outer_limit_utc, d.policy_target_utc,
                    d.working_deadline_utc):  # fmt: skip
        assert instant.utcoffset() == timedelta(0)


def test_explanation_states_no_later_than_the_outer_limit_and_the_policy_cap(cal):
    d = deadline_for("2026-09-04T17:00-04:00", cal)
    assert "as soon as reasonably practicable, and no later than 2026-09-08T09:30-04:00" in d.explanation
    assert "(2026-09-08T13:30Z)" in d.explanation
    assert "2026-09-05 (Sat)" in d.explanation
    assert "never later than it" in d.explanation
    assert cal.version in d.explanation and RULE_VERSION in d.explanation


@pytest.mark.parametrize(
    ("t0", "shown_t0", "shown_limit"),
    [
        # A T0 taken from the clock: shown to the second, never with its microseconds.
        (et(2026, 3, 3, 14, 0, 5, 123456), "2026-03-03T14:00:05-05:00", "2026-03-04T14:00:05-05:00 "
                                                                         "(2026-03-04T19:00:05Z)"),
        # Zero seconds: to the minute, as the spec's tables print deadlines.
        (et(2026, 3, 3, 14, 0, 0, 999999), "2026-03-03T14:00-05:00", "2026-03-04T14:00-05:00 "
                                                                      "(2026-03-04T19:00Z)"),
    ],
)  # fmt: skip
def test_explanation_shows_instants_in_et_to_the_second(cal, t0, shown_t0, shown_limit):
    d = deadline_for(t0, cal)
    assert f"T0 = {shown_t0} (New York date 2026-03-03)" in d.explanation
    assert f"no later than {shown_limit}" in d.explanation
    assert f"Working deadline (the earlier of the two): {shown_limit}" in d.explanation
    assert not re.search(r"\d\d:\d\d\.\d|:\d\d\.\d", d.explanation)
    assert d.outer_limit_utc == t0 + H24  # the deadline itself keeps its microseconds


def test_intentional_explanation_shows_instants_to_the_second(cal):
    disclosed = et(2026, 3, 3, 11, 15, 30, 250000)
    d = deadline_for(et(2026, 3, 4, 9, 0, 0, 500), cal, intentional=True, disclosed_at=disclosed)
    assert "the disclosure instant itself, 2026-03-03T11:15:30-05:00 (2026-03-03T16:15:30Z)" in d.explanation
    assert "T0 (2026-03-04T09:00-05:00) is after it" in d.explanation
    assert d.working_deadline_utc == disclosed


# --- intentional disclosure --------------------------------------------------------------------------


def test_intentional_disclosure_deadline_is_the_disclosure_instant(cal):
    disclosed = et(2026, 3, 3, 11, 15)
    d = deadline_for(et(2026, 3, 3, 11, 15), cal, intentional=True, disclosed_at=disclosed)
    assert d.outer_limit_utc == d.policy_target_utc == d.working_deadline_utc == disclosed
    assert d.outer_limit_basis == d.policy_target_basis == BASIS_SIMULTANEOUS
    assert d.method == METHOD_INTENTIONAL and d.intentional
    assert d.disclosed_at_utc == disclosed
    assert "243.100(a)(1)" in d.explanation
    assert "an incident logged after that instant is already late" in d.explanation


def test_intentional_disclosure_learned_after_the_fact_says_it_is_already_late(cal):
    d = deadline_for(et(2026, 3, 4, 9, 0), cal, intentional=True, disclosed_at=et(2026, 3, 3, 11, 15))
    assert d.working_deadline_utc == et(2026, 3, 3, 11, 15)
    assert "T0 (2026-03-04T09:00-05:00) is after it, so this incident is already late" in d.explanation


def test_intentional_disclosure_without_its_instant_is_refused():
    with pytest.raises(ValueError, match="needs disclosed_at"):
        DeadlineInput(learned_at=et(2026, 3, 3, 11, 15), intentional=True)


# --- naive input ---------------------------------------------------------------------------------------


def test_naive_learned_at_is_refused_never_assumed():
    with pytest.raises(ValueError, match="learned_at \\(T0\\) has no UTC offset or time zone"):
        DeadlineInput(learned_at=datetime(2026, 3, 3, 14, 0))


def test_naive_disclosed_at_is_refused():
    with pytest.raises(ValueError, match="disclosed_at has no UTC offset"):
        DeadlineInput(learned_at=et(2026, 3, 3, 14, 0), intentional=True, disclosed_at=datetime(2026, 3, 3))


def test_wall_clock_time_skipped_by_dst_is_refused():
    with pytest.raises(ValueError, match="does not exist"):
        DeadlineInput(learned_at=et(2026, 3, 8, 2, 30))


# --- properties ----------------------------------------------------------------------------------------

# T0 whose New York date is 2025-01-01 .. 2028-12-28, so the next trading day is inside 2025-2028.
t0_instants = st.builds(
    lambda instant, zone: instant.astimezone(zone),
    st.datetimes(
        min_value=datetime(2025, 1, 1, 5, 0),
        max_value=datetime(2028, 12, 29, 4, 59, 59, 999999),
        timezones=st.just(UTC),
    ),
    st.timezones(),
)

PROPERTY_SETTINGS = settings(max_examples=400, deadline=None, database=None)


@PROPERTY_SETTINGS
@given(t0=t0_instants)
def test_property_outer_limit_is_the_later_of_t24_and_the_next_open(t0):
    cal = current_calendar()
    d = deadline_for(t0, cal)
    ref_next_open = ref_open(ref_next_trading_day_after(t0.astimezone(NY).date()))
    outer_ny = d.outer_limit_utc.astimezone(NY)
    assert d.outer_limit_utc >= t0 + H24
    assert d.outer_limit_utc >= ref_next_open
    assert d.outer_limit_utc == t0 + H24 or (
        outer_ny.time() == time(9, 30) and ref_is_trading_day(outer_ny.date())
    )
    assert d.outer_limit_utc == max(t0 + H24, ref_next_open)
    assert d.next_open_utc == ref_next_open


@PROPERTY_SETTINGS
@given(t0=t0_instants)
def test_property_policy_target_is_never_later_and_working_deadline_is_the_earlier(t0):
    cal = current_calendar()
    d = deadline_for(t0, cal)
    assert t0 < d.policy_target_utc <= d.outer_limit_utc
    assert d.working_deadline_utc == min(d.policy_target_utc, d.outer_limit_utc)
    end = (t0 + H24).astimezone(NY)
    # The dates some part of which lies within the 24 hours: 24 hours ending at 00:00 hold none of that date.
    first, last = t0.astimezone(NY).date(), end.date() - timedelta(days=end.time() == time(0))
    touched = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if all(ref_is_trading_day(day) for day in touched):
        assert d.policy_target_utc == t0 + H24
    else:
        assert d.policy_target_utc == ref_open(ref_next_trading_day_after(first))


@PROPERTY_SETTINGS
@given(t0=t0_instants)
def test_property_deadline_depends_on_the_instant_not_the_zone_it_was_entered_in(t0):
    cal = current_calendar()
    assert deadline_for(t0, cal) == deadline_for(t0.astimezone(UTC), cal)
