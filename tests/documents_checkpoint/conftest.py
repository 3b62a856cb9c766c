"""Media under tmp_path, Celery eager, and a checkpoint file of the test's own (never one left by an earlier
run), as in tests/documents."""

import pytest

from tests.documents.conftest import generate  # noqa: F401 (a fixture, reused as it is)


@pytest.fixture(autouse=True)
def _media_eager_and_own_checkpoints(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    settings.MFA_REQUIRED = False
    from compliance_site.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
