"""Decimal arithmetic and the engine's one rounding helper (Policy: "Erroneously Awarded Compensation";
money is `Decimal` end to end, never `float`).

Rounding happens at named points only: an award's figures (received, original formula, recomputed, excess,
amount already recovered, amount to recover) at the end of the award, in cents for USD and in
`UNITS_QUANTUM` for shares/units; and the USD value of a unit award's excess or amount to recover, in
cents, computed from the exact (unrounded) unit figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from .vocabulary import USD

CENTS = Decimal("0.01")
# Shares and units are kept to six places so a fractional recomputation (e.g. 10,000 x 1.1666...) is
# still shown exactly enough to re-perform, without 30-digit strings.
UNITS_QUANTUM = Decimal("0.000001")
# Factors in the explanation are display-only; the arithmetic uses them unrounded.
FACTOR_DISPLAY_QUANTUM = Decimal("0.000001")

ZERO = Decimal(0)
ONE = Decimal(1)

# Enough digits that every product of validated amounts is exact and every quantize fits (the default
# 28-digit context would raise InvalidOperation when quantizing a large unit value to cents), and that a
# non-terminating ratio such as 2,000/3 units is carried far below a cent before its one rounding.
ENGINE_CONTEXT = Context(prec=100, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])


def round_half_up(value: Decimal, *, quantum: Decimal) -> Decimal:
    """Round `value` half-up to `quantum` (CENTS, UNITS_QUANTUM or FACTOR_DISPLAY_QUANTUM).

    The only rounding in the engine. The `clawback-scenario` format: "USD figures are rounded to cents,
    half-up, only at the end of each award".
    """
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)


def award_figure(value: Decimal, unit: str) -> Decimal:
    """An award figure rounded at the end of the award: cents for USD, `UNITS_QUANTUM` for units."""
    return round_half_up(value, quantum=CENTS if unit == USD else UNITS_QUANTUM)


def usd(value: Decimal) -> Decimal:
    """A dollar figure rounded once, to cents."""
    return round_half_up(value, quantum=CENTS)
