"""Benchmark: the clawback engine on a large case (10,000 awards held by 500 executives).

`run()` returns rows for bench/run.py; `python bench/bench_recovery.py` prints them.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clawback.recovery import (  # noqa: E402 - the path line above makes the script runnable directly
    Award,
    CurveFormula,
    Executive,
    FiscalPeriod,
    LinearFormula,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Restatement,
    RestatementEvent,
    Scenario,
    evaluate,
    evaluate_formula,
    round_half_up,
)

AWARDS = 10_000
EXECUTIVES = 500
REPEATS = 5
TARGET_SECONDS = 1.0


def build_scenario(*, awards: int = AWARDS, executives: int = EXECUTIVES) -> Scenario:
    """A calendar-year company restating FY2023-FY2025, with a mix of cash and unit awards, curve and
    linear formulas, a TSR measure awaiting an estimate, and awards outside the window or the service."""
    years = range(2021, 2027)
    fiscal_periods = tuple(
        FiscalPeriod(label=f"FY{y}", start=date(y, 1, 1), end=date(y, 12, 31)) for y in years
    )
    net_income = Measure(
        key="net_income",
        category="net_income",
        values={
            f"FY{y}": MeasureValue(
                original=Decimal(200_000_000 + 20_000_000 * (y - 2021)),
                restated=Decimal(190_000_000 + 17_000_000 * (y - 2021)) if 2023 <= y <= 2025 else None,
            )
            for y in years
        },
    )
    tsr = Measure(key="tsr", category="tsr", values={"FY2023-FY2025": MeasureValue(original=Decimal("61.5"))})
    curve = CurveFormula(
        target=Decimal("800000"),
        points=(
            (Decimal("180000000"), Decimal("0.5")),
            (Decimal("220000000"), Decimal("1.0")),
            (Decimal("260000000"), Decimal("2.0")),
        ),
    )
    linear = LinearFormula(rate=Decimal("0.0001"), offset=Decimal("150000000"), cap=Decimal("25000"))
    people = tuple(
        Executive(
            id=f"exec-{i}",
            name=f"Executive {i}",
            # Every seventh executive left mid-2024; the others still serve.
            officer_periods=(
                OfficerPeriod(
                    start=date(2015 + i % 10, 1 + i % 12, 1), end=None if i % 7 else date(2024, 6, 30)
                ),
            ),
        )
        for i in range(executives)
    )
    award_rows = []
    for n in range(awards):
        person = people[n % executives]
        year = 2021 + n % 6
        kind = n % 10
        if kind == 9:
            award_rows.append(
                Award(
                    id=f"a{n}",
                    executive=person.id,
                    type="performance_shares",
                    basis="financial_reporting_measure",
                    performance_start=date(2023, 1, 1),
                    performance_end=date(2025, 12, 31),
                    measure="tsr",
                    measure_period="FY2023-FY2025",
                    formula=CurveFormula(
                        target=Decimal("20000"),
                        points=((Decimal("25"), Decimal("0.5")), (Decimal("75"), Decimal("2"))),
                    ),
                    unit="units",
                    value_per_unit=Decimal("62.50"),
                    received=Decimal("30000"),
                )
            )
            continue
        units = kind in (3, 4)
        formula = linear if units else curve
        # Received as the plan paid it: the formula on the original value, so no mismatch warnings.
        paid, _ = evaluate_formula(formula, net_income.values[f"FY{year}"].original)
        award_rows.append(
            Award(
                id=f"a{n}",
                executive=person.id,
                type="performance_shares" if units else "cash_bonus",
                basis="time_vested" if kind == 8 else "financial_reporting_measure",
                performance_start=date(year, 1, 1),
                performance_end=date(year, 12, 31),
                measure="net_income",
                measure_period=f"FY{year}",
                formula=formula,
                unit="units" if units else "USD",
                value_per_unit=Decimal("41.37") if units else None,
                received=round_half_up(paid, quantum=Decimal(1) if units else Decimal("0.01")),
            )
        )
    return Scenario(
        company_name="Benchmark Corp",
        fiscal_periods=fiscal_periods,
        restatement=Restatement(
            kind="big_r",
            events=(
                RestatementEvent(kind="board_concluded", date=date(2026, 4, 15)),
                RestatementEvent(kind="form_8k_item_4_02_filed", date=date(2026, 4, 20)),
            ),
        ),
        measures=(net_income, tsr),
        executives=people,
        awards=tuple(award_rows),
    )


def run() -> list[dict]:
    scenario = build_scenario()
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = evaluate(scenario)
        best = min(best, time.perf_counter() - started)
    assert len(result.awards) == AWARDS
    return [
        {
            "name": f"clawback: evaluate {AWARDS:,} awards",
            "value": round(best, 4),
            "unit": "s",
            "target": TARGET_SECONDS,
        }
    ]


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
