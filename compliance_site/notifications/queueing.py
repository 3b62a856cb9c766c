"""What the two notification queues (reminders, chat messages) share: handing rows to the broker, and putting
a failed row back in line. Both queues claim, lease and sweep rows the same way (services.py,
webhooks/services.py), so they must hand over and reset a row the same way too, or the sweep would take a
row for an abandoned claim or leave a lost one behind."""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from compliance_site.audit.recorder import record_action
from compliance_site.celery import app as celery_app


def publish_each(task_name: str, ids: Sequence[int], *, unsent: QuerySet, logger, message: str) -> int:
    """Publish the task `task_name` once per id; returns how many were published. If the broker is down, the
    ids not published that are still in `unsent` are marked not handed over, so the next sweep hands them
    over at once instead of after the re-enqueue delay; `message` (%d: how many) is logged."""
    task = celery_app.signature(task_name)
    for position, pk in enumerate(ids):
        try:
            task.apply_async(args=[pk], retry=True, retry_policy={"max_retries": 2})
        except Exception:
            logger.exception(message, len(ids) - position)
            unsent.filter(pk__in=ids[position:]).update(enqueued_at=None)
            return position
    return len(ids)


def requeue_failed(
    row,
    *,
    actor,
    verb: str,
    now: datetime,
    enqueue: Callable[[Sequence[int]], object],
    also_clear: Sequence[str] = (),
) -> None:
    """Reset `row` (locked, and checked by the caller as failed and retriable) to a fresh pending row, audit
    the retry under `verb` with the attempts and error it had, and hand it to `enqueue` after commit.
    `also_clear` names the queue's own timing fields to empty."""
    previous = {"attempts": row.attempts, "last_error": row.last_error}
    row.status = row.Status.PENDING
    row.attempts = 0
    row.claimed_at = None
    for field in also_clear:
        setattr(row, field, None)
    row.enqueued_at = now
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save(update_fields=["status", "attempts", "claimed_at", *also_clear, "enqueued_at"])
    record_action(actor=actor, verb=verb, obj=row, details=previous)
    pk = row.pk
    transaction.on_commit(lambda: enqueue([pk]))
