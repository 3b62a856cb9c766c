"""The audit walls: the entries of the audit trail a user may not read, because the record an entry is about
belongs to a case walled from them (docs/architecture.md, "The audit walls").

A covered executive who may read the audit trail still never reads the history of the case about their own
pay, nor of anything that belongs to it. The shared layer does not know what a case is, so each program
registers, from its AppConfig.ready(), a wall: `wall(user) -> {model: queryset or None}`, for each of its
record types the records the user is walled from (None: all of them). The querysets are lazy; the shared
layer reads them all in one query.

The shared layer adds what belongs to a walled record whatever program it comes from (`POINTERS`): its
reminders, the documents generated about it, and the files attached to it (or to those documents).

`walled_events(user)` turns it all into one condition on AuditEvent, which `selectors.events_visible_to`
excludes: every reader of the trail (the API list and detail, the audit trail page, its CSV and JSON-lines
exports, the dashboard's recent events, the record histories) goes through that selector. A program may read
what it walls first (clawback reads the walled cases' ids, and returns no wall for a reader walled from
none); the walled records are then read in one query whatever the number of cases and records, and the trail
stays one query.
"""

import operator
from collections.abc import Callable, Mapping
from functools import reduce

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Cast

from .models import AuditEvent

Wall = Callable[[object], Mapping[type[models.Model], QuerySet | None]]

_walls: dict[str, Wall] = {}

# Shared records that point at any record by (content type, id) and belong to it: walled with the record they
# point at. Labels, not imports: the audit trail sits below the apps that hold them. Each names the shared
# records listed before it that it can point at too (a file attached to a generated document).
POINTERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("notifications.Reminder", "content_type", "object_id", ()),
    ("documents.GeneratedDocument", "content_type", "record_id", ()),
    ("attachments.Attachment", "content_type", "object_id", ("documents.GeneratedDocument",)),
)


def register_audit_wall(name: str, wall: Wall) -> Wall:
    """Register `wall(user) -> {model: the records of that model walled from the user}` under `name`; a
    value of None walls every record of the model. Registering the same name again replaces the wall (a module
    imported twice changes nothing). The querysets must be lazy and may reach voided rows (`_base_manager`):
    the history of a voided record still belongs to its case."""
    _walls[name] = wall
    return wall


def _walled_ids(user) -> tuple[set[type[models.Model]], dict[type[models.Model], set[str]]]:
    """The programs' walls: the models walled whole, and the ids (as text) of the other walled records, read
    in one query (UNION ALL of every wall's querysets)."""
    whole: set[type[models.Model]] = set()
    parts: list[QuerySet] = []
    for wall in _walls.values():
        for model, qs in wall(user).items():
            if qs is None:
                whole.add(model)
            else:
                parts.append(
                    qs.order_by()
                    .annotate(
                        _wall_type=Value(model._meta.label, output_field=models.CharField()),
                        _wall_id=Cast("pk", models.CharField()),
                    )
                    .values_list("_wall_type", "_wall_id")
                )
    ids: dict[type[models.Model], set[str]] = {}
    if parts:
        rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
        for label, pk in rows:
            ids.setdefault(apps.get_model(label), set()).add(pk)
    return whole, ids


def _as(column: models.Field, ids: set[str]) -> list:
    """`ids` as values of `column` (a document or reminder stores a record's id as a number)."""
    values = []
    for pk in sorted(ids):
        try:
            values.append(column.to_python(pk))
        except ValidationError:  # not an id this column can hold: nothing there points at it
            continue
    return values


def _about(model: type[models.Model], whole, ids, *, type_field: str = "", id_field: str) -> Q | None:
    """The condition on a table naming records by (type, id) that selects the walled ones."""
    column = model._meta.get_field(id_field)

    def kind(target):
        if type_field:
            meta = target._meta
            return Q(**{f"{type_field}__app_label": meta.app_label, f"{type_field}__model": meta.model_name})
        return Q(object_type=target._meta.label_lower)  # the audit trail's own column

    conditions = [kind(target) for target in whole]
    conditions += [kind(target) & Q(**{f"{id_field}__in": _as(column, pks)}) for target, pks in ids.items()]
    return reduce(operator.or_, conditions) if conditions else None


def walled_events(user) -> Q | None:
    """The condition on AuditEvent matching the entries about a record walled from `user` (None: none is).
    Building it costs one query (the programs' walls); what points at a walled record is a subquery of the
    condition itself."""
    whole, ids = _walled_ids(user)
    if not whole and not ids:
        return None
    pointing: dict[type[models.Model], QuerySet] = {}
    for label, type_field, id_field, also_at in POINTERS:
        try:
            model = apps.get_model(label)
        except LookupError:  # that shared app is not installed: nothing of its kind to wall
            continue
        conditions = [_about(model, whole, ids, type_field=type_field, id_field=id_field)]
        column = model._meta.get_field(id_field)
        for target, records in pointing.items():
            if target._meta.label in also_at:
                on = {
                    f"{type_field}__app_label": target._meta.app_label,
                    f"{type_field}__model": target._meta.model_name,
                }
                conditions.append(Q(**on, **{f"{id_field}__in": _ids(records, column)}))
        conditions = [c for c in conditions if c is not None]
        if conditions:
            pointing[model] = model._base_manager.filter(reduce(operator.or_, conditions))
    column = AuditEvent._meta.get_field("object_id")
    trail = [_about(AuditEvent, whole, ids, id_field="object_id")]
    trail += [
        Q(object_type=m._meta.label_lower, object_id__in=_ids(qs, column)) for m, qs in pointing.items()
    ]
    return reduce(operator.or_, [c for c in trail if c is not None])


def _ids(qs: QuerySet, like: models.Field) -> QuerySet:
    """The primary keys of `qs` as a subquery comparable with the column `like` (the trail stores ids as
    text)."""
    qs = qs.order_by()
    if isinstance(like, models.CharField | models.TextField):
        return qs.annotate(_wall_id=Cast("pk", models.CharField())).values("_wall_id")
    return qs.values("pk")
