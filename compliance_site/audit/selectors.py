from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import has_rule, visible_queryset

from .models import AuditEvent
from .walls import walled_events


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """The trail a user may read: everything, for a holder of audit.view, but the entries about records
    walled from them (a covered executive never reads the history of the case about their own pay, nor of
    anything belonging to it: docs/architecture.md, "The audit walls"). Every reader of the trail starts
    here: the walls cost one query whatever their number, and the trail stays one query."""
    if not has_capability(user, "audit.view"):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor").order_by("-seq")
    walled = walled_events(user)
    return qs.exclude(walled) if walled is not None else qs


def filter_events(
    qs: QuerySet[AuditEvent], *, q="", actor="", object_type="", action="", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q) | Q(verb__icontains=q))
    if actor:
        qs = qs.filter(actor_repr__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    # The form says "UTC date": compare instants, not dates in the viewer's zone.
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=UTC))
    if date_to and date_to < date.max:  # up to the last day there is: no upper bound (date.max + 1 overflows)
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC))
    return qs


def record_history(user, *, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """A record's events, unless the record itself is hidden from the user (a covered executive who may read
    the audit trail still never sees the history of the case about their own pay)."""
    qs = events_visible_to(user).filter(object_type=object_type, object_id=str(object_id))
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return qs
    if has_rule(model) and model._default_manager.filter(pk=object_id).exists():
        if not visible_queryset(user, model).filter(pk=object_id).exists():
            return qs.none()
    return qs
