from django.db.models import Q, QuerySet

from compliance_site.accounts.permissions import has_capability

from .models import AuditEvent


def events_visible_to(user) -> QuerySet[AuditEvent]:
    if not has_capability(user, "audit.view"):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-seq")


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
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def record_history(user, *, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    return events_visible_to(user).filter(object_type=object_type, object_id=str(object_id))
