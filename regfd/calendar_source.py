"""Where the Regulation FD engine gets its trading calendar: the single seam for calendar data."""

from __future__ import annotations

from functools import lru_cache

from compliance_site.lib.markets import TradingCalendar
from compliance_site.lib.nyse_seed import SEED_YEARS, nyse_calendar_rows


def current_calendar() -> TradingCalendar:
    """The NYSE calendar that deadlines are computed against now.

    This function is the one place that decides which calendar data is current; the management
    command, services and the API all call it and pass the result into the pure engine
    (`regfd.deadlines.compute_deadline(..., calendar=...)`). For now it is built from the
    python-holidays seed rows (`compliance_site.lib.nyse_seed`) for 2023-2028. It is to be switched
    to read the versioned, administrator-editable calendar table (rules.md §3: unscheduled closures
    such as 2025-01-09 must be editable), at which point the cache below must go or be keyed by the
    table's version, so that an edit takes effect at once.
    """
    return _seed_calendar()


@lru_cache(maxsize=1)
def _seed_calendar() -> TradingCalendar:
    # The seed rows depend only on the installed python-holidays release, and building them costs
    # ~0.5 s, so build once per process.
    return TradingCalendar.from_rows(
        nyse_calendar_rows(SEED_YEARS),
        exchange="NYSE",
        first_year=SEED_YEARS.start,
        last_year=SEED_YEARS.stop - 1,
    )
