"""Chat notifications: the endpoints a company posts to, and the delivery of each reminder to each of them
(docs/architecture.md, "Chat notifications"), called by the configuration page, the API, the reminder
machinery (notifications/services.py), the operations page and the tasks.

Endpoints are changed by `add_webhook_endpoint` and `change_webhook_endpoint` only: validated
(`full_clean`: the address rule of rules.py), audited by the model's registration, the address itself
never on the trail (its masked form and the time it was set are).

Deliveries rest on the database, as reminders do (notifications/services.py):

1. `queue_webhook_deliveries` runs when a reminder goes out, beside its in-app notifications and before any
   e-mail (a mail relay that is down never holds back the chat channel): one row per endpoint of the
   record's company that is on and takes that kind of reminder, unique per (endpoint, reminder), the
   payload built from the e-mail's own message (messages.py). The ids go to the broker after commit.
2. `deliver_webhook(id)` claims the row (pending → sending, SKIP LOCKED), posts once, records the attempt
   and settles the row: delivered; pending again with `next_attempt_at` after the backoff, `WebhookRetry`
   telling the task when; failed after WEBHOOK_MAX_ATTEMPTS attempts. A delivered row is never claimed
   again, so a redelivered or retried task does not post a second time after a success.
3. `sweep_webhook_deliveries` (beat, every minute) hands over again a waiting row whose retry is overdue
   (the broker lost the countdown) and a claim abandoned by a dead worker (after the lease).

One duplicate is possible: a worker killed after the chat service accepted the post and before the outcome
was committed (one short transaction) posts it again when its claim is taken over. Webhooks take no
idempotency key, so nothing closes that window.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from compliance_site.audit.recorder import record_action, save_audited
from compliance_site.company.models import Company

from .. import sources
from ..messages import compose_message
from ..models import (
    Reminder,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    local_addresses_allowed,
)
from ..queueing import publish_each, requeue_failed
from . import rules
from .posting import PostResult, post_json

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000
SWEEP_BATCH = 1000
# Enqueued by name: the tasks call the services, never the reverse (docs/architecture.md).
DELIVER_TASK = "compliance_site.notifications.tasks.deliver_webhook_task"


class WebhookRetry(Exception):
    """A failed attempt with attempts left: the task tries again after `countdown` seconds."""

    def __init__(self, message: str, *, countdown: int):
        super().__init__(message)
        self.countdown = countdown


@dataclass(frozen=True)
class WebhookConfig:
    """The chat settings (settings.py, from the environment), read once per service call."""

    timeout: float
    max_attempts: int
    sending_lease: timedelta
    reenqueue_after: timedelta
    allow_local: bool


def current_config() -> WebhookConfig:
    return WebhookConfig(
        timeout=float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10)),
        max_attempts=getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 5),
        sending_lease=timedelta(seconds=getattr(settings, "REMINDER_SENDING_LEASE_SECONDS", 300)),
        reenqueue_after=timedelta(seconds=getattr(settings, "REMINDER_REENQUEUE_SECONDS", 300)),
        allow_local=local_addresses_allowed(),
    )


# ---------------------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------------------


def _events_text(events: Iterable[str]) -> str:
    """The chosen kinds in the order of the reminder kinds (unknown ones last, for `clean` to refuse)."""
    chosen = list(dict.fromkeys(str(kind) for kind in events))
    order = {kind: position for position, kind in enumerate(Reminder.Kind.values)}
    return ",".join(sorted(chosen, key=lambda kind: order.get(kind, len(order))))


def _set_address(endpoint: WebhookEndpoint, *, url: str, now: datetime) -> None:
    endpoint.url = url.strip()
    try:
        endpoint.url_hint = rules.masked(endpoint.url) if endpoint.url else ""
    except ValueError:
        endpoint.url_hint = ""  # not an address at all: full_clean says so
    endpoint.url_set_at = now


@transaction.atomic
def add_webhook_endpoint(
    *,
    actor,
    company: Company,
    name: str,
    kind: str,
    url: str,
    events: Iterable[str] = WebhookEndpoint.DEFAULT_EVENTS,
    enabled: bool = True,
    now: datetime,
) -> WebhookEndpoint:
    """A chat channel for the company's reminders of the kinds in `events` (escalations by default)."""
    endpoint = WebhookEndpoint(
        company=company,
        name=name.strip(),
        kind=kind,
        enabled=enabled,
        events=_events_text(events),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _set_address(endpoint, url=url, now=now)
    return save_audited(endpoint, actor=actor)


@transaction.atomic
def change_webhook_endpoint(
    *,
    actor,
    endpoint: WebhookEndpoint,
    now: datetime,
    name: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    events: Iterable[str] | None = None,
    enabled: bool | None = None,
    reason: str = "",
) -> WebhookEndpoint:
    """Change what is given (None leaves it; a blank `url` keeps the address). Turning a channel off stops
    its waiting messages too: they are settled as not posted when their turn comes."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if name is not None:
        endpoint.name = name.strip()
    if kind is not None:
        endpoint.kind = kind
    if url is not None and url.strip() and url.strip() != endpoint.url:
        _set_address(endpoint, url=url, now=now)
    if events is not None:
        endpoint.events = _events_text(events)
    if enabled is not None:
        endpoint.enabled = enabled
    endpoint.updated_at = now
    return save_audited(endpoint, actor=actor, reason=reason)


# ---------------------------------------------------------------------------------------------------------
# Queueing, when a reminder goes out
# ---------------------------------------------------------------------------------------------------------


def _company_id(record) -> int | None:
    """The company whose channels hear about `record`: its own (or its subject's), else the company this
    installation serves."""
    for candidate in (sources.subject_of(record), record):
        company_id = getattr(candidate, "company_id", None)
        if company_id is not None:
            return company_id
    return Company.objects.order_by("pk").values_list("pk", flat=True).first()


def endpoints_taking(kind: str, *, company_id: int | None) -> list[WebhookEndpoint]:
    """The company's channels that are on and take reminders of `kind` (a company has a handful)."""
    if company_id is None:
        return []
    found = WebhookEndpoint.objects.filter(company_id=company_id, enabled=True).order_by("pk")
    return [endpoint for endpoint in found if kind in endpoint.event_list]


@transaction.atomic
def queue_webhook_deliveries(
    *, reminder: Reminder, record, title: str, body: str, url: str, now: datetime
) -> tuple[int, ...]:
    """One delivery per channel taking this reminder, its payload made from the e-mail's message, handed to
    the broker after commit. Idempotent: a second call (the reminder's delivery retried after a mail
    failure) creates nothing and hands over nothing already handed over. Returns the ids handed over."""
    endpoints = endpoints_taking(reminder.kind, company_id=_company_id(record))
    if not endpoints:
        return ()
    message = compose_message(title=title, body=body, url=url)
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                reminder=reminder,
                title=title[:200],
                payload=rules.payload_for(endpoint.kind, message),
                created_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    owed = list(
        WebhookDelivery.objects.filter(
            reminder=reminder, status=WebhookDelivery.Status.PENDING, enqueued_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if owed:
        WebhookDelivery.objects.filter(pk__in=owed).update(enqueued_at=now)
        transaction.on_commit(lambda: enqueue_webhook_deliveries(owed))
    return tuple(owed)


def enqueue_webhook_deliveries(ids: Sequence[int]) -> int:
    """Publish one delivery task per id. If the broker is down, the rest are marked not handed over, so the
    next sweep hands them over at once; nothing is lost either way."""
    return publish_each(
        DELIVER_TASK,
        ids,
        unsent=WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING),
        logger=logger,
        message="broker unavailable: %d chat message(s) left for the sweep",
    )


# ---------------------------------------------------------------------------------------------------------
# Delivering one message
# ---------------------------------------------------------------------------------------------------------


def deliver_webhook(*, delivery_id: int, now: datetime) -> str:
    """Post one queued chat message, once. Returns 'delivered', 'failed' (the last attempt failed),
    'cancelled' (the channel was turned off), 'skipped' (already settled, or another worker holds it) or
    'superseded' (the claim was taken over meanwhile). Raises WebhookRetry after a failed attempt with
    attempts left, the row already released for it."""
    config = current_config()
    delivery = _claim(delivery_id=delivery_id, now=now, lease=config.sending_lease)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        error = "Not posted: the channel was turned off before the message went out."
        _still_claimed(delivery).update(
            status=WebhookDelivery.Status.CANCELLED, last_error=error, claimed_at=None, next_attempt_at=None
        )
        return "cancelled"
    result = post_json(endpoint.url, delivery.payload, timeout=config.timeout, allow_local=config.allow_local)
    outcome = _record_attempt(delivery, endpoint=endpoint, result=result, now=now, config=config)
    if outcome == "retry":
        raise WebhookRetry(result.error, countdown=rules.retry_delay(delivery.attempts))
    return outcome


@transaction.atomic
def _claim(*, delivery_id: int, now: datetime, lease: timedelta) -> WebhookDelivery | None:
    claimable = Q(status=WebhookDelivery.Status.PENDING) | Q(
        status=WebhookDelivery.Status.SENDING, claimed_at__lte=now - lease
    )
    # SKIP LOCKED: a row another worker is claiming right now is theirs; this task has nothing to do.
    delivery = (
        WebhookDelivery.objects.select_for_update(skip_locked=True).filter(claimable, pk=delivery_id).first()
    )
    if delivery is None:
        return None
    delivery.status = WebhookDelivery.Status.SENDING
    delivery.claimed_at = now
    delivery.attempts += 1
    delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery


def _still_claimed(delivery: WebhookDelivery):
    """The row, if this worker's claim on it still stands (no other worker took it over after the lease)."""
    return WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.SENDING, attempts=delivery.attempts
    )


def _safe(error: str, endpoint: WebhookEndpoint) -> str:
    """The error in words, the address masked should anything have quoted it."""
    return error.replace(endpoint.url, endpoint.url_hint)[:ERROR_MAX_CHARS] if endpoint.url else error


@transaction.atomic
def _record_attempt(
    delivery: WebhookDelivery, *, endpoint: WebhookEndpoint, result: PostResult, now: datetime, config
) -> str:
    """The attempt on record, and the delivery settled: 'delivered', 'failed', 'retry' or 'superseded'."""
    error = _safe(result.error, endpoint)
    number = WebhookAttempt.objects.filter(delivery=delivery).count() + 1
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        at=now,
        status_code=result.status_code,
        error=error,
        succeeded=result.ok,
    )
    # Locking the row takes the audit trail's head first (compliance_site/audit/recorder.py), so the audit
    # event below comes in the one lock order (docs/architecture.md, "Lock order").
    if _still_claimed(delivery).select_for_update().first() is None:
        return "superseded"  # another worker took the claim over after the lease
    answered = {"last_status_code": result.status_code, "last_error": error, "claimed_at": None}
    if result.ok:
        _still_claimed(delivery).update(
            **answered, status=WebhookDelivery.Status.DELIVERED, delivered_at=now, next_attempt_at=None
        )
        _audit(delivery, endpoint=endpoint, verb="post_chat_message", result=result, number=number)
        return "delivered"
    if delivery.attempts >= config.max_attempts:
        _still_claimed(delivery).update(
            **answered, status=WebhookDelivery.Status.FAILED, failed_at=now, next_attempt_at=None
        )
        _audit(delivery, endpoint=endpoint, verb="chat_message_failed", result=result, number=number)
        return "failed"
    retry_at = now + timedelta(seconds=rules.retry_delay(delivery.attempts))
    # `enqueued_at` is the retry's time: the sweep hands the row over only if the retry is that late.
    _still_claimed(delivery).update(
        **answered, status=WebhookDelivery.Status.PENDING, next_attempt_at=retry_at, enqueued_at=retry_at
    )
    return "retry"


def _audit(delivery: WebhookDelivery, *, endpoint, verb: str, result: PostResult, number: int) -> None:
    """On the trail of the record the reminder is about (so walled with it), never with the address."""
    record = delivery.reminder.record if delivery.reminder_id else None
    details = {
        "chat_channel": endpoint.name,
        "chat_service": endpoint.get_kind_display(),
        "address": endpoint.url_hint,
        "reminder": delivery.reminder_id,
        "attempt": number,
        "answer": result.status_code,
    }
    if result.error:
        details["error"] = _safe(result.error, endpoint)
    record_action(actor=None, verb=verb, obj=record if record is not None else delivery, details=details)


# ---------------------------------------------------------------------------------------------------------
# The sweep and the operations page
# ---------------------------------------------------------------------------------------------------------


def sweep_webhook_deliveries(*, now: datetime, enqueue=None) -> tuple[int, ...]:
    """Hand over again what the broker lost: waiting deliveries whose (re)try is later than
    REMINDER_REENQUEUE_SECONDS, and claims abandoned by a dead worker after the lease. Served by the
    partial indexes on pending and sending rows. `enqueue(ids)` defaults to `enqueue_webhook_deliveries`."""
    config = current_config()
    not_recent = Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - config.reenqueue_after)
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update(skip_locked=True).filter(not_recent)
        waiting = (
            locked.filter(status=WebhookDelivery.Status.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("created_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        abandoned = (
            locked.filter(status=WebhookDelivery.Status.SENDING, claimed_at__lte=now - config.sending_lease)
            .order_by("claimed_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        ids = tuple(waiting) + tuple(abandoned)
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(lambda: (enqueue or enqueue_webhook_deliveries)(ids))
    return ids


@transaction.atomic
def retry_webhook_delivery(*, actor, delivery: WebhookDelivery, now: datetime) -> WebhookDelivery:
    """An administrator posts a failed chat message again (after fixing the address or the channel)."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != WebhookDelivery.Status.FAILED:
        raise ValidationError("Only a chat message that failed can be retried.")
    if not delivery.endpoint.enabled:
        raise ValidationError(f"The channel {delivery.endpoint.name} is turned off: turn it on first.")
    requeue_failed(
        delivery,
        actor=actor,
        verb="retry_chat_message",
        now=now,
        enqueue=enqueue_webhook_deliveries,
        also_clear=("next_attempt_at", "failed_at"),
    )
    return delivery
