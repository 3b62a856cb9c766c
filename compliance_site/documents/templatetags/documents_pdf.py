"""Formatting for document templates: amounts from snapshot strings, instants in exchange time (ET)."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template

from compliance_site.lib.timefmt import EXCHANGE_TZ, label

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def money(value):
    """'1200000' -> '1,200,000.00'; empty -> '—'."""
    number = _decimal(value)
    return "—" if number is None else f"{number:,.2f}"


@register.filter
def usd(value):
    number = _decimal(value)
    return "—" if number is None else f"${number:,.2f}"


@register.filter
def num(value):
    """A measure, factor or unit count with thousands separators and no trailing zeros."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def figure(value, unit):
    """An award figure in its unit: USD with cents, units as a plain number."""
    return money(value) if unit == "USD" else num(value)


@register.filter
def et(value):
    """An ISO instant from a snapshot (or a datetime) in ET, labelled: '2026-11-21 09:05 EST'."""
    if value in (None, ""):
        return "—"
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return label(instant, EXCHANGE_TZ)


@register.filter
def day(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


@register.filter
def yesno_dash(value):
    return "—" if value is None else ("Yes" if value else "No")
