"""The clawback recovery engine (clawback.recovery) against Rule 10D-1 as docs/clawback-rules.md §1 states
it, without a database. Scorecards, amounts already recovered and exact unit arithmetic are in
test_scorecards.py and test_scenario_v2.py."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawback import recovery
from clawback.recovery import (
    INCENTIVE_BASIS,
    LISTING_STANDARD_EFFECTIVE,
    Award,
    AwardResult,
    CurveFormula,
    Estimate,
    Executive,
    FiscalPeriod,
    LinearFormula,
    ListedPeriod,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Reason,
    Restatement,
    RestatementEvent,
    Scenario,
    Status,
    counts_as_fiscal_year,
    evaluate,
    evaluate_formula,
    lookback_window,
    period_months,
    required_to_prepare,
    round_half_up,
    starts_recovery_analysis,
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


# --- §1.3 triggers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "starts"),
    [("big_r", True), ("little_r", True), ("out_of_period", False), ("non_error_change", False)],
)
def test_only_big_r_and_little_r_start_a_recovery_analysis(kind, starts):
    assert starts_recovery_analysis(kind) is starts
    result = evaluate(scenario(kind=kind))
    assert result.triggers_recovery_analysis is starts
    assert (result.required_on is not None) is starts
    assert (result.lookback is not None) is starts
    assert len(result.awards) == (1 if starts else 0)


@pytest.mark.parametrize("kind", ["out_of_period", "non_error_change"])
def test_non_triggering_restatement_has_no_date_no_window_and_no_awards(kind):
    result = evaluate(scenario(kind=kind))
    assert result.required_on is None
    assert result.required_on_event is None
    assert result.lookback is None
    assert result.awards == ()
    assert result.executives == ()
    assert result.totals.excess_usd == 0 and result.totals.pending_estimates == 0


# --- §1.4 restatement date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "board_concluded",
        "committee_concluded",
        "officers_concluded",
        "should_have_concluded",
        "directed_by_court_or_regulator",
    ],
)
def test_each_conclusion_or_direction_sets_the_restatement_date(kind):
    assert required_to_prepare([event(kind, "2026-04-15")]) == (date(2026, 4, 15), kind)


@pytest.mark.parametrize(
    "kind", ["board_ratified", "form_8k_item_4_02_filed", "restated_financials_filed", "auditor_letter"]
)
def test_ratification_filings_and_other_events_never_set_the_restatement_date(kind):
    assert required_to_prepare([event(kind, "2026-01-01")]) is None


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (
            [
                ("form_8k_item_4_02_filed", "2026-04-20"),
                ("board_concluded", "2026-04-15"),
                ("restated_financials_filed", "2026-06-30"),
            ],
            ("2026-04-15", "board_concluded"),
        ),
        (
            [("board_concluded", "2026-11-05"), ("directed_by_court_or_regulator", "2026-10-20")],
            ("2026-10-20", "directed_by_court_or_regulator"),
        ),
        (
            [("board_ratified", "2026-02-01"), ("committee_concluded", "2026-03-01")],
            ("2026-03-01", "committee_concluded"),
        ),
        (
            [("board_concluded", "2026-05-01"), ("should_have_concluded", "2026-02-10")],
            ("2026-02-10", "should_have_concluded"),
        ),
        (
            [("officers_concluded", "2026-03-03"), ("form_8k_item_4_02_filed", "2026-03-01")],
            ("2026-03-03", "officers_concluded"),
        ),
    ],
)
def test_the_earliest_qualifying_event_wins(events, expected):
    result = required_to_prepare([event(k, d) for k, d in events])
    assert result == (date.fromisoformat(expected[0]), expected[1])


def test_should_have_concluded_before_any_resolution_moves_the_window():
    late_board = scenario(events=(event("board_concluded", "2027-01-10"),))
    sat_on_it = scenario(
        events=(event("board_concluded", "2027-01-10"), event("should_have_concluded", "2026-11-30"))
    )
    assert evaluate(late_board).lookback.periods == ("FY2024", "FY2025", "FY2026")
    result = evaluate(sat_on_it)
    assert (result.required_on, result.required_on_event) == (date(2026, 11, 30), "should_have_concluded")
    assert result.lookback.periods == ("FY2023", "FY2024", "FY2025")


def test_a_triggering_restatement_without_a_qualifying_event_warns_and_computes_nothing():
    result = evaluate(scenario(events=(event("form_8k_item_4_02_filed", "2026-04-20"),)))
    assert result.triggers_recovery_analysis is True
    assert result.required_on is None and result.lookback is None and result.awards == ()
    assert any("No recorded event sets the date" in w for w in result.warnings)


# --- §1.5 look-back window ------------------------------------------------------------------------


JUNE_YEARS = tuple(fy(f"FY{y}", f"{y - 1}-07-01", f"{y}-06-30") for y in range(2021, 2028))
SEPTEMBER_YEARS = tuple(fy(f"FY{y}", f"{y - 1}-10-01", f"{y}-09-30") for y in range(2021, 2028))
NINE_MONTH_TRANSITION = (
    fy("FY2023", "2023-01-01", "2023-12-31"),
    fy("FY2024", "2024-01-01", "2024-12-31"),
    fy("FY2025", "2025-01-01", "2025-12-31"),
    fy("TP2026", "2026-01-01", "2026-09-30", transition=True),
    fy("FY2027", "2026-10-01", "2027-09-30"),
)
EIGHT_MONTH_TRANSITION = (
    fy("FY2022", "2022-01-01", "2022-12-31"),
    fy("FY2023", "2023-01-01", "2023-12-31"),
    fy("FY2024", "2024-01-01", "2024-12-31"),
    fy("FY2025", "2025-01-01", "2025-12-31"),
    fy("TP2026", "2026-01-01", "2026-08-31", transition=True),
    fy("FY2027", "2026-09-01", "2027-08-31"),
)
SHORT_TRANSITION_EARLY = (
    fy("FY2022", "2022-01-01", "2022-12-31"),
    fy("TP2023", "2023-01-01", "2023-06-30", transition=True),
    fy("FY2024", "2023-07-01", "2024-06-30"),
    fy("FY2025", "2024-07-01", "2025-06-30"),
    fy("FY2026", "2025-07-01", "2026-06-30"),
    fy("FY2027", "2026-07-01", "2027-06-30"),
)


@pytest.mark.parametrize(
    ("periods", "required_on", "labels", "start", "end"),
    [
        (CALENDAR_YEARS, "2026-04-15", ["FY2023", "FY2024", "FY2025"], "2023-01-01", "2025-12-31"),
        # Completed only after the last day has ended: on Dec 31 FY2026 is still in progress.
        (CALENDAR_YEARS, "2026-12-31", ["FY2023", "FY2024", "FY2025"], "2023-01-01", "2025-12-31"),
        (CALENDAR_YEARS, "2027-01-01", ["FY2024", "FY2025", "FY2026"], "2024-01-01", "2026-12-31"),
        (JUNE_YEARS, "2026-08-01", ["FY2024", "FY2025", "FY2026"], "2023-07-01", "2026-06-30"),
        (JUNE_YEARS, "2026-06-30", ["FY2023", "FY2024", "FY2025"], "2022-07-01", "2025-06-30"),
        (SEPTEMBER_YEARS, "2026-10-20", ["FY2024", "FY2025", "FY2026"], "2023-10-01", "2026-09-30"),
        (SEPTEMBER_YEARS, "2026-09-30", ["FY2023", "FY2024", "FY2025"], "2022-10-01", "2025-09-30"),
        # A 9-month transition period is deemed a completed fiscal year: one of the three.
        (NINE_MONTH_TRANSITION, "2027-02-01", ["FY2024", "FY2025", "TP2026"], "2024-01-01", "2026-09-30"),
        # A transition period in progress on RD is never included.
        (NINE_MONTH_TRANSITION, "2026-05-01", ["FY2023", "FY2024", "FY2025"], "2023-01-01", "2025-12-31"),
        # An 8-month transition period immediately following the three years is added to them.
        (
            EIGHT_MONTH_TRANSITION,
            "2026-10-15",
            ["FY2023", "FY2024", "FY2025", "TP2026"],
            "2023-01-01",
            "2026-08-31",
        ),
        # A short transition period within the three years is added too.
        (
            SHORT_TRANSITION_EARLY,
            "2026-03-01",
            ["FY2022", "TP2023", "FY2024", "FY2025"],
            "2022-01-01",
            "2025-06-30",
        ),
        # ... but not one that precedes the earliest of the three.
        (SHORT_TRANSITION_EARLY, "2026-08-01", ["FY2024", "FY2025", "FY2026"], "2023-07-01", "2026-06-30"),
    ],
)
def test_lookback_is_the_three_completed_fiscal_years_before_the_restatement_date(
    periods, required_on, labels, start, end
):
    window = lookback_window(periods, date.fromisoformat(required_on))
    assert list(window.periods) == labels
    assert (window.start, window.end) == (date.fromisoformat(start), date.fromisoformat(end))


def test_lookback_reads_the_table_in_any_order():
    shuffled = tuple(reversed(NINE_MONTH_TRANSITION))
    assert lookback_window(shuffled, date(2027, 2, 1)).periods == ("FY2024", "FY2025", "TP2026")


@pytest.mark.parametrize(
    ("start", "end", "months", "counts"),
    [
        ("2026-01-01", "2026-09-30", 9, True),
        ("2025-10-01", "2026-06-30", 9, True),
        ("2025-06-01", "2026-02-28", 9, True),
        ("2026-01-01", "2026-12-31", 12, True),
        ("2026-01-01", "2026-08-31", 8, False),
        ("2026-01-01", "2026-06-30", 6, False),
        # 52-53-week calendars end on a weekday near the month end: up to a week short still counts.
        ("2026-01-01", "2026-09-26", 8, True),
        ("2026-01-01", "2026-09-20", 8, False),
    ],
)
def test_transition_period_counts_as_a_fiscal_year_from_nine_months(start, end, months, counts):
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    assert period_months(start=s, end=e) == months
    assert counts_as_fiscal_year(FiscalPeriod(label="TP", start=s, end=e, transition=True)) is counts
    assert counts_as_fiscal_year(FiscalPeriod(label="FY", start=s, end=e)) is True


def test_a_short_fiscal_table_gives_a_shorter_window_and_a_warning():
    result = evaluate(scenario(fiscal_periods=CALENDAR_YEARS[5:]))  # FY2024 onwards
    assert result.lookback.periods == ("FY2024", "FY2025")
    assert any("only 2 completed fiscal year" in w for w in result.warnings)


def test_no_completed_fiscal_period_puts_every_award_outside_the_lookback():
    result = evaluate(scenario(fiscal_periods=(fy("FY2026", "2026-01-01", "2026-12-31"),)))
    assert result.lookback is None
    assert Reason.OUTSIDE_LOOKBACK in only(result).reasons


@st.composite
def fiscal_tables(draw):
    """Contiguous fiscal tables mixing 12-month years and 3-12-month transition periods, and an RD."""
    start = date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 365)))
    periods = []
    for i in range(draw(st.integers(1, 9))):
        transition = draw(st.booleans())
        months = draw(st.integers(3, 12)) if transition else 12
        end = date.fromordinal(recovery._month_shift_ordinal(start, months) - 1)
        periods.append(FiscalPeriod(label=f"P{i}", start=start, end=end, transition=transition))
        start = end + timedelta(days=1)
    last_end = periods[-1].end
    required_on = date(2015, 1, 1) + timedelta(
        days=draw(st.integers(0, (last_end - date(2015, 1, 1)).days + 400))
    )
    return tuple(periods), required_on


@settings(max_examples=300, deadline=None)
@given(fiscal_tables())
def test_window_never_includes_the_fiscal_period_in_progress(table):
    periods, required_on = table
    window = lookback_window(periods, required_on)
    in_progress = {p.label for p in periods if p.start <= required_on <= p.end}
    if window is None:
        assert all(p.end >= required_on for p in periods)
        return
    assert not in_progress & set(window.periods)
    assert window.end < required_on
    chosen = [p for p in periods if p.label in window.periods]
    assert all(p.end < required_on for p in chosen)
    assert sum(counts_as_fiscal_year(p) for p in chosen) <= 3
    # The latest completed period is always in the window ("immediately preceding").
    completed = [p for p in periods if p.end < required_on]
    assert max(completed, key=lambda p: p.end).label == window.periods[-1]


# --- §1.7 formulas --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "payout", "factor"),
    [
        ("179999999", "0", "0"),  # below the first point: nothing
        ("180000000", "400000", "0.5"),  # threshold
        ("200000000", "600000", "0.75"),
        ("220000000", "800000", "1.0"),  # target
        ("228000000", "960000", "1.2"),
        ("260000000", "1600000", "2.0"),  # maximum
        ("999000000", "1600000", "2.0"),  # above the last point: capped at the last factor
    ],
)
def test_curve_interpolates_with_zero_below_and_the_last_factor_above(value, payout, factor):
    assert evaluate_formula(BONUS_CURVE, D(value)) == (D(payout), D(factor))


@pytest.mark.parametrize(
    ("formula", "value", "payout"),
    [
        (LinearFormula(rate=D("0.01")), D("1000000"), D("10000")),  # offset defaults to 0
        (LinearFormula(rate=D("0.01"), offset=D("500000")), D("1000000"), D("5000")),
        (LinearFormula(rate=D("0.01"), offset=D("500000")), D("400000"), D("0")),  # floored at 0
        (LinearFormula(rate=D("0.01"), offset=D("0"), cap=D("7500")), D("1000000"), D("7500")),  # capped
        (LinearFormula(rate=D("0.01"), offset=D("0"), cap=D("7500")), D("700000"), D("7000")),
    ],
)
def test_linear_formula_is_floored_at_zero_and_capped(formula, value, payout):
    assert evaluate_formula(formula, value) == (payout, None)


def test_curve_with_one_point_pays_its_factor_at_or_above_it():
    curve = CurveFormula(target=D("100"), points=((D("10"), D("1.5")),))
    assert evaluate_formula(curve, D("9"))[0] == 0
    assert evaluate_formula(curve, D("10"))[0] == D("150")


def test_decimal_arithmetic_is_exact_where_float_is_not():
    # Paid at 130% of a 600,000 target, 110% on the restated value: float makes the excess
    # 119999.99999999997, and 115% of 800,000 919999.9999999999.
    assert (1.3 - 1.1) * 600000 != 120000
    assert 1.15 * 800000 != 920000
    curve = CurveFormula(target=D("600000"), points=((D("0"), D("1.0")), (D("1"), D("2.0"))))
    assert evaluate_formula(curve, D("0.3")) == (D("780000"), D("1.3"))
    assert evaluate_formula(curve, D("0.1")) == (D("660000"), D("1.1"))
    assert evaluate_formula(curve, D("0.3"))[0] - evaluate_formula(curve, D("0.1"))[0] == D("120000")
    assert evaluate_formula(BONUS_CURVE, D("226000000"))[0] == D("920000")  # factor 1.15
    paid_130 = measure({"FY2024": ("0.3", "0.1")}, key="ratio", category="return_measure")
    row = only(
        evaluate(scenario(award(measure="ratio", formula=curve, received=D("780000")), measures=(paid_130,)))
    )
    assert (row.recomputed, row.excess) == (D("660000.00"), D("120000.00"))
    # 0.1 + 0.2: two excesses of 10 and 20 cents total exactly 30 cents.
    assert 0.1 + 0.2 != 0.3
    pennies = measure(
        {"FY2024": ("0.3", "0.2"), "FY2025": ("0.3", "0.1")}, key="ratio", category="return_measure"
    )
    rate_one = LinearFormula(rate=D("1"))
    result = evaluate(
        scenario(
            award(id="a", measure="ratio", formula=rate_one, received=D("0.30")),
            award(
                id="b",
                measure="ratio",
                measure_period="FY2025",
                formula=rate_one,
                received=D("0.30"),
                performance_start=date(2025, 1, 1),
                performance_end=date(2025, 12, 31),
            ),
            measures=(pennies,),
        )
    )
    assert [a.excess for a in result.awards] == [D("0.10"), D("0.20")]
    assert result.totals.excess_usd == D("0.30")
    assert str(result.totals.excess_usd) == "0.30"


# --- §1.6 scope -----------------------------------------------------------------------------------


def effective_boundary_award(received_on: date) -> Award:
    return award(performance_start=date(2023, 1, 1), performance_end=received_on, measure_period="FY2023")


@pytest.mark.parametrize(
    ("received_on", "reasons"),
    [
        (date(2023, 10, 1), (Reason.PRE_EFFECTIVE_DATE,)),
        (date(2023, 10, 2), ()),
    ],
)
def test_listing_standard_effective_date_boundary(received_on, reasons):
    fy2023 = measure({"FY2023": ("240000000", "228000000")})
    result = only(evaluate(scenario(effective_boundary_award(received_on), measures=(fy2023,))))
    assert result.reasons == reasons
    assert result.in_scope is (not reasons)
    assert LISTING_STANDARD_EFFECTIVE == date(2023, 10, 2)


def test_effective_date_is_configurable_per_scenario():
    fy2023 = measure({"FY2023": ("240000000", "228000000")})
    s = scenario(
        effective_boundary_award(date(2023, 10, 2)),
        measures=(fy2023,),
        listing_standard_effective_date=date(2023, 10, 3),
    )
    assert only(evaluate(s)).reasons == (Reason.PRE_EFFECTIVE_DATE,)


@pytest.mark.parametrize(
    ("performance", "reasons"),
    [
        # Received in the fiscal year in progress on RD: not in the window.
        (("2026-01-01", "2026-03-31"), {Reason.OUTSIDE_LOOKBACK}),
        # Received before the window (and before the effective date).
        (("2022-01-01", "2022-12-31"), {Reason.OUTSIDE_LOOKBACK, Reason.PRE_EFFECTIVE_DATE}),
        (("2023-01-01", "2023-12-31"), set()),
        (("2025-01-01", "2025-12-31"), set()),
    ],
)
def test_received_outside_the_lookback_window_is_excluded(performance, reasons):
    start, end = (date.fromisoformat(d) for d in performance)
    values = {"P": ("240000000", "228000000")}
    result = only(
        evaluate(
            scenario(
                award(performance_start=start, performance_end=end, measure_period="P"),
                measures=(measure(values),),
            )
        )
    )
    assert set(result.reasons) == reasons


@pytest.mark.parametrize("basis", ["time_vested", "salary", "discretionary", "operational_goal"])
def test_awards_not_based_on_a_financial_reporting_measure_are_excluded(basis):
    rsu = award(
        basis=basis,
        type="rsu",
        measure=None,
        measure_period=None,
        formula=None,
        unit="units",
        value_per_unit=D("38"),
        received=D("5000"),
    )
    result = only(evaluate(scenario(rsu)))
    assert result.reasons == (Reason.NOT_INCENTIVE_BASED,)
    assert result.status is Status.EXCLUDED
    assert result.original_formula is None and result.recomputed is None
    assert (result.excess, result.excess_usd) == (0, 0)


def test_an_executive_who_left_during_the_performance_period_owes_the_whole_excess():
    left_in_march = person("evp", officer("2018-01-01", "2024-03-31"))
    result = only(evaluate(scenario(award(executive="evp"), executives=(left_in_march,))))
    assert result.in_scope is True
    # No pro-ration to the three months served: the whole 240,000 is recoverable.
    assert result.excess == D("240000.00")


@pytest.mark.parametrize(
    ("periods", "reasons"),
    [
        # Promoted after the performance period ended: never an officer during it, nor before receipt.
        (
            (officer("2025-01-01"),),
            {Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD, Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE},
        ),
        # Promoted on the last day of the performance period (the day of receipt): in scope.
        ((officer("2024-12-31"),), set()),
        # Promoted during the performance period: in scope, whole award.
        ((officer("2024-09-01"),), set()),
        # Left before the performance period began: only the service test fails.
        ((officer("2010-01-01", "2023-12-31"),), {Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD}),
        # Two spells of service around the performance period.
        (
            (officer("2010-01-01", "2023-06-30"), officer("2025-02-01")),
            {Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD},
        ),
        # Never an executive officer.
        (
            (),
            {Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD, Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE},
        ),
    ],
)
def test_officer_service_during_the_performance_period_and_before_receipt(periods, reasons):
    someone = Executive(id="ceo", name="Someone", officer_periods=periods)
    result = only(evaluate(scenario(executives=(someone,))))
    assert set(result.reasons) == reasons
    assert result.in_scope is (not reasons)


@pytest.mark.parametrize(
    ("listed", "reasons"),
    [
        (None, set()),  # listed throughout by default
        ((ListedPeriod(start=date(1999, 5, 1)),), set()),
        ((ListedPeriod(start=date(1999, 5, 1), end=date(2024, 6, 30)),), {Reason.NOT_LISTED}),  # delisted
        ((ListedPeriod(start=date(2025, 1, 1)),), {Reason.NOT_LISTED}),  # IPO after receipt
        ((ListedPeriod(start=date(1999, 5, 1), end=date(2024, 12, 31)),), set()),  # last listed day
        ((), {Reason.NOT_LISTED}),
    ],
)
def test_received_while_not_listed_is_excluded(listed, reasons):
    result = only(evaluate(scenario(listed_periods=listed)))
    assert set(result.reasons) == reasons


def test_an_award_can_have_several_reasons_in_rule_order():
    stale = award(
        basis="discretionary",
        performance_start=date(2021, 1, 1),
        performance_end=date(2021, 12, 31),
        measure=None,
        measure_period=None,
        formula=None,
    )
    s = scenario(
        stale,
        executives=(person("ceo", officer("2022-01-01")),),
        listed_periods=(ListedPeriod(start=date(2022, 6, 1)),),
    )
    assert only(evaluate(s)).reasons == (
        Reason.NOT_INCENTIVE_BASED,
        Reason.PRE_EFFECTIVE_DATE,
        Reason.OUTSIDE_LOOKBACK,
        Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD,
        Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE,
        Reason.NOT_LISTED,
    )


def test_excluded_award_keeps_its_original_formula_but_recovers_nothing():
    result = only(evaluate(scenario(listed_periods=())))
    assert result.status is Status.EXCLUDED
    assert result.original_formula == D("1200000.00")
    assert result.recomputed is None
    assert (result.excess, result.excess_usd) == (D("0.00"), D("0.00"))


# --- §1.7 amounts ---------------------------------------------------------------------------------


def test_excess_is_received_minus_recomputed_gross_of_tax():
    # Paid 1,200,000 gross; after 37% withholding the executive kept 756,000. The excess is measured on
    # the gross amounts ("computed without regard to any taxes paid"): 1,200,000 - 960,000.
    result = only(evaluate(scenario()))
    assert (result.received, result.recomputed, result.excess) == (
        D("1200000.00"),
        D("960000.00"),
        D("240000.00"),
    )
    assert result.excess != (D("1200000") - D("960000")) * (1 - D("0.37"))
    assert any("pre-tax" in step for step in result.explanation)


def test_unit_award_excess_is_in_units_before_withholding_and_valued_per_unit():
    # 17,500 shares vested; 6,000 were withheld for tax. The excess counts the gross shares.
    ebitda = measure({"FY2023-FY2025": ("705000000", "669000000")}, key="ebitda", category="ebitda")
    psu = award(
        type="performance_shares",
        performance_start=date(2023, 1, 1),
        performance_end=date(2025, 12, 31),
        measure="ebitda",
        measure_period="FY2023-FY2025",
        formula=CurveFormula(
            target=D("10000"),
            points=((D("600000000"), D("0.5")), (D("660000000"), D("1.0")), (D("720000000"), D("2.0"))),
        ),
        unit="units",
        value_per_unit=D("40.00"),
        received=D("17500"),
    )
    result = evaluate(scenario(psu, measures=(ebitda,)))
    row = only(result)
    assert (row.received, row.recomputed, row.excess, row.excess_usd) == (
        D("17500"),
        D("11500"),
        D("6000"),
        D("240000.00"),
    )
    assert result.executives[0].excess_units == D("6000")
    assert result.executives[0].excess_usd == D("240000.00")


def test_unit_excess_in_dollars_is_rounded_half_up_to_cents_once():
    # 3 units x 33.335 = 100.005 -> 100.01 (half-up; banker's rounding would give 100.00).
    shares = award(
        type="rsu",
        formula=LinearFormula(rate=D("1")),
        measure_period="FY2024",
        unit="units",
        value_per_unit=D("33.335"),
        received=D("10"),
    )
    result = only(evaluate(scenario(shares, measures=(measure({"FY2024": ("10", "7")}),))))
    assert result.excess == D("3")
    assert result.excess_usd == D("100.01")


def test_usd_recomputation_is_rounded_half_up_to_cents():
    half_cent = LinearFormula(rate=D("0.5"))
    row = only(
        evaluate(
            scenario(
                award(formula=half_cent, received=D("600.00")),
                measures=(measure({"FY2024": ("1200", "1000.01")}),),
            )
        )
    )
    assert row.recomputed == D("500.01")  # 500.005 half-up
    assert row.excess == D("99.99")
    assert row.received - row.recomputed == row.excess


def test_fractional_units_are_kept_to_six_places():
    thirds = CurveFormula(target=D("10000"), points=((D("0"), D("1")), (D("3"), D("2"))))
    row = only(
        evaluate(
            scenario(
                award(formula=thirds, unit="units", value_per_unit=D("10"), received=D("20000")),
                measures=(measure({"FY2024": ("3", "1")}),),
            )
        )
    )
    assert row.recomputed == D("13333.333333")
    assert row.excess == D("6666.666667")
    assert row.excess_usd == D("66666.67")


@pytest.mark.parametrize(
    ("original", "restated", "recomputed", "excess"),
    [
        ("240000000", "170000000", "0.00", "1200000.00"),  # restated below threshold: nothing was earned
        ("300000000", "270000000", "1600000.00", "0.00"),  # still above maximum: capped both ways
        ("300000000", "240000000", "1200000.00", "400000.00"),  # above maximum originally
        ("240000000", "250000000", "1400000.00", "0.00"),  # restated upwards: never a negative excess
        ("240000000", "240000000", "1200000.00", "0.00"),  # restated to the same value
        ("240000000", None, "1200000.00", "0.00"),  # not restated
    ],
)
def test_caps_floors_and_unaffected_measures(original, restated, recomputed, excess):
    received = evaluate_formula(BONUS_CURVE, D(original))[0]
    row = only(
        evaluate(scenario(award(received=received), measures=(measure({"FY2024": (original, restated)}),)))
    )
    assert row.status is Status.COMPUTED
    assert (row.recomputed, row.excess) == (D(recomputed), D(excess))


def test_linear_cap_and_floor_in_an_award():
    capped = LinearFormula(rate=D("0.01"), offset=D("200000000"), cap=D("300000"))
    cases = [("240000000", "228000000", "20000.00"), ("240000000", "150000000", "300000.00")]
    for original, restated, excess in cases:
        row = only(
            evaluate(
                scenario(
                    award(formula=capped, received=D("300000")),
                    measures=(measure({"FY2024": (original, restated)}),),
                )
            )
        )
        assert row.excess == D(excess)


def test_a_received_amount_that_differs_from_the_formula_is_warned_and_the_excess_uses_what_was_received():
    result = evaluate(scenario(award(received=D("1150000"))))
    row = only(result)
    assert row.original_formula == D("1200000.00")
    assert row.excess == D("190000.00")
    assert len(result.warnings) == 1 and result.warnings[0].startswith("bonus:")


def test_no_warning_when_the_formula_reproduces_what_was_received():
    assert evaluate(scenario()).warnings == ()


# --- stock price, TSR and estimates ---------------------------------------------------------------


def tsr_award(**overrides) -> Award:
    fields = {
        "id": "tsr-psu",
        "type": "performance_shares",
        "performance_start": date(2023, 1, 1),
        "performance_end": date(2025, 12, 31),
        "measure": "tsr",
        "measure_period": "FY2023-FY2025",
        "formula": TSR_CURVE,
        "unit": "units",
        "value_per_unit": D("62.50"),
        "received": D("28000"),
    }
    fields.update(overrides)
    return award(**fields)


def tsr_measure(category: str = "tsr") -> Measure:
    return measure({"FY2023-FY2025": ("60", None)}, key="tsr", category=category)


@pytest.mark.parametrize("category", ["tsr", "stock_price"])
def test_stock_price_and_tsr_awards_wait_for_a_reasonable_estimate(category):
    result = evaluate(scenario(tsr_award(), award(), measures=(tsr_measure(category), measure())))
    row = result.awards[0]
    assert row.in_scope is True
    assert row.status is Status.REASONABLE_ESTIMATE_REQUIRED
    assert (row.recomputed, row.excess, row.excess_usd) == (None, None, None)
    assert row.original_formula == D("28000")
    assert result.executives[0].pending_estimates == 1
    assert result.totals.pending_estimates == 1
    # The computed cash award is still totalled; the pending one adds nothing yet.
    assert result.totals.excess_usd == D("240000.00")
    assert result.totals.excess_units == 0


def test_a_committee_estimate_computes_the_tsr_award():
    estimate = Estimate(
        restated_value=D("55"),
        method="event study of the 4.02 announcement",
        documents=("estimate-memo.pdf",),
        adopted_on=date(2026, 5, 1),
    )
    result = evaluate(scenario(tsr_award(estimate=estimate), measures=(tsr_measure(),)))
    row = only(result)
    assert row.status is Status.ESTIMATED
    assert (row.recomputed, row.excess, row.excess_usd) == (D("24000"), D("4000"), D("250000.00"))
    assert result.totals.pending_estimates == 0
    assert any("event study" in step for step in row.explanation)
    assert result.warnings == ()


def test_requires_estimate_on_a_non_tsr_award_waits_for_the_estimate_then_uses_it():
    pending = only(evaluate(scenario(award(requires_estimate=True))))
    assert pending.status is Status.REASONABLE_ESTIMATE_REQUIRED and pending.excess is None
    estimate = Estimate(
        restated_value=D("200000000"), method="m", documents=("d",), adopted_on=date(2026, 5, 1)
    )
    done = only(evaluate(scenario(award(requires_estimate=True, estimate=estimate))))
    # Computed from the estimate (factor 0.75), not from the restated 228,000,000 (factor 1.2).
    assert done.status is Status.ESTIMATED
    assert (done.recomputed, done.excess) == (D("600000.00"), D("600000.00"))


def test_an_estimate_on_a_recalculable_award_is_ignored_with_a_warning():
    estimate = Estimate(restated_value=D("1"), method="m", documents=("d",), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(award(estimate=estimate)))
    assert only(result).status is Status.COMPUTED and only(result).excess == D("240000.00")
    assert any("not used" in w for w in result.warnings)


def test_an_estimate_without_documents_is_warned():
    estimate = Estimate(restated_value=D("55"), method="m", documents=(), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(tsr_award(estimate=estimate), measures=(tsr_measure(),)))
    assert any("no supporting documents" in w for w in result.warnings)


def test_an_excluded_tsr_award_is_not_pending():
    result = evaluate(scenario(tsr_award(), measures=(tsr_measure(),), listed_periods=()))
    assert only(result).status is Status.EXCLUDED
    assert result.totals.pending_estimates == 0


# --- totals and explanation -----------------------------------------------------------------------


def test_totals_per_executive_and_overall_include_every_executive():
    cfo = person("cfo", officer("2024-09-01"))
    bystander = person("coo", officer("2020-01-01"))
    result = evaluate(
        scenario(
            award(id="ceo-bonus"),
            award(
                id="cfo-bonus",
                executive="cfo",
                formula=dataclasses.replace(BONUS_CURVE, target=D("400000")),
                received=D("600000"),
            ),
            executives=(person(), cfo, bystander),
        )
    )
    by_id = {e.id: e for e in result.executives}
    assert [e.id for e in result.executives] == ["ceo", "cfo", "coo"]
    assert by_id["ceo"].excess_usd == D("240000.00")
    assert by_id["cfo"].excess_usd == D("120000.00")
    assert by_id["coo"].excess_usd == 0 and by_id["coo"].pending_estimates == 0
    assert result.totals.excess_usd == D("360000.00")


def test_explanation_walks_through_inputs_values_factors_and_arithmetic():
    steps = " ".join(only(evaluate(scenario())).explanation)
    for expected in (
        "1,200,000.00 USD",
        "240,000,000",
        "228,000,000",
        "factor 1.5",
        "factor 1.2",
        "960,000.00",
    ):
        assert expected in steps


def test_unknown_references_raise_value_error_naming_the_award():
    with pytest.raises(ValueError, match="bonus"):
        evaluate(scenario(award(executive="ghost")))
    with pytest.raises(ValueError, match="FY1999"):
        evaluate(scenario(award(measure_period="FY1999")))


# --- properties -----------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
measure_values = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def formulas(draw):
    if draw(st.booleans()):
        xs = sorted(set(draw(st.lists(measure_values, min_size=1, max_size=5))))
        factors = draw(
            st.lists(st.decimals(min_value=0, max_value=5, places=3), min_size=len(xs), max_size=len(xs))
        )
        return CurveFormula(target=draw(amounts), points=tuple(zip(xs, factors, strict=True)))
    cap = draw(st.none() | amounts)
    return LinearFormula(
        rate=draw(st.decimals(min_value=-10, max_value=10, places=4)), offset=draw(measure_values), cap=cap
    )


@settings(max_examples=300, deadline=None)
@given(
    formula=formulas(),
    original=measure_values,
    restated=st.none() | measure_values,
    received=amounts,
    unit=st.sampled_from(["USD", "units"]),
)
def test_excess_is_never_negative_and_never_more_than_received(formula, original, restated, received, unit):
    values = {"FY2024": (str(original), None if restated is None else str(restated))}
    row = only(
        evaluate(
            scenario(
                award(
                    formula=formula,
                    received=received,
                    unit=unit,
                    value_per_unit=D("12.34") if unit == "units" else None,
                ),
                measures=(measure(values),),
            )
        )
    )
    assert row.status is Status.COMPUTED
    assert D(0) <= row.excess <= row.received
    assert row.excess_usd >= 0


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(formulas(), measure_values, st.booleans(), st.sampled_from(["USD", "units"])),
        min_size=1,
        max_size=6,
    )
)
def test_a_restatement_that_changes_no_value_recovers_nothing(rows):
    measures, awards = [], []
    for i, (formula, original, omit_restated, unit) in enumerate(rows):
        restated = None if omit_restated else str(original)
        measures.append(measure({"FY2024": (str(original), restated)}, key=f"m{i}"))
        paid = round_half_up(
            evaluate_formula(formula, original)[0], quantum=D("0.01") if unit == "USD" else D("0.000001")
        )
        awards.append(
            award(
                id=f"a{i}",
                measure=f"m{i}",
                formula=formula,
                received=paid,
                unit=unit,
                value_per_unit=D("7.77") if unit == "units" else None,
            )
        )
    result = evaluate(scenario(*awards, measures=tuple(measures)))
    assert all(a.excess == 0 and a.excess_usd == 0 for a in result.awards)
    assert result.totals.excess_usd == 0 and result.totals.excess_units == 0
    assert result.warnings == ()


# --- no float anywhere ----------------------------------------------------------------------------


def test_engine_source_never_builds_a_float():
    # Both are packages: every module of each is read, not only its __init__.
    for package in ("clawback.recovery", "clawback.scenario"):
        root = importlib.import_module(package)
        names = [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules(root.__path__)]
        assert len(names) > 2, package
        for module in names:
            source = inspect.getsource(importlib.import_module(module))
            assert "float(" not in source, module


def _walk(value):
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_results_hold_no_float_objects():
    estimate = Estimate(restated_value=D("55"), method="m", documents=("d",), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(award(), tsr_award(estimate=estimate), measures=(measure(), tsr_measure())))
    leaves = list(_walk(result))
    assert leaves and not any(isinstance(v, float) for v in leaves)
    assert all(isinstance(a.excess_usd, Decimal) for a in result.awards)
