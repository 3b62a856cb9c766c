"""Celery entry points of the clawback program: thin, one service each, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .services.voting import close_due_votes


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=60)
def close_due_votes_task() -> int:
    """Beat, every minute: decide each vote of the body whose closing time has passed."""
    return close_due_votes(now=timezone.now())
