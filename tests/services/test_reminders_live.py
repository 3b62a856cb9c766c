"""Reminders for real: PostgreSQL, a private Redis, a live Celery worker and Celery beat (issue 6).

Each test starts its own `redis-server` on a free port (never the machine's Redis: one test stops it), a
`celery worker` and `celery beat` on the test database, with the sweep every second and deadlines seconds
away, then checks what was delivered: the in-app notifications (exactly once, by a unique key), the reminder
rows, and the e-mails the worker wrote to a file outbox (OutboxBackend below, which the worker loads by
EMAIL_BACKEND). Run by `make test-services` (REQUIRE_SERVICES=1 turns a skip into a failure).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from compliance_site.celery import app
from compliance_site.notifications.models import Notification, Reminder
from compliance_site.notifications.selectors import reminders_for_record
from compliance_site.notifications.services import sweep_reminders
from compliance_site.notifications.tasks import send_reminder_task
from compliance_site.ops.models import Heartbeat
from regfd.models import Incident
from tests.factories import IncidentFactory
from tests.services.test_live_services import _test_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SWEEP_SECONDS = 1
LEASE_SECONDS = 3
REENQUEUE_SECONDS = 3
STARTUP_SECONDS = 90  # ~4 s on an idle machine; generous for a loaded CI runner


class OutboxBackend(BaseEmailBackend):
    """The worker's mail backend in these tests: one JSON line per message in $REMINDER_LIVE_OUTBOX, after
    $REMINDER_LIVE_MAIL_DELAY seconds (a slow SMTP relay, so a worker can be killed mid-delivery)."""

    def send_messages(self, messages):
        for message in messages:
            time.sleep(float(os.environ.get("REMINDER_LIVE_MAIL_DELAY", "0")))
            with open(os.environ["REMINDER_LIVE_OUTBOX"], "a") as outbox:
                outbox.write(json.dumps({"id": message.extra_headers["Message-ID"], "to": message.to}) + "\n")
        return len(messages)


def _require_services():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (make test-services)")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (make test-services)")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on PATH (a private instance is started for these tests)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class Stack:
    """A private Redis plus a worker and beat pointed at it and at the test database."""

    def __init__(self, tmp: Path, env: dict):
        self.tmp, self.port = tmp, _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.outbox = tmp / "outbox.jsonl"
        self.outbox.touch()
        self.env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": self.url,
            "CELERY_RESULT_BACKEND": self.url,
            "EMAIL_BACKEND": f"{__name__}.OutboxBackend",
            "REMINDER_LIVE_OUTBOX": str(self.outbox),
            "REMINDER_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "REMINDER_REENQUEUE_SECONDS": str(REENQUEUE_SECONDS),
            "REMINDER_SENDING_LEASE_SECONDS": str(LEASE_SECONDS),
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.redis = self.worker = self.beat = None
        self.logs = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.logs)}.log", "w")  # noqa: SIM115 (closed in stop)
        self.logs.append(log)
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_redis(self):
        self.redis = self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_until(self._redis_answers, timeout=10, what="the private redis-server")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self):
        self.redis.kill()
        self.redis.wait(timeout=10)

    def start_worker(self):
        celery = [sys.executable, "-m", "celery", "-A", "compliance_site"]
        self.worker = self._spawn(
            "worker",
            [
                *celery,
                "worker",
                "-l",
                "info",
                "--pool",
                "solo",
                "-n",
                f"reminders-{self.port}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )

    def kill_worker(self):
        os.kill(self.worker.pid, signal.SIGKILL)  # no warm shutdown: the task in hand dies with it
        self.worker.wait(timeout=10)

    def start_beat(self):
        celery = [sys.executable, "-m", "celery", "-A", "compliance_site"]
        self.beat = self._spawn(
            "beat", [*celery, "beat", "-l", "info", "-s", str(self.tmp / "beat-schedule")]
        )

    def start(self):
        started = timezone.now()
        self.start_redis()
        self.start_worker()
        self.start_beat()
        # The whole chain is up once a sweep has run: beat -> Redis -> worker -> PostgreSQL.
        wait_until(
            lambda: Heartbeat.objects.filter(name="sweep", last_seen__gte=started).exists(),
            timeout=STARTUP_SECONDS,
            what="the first sweep through beat, Redis and the worker",
        )

    def stop(self):
        running = [p for p in (self.beat, self.worker, self.redis) if p is not None and p.poll() is None]
        for proc in running:
            proc.terminate()  # all at once: the worker's warm shutdown overlaps beat's
        for proc in running:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for log in self.logs:
            log.close()

    def emails(self) -> Counter:
        return Counter(json.loads(line)["id"] for line in self.outbox.read_text().splitlines() if line)

    def tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{Path(log.name).read_text()[-1500:]}" for log in self.logs)


def _hours(seconds: float) -> float:
    return seconds / 3600


@pytest.fixture
def stack(transactional_db, tmp_path, settings):
    """Start one with `stack(offsets_s=…, escalate_s=…, mail_delay=…)`; the test process schedules with the
    same settings as the worker (it creates the incidents, so its post_save receiver writes the rows)."""
    _require_services()
    stacks = []

    def start(*, offsets_s=(0,), escalate_s=3600, mail_delay=0.0):
        settings.REMINDER_OFFSETS_HOURS = [_hours(s) for s in offsets_s]
        settings.ESCALATION_EVERY_HOURS = _hours(escalate_s)
        env = {
            "REMINDER_OFFSETS_HOURS": ",".join(repr(_hours(s)) for s in offsets_s),
            "ESCALATION_EVERY_HOURS": repr(_hours(escalate_s)),
            "REMINDER_LIVE_MAIL_DELAY": str(mail_delay),
        }
        running = Stack(tmp_path, env)
        stacks.append(running)
        try:
            running.start()
        except BaseException:
            print(running.tail())
            raise
        return running

    yield start
    for running in stacks:
        running.stop()


@pytest.fixture
def people(db):
    from compliance_site.accounts.roles import Role
    from tests.factories import UserFactory

    return {
        role: UserFactory(username=role, roles=[role])
        for role in (Role.SECRETARY, Role.OFFICER, Role.COUNSEL)
    }


def _sent(record, kind=None):
    qs = reminders_for_record(record).filter(status=Reminder.Status.SENT)
    return list(qs.filter(kind=kind) if kind else qs)


def test_an_incident_due_in_seconds_gets_its_reminders_in_order_then_its_escalation(stack, people):
    running = stack(offsets_s=(4, 2, 0), escalate_s=3)
    incident = IncidentFactory(due_at=timezone.now() + timedelta(seconds=5), reported_by=people["secretary"])
    try:
        wait_until(lambda: _sent(incident, "incident_overdue"), timeout=25, what="the first escalation")
    except BaseException:
        print(running.tail())
        raise
    # Disclosed: what is still pending stops; nothing more is sent.
    incident.status, incident.outcome = Incident.Status.DISCLOSED, Incident.Outcome.LATE
    incident.public_disclosure_at = timezone.now()
    incident.save()
    time.sleep(3)
    due = sorted(_sent(incident, "incident_due"), key=lambda r: r.due_at)
    assert [round((incident.due_at - r.due_at).total_seconds()) for r in due] == [4, 2, 0]
    assert [r.sent_at for r in due] == sorted(r.sent_at for r in due), "sent out of order"
    for reminder in due:
        # Within a sweep interval plus the worker's turn (generous: CI runners can be slow).
        assert timedelta(0) <= reminder.sent_at - reminder.due_at < timedelta(seconds=SWEEP_SECONDS + 9)
    escalations = sorted(_sent(incident, "incident_overdue"), key=lambda r: r.due_at)
    assert len(escalations) in (1, 2)  # at +3 s, maybe +6 s before the disclosure landed
    assert escalations[0].due_at == incident.due_at + timedelta(seconds=3)
    assert escalations[0].sent_at > due[-1].sent_at, "escalated before the last reminder went out"
    assert not reminders_for_record(incident).filter(status=Reminder.Status.PENDING).exists()
    if len(escalations) == 1:  # the disclosure cancelled the next escalation before its turn
        assert (
            reminders_for_record(incident)
            .filter(kind="incident_overdue", status=Reminder.Status.CANCELLED)
            .exists()
        )
    # Who got what: the Secretary the reminders, the officer and counsel each escalation.
    notes = Counter(Notification.objects.values_list("user__username", "reminder__kind"))
    assert notes[("secretary", "incident_due")] == 3
    assert (
        notes[("officer", "incident_overdue")] == notes[("counsel", "incident_overdue")] == len(escalations)
    )
    assert set(running.emails().values()) == {1}
    assert sum(running.emails().values()) == 3 + 2 * len(escalations)
    # Nothing more after the disclosure: the next escalation (+9 s) would have been due by now.
    time.sleep(3)
    assert len(_sent(incident)) == 3 + len(escalations)
    assert sum(running.emails().values()) == 3 + 2 * len(escalations)


def test_a_worker_killed_mid_run_and_restarted_delivers_every_reminder_exactly_once(stack, people):
    running = stack(offsets_s=(3600,), mail_delay=1.0)  # '1 h before' is due now for a deadline 30 min away
    incidents = [
        IncidentFactory(due_at=timezone.now() + timedelta(minutes=30), reported_by=people["secretary"])
        for _ in range(6)
    ]
    reminders = Reminder.objects.filter(object_id__in=[i.pk for i in incidents], due_at__lte=timezone.now())
    assert reminders.count() == 6
    wait_until(lambda: reminders.filter(status=Reminder.Status.SENT).count() >= 2, timeout=30, what="2 sent")
    wait_until(lambda: reminders.filter(status=Reminder.Status.SENDING).exists(), timeout=5, what="a claim")
    running.kill_worker()
    (orphan,) = reminders.filter(status=Reminder.Status.SENDING)  # claimed by the dead worker
    running.start_worker()
    try:
        wait_until(
            lambda: reminders.filter(status=Reminder.Status.SENT).count() == 6, timeout=40, what="all 6"
        )
    except BaseException:
        print(running.tail())
        raise
    orphan.refresh_from_db()
    assert orphan.attempts == 2  # taken over after the lease
    assert Notification.objects.count() == 6
    assert sorted(Notification.objects.values_list("reminder_id", flat=True)) == sorted(
        r.pk for r in reminders
    )
    emails = running.emails()
    assert len(emails) == 6 and set(emails.values()) == {1}, emails


def test_a_broker_outage_delays_reminders_and_loses_none(stack, people):
    running = stack(offsets_s=(0,))
    now = timezone.now()
    incidents = [
        IncidentFactory(due_at=now + timedelta(seconds=3 + i / 2), reported_by=people["secretary"])
        for i in range(4)
    ]
    reminders = Reminder.objects.filter(object_id__in=[i.pk for i in incidents], kind="incident_due")
    running.stop_redis()
    time.sleep(6)  # every reminder falls due while the broker is down
    assert not reminders.filter(status=Reminder.Status.SENT).exists()
    running.start_redis()
    try:
        wait_until(
            lambda: reminders.filter(status=Reminder.Status.SENT).count() == 4, timeout=40, what="all 4"
        )
    except BaseException:
        print(running.tail())
        raise
    assert Notification.objects.filter(reminder__in=reminders).count() == 4
    assert set(running.emails().values()) == {1} and len(running.emails()) == 4


def test_messages_lost_with_the_broker_are_handed_over_again_and_delivered_once(stack, people):
    """Redis restarted without persistence while send tasks sat in its queue (no worker up to take them):
    the messages are gone, the rows are not. The sweep hands the rows over again after the re-enqueue delay
    and each reminder is delivered exactly once."""
    running = stack(offsets_s=(3600,))  # '1 h before' is due at once for a deadline 30 min away
    running.kill_worker()
    incidents = [
        IncidentFactory(due_at=timezone.now() + timedelta(minutes=30), reported_by=people["secretary"])
        for _ in range(4)
    ]
    reminders = Reminder.objects.filter(object_id__in=[i.pk for i in incidents], due_at__lte=timezone.now())
    assert reminders.count() == 4
    with app.connection_for_write(running.url) as conn:
        # The sweep, as a worker runs it, publishing to the private Redis.
        swept = sweep_reminders(
            now=timezone.now(),
            enqueue=lambda ids: [send_reminder_task.apply_async(args=[pk], connection=conn) for pk in ids],
        )
    assert sorted(swept.enqueued) == sorted(r.pk for r in reminders)
    assert redis.Redis.from_url(running.url).llen("celery") >= 4  # waiting in Redis, not yet taken
    running.stop_redis()  # SIGKILL, no RDB/AOF: every queued message is lost
    running.start_redis()
    assert redis.Redis.from_url(running.url).llen("celery") == 0
    running.start_worker()
    try:
        wait_until(
            lambda: reminders.filter(status=Reminder.Status.SENT).count() == 4, timeout=40, what="all 4"
        )
    except BaseException:
        print(running.tail())
        raise
    assert set(reminders.values_list("attempts", flat=True)) == {1}
    assert Notification.objects.filter(reminder__in=reminders).count() == 4
    assert set(running.emails().values()) == {1} and len(running.emails()) == 4


def test_changing_t0_moves_the_pending_reminders(stack, people):
    running = stack(offsets_s=(10, 0))
    incident = IncidentFactory(due_at=timezone.now() + timedelta(seconds=40), reported_by=people["secretary"])
    old = list(reminders_for_record(incident).filter(kind="incident_due", status=Reminder.Status.PENDING))
    assert len(old) == 2
    incident.learned_at -= timedelta(seconds=34)  # T0 corrected: the deadline comes 34 s earlier
    incident.due_at -= timedelta(seconds=34)
    incident.save()
    wait_until(lambda: len(_sent(incident, "incident_due")) == 2, timeout=20, what="the moved reminders")
    sent = _sent(incident, "incident_due")
    assert {r.anchor_at for r in sent} == {incident.due_at}
    for reminder in old:
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.CANCELLED and reminder.sent_at is None
    assert len(running.emails()) == 2
