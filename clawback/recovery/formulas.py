"""Plan formulas: an award's payout for a measure value (Rule 10D-1(b)(1)(iii): the amount "that otherwise
would have been received had it been determined based on the restated amounts"; docs/clawback-rules
§1.7, "threshold/target/max, interpolation, caps")."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from .inputs import CurveFormula, Formula
from .money import ENGINE_CONTEXT, ZERO


def evaluate_formula(formula: Formula, value: Decimal) -> tuple[Decimal, Decimal | None]:
    """An award's payout for a measure value, unrounded, and its factor (None for a linear formula).

    Curve: target x f, f linear between points, 0 below the first point, the last factor at or above
    the last point. Linear: rate x (value - offset), floored at 0 and capped at `cap`.
    (The `clawback-scenario` format, `awards[].formula`.)
    """
    with localcontext(ENGINE_CONTEXT):
        return formula_payout(formula, value)


def formula_payout(formula: Formula, value: Decimal) -> tuple[Decimal, Decimal | None]:
    """`evaluate_formula` for callers already holding the engine's decimal context."""
    if isinstance(formula, CurveFormula):
        factor = curve_factor(formula.points, value)
        return formula.target * factor, factor
    payout = formula.rate * (value - formula.offset)
    if payout < ZERO:
        payout = ZERO
    if formula.cap is not None and payout > formula.cap:
        payout = formula.cap
    return payout, None


def curve_factor(points: Sequence[tuple[Decimal, Decimal]], value: Decimal) -> Decimal:
    """The factor of a curve at `value`: linear between points (x ascending), 0 below the first point,
    the last point's factor at or above the last point. Used by curve formulas and scorecard goals."""
    if not points or value < points[0][0]:
        return ZERO
    if value >= points[-1][0]:
        return points[-1][1]
    # Plans have a handful of points; a linear scan is cheaper than building a bisect key list.
    for (x0, f0), (x1, f1) in zip(points, points[1:], strict=False):
        if value < x1:
            # One division, last, so a terminating ratio stays exact.
            return f0 + (value - x0) * (f1 - f0) / (x1 - x0)
    return points[-1][1]
