"""Celery entry points: thin, ids in, one service each, safe to run twice.

Both acknowledge late (settings: CELERY_TASK_ACKS_LATE, reject on worker lost), so a task in hand when a
worker dies is not acknowledged; the database rows are what make a lost message harmless anyway (the sweep
hands due rows over again, and takes over a claim abandoned by a dead worker after the lease).
"""

from celery import shared_task
from django.utils import timezone

from .services import DeliveryError, send_reminder, sweep_reminders
from .webhooks.services import WebhookRetry, deliver_webhook, sweep_webhook_deliveries


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=60)
def sweep_reminders_task() -> None:
    """Beat, every REMINDER_SWEEP_SECONDS: hand every due reminder to a worker."""
    sweep_reminders(now=timezone.now())


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=10,
    # Hard limit well inside the claim lease (REMINDER_SENDING_LEASE_SECONDS, 300 s by default), so a claim
    # is only ever taken over from a worker that is certainly gone.
    soft_time_limit=50,
    time_limit=60,
)
def send_reminder_task(reminder_id: int) -> str:
    """Send one reminder by e-mail and in the app, once; a failure is retried with exponential backoff."""
    return send_reminder(reminder_id=reminder_id, now=timezone.now())


@shared_task(
    bind=True, acks_late=True, ignore_result=True, max_retries=None, soft_time_limit=50, time_limit=60
)
def deliver_webhook_task(self, delivery_id: int) -> str:
    """Post one chat message, once; a failed attempt is retried after the delivery's backoff (30 s, then
    doubling), and the delivery itself gives up after WEBHOOK_MAX_ATTEMPTS (so Celery's own count is not
    the limit). The POST's timeout (WEBHOOK_TIMEOUT_SECONDS) is well inside the soft limit."""
    try:
        return deliver_webhook(delivery_id=delivery_id, now=timezone.now())
    except WebhookRetry as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from None


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=60)
def sweep_webhook_deliveries_task() -> None:
    """Beat, every minute: hand over the chat messages whose retry the broker lost, and abandoned claims."""
    sweep_webhook_deliveries(now=timezone.now())
