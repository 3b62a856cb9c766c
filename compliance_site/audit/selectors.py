from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

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
    qs: QuerySet[AuditEvent],
    *,
    q="",
    actor="",
    object_type="",
    action="",
    date_from=None,
    date_to=None,
    zone: tzinfo = UTC,
) -> QuerySet[AuditEvent]:
    """The events matching a filter. `date_from` and `date_to` are calendar dates in `zone`, both included:
    UTC for the API (as its schema says), New York for the audit trail page (as its form says)."""
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q) | Q(verb__icontains=q))
    if actor:
        qs = qs.filter(actor_repr__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    # Compare instants: midnight starting each date in `zone`. Midnight exists exactly once in New York (the
    # DST changes happen at 02:00), so combining a date with the zone is never ambiguous.
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to and date_to < date.max:  # up to the last day there is: no upper bound (date.max + 1 overflows)
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
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


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    """The model field an entry's key names; the key is the field's attname (`executive_id`) for a
    relation, which get_field also answers to."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    """A field as the forms name it ("Amount owed"), else the name in words ("Amount owed" from
    `amount_owed`)."""
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return capfirst(str(field.verbose_name))
    return capfirst(name.removesuffix("_id").replace("_", " ").strip()) or name


def _is_user_ref(field) -> bool:
    return field is not None and field.is_relation and field.related_model is get_user_model()


def _shown(field, value, people: dict):
    """A stored value as a reader knows it: a choice by its label, a yes/no as such, a user by name."""
    if value is None or value == "" or field is None or isinstance(value, (list, dict)):
        return value
    if field.choices:
        return {str(key): label for key, label in field.flatchoices}.get(str(value), value)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if _is_user_ref(field):
        return people.get(str(value), value)
    return value


def describe_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Give each event what the audit trail page shows an auditor: `record_type` (the model's name in
    words) and `lines`, its changes with each field by its label and each value by what it means.

    The users that changes point at are read in one query for the whole page, whatever its length."""
    user_ids = set()
    for event in events:
        model = _model(event.object_type)
        for name, pair in (event.changes or {}).items():
            if _is_user_ref(_field(model, name)):
                values = pair if isinstance(pair, list) else [pair]
                user_ids.update(str(v) for v in values if isinstance(v, (int, str)) and str(v).isdigit())
    people = {}
    if user_ids:
        people = {str(u.pk): str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    for event in events:
        model = _model(event.object_type)
        event.record_type = capfirst(str(model._meta.verbose_name)) if model else event.object_type
        event.lines = _lines(event, model, people)
    return events


def _lines(event: AuditEvent, model, people: dict) -> list[dict]:
    """As the `audit_lines` filter, with labels: details of an action as `label: value`, field changes as
    before → after, leaving out fields that were empty before and after."""
    if event.action == AuditEvent.Action.ACTION:
        return [
            {"field": key, "label": field_label(model, key), "value": value, "detail": True}
            for key, value in (event.changes or {}).items()
        ]
    lines = []
    for name, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if before in (None, "") and after in (None, ""):
            continue
        field = _field(model, name)
        lines.append(
            {
                "field": name,
                "label": field_label(model, name),
                "before": _shown(field, before, people),
                "after": _shown(field, after, people),
                "detail": False,
            }
        )
    return lines
