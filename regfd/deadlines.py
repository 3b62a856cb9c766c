"""Regulation FD public-disclosure deadlines: the legal outer limit and the company policy target.

Pure rule module: standard library only, frozen dataclasses in and out, the trading calendar passed
in. The rule, the reading adopted and worked examples are in docs/regfd-rules §2.2. Rule text, 17 CFR
243.101(d): "Promptly means as soon as reasonably practicable (but in no event after the later of 24 hours
or the commencement of the next day's trading on the New York Stock Exchange) after a senior official ...
learns" of the non-intentional disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance_site.lib.markets import TradingCalendar, format_et, format_utc, require_aware

__all__ = [
    "BASIS_NEXT_OPEN",
    "BASIS_SIMULTANEOUS",
    "BASIS_T24",
    "METHOD_INTENTIONAL",
    "METHOD_NON_INTENTIONAL",
    "RULE_VERSION",
    "Deadline",
    "DeadlineInput",
    "compute_deadline",
    "format_et",
    "format_utc",
]

RULE_VERSION = "regfd-deadline/2"

METHOD_NON_INTENTIONAL = "non_intentional"
METHOD_INTENTIONAL = "intentional"

BASIS_T24 = "t0_plus_24h"
BASIS_NEXT_OPEN = "next_trading_day_open"
BASIS_SIMULTANEOUS = "simultaneous_with_disclosure"

_ELAPSED_24H = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class DeadlineInput:
    """What the deadline depends on.

    learned_at: T0, the instant a senior official learned of the disclosure and knew (or was reckless in
        not knowing) it was material and nonpublic (docs/regfd-rules §2.2). Aware; any zone.
    intentional: whether the selective disclosure was intentional (243.101(a)).
    disclosed_at: the instant of the selective disclosure itself. Required when intentional, because
        public disclosure must then be simultaneous with it (243.100(a)(1)).
    """

    learned_at: datetime
    intentional: bool = False
    disclosed_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.learned_at, what="learned_at (T0)")
        if self.disclosed_at is not None:
            require_aware(self.disclosed_at, what="disclosed_at")
        if self.intentional and self.disclosed_at is None:
            raise ValueError(
                "an intentional disclosure needs disclosed_at: public disclosure must be simultaneous "
                "with it (Reg FD 243.100(a)(1)), so that instant is the deadline"
            )


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed deadline with everything that produced it (docs/regfd-rules §2.7). All instants are
    aware UTC.

    outer_limit_utc: the legal "in no event after" limit of 243.101(d) (for an intentional disclosure,
        the disclosure instant).
    policy_target_utc: the company policy target (policy I.B), never later than the outer limit.
    working_deadline_utc: the earlier of the two; the one tracked and alerted on.
    t24_utc: T0 + 24 elapsed hours. next_open_utc: 09:30 ET on the first NYSE trading day strictly after
        the New York date of T0 (`learned_date_et`).
    outer_limit_basis / policy_target_basis: which candidate set each deadline (the BASIS_* values).
    """

    learned_at_utc: datetime
    learned_date_et: date
    intentional: bool
    disclosed_at_utc: datetime | None
    t24_utc: datetime
    next_open_utc: datetime
    outer_limit_utc: datetime
    policy_target_utc: datetime
    working_deadline_utc: datetime
    outer_limit_basis: str
    policy_target_basis: str
    calendar_version: str
    rule_version: str
    method: str
    explanation: str


def compute_deadline(inp: DeadlineInput, *, calendar: TradingCalendar) -> Deadline:
    """Compute the Regulation FD deadlines for one incident against `calendar`.

    Non-intentional disclosure, legal outer limit (docs/regfd-rules §2.2, adopted interpretation):
      the later of T0 + 24 elapsed hours (absolute time, so DST-safe) and 09:30 America/New_York on the
      first NYSE trading day strictly after T0's New York calendar date. A trading day is a weekday that
      is not a full-day closure; early-close days are trading days opening at 09:30.

    Company policy target (policy section I.B: "promptly (within 24 hours) ... If there is an
    intervening weekend or holiday, the disclosure will be before the open of market on the next trading
    day"). Adopted reading:
      - an "intervening weekend or holiday" is any New York calendar date some part of which lies within
        the 24 hours after T0 and that is not a trading day: a Saturday, a Sunday or an NYSE full-day
        closure (scheduled or unscheduled). Early-close days are trading days and do not count. 24 hours
        that end exactly at midnight end as the next date begins and hold none of it, so T0 = 00:00 the
        day before a closure gives T0 + 24 h (rule version 2; version 1 counted that date);
      - if there is one, the target is 09:30 ET on the first trading day after T0's New York date
        ("before the open": the open is the target instant, as in the rule's "commencement of trading");
      - otherwise the target is T0 + 24 h.
      The target is then capped at the outer limit (min of the two), so it is never later than the law
      allows. Under this reading the cap never binds, since both candidates are at most their maximum,
      the outer limit; it is kept as a guard and stated in the explanation.
    Working deadline: the earlier of the policy target and the outer limit.

    Intentional disclosure (243.100(a)(1)): public disclosure must be simultaneous, so every deadline is
    the selective disclosure instant itself; an incident logged after it is already late.

    Raises ValueError for a naive datetime (at DeadlineInput) and when the calendar does not cover a
    date the computation needs.
    """
    learned_at = inp.learned_at.astimezone(UTC)
    learned_date = calendar.local_date(learned_at)
    t24 = learned_at + _ELAPSED_24H  # UTC arithmetic: 24 elapsed hours, whatever the wall clock does.
    next_open = calendar.next_open_after_date(learned_date)
    common = {
        "learned_at_utc": learned_at,
        "learned_date_et": learned_date,
        "intentional": inp.intentional,
        "disclosed_at_utc": inp.disclosed_at.astimezone(UTC) if inp.disclosed_at is not None else None,
        "t24_utc": t24,
        "next_open_utc": next_open,
        "calendar_version": calendar.version,
        "rule_version": RULE_VERSION,
    }

    if inp.intentional:
        disclosed = common["disclosed_at_utc"]
        late = (
            f" T0 ({_shown_et(learned_at)}) is after it, so this incident is already late."
            if learned_at > disclosed
            else ""
        )
        return Deadline(
            **common,
            outer_limit_utc=disclosed,
            policy_target_utc=disclosed,
            working_deadline_utc=disclosed,
            outer_limit_basis=BASIS_SIMULTANEOUS,
            policy_target_basis=BASIS_SIMULTANEOUS,
            method=METHOD_INTENTIONAL,
            explanation=(
                "Intentional selective disclosure: Regulation FD 243.100(a)(1) requires public disclosure "
                "simultaneously, and policy I.B prohibits it unless the information is public at the same "
                f"time or before. The deadline is the disclosure instant itself, {_shown_et(disclosed)} "
                f"({_shown_utc(disclosed)}); an incident logged after that instant is already late.{late} "
                "Record the remediation (immediate public disclosure). "
                f"Calendar {calendar.version}; rule {RULE_VERSION}."
            ),
        )

    if t24 > next_open:
        outer, outer_basis = t24, BASIS_T24
    else:
        outer, outer_basis = next_open, BASIS_NEXT_OPEN

    last_date, ends_at_midnight = _last_date_within(t24, calendar=calendar)
    non_trading = _non_trading_dates(first=learned_date, last=last_date, calendar=calendar)
    if non_trading:
        policy, policy_basis = next_open, BASIS_NEXT_OPEN
        policy_reason = (
            f"the 24 hours after T0 include {_describe_dates(non_trading)}, when the NYSE does not trade "
            f"(weekend or closure), so the target is the next trading day's open, {_shown_et(next_open)}"
        )
    else:
        policy, policy_basis = t24, BASIS_T24
        policy_reason = f"no weekend day or NYSE closure within T0 + 24 h, so the target is {_shown_et(t24)}"
        next_date = last_date + timedelta(days=1)
        if ends_at_midnight and not calendar.is_trading_day(next_date):
            policy_reason += (
                f" (the 24 hours end as {_describe_dates([next_date])} begins: no part of that day, when the "
                "NYSE does not trade, is within them)"
            )
    # Guard: the policy target may be earlier than the law, never later.
    policy = min(policy, outer)
    working = min(policy, outer)

    outer_why = "T0 + 24 h" if outer_basis == BASIS_T24 else "the next trading day's open"
    explanation = (
        "Non-intentional selective disclosure: Regulation FD 243.101(d) requires public disclosure as soon "
        f"as reasonably practicable, and no later than {_shown_et(outer)} ({_shown_utc(outer)}). "
        f"T0 = {_shown_et(learned_at)} (New York date {learned_date.isoformat()}); "
        f"T0 + 24 elapsed hours = {_shown_et(t24)}; the first NYSE trading day after "
        f"{learned_date.isoformat()} opens {_shown_et(next_open)}; the legal outer limit is the later of "
        f"the two ({outer_why}). Company policy I.B target: {policy_reason}; it is capped at the outer "
        f"limit and so is never later than it. Working deadline (the earlier of the two): "
        f"{_shown_et(working)} ({_shown_utc(working)}). Calendar {calendar.version}; rule {RULE_VERSION}."
    )
    return Deadline(
        **common,
        outer_limit_utc=outer,
        policy_target_utc=policy,
        working_deadline_utc=working,
        outer_limit_basis=outer_basis,
        policy_target_basis=policy_basis,
        method=METHOD_NON_INTENTIONAL,
        explanation=explanation,
    )


def _shown_et(instant: datetime) -> str:
    """An instant as the explanation prints it: ISO 8601 in New York time with its offset, to the second, or
    to the minute when the seconds are zero. A T0 taken from the clock carries microseconds, and so do T0 +
    24 h and a deadline set by it; the stored instants keep them, the explanation does not (truncated, so a
    deadline is never shown later than it is)."""
    return format_et(instant.replace(microsecond=0))


def _shown_utc(instant: datetime) -> str:
    """The same instant in UTC, as `_shown_et` prints it."""
    return format_utc(instant.replace(microsecond=0))


def _last_date_within(t24: datetime, *, calendar: TradingCalendar) -> tuple[date, bool]:
    """The last exchange-local date some part of which lies within the 24 hours ending at `t24`, and
    whether they end exactly at local midnight (docs/regfd-rules §2.2, the policy target).

    24 hours ending at 00:00 end the instant the next date begins and hold none of it, so their last date
    is the one before; ending one microsecond later, they hold a microsecond of the new date. Midnight is
    built in the exchange zone and compared as an instant: New York changes its clocks at 02:00, never at
    midnight, so 00:00 always exists once.
    """
    last = calendar.local_date(t24)
    midnight = datetime.combine(last, time(0, 0), tzinfo=ZoneInfo(calendar.tz))
    if t24 == midnight:
        return last - timedelta(days=1), True
    return last, False


def _non_trading_dates(*, first: date, last: date, calendar: TradingCalendar) -> list[date]:
    # The New York dates some part of which lies within the 24 hours after T0: T0's own date to `last`.
    days = []
    day = first
    while day <= last:
        if not calendar.is_trading_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _describe_dates(days: list[date]) -> str:
    return ", ".join(f"{d.isoformat()} ({d:%a})" for d in days)
