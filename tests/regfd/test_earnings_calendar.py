"""An earnings release or call against the NYSE calendar (regfd/earnings_calendar.py; docs/regfd-rules §2.8,
§3): closed days flagged by name with the trading days to move to, the 13:00 close of an early close, and
suggested dates moved to a trading day. Pure: the seed calendar, no database."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance_site.lib.nyse_seed import nyse_calendar_rows, seed_calendar
from regfd.earnings_calendar import (
    AFTER_CLOSE,
    BEFORE_OPEN,
    DURING_SESSION,
    check_scheduled,
    market_day,
    move_to_trading_day,
    release_session,
)

ET = ZoneInfo("America/New_York")
CAL = seed_calendar()
NAMES = {row.date: row.name for row in nyse_calendar_rows()}


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ET)


@pytest.mark.parametrize(
    ("instant", "ok", "detail"),
    [
        (
            at(2026, 12, 25, 7, 30),
            False,
            "Christmas Day: the NYSE is closed — move the release to a trading day: "
            "Thursday 2026-12-24 (early close at 13:00 ET) or Monday 2026-12-28.",
        ),
        (
            at(2026, 11, 26, 16, 5),
            False,
            "Thanksgiving Day: the NYSE is closed — move the release to a trading day: "
            "Wednesday 2026-11-25 or Friday 2026-11-27 (early close at 13:00 ET).",
        ),
        (
            at(2026, 7, 3, 8, 0),
            False,
            "Independence Day (observed): the NYSE is closed — move the release to a trading day: "
            "Thursday 2026-07-02 or Monday 2026-07-06.",
        ),
        (
            at(2026, 12, 5, 8, 0),
            False,
            "Saturday: the NYSE is closed — move the release to a trading day: "
            "Friday 2026-12-04 or Monday 2026-12-07.",
        ),
        (
            at(2026, 11, 27, 7, 30),
            True,
            "Day after Thanksgiving Day (markets close at 1:00pm), Friday 2026-11-27: an early close — "
            "the NYSE closes at 13:00 ET.",
        ),
        (
            at(2028, 7, 3, 7, 30),
            True,
            "Day before Independence Day (markets close at 1:00pm), Monday 2028-07-03: an early close — the NYSE "
            "closes at 13:00 ET.",
        ),
        (at(2026, 12, 4, 16, 5), True, "Friday 2026-12-04 is an NYSE trading day."),
    ],
    ids=[
        "christmas-2026",
        "thanksgiving",
        "july-3-2026-closed",
        "saturday",
        "black-friday",
        "july-3-2028",
        "ordinary-friday",
    ],
)
def test_release_on_a_closed_day_is_flagged_by_name_with_trading_days_to_move_to(instant, ok, detail):
    check = check_scheduled(instant, what="release", calendar=CAL, names=NAMES)
    assert (check.ok, check.detail) == (ok, detail)


def test_a_call_on_a_closed_day_names_the_call():
    check = check_scheduled(at(2026, 12, 25, 8, 30), what="call", calendar=CAL, names=NAMES)
    assert check.detail.startswith("Christmas Day: the NYSE is closed — move the call to a trading day")
    assert (check.previous_trading_day, check.next_trading_day) == (date(2026, 12, 24), date(2026, 12, 28))


@pytest.mark.parametrize(
    ("release_at", "timing"),
    [
        # The day after Thanksgiving closes at 13:00: 13:00 and later is after the close, not in the session.
        (at(2026, 11, 27, 9, 29), BEFORE_OPEN),
        (at(2026, 11, 27, 12, 59), DURING_SESSION),
        (at(2026, 11, 27, 13, 0), AFTER_CLOSE),
        (at(2026, 11, 27, 14, 0), AFTER_CLOSE),
        (at(2026, 12, 24, 13, 30), AFTER_CLOSE),  # Christmas Eve 2026
        (at(2028, 7, 3, 13, 5), AFTER_CLOSE),  # July 3, 2028: early close
        # An ordinary day keeps 16:00.
        (at(2026, 12, 23, 14, 0), DURING_SESSION),
        (at(2026, 12, 23, 16, 0), AFTER_CLOSE),
        # A closed day has no session: the release is before the next open.
        (at(2026, 12, 25, 12, 0), BEFORE_OPEN),
        (at(2026, 7, 3, 12, 0), BEFORE_OPEN),  # Independence Day observed, 2026
        (at(2026, 12, 5, 12, 0), BEFORE_OPEN),  # a Saturday
    ],
)
def test_release_session_uses_that_days_close(release_at, timing):
    assert release_session(release_at, calendar=CAL) == timing


@pytest.mark.parametrize(
    ("day", "earlier", "moved"),
    [
        (date(2026, 12, 25), True, date(2026, 12, 24)),  # Christmas: back to Christmas Eve (early close)
        (date(2026, 12, 25), False, date(2026, 12, 28)),  # ...or forward over the weekend
        (date(2026, 11, 26), True, date(2026, 11, 25)),  # Thanksgiving
        (date(2026, 7, 3), False, date(2026, 7, 6)),  # Independence Day observed, then the weekend
        (date(2026, 12, 6), True, date(2026, 12, 4)),  # a Sunday
        (date(2026, 11, 27), True, date(2026, 11, 27)),  # an early close is a trading day: unchanged
        (date(2027, 12, 31), False, date(2027, 12, 31)),  # New Year 2028 is not observed
    ],
)
def test_suggested_dates_move_to_a_trading_day(day, earlier, moved):
    assert move_to_trading_day(day, calendar=CAL, earlier=earlier) == moved


def test_market_day_reports_the_early_close_time():
    day = market_day(at(2026, 11, 27, 8, 0), calendar=CAL, names=NAMES)
    assert day.trading and day.early_close and day.close.hour == 13
    assert market_day(at(2026, 11, 25, 8, 0), calendar=CAL, names=NAMES).close.hour == 16


def test_a_date_outside_the_calendar_is_refused_not_assumed_open():
    with pytest.raises(ValueError, match="outside"):
        check_scheduled(at(2031, 1, 6, 8, 0), what="release", calendar=CAL, names=NAMES)
