"""Write the demo's daily closing prices, clawback/demo_data/prices-demo.csv, for the event study.

Every NYSE trading day from 2022-12-01 through 2026-06-30, with the company's close, a market index and a
peer index, all to 2 decimals. The series are simulated, deterministically (numpy's default_rng(2027)):

- market daily return: N(0.0004, 0.010);
- peer daily return: 0.8 x market + N(0, 0.006);
- company daily return: 0.0001 + 1.15 x market + N(0, 0.012), plus the restatement news as abnormal
  returns of -7% on 2026-04-20 (the draft case's Form 8-K Item 4.02) and -6% on 2026-05-04 (the other
  case's), so that an event study finds each on the day the restatement was announced.

Starting closes on 2022-12-01: company 48.00, market 3,850.00, peer 910.00. The seed is 2027, not the 2026
first chosen: with 2026 the company closed 2025 at 48.48, and the demo's story needs about 60-80 then. Moving
to the next seed (69.56) keeps the model above unchanged, where raising the company's drift would not.

Run from the repository root: `.venv/bin/python scripts/make_demo_prices.py`. tests/clawback/test_prices.py
checks that the committed file is exactly what this script writes.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "clawback" / "demo_data" / "prices-demo.csv"
FIRST_DAY, LAST_DAY = date(2022, 12, 1), date(2026, 6, 30)
SEED = 2027
START = {"company": 48.00, "market": 3850.00, "peer": 910.00}
ABNORMAL = {date(2026, 4, 20): -0.07, date(2026, 5, 4): -0.06}
HEADER = "Date,Company close,Market index,Peer index"


def trading_days() -> list[date]:
    from clawback.prices import price_calendar

    calendar = price_calendar(FIRST_DAY.year, LAST_DAY.year)
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if calendar.is_trading_day(day):
            days.append(day)
        day += timedelta(days=1)
    missing = [d for d in ABNORMAL if d not in days]
    if missing:
        raise ValueError(f"abnormal-return days that do not trade: {missing}")
    return days


def render() -> str:
    """The CSV text, "\\n" line endings, ending in a newline."""
    days = trading_days()
    rng = np.random.default_rng(SEED)
    steps = len(days) - 1
    market = rng.normal(0.0004, 0.010, steps)
    peer = 0.8 * market + rng.normal(0.0, 0.006, steps)
    company = 0.0001 + 1.15 * market + rng.normal(0.0, 0.012, steps)
    company += np.array([ABNORMAL.get(day, 0.0) for day in days[1:]])
    # Levels compound from the unrounded path; only the written closes are rounded.
    levels = {
        name: START[name] * np.concatenate(([1.0], np.cumprod(1.0 + returns)))
        for name, returns in (("company", company), ("market", market), ("peer", peer))
    }
    lines = [HEADER]
    for i, day in enumerate(days):
        closes = ",".join(f"{levels[name][i]:.2f}" for name in ("company", "market", "peer"))
        lines.append(f"{day.isoformat()},{closes}")
    return "\n".join(lines) + "\n"


def main() -> None:
    OUTPUT.write_text(render(), encoding="utf-8", newline="")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")  # noqa: T201 - a command-line script reports what it wrote


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
