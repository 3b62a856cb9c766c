"""The award's measure read off an event study: the stock price, the TSR or the TSR percentile among peers,
actual and but-for (docs/clawback-rules §1.7a). `clawback.event_study` runs the study and re-exports
everything here; import from there.

This is the lower of the two modules: besides the award's measure it holds what both need (the refusal
`StudyError`, the version of the study's format and the check of the price rows), so that
`clawback.event_study` imports this module and never the reverse: the project has no import cycles.
Standard library and numpy only; no Django, no clock, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .event_study import PriceRow

VERSION = "event-study/1"
KINDS = ("stock_price", "tsr", "tsr_percentile")
MIN_PEERS = 3
_PRICE = Decimal("0.0001")
_PERCENTILE = Decimal("0.01")


class StudyError(ValueError):
    """Every refusal of the event study, with a message in plain English that says what to change."""


def _level(value: object, what: str, day: date) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, InvalidOperation):
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise StudyError(
            f"The {what} on {day} is {value}: every close and index level must be a positive number."
        )
    return number


def price_arrays(rows: Sequence[PriceRow]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The company, market and peer levels as float64 (the peer NaN where missing), after checking that
    the rows are in date order, one a day, with positive levels."""
    if not rows:
        raise StudyError(
            "There are no prices: the study needs the daily closes of the company and the market."
        )
    company, market, peer = [], [], []
    for i, row in enumerate(rows):
        if i and row.day <= rows[i - 1].day:
            problem = "appears twice" if row.day == rows[i - 1].day else f"comes after {rows[i - 1].day}"
            raise StudyError(
                f"The prices must be in date order, one row per trading day: {row.day} {problem}."
            )
        company.append(_level(row.company, "company's close", row.day))
        market.append(_level(row.market, "market index level", row.day))
        peer.append(math.nan if row.peer is None else _level(row.peer, "peer index level", row.day))
    return np.array(company), np.array(market), np.array(peer)


@dataclass(frozen=True)
class MeasureEstimate:
    """An award's measure read off the actual and the but-for prices: the figures the award is recomputed
    with (docs/clawback-rules §1.7a, "The award's measure"). Prices and TSRs (in percent) to 4 places, a
    percentile to 2, each rounded once, half-even, from the float64 statistics."""

    kind: str
    start_day: date | None
    end_day: date
    actual_start: Decimal | None
    but_for_start: Decimal | None
    actual_end: Decimal
    but_for_end: Decimal
    actual_tsr: Decimal | None
    but_for_tsr: Decimal | None
    peer_count: int
    actual_value: Decimal
    but_for_value: Decimal

    def as_dict(self) -> dict:
        """JSON-ready: Decimals as strings (never floats, so no figure changes on the way), dates as ISO."""
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = str(value) if isinstance(value, Decimal) else value
            if isinstance(value, date):
                out[name] = value.isoformat()
        return out


def _rounded(value: float, places: Decimal) -> Decimal:
    # repr gives the shortest decimal that is this float, so a figure that is a round number in decimal
    # (an average of 10.0001 and 10.0000) rounds as the decimal would: half-even, once.
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_EVEN)


def _but_for_prices(study: Mapping, rows: Sequence[PriceRow], closes: np.ndarray) -> np.ndarray:
    """The study's but-for price for each row: the series' where it has the day (the rows must be the prices
    the study was run on), the close itself before the series starts and after it ends (no inflation
    there: before the inflation start, and after the last event window)."""
    if study.get("version") != VERSION:
        raise StudyError(
            f'This is not an event study this module can read (version "{study.get("version")}").'
        )
    series = {point["date"]: point for point in study["series"]}
    first, last = study["series"][0]["date"], study["series"][-1]["date"]
    but_for = closes.copy()
    for i, row in enumerate(rows):
        day = row.day.isoformat()
        if first <= day <= last:
            point = series.get(day)
            if point is None or not math.isclose(point["close"], closes[i], rel_tol=1e-12):
                raise StudyError(
                    f"The prices given differ from those the study was run on (on {row.day}); use the same "
                    "prices for the study and the award."
                )
            but_for[i] = point["but_for"]
    return but_for


def _measurement(rows: Sequence[PriceRow], on_or_before: date, averaging_days: int, why: str) -> int:
    """The row of the last trading day on or before the date, with enough rows before it to average."""
    days = [row.day for row in rows]
    position = next((i for i in range(len(days) - 1, -1, -1) if days[i] <= on_or_before), None)
    if position is None:
        raise StudyError(
            f"There is no price on or before {on_or_before} ({why}); the prices start on {days[0]}."
        )
    if position + 1 < averaging_days:
        raise StudyError(
            f"Averaging over {averaging_days} trading days ending on {days[position]} needs {averaging_days} "
            f"prices; there are {position + 1} up to that day."
        )
    return position


def _percentile(tsr: Decimal, peers: Sequence[Decimal]) -> Decimal:
    lower = sum(1 for peer in peers if peer < tsr)
    ties = sum(1 for peer in peers if peer == tsr)
    rank = Decimal(100) * (lower + Decimal(ties) / 2) / len(peers)
    return rank.quantize(_PERCENTILE, rounding=ROUND_HALF_EVEN)


def award_measure(
    study: dict,
    rows: Sequence[PriceRow],
    *,
    kind: str,
    start: date,
    end: date,
    averaging_days: int = 1,
    peer_tsrs: Sequence[Decimal] = (),
) -> MeasureEstimate:
    """The award's measure over its performance period (start to end, inclusive), actual and but-for
    (docs/clawback-rules §1.7a, "The award's measure").

    - The end is measured at the last trading day on or before `end`; the start (TSR only) at the close
      before the period begins, the last trading day on or before the day before `start`. With
      averaging_days=N each is the average close of the N trading days ending there, for the actual and
      the but-for prices alike, as plans that average to damp one day's noise do.
    - stock_price: the end price. tsr: (end / start - 1) x 100, in percent; the closes are taken to be
      total-return levels (dividends reinvested), so feed a total-return series for a TSR award.
      tsr_percentile: the company's TSR ranked among the peers' TSRs (in percent) like Excel's
      PERCENTRANK.INC over the peers and the company: 100 x (peers below) / (peers), a peer tied with the
      company counting half; at least three peers. The peers' TSRs are taken as given: the restatement
      moves the company's price only.
    - Statistics are float64 like every statistics package; the figures handed to the award are Decimals
      rounded once, half-even (prices and TSRs to 4 places, the percentile to 2). The company's TSR is
      ranked at its rounded value, the figure shown.
    """
    if kind not in KINDS:
        raise StudyError(f'The measure must be "stock_price", "tsr" or "tsr_percentile"; "{kind}" was given.')
    if not isinstance(averaging_days, int) or averaging_days < 1:
        raise StudyError(f"Averaging must be over one trading day or more; {averaging_days} was given.")
    if start > end:
        raise StudyError(f"The performance period starts ({start}) after it ends ({end}).")
    rows = tuple(rows)
    closes = price_arrays(rows)[0]
    but_for = _but_for_prices(study, rows, closes)

    def averages(position: int) -> tuple[float, float]:
        span = slice(position - averaging_days + 1, position + 1)
        return float(closes[span].mean()), float(but_for[span].mean())

    end_position = _measurement(rows, end, averaging_days, f"the end of the period, {end}")
    actual_end, but_for_end = averages(end_position)
    price = {"actual_end": _rounded(actual_end, _PRICE), "but_for_end": _rounded(but_for_end, _PRICE)}
    if kind == "stock_price":
        return MeasureEstimate(
            kind=kind,
            start_day=None,
            end_day=rows[end_position].day,
            actual_start=None,
            but_for_start=None,
            actual_tsr=None,
            but_for_tsr=None,
            peer_count=0,
            actual_value=price["actual_end"],
            but_for_value=price["but_for_end"],
            **price,
        )
    before = start - timedelta(days=1)
    start_position = _measurement(
        rows, before, averaging_days, f"the close before the period starts on {start}"
    )
    if start_position >= end_position:
        raise StudyError(f"There is no trading day between {start} and {end}: the TSR would cover no return.")
    actual_start, but_for_start = averages(start_position)
    actual_tsr = _rounded((actual_end / actual_start - 1.0) * 100.0, _PRICE)
    but_for_tsr = _rounded((but_for_end / but_for_start - 1.0) * 100.0, _PRICE)
    actual_value, but_for_value, peer_count = actual_tsr, but_for_tsr, 0
    if kind == "tsr_percentile":
        peers = [_peer_tsr(value) for value in peer_tsrs]
        if len(peers) < MIN_PEERS:
            raise StudyError(
                f"A TSR percentile needs the TSRs of at least {MIN_PEERS} peers; {len(peers)} were given."
            )
        actual_value, but_for_value = _percentile(actual_tsr, peers), _percentile(but_for_tsr, peers)
        peer_count = len(peers)
    return MeasureEstimate(
        kind=kind,
        start_day=rows[start_position].day,
        end_day=rows[end_position].day,
        actual_start=_rounded(actual_start, _PRICE),
        but_for_start=_rounded(but_for_start, _PRICE),
        actual_tsr=actual_tsr,
        but_for_tsr=but_for_tsr,
        peer_count=peer_count,
        actual_value=actual_value,
        but_for_value=but_for_value,
        **price,
    )


def _peer_tsr(value: object) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise StudyError(f"A peer's TSR must be a number (in percent); {value!r} was given.")
    return number
