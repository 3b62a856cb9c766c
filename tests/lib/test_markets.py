"""TradingCalendar, calendar versions, instant parsing and formatting (compliance_site/lib/markets.py)."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from compliance_site.lib.markets import (
    CLOSURE,
    EARLY_CLOSE,
    CalendarRow,
    TradingCalendar,
    calendar_version,
    format_et,
    format_utc,
    parse_instant,
    require_aware,
)
from tests.lib.test_nyse_seed import RULES_CLOSURES, RULES_EARLY_CLOSES

NY = ZoneInfo("America/New_York")


def et(*args):
    return datetime(*args, tzinfo=NY)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def cal():
    """The docs/regfd-rules §3.2 calendar for 2025-2028, built from the hand-typed reference tables."""
    return TradingCalendar.from_rows(
        [CalendarRow(d, CLOSURE, "", "docs/regfd-rules §3.2") for d in RULES_CLOSURES]
        + [CalendarRow(d, EARLY_CLOSE, "", "docs/regfd-rules §3.2") for d in RULES_EARLY_CLOSES],
        exchange="NYSE",
        first_year=2025,
        last_year=2028,
    )


# --- trading days -----------------------------------------------------------------------------------


@pytest.mark.parametrize("day", sorted(RULES_CLOSURES), ids=str)
def test_every_published_closure_is_not_a_trading_day(cal, day):
    assert not cal.is_trading_day(day)


@pytest.mark.parametrize("day", sorted(RULES_EARLY_CLOSES), ids=str)
def test_every_early_close_is_a_trading_day_opening_0930_and_closing_1300_et(cal, day):
    assert cal.is_trading_day(day)
    assert cal.is_early_close(day)
    assert cal.session_open(day) == et(day.year, day.month, day.day, 9, 30)
    assert cal.session_close(day) == et(day.year, day.month, day.day, 13, 0)


@pytest.mark.parametrize(
    ("day", "trading"),
    [
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 3, 9), True),
        (date(2027, 12, 31), True),  # New Year's 2028 falls on a Saturday and is not observed
        (date(2025, 1, 9), False),  # unscheduled closure
    ],
    ids=str,
)
def test_trading_day_is_a_weekday_that_is_not_a_closure(cal, day, trading):
    assert cal.is_trading_day(day) is trading


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 3), date(2026, 3, 4)),  # Tue -> Wed
        (date(2026, 3, 6), date(2026, 3, 9)),  # Fri -> Mon
        (date(2026, 3, 7), date(2026, 3, 9)),  # Sat -> Mon
        (date(2026, 9, 4), date(2026, 9, 8)),  # Fri before Labor Day -> Tue
        (date(2025, 1, 8), date(2025, 1, 10)),  # Wed before the Carter closure -> Fri
        (date(2026, 12, 24), date(2026, 12, 28)),  # early close Thu, Christmas Fri -> Mon
        (date(2027, 12, 23), date(2027, 12, 27)),  # Christmas observed Fri Dec 24 -> Mon
        (date(2027, 12, 30), date(2027, 12, 31)),  # Dec 31, 2027 trades
        (date(2027, 12, 31), date(2028, 1, 3)),
        (date(2026, 11, 25), date(2026, 11, 27)),  # Thanksgiving -> early-close Friday
    ],
    ids=str,
)
def test_next_trading_day_after_is_strictly_after_and_skips_weekends_and_closures(cal, day, expected):
    assert cal.next_trading_day_after(day) == expected


# --- sessions and DST ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "open_utc", "close_utc"),
    [
        (date(2026, 3, 6), utc(2026, 3, 6, 14, 30), utc(2026, 3, 6, 21, 0)),  # EST, Fri before DST
        (date(2026, 3, 9), utc(2026, 3, 9, 13, 30), utc(2026, 3, 9, 20, 0)),  # EDT, Mon after
        (date(2026, 10, 30), utc(2026, 10, 30, 13, 30), utc(2026, 10, 30, 20, 0)),  # EDT, Fri before
        (date(2026, 11, 2), utc(2026, 11, 2, 14, 30), utc(2026, 11, 2, 21, 0)),  # EST, Mon after
        (date(2026, 11, 27), utc(2026, 11, 27, 14, 30), utc(2026, 11, 27, 18, 0)),  # early close
    ],
    ids=str,
)
def test_session_times_are_new_york_wall_clock_converted_to_utc_with_dst(cal, day, open_utc, close_utc):
    assert cal.session_open(day) == open_utc
    assert cal.session_close(day) == close_utc
    assert cal.session_open(day).tzinfo is UTC


def test_session_open_refuses_a_day_that_does_not_trade(cal):
    with pytest.raises(ValueError, match="not an NYSE trading day"):
        cal.session_open(date(2026, 9, 7))


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        (et(2026, 3, 3, 9, 29, 59), False),
        (et(2026, 3, 3, 9, 30), True),
        (et(2026, 3, 3, 15, 59, 59), True),
        (et(2026, 3, 3, 16, 0), False),
        (et(2026, 11, 27, 12, 59, 59), True),  # early close
        (et(2026, 11, 27, 13, 0), False),
        (et(2026, 11, 26, 11, 0), False),  # Thanksgiving
        (et(2026, 3, 7, 11, 0), False),  # Saturday
        (datetime(2026, 3, 3, 23, 0, tzinfo=ZoneInfo("Asia/Tokyo")), False),  # 09:00 ET
        (datetime(2026, 3, 4, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo")), True),  # 10:30 ET on Mar 3
        # UK/US DST gap week: London is 4 h ahead of New York, not the usual 5.
        (datetime(2026, 3, 10, 13, 45, tzinfo=ZoneInfo("Europe/London")), True),  # 09:45 ET
        (datetime(2026, 3, 16, 13, 45, tzinfo=ZoneInfo("Europe/London")), True),
        (datetime(2026, 3, 30, 13, 45, tzinfo=ZoneInfo("Europe/London")), False),  # 08:45 ET again
    ],
    ids=str,
)
def test_is_open_at_uses_the_open_inclusive_close_exclusive_session(cal, instant, is_open):
    assert cal.is_open_at(instant) is is_open


def test_is_open_at_refuses_a_naive_instant(cal):
    with pytest.raises(ValueError, match="no UTC offset"):
        cal.is_open_at(datetime(2026, 3, 3, 10, 0))


def test_local_date_is_the_new_york_calendar_date(cal):
    assert cal.local_date(datetime(2026, 3, 4, 3, 0, tzinfo=ZoneInfo("Asia/Tokyo"))) == date(2026, 3, 3)
    assert cal.local_date(utc(2026, 3, 4, 4, 59)) == date(2026, 3, 3)
    assert cal.local_date(utc(2026, 3, 4, 5, 0)) == date(2026, 3, 4)


# --- coverage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2029, 1, 2)], ids=str)
def test_dates_outside_the_covered_years_are_refused(cal, day):
    with pytest.raises(ValueError, match="covers 2025-2028"):
        cal.is_trading_day(day)


def test_next_trading_day_past_the_last_covered_year_is_refused(cal):
    with pytest.raises(ValueError, match="2029-01-01 is outside it"):
        cal.next_trading_day_after(date(2028, 12, 29))


def test_calendar_refuses_facts_outside_its_covered_years():
    with pytest.raises(ValueError, match="widen the covered years"):
        TradingCalendar.from_rows(
            [CalendarRow(date(2029, 1, 1), CLOSURE, "", "")], exchange="NYSE", first_year=2025, last_year=2028
        )


def test_calendar_refuses_a_date_that_is_both_closure_and_early_close():
    rows = [
        CalendarRow(date(2026, 11, 27), CLOSURE, "", ""),
        CalendarRow(date(2026, 11, 27), EARLY_CLOSE, "", ""),
    ]
    with pytest.raises(ValueError, match="both a closure and an early close"):
        TradingCalendar.from_rows(rows, exchange="NYSE", first_year=2026, last_year=2026)


def test_calendar_refuses_an_unknown_row_kind():
    with pytest.raises(ValueError, match="unknown calendar row kind"):
        TradingCalendar.from_rows(
            [CalendarRow(date(2026, 1, 1), "holiday", "", "")],
            exchange="NYSE",
            first_year=2026,
            last_year=2026,
        )


def test_calendar_is_frozen_and_hashable(cal):
    with pytest.raises(AttributeError):
        cal.version = "x"
    assert hash(cal) == hash(cal)
    assert cal.tz == "America/New_York"
    assert (cal.open, cal.close, cal.early_close) == (time(9, 30), time(16, 0), time(13, 0))


# --- versions ----------------------------------------------------------------------------------------


def test_calendar_version_is_a_short_deterministic_hash_independent_of_order():
    closures = [date(2026, 1, 1), date(2026, 12, 25)]
    version = calendar_version(closures, [date(2026, 11, 27)])
    assert version.startswith("nyse-")
    assert len(version) == len("nyse-") + 12
    assert version == calendar_version(list(reversed(closures)), {date(2026, 11, 27)})


@pytest.mark.parametrize(
    ("closures", "early_closes"),
    [
        ([date(2026, 1, 1), date(2026, 12, 25), date(2026, 3, 4)], [date(2026, 11, 27)]),  # added closure
        ([date(2026, 1, 1)], [date(2026, 11, 27)]),  # removed closure
        ([date(2026, 1, 1), date(2026, 12, 25), date(2026, 11, 27)], []),  # early close became closure
        ([date(2026, 1, 1), date(2026, 12, 25)], [date(2026, 11, 27), date(2026, 12, 24)]),  # added early
    ],
)
def test_any_edit_to_the_calendar_data_gives_a_new_version(closures, early_closes):
    base = calendar_version([date(2026, 1, 1), date(2026, 12, 25)], [date(2026, 11, 27)])
    assert calendar_version(closures, early_closes) != base


def test_from_rows_versions_the_calendar_from_its_dates(cal):
    assert cal.version == calendar_version(RULES_CLOSURES, RULES_EARLY_CLOSES)


# --- parsing and formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-03T14:00-05:00", utc(2026, 3, 3, 19, 0)),
        ("2026-03-03T19:00Z", utc(2026, 3, 3, 19, 0)),
        ("2026-03-03T19:00:00+00:00", utc(2026, 3, 3, 19, 0)),
        ("2026-03-04T04:00+09:00", utc(2026, 3, 3, 19, 0)),
        ("2026-03-03T14:00[America/New_York]", utc(2026, 3, 3, 19, 0)),
        ("2026-03-03T14:00-05:00[America/New_York]", utc(2026, 3, 3, 19, 0)),
        ("2026-11-01T01:30-04:00", utc(2026, 11, 1, 5, 30)),  # first 01:30 of the fall-back night
        ("2026-11-01T01:30-05:00", utc(2026, 11, 1, 6, 30)),  # second 01:30
    ],
)
def test_parse_instant_accepts_offsets_z_and_zone_suffix(text, expected):
    assert parse_instant(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-03T14:00", "no UTC offset or time zone"),
        ("2026-03-03", "no UTC offset or time zone"),
        ("yesterday", "not an ISO 8601 date-time"),
        ("2026-03-03T14:00[Mars/Olympus]", "unknown time zone"),
        ("2026-03-03T14:00-04:00[America/New_York]", "does not match"),
        ("2026-03-08T02:30[America/New_York]", "does not exist"),  # skipped by spring-forward
        ("2026-11-01T01:30[America/New_York]", "occurs twice"),  # repeated by fall-back
    ],
)
def test_parse_instant_refuses_what_it_would_otherwise_have_to_guess(text, message):
    with pytest.raises(ValueError, match=message):
        parse_instant(text)


def test_require_aware_refuses_naive_and_nonexistent_wall_clock_times():
    with pytest.raises(ValueError, match="no UTC offset"):
        require_aware(datetime(2026, 3, 3, 14, 0))
    with pytest.raises(ValueError, match="does not exist"):
        require_aware(datetime(2026, 3, 8, 2, 30, tzinfo=NY))
    aware = datetime(2026, 3, 3, 14, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert require_aware(aware) is aware


@pytest.mark.parametrize(
    ("instant", "as_et", "as_utc"),
    [
        (utc(2026, 3, 4, 19, 0), "2026-03-04T14:00-05:00", "2026-03-04T19:00Z"),
        (utc(2026, 9, 8, 13, 30), "2026-09-08T09:30-04:00", "2026-09-08T13:30Z"),
        (utc(2026, 3, 4, 14, 29, 59), "2026-03-04T09:29:59-05:00", "2026-03-04T14:29:59Z"),
        (
            datetime(2026, 7, 1, 21, 0, tzinfo=ZoneInfo("Europe/London")),
            "2026-07-01T16:00-04:00",
            "2026-07-01T20:00Z",
        ),
    ],
)
def test_format_et_and_format_utc_give_iso_8601_with_offset_and_z(instant, as_et, as_utc):
    assert format_et(instant) == as_et
    assert format_utc(instant) == as_utc
    assert datetime.fromisoformat(format_et(instant)) == instant
    assert datetime.fromisoformat(format_utc(instant)) == instant


def test_formatting_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="no UTC offset"):
        format_et(datetime(2026, 3, 3, 14, 0))
