"""Showing instants to people: exchange time (ET) first, the viewer's zone beside it, always labelled."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

EXCHANGE_TZ = ZoneInfo("America/New_York")


def in_zone(instant: datetime, zone: ZoneInfo) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: every stored time must be aware")
    return instant.astimezone(zone)


def label(instant: datetime, zone: ZoneInfo) -> str:
    local = in_zone(instant, zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def describe_remaining(delta: timedelta) -> str:
    """'3 d 4 h', '5 h 12 min', '12 min', or 'overdue by 2 h 5 min'."""
    overdue = delta.total_seconds() < 0
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return f"overdue by {text}" if overdue else text
