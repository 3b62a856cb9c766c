"""The event study's statistics (docs/clawback-rules §1.7a): the regression equals statsmodels' to 1e-9, an
injected price drop is found and its confidence interval covers it, the day flags are calibrated and the
Holm adjustment holds the family-wise error rate, and the output is plain JSON.

Pure tests: no database. Synthetic prices come from numpy's default_rng(seed), so every figure is
reproducible.
"""

import json
import math
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from clawback.event_study import (
    PriceRow,
    StudyParameters,
    abnormal_returns,
    holm,
    run_study,
)

FIRST_DAY = date(2024, 1, 2)
EXACT = {"abs": 1e-9, "rel": 1e-9}


def trading_days(count: int, first: date = FIRST_DAY) -> list[date]:
    """Monday to Friday from `first`: the rows are the trading calendar."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def synthetic_levels(seed, n, *, beta=1.1, gamma=0.0, noise=0.015, inject=None):
    """Company, market and peer levels whose returns follow R = a + beta*Rm + gamma*Rp + e, with the
    injected returns added on the given rows ({row: return})."""
    rng = np.random.default_rng(seed)
    market = rng.normal(0.0004, 0.01, n)
    peer = 0.6 * market + rng.normal(0.0, 0.008, n)
    company = 0.0002 + beta * market + gamma * peer + rng.normal(0.0, noise, n)
    for row, extra in (inject or {}).items():
        company[row] += extra
    company[0] = market[0] = peer[0] = 0.0
    return 40.0 * np.cumprod(1 + company), 3000.0 * np.cumprod(1 + market), 200.0 * np.cumprod(1 + peer)


def rows_from(company, market, peer=None, *, places=None):
    """PriceRows (Decimals) from float levels: exact (repr) by default, so float(Decimal) gives the float
    back, or rounded to `places` as a price feed would be."""

    def dec(x):
        return Decimal(repr(float(x))) if places is None else Decimal(f"{x:.{places}f}")

    days = trading_days(len(company))
    return [
        PriceRow(day, dec(c), dec(m), None if peer is None else dec(p))
        for day, c, m, p in zip(days, company, market, peer if peer is not None else company, strict=True)
    ]


def synthetic_rows(seed, n, **kwargs):
    return rows_from(*synthetic_levels(seed, n, **kwargs), places=6)


def returns_of(levels):
    levels = np.asarray(levels, dtype=float)
    return levels[1:] / levels[:-1] - 1


# --- 1. the regression equals statsmodels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "seed"), [("market", 11), ("market", 12), ("two_factor", 13), ("two_factor", 14)]
)
def test_regression_equals_statsmodels(model, seed):
    rows = synthetic_rows(seed, 200, gamma=0.5)
    event = 180
    params = StudyParameters(
        event_dates=(rows[event].day, rows[event + 8].day),
        estimation_days=150,
        gap_days=5,
        window=(-1, 1),
        model=model,
    )
    study = run_study(rows, params)

    company = returns_of([r.company for r in rows])
    market = returns_of([r.market for r in rows])
    peer = returns_of([r.peer for r in rows])
    # Row i's return is returns[i - 1]; the estimation window is rows 25..174 (150 rows, then 5 gap rows).
    first, last = event - 5 - 150, event - 5 - 1
    columns = [market] if model == "market" else [market, peer]
    exog = sm.add_constant(np.column_stack([c[first - 1 : last] for c in columns]))
    fit = sm.OLS(company[first - 1 : last], exog).fit()

    estimation = study["estimation"]
    assert (estimation["start"], estimation["end"]) == (
        rows[first].day.isoformat(),
        rows[last].day.isoformat(),
    )
    assert estimation["observations"] == 150 == fit.nobs
    assert estimation["df_resid"] == fit.df_resid
    names = ["alpha", "market"] + (["peer"] if model == "two_factor" else [])
    assert [c["name"] for c in estimation["coefficients"]] == names
    for j, coefficient in enumerate(estimation["coefficients"]):
        assert coefficient["estimate"] == pytest.approx(fit.params[j], **EXACT)
        assert coefficient["std_error"] == pytest.approx(fit.bse[j], **EXACT)
        assert coefficient["t"] == pytest.approx(fit.tvalues[j], **EXACT)
        assert coefficient["p"] == pytest.approx(fit.pvalues[j], **EXACT)
    assert estimation["r_squared"] == pytest.approx(fit.rsquared, **EXACT)
    assert estimation["adj_r_squared"] == pytest.approx(fit.rsquared_adj, **EXACT)
    assert estimation["residual_sd"] == pytest.approx(fit.scale**0.5, **EXACT)
    assert estimation["f_statistic"] == pytest.approx(fit.fvalue, **EXACT)
    assert estimation["f_p"] == pytest.approx(fit.f_pvalue, **EXACT)

    # Each event day: AR against the fitted line, its SE the forecast error's (statsmodels' se_obs).
    all_days = [day for e in study["events"] for day in e["days"]]
    for e in study["events"]:
        position = next(i for i, r in enumerate(rows) if r.day.isoformat() == e["date"])
        window_rows = range(position - 1, position + 2)
        x = sm.add_constant(
            np.column_stack([c[[i - 1 for i in window_rows]] for c in columns]), has_constant="add"
        )
        prediction = fit.get_prediction(x)
        actual = company[[i - 1 for i in window_rows]]
        assert [d["offset"] for d in e["days"]] == [-1, 0, 1]
        assert e["window"] == [rows[position - 1].day.isoformat(), rows[position + 1].day.isoformat()]
        for k, day in enumerate(e["days"]):
            assert day["expected"] == pytest.approx(prediction.predicted_mean[k], **EXACT)
            assert day["abnormal"] == pytest.approx(actual[k] - prediction.predicted_mean[k], **EXACT)
            assert day["std_error"] == pytest.approx(prediction.se_obs[k], **EXACT)
            t = (actual[k] - prediction.predicted_mean[k]) / prediction.se_obs[k]
            assert day["t"] == pytest.approx(t, **EXACT)
            assert day["p"] == pytest.approx(2 * stats.t.sf(abs(t), fit.df_resid), **EXACT)
            assert day["previous_close"] == float(rows[window_rows[k] - 1].company)
        # CAR variance: L s² + 1'Xw Cov(b) Xw'1, with statsmodels' own covariance of the coefficients.
        total = x.sum(axis=0)
        car = float(np.sum(actual - prediction.predicted_mean))
        car_se = math.sqrt(3 * fit.scale + total @ fit.cov_params() @ total)
        critical = stats.t.ppf(0.975, fit.df_resid)
        assert e["car"] == pytest.approx(car, **EXACT)
        assert e["car_std_error"] == pytest.approx(car_se, **EXACT)
        assert e["car_t"] == pytest.approx(car / car_se, **EXACT)
        assert e["car_p"] == pytest.approx(2 * stats.t.sf(abs(car / car_se), fit.df_resid), **EXACT)
        assert e["car_ci"] == pytest.approx([car - critical * car_se, car + critical * car_se], **EXACT)
    # Holm over all six event days of the study, as statsmodels adjusts them.
    expected_holm = multipletests([d["p"] for d in all_days], method="holm")[1]
    assert [d["p_holm"] for d in all_days] == pytest.approx(list(expected_holm), **EXACT)
    assert [d["significant"] for d in all_days] == [p < 0.05 for p in expected_holm]


@pytest.mark.parametrize("model", ["market", "two_factor"])
def test_abnormal_returns_equal_event_day_dummies(model):
    """The textbook equivalence: regressing on the estimation and event days together, with one dummy per
    event day, gives each day's AR as its dummy's coefficient and the forecast SE as its SE; the CAR is
    the sum of a window's dummies, tested as a contrast (same df, n - k)."""
    rows = synthetic_rows(21, 120, gamma=0.4)
    study = run_study(
        rows,
        StudyParameters(
            event_dates=(rows[110].day,), estimation_days=100, gap_days=0, window=(0, 2), model=model
        ),
    )
    company = returns_of([r.company for r in rows])
    columns = [returns_of([r.market for r in rows])]
    if model == "two_factor":
        columns.append(returns_of([r.peer for r in rows]))
    used = list(range(9, 109)) + [109, 110, 111]  # returns of rows 10..109 and the window rows 110..112
    dummies = np.zeros((len(used), 3))
    dummies[-3:, :] = np.eye(3)
    exog = np.column_stack([np.ones(len(used)), *(c[used] for c in columns), dummies])
    fit = sm.OLS(company[used], exog).fit()
    event = study["events"][0]
    k = 1 + len(columns)
    for j, day in enumerate(event["days"]):
        assert day["abnormal"] == pytest.approx(fit.params[k + j], **EXACT)
        assert day["std_error"] == pytest.approx(fit.bse[k + j], **EXACT)
        assert day["p"] == pytest.approx(fit.pvalues[k + j], **EXACT)
    contrast = fit.t_test(np.r_[np.zeros(k), np.ones(3)])
    assert event["car"] == pytest.approx(float(contrast.effect[0]), **EXACT)
    assert event["car_std_error"] == pytest.approx(float(contrast.sd[0, 0]), **EXACT)
    assert event["car_p"] == pytest.approx(float(contrast.pvalue), **EXACT)


def test_holm_equals_statsmodels_and_keeps_the_order():
    rng = np.random.default_rng(5)
    for size in (1, 2, 3, 7, 25):
        p = rng.uniform(0, 0.2, size)
        p[0] = p[-1]  # a tie
        assert list(holm(p)) == pytest.approx(list(multipletests(p, method="holm")[1]), **EXACT)
    assert list(holm([0.01, 0.04, 0.03])) == pytest.approx([0.03, 0.06, 0.06])
    assert list(holm([0.5, 0.9])) == [1.0, 1.0]


# --- 2. an injected abnormal return is found ----------------------------------------------------------

INJECTED = [
    # seed, model, window, injected return per window day
    (101, "market", (0, 0), (-0.08,)),
    (102, "market", (0, 0), (-0.06,)),
    (103, "market", (0, 1), (-0.08, 0.0)),
    (104, "market", (0, 1), (-0.05, -0.04)),
    (105, "market", (-1, 1), (-0.02, -0.06, -0.02)),
    (106, "market", (0, 0), (0.08,)),
    (107, "two_factor", (0, 0), (-0.08,)),
    (108, "two_factor", (0, 1), (-0.08, 0.0)),
    (109, "two_factor", (0, 1), (-0.04, -0.05)),
    (110, "two_factor", (0, 2), (-0.05, -0.02, -0.03)),
]


@pytest.mark.parametrize(("seed", "model", "window", "injected"), INJECTED)
def test_an_injected_abnormal_return_is_found(seed, model, window, injected):
    event = 270
    inject = {event + window[0] + k: v for k, v in enumerate(injected)}
    rows = synthetic_rows(seed, 290, gamma=0.5 if model == "two_factor" else 0.0, inject=inject)
    study = run_study(rows, StudyParameters(event_dates=(rows[event].day,), window=window, model=model))
    result = study["events"][0]
    total = sum(injected)
    low, high = result["car_ci"]
    assert low < total < high, f"the CI {low:.4f}..{high:.4f} misses the injected {total:.4f}"
    assert result["significant"] and result["counted"]
    assert result["car_p"] < 0.05
    assert math.copysign(1, result["car"]) == math.copysign(1, total)
    assert result["percent_change"] == pytest.approx(np.prod([1 + d["abnormal"] for d in result["days"]]) - 1)
    # The main day's drop is flagged on its own even after the Holm adjustment.
    main = max(result["days"], key=lambda d: abs(d["abnormal"]))
    assert main["significant"] and main["p_holm"] >= main["p"]
    # The price carried the news before the window: inflation of the drop's sign, none after it.
    inflation = study["inflation"]
    assert math.copysign(1, inflation["per_share_dollar"]) == -math.copysign(1, total)
    assert inflation["counted_events"] == [rows[event].day.isoformat()]
    before = study["series"][0]
    assert before["inflation"] == inflation["per_share_dollar"]
    assert before["but_for"] == pytest.approx(before["close"] - inflation["per_share_dollar"])
    assert study["series"][-1]["inflation"] == 0.0


def test_the_result_is_plain_json_in_the_documented_shape():
    rows = synthetic_rows(3, 80, gamma=0.5, inject={70: -0.1})
    study = run_study(
        rows,
        StudyParameters(
            event_dates=(rows[74].day, rows[70].day, rows[70].day),
            estimation_days=60,
            gap_days=3,
            model="two_factor",
        ),
    )
    assert json.loads(json.dumps(study, allow_nan=False)) == study

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float, bool)

    assert plain(study)
    assert list(study) == ["version", "parameters", "estimation", "events", "inflation", "series"]
    assert study["version"] == "event-study/1"
    assert study["parameters"] == {
        "event_dates": [rows[70].day.isoformat(), rows[74].day.isoformat()],  # sorted, deduplicated
        "estimation_days": 60,
        "gap_days": 3,
        "window": [0, 1],
        "model": "two_factor",
        "significance": 0.05,
        "inflation_method": "constant_dollar",
        "counted": "significant",
        "inflation_start": rows[0].day.isoformat(),
    }
    assert list(study["estimation"]) == [
        "start", "end", "observations", "model", "coefficients", "r_squared", "adj_r_squared", "residual_sd",
        "df_resid", "f_statistic", "f_p",
    ]  # fmt: skip
    assert [c["label"] for c in study["estimation"]["coefficients"]] == [
        "Intercept (alpha)",
        "Market index (beta)",
        "Peer index",
    ]
    assert (study["estimation"]["start"], study["estimation"]["end"]) == (
        rows[7].day.isoformat(),
        rows[66].day.isoformat(),
    )
    event = study["events"][0]
    assert list(event) == [
        "date", "window", "days", "car", "car_std_error", "car_t", "car_p", "car_ci", "significant", "counted",
        "dollar_change", "percent_change",
    ]  # fmt: skip
    assert list(event["days"][0]) == [
        "date", "offset", "close", "previous_close", "return", "market_return", "peer_return", "expected",
        "abnormal", "std_error", "t", "p", "p_holm", "significant",
    ]  # fmt: skip
    day = event["days"][0]
    assert day["close"] == float(rows[70].company)
    assert day["return"] == pytest.approx(float(rows[70].company) / float(rows[69].company) - 1)
    assert day["market_return"] == pytest.approx(float(rows[70].market) / float(rows[69].market) - 1)
    assert day["peer_return"] == pytest.approx(float(rows[70].peer) / float(rows[69].peer) - 1)
    assert day["expected"] + day["abnormal"] == pytest.approx(day["return"])
    assert list(study["inflation"]) == ["method", "start", "per_share_dollar", "percent", "counted_events"]
    assert [p["date"] for p in study["series"]] == [r.day.isoformat() for r in rows]
    assert list(study["series"][0]) == ["date", "close", "inflation", "but_for"]


def test_the_market_model_reports_no_peer_return_and_needs_no_peer():
    company, market, _ = synthetic_levels(4, 70)
    rows = rows_from(company, market)  # no peer index at all
    study = run_study(rows, StudyParameters(event_dates=(rows[65].day,), estimation_days=50, gap_days=2))
    assert all(d["peer_return"] is None for d in study["events"][0]["days"])
    assert [c["name"] for c in study["estimation"]["coefficients"]] == ["alpha", "market"]


# --- 3. calibration: no event, no flags beyond the chosen level ------------------------------------------

SEEDS = 2000
ESTIMATION = 120
WINDOW_DAYS = 3


def _null_levels(seed):
    return synthetic_levels(seed, 1 + ESTIMATION + WINDOW_DAYS, gamma=0.0)


def test_day_flags_are_calibrated_and_holm_holds_the_family_wise_rate():
    """2,000 studies of prices with no event. Each day's raw test rejects 5% of the time (it is calibrated);
    with three days tested, "any raw p below 5%" happens about 14% of the time, while the Holm-adjusted
    flags keep "any day flagged" at 5% or less. `abnormal_returns` is the core run_study uses; every tenth
    seed also goes through run_study itself, which must flag exactly the same days."""
    estimation, windows = (1, ESTIMATION), [(ESTIMATION + 1, ESTIMATION + WINDOW_DAYS)]
    raw_rejections = raw_any = holm_any = 0
    for seed in range(SEEDS):
        company, market, _ = _null_levels(seed)
        core = abnormal_returns(company, market, None, estimation=estimation, windows=windows)
        adjusted = holm(core.p_values)
        raw = core.p_values < 0.05
        raw_rejections += int(raw.sum())
        raw_any += bool(raw.any())
        holm_any += bool((adjusted < 0.05).any())
        if seed % 10 == 0:
            rows = rows_from(company, market)
            study = run_study(
                rows,
                StudyParameters(
                    event_dates=(rows[ESTIMATION + 1].day,),
                    estimation_days=ESTIMATION,
                    gap_days=0,
                    window=(0, 2),
                ),
            )
            days = study["events"][0]["days"]
            assert [d["p"] for d in days] == list(core.p_values)
            assert [d["significant"] for d in days] == list(adjusted < 0.05)

    tests = SEEDS * WINDOW_DAYS
    per_day = raw_rejections / tests
    per_day_se = math.sqrt(0.05 * 0.95 / tests)
    assert abs(per_day - 0.05) <= 3 * per_day_se, (
        f"raw per-day rejection rate {per_day:.4f} (SE {per_day_se:.4f})"
    )

    se = math.sqrt(0.05 * 0.95 / SEEDS)
    clean_share = 1 - holm_any / SEEDS
    assert clean_share >= 0.95 - 3 * se, (
        f"share of studies with no flagged day {clean_share:.4f} (SE {se:.4f})"
    )
    raw_clean_share = 1 - raw_any / SEEDS
    uncorrected = 0.95**WINDOW_DAYS
    assert raw_clean_share < 0.95 - 3 * se, (
        f"without Holm the share with no raw p below 5% is {raw_clean_share:.4f}: it should fall clearly "
        f"below 95% (about {uncorrected:.4f} for {WINDOW_DAYS} days)"
    )
    assert abs(raw_clean_share - uncorrected) <= 3 * math.sqrt(uncorrected * (1 - uncorrected) / SEEDS), (
        f"without Holm {raw_clean_share:.4f}, expected about {uncorrected:.4f}"
    )
    assert clean_share - raw_clean_share > 0.05, f"Holm {clean_share:.4f} vs raw {raw_clean_share:.4f}"
