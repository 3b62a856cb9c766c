"""The inflation an event study takes out of the price, and the but-for price (docs/clawback-rules §1.7a,
"The two backcast methods"): hand-worked examples on stubbed events for both methods, the inflation start,
which events count, and real runs whose series must follow the same rules."""

import math
from datetime import date, timedelta

import pytest

from clawback.event_study import StudyError, StudyParameters, backcast, run_study
from tests.clawback.test_event_study import synthetic_rows, trading_days

DAYS = trading_days(8)  # Tue 2024-01-02 .. Thu 2024-01-11
CLOSES = [10.0, 11.0, 12.0, 10.0, 9.0, 9.5, 8.0, 8.5]


def event(first, last, dollar, percent, counted):
    return {
        "date": DAYS[first].isoformat(),
        "window": [DAYS[first].isoformat(), DAYS[last].isoformat()],
        "dollar_change": dollar,
        "percent_change": percent,
        "counted": counted,
    }


# A counted event over days 2-3 (-$1, -10%), one not counted on day 4 (-$0.50, -5%), a counted one over
# days 6-7 (-$2, -20%).
EVENTS = [event(2, 3, -1.0, -0.10, True), event(4, 4, -0.5, -0.05, False), event(6, 7, -2.0, -0.20, True)]


def check(series, inflations, closes=CLOSES, days=DAYS):
    """The series has these days, this inflation each day, and but-for = close - inflation."""
    assert [p["date"] for p in series] == [d.isoformat() for d in days]
    assert [p["close"] for p in series] == closes
    assert [p["inflation"] for p in series] == pytest.approx(inflations)
    assert [p["but_for"] for p in series] == pytest.approx(
        [c - i for c, i in zip(closes, inflations, strict=True)]
    )


def test_constant_dollar_by_hand():
    """Before the first counted window the price carries both drops ($3); from the first window's first day
    the part not yet taken out ($2, the last event's); from the last window on nothing. The uncounted event
    changes nothing."""
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), EVENTS, method="constant_dollar", start=DAYS[0]
    )
    check(series, [3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0])
    assert [p["close"] for p in series] == CLOSES
    assert block == {
        "method": "constant_dollar",
        "start": "2024-01-02",
        "per_share_dollar": 3.0,
        "percent": pytest.approx(1 - 0.9 * 0.8),
        "counted_events": ["2024-01-04", "2024-01-10"],
    }


def test_constant_percent_by_hand():
    """but-for = close x the product of (1 + percent change) of the counted events still to come."""
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), EVENTS, method="constant_percent", start=DAYS[0]
    )
    factors = [0.72, 0.72, 0.8, 0.8, 0.8, 0.8, 1.0, 1.0]
    but_for = [c * f for c, f in zip(CLOSES, factors, strict=True)]
    assert [p["but_for"] for p in series] == pytest.approx([7.2, 7.92, 9.6, 8.0, 7.2, 7.6, 8.0, 8.5])
    assert [p["but_for"] for p in series] == pytest.approx(but_for)
    assert [p["inflation"] for p in series] == pytest.approx([2.8, 3.08, 2.4, 2.0, 1.8, 1.9, 0.0, 0.0])
    # The totals do not depend on the method.
    assert block["per_share_dollar"] == 3.0
    assert block["percent"] == pytest.approx(0.28)


def test_counting_every_event_takes_out_the_small_one_too():
    every = [{**e, "counted": True} for e in EVENTS]
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), every, method="constant_dollar", start=DAYS[0]
    )
    # Between the first and the second window, the second's and the third's changes are still in the price.
    check(series, [3.5, 3.5, 2.5, 2.5, 2.0, 2.0, 0.0, 0.0])
    assert block["per_share_dollar"] == 3.5
    assert block["percent"] == pytest.approx(1 - 0.9 * 0.95 * 0.8)
    assert block["counted_events"] == ["2024-01-04", "2024-01-08", "2024-01-10"]


def test_before_the_inflation_start_the_price_carries_none():
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), EVENTS, method="constant_dollar", start=DAYS[3]
    )
    check(series, [2.0, 2.0, 2.0, 0.0, 0.0], CLOSES[3:], DAYS[3:])
    assert block["start"] == "2024-01-05"
    # A start on a weekend: the series starts on the next trading day.
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), EVENTS, method="constant_dollar", start=date(2024, 1, 6)
    )
    assert block["start"] == series[0]["date"] == "2024-01-08"


def test_news_that_lifted_the_price_means_it_was_deflated_before():
    lift = [event(3, 3, 1.5, 0.15, True)]
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), lift, method="constant_dollar", start=DAYS[0]
    )
    check(series, [-1.5, -1.5, -1.5, 0, 0, 0, 0, 0])
    assert block["per_share_dollar"] == -1.5 and block["percent"] == pytest.approx(-0.15)
    _, series = backcast(list(zip(DAYS, CLOSES, strict=True)), lift, method="constant_percent", start=DAYS[0])
    assert series[0]["but_for"] == pytest.approx(10.0 * 1.15)


def test_no_counted_event_leaves_the_price_as_it_is():
    none = [{**e, "counted": False} for e in EVENTS]
    block, series = backcast(
        list(zip(DAYS, CLOSES, strict=True)), none, method="constant_percent", start=DAYS[0]
    )
    assert all(p["inflation"] == 0.0 and p["but_for"] == p["close"] for p in series)
    assert block["per_share_dollar"] == 0.0 and block["percent"] == 0.0 and block["counted_events"] == []


def test_a_but_for_price_at_or_below_zero_is_refused():
    closes = list(zip(DAYS, [1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 4.0, 4.5], strict=True))
    with pytest.raises(StudyError) as refused:
        backcast(closes, [event(6, 6, -2.0, -0.33, True)], method="constant_dollar", start=DAYS[0])
    assert str(refused.value) == (
        "The but-for price on 2024-01-02 would be -0.5000: the inflation taken out (2.0000 a share) is more than "
        "the close (1.5000). The constant-dollar method does not fit these prices; use the constant-percent method."
    )
    with pytest.raises(StudyError) as refused:
        backcast(closes, [event(6, 6, -2.0, -1.0, True)], method="constant_percent", start=DAYS[0])
    assert str(refused.value) == (
        "The event window starting 2024-01-10 took 100.00% off the price, which leaves no positive but-for "
        "price under the constant-percent method."
    )


# --- real runs -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_events():
    """A -8% drop on row 150, nothing on rows 160 and 170 (window (0, 1), market model)."""
    rows = synthetic_rows(77, 180, inject={150: -0.08})
    events = (rows[150].day, rows[160].day, rows[170].day)
    return rows, events


def run(rows, events, **params):
    return run_study(rows, StudyParameters(event_dates=events, estimation_days=120, gap_days=10, **params))


def test_each_events_price_change_is_its_abnormal_returns_on_the_price(three_events):
    rows, events = three_events
    study = run(rows, events)
    for e in study["events"]:
        assert e["dollar_change"] == pytest.approx(
            sum(d["abnormal"] * d["previous_close"] for d in e["days"])
        )
        assert e["percent_change"] == pytest.approx(math.prod(1 + d["abnormal"] for d in e["days"]) - 1)
    assert study["events"][0]["dollar_change"] < 0


def test_only_significant_events_count_unless_all_are_asked_for(three_events):
    rows, events = three_events
    significant = run(rows, events)
    flags = [(e["significant"], e["counted"]) for e in significant["events"]]
    assert flags == [(True, True), (False, False), (False, False)], (
        "the seed should give one significant event"
    )
    assert significant["inflation"]["counted_events"] == [events[0].isoformat()]
    assert significant["inflation"]["per_share_dollar"] == pytest.approx(
        -significant["events"][0]["dollar_change"]
    )

    every = run(rows, events, counted="all")
    assert [e["counted"] for e in every["events"]] == [True, True, True]
    assert [e["significant"] for e in every["events"]] == [True, False, False]
    assert every["inflation"]["counted_events"] == [e.isoformat() for e in events]
    changes = [e["dollar_change"] for e in every["events"]]
    assert every["inflation"]["per_share_dollar"] == pytest.approx(-sum(changes))
    by_day = {p["date"]: p for p in every["series"]}
    # Before the first window all three; between the first and second windows the two still to come; between
    # the second and third the last one; after the third none.
    assert by_day[rows[149].day.isoformat()]["inflation"] == pytest.approx(-sum(changes))
    assert by_day[rows[155].day.isoformat()]["inflation"] == pytest.approx(-(changes[1] + changes[2]))
    assert by_day[rows[165].day.isoformat()]["inflation"] == pytest.approx(-changes[2])
    assert by_day[rows[175].day.isoformat()]["inflation"] == 0.0
    for p in every["series"]:
        assert p["but_for"] == pytest.approx(p["close"] - p["inflation"])


def test_a_real_run_follows_the_backcast_of_its_own_events(three_events):
    rows, events = three_events
    for method in ("constant_dollar", "constant_percent"):
        study = run(rows, events, counted="all", inflation_method=method, inflation_start=rows[100].day)
        closes = [(r.day, float(r.company)) for r in rows]
        block, series = backcast(closes, study["events"], method=method, start=rows[100].day)
        assert study["inflation"] == block and study["series"] == series
        assert study["series"][0]["date"] == study["inflation"]["start"] == rows[100].day.isoformat()
        assert len(study["series"]) == len(rows) - 100
        assert study["parameters"]["inflation_start"] == rows[100].day.isoformat()
    percent = run(rows, events, counted="all", inflation_method="constant_percent")
    growth = math.prod(1 + e["percent_change"] for e in percent["events"])
    assert percent["inflation"]["percent"] == pytest.approx(1 - growth)
    assert percent["series"][0]["but_for"] == pytest.approx(float(rows[0].company) * growth)


def test_an_inflation_start_on_a_weekend_starts_the_series_on_the_next_trading_day(three_events):
    rows, events = three_events
    saturday = next(r.day for r in rows if r.day.weekday() == 4) + timedelta(days=1)
    study = run(rows, events, inflation_start=saturday)
    assert study["parameters"]["inflation_start"] == saturday.isoformat()
    assert study["inflation"]["start"] == study["series"][0]["date"] > saturday.isoformat()
    assert date.fromisoformat(study["series"][0]["date"]).weekday() == 0
