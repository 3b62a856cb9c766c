"""Reminder and notification workflows, called by tasks, views, the API, the admin and the record signals.

Exactly-once delivery rests on the database, not on the broker:

1. `schedule_reminders_for(record)` upserts one Reminder row per (record, kind, due time) — a unique key —
   and cancels pending rows computed from a deadline the record no longer has.
2. `sweep_reminders()` (beat, every minute) finds due pending rows through the partial index and hands their
   ids to the broker after commit; a row handed over but never claimed (broker lost the message, worker
   down) is handed over again after REMINDER_REENQUEUE_SECONDS, and a claim abandoned by a killed worker is
   taken over after REMINDER_SENDING_LEASE_SECONDS (longer than the send task's hard time limit).
3. `send_reminder(id)` claims the row (pending → sending, SELECT … FOR UPDATE SKIP LOCKED) and delivers it
   in three committed steps, each idempotent, so a redelivered or retried task resumes where the last one
   stopped instead of starting over:
   a. the in-app notifications, one per recipient (unique per reminder and user), committed first: a mail
      relay that is down never holds back the notification center; with them, one chat message per
      company chat channel taking that kind of reminder, queued (unique per channel and reminder) and
      posted by its own task (webhooks/services.py);
   b. the e-mails, one message per recipient whose notification has no `emailed_at` yet, each followed at
      once by its own commit of `emailed_at`: a retry after a partial failure (the relay refused the
      second recipient) or after a killed worker sends only what is still owed;
   c. the reminder marked sent *if this worker still holds the claim*, with its audit event, and the next
      reminder of an open-ended series (escalation) scheduled.

So the reminder's state and the in-app channel are exactly once. E-mail is exactly once per (reminder,
recipient) except in one window: a worker killed after the SMTP server accepted a message and before
`emailed_at` was committed (one UPDATE, milliseconds) sends that one message again when the claim is taken
over. The duplicate carries the same Message-ID (`<reminder-{id}-{user id}@{domain}>`), so mail clients and
archives fold it. No scheme closes that window: SMTP has no transaction the database can join.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from compliance_site.accounts.visibility import can_view
from compliance_site.audit.recorder import record_action
from compliance_site.ops.services import record_heartbeat

from . import sources
from .messages import compose_message, confidentiality_legend
from .models import Notification, Reminder
from .queueing import publish_each, requeue_failed
from .schedule import RULE_VERSION
from .webhooks.services import queue_webhook_deliveries

logger = logging.getLogger(__name__)

SWEEP_HEARTBEAT = "sweep"
SWEEP_BATCH = 5000  # ids handed to the broker per sweep; the rest wait one more minute
RECONCILE_BATCH = 100
ERROR_MAX_CHARS = 2000

# The send task, enqueued by name: the tasks call the services, never the reverse (docs/architecture.md).
SEND_TASK = "compliance_site.notifications.tasks.send_reminder_task"


class DeliveryError(Exception):
    """A transient delivery failure (SMTP refused, timed out): the task retries with backoff."""


@dataclass(frozen=True)
class ScheduleResult:
    created: int  # rows inserted (a row a concurrent scheduler inserted first is counted too)
    revived: int
    cancelled: int


@dataclass(frozen=True)
class SweepResult:
    enqueued: tuple[int, ...]
    reconciled: int


# ---------------------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_reminders_for(record, *, now: datetime) -> ScheduleResult:
    """Make the record's reminder rows match its current state: insert the missing ones, cancel pending ones
    computed from an anchor (deadline, review start, year end) it no longer has. Idempotent: a second call
    with nothing changed writes nothing.

    A pending reminder whose anchor is still current is kept even when it is overdue (a worker outage): it is
    late, not obsolete, and the sweep sends it.

    No row locks are taken (it runs inside whatever transaction saves the record, under the audit trail's
    head lock): every write is conditional on the state it read (pending → cancelled, pending/cancelled →
    revived, INSERT … ON CONFLICT DO NOTHING), so a worker claiming a row meanwhile simply wins.
    """
    config = sources.current_config()
    plans = sources.plans_for(record, now=now, config=config)
    content_type = ContentType.objects.get_for_model(record)
    wanted = {(plan.kind.value, plan.due_at): plan for plan in plans}
    anchors = {plan.kind.value: plan.anchor_at for plan in plans}
    past = [plan.due_at for plan in plans if plan.due_at <= now]
    # The rows waiting to go out (candidates for cancellation), any row with a wanted due time (already
    # there?) and the rows sent since the earliest past instant wanted (is it covered already?).
    existing = {
        (row.kind, row.due_at): row
        for row in Reminder.objects.filter(
            Q(status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING])
            | Q(due_at__in=[plan.due_at for plan in plans])
            | (Q(status=Reminder.Status.SENT, sent_at__gte=min(past)) if past else Q(pk__in=[])),
            content_type=content_type,
            object_id=record.pk,
        )
    }
    new, revived = [], 0
    for key, plan in wanted.items():
        row = existing.get(key)
        roles = ",".join(sources.roles_for(record, plan.kind))
        if row is None and plan.due_at <= now and _covered(plan, existing.values()):
            continue
        if row is None:
            new.append(
                Reminder(
                    content_type=content_type,
                    object_id=record.pk,
                    kind=plan.kind.value,
                    due_at=plan.due_at,
                    anchor_at=plan.anchor_at,
                    label=plan.label,
                    roles=roles,
                    rule_version=RULE_VERSION,
                    created_at=now,
                )
            )
        elif row.status == Reminder.Status.CANCELLED or (
            row.status == Reminder.Status.PENDING and row.anchor_at != plan.anchor_at
        ):
            # The same (record, kind, due time) key, wanted again: the key is unique, so revive the row
            # (conditionally: a worker may have claimed it since it was read).
            revived += Reminder.objects.filter(
                pk=row.pk, status__in=[Reminder.Status.PENDING, Reminder.Status.CANCELLED]
            ).update(
                status=Reminder.Status.PENDING,
                anchor_at=plan.anchor_at,
                label=plan.label,
                roles=roles,
                cancelled_at=None,
                enqueued_at=None,
            )
    obsolete = [
        row.pk
        for key, row in existing.items()
        if row.status == Reminder.Status.PENDING
        and key not in wanted
        and anchors.get(row.kind) != row.anchor_at
    ]
    cancelled = (
        Reminder.objects.filter(pk__in=obsolete, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED, cancelled_at=now
        )
        if obsolete
        else 0
    )
    for row in new:
        # Field validation only: the unique key is the database's job (ignore_conflicts below makes two
        # concurrent schedulers of the same record harmless).
        row.full_clean(validate_unique=False, validate_constraints=False)
    created = len(Reminder.objects.bulk_create(new, ignore_conflicts=True)) if new else 0
    return ScheduleResult(created=created, revived=revived, cancelled=cancelled)


def _covered(plan, rows) -> bool:
    """A reminder already due when it is scheduled says nothing another one of its kind will not say: skip
    it when one about the same anchor is waiting to go out, or went out after this one fell due (an
    escalation sent late after an outage does not trigger a second, catch-up one)."""
    return any(
        row.kind == plan.kind.value
        and row.anchor_at == plan.anchor_at
        and (
            row.status in (Reminder.Status.PENDING, Reminder.Status.SENDING)
            or (row.status == Reminder.Status.SENT and row.sent_at >= plan.due_at)
        )
        for row in rows
    )


def _series():
    """(model, active records, kind) of each open-ended series the programs' sources declare (a reminder kind
    that repeats while its record stays in the state: escalation, review). An active record always has its
    next one pending, so one missing means a save escaped the signals (queryset.update, raw SQL) and the
    sweep reschedules the record."""
    for source in sources.sources():
        for active, kind in source.series:
            yield source.model, active, kind


def _reconcile(*, now: datetime) -> int:
    """Reschedule active records whose open-ended series has no reminder waiting (see _series)."""
    count = 0
    for model, active, kind in _series():
        waiting = Reminder.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            kind=kind,
            status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING],
        )
        for record in model.objects.filter(active).exclude(Exists(waiting)).order_by("pk")[:RECONCILE_BATCH]:
            schedule_reminders_for(record, now=now)
            count += 1
    return count


# ---------------------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------------------


def sweep_reminders(*, now: datetime, enqueue=None) -> SweepResult:
    """Hand every due reminder to the broker (after commit) and record the sweep's heartbeat.

    `enqueue(ids)` defaults to `enqueue_reminders`; the benchmark passes a no-op to time the query alone.
    """
    config = sources.current_config()
    with transaction.atomic():
        # First, so concurrent sweeps queue behind this row lock instead of handing over the same ids.
        record_heartbeat(name=SWEEP_HEARTBEAT, now=now, detail="sweeping")
        reconciled = _reconcile(now=now)
        due = list(due_for_sweep(now=now, config=config))
        abandoned = list(abandoned_for_sweep(now=now, config=config))
        ids = tuple(due + abandoned)
        if ids:
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(lambda: (enqueue or enqueue_reminders)(ids))
        record_heartbeat(
            name=SWEEP_HEARTBEAT,
            now=now,
            detail=f"{len(due)} due, {len(abandoned)} taken over, {reconciled} rescheduled",
        )
    return SweepResult(enqueued=ids, reconciled=reconciled)


def _not_recently_enqueued(*, now: datetime, config) -> Q:
    return Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - config.reenqueue_after)


def due_for_sweep(*, now: datetime, config):
    """Ids of pending reminders due by `now`, not handed over in the last REMINDER_REENQUEUE_SECONDS.

    Served by reminder_pending_due_idx (partial: status = 'pending'): a range scan on due_at over the few
    pending rows, whatever the number of reminders ever sent. SKIP LOCKED leaves rows another sweep holds.
    """
    return (
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            _not_recently_enqueued(now=now, config=config), status=Reminder.Status.PENDING, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def abandoned_for_sweep(*, now: datetime, config):
    """Ids of reminders claimed longer ago than the lease: their worker died (reminder_sending_claim_idx)."""
    return (
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            _not_recently_enqueued(now=now, config=config),
            status=Reminder.Status.SENDING,
            claimed_at__lte=now - config.sending_lease,
        )
        .order_by("claimed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def enqueue_reminders(ids: Sequence[int]) -> int:
    """Publish one send task per id. If the broker is down, the rest are marked not-enqueued so the next
    sweep tries again at once (instead of after the re-enqueue delay); nothing is lost either way."""
    return publish_each(
        SEND_TASK,
        ids,
        unsent=Reminder.objects.filter(status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING]),
        logger=logger,
        message="broker unavailable: %d reminder(s) left for the next sweep",
    )


# ---------------------------------------------------------------------------------------------------------
# Sending one reminder
# ---------------------------------------------------------------------------------------------------------


def send_reminder(*, reminder_id: int, now: datetime) -> str:
    """Deliver one due reminder by e-mail and in the app, once. Returns what happened: 'sent', 'skipped'
    (not due, already sent, claimed by another worker), 'cancelled' (obsolete when its turn came) or
    'failed'. Raises DeliveryError on a transient failure, after releasing the row for the retry."""
    config = sources.current_config()
    reminder = _claim(reminder_id=reminder_id, now=now, config=config)
    if reminder is None:
        return "skipped"
    record = reminder.record
    if record is None or sources.current_anchors(record, now=now, config=config).get(reminder.kind) != (
        reminder.anchor_at
    ):
        # The record closed or its deadline moved without the signal seeing it (a queryset update):
        # drop this one and put the record's schedule right.
        _settle(reminder, status=Reminder.Status.CANCELLED, now=now, error="obsolete when due", record=record)
        return "cancelled"
    users = recipients_for(reminder, record)
    if not users:
        _settle(
            reminder,
            status=Reminder.Status.FAILED,
            now=now,
            error=f"nobody holding the role(s) {reminder.roles} may see this record",
        )
        return "failed"
    title, body = sources.message_for(reminder, record, now=now)
    url = sources.url_of(record)
    _deliver_in_app(reminder, users=users, title=title, body=body, url=url, now=now)
    # The chat channels taking this kind of reminder, queued beside the in-app channel, before any e-mail.
    queue_webhook_deliveries(reminder=reminder, record=record, title=title, body=body, url=url, now=now)
    try:
        _send_owed_emails(reminder, users=users, now=now)
    except Exception as exc:  # SMTP errors, timeouts, the soft time limit: all worth a retry
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
        if reminder.attempts >= config.max_attempts:
            _settle(reminder, status=Reminder.Status.FAILED, now=now, error=error)
            return "failed"
        _settle(reminder, status=Reminder.Status.PENDING, now=now, error=error)
        raise DeliveryError(error) from exc
    return _mark_sent(reminder, record=record, users=users, now=now)


@transaction.atomic
def _claim(*, reminder_id: int, now: datetime, config) -> Reminder | None:
    claimable = Q(status=Reminder.Status.PENDING, due_at__lte=now) | Q(
        status=Reminder.Status.SENDING, claimed_at__lte=now - config.sending_lease
    )
    # SKIP LOCKED: a row another worker is claiming right now is theirs; this task has nothing to do.
    reminder = Reminder.objects.select_for_update(skip_locked=True).filter(claimable, pk=reminder_id).first()
    if reminder is None:
        return None
    reminder.status = Reminder.Status.SENDING
    reminder.claimed_at = now
    reminder.attempts += 1
    reminder.save(update_fields=["status", "claimed_at", "attempts"])
    return reminder


def _still_claimed(reminder: Reminder):
    """The row, if this worker's claim on it still stands (no other worker took it over after the lease)."""
    return Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING, attempts=reminder.attempts)


@transaction.atomic
def _settle(reminder: Reminder, *, status: str, now: datetime, error: str, record=None) -> None:
    fields = {"status": status, "last_error": error, "claimed_at": None}
    if status == Reminder.Status.PENDING:
        fields["enqueued_at"] = now  # Celery's retry comes first; the sweep only after the re-enqueue delay
    if status == Reminder.Status.CANCELLED:
        fields["cancelled_at"] = now
    if _still_claimed(reminder).update(**fields) and record is not None:
        schedule_reminders_for(record, now=now)


def _deliver_in_app(reminder: Reminder, *, users, title: str, body: str, url: str, now: datetime) -> None:
    """Step a: one notification per recipient, committed before any e-mail. The (reminder, user) key makes
    a second call (a retry, a redelivered task) a no-op for those already notified."""
    Notification.objects.bulk_create(
        [
            Notification(user=user, reminder=reminder, title=title[:200], body=body, url=url, created_at=now)
            for user in users
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def _mark_sent(reminder: Reminder, *, record, users, now: datetime) -> str:
    """Step c: the reminder is sent (if this worker still holds its claim), audited, and the next one of an
    open-ended series exists."""
    if not _still_claimed(reminder).update(
        status=Reminder.Status.SENT, sent_at=now, recipient_count=len(users), last_error=""
    ):
        return "superseded"  # another worker took the claim over after the lease and delivers it
    # The audit trail's head lock before any other reminder row: a request saving the record takes the head
    # lock (its audit event) before its reminder rows, so both take them in the same order (no deadlock).
    record_action(
        actor=None,
        verb="send_reminder",
        obj=record,
        details={
            "reminder": reminder.pk,
            "kind": reminder.kind,
            "due_at": reminder.due_at.isoformat(),
            "recipients": [user.get_username() for user in users],
            "attempt": reminder.attempts,
        },
    )
    # The next one of an open-ended series (the escalation in 4 h) exists from now on.
    schedule_reminders_for(record, now=now)
    return "sent"


def recipients_for(reminder: Reminder, record) -> list:
    """Active users holding one of the reminder's roles who may see the record (and, for a review
    reminder, are not recused from the case)."""
    subject = sources.subject_of(record)
    excluded = sources.excluded_users(reminder.kind, record)
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, roles__role__in=reminder.role_list)
        .distinct()
        .order_by("pk")
    )
    return [user for user in candidates if user.pk not in excluded and can_view(user, subject)]


def message_id(reminder: Reminder, user) -> str:
    """The same on every attempt, so a duplicate from the crash window is recognisable as one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<reminder-{reminder.pk}-{user.pk}@{domain}>"


def email_body(note: Notification, *, legend: str) -> str:
    """The notification's text, the link to the record and the legend: nothing else (registry.py says what
    the text may contain; messages.py builds it, for the chat channels too)."""
    return compose_message(title=note.title, body=note.body, url=note.url, legend=legend).text


def _send_owed_emails(reminder: Reminder, *, users, now: datetime) -> int:
    """Step b: e-mail each current recipient with an address whose notification records no e-mail yet, one
    message at a time through the default mailer (settings.MAILERS; SMTP in production), committing
    `emailed_at` right after the server accepts each one. Returns how many were sent."""
    owed = list(
        Notification.objects.filter(reminder=reminder, user__in=users, emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    if not owed:
        return 0
    legend = confidentiality_legend()
    sent = 0
    with mailers.default as connection:
        for note in owed:
            message = EmailMessage(
                subject=f"[Compliance] {note.title}",
                body=email_body(note, legend=legend),
                to=[note.user.email],
                headers={"Message-ID": message_id(reminder, note.user)},
            )
            connection.send_messages([message])
            # Autocommit, one row: the crash window for a duplicate is this statement alone.
            Notification.objects.filter(pk=note.pk).update(emailed_at=now)
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------------------
# Operations and the notification center
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def retry_reminder(*, actor, reminder: Reminder, now: datetime) -> Reminder:
    """An administrator sends a failed reminder again (after fixing SMTP or assigning the missing role)."""
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.status != Reminder.Status.FAILED:
        raise ValidationError("Only a failed reminder can be retried.")
    requeue_failed(reminder, actor=actor, verb="retry_reminder", now=now, enqueue=enqueue_reminders)
    return reminder


@transaction.atomic
def mark_read(*, user, notification_ids: Iterable[int] | None = None, now: datetime) -> int:
    """Mark the user's own notifications read (all unread ones when `notification_ids` is None); returns how
    many changed. Someone else's notification is simply not matched."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=now)
