"""Background rendering of generated documents (enqueued with transaction.on_commit by the services)."""

from celery import shared_task
from django.utils import timezone

from .services import generate_document


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300, acks_late=True)
def render_document_task(document_id: int) -> None:
    """Render one queued document. Safe to run twice: a document already done is left as it is."""
    generate_document(document_id=document_id, now=timezone.now())
