#!/usr/bin/env bash
# Restore one backup written by scripts/backup.sh into an EMPTY database, and its attachments and audit
# checkpoint file beside it. Refuses a database that already has tables: a restore never merges into, or
# overwrites, a live record.
#
#   scripts/restore.sh BACKUP_FOLDER
#
# Environment:
#   DATABASE_URL           the empty target database (create it first: createdb ...)
#   MEDIA_ROOT             where to unpack the attachments (optional)
#   AUDIT_CHECKPOINT_FILE  where to put the checkpoint file (optional; refused if one exists there)
#
# Then check the restored trail: `python manage.py verify_audit_log` with the same AUDIT_CHAIN_KEY.
set -euo pipefail

folder="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL (the empty target database) is required}"
[ -f "$folder/database.dump" ] || { echo "no database.dump in $folder" >&2; exit 2; }

# The checksums first: a damaged backup stops here, before anything is written.
(cd "$folder" && sha256sum --check --quiet SHA256SUMS)

tables="$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "the target database has $tables tables: restore only into a new, empty database" >&2
  exit 2
fi

pg_restore --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error "$folder/database.dump"
echo "database restored from $folder/database.dump"

if [ -n "${MEDIA_ROOT:-}" ] && [ -f "$folder/media.tar.gz" ]; then
  mkdir -p "$MEDIA_ROOT"
  tar -xzf "$folder/media.tar.gz" -C "$MEDIA_ROOT"
  echo "attachments restored into $MEDIA_ROOT"
fi
if [ -n "${AUDIT_CHECKPOINT_FILE:-}" ] && [ -f "$folder/checkpoints.jsonl" ]; then
  if [ -e "$AUDIT_CHECKPOINT_FILE" ]; then
    echo "a checkpoint file exists at $AUDIT_CHECKPOINT_FILE: left as it is (compare it with the backup's copy)" >&2
  else
    mkdir -p "$(dirname "$AUDIT_CHECKPOINT_FILE")"
    cp "$folder/checkpoints.jsonl" "$AUDIT_CHECKPOINT_FILE"
    echo "audit checkpoints restored to $AUDIT_CHECKPOINT_FILE"
  fi
fi
