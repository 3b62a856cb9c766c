"""Formatting for document templates: amounts from snapshot strings, instants in exchange time (ET)."""

from datetime import UTC, date, datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from compliance_site.lib import numbers
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone, label

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
def amount(value, unit):
    """An award figure with its unit, as a sentence gives it: "$1,200,000.00", "6,000 units"."""
    if numbers.to_decimal(value) is None:
        return numbers.MISSING
    return numbers.usd(value) if unit == "USD" else f"{numbers.num(value)} units"


@register.filter
def with_code(text, code):
    """`{{ sentence|with_code:command }}`: the sentence, escaped, its `code` (a command) set as code."""
    escaped, command = escape(str(text)), escape(str(code))
    return mark_safe(escaped.replace(command, f'<code class="mono">{command}</code>'))  # noqa: S308


@register.filter
def et(value):
    """An ISO instant from a snapshot (or a datetime) in ET, labelled: '2026-11-21 09:05 EST'."""
    if value in (None, ""):
        return "—"
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return label(instant, EXCHANGE_TZ)


@register.filter
def et_utc(value):
    """An ISO instant from a snapshot (or a datetime) in New York time with UTC beside it, for the times of
    votes and signatures: 'Dec 5, 2026 9:03 AM ET (14:03 UTC)'; the UTC date is added when it differs."""
    if value in (None, ""):
        return "—"
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    local, utc = in_zone(instant, EXCHANGE_TZ), in_zone(instant, UTC)
    hour = local.hour % 12 or 12
    text = f"{local:%b} {local.day}, {local.year} {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'} ET"
    utc_day = "" if utc.date() == local.date() else f"{utc:%b} {utc.day}, "
    return f"{text} ({utc_day}{utc:%H:%M} UTC)"


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
