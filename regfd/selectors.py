"""Who sees which Reg FD records, and the reads the pages and the API share."""

import operator
from datetime import datetime
from functools import reduce
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import visible_to

from .calendar_source import current_calendar
from .deadlines import Deadline, DeadlineInput, compute_deadline
from .models import DeadlineComputation, Exclusion, Incident, MarketClosure
from .selectors_statements import cited_statements_prefetch


@visible_to(Incident)
def incidents_visible_to(user) -> QuerySet[Incident]:
    """The program's officers see every incident; anyone else sees the reports they filed themselves."""
    qs = Incident.objects.select_related("reported_by", "counsel_concluded_by")
    if has_capability(user, "regfd.view"):
        return qs
    if has_capability(user, "regfd.access"):
        return qs.filter(reported_by=user)
    return qs.none()


def with_related(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """An incident with its exclusions, deadline history and the statements counsel's conclusion cites,
    prefetched so a page or an API list costs the same number of queries whatever the number of rows (joins
    at the source, in the selector)."""
    return qs.prefetch_related(
        Prefetch(
            "exclusions", queryset=Exclusion.objects.select_related("claimed_by").order_by("claimed_at")
        ),
        Prefetch("deadline_history", queryset=DeadlineComputation.objects.order_by("computed_at", "id")),
        cited_statements_prefetch(),
    )


def incident_detail(user, pk) -> Incident | None:
    """The incident `pk` with what its page shows, or None if the user may not see it."""
    if not str(pk).isdigit():
        return None
    return (
        with_related(incidents_visible_to(user)).select_related("source_communication").filter(pk=pk).first()
    )


def containing(q: str, *fields: str) -> Q:
    """The rows where any of `fields` contains `q`, whatever the case: a list's text search."""
    return reduce(operator.or_, (Q(**{f"{field}__icontains": q}) for field in fields))


def search_incidents(qs: QuerySet[Incident], *, q: str = "", status: str = "") -> QuerySet[Incident]:
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            containing(q, "reference", "title", "recipient_name", "recipient_firm", "disclosed_by")
        )
    return qs


def preview_deadline(
    *, learned_at: datetime, intentional: bool = False, disclosed_at: datetime | None = None
) -> Deadline:
    """The deadline an incident with this T0 would get now, on the current calendar (nothing is stored).
    A naive time, an intentional disclosure without its instant, or a T0 outside the calendar's years is
    a ValidationError naming the field."""
    if disclosed_at is not None and learned_at < disclosed_at:
        raise ValidationError({"learned_at": "A disclosure cannot be learned of before it was made."})
    if intentional and disclosed_at is None:
        raise ValidationError(
            {"disclosed_at": "An intentional disclosure's deadline is the disclosure instant: give it."}
        )
    try:
        return compute_deadline(
            DeadlineInput(learned_at=learned_at, intentional=intentional, disclosed_at=disclosed_at),
            calendar=current_calendar(),
        )
    except (ValueError, OverflowError) as exc:  # outside the calendar's years, or past datetime's range
        raise ValidationError({"learned_at": str(exc)}) from exc


def market_closures(*, exchange: str = "NYSE", year: int | None = None) -> QuerySet[MarketClosure]:
    """Calendar rows, active and withdrawn, with who added them."""
    qs = MarketClosure.objects.filter(exchange=exchange).select_related("added_by")
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date", "-active", "id")


def market_closures_by_year(*, exchange: str = "NYSE") -> list[tuple[int, list[MarketClosure]]]:
    """[(year, rows)] in date order: the calendar page's sections, from one query."""
    rows = list(market_closures(exchange=exchange))
    return [(year, list(group)) for year, group in groupby(rows, key=lambda row: row.date.year)]


def recent_calendar_recomputations(user, *, limit: int = 20) -> QuerySet[DeadlineComputation]:
    """The latest deadline changes caused by calendar edits, on incidents the user may see: which open
    incidents' deadlines moved."""
    return (
        DeadlineComputation.objects.filter(
            reason__startswith="Calendar changed", incident__in=incidents_visible_to(user)
        )
        .select_related("incident")
        .order_by("-computed_at", "-id")[:limit]
    )
