"""Benchmark: the reminder sweep over 100,000 pending reminders, 1,000 of them due, on PostgreSQL.

The figure only means something on PostgreSQL (the partial index, FOR UPDATE SKIP LOCKED): `run()` creates a
throwaway database `bench_sweep` on postgres://postgres@127.0.0.1:5432 (BENCH_PG_URL overrides), migrates it
and times the sweep in a child process pointed at it, then drops it. bench/run.py clones `bench_sweep` from
the freshly migrated web-benchmark database and calls `run(prepared=True)`, which skips creating it (the
child's migrate then has nothing to do).
The row's note carries the EXPLAIN of the sweep's query, showing the index it uses. When PostgreSQL does not
answer, the row says so instead of giving a number.

The sweep's figure is the database work (find the due rows, mark them handed over, commit) with a no-op
publisher. Handing the ids to the broker happens after the commit, outside the transaction; when Redis
answers at BENCH_REDIS_URL (default redis://127.0.0.1:6379/15, a database no worker reads) a second,
informational row times `enqueue_reminders` publishing the 1,000 ids there (one message per reminder, so
it is about one Redis round trip each), then deletes the queue.

`python bench/bench_sweep.py` prints the rows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/bench_sweep.py` imports bench.pg
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASE = "bench_sweep"
PENDING = 100_000
DUE = 1_000
SENT_HISTORY = 100_000  # reminders sent long ago: the partial index must not care about them
REPEATS = 5
TARGET_SECONDS = 1.0
NAME = f"reminder sweep: {PENDING:,} pending, {DUE:,} due (PostgreSQL)"


def run(*, prepared: bool = False) -> list[dict]:
    try:
        if not prepared:
            _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
    except Exception as exc:  # no server, no psycopg2, no rights: say so, never a made-up figure
        return [
            {
                "name": NAME + " — not measured",
                "value": float("nan"),
                "unit": "s",
                "target": TARGET_SECONDS,
                "note": f"PostgreSQL unreachable at {PG_URL}: {type(exc).__name__}: {exc}".strip(),
            }
        ]
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{PG_URL}/{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "compliance_site.settings",
            "LOG_LEVEL": "WARNING",
            # bench/run.py runs everything else eagerly; the publish row measures real broker messages.
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        if _redis_answers():
            env["CELERY_BROKER_URL"] = env["CELERY_RESULT_BACKEND"] = REDIS_URL
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if child.returncode != 0:
            return [
                {
                    "name": NAME + " — failed",
                    "value": float("nan"),
                    "unit": "s",
                    "target": TARGET_SECONDS,
                    "note": child.stderr[-2000:],
                }
            ]
        print(child.stderr.strip()[-500:], file=sys.stderr)
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        try:
            _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        except Exception as exc:  # leave it; the next run drops it first
            print(f"could not drop {DATABASE}: {exc}", file=sys.stderr)


def _admin(*statements: str) -> None:
    from bench.pg import admin

    admin(PG_URL, *statements, connect_timeout=3)


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # no server or no client library: the publish row is left out
        return False


# ---- the child: Django on the throwaway PostgreSQL database ----


def _child() -> None:
    import django

    django.setup()

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    from compliance_site.notifications import services, sources
    from compliance_site.notifications.models import Reminder
    from regfd.models import Incident

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Incident).pk
    with transaction.atomic(), connection.cursor() as cursor:
        # The fixture rows go in without the row-history triggers (as if they predated row history): each
        # trigger call opens a subtransaction, and 200,000 of them in one statement took 392 s on the bench
        # machine. The sweep's own UPDATEs below fire them as in production.
        cursor.execute("SET LOCAL session_replication_role = replica")
        # Set-based seeding: 100,000 pending (1,000 of them due in the last hour, the rest over the next
        # 30 days) and 100,000 sent long ago.
        cursor.execute(
            """
            INSERT INTO notifications_reminder
                (content_type_id, object_id, kind, due_at, anchor_at, label, roles, rule_version, status,
                 attempts, last_error, created_at, recipient_count, sent_at)
            SELECT %(ct)s, g, 'incident_due',
                   CASE WHEN g <= %(due)s THEN %(now)s - (g || ' seconds')::interval
                        ELSE %(now)s + ((g * 26) || ' seconds')::interval END,
                   %(now)s, 'bench', 'secretary', 'reminders/1', 'pending', 0, '', %(now)s, 0, NULL
            FROM generate_series(1, %(pending)s) AS g
            UNION ALL
            SELECT %(ct)s, g, 'incident_due', %(now)s - ((g * 60) || ' seconds')::interval, %(now)s, 'bench',
                   'secretary', 'reminders/1', 'sent', 1, '', %(now)s, 1, %(now)s
            FROM generate_series(%(pending)s + 1, %(pending)s + %(sent)s) AS g
            """,
            {"ct": content_type, "due": DUE, "now": now, "pending": PENDING, "sent": SENT_HISTORY},
        )
        cursor.execute("ANALYZE notifications_reminder")
    print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    config = sources.current_config()
    timings, handed = [], []
    for _ in range(REPEATS):
        Reminder.objects.filter(status="pending").update(enqueued_at=None)  # each run finds the 1,000 again
        started = time.perf_counter()
        result = services.sweep_reminders(now=now, enqueue=lambda ids: None)
        timings.append(time.perf_counter() - started)
        handed.append(len(result.enqueued))
    assert set(handed) == {DUE}, handed
    with transaction.atomic(), connection.cursor() as cursor:
        Reminder.objects.filter(status="pending").update(enqueued_at=None)
        sql, params = services.due_for_sweep(now=now, config=config).query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    uses_index = any("reminder_pending_due_idx" in line for line in plan)
    rows = [
        {
            "name": NAME,
            "value": statistics.median(timings),
            "unit": "s",
            "target": TARGET_SECONDS,
            "note": (
                f"median of {REPEATS} sweeps (max {max(timings):.3f} s), each handing over {DUE:,} ids; "
                f"plus {SENT_HISTORY:,} sent rows. "
                + (
                    "Uses reminder_pending_due_idx. "
                    if uses_index
                    else "DOES NOT use reminder_pending_due_idx. "
                )
                + "EXPLAIN: "
                + " | ".join(line.strip() for line in plan)
            ),
        },
        {
            "name": "reminder sweep query: due ids via the partial index",
            "value": _time_query(services.due_for_sweep(now=now, config=config)),
            "unit": "s",
            "target": 0.1,
            "note": "the SELECT … FOR UPDATE SKIP LOCKED alone, inside a transaction, median of 5",
        },
    ]
    if os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        rows.append(_time_publish(services, list(result.enqueued)))
    print(json.dumps(rows))


def _time_publish(services, ids) -> dict:
    """enqueue_reminders(ids) against the benchmark's Redis database, which no worker reads."""
    from compliance_site.celery import app

    timings = []
    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        for _ in range(3):
            client.delete("celery")
            started = time.perf_counter()
            published = services.enqueue_reminders(ids)
            timings.append(time.perf_counter() - started)
            assert published == len(ids) == client.llen("celery"), (published, client.llen("celery"))
        client.delete("celery")
    return {
        "name": f"handing the {len(ids):,} due ids to Redis (after the sweep's commit)",
        "value": statistics.median(timings),
        "unit": "s",
        "note": f"enqueue_reminders: one message per reminder, median of 3 (max {max(timings):.3f} s); "
        "outside the database transaction, so rows are never locked while it runs",
    }


def _time_query(queryset) -> float:
    from django.db import transaction

    timings = []
    for _ in range(REPEATS):
        with transaction.atomic():
            started = time.perf_counter()
            list(queryset.all())
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        for row in run():
            print(f"{row['name']}: {row['value']:.4g} {row['unit']}  (target {row.get('target', '—')})")
            print(f"  {row.get('note', '')}")
