#!/usr/bin/env bash
# A backup of everything the record lives in: the PostgreSQL database (pg_dump, custom format), the
# attachments (MEDIA_ROOT) and the audit checkpoint file, which is kept outside the database on purpose and
# so must be backed up beside it, never inside it.
#
#   scripts/backup.sh           one backup now
#   scripts/backup.sh --loop    one now, then one every BACKUP_INTERVAL_SECONDS (the compose `backup` service)
#
# Environment:
#   DATABASE_URL              postgres://user:password@host:port/name (required)
#   BACKUP_DIR                where backups go, one folder each, named by the UTC time (default /backups)
#   MEDIA_ROOT                the attachments folder (optional: skipped when absent)
#   AUDIT_CHECKPOINT_FILE     the checkpoint file (optional: skipped when absent)
#   BACKUP_RETENTION_DAYS     folders older than this are deleted after a successful backup (default 14)
#   BACKUP_INTERVAL_SECONDS   with --loop (default 86400, daily)
#
# Each folder holds database.dump, media.tar.gz, checkpoints.jsonl and SHA256SUMS; it is written under a
# temporary name and renamed when complete, so a folder with a final name is always a whole backup.
# Restore with scripts/restore.sh (README, "Backups and the restore drill").
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is required}"
BACKUP_DIR="${BACKUP_DIR:-/backups}"
RETENTION_DAYS="${BACKUP_RETENTION_DAYS:-14}"
INTERVAL="${BACKUP_INTERVAL_SECONDS:-86400}"

case "$RETENTION_DAYS" in '' | *[!0-9]*) echo "BACKUP_RETENTION_DAYS must be a whole number of days" >&2; exit 2 ;; esac
case "$INTERVAL" in '' | *[!0-9]*) echo "BACKUP_INTERVAL_SECONDS must be a whole number of seconds" >&2; exit 2 ;; esac

backup_once() {
  local stamp work final
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  final="$BACKUP_DIR/$stamp"
  work="$BACKUP_DIR/.partial-$stamp"
  mkdir -p "$work"
  # One consistent snapshot of the database: pg_dump runs in a single repeatable-read transaction.
  pg_dump --dbname="$DATABASE_URL" --format=custom --no-owner --no-privileges --file="$work/database.dump"
  if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -czf "$work/media.tar.gz" -C "$MEDIA_ROOT" .
  fi
  if [ -n "${AUDIT_CHECKPOINT_FILE:-}" ] && [ -f "$AUDIT_CHECKPOINT_FILE" ]; then
    cp "$AUDIT_CHECKPOINT_FILE" "$work/checkpoints.jsonl"
  fi
  (cd "$work" && sha256sum -- * > SHA256SUMS)
  mv "$work" "$final"
  echo "backup written: $final"
  # Retention only after a backup succeeded, and only of complete backups (named by their UTC time).
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime "+$RETENTION_DAYS" -print \
    -exec rm -rf {} + | sed 's/^/backup deleted (retention): /'
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '.partial-*' -mmin +1440 -exec rm -rf {} +
}

mkdir -p "$BACKUP_DIR"
if [ "${1:-}" = "--loop" ]; then
  while true; do
    # A failed backup is reported and retried at the next interval rather than stopping the service.
    backup_once || echo "backup FAILED at $(date -u +%FT%TZ)" >&2
    sleep "$INTERVAL"
  done
else
  backup_once
fi
