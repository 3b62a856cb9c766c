"""Every refusal of run_study, with its message (docs/clawback-rules §1.7a): the study refuses what it cannot
estimate honestly and says, in words, what to change."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from clawback.event_study import PriceRow, StudyError, StudyParameters, run_study
from tests.clawback.test_event_study import rows_from, synthetic_levels, synthetic_rows, trading_days

ROWS = synthetic_rows(9, 100, gamma=0.5)
EVENT = ROWS[90].day  # 2024-05-07
BASE = StudyParameters(event_dates=(EVENT,), estimation_days=60, gap_days=5, model="two_factor")


def refusal(rows=ROWS, **changes):
    with pytest.raises(StudyError) as refused:
        run_study(rows, replace(BASE, **changes))
    return str(refused.value)


def test_the_base_case_runs():
    assert run_study(ROWS, BASE)["events"][0]["date"] == "2024-05-07"


PARAMETERS = [
    ({"event_dates": ()}, "Give at least one event date: a day the restatement news reached the market."),
    (
        {"estimation_days": 29},
        "The estimation window must have at least 30 trading days; 29 were asked for.",
    ),
    ({"gap_days": -1}, "The gap before the first event must be zero or more trading days; -1 was given."),
    ({"window": (1, 0)}, "The event window's first offset (1) is after its last (0)."),
    (
        {"window": (-11, 0)},
        "The event window must lie within 10 trading days before and after each event date; (-11, 0) was given.",
    ),
    (
        {"window": (0, 11)},
        "The event window must lie within 10 trading days before and after each event date; (0, 11) was given.",
    ),
    ({"model": "fama_french"}, 'The model must be "market" or "two_factor"; "fama_french" was given.'),
    (
        {"inflation_method": "linear"},
        'The inflation method must be "constant_dollar" or "constant_percent"; "linear" was given.',
    ),
    ({"counted": "some"}, 'The events counted must be "significant" or "all"; "some" was given.'),
    ({"significance": 0.0}, "The significance level must be between 0 and 1 (say 0.05); 0.0 was given."),
    ({"significance": 1}, "The significance level must be between 0 and 1 (say 0.05); 1 was given."),
]


@pytest.mark.parametrize(("changes", "message"), PARAMETERS)
def test_parameters_are_refused_in_words(changes, message):
    assert refusal(**changes) == message


def test_no_prices():
    assert (
        refusal(rows=[])
        == "There are no prices: the study needs the daily closes of the company and the market."
    )


def test_rows_out_of_order_or_twice():
    swapped = [*ROWS[:10], ROWS[11], ROWS[10], *ROWS[12:]]
    assert refusal(rows=swapped) == (
        f"The prices must be in date order, one row per trading day: {ROWS[10].day} comes after {ROWS[11].day}."
    )
    twice = [*ROWS[:11], ROWS[10], *ROWS[11:]]
    assert refusal(rows=twice) == (
        f"The prices must be in date order, one row per trading day: {ROWS[10].day} appears twice."
    )


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("company", Decimal("0"), "company's close"),
        ("company", Decimal("-1.5"), "company's close"),
        ("market", Decimal("NaN"), "market index level"),
        ("market", Decimal("Infinity"), "market index level"),
        ("peer", Decimal("0.00"), "peer index level"),
        ("company", "abc", "company's close"),
    ],
)
def test_levels_must_be_positive_numbers(field, value, what):
    rows = [*ROWS[:5], replace(ROWS[5], **{field: value}), *ROWS[6:]]
    assert refusal(rows=rows) == (
        f"The {what} on {ROWS[5].day} is {value}: every close and index level must be a positive number."
    )


def test_an_event_date_must_be_a_trading_day():
    saturday = date(2024, 5, 4)
    assert refusal(event_dates=(saturday,)) == (
        "The event date 2024-05-04 is not a trading day in the prices (they run from 2024-01-02 to 2024-05-20)."
    )


def test_an_event_window_may_not_reach_past_the_last_price():
    assert refusal(event_dates=(ROWS[98].day,), window=(0, 2)) == (
        f"The event window around {ROWS[98].day} ends 2 trading days after it, past the last price (2024-05-20)."
    )


def test_event_windows_may_not_overlap():
    assert refusal(event_dates=(ROWS[92].day, EVENT), window=(-1, 1)) == (
        f"The event windows around {EVENT} and {ROWS[92].day} overlap: a trading day may belong to one event "
        "only. Merge the two events or narrow the window."
    )
    # Touching is not overlapping: (0, 1) windows on consecutive pairs of days.
    assert run_study(ROWS, replace(BASE, event_dates=(EVENT, ROWS[92].day)))["events"][1]["window"][0] == (
        ROWS[92].day.isoformat()
    )


def test_the_estimation_window_needs_enough_prices():
    """The message of the brief's example, with this calendar's count: 2025-09-02 to 2026-04-20 has 164
    weekdays before the event; less the 10-day gap and the first row (no return) leaves 153."""
    days = trading_days(200, date(2025, 9, 2))
    rows = [PriceRow(day, Decimal(100 + i % 7), Decimal(50 + i % 5)) for i, day in enumerate(days)]
    params = StudyParameters(event_dates=(date(2026, 4, 20),))
    with pytest.raises(StudyError) as refused:
        run_study(rows, params)
    assert str(refused.value) == (
        "The estimation window needs 250 trading days before 2026-04-20 (with a 10-day gap); the prices start "
        "on 2025-09-02, which gives 153."
    )
    assert refusal(estimation_days=85) == (
        f"The estimation window needs 85 trading days before {EVENT} (with a 5-day gap); the prices start on "
        "2024-01-02, which gives 84."
    )
    assert refusal(gap_days=200).endswith("which gives 0.")


def test_an_event_window_may_not_reach_into_the_estimation_window():
    assert refusal(window=(-6, 0)) == (
        f"The event window around {EVENT} starts 6 trading days before it, inside the estimation window; make "
        "the gap at least 6 trading days."
    )
    assert run_study(ROWS, replace(BASE, window=(-5, 0)))["events"][0]["days"][0]["offset"] == -5


def test_the_two_factor_model_needs_the_peer_on_every_day_it_uses():
    estimation_end = 90 - 5 - 1
    for missing in (50, estimation_end - 60, 91):  # inside, the day before the first return, in the window
        rows = [*ROWS[:missing], replace(ROWS[missing], peer=None), *ROWS[missing + 1 :]]
        assert refusal(rows=rows) == (
            f"The two-factor model needs the peer index on every day it uses; it is missing on {ROWS[missing].day}."
        )
        assert run_study(rows, replace(BASE, model="market"))["events"][0]["days"][0]["peer_return"] is None
    # A day it does not use (before the estimation window, in the gap) may lack it.
    for unused in (10, 87):
        rows = [*ROWS[:unused], replace(ROWS[unused], peer=None), *ROWS[unused + 1 :]]
        assert run_study(rows, BASE)["estimation"]["model"] == "two_factor"
    # Several missing: the first is named.
    rows = [replace(r, peer=None) if i in (70, 40) else r for i, r in enumerate(ROWS)]
    assert refusal(rows=rows).endswith(f"it is missing on {ROWS[40].day}.")


def _levels(company, market, peer):
    return rows_from(np.asarray(company, float), np.asarray(market, float), np.asarray(peer, float))


def test_a_regression_without_a_unique_answer_is_refused():
    company, market, peer = synthetic_levels(9, 100, gamma=0.5)
    span = f"{ROWS[25].day} to {ROWS[84].day}"
    flat = np.full(100, 250.0)
    assert refusal(rows=_levels(company, flat, peer)) == (
        f"The market index does not move in the estimation window ({span}): its daily return is the same "
        "every day, so the model cannot measure how the stock follows it."
    )
    # A steady rise is no movement either: the same return every day.
    steady = 100 * 1.001 ** np.arange(100)
    assert refusal(rows=_levels(company, market, steady)).startswith(
        f"The peer index does not move in the estimation window ({span})"
    )
    assert refusal(rows=_levels(company, market, 2 * market)) == (
        f"The market and peer index returns move in lockstep in the estimation window ({span}), so the model "
        "cannot tell their effects apart; use the market model or another peer index."
    )
    assert refusal(rows=_levels(flat, market, peer)) == (
        f"The company's stock return is the same every day of the estimation window ({span}): there is no "
        "movement for the model to explain."
    )
    market_returns = np.r_[0.0, market[1:] / market[:-1] - 1]
    exact = 40 * np.cumprod(1 + np.r_[0.0, 0.001 + 1.2 * market_returns[1:]])
    assert refusal(rows=_levels(exact, market, peer), model="market") == (
        f"The model explains the company's returns in the estimation window ({span}) exactly, with nothing left "
        "unexplained, so there is no measure of normal noise to test event days against."
    )


def test_the_inflation_start_must_be_within_the_prices_and_before_the_news():
    assert refusal(inflation_start=date(2023, 12, 29)) == (
        "The inflation start (2023-12-29) is before the first price (2024-01-02)."
    )
    late = EVENT + timedelta(days=1)
    assert refusal(inflation_start=late) == (
        f"The inflation start ({late}) is after the first event window begins ({EVENT}): the price must carry the "
        "inflation before the news takes it out."
    )
    assert run_study(ROWS, replace(BASE, inflation_start=EVENT))["series"][0]["date"] == EVENT.isoformat()


def test_a_but_for_price_at_or_below_zero_is_refused_in_a_real_run():
    """A stock that rose twentyfold and then lost a large part on the news: the constant-dollar inflation is
    more than the early closes; the constant-percent method is fine."""
    company, market, peer = synthetic_levels(9, 100, gamma=0.5, inject={90: -0.5})
    company = company * np.r_[np.geomspace(0.05, 1.0, 85), np.ones(15)]
    rows = _levels(company, market, peer)
    message = refusal(rows=rows, model="market")
    assert message.startswith(f"The but-for price on {ROWS[0].day} would be -")
    assert message.endswith(
        "The constant-dollar method does not fit these prices; use the constant-percent method."
    )
    assert (
        run_study(rows, replace(BASE, model="market", inflation_method="constant_percent"))["series"][0][
            "but_for"
        ]
        > 0
    )
