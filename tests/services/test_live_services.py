"""The production shape, for real: PostgreSQL as the database, Redis as the broker, a live Celery worker.

Run by `make test-services` (REQUIRE_SERVICES=1, where a skip here is a failure); skipped by `make test`.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from compliance_site.celery import app
from compliance_site.ops.models import Heartbeat
from compliance_site.ops.services import broker_queue_length
from compliance_site.ops.tasks import ping_task

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _require_services():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (make test-services)")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (make test-services)")


@pytest.fixture
def live_worker():
    """A real `celery worker` process on the test database, started and stopped around the test."""
    _require_services()
    env = {
        **os.environ,
        # The worker must write where the test reads: the test database pytest-django created.
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    }
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "compliance_site",
            "worker",
            "-l",
            "warning",
            "--pool",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def test_database_is_postgresql():
    _require_services()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_broker_round_trip_through_redis_and_a_live_worker(live_worker):
    token = uuid.uuid4().hex
    result = ping_task.apply_async(args=[token], queue=live_worker)
    assert result.get(timeout=60) == f"pong:{token}"
    # The worker wrote to the same PostgreSQL database the test reads.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(name="worker").first()
        if beat and beat.detail == token:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker's heartbeat never reached the database")


def test_audit_rows_cannot_be_updated_on_postgresql():
    """The append-only trigger refuses UPDATE even from raw SQL."""
    _require_services()
    from django.db import DatabaseError, transaction

    from compliance_site.audit.models import AuditEvent
    from tests.factories import CompanyFactory

    CompanyFactory()
    event = AuditEvent.objects.order_by("-seq").first()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = 'tampered' WHERE id = %s", [event.pk])


def test_the_operations_page_reads_the_queue_depth_from_redis(client, users):
    """Messages published to a queue no worker consumes are counted; the page shows the live figure."""
    _require_services()
    queue = f"depth-{uuid.uuid4().hex[:8]}"
    try:
        for _ in range(3):
            ping_task.apply_async(args=["unconsumed"], queue=queue)
        assert broker_queue_length(queue) == 3
    finally:
        with app.connection() as conn:
            conn.default_channel.client.delete(queue)
    client.force_login(users["admin"])
    html = client.get(reverse("ops:status")).content.decode()
    assert "waiting" in html and "Redis did not answer" not in html


def test_the_operations_page_says_so_when_redis_does_not_answer(client, users, settings):
    _require_services()
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{dead}/0"
    client.force_login(users["admin"])
    started = time.monotonic()
    response = client.get(reverse("ops:status"))
    assert response.status_code == 200 and "Redis did not answer" in response.content.decode()
    assert time.monotonic() - started < 10
