"""Fixtures for the reminder tests: the default offsets pinned, Celery eager where a test runs tasks."""

import pytest

from compliance_site.celery import app as celery_app


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.REMINDER_OFFSETS_HOURS = [12, 4, 1, 0]
    settings.ESCALATION_EVERY_HOURS = 4
    settings.REMINDER_REVIEW_DAYS = 14
    settings.REMINDER_AGEING_LEAD_DAYS = 30
    settings.REMINDER_FISCAL_YEAR_LEAD_DAYS = [30, 0]
    settings.REMINDER_REENQUEUE_SECONDS = 300
    settings.REMINDER_SENDING_LEASE_SECONDS = 300
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.SITE_URL = "https://compliance.example.com"


@pytest.fixture
def eager_celery():
    """Tasks run in-process when published (what `.delay()` does in CELERY_TASK_ALWAYS_EAGER mode)."""
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before
