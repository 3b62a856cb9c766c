"""How amounts and counts are written for people, in documents, disclosure text and pages alike.

Values may arrive as Decimal or as the strings snapshots store; never float."""

import re
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


_TYPED_NUMBER = re.compile(r"^(?P<sign>-)?\$?(?P<digits>(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)$")


def parse_typed_number(text: str) -> Decimal:
    """A number as finance people type it: "950,000,000", "$1,000,000", "1,000,000.50", "-5", "$.5".

    Thousands separators must be in threes (so "1,00" is refused rather than read as 100), one leading "$"
    at most, a minus before it. Spaces around are ignored. Raises ValueError with a plain message."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.startswith("$-"):
        cleaned = "-$" + cleaned[2:]
    match = _TYPED_NUMBER.match(cleaned)
    if match is None:
        if cleaned.startswith("(") and cleaned.endswith(")"):
            raise ValueError("Write a negative number with a minus sign, e.g. -1,000.")
        raise ValueError("Enter a number, e.g. 1,250,000 or $1,250,000.50.")
    digits = match.group("digits").replace(",", "")
    return Decimal(("-" if match.group("sign") else "") + digits)


def plain_grouped(value) -> str:
    """How an amount or measure value is shown in a form field: thousands separated, no trailing zeros:
    Decimal("1100000000.000000") -> "1,100,000,000"; Decimal("0.125000") -> "0.125"."""
    return num(value) if to_decimal(value) is not None else ""
