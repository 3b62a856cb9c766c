"""How amounts and counts are written for people, in documents, disclosure text and pages alike.

Values may arrive as Decimal or as the strings snapshots store; never float."""

from decimal import Decimal, InvalidOperation

MISSING = "—"


def to_decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value) -> str:
    """'1200000' -> '1,200,000.00'; empty -> '—'."""
    number = to_decimal(value)
    return MISSING if number is None else f"{number:,.2f}"


def usd(value) -> str:
    """'1200000' -> '$1,200,000.00'; empty -> '—'."""
    number = to_decimal(value)
    return MISSING if number is None else f"${number:,.2f}"


def num(value) -> str:
    """A measure, factor or unit count with thousands separators and no trailing zeros."""
    number = to_decimal(value)
    if number is None:
        return MISSING
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
