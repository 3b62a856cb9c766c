"""The event study behind a reasonable estimate of a restatement's effect on the stock price or TSR
(Rule 10D-1(b)(1)(iii)(A); the method is docs/clawback-rules §1.7a).

When an award paid on stock price or total shareholder return cannot be recomputed from the restated
figures, the company must rest the amount on a reasonable estimate of the restatement's effect on the
price, and keep the documentation. Valuation consultants make that estimate with an event study, and this
module is one, written out so that every figure can be checked by hand:

1. a market model (or a two-factor model with a peer index) is fitted by ordinary least squares to the
   company's daily returns over an estimation window that ends before the news;
2. on each day of each event window (the days the restatement news reached the market) the abnormal
   return is what the stock did beyond what the model expected, with its forecast standard error;
3. the abnormal returns of a window add up to its cumulative abnormal return (CAR), tested for
   significance; each day is flagged with a Holm-adjusted p-value, because several days are tested;
4. the events that count take their price change out of the price before them ("backcasting"), which gives
   the inflation the price carried each day and the "but-for" price without it;
5. `award_measure` reads the award's measure (the price, the TSR or the TSR percentile among peers) off the
   actual and the but-for prices.

Pure module: numpy, scipy and the standard library only; no Django, no clock, no database. The statistics
are float64, as in every statistics package, and `run_study` hands back plain JSON (floats, ISO dates);
the figures handed to an award are Decimals rounded once, half-even (`award_measure`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from .event_study_awards import (
    VERSION,
    MeasureEstimate,
    StudyError,
    award_measure,
    price_arrays,
)

# The interface (the first six) and the pieces a reviewer or a calibration test may call on their own.
__all__ = [
    "MeasureEstimate",
    "PriceRow",
    "StudyError",
    "StudyParameters",
    "award_measure",
    "run_study",
    "Abnormal",
    "Fit",
    "abnormal_returns",
    "backcast",
    "fit_ols",
    "holm",
    "price_arrays",
    "simple_returns",
]

MODELS = ("market", "two_factor")
INFLATION_METHODS = ("constant_dollar", "constant_percent")
COUNTED = ("significant", "all")
# Fewer than about 30 daily returns leave the model's coefficients too uncertain to call any day abnormal;
# consultants use 100 to 250 (the default). docs/clawback-rules §1.7a, "Windows".
MIN_ESTIMATION_DAYS = 30
MAX_WINDOW_OFFSET = 10
# A return that moves by less than this over the whole estimation window is taken as not moving at all.
_FLAT = 1e-12
LABELS = {"alpha": "Intercept (alpha)", "market": "Market index (beta)", "peer": "Peer index"}


@dataclass(frozen=True)
class PriceRow:
    """One trading day: the company's close (or total-return index level), the market index level and,
    for the two-factor model, the peer or industry index level."""

    day: date
    company: Decimal
    market: Decimal
    peer: Decimal | None = None


@dataclass(frozen=True)
class StudyParameters:
    """What the study is asked to do; every default is the common practice described in
    docs/clawback-rules §1.7a."""

    event_dates: tuple[date, ...]
    estimation_days: int = 250
    gap_days: int = 10
    window: tuple[int, int] = (0, 1)
    model: str = "market"
    significance: float = 0.05
    inflation_method: str = "constant_dollar"
    counted: str = "significant"
    inflation_start: date | None = None


@dataclass(frozen=True)
class Fit:
    """An ordinary least squares fit with the classic (non-robust) statistics, as statsmodels' OLS gives
    them: the estimation window's regression of the company's returns on the index returns."""

    names: tuple[str, ...]
    params: np.ndarray
    std_errors: np.ndarray
    t_values: np.ndarray
    p_values: np.ndarray
    xtx_inv: np.ndarray
    scale: float  # s², the residual variance SSR / df
    observations: int
    df_resid: int
    r_squared: float
    adj_r_squared: float
    f_statistic: float
    f_p: float


@dataclass(frozen=True)
class Abnormal:
    """The abnormal returns of the event-window days (one entry a day, the windows in order) and the
    cumulative abnormal return of each window."""

    fit: Fit
    days: np.ndarray  # row index of each event-window day
    returns: np.ndarray
    expected: np.ndarray
    abnormal: np.ndarray
    std_errors: np.ndarray
    t_values: np.ndarray
    p_values: np.ndarray
    car: np.ndarray
    car_std_errors: np.ndarray
    car_t: np.ndarray
    car_p: np.ndarray


def _stats():
    # scipy.stats takes half a second to import: loaded when a study runs, not by every process that
    # imports the engine (a command, the web worker at start-up).
    from scipy import stats

    return stats


def _two_sided_p(t_values: np.ndarray, df: int) -> np.ndarray:
    return 2.0 * _stats().t.sf(np.abs(t_values), df)


def fit_ols(y: np.ndarray, x: np.ndarray, names: Sequence[str], *, span: str) -> Fit:
    """Ordinary least squares of y on x (x's first column is the constant), with classic standard errors,
    two-sided t tests (df = n - k), R², adjusted R², F and its p-value. `span` names the estimation window
    in the refusals.

    Classic (homoskedastic) standard errors are the textbook market model's; they are also what the
    forecast-error variance of an abnormal return assumes, so the two are consistent (§1.7a, "Standard
    errors"). A regression that has no unique answer is refused in words rather than answered with noise.
    """
    n, k = x.shape
    for j in range(1, k):
        if np.ptp(x[:, j]) <= _FLAT:
            raise StudyError(
                f"The {LABELS[names[j]].split(' (')[0].lower()} does not move in the estimation window "
                f"({span}): its daily return is the same every day, so the model cannot measure how the "
                "stock follows it."
            )
    if np.linalg.matrix_rank(x) < k:
        raise StudyError(
            f"The market and peer index returns move in lockstep in the estimation window ({span}), so the "
            "model cannot tell their effects apart; use the market model or another peer index."
        )
    if np.ptp(y) <= _FLAT:
        raise StudyError(
            f"The company's stock return is the same every day of the estimation window ({span}): there is "
            "no movement for the model to explain."
        )
    xtx_inv = np.linalg.inv(x.T @ x)
    params = np.linalg.lstsq(x, y, rcond=None)[0]
    residuals = y - x @ params
    ssr = float(residuals @ residuals)
    centered = y - y.mean()
    sst = float(centered @ centered)
    if ssr <= 1e-20 * sst:
        raise StudyError(
            f"The model explains the company's returns in the estimation window ({span}) exactly, with "
            "nothing left unexplained, so there is no measure of normal noise to test event days against."
        )
    df = n - k
    scale = ssr / df
    std_errors = np.sqrt(scale * np.diag(xtx_inv))
    t_values = params / std_errors
    r_squared = 1.0 - ssr / sst
    f_statistic = ((sst - ssr) / (k - 1)) / scale
    return Fit(
        names=tuple(names),
        params=params,
        std_errors=std_errors,
        t_values=t_values,
        p_values=_two_sided_p(t_values, df),
        xtx_inv=xtx_inv,
        scale=scale,
        observations=n,
        df_resid=df,
        r_squared=r_squared,
        adj_r_squared=1.0 - (1.0 - r_squared) * (n - 1) / df,
        f_statistic=f_statistic,
        f_p=float(_stats().f.sf(f_statistic, k - 1, df)),
    )


def simple_returns(levels: np.ndarray) -> np.ndarray:
    """r_t = P_t / P_(t-1) - 1 between consecutive rows, aligned with the rows: the first is NaN (no
    return), and so is any return touching a missing (NaN) level."""
    returns = np.full(levels.shape, np.nan)
    returns[1:] = levels[1:] / levels[:-1] - 1.0
    return returns


def abnormal_returns(
    company: np.ndarray,
    market: np.ndarray,
    peer: np.ndarray | None,
    *,
    estimation: tuple[int, int],
    windows: Sequence[tuple[int, int]],
    span: str = "",
) -> Abnormal:
    """The statistical core on float levels (row-aligned arrays): fit on the returns of rows
    estimation[0]..estimation[1], then the abnormal return of each row of each window (first, last) and
    each window's CAR. `run_study` checks the inputs and calls this; it is public so that a calibration
    test can run thousands of studies quickly.

    AR_t = R_t - x_t'b. Its standard error is the forecast error's, sqrt(s²(1 + x_t'(X'X)^-1 x_t)): the
    model's coefficients are themselves estimates, so an event day's "expected" return carries their
    error too. The CAR of a window is the sum of its ARs; its variance is s² 1'(I + Xw(X'X)^-1 Xw')1, which
    counts that the days of one window share the same estimated coefficients (§1.7a, "Standard errors").
    """
    columns = [market] if peer is None else [market, peer]
    names = ("alpha", "market") if peer is None else ("alpha", "market", "peer")
    rc = simple_returns(company)
    index_returns = [simple_returns(c) for c in columns]
    first, last = estimation
    y = rc[first : last + 1]
    x = np.column_stack([np.ones(last - first + 1), *(r[first : last + 1] for r in index_returns)])
    fit = fit_ols(y, x, names, span=span)
    days = np.concatenate([np.arange(a, b + 1) for a, b in windows])
    xd = np.column_stack([np.ones(days.size), *(r[days] for r in index_returns)])
    expected = xd @ fit.params
    abnormal = rc[days] - expected
    leverage = np.einsum("ij,jk,ik->i", xd, fit.xtx_inv, xd)
    std_errors = np.sqrt(fit.scale * (1.0 + leverage))
    t_values = abnormal / std_errors
    bounds = np.cumsum([0] + [b - a + 1 for a, b in windows])
    car = np.array([abnormal[i:j].sum() for i, j in zip(bounds[:-1], bounds[1:], strict=True)])
    car_var = []
    for i, j in zip(bounds[:-1], bounds[1:], strict=True):
        total = xd[i:j].sum(axis=0)
        car_var.append(fit.scale * ((j - i) + total @ fit.xtx_inv @ total))
    car_std_errors = np.sqrt(np.array(car_var))
    car_t = car / car_std_errors
    return Abnormal(
        fit=fit,
        days=days,
        returns=rc[days],
        expected=expected,
        abnormal=abnormal,
        std_errors=std_errors,
        t_values=t_values,
        p_values=_two_sided_p(t_values, fit.df_resid),
        car=car,
        car_std_errors=car_std_errors,
        car_t=car_t,
        car_p=_two_sided_p(car_t, fit.df_resid),
    )


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values: the i-th smallest of m is multiplied by (m - i + 1), the running
    maximum taken so the order is kept, capped at 1. Rejecting where the adjusted p is below the level
    keeps the chance of flagging any day by luck at that level across the whole family of days tested."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def _check_parameters(params: StudyParameters) -> None:
    if not params.event_dates:
        raise StudyError("Give at least one event date: a day the restatement news reached the market.")
    if params.estimation_days < MIN_ESTIMATION_DAYS:
        raise StudyError(
            f"The estimation window must have at least {MIN_ESTIMATION_DAYS} trading days; "
            f"{params.estimation_days} were asked for."
        )
    if params.gap_days < 0:
        raise StudyError(
            f"The gap before the first event must be zero or more trading days; {params.gap_days} was given."
        )
    first, last = params.window
    if first > last:
        raise StudyError(f"The event window's first offset ({first}) is after its last ({last}).")
    if first < -MAX_WINDOW_OFFSET or last > MAX_WINDOW_OFFSET:
        raise StudyError(
            f"The event window must lie within {MAX_WINDOW_OFFSET} trading days before and after each event "
            f"date; ({first}, {last}) was given."
        )
    choices = (
        ("model", params.model, MODELS),
        ("inflation method", params.inflation_method, INFLATION_METHODS),
        ("events counted", params.counted, COUNTED),
    )
    for what, value, allowed in choices:
        if value not in allowed:
            raise StudyError(f'The {what} must be "{allowed[0]}" or "{allowed[1]}"; "{value}" was given.')
    if not 0.0 < params.significance < 1.0:
        raise StudyError(
            f"The significance level must be between 0 and 1 (say 0.05); {params.significance} was given."
        )
    return first, last


def _windows(
    rows: Sequence[PriceRow], params: StudyParameters, events: Sequence[date]
) -> list[tuple[int, int]]:
    first, last = params.window
    where = {row.day: i for i, row in enumerate(rows)}
    windows = []
    for event in events:
        if event not in where:
            raise StudyError(
                f"The event date {event} is not a trading day in the prices (they run from {rows[0].day} to "
                f"{rows[-1].day})."
            )
        position = where[event]
        if position + last >= len(rows):
            raise StudyError(
                f"The event window around {event} ends {last} trading days after it, past the last price "
                f"({rows[-1].day})."
            )
        if windows and position + first <= windows[-1][1]:
            previous = rows[windows[-1][0] - first].day
            raise StudyError(
                f"The event windows around {previous} and {event} overlap: a trading day may belong to one "
                "event only. Merge the two events or narrow the window."
            )
        windows.append((position + first, position + last))
    return windows


def _estimation(rows: Sequence[PriceRow], params: StudyParameters, event: date, windows) -> tuple[int, int]:
    position = windows[0][0] - params.window[0]
    end = position - params.gap_days - 1
    start = end - params.estimation_days + 1
    if start < 1:
        raise StudyError(
            f"The estimation window needs {params.estimation_days} trading days before {event} (with a "
            f"{params.gap_days}-day gap); the prices start on {rows[0].day}, which gives {max(0, end)}."
        )
    if windows[0][0] <= end:
        raise StudyError(
            f"The event window around {event} starts {-params.window[0]} trading days before it, inside the "
            f"estimation window; make the gap at least {-params.window[0]} trading days."
        )
    return start, end


def _check_peer(rows: Sequence[PriceRow], peer: np.ndarray, estimation, windows) -> None:
    # A return needs the level of the day before, so each span is read from one row earlier.
    spans = [estimation, *windows]
    used = sorted({i for a, b in spans for i in range(a - 1, b + 1)})
    missing = [i for i in used if math.isnan(peer[i])]
    if missing:
        raise StudyError(
            f"The two-factor model needs the peer index on every day it uses; it is missing on "
            f"{rows[missing[0]].day}."
        )


def _inflation_start(rows: Sequence[PriceRow], params: StudyParameters, windows) -> date:
    start = rows[0].day if params.inflation_start is None else params.inflation_start
    if start < rows[0].day:
        raise StudyError(f"The inflation start ({start}) is before the first price ({rows[0].day}).")
    if start > rows[windows[0][0]].day:
        raise StudyError(
            f"The inflation start ({start}) is after the first event window begins "
            f"({rows[windows[0][0]].day}): the price must carry the inflation before the news takes it out."
        )
    return start


def run_study(rows: Sequence[PriceRow], params: StudyParameters) -> dict:
    """The event study of the restatement news (docs/clawback-rules §1.7a), as a JSON-ready dict: the
    parameters, the estimation window's regression, every event window day by day with its CAR, the
    inflation the counted events took out of the price, and the actual and but-for price of every day from
    the inflation start. Refuses (StudyError) anything it cannot estimate honestly, saying why.

    Day flags use Holm-adjusted p-values over ALL event-window days of the study: several days are tested,
    and at a 5% level one day in twenty would look "significant" by luck alone; Holm's adjustment holds
    the chance of flagging any day by luck (the family-wise error rate) at the chosen level. The raw p is
    shown next to it. An event is significant when its CAR's own p-value is below the level.
    """
    rows = tuple(rows)
    _check_parameters(params)
    company, market, peer = price_arrays(rows)
    events = sorted(set(params.event_dates))
    windows = _windows(rows, params, events)
    estimation = _estimation(rows, params, events[0], windows)
    two_factor = params.model == "two_factor"
    if two_factor:
        _check_peer(rows, peer, estimation, windows)
    inflation_start = _inflation_start(rows, params, windows)
    span = f"{rows[estimation[0]].day} to {rows[estimation[1]].day}"
    core = abnormal_returns(
        company, market, peer if two_factor else None, estimation=estimation, windows=windows, span=span
    )
    fit = core.fit
    p_holm = holm(core.p_values)
    critical = float(_stats().t.ppf(1.0 - params.significance / 2.0, fit.df_resid))
    market_returns, peer_returns = simple_returns(market), simple_returns(peer)
    event_blocks, position = [], 0
    for number, (event, (first, last)) in enumerate(zip(events, windows, strict=True)):
        days, dollar, growth = [], 0.0, 1.0
        for i in range(first, last + 1):
            j = position
            position += 1
            dollar += core.abnormal[j] * company[i - 1]
            growth *= 1.0 + core.abnormal[j]
            days.append(
                {
                    "date": rows[i].day.isoformat(),
                    "offset": i - (first - params.window[0]),
                    "close": float(company[i]),
                    "previous_close": float(company[i - 1]),
                    "return": float(core.returns[j]),
                    "market_return": float(market_returns[i]),
                    "peer_return": float(peer_returns[i]) if two_factor else None,
                    "expected": float(core.expected[j]),
                    "abnormal": float(core.abnormal[j]),
                    "std_error": float(core.std_errors[j]),
                    "t": float(core.t_values[j]),
                    "p": float(core.p_values[j]),
                    "p_holm": float(p_holm[j]),
                    "significant": bool(p_holm[j] < params.significance),
                }
            )
        car, car_se = float(core.car[number]), float(core.car_std_errors[number])
        significant = bool(core.car_p[number] < params.significance)
        event_blocks.append(
            {
                "date": event.isoformat(),
                "window": [rows[first].day.isoformat(), rows[last].day.isoformat()],
                "days": days,
                "car": car,
                "car_std_error": car_se,
                "car_t": float(core.car_t[number]),
                "car_p": float(core.car_p[number]),
                "car_ci": [car - critical * car_se, car + critical * car_se],
                "significant": significant,
                "counted": significant or params.counted == "all",
                "dollar_change": float(dollar),
                "percent_change": float(growth - 1.0),
            }
        )
    inflation, series = backcast(
        [(row.day, float(close)) for row, close in zip(rows, company, strict=True)],
        event_blocks,
        method=params.inflation_method,
        start=inflation_start,
    )
    coefficients = [
        {
            "name": name,
            "label": LABELS[name],
            "estimate": float(fit.params[j]),
            "std_error": float(fit.std_errors[j]),
            "t": float(fit.t_values[j]),
            "p": float(fit.p_values[j]),
        }
        for j, name in enumerate(fit.names)
    ]
    return {
        "version": VERSION,
        "parameters": {
            "event_dates": [event.isoformat() for event in events],
            "estimation_days": params.estimation_days,
            "gap_days": params.gap_days,
            "window": list(params.window),
            "model": params.model,
            "significance": float(params.significance),
            "inflation_method": params.inflation_method,
            "counted": params.counted,
            "inflation_start": inflation_start.isoformat(),
        },
        "estimation": {
            "start": rows[estimation[0]].day.isoformat(),
            "end": rows[estimation[1]].day.isoformat(),
            "observations": fit.observations,
            "model": params.model,
            "coefficients": coefficients,
            "r_squared": float(fit.r_squared),
            "adj_r_squared": float(fit.adj_r_squared),
            "residual_sd": math.sqrt(fit.scale),
            "df_resid": fit.df_resid,
            "f_statistic": float(fit.f_statistic),
            "f_p": float(fit.f_p),
        },
        "events": event_blocks,
        "inflation": inflation,
        "series": series,
    }


def backcast(
    closes: Sequence[tuple[date, float]], events: Sequence[Mapping], *, method: str, start: date
) -> tuple[dict, list[dict]]:
    """The inflation block and the day-by-day series of a study, from the closes (day, close) and the
    study's event blocks (their "window", "counted", "dollar_change" and "percent_change" are read).

    Backcasting (§1.7a, "Inflation"): the price is taken to have carried, before each counted event's
    window begins, the price change that event's news later took out of it. With constant_dollar the
    inflation on a day is minus the sum of the dollar changes of the counted events whose window starts
    after that day, and but-for = close - inflation; with constant_percent the but-for price is the close
    times the product of (1 + percent change) of those events, and inflation = close - but-for. On and
    after a window's first day that event's change is out of the price; after the last counted window
    nothing remains. Before `start` the price carries no inflation. A but-for price at or below zero is
    refused: the method does not fit these prices.

    The block's "per_share_dollar" is minus the sum of the counted dollar changes and its "percent" is
    1 - the product of (1 + percent change) of the counted events, whichever method drives the series.
    """
    counted = [
        (
            date.fromisoformat(event["window"][0]),
            float(event["dollar_change"]),
            float(event["percent_change"]),
        )
        for event in events
        if event["counted"]
    ]
    for first, _dollar, percent in counted:
        if method == "constant_percent" and 1.0 + percent <= 0.0:
            raise StudyError(
                f"The event window starting {first} took {-percent:.2%} off the price, which leaves no "
                "positive but-for price under the constant-percent method."
            )
    series = []
    for day, close in closes:
        if day < start:
            continue
        pending = [(dollar, percent) for first, dollar, percent in counted if first > day]
        if method == "constant_dollar":
            inflation = 0.0 - math.fsum(dollar for dollar, _ in pending)
            but_for = close - inflation
        else:
            but_for = close * math.prod(1.0 + percent for _, percent in pending)
            inflation = close - but_for
        if but_for <= 0.0:
            raise StudyError(
                f"The but-for price on {day} would be {but_for:.4f}: the inflation taken out "
                f"({inflation:.4f} a share) is more than the close ({close:.4f}). The constant-dollar method "
                "does not fit these prices; use the constant-percent method."
            )
        series.append({"date": day.isoformat(), "close": close, "inflation": inflation, "but_for": but_for})
    block = {
        "method": method,
        "start": series[0]["date"] if series else start.isoformat(),
        "per_share_dollar": 0.0 - math.fsum(dollar for _, dollar, _ in counted),
        "percent": 1.0 - math.prod(1.0 + percent for _, _, percent in counted),
        "counted_events": [event["date"] for event in events if event["counted"]],
    }
    return block, series
