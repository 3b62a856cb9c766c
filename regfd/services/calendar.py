"""Editing the trading calendar (docs/regfd-rules §3.3: unscheduled closures happen; the calendar is
data)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context

from ..calendar_source import COVERED_YEARS
from ..models import Incident, MarketClosure
from .common import locked, require_text
from .incidents import recompute_open_deadlines


@transaction.atomic
def add_market_closure(
    *, actor, now: datetime, day: date, kind: str, name: str, source: str, exchange: str = "NYSE"
) -> tuple[MarketClosure, list[Incident]]:
    """Add a closure or early close (e.g. an unscheduled national day of mourning). An active row for the
    same day is deactivated, not deleted. Open incidents whose deadline moves are recomputed and recorded."""
    if day.year not in COVERED_YEARS:
        first, last = COVERED_YEARS.start, COVERED_YEARS.stop - 1
        raise ValidationError({"date": f"The calendar covers {first}–{last}; {day} is outside it."})
    if day.weekday() >= 5:
        raise ValidationError(
            {"date": f"{day} is a {day:%A}: the exchange does not trade on weekends anyway."}
        )
    require_text(name, "name", "Name the closure (e.g. National Day of Mourning).")
    require_text(source, "source", "Say where this comes from (the exchange's notice).")
    reason = f"Calendar changed: {name} on {day} ({dict(MarketClosure.Kind.choices).get(kind, kind)})"
    with audit_context(actor=actor, reason=reason):
        for existing in MarketClosure.objects.select_for_update().filter(
            exchange=exchange, date=day, active=True
        ):
            existing.active = False
            existing.save()
        closure = MarketClosure(
            exchange=exchange, date=day, kind=kind, name=name, source=source, added_by=actor, active=True
        )
        closure.full_clean()
        closure.save()
    return closure, recompute_open_deadlines(actor=actor, now=now, reason=reason)


@transaction.atomic
def deactivate_market_closure(*, actor, now: datetime, closure: MarketClosure, reason: str) -> list[Incident]:
    """Withdraw a calendar row (kept, inactive) and recompute the open deadlines it affected."""
    require_text(reason, "reason", "Say why this calendar entry is withdrawn.")
    closure = locked(closure)
    if not closure.active:
        raise ValidationError("This calendar entry is already withdrawn.")
    with audit_context(actor=actor, reason=reason):
        closure.active = False
        closure.save()
    return recompute_open_deadlines(
        actor=actor,
        now=now,
        reason=f"Calendar changed: {closure.name} on {closure.date} withdrawn ({reason.strip()})",
    )
