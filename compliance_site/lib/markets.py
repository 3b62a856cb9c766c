"""Exchange trading calendar: which days trade and when a session opens and closes.

Pure module (standard library only). Calendar facts - full-day closures and early closes - come in as
data (docs/regfd-rules §3.3: the calendar is data, editable by an administrator, each row with its
source); this module
holds no holiday rules. `compliance_site/lib/nyse_seed.py` produces the seed rows and
`regfd/calendar_source.py` decides which rows are current.

Time handling: instants are aware and converted to UTC; exchange-local wall clock
(America/New_York) is used only to decide dates and session times, and converted straight back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CLOSURE = "closure"
EARLY_CLOSE = "early_close"
KINDS = (CLOSURE, EARLY_CLOSE)

NEW_YORK = ZoneInfo("America/New_York")

_SATURDAY = 5


class CalendarRow(NamedTuple):
    """One calendar fact: a full-day closure or an early close, with its name and where it came from."""

    date: date
    kind: str
    name: str
    source: str


def calendar_version(
    closures: Iterable[date], early_closes: Iterable[date], *, exchange: str = "NYSE"
) -> str:
    """A short deterministic version label for a set of calendar facts, e.g. ``nyse-3f2a9c0d41be``.

    Hashes the sorted (date, kind) pairs only: names and sources do not change any deadline, while
    adding, removing or reclassifying a date does, so each such edit yields a new version (docs/regfd-rules
    §3.3 and §2.7: every deadline records the calendar that produced it).
    """
    pairs = sorted(
        [(d.isoformat(), CLOSURE) for d in set(closures)]
        + [(d.isoformat(), EARLY_CLOSE) for d in set(early_closes)]
    )
    payload = "\n".join(f"{day} {kind}" for day, kind in pairs).encode("ascii")
    return f"{exchange.lower()}-{hashlib.sha256(payload).hexdigest()[:12]}"


# The years a time the application records may fall in: far-off years cannot be converted between zones
# (9999-12-31 in New York is past the last UTC instant Python has), and no record is from them.
FIRST_RECORD_YEAR, LAST_RECORD_YEAR = 1900, 2199


def in_record_years(instant) -> bool:
    return FIRST_RECORD_YEAR <= instant.year <= LAST_RECORD_YEAR


def require_aware(instant: datetime, what: str | None = None) -> datetime:
    """Return `instant` unchanged if it is a real aware instant; raise ValueError otherwise.

    A naive datetime is refused rather than assumed to be in some zone (docs/regfd-rules §2.2: never
    silently assumed). A wall-clock time that does not exist in its zone (the skipped hour of a
    spring-forward DST change, e.g. 02:30 on 2026-03-08 in New York) is refused too: zoneinfo would
    quietly map it to an instant the user never typed.
    """
    if not isinstance(instant, datetime):
        raise TypeError(f"{what or 'instant'} must be a datetime, not {type(instant).__name__}")
    label = what or instant.replace(tzinfo=None).isoformat()
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"{label} has no UTC offset or time zone; enter it with one "
            "(e.g. 2026-03-03T14:00-05:00), it is never assumed"
        )
    if not in_record_years(instant):
        raise ValueError(f"{label} is not between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}")
    round_trip = instant.astimezone(UTC).astimezone(instant.tzinfo)
    if round_trip.replace(tzinfo=None, fold=0) != instant.replace(tzinfo=None, fold=0):
        raise ValueError(
            f"{label} does not exist in {instant.tzinfo} "
            "(skipped by a daylight-saving change); enter it with an explicit UTC offset"
        )
    return instant


_BRACKET_ZONE = re.compile(r"^(?P<stamp>[^\[\]]+)\[(?P<zone>[^\[\]]+)\]$")


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant that carries its UTC offset or zone; return it as an aware datetime.

    Accepted: ``2026-03-03T14:00-05:00``, ``2026-03-03T19:00Z``, and the RFC 9557 zone suffix
    ``2026-03-03T14:00[America/New_York]`` (with or without an offset before the bracket; if both are
    given they must agree). Refused with ValueError: no offset and no zone, an unknown zone, and, for a
    zone without an offset, a wall-clock time that is skipped or repeated by a DST change (the offset
    is then what the user must choose).
    """
    text = text.strip()
    match = _BRACKET_ZONE.match(text)
    if match is None:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO 8601 date-time") from None
        return require_aware(parsed, what=repr(text))

    stamp, zone_key = match["stamp"], match["zone"]
    try:
        zone = ZoneInfo(zone_key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r}: unknown time zone {zone_key!r}") from None
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is not None:
        if not in_record_years(parsed):
            raise ValueError(f"{text!r} is not between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}")
        in_zone = parsed.astimezone(zone)
        if in_zone.utcoffset() != parsed.utcoffset():
            raise ValueError(
                f"{text!r}: offset {parsed.strftime('%z')} does not match {zone_key} at that instant "
                f"({in_zone.strftime('%z')})"
            )
        return in_zone
    local = require_aware(parsed.replace(tzinfo=zone), what=repr(text))
    # Repeated hour of a fall-back DST change: both folds exist, so the wall clock alone is not an instant.
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        raise ValueError(
            f"{text!r} occurs twice in {zone_key} (daylight-saving change); enter it with a UTC offset"
        )
    return local


def _iso(dt: datetime) -> str:
    # Minute precision when exact (as the spec tables print deadlines), never dropping real seconds.
    if dt.second == 0 and dt.microsecond == 0:
        return dt.isoformat(timespec="minutes")
    if dt.microsecond == 0:
        return dt.isoformat(timespec="seconds")
    return dt.isoformat()


def format_et(instant: datetime) -> str:
    """ISO 8601 in America/New_York with its offset, e.g. ``2026-03-04T14:00-05:00``."""
    return _iso(require_aware(instant).astimezone(NEW_YORK))


def format_utc(instant: datetime) -> str:
    """ISO 8601 in UTC ending in ``Z``, e.g. ``2026-03-04T19:00Z``."""
    return _iso(require_aware(instant).astimezone(UTC)).removesuffix("+00:00") + "Z"


@dataclass(frozen=True, slots=True)
class TradingCalendar:
    """An exchange's trading days and session times for the years `first_year`..`last_year`.

    A trading day is a weekday that is not a full-day closure; early-close days are trading days that
    open at the normal time and close at `early_close` (docs/regfd-rules §3.1). Every question about a date
    outside the covered years raises ValueError: an uncovered year would silently look like a year
    with no holidays. Session times are exchange-local wall clock in `tz`; methods return aware UTC.
    """

    exchange: str
    version: str
    closures: frozenset[date]
    early_closes: frozenset[date]
    first_year: int
    last_year: int
    tz: str = "America/New_York"
    open: time = time(9, 30)
    close: time = time(16, 0)
    early_close: time = time(13, 0)
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept any iterable of dates from callers but keep the frozen, hashable form.
        object.__setattr__(self, "closures", frozenset(self.closures))
        object.__setattr__(self, "early_closes", frozenset(self.early_closes))
        object.__setattr__(self, "_zone", ZoneInfo(self.tz))
        if self.first_year > self.last_year:
            raise ValueError(f"first_year {self.first_year} is after last_year {self.last_year}")
        both = self.closures & self.early_closes
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"{self.exchange} calendar lists {listed} as both a closure and an early close")
        outside = sorted(
            d for d in self.closures | self.early_closes if not self.first_year <= d.year <= self.last_year
        )
        if outside:
            raise ValueError(
                f"{self.exchange} calendar covers {self.first_year}-{self.last_year} but has facts for "
                f"{', '.join(d.isoformat() for d in outside)}; widen the covered years"
            )
        if not self.early_close < self.close or not self.open < self.early_close:
            raise ValueError("session times must satisfy open < early_close < close")

    @classmethod
    def from_rows(
        cls, rows: Iterable[CalendarRow], *, exchange: str, first_year: int, last_year: int
    ) -> TradingCalendar:
        """Build a calendar from (date, kind, ...) rows, versioned by `calendar_version`."""
        closures: set[date] = set()
        early_closes: set[date] = set()
        for row in rows:
            day, kind = row[0], row[1]
            if kind == CLOSURE:
                closures.add(day)
            elif kind == EARLY_CLOSE:
                early_closes.add(day)
            else:
                raise ValueError(f"unknown calendar row kind {kind!r} for {day}; expected one of {KINDS}")
        return cls(
            exchange=exchange,
            version=calendar_version(closures, early_closes, exchange=exchange),
            closures=frozenset(closures),
            early_closes=frozenset(early_closes),
            first_year=first_year,
            last_year=last_year,
        )

    # --- dates -------------------------------------------------------------------------------------

    def covers(self, d: date) -> bool:
        return self.first_year <= d.year <= self.last_year

    def _require_covered(self, d: date) -> None:
        if not self.covers(d):
            raise ValueError(
                f"{self.exchange} calendar {self.version} covers {self.first_year}-{self.last_year}; "
                f"{d.isoformat()} is outside it. Add that year's closures and early closes first."
            )

    def is_trading_day(self, d: date) -> bool:
        self._require_covered(d)
        return d.weekday() < _SATURDAY and d not in self.closures

    def is_early_close(self, d: date) -> bool:
        self._require_covered(d)
        return d in self.early_closes

    def next_trading_day_after(self, d: date) -> date:
        """The first trading day strictly after `d`."""
        day = d + timedelta(days=1)
        while not self.is_trading_day(day):
            day += timedelta(days=1)
        return day

    def local_date(self, instant: datetime) -> date:
        """The exchange-local calendar date of an aware instant (its "New York date" for NYSE)."""
        return require_aware(instant).astimezone(self._zone).date()

    # --- sessions ----------------------------------------------------------------------------------

    def _at_local(self, d: date, wall: time) -> datetime:
        # Build the wall-clock time in the exchange zone and convert straight to UTC; zoneinfo picks the
        # offset in force on that date, so 09:30 is 14:30Z in winter and 13:30Z in summer. Session times
        # never fall in the 02:00 DST transition hour, so there is no gap or fold to resolve.
        return datetime.combine(d, wall, tzinfo=self._zone).astimezone(UTC)

    def _require_trading_day(self, d: date) -> None:
        if not self.is_trading_day(d):
            raise ValueError(f"{d.isoformat()} ({d:%A}) is not an {self.exchange} trading day")

    def session_open(self, d: date) -> datetime:
        """The opening instant (aware UTC) of trading day `d`."""
        self._require_trading_day(d)
        return self._at_local(d, self.open)

    def session_close(self, d: date) -> datetime:
        """The closing instant (aware UTC) of trading day `d`: `early_close` on early-close days."""
        self._require_trading_day(d)
        return self._at_local(d, self.early_close if d in self.early_closes else self.close)

    def is_open_at(self, instant: datetime) -> bool:
        """Whether the regular session is in progress at `instant` (open inclusive, close exclusive)."""
        d = self.local_date(instant)
        if not self.is_trading_day(d):
            return False
        return self.session_open(d) <= instant < self.session_close(d)

    def next_open_after_date(self, d: date) -> datetime:
        """The opening instant of the first trading day strictly after date `d`."""
        return self.session_open(self.next_trading_day_after(d))
