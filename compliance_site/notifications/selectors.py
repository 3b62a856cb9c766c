"""Reading reminders and notifications: a person sees only their own notifications."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from compliance_site.ops.models import Heartbeat

from .models import Notification, Reminder
from .services import SWEEP_HEARTBEAT


def notifications_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    """One COUNT on notification_user_read_idx (the header badge on every page)."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def due_reminder_count(*, now: datetime) -> int:
    """Pending reminders already due: the work the sweep has not handed over or a worker not yet done."""
    return Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now).count()


def failed_reminders(*, limit: int = 50) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(status=Reminder.Status.FAILED)
        .select_related("content_type")
        .order_by("-due_at")[:limit]
    )


def abandoned_reminders(*, now: datetime, lease: timedelta, limit: int = 50) -> QuerySet[Reminder]:
    """Claimed by a worker longer ago than the lease: the worker died; the sweep takes these over."""
    return (
        Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lte=now - lease)
        .select_related("content_type")
        .order_by("claimed_at")[:limit]
    )


def reminders_for_record(record) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def last_sweep() -> Heartbeat | None:
    return Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).first()
