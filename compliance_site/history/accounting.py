"""Which row changes the audit trail accounts for (docs/architecture.md, "Row history").

A row event (written by a trigger, whatever made the change) is accounted for when an audit-trail entry
written in the same database transaction says the same thing:

- for a model registered with the audit trail, an entry about the same record with the matching action
  (created, changed, deleted), and for a change, with the same new value of every field the row event shows
  changed. A queryset `.update()` or raw SQL changes the row without `save()`, so no entry matches, even
  inside a service's transaction;
- for a record the services write without an entry of its own (a determination, a deadline computation, a
  generated document, a reminder, a notification), any entry of the same transaction: the business action
  that wrote it.

Transactions are matched by their start time, PostgreSQL's `now()`: every row event of a transaction carries
it (`pgh_created_at`), and `AuditTransaction` keeps it for every audit-trail entry.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from pghistory.models import Event

from compliance_site.audit.models import AuditEvent
from compliance_site.audit.recorder import is_audited

from .models import AuditTransaction

ACTION_FOR_LABEL = {
    "insert": AuditEvent.Action.CREATE,
    "update": AuditEvent.Action.UPDATE,
    "delete": AuditEvent.Action.DELETE,
}


@dataclass(frozen=True)
class RowChange:
    """One row event, with what changed and the audit-trail entry that accounts for it (if any)."""

    event_model: str
    object_type: str
    object_id: str
    label: str
    at: datetime
    event_id: int
    changes: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    accounted_by: int | None = None

    @property
    def accounted(self) -> bool:
        return self.accounted_by is not None

    def describe(self) -> str:
        user = self.context.get("user")
        who = self.context.get("username") or (f"user #{user}" if user else "")
        where = " ".join(filter(None, [self.context.get("method", ""), self.context.get("url", "")]))
        made = ", ".join(filter(None, [who, where])) or "outside any request (console, script or SQL)"
        fields = ", ".join(sorted(self.changes)) if self.label == "update" else ""
        what = f"{self.label} {fields}".strip()
        return f"{self.at:%Y-%m-%d %H:%M:%S.%f} UTC {self.object_type} #{self.object_id}: {what} [{made}]"


def event_models() -> list[type[Event]]:
    """Every row-event model, whichever package declared it."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event) and getattr(model, "pgh_tracked_model", None) is not None
    ]


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row(event, tracked) -> dict:
    # The same encoding as the audit trail's snapshot (compliance_site/audit/recorder.py), so values compare.
    data = {}
    for model_field in tracked._meta.concrete_fields:
        value = getattr(event, model_field.attname, None)
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        data[model_field.attname] = value
    return _jsonable(data)


def _changes(events: Iterable, tracked) -> Iterator[tuple[object, dict]]:
    previous: dict[object, dict] = {}
    for event in events:
        row = _row(event, tracked)
        before = previous.get(event.pgh_obj_id)
        if event.pgh_label == "update" and before is not None:
            changed = {k: [before.get(k), v] for k, v in row.items() if before.get(k) != v}
        else:
            changed = {k: [None, v] for k, v in row.items()} if event.pgh_label == "insert" else {}
        previous[event.pgh_obj_id] = row
        yield event, changed


def _audit_entries(object_type: str):
    """The entries about `object_type`, by (object id, transaction start)."""
    started = dict(AuditTransaction.objects.values_list("seq", "started_at"))
    entries = defaultdict(list)
    for seq, object_id, action, changes in AuditEvent.objects.filter(object_type=object_type).values_list(
        "seq", "object_id", "action", "changes"
    ):
        if seq in started:
            entries[(object_id, started[seq])].append((seq, action, changes))
    return entries, started


def _matches(label: str, changed: dict, action: str, changes: dict) -> bool:
    if ACTION_FOR_LABEL.get(label) != action:
        return False
    if label != "update":
        return True
    return all(name in changes and changes[name][1] == value[1] for name, value in changed.items())


def row_changes(*, since: datetime | None = None) -> list[RowChange]:
    """Every row event (since `since`), oldest first, each with the audit entry accounting for it."""
    result = []
    transactions: dict[datetime, int] | None = None
    for event_model in event_models():
        tracked = event_model.pgh_tracked_model
        object_type = tracked._meta.label_lower
        events = event_model.objects.select_related("pgh_context").order_by("pgh_obj_id", "pgh_id")
        audited = is_audited(tracked)
        if audited:
            entries, _ = _audit_entries(object_type)
        elif transactions is None:
            transactions = {}
            for seq, started_at in AuditTransaction.objects.values_list("seq", "started_at"):
                transactions.setdefault(started_at, seq)
        for event, changed in _changes(events, tracked):
            if since is not None and event.pgh_created_at < since:
                continue
            if audited:
                same_transaction = entries.get((str(event.pgh_obj_id), event.pgh_created_at), [])
                accounted_by = next(
                    (
                        seq
                        for seq, action, changes in same_transaction
                        if _matches(event.pgh_label, changed, action, changes)
                    ),
                    None,
                )
            else:
                accounted_by = transactions.get(event.pgh_created_at)
            context = event.pgh_context.metadata if event.pgh_context_id and event.pgh_context else {}
            result.append(
                RowChange(
                    event_model=event_model._meta.label,
                    object_type=object_type,
                    object_id=str(event.pgh_obj_id),
                    label=event.pgh_label,
                    at=event.pgh_created_at,
                    event_id=event.pgh_id,
                    changes=changed,
                    context=dict(context or {}),
                    accounted_by=accounted_by,
                )
            )
    return sorted(result, key=lambda change: (change.at, change.event_model, change.event_id))


def unaccounted_row_changes(*, since: datetime | None = None) -> list[RowChange]:
    """The row changes no audit-trail entry accounts for: a queryset update, raw SQL, a database console."""
    return [change for change in row_changes(since=since) if not change.accounted]
