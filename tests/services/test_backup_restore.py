"""The restore drill, for real: back up the PostgreSQL test database with scripts/backup.sh (the compose
`backup` service's script), restore it into a new database with scripts/restore.sh, and verify the restored
audit trail against the checkpoint file that came back with it. Run by `make test-services`."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from compliance_site.audit.models import AuditEvent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = (db.get("USER") or "") + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}{'@' if auth else ''}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def _admin(sql: str) -> None:
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def _run(args, env):
    result = subprocess.run(
        args, env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def drill_database():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (make test-services)")
    name = f"restore_drill_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_new_database_and_its_trail_verifies(
    drill_database, clawback_case, tmp_path, settings
):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "live" / "checkpoints.jsonl")
    call_command("audit_checkpoint")
    media = tmp_path / "live" / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "minutes.txt").write_text("committee minutes")
    events = AuditEvent.objects.count()
    assert events > 0

    _run(
        ["bash", "scripts/backup.sh"],
        {
            "DATABASE_URL": _url(connection.settings_dict["NAME"]),
            "BACKUP_DIR": str(tmp_path / "backups"),
            "MEDIA_ROOT": str(media),
            "AUDIT_CHECKPOINT_FILE": settings.AUDIT_CHECKPOINT_FILE,
            "BACKUP_RETENTION_DAYS": "14",
        },
    )
    (folder,) = [p for p in (tmp_path / "backups").iterdir() if not p.name.startswith(".")]
    assert {p.name for p in folder.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "checkpoints.jsonl",
        "SHA256SUMS",
    }

    restored = tmp_path / "restored"
    target = {
        "DATABASE_URL": _url(drill_database),
        "MEDIA_ROOT": str(restored / "media"),
        "AUDIT_CHECKPOINT_FILE": str(restored / "checkpoints.jsonl"),
    }
    _run(["bash", "scripts/restore.sh", str(folder)], target)
    assert (restored / "media" / "attachments" / "minutes.txt").read_text() == "committee minutes"

    # The restored trail, read by a fresh process on the new database with the same key and the restored
    # checkpoints: every entry verifies and the checkpoint taken before the backup matches.
    out = _run(
        [sys.executable, "manage.py", "verify_audit_log", "--checkpoints", target["AUDIT_CHECKPOINT_FILE"]],
        {
            **target,
            "AUDIT_CHAIN_KEY": settings.AUDIT_CHAIN_KEY,
            "DJANGO_SETTINGS_MODULE": "compliance_site.settings",
        },
    )
    assert f"audit log OK: {events} entries verified" in out
    assert "1 checkpoints matched" in out

    # A second restore into the same, now populated, database is refused: a restore never merges.
    again = subprocess.run(
        ["bash", "scripts/restore.sh", str(folder)],
        env={**os.environ, **target},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "restore only into a new, empty database" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(drill_database, tmp_path):
    _run(
        ["bash", "scripts/backup.sh"],
        {"DATABASE_URL": _url(connection.settings_dict["NAME"]), "BACKUP_DIR": str(tmp_path)},
    )
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    with open(folder / "database.dump", "r+b") as dump:
        dump.seek(200)
        dump.write(b"\x00\x01\x02")
    env = {"DATABASE_URL": _url(drill_database)}
    damaged = subprocess.run(
        ["bash", "scripts/restore.sh", str(folder)],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert damaged.returncode != 0
    with psycopg2.connect(_url(drill_database)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] == 0
