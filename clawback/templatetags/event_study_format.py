"""How the event study's statistics read on a page: the report's own formatting (clawback.documents.
event_study), so a figure reads the same on the study page and in the PDF sent to the exchange."""

from django import template

from ..documents.event_study import dollars, fixed, pct, pval

register = template.Library()


@register.filter(name="pct")
def pct_filter(value, places=2):
    """A return as a fraction, shown in percent: -0.041 -> −4.10%."""
    return pct(None if value == "" else value, int(places))


@register.filter
def stat(value, places=4):
    return fixed(None if value == "" else value, int(places))


@register.filter
def pvalue(value):
    return pval(None if value == "" else value)


@register.filter
def money(value):
    """A price or a per-share amount: 61.2 -> $61.20, -1.5 -> −$1.50."""
    return dollars(value)


@register.filter
def figure(value, places=2):
    """A figure the study carried to an award (a decimal string, as kept): 55.3025 -> 55.30; with places=0,
    42000.000 -> 42,000."""
    return fixed(None if value == "" else value, int(places))


@register.filter
def label_on(labels, day):
    """What an event date is, from the study's {date: label}."""
    return (labels or {}).get(day, "")
