"""The clawback recovery engine (clawback.recovery) against Rule 10D-1 as docs/clawback-rules §1 states
it, without a database: triggers, the restatement date, the look-back window, formulas and the scope test.
Amounts, estimates and totals are in test_recovery_amounts.py; scorecards, amounts already recovered and
exact unit arithmetic in test_scorecards.py and test_scenario_v2.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawback import recovery
from clawback.recovery import (
    LISTING_STANDARD_EFFECTIVE,
    Award,
    CurveFormula,
    Executive,
    FiscalPeriod,
    LinearFormula,
    ListedPeriod,
    Reason,
    Status,
    counts_as_fiscal_year,
    evaluate,
    evaluate_formula,
    lookback_window,
    period_months,
    required_to_prepare,
    starts_recovery_analysis,
)
from tests.clawback.engine_builders import (
    BONUS_CURVE,
    CALENDAR_YEARS,
    D,
    award,
    event,
    fy,
    measure,
    officer,
    only,
    person,
    scenario,
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
