"""Reading the chat channels and their deliveries: the configuration page lists a company's channels (those
who manage the company see them: the capability decides), the operations page the messages not delivered."""

from django.db.models import QuerySet

from ..models import WebhookDelivery, WebhookEndpoint
from ..sources import url_of
from .posting import split_error


def endpoints_of(company) -> QuerySet[WebhookEndpoint]:
    if company is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(company=company).order_by("name", "pk")


def _with_links(deliveries, *, limit: int) -> list[WebhookDelivery]:
    """The first `limit` deliveries, each with `link` set to its record's page (None: no reminder or record
    any more) and its last error split into words and what the service said. The records come from one
    prefetch per record type."""
    rows = list(
        deliveries.select_related("endpoint", "reminder").prefetch_related("reminder__record")[:limit]
    )
    for delivery in rows:
        record = delivery.reminder.record if delivery.reminder is not None else None
        delivery.link = url_of(record) if record is not None else None
        delivery.error_words, delivery.service_said = split_error(delivery.last_error)
    return rows


def failed_deliveries(*, limit: int = 50) -> list[WebhookDelivery]:
    """The chat messages that failed after their last attempt, newest first (webhookdelivery_failed_idx)."""
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED)
    return _with_links(failed.order_by("-created_at", "-pk"), limit=limit)


def waiting_deliveries(*, limit: int = 50) -> list[WebhookDelivery]:
    """The chat messages not yet delivered nor failed: queued, being posted, or waiting for a retry."""
    waiting = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING]
    )
    return _with_links(waiting.order_by("created_at", "pk"), limit=limit)
