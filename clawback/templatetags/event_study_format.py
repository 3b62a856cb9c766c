"""How the event study's statistics read on a page: returns as signed percentages, statistics to 4 places,
p-values that never print as a bare 0."""

from decimal import Decimal

from django import template

register = template.Library()

MINUS = "\u2212"


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


@register.filter
def pct(value, places=2):
    """A return as a fraction, shown in percent: -0.041 -> −4.10%."""
    if value is None or value == "":
        return "—"
    return _signed(f"{float(value) * 100:.{int(places)}f}%")


@register.filter
def stat(value, places=4):
    if value is None or value == "":
        return "—"
    return _signed(f"{float(value):.{int(places)}f}")


@register.filter
def pvalue(value):
    if value is None or value == "":
        return "—"
    return "< 0.0001" if float(value) < 0.0001 else f"{float(value):.4f}"


@register.filter
def money(value):
    """A price or a per-share amount: 61.2 -> $61.20, -1.5 -> −$1.50."""
    if value is None or value == "":
        return "—"
    number = float(value)
    return f"{MINUS if number < 0 else ''}${abs(number):,.2f}"


@register.filter
def label_on(labels, day):
    """What an event date is, from the study's {date: label}."""
    return (labels or {}).get(day, "")


@register.filter
def figure(value, places=2):
    """A figure the study carried to an award (a decimal string, as kept): 55.3025 -> 55.30, 42000.000 ->
    42,000 with places=0."""
    if value is None or value == "":
        return "—"
    return _signed(f"{Decimal(str(value)):,.{int(places)}f}")
