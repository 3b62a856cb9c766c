"""The explanation's wording: numbers, amounts, factors and formulas as a reader re-performs them."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .inputs import CurveFormula, Formula
from .money import FACTOR_DISPLAY_QUANTUM, award_figure, round_half_up
from .results import Lookback
from .vocabulary import USD


def number(value: Decimal) -> str:
    """A decimal with thousands separators and no exponent or trailing zeros: 240,000,000; 1.15."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def amount(value: Decimal, unit: str) -> str:
    return f"{value:,f} USD" if unit == USD else f"{number(value)} units"


def factor(value: Decimal) -> str:
    """A factor to six places, marked "~" when that display is not the exact value."""
    shown = round_half_up(value, quantum=FACTOR_DISPLAY_QUANTUM)
    return ("" if shown == value else "~") + number(shown)


def exact(value: Decimal, unit: str) -> str:
    """An unrounded figure as shown next to its rounded one: "~666.666667 units" when not exact."""
    shown = award_figure(value, unit)
    return ("" if shown == value else "~") + amount(shown, unit)


def window_text(lookback: Lookback | None) -> str:
    if lookback is None:
        return "(none: no completed fiscal period)"
    return f"{lookback.start.isoformat()} to {lookback.end.isoformat()} ({', '.join(lookback.periods)})"


@lru_cache(maxsize=256)
def points_text(points: tuple[tuple[Decimal, Decimal], ...]) -> str:
    # Awards share a few plan curves; formatting each once keeps 10,000 awards well under a second.
    return ", ".join(f"{number(x)} -> {number(f)}" for x, f in points)


def formula_text(
    formula: Formula, value: Decimal, factor_value: Decimal | None, payout: Decimal | None, unit: str
) -> str:
    assert payout is not None
    if isinstance(formula, CurveFormula):
        assert factor_value is not None
        points = points_text(formula.points)
        return (
            f"curve [{points}] at {number(value)} gives factor {factor(factor_value)}; "
            f"{factor(factor_value)} x target {number(formula.target)} = "
            f"{amount(award_figure(payout, unit), unit)}"
        )
    raw = formula.rate * (value - formula.offset)
    limits = "floored at 0" + (f", capped at {number(formula.cap)}" if formula.cap is not None else "")
    return (
        f"{number(formula.rate)} x ({number(value)} - {number(formula.offset)}) = {number(raw)}, "
        f"{limits}: {amount(award_figure(payout, unit), unit)}"
    )
