"""The periods a document can be about: a calendar quarter in exchange time (Reg FD logs and bundles) or a
fiscal year of the company (Item 402(w)). Shared by the kinds the programs register (docs/architecture.md:
the programs import these helpers, never the reverse)."""

import re
from datetime import date, datetime, time

from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.lib.markets import FIRST_RECORD_YEAR, LAST_RECORD_YEAR
from compliance_site.lib.timefmt import EXCHANGE_TZ

QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(period: str) -> tuple[datetime, datetime]:
    """'2026-Q3' -> [start, end) as aware instants: calendar quarters in exchange time (ET)."""
    match = QUARTER_RE.match(period or "")
    if not match:
        raise ValueError(f"{period!r} is not a quarter such as 2026-Q3")
    year, quarter = int(match[1]), int(match[2])
    if not FIRST_RECORD_YEAR <= year <= LAST_RECORD_YEAR:
        raise ValueError(f"{period!r} is not a quarter between {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}")
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    # Midnight ET at both ends: wall-clock boundaries in the exchange zone, converted by zoneinfo (DST-safe).
    return (
        datetime.combine(first, time(0), tzinfo=EXCHANGE_TZ),
        datetime.combine(after, time(0), tzinfo=EXCHANGE_TZ),
    )


def quarter_of(instant: datetime) -> str:
    local = instant.astimezone(EXCHANGE_TZ)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def recent_quarters(now: datetime, count: int = 6) -> list[str]:
    """The quarter of `now` and the ones before it, newest first."""
    quarters = []
    year, quarter = map(int, quarter_of(now).replace("Q", "").split("-"))
    for _ in range(count):
        quarters.append(f"{year}-Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return quarters


def today_et(now: datetime) -> date:
    """The exchange's calendar date at `now` (ET)."""
    return now.astimezone(EXCHANGE_TZ).date()


def fiscal_year(company: Company, label: str) -> FiscalPeriod:
    period = FiscalPeriod.objects.filter(company=company, label=label).first()
    if period is None:
        raise ValueError(f"{label!r} is not a fiscal period of {company}: choose one of its fiscal years")
    return period
