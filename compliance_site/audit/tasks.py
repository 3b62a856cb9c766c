"""Celery tasks of the audit trail."""

from celery import shared_task

from .checkpoints import write_checkpoint


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def checkpoint_task() -> None:
    """Beat's periodic checkpoint of the chain head (compliance_site/audit/checkpoints.py). A head that
    contradicts the last checkpoint raises CheckpointError: the task fails loudly instead of writing."""
    write_checkpoint()
