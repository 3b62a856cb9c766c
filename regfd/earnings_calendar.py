"""An earnings release or call against the NYSE calendar: which session it falls in, and whether the
exchange is open that day at all.

Pure rule module: standard library only, the trading calendar (compliance_site/lib/markets.py) and the
closures' names passed in, frozen dataclasses out. The rule (docs/regfd-rules §2.8 and §3):

- The session is 09:30-16:00 New York time, or 09:30-13:00 on an early close (the day after Thanksgiving,
  Christmas Eve, some July 3rds). A release at or after the day's close is "after the close": 14:00 on an
  early close is after the market has closed, not during the session (policy I.C).
- On a day the NYSE is closed (a weekend, a full-day holiday or an unscheduled closure) there is no session:
  a release then comes before the next trading day's open. A release or call scheduled on such a day is
  flagged, naming the day ("Christmas Day: the NYSE is closed ..."), with the trading days to move it to:
  the previous trading day (release after its close) or the next one (release before its open).
- A suggested date that falls on a closed day moves to a trading day: a date that must come *before*
  something (a notice, an announcement) moves back to the previous trading day, one that must come *after*
  moves forward to the next, so the moved date never shortens a period the rule requires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from compliance_site.lib.markets import TradingCalendar, require_aware

__all__ = [
    "AFTER_CLOSE",
    "BEFORE_OPEN",
    "DURING_SESSION",
    "MarketDay",
    "ScheduleCheck",
    "check_scheduled",
    "market_day",
    "move_to_trading_day",
    "previous_trading_day",
    "release_session",
]

# The values of regfd.models.EarningsEvent.Timing, spelled here so the rule needs no Django.
BEFORE_OPEN = "before_open"
DURING_SESSION = "during_session"
AFTER_CLOSE = "after_close"

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class MarketDay:
    """The New York date of an instant and what the NYSE does that day.

    name: the closure's or early close's name ("Christmas Day"), the weekday for a weekend ("Saturday"),
        "" for an ordinary trading day.
    close: the New York wall-clock close (16:00, or 13:00 on an early close); None when closed all day.
    """

    day: date
    trading: bool
    early_close: bool
    name: str
    close: time | None

    @property
    def label(self) -> str:
        return f"{_WEEKDAY_NAMES[self.day.weekday()]} {self.day.isoformat()}"


@dataclass(frozen=True, slots=True)
class ScheduleCheck:
    """A release or call against the calendar: ok False when the NYSE is closed that day, with the trading
    days to move it to; ok True otherwise, with a note on an early close."""

    ok: bool
    detail: str
    previous_trading_day: date | None = None
    next_trading_day: date | None = None


def previous_trading_day(d: date, *, calendar: TradingCalendar) -> date:
    """The last trading day strictly before `d`."""
    day = d - timedelta(days=1)
    while not calendar.is_trading_day(day):
        day -= timedelta(days=1)
    return day


def move_to_trading_day(d: date, *, calendar: TradingCalendar, earlier: bool) -> date:
    """`d` itself if the NYSE trades that day; otherwise the previous trading day (`earlier`: a date that
    must come before something) or the next one (a date that must come after)."""
    if calendar.is_trading_day(d):
        return d
    if earlier:
        return previous_trading_day(d, calendar=calendar)
    return calendar.next_trading_day_after(d)


def market_day(instant: datetime, *, calendar: TradingCalendar, names: Mapping[date, str]) -> MarketDay:
    """What the NYSE does on the New York date of `instant` (raises ValueError outside the covered years)."""
    day = calendar.local_date(require_aware(instant))
    if not calendar.is_trading_day(day):
        name = names.get(day) or _WEEKDAY_NAMES[day.weekday()]
        return MarketDay(day, trading=False, early_close=False, name=name, close=None)
    early = calendar.is_early_close(day)
    return MarketDay(
        day,
        trading=True,
        early_close=early,
        name=names.get(day, "") if early else "",
        close=calendar.early_close if early else calendar.close,
    )


def release_session(release_at: datetime, *, calendar: TradingCalendar) -> str:
    """BEFORE_OPEN, DURING_SESSION or AFTER_CLOSE for a release, in New York time and with that day's
    session: the close is 13:00 on an early close; on a closed day the release comes before the next open."""
    day = calendar.local_date(require_aware(release_at))
    if not calendar.is_trading_day(day):
        return BEFORE_OPEN
    if release_at < calendar.session_open(day):
        return BEFORE_OPEN
    if release_at >= calendar.session_close(day):
        return AFTER_CLOSE
    return DURING_SESSION


def check_scheduled(
    instant: datetime, *, what: str, calendar: TradingCalendar, names: Mapping[date, str]
) -> ScheduleCheck:
    """Whether the NYSE trades on the New York date a release or call (`what`) is scheduled for.

    Closed: "Christmas Day: the NYSE is closed — move the release to a trading day: Thursday 2026-12-24
    (early close at 13:00 ET) or Monday 2026-12-28." Early close: ok, with the 13:00 close said.
    """
    market = market_day(instant, calendar=calendar, names=names)
    if not market.trading:
        before = previous_trading_day(market.day, calendar=calendar)
        after = calendar.next_trading_day_after(market.day)
        return ScheduleCheck(
            ok=False,
            detail=(
                f"{market.name}: the NYSE is closed — move the {what} to a trading day: "
                f"{_day_label(before, calendar)} or {_day_label(after, calendar)}."
            ),
            previous_trading_day=before,
            next_trading_day=after,
        )
    if market.early_close:
        name = f"{market.name}, " if market.name else ""
        return ScheduleCheck(
            ok=True, detail=f"{name}{market.label}: an early close — the NYSE closes at 13:00 ET."
        )
    return ScheduleCheck(ok=True, detail=f"{market.label} is an NYSE trading day.")


def _day_label(d: date, calendar: TradingCalendar) -> str:
    label = f"{_WEEKDAY_NAMES[d.weekday()]} {d.isoformat()}"
    return label + " (early close at 13:00 ET)" if calendar.is_early_close(d) else label
