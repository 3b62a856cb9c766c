"""Formatting for document templates: amounts from snapshot strings, instants in exchange time (ET)."""

from datetime import date, datetime

from django import template

from compliance_site.lib import numbers
from compliance_site.lib.timefmt import EXCHANGE_TZ, label

register = template.Library()
# One way of writing amounts everywhere: the filters are the lib's functions.
register.filter("money", numbers.money)
register.filter("usd", numbers.usd)
register.filter("num", numbers.num)


@register.filter
def figure(value, unit):
    """An award figure in its unit: USD with cents, units as a plain number."""
    return numbers.money(value) if unit == "USD" else numbers.num(value)


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
