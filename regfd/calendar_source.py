"""Where the Regulation FD engine gets its trading calendar: the single seam for calendar data."""

from compliance_site.lib.markets import CalendarRow, TradingCalendar
from compliance_site.lib.nyse_seed import SEED_YEARS

from .models import MarketClosure

# The years the calendar table is complete for (seeded from the exchange's published calendar). A date
# outside them is refused by the engine rather than silently treated as a normal trading day.
COVERED_YEARS = SEED_YEARS


def current_calendar(exchange: str = "NYSE") -> TradingCalendar:
    """The calendar deadlines are computed against now: the active rows of the administrator-editable
    table (docs/regfd-rules §3.3). Read on every call — about 70 rows in one query — so an edit (an
    unscheduled closure) takes effect at once; the version is the hash of those rows."""
    rows = [
        CalendarRow(r.date, r.kind, r.name, r.source)
        for r in MarketClosure.objects.filter(exchange=exchange, active=True).only(
            "date", "kind", "name", "source"
        )
    ]
    return TradingCalendar.from_rows(
        rows, exchange=exchange, first_year=COVERED_YEARS.start, last_year=COVERED_YEARS.stop - 1
    )
