from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required
from compliance_site.notifications import selectors as reminder_selectors
from compliance_site.notifications import services as reminder_services
from compliance_site.notifications.models import Reminder, WebhookDelivery
from compliance_site.notifications.sources import current_config, url_of
from compliance_site.notifications.webhooks import selectors as webhook_selectors
from compliance_site.notifications.webhooks import services as webhook_services

from .models import Heartbeat
from .services import broker_is_redis, broker_queue_length, heartbeat_is_stale

COMPONENTS = (
    ("beat", "Beat (periodic schedule)"),
    ("sweep", "Reminder sweep"),
    ("worker", "Worker (last ping)"),
)


@capability_required("ops.view")
def status(request):
    now = timezone.now()
    beats = {beat.name: beat for beat in Heartbeat.objects.all()}
    rows = [
        {
            "name": name,
            "label": label,
            "beat": beats.get(name),
            # The worker reports only when pinged (ping_task); the sweep's heartbeat is written by a worker
            # taking beat's task from the broker, so a fresh sweep proves all three are alive.
            "stale": heartbeat_is_stale(beats.get(name), now=now) if name != "worker" else False,
        }
        for name, label in COMPONENTS
    ]
    lease = current_config().sending_lease
    return render(
        request,
        "ops/status.html",
        {
            "rows": rows,
            "now": now,
            "due_reminders": reminder_selectors.due_reminder_count(now=now),
            "queue_length": broker_queue_length(),
            "broker_is_redis": broker_is_redis(),
            "failed": _with_links(reminder_selectors.failed_reminders()),
            "abandoned": _with_links(reminder_selectors.abandoned_reminders(now=now, lease=lease)),
            "chat_failed": webhook_selectors.failed_deliveries(),
            "chat_waiting": webhook_selectors.waiting_deliveries(),
        },
    )


def _with_links(reminders) -> list[Reminder]:
    """Each reminder with `link` set to its record's page (None for a record since deleted). The records
    come from one prefetch per record type; a claim's link goes through its case (one query each, 50 at
    most)."""
    rows = list(reminders.prefetch_related("record"))
    for reminder in rows:
        reminder.link = url_of(reminder.record) if reminder.record is not None else None
    return rows


def _retry(request, retry, *, queued: str, **row):
    """Call the service `retry` on the row and go back to the status page, which says it was queued again
    or why it was not."""
    try:
        retry(actor=request.user, now=timezone.now(), **row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, queued)
    return redirect("ops:status")


@capability_required("ops.view")
@require_POST
def reminder_retry(request, pk):
    reminder = get_object_or_404(Reminder, pk=pk)
    return _retry(
        request,
        reminder_services.retry_reminder,
        reminder=reminder,
        queued=f"Reminder {reminder.pk} queued again.",
    )


@capability_required("ops.view")
@require_POST
def webhook_retry(request, pk):
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    return _retry(
        request,
        webhook_services.retry_webhook_delivery,
        delivery=delivery,
        queued=f"Chat message {delivery.pk} queued again.",
    )
