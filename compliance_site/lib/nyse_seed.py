"""Seed rows for the NYSE trading calendar, taken from python-holidays.

The only module that imports `holidays`: everything else treats the calendar as data (docs/regfd-rules
§3.3). `holidays.NYSE` gives the full-day closures (including the unscheduled 2025-01-09 national day of
mourning) and, with ``categories=("half_day",)``, the 1:00 p.m. early closes; for 2025-2028 both match
the NYSE's published tables in docs/regfd-rules §3.2 exactly (checked in tests/lib/test_nyse_seed.py).
These rows seed the administrator-editable calendar table; unscheduled closures announced later are added
there, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import holidays

from compliance_site.lib.markets import CLOSURE, EARLY_CLOSE, CalendarRow, TradingCalendar

SEED_YEARS = range(2023, 2029)
SOURCE = f"holidays.NYSE (python-holidays {holidays.__version__})"


def nyse_calendar_rows(years: Iterable[int] = SEED_YEARS) -> list[CalendarRow]:
    """NYSE closures and early closes for `years`, sorted by date: (date, kind, name, source)."""
    years = list(years)
    closures = holidays.NYSE(years=years)
    early_closes = holidays.NYSE(years=years, categories=("half_day",))
    rows = [CalendarRow(day, CLOSURE, name, SOURCE) for day, name in closures.items()]
    rows += [CalendarRow(day, EARLY_CLOSE, name, SOURCE) for day, name in early_closes.items()]
    return sorted(rows)


@lru_cache(maxsize=1)
def seed_calendar() -> TradingCalendar:
    """The seed as a calendar, for the pure tests and as the reference the table starts from. Building the
    rows costs ~0.5 s, so once per process."""
    return TradingCalendar.from_rows(
        nyse_calendar_rows(SEED_YEARS),
        exchange="NYSE",
        first_year=SEED_YEARS.start,
        last_year=SEED_YEARS.stop - 1,
    )
