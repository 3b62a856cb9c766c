"""The award's measure read off an event study (docs/clawback-rules §1.7a, "The award's measure"): the
measurement days, averaging, the stock price, the TSR, the TSR percentile among peers (ties count half),
half-even rounding, the refusals, and a real run end to end."""

import json
from datetime import date
from decimal import Decimal

import pytest

from clawback.event_study import (
    MeasureEstimate,
    PriceRow,
    StudyError,
    StudyParameters,
    award_measure,
    backcast,
    run_study,
)
from tests.clawback.test_event_study import synthetic_rows, trading_days

# Tue 2024-01-02 .. Wed 2024-01-17 (twelve weekdays; Jan 6-7 and 13-14 are a weekend).
DAYS = trading_days(12)
CLOSES = [
    "20.00",
    "20.50",
    "21.00",
    "20.00",
    "19.00",
    "22.00",
    "23.00",
    "24.00",
    "25.00",
    "24.50",
    "23.45",
    "23.00",
]
ROWS = [PriceRow(day, Decimal(close), Decimal("100")) for day, close in zip(DAYS, CLOSES, strict=True)]
# One counted event whose window starts on Wed 2024-01-10 took $3 out of the price: before it the but-for
# price is the close less $3, from it on the close.
EVENT = {
    "date": "2024-01-10",
    "window": ["2024-01-10", "2024-01-10"],
    "dollar_change": -3.0,
    "percent_change": -0.12,
    "counted": True,
}
_, SERIES = backcast(
    [(r.day, float(r.company)) for r in ROWS], [EVENT], method="constant_dollar", start=DAYS[0]
)
STUDY = {"version": "event-study/1", "series": SERIES}


def measure(kind="stock_price", start=date(2024, 1, 1), end=date(2024, 1, 17), **kwargs):
    return award_measure(STUDY, ROWS, kind=kind, start=start, end=end, **kwargs)


def test_stock_price_is_the_end_price_actual_and_but_for():
    estimate = measure(end=date(2024, 1, 9))
    assert estimate == MeasureEstimate(
        kind="stock_price",
        start_day=None,
        end_day=date(2024, 1, 9),
        actual_start=None,
        but_for_start=None,
        actual_end=Decimal("22.0000"),
        but_for_end=Decimal("19.0000"),
        actual_tsr=None,
        but_for_tsr=None,
        peer_count=0,
        actual_value=Decimal("22.0000"),
        but_for_value=Decimal("19.0000"),
    )
    # An end on a Saturday is measured at Friday's close; after the event the price carries no inflation.
    weekend = measure(end=date(2024, 1, 13))
    assert weekend.end_day == date(2024, 1, 12)
    assert weekend.actual_value == weekend.but_for_value == Decimal("25.0000")


def test_tsr_runs_from_the_close_before_the_period_to_its_end():
    # The period starts Thu Jan 4: the start is measured at Wed Jan 3's close, 20.50 (but-for 17.50).
    estimate = measure("tsr", start=date(2024, 1, 4), end=date(2024, 1, 16))
    assert (estimate.start_day, estimate.end_day) == (date(2024, 1, 3), date(2024, 1, 16))
    assert (estimate.actual_start, estimate.but_for_start) == (Decimal("20.5000"), Decimal("17.5000"))
    assert (estimate.actual_end, estimate.but_for_end) == (Decimal("23.4500"), Decimal("23.4500"))
    assert estimate.actual_tsr == estimate.actual_value == Decimal("14.3902")  # 23.45 / 20.50 - 1
    assert estimate.but_for_tsr == estimate.but_for_value == Decimal("34.0000")  # 23.45 / 17.50 - 1
    assert estimate.peer_count == 0
    # A start on a Monday is measured at the Friday before.
    assert measure("tsr", start=date(2024, 1, 8), end=date(2024, 1, 16)).start_day == date(2024, 1, 5)


def test_averaging_days_average_the_closes_ending_on_each_measurement_day():
    estimate = measure("tsr", start=date(2024, 1, 5), end=date(2024, 1, 16), averaging_days=3)
    # Start: Jan 2-4 (20.00, 20.50, 21.00; but-for 17.00, 17.50, 18.00). End: Jan 12-16 (25.00, 24.50, 23.45).
    assert (estimate.start_day, estimate.end_day) == (date(2024, 1, 4), date(2024, 1, 16))
    assert (estimate.actual_start, estimate.but_for_start) == (Decimal("20.5000"), Decimal("17.5000"))
    assert (estimate.actual_end, estimate.but_for_end) == (Decimal("24.3167"), Decimal("24.3167"))
    assert (estimate.actual_tsr, estimate.but_for_tsr) == (Decimal("18.6179"), Decimal("38.9524"))


def test_figures_are_rounded_once_half_even():
    rows = [
        PriceRow(date(2024, 3, 4), Decimal("10.0001"), Decimal("1")),
        PriceRow(date(2024, 3, 5), Decimal("10.0000"), Decimal("1")),
        PriceRow(date(2024, 3, 6), Decimal("10.0003"), Decimal("1")),
    ]
    study = {
        "version": "event-study/1",
        "series": [{"date": "2024-03-06", "close": 10.0003, "but_for": 10.0003}],
    }
    half_down = award_measure(
        study, rows, kind="stock_price", start=date(2024, 3, 1), end=date(2024, 3, 5), averaging_days=2
    )
    assert half_down.actual_value == Decimal("10.0000")  # 10.00005: the tie goes to the even digit
    half_up = award_measure(
        study, rows, kind="stock_price", start=date(2024, 3, 1), end=date(2024, 3, 6), averaging_days=2
    )
    assert half_up.actual_value == Decimal("10.0002")  # 10.00015


PEERS_BELOW = [
    Decimal(v) for v in ("-20", "-12.5", "-8", "-3", "0", "1.25", "4", "6", "8", "10", "12", "14.39")
]
PEERS_ABOVE = [Decimal(v) for v in ("15", "20", "25", "33", "34.0001", "40", "55", "80")]


def test_tsr_percentile_ranks_among_the_peers():
    # 20 peers, 12 below the company's 14.3902%: 100 x 12 / 20 = 60.00. But-for 34.0000%: 16 below -> 80.00.
    estimate = measure(
        "tsr_percentile", start=date(2024, 1, 4), end=date(2024, 1, 16), peer_tsrs=PEERS_BELOW + PEERS_ABOVE
    )
    assert estimate.actual_value == Decimal("60.00")
    assert estimate.but_for_value == Decimal("80.00")
    assert estimate.peer_count == 20
    assert (estimate.actual_tsr, estimate.but_for_tsr) == (Decimal("14.3902"), Decimal("34.0000"))


def test_a_tied_peer_counts_half():
    # The company's TSR is ranked at its rounded value, 14.3902: one peer equal to it counts half.
    peers = PEERS_BELOW[:11] + [Decimal("14.3902")] + PEERS_ABOVE
    assert measure(
        "tsr_percentile", start=date(2024, 1, 4), end=date(2024, 1, 16), peer_tsrs=peers
    ).actual_value == Decimal("57.50")
    # Three peers: one below, two tied -> 100 x (1 + 2/2) / 3 = 66.67.
    tied = [Decimal("-5"), Decimal("14.3902"), Decimal("14.3902")]
    assert measure(
        "tsr_percentile", start=date(2024, 1, 4), end=date(2024, 1, 16), peer_tsrs=tied
    ).actual_value == Decimal("66.67")


def test_as_dict_is_json_with_decimals_as_strings():
    estimate = measure(
        "tsr_percentile", start=date(2024, 1, 4), end=date(2024, 1, 16), peer_tsrs=PEERS_BELOW + PEERS_ABOVE
    )
    data = estimate.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "kind": "tsr_percentile",
        "start_day": "2024-01-03",
        "end_day": "2024-01-16",
        "actual_start": "20.5000",
        "but_for_start": "17.5000",
        "actual_end": "23.4500",
        "but_for_end": "23.4500",
        "actual_tsr": "14.3902",
        "but_for_tsr": "34.0000",
        "peer_count": 20,
        "actual_value": "60.00",
        "but_for_value": "80.00",
    }
    assert measure().as_dict()["start_day"] is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"kind": "eps"},
            'The measure must be "stock_price", "tsr" or "tsr_percentile"; "eps" was given.',
        ),
        ({"averaging_days": 0}, "Averaging must be over one trading day or more; 0 was given."),
        (
            {"start": date(2024, 1, 18), "end": date(2024, 1, 17)},
            "The performance period starts (2024-01-18) after it ends (2024-01-17).",
        ),
        (
            {"kind": "tsr", "start": date(2024, 1, 2)},
            "There is no price on or before 2024-01-01 (the close before the period starts on 2024-01-02); the "
            "prices start on 2024-01-02.",
        ),
        (
            {"end": date(2023, 12, 29), "start": date(2023, 12, 1)},
            "There is no price on or before 2023-12-29 (the end of the period, 2023-12-29); the prices start on "
            "2024-01-02.",
        ),
        (
            {"kind": "tsr", "start": date(2024, 1, 4), "averaging_days": 3},
            "Averaging over 3 trading days ending on 2024-01-03 needs 3 prices; there are 2 up to that day.",
        ),
        (
            {"kind": "tsr", "start": date(2024, 1, 13), "end": date(2024, 1, 14)},
            "There is no trading day between 2024-01-13 and 2024-01-14: the TSR would cover no return.",
        ),
        (
            {"kind": "tsr_percentile", "start": date(2024, 1, 4), "peer_tsrs": [Decimal("1"), Decimal("2")]},
            "A TSR percentile needs the TSRs of at least 3 peers; 2 were given.",
        ),
        (
            {
                "kind": "tsr_percentile",
                "start": date(2024, 1, 4),
                "peer_tsrs": [Decimal("1"), Decimal("NaN"), 3],
            },
            "A peer's TSR must be a number (in percent); Decimal('NaN') was given.",
        ),
        (
            {"kind": "tsr_percentile", "start": date(2024, 1, 4), "peer_tsrs": ["1", "2", "n/a"]},
            "A peer's TSR must be a number (in percent); 'n/a' was given.",
        ),
    ],
)
def test_refusals(kwargs, message):
    with pytest.raises(StudyError) as refused:
        measure(**kwargs)
    assert str(refused.value) == message


def test_the_prices_must_be_those_the_study_was_run_on():
    changed = [*ROWS[:4], PriceRow(DAYS[4], Decimal("19.01"), Decimal("100")), *ROWS[5:]]
    with pytest.raises(StudyError) as refused:
        award_measure(STUDY, changed, kind="stock_price", start=DAYS[0], end=DAYS[-1])
    assert str(refused.value) == (
        "The prices given differ from those the study was run on (on 2024-01-08); use the same prices for the "
        "study and the award."
    )
    # Fewer rows are fine (each must match the study's); a day the study does not have inside its span is not.
    fewer = [r for r in ROWS if r.day != DAYS[3]]
    assert award_measure(
        STUDY, fewer, kind="stock_price", start=DAYS[0], end=DAYS[4]
    ).but_for_value == Decimal("16.0000")
    extra = [*ROWS[:4], PriceRow(date(2024, 1, 6), Decimal("21"), Decimal("100")), *ROWS[4:]]
    with pytest.raises(StudyError, match=r"\(on 2024-01-06\)"):
        award_measure(STUDY, extra, kind="stock_price", start=DAYS[0], end=DAYS[-1])


def test_a_study_of_another_format_is_refused():
    with pytest.raises(StudyError) as refused:
        award_measure(
            {"version": "event-study/0", "series": SERIES},
            ROWS,
            kind="stock_price",
            start=DAYS[0],
            end=DAYS[-1],
        )
    assert str(refused.value) == 'This is not an event study this module can read (version "event-study/0").'


def test_rows_after_the_study_carry_no_inflation():
    later = [*ROWS, PriceRow(date(2024, 1, 18), Decimal("22.50"), Decimal("100"))]
    estimate = award_measure(STUDY, later, kind="stock_price", start=DAYS[0], end=date(2024, 1, 18))
    assert estimate.actual_value == estimate.but_for_value == Decimal("22.5000")


def test_a_real_study_end_to_end():
    rows = synthetic_rows(31, 200, inject={170: -0.09})
    study = run_study(rows, StudyParameters(event_dates=(rows[170].day,), estimation_days=150, gap_days=5))
    inflation = study["inflation"]["per_share_dollar"]
    assert inflation > 0
    before = award_measure(study, rows, kind="stock_price", start=rows[0].day, end=rows[160].day)
    assert before.actual_value == Decimal(str(rows[160].company)).quantize(Decimal("0.0001"))
    assert float(before.actual_value - before.but_for_value) == pytest.approx(inflation, abs=1e-4)
    tsr = award_measure(study, rows, kind="tsr", start=rows[100].day, end=rows[199].day, averaging_days=20)
    assert tsr.but_for_tsr > tsr.actual_tsr  # the but-for start price was lower, the end the same
    assert tsr.actual_end == tsr.but_for_end
