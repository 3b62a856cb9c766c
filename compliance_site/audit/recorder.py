"""Writing the audit trail.

Every model registered here is audited on create, change and delete through Django's model signals, so
nothing escapes the trail: services, the admin, the API and a shell session all go through `save()`.
Who acted and why comes from `audit_context`, which services open with their explicit `actor` and which
the request middleware opens lazily for the signed-in user.
"""

import contextlib
import contextvars
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate, pre_save
from django.utils import timezone

from . import checkpoints
from .models import AuditEvent, AuditHead


@dataclass(frozen=True)
class _Context:
    actor: Callable[[], object] | None = None
    reason: str = ""


_EMPTY = _Context()
_context: contextvars.ContextVar[_Context] = contextvars.ContextVar("audit_context", default=_EMPTY)  # noqa: B039 (frozen)
_registry: dict[type[models.Model], frozenset[str]] = {}


def register(model=None, *, exclude: tuple[str, ...] = ()):
    """Class decorator: audit every create, change and delete of `model`; `exclude` fields are not diffed."""

    def wrap(cls):
        _registry[cls] = frozenset(exclude)
        return cls

    return wrap(model) if model is not None else wrap


def is_audited(model) -> bool:
    return model in _registry


def audited_models() -> list[type[models.Model]]:
    return list(_registry)


@contextlib.contextmanager
def audit_context(*, actor=None, reason: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside to `actor` (a user or a zero-argument callable) with `reason`."""
    current = _context.get()
    getter = actor if callable(actor) or actor is None else (lambda: actor)
    token = _context.set(
        _Context(actor=getter or current.actor, reason=reason if reason is not None else current.reason)
    )
    try:
        yield
    finally:
        _context.reset(token)


def current_reason() -> str:
    return _context.get().reason


def _current_actor():
    getter = _context.get().actor
    actor = getter() if getter else None
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    return None


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict:
    excluded = _registry.get(type(instance), frozenset())
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return _jsonable(data)


def append(
    *,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: dict,
    verb: str = "",
    actor=None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction: if the change rolls back, so
    does its audit event, and the head lock keeps concurrent writers in one order. The entry is sealed with
    the keyed hash (AuditEvent.seal) and every AUDIT_CHECKPOINT_EVERY-th one is checkpointed on commit."""
    actor = actor if actor is not None else _current_actor()
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_repr=actor.get_username() if actor is not None else "system",
            action=action,
            verb=verb,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=str(object_repr)[:300],
            changes=_jsonable(changes),
            reason=reason if reason is not None else current_reason(),
            prev_hash=head.last_hash,
        )
        event.seal()
        event.save()
        AuditHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
        checkpoints.schedule_for(event)
    return event


# --- Lock order (docs/architecture.md, "Lock order") -------------------------------------------------------
#
# The head row is locked from a transaction's first audit event until it commits. A transaction that locked
# another row (the case and its company row, say) before its first event, while another locked that row
# after its own first event, waited on each other: PostgreSQL's "deadlock detected". So the head is always
# the first lock: the wrapper below takes it before any statement that locks rows in a transaction, on every
# connection, whatever code issues the statement; every row lock then queues behind it, in one order.

_ROW_LOCK = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.IGNORECASE)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([^"\s(]+)', re.IGNORECASE)
_taking_head: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_taking_head", default=False)
_audited_tables: tuple[int, frozenset[str]] = (-1, frozenset())
# While migrations run, the head's table may not exist yet and nothing else writes: no order to keep.
_migrating = False


def _lock_head(using: str | None = None) -> AuditHead:
    token = _taking_head.set(True)
    try:
        head, _ = AuditHead.objects.using(using).select_for_update().get_or_create(id=1)
    finally:
        _taking_head.reset(token)
    return head


def _tables() -> frozenset[str]:
    global _audited_tables
    if _audited_tables[0] != len(_registry):
        _audited_tables = (len(_registry), frozenset(m._meta.db_table for m in _registry))
    return _audited_tables[1]


def _locks_rows(sql: str) -> bool:
    """A row lock (SELECT … FOR UPDATE/SHARE), or a write to an audited model's table: the statements a
    transaction must not run before it holds the audit head."""
    if "FOR " in sql and _ROW_LOCK.search(sql):
        return True
    write = _WRITE.match(sql)
    return bool(write) and write.group(1) in _tables()


def _head_first(execute, sql, params, many, context):
    """Execute wrapper on every connection: take the audit head before the first row lock of a
    transaction. Outside a transaction nothing is held across statements, so nothing is done."""
    db = context["connection"]
    if (
        db.in_atomic_block
        and not _migrating
        and db.features.has_select_for_update
        and not _taking_head.get()
        and isinstance(sql, str)
        and _locks_rows(sql)
    ):
        _lock_head(db.alias)
    return execute(sql, params, many, context)


def _migration_started(sender, **kwargs):
    global _migrating
    _migrating = True


def _migration_finished(sender, **kwargs):
    global _migrating
    _migrating = False


def _install_head_first(sender, connection, **kwargs):
    # At the bottom of the stack: a connection can open inside another wrapper's `execute_wrapper()` block
    # (pghistory's context), and that block pops the LAST wrapper on exit; appended, ours would be popped
    # and theirs left behind for every later statement.
    if _head_first not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _head_first)


def record_action(
    *, actor, verb: str, obj: models.Model, details: dict | None = None, reason: str = ""
) -> AuditEvent:
    """A business action that is more than a field change (approve, vote, export, sign-in...)."""
    return append(
        action=AuditEvent.Action.ACTION,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj),
        changes=details or {},
        actor=actor,
        reason=reason,
    )


def save_audited(
    record: models.Model, *, actor, reason: str | None = None, verb: str = "", details: dict | None = None
):
    """The last step of a service (docs/architecture.md, "Services"): validate `record` (`full_clean`) and
    save it as `actor`, with `reason` on its audit event; with `verb`, the business action is recorded on the
    trail beside the change. `reason=None` keeps the reason of an enclosing `audit_context`."""
    record.full_clean()
    with audit_context(actor=actor, reason=reason):
        record.save()
        if verb:
            record_action(actor=actor, verb=verb, obj=record, details=details, reason=reason or "")
    return record


def _pre_save(sender, instance, raw=False, **kwargs):
    if sender not in _registry or raw:
        return
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            before = snapshot(old)
            signed_off = getattr(old, "is_signed_off", None)
            if callable(signed_off) and signed_off() and not current_reason():
                raise ValidationError("A reason is required to change a record after sign-off.")
    instance._audit_before = before


def _post_save(sender, instance, created, raw=False, **kwargs):
    if sender not in _registry or raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {k: [None, v] for k, v in after.items()}
        action = AuditEvent.Action.CREATE
    else:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if not changes:
            return
        action = AuditEvent.Action.UPDATE
    append(
        action=action,
        object_type=sender._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance),
        changes=changes,
    )
    instance._audit_before = after


def _post_delete(sender, instance, **kwargs):
    if sender not in _registry:
        return
    before = snapshot(instance)
    append(
        action=AuditEvent.Action.DELETE,
        object_type=sender._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance),
        changes={k: [v, None] for k, v in before.items()},
    )


def connect_signals() -> None:
    connection_created.connect(_install_head_first, dispatch_uid="audit_head_first")
    pre_migrate.connect(_migration_started, dispatch_uid="audit_head_first_migrating")
    post_migrate.connect(_migration_finished, dispatch_uid="audit_head_first_migrated")
    for db in connections.all(initialized_only=True):
        _install_head_first(None, db)
    pre_save.connect(_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="audit_post_delete")
