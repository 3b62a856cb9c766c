"""Builders of engine inputs for the recovery engine's tests: a scenario with sensible defaults, changed
where a test needs it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clawback.recovery import (
    INCENTIVE_BASIS,
    Award,
    AwardResult,
    CurveFormula,
    Executive,
    FiscalPeriod,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Restatement,
    RestatementEvent,
    Scenario,
)

D = Decimal
RD = date(2026, 4, 15)
CALENDAR_YEARS = tuple(
    FiscalPeriod(label=f"FY{y}", start=date(y, 1, 1), end=date(y, 12, 31)) for y in range(2019, 2028)
)
BONUS_CURVE = CurveFormula(
    target=D("800000"),
    points=((D("180000000"), D("0.5")), (D("220000000"), D("1.0")), (D("260000000"), D("2.0"))),
)
TSR_CURVE = CurveFormula(
    target=D("20000"), points=((D("25"), D("0.5")), (D("50"), D("1.0")), (D("75"), D("2.0")))
)


# --- builders -------------------------------------------------------------------------------------


def officer(start: str, end: str | None = None) -> OfficerPeriod:
    return OfficerPeriod(
        start=date.fromisoformat(start), end=None if end is None else date.fromisoformat(end)
    )


def person(exec_id: str = "ceo", *periods: OfficerPeriod) -> Executive:
    return Executive(
        id=exec_id, name=f"Person {exec_id}", officer_periods=periods or (officer("2015-01-01"),)
    )


def measure(
    values: dict[str, tuple[str, str | None]] | None = None,
    *,
    key: str = "net_income",
    category: str = "net_income",
) -> Measure:
    values = values or {"FY2024": ("240000000", "228000000")}
    return Measure(
        key=key,
        category=category,
        values={
            label: MeasureValue(original=D(orig), restated=None if restated is None else D(restated))
            for label, (orig, restated) in values.items()
        },
    )


def award(**overrides) -> Award:
    fields = {
        "id": "bonus",
        "executive": "ceo",
        "type": "cash_bonus",
        "basis": INCENTIVE_BASIS,
        "performance_start": date(2024, 1, 1),
        "performance_end": date(2024, 12, 31),
        "measure": "net_income",
        "measure_period": "FY2024",
        "formula": BONUS_CURVE,
        "unit": "USD",
        "received": D("1200000"),
    }
    fields.update(overrides)
    return Award(**fields)


def scenario(
    *awards: Award,
    measures: tuple[Measure, ...] | None = None,
    executives: tuple[Executive, ...] | None = None,
    kind: str = "big_r",
    events: tuple[RestatementEvent, ...] | None = None,
    **overrides,
) -> Scenario:
    fields = {
        "company_name": "Example Corp",
        "fiscal_periods": CALENDAR_YEARS,
        "restatement": Restatement(
            kind=kind, events=events or (RestatementEvent(kind="board_concluded", date=RD),)
        ),
        "measures": measures if measures is not None else (measure(),),
        "executives": executives if executives is not None else (person(),),
        "awards": awards or (award(),),
    }
    fields.update(overrides)
    return Scenario(**fields)


def only(result) -> AwardResult:
    (single,) = result.awards
    return single


def event(kind: str, day: str) -> RestatementEvent:
    return RestatementEvent(kind=kind, date=date.fromisoformat(day))


def fy(label: str, start: str, end: str, *, transition: bool = False) -> FiscalPeriod:
    return FiscalPeriod(
        label=label, start=date.fromisoformat(start), end=date.fromisoformat(end), transition=transition
    )
