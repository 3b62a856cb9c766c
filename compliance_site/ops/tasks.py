from celery import shared_task
from django.utils import timezone

from .services import record_heartbeat


@shared_task(ignore_result=True, soft_time_limit=25, time_limit=30)
def heartbeat_task():
    """Beat's proof of life, every minute; the operations page warns when it goes stale."""
    record_heartbeat(name="beat", now=timezone.now(), detail="periodic schedule")


@shared_task(soft_time_limit=25, time_limit=30)
def ping_task(token: str) -> str:
    """A round trip through the broker and a live worker, into the database and back."""
    record_heartbeat(name="worker", now=timezone.now(), detail=token[:200])
    return f"pong:{token}"
