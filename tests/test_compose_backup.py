"""The compose file backs up the record every day: the database, the attachments and the audit checkpoint
file, to a volume of its own, with a retention setting (scripts/backup.sh; restore drill in the README).
The backup and restore themselves run for real in tests/services/test_backup_restore.py."""

import os
from urllib.parse import urlsplit

import pytest

from tests.test_compose import (  # noqa: F401  (fixtures)
    ROOT,
    command_words,
    compose,
    environment,
    interpolate,
    services,
    shared_env,
    volume_targets,
)

BACKUP_SCRIPT = "scripts/backup.sh"


@pytest.fixture
def backup(services):  # noqa: F811
    assert "backup" in services, "docker-compose.yml has no backup service"
    return services["backup"]


def test_backup_runs_the_script_in_a_loop_with_the_servers_pg_dump(services, backup):  # noqa: F811
    assert backup["image"].split(":")[0] == "postgres"
    assert backup["image"] == services["postgres"]["image"], "pg_dump must match the server's major version"
    words = command_words(backup["entrypoint"])
    assert words[-2:] == ["/scripts/backup.sh", "--loop"], words
    mounts = volume_targets(backup)
    assert mounts["/scripts/backup.sh"].endswith(BACKUP_SCRIPT)
    assert os.access(ROOT / BACKUP_SCRIPT, os.X_OK)
    assert backup["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_backup_reads_the_same_database_attachments_and_checkpoints(compose, services, shared_env, backup):  # noqa: F811
    env = environment(backup)
    ours, theirs = (
        urlsplit(interpolate(env["DATABASE_URL"])),
        urlsplit(interpolate(shared_env["DATABASE_URL"])),
    )
    assert (ours.hostname, ours.path, ours.username) == (theirs.hostname, theirs.path, theirs.username)
    assert "${POSTGRES_PASSWORD" in env["DATABASE_URL"]
    web = volume_targets(services["web"])
    mine = volume_targets(backup)
    media, checkpoints = interpolate(env["MEDIA_ROOT"]), interpolate(env["AUDIT_CHECKPOINT_FILE"])
    assert mine[media] == web[interpolate(shared_env["MEDIA_ROOT"])]
    checkpoint_dir = os.path.dirname(checkpoints)
    assert mine[checkpoint_dir] == web[os.path.dirname(interpolate(shared_env["AUDIT_CHECKPOINT_FILE"]))]
    # Backups read the live volumes and never write them.
    ro = {entry.split(":")[1] for entry in backup["volumes"] if entry.endswith(":ro")}
    assert {media, checkpoint_dir} <= ro, ro


def test_backups_have_their_own_volume_and_a_retention(compose, backup):  # noqa: F811
    env = environment(backup)
    target = interpolate(env["BACKUP_DIR"])
    assert volume_targets(backup)[target] in compose["volumes"]
    assert int(interpolate(env["BACKUP_RETENTION_DAYS"])) > 0
    assert int(interpolate(env["BACKUP_INTERVAL_SECONDS"])) == 86400
