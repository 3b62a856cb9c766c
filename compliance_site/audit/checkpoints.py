"""Checkpoints of the audit chain's head, kept outside the database (docs/architecture.md, the audit trail).

The keyed chain stops a forger without AUDIT_CHAIN_KEY from writing a valid entry, but not from removing
entries at the end (truncating the tail, deleting the head) or, for entries from before the keyed chain,
from rebuilding them. A checkpoint pins what the head was at a moment: `{"seq", "hash", "at"}`, one JSON
line each, appended (O_APPEND, fsync, never truncated) to a file the database does not hold:

- every AUDIT_CHECKPOINT_EVERY-th entry, once its transaction commits (`schedule_for`);
- periodically from Celery beat (`tasks.checkpoint_task`) and on demand (`manage.py audit_checkpoint`);
- and it is printed on generated documents and export bundles (`current_checkpoint`), so copies live with
  their readers too.

`manage.py verify_audit_log` reads them back: a checkpoint beyond the table's last entry means entries were
removed; one whose hash differs from the stored entry means the entry was rewritten.
"""

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

# Enough of the file's end to hold the last checkpoints even when concurrent writers interleave.
_TAIL_BYTES = 64 * 1024


class CheckpointError(Exception):
    """The head contradicts an earlier checkpoint: refuse to bless it with a new one."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str = ""

    @property
    def token(self) -> str:
        """`SEQ:HASH`, the form printed on documents and accepted by `verify_audit_log --checkpoint`."""
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, token: str) -> "Checkpoint":
        seq, sep, digest = token.strip().partition(":")
        if not sep or not seq.isdigit() or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError(f"{token!r} is not a checkpoint: expected SEQ:HASH (64 hex digits)")
        return cls(int(seq), digest)


@dataclass(frozen=True)
class CheckpointLine:
    line: int
    checkpoint: Checkpoint | None  # None: the line could not be read


def checkpoint_path() -> Path:
    """AUDIT_CHECKPOINT_FILE, or by default one file per database under VAR_DIR/audit-checkpoints/ (so a
    test database never writes into the development database's checkpoints)."""
    if settings.AUDIT_CHECKPOINT_FILE:
        return Path(settings.AUDIT_CHECKPOINT_FILE)
    name = str(connection.settings_dict.get("NAME") or "default")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(name).name or name).strip("-.") or "default"
    return Path(settings.VAR_DIR) / "audit-checkpoints" / f"{slug}.jsonl"


def append_checkpoint(seq: int, digest: str, *, path: Path | None = None) -> Checkpoint:
    """Append one checkpoint line: opened O_APPEND (never truncated or rewritten), written in one write()
    and fsynced before returning."""
    path = path or checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = Checkpoint(seq, digest, datetime.now(UTC).isoformat(timespec="seconds"))
    line = json.dumps({"seq": seq, "hash": digest, "at": checkpoint.at}, separators=(",", ":")) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint


def _parse(number: int, raw: str) -> CheckpointLine:
    try:
        data = json.loads(raw)
        checkpoint = Checkpoint(int(data["seq"]), str(data["hash"]), str(data.get("at", "")))
    except (ValueError, TypeError, KeyError):
        return CheckpointLine(number, None)
    return CheckpointLine(number, checkpoint)


def read_checkpoints(path: Path | None = None) -> Iterator[CheckpointLine]:
    """Every line of the file, numbered from 1; an unreadable line is yielded with checkpoint None."""
    path = path or checkpoint_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield _parse(number, raw)


def latest_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """The checkpoint with the highest seq among the last lines of the file (cheap on a long file)."""
    path = path or checkpoint_path()
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = tail.splitlines()
    if size > _TAIL_BYTES:
        lines = lines[1:]  # the first one is probably cut
    found = [c.checkpoint for c in (_parse(0, raw) for raw in lines if raw.strip()) if c.checkpoint]
    return max(found, key=lambda c: c.seq, default=None)


def current_checkpoint() -> Checkpoint | None:
    """The latest checkpoint, for printing on generated documents and export bundles (as `.token`,
    "SEQ:HASH"): an auditor holding the document checks it with `verify_audit_log --checkpoint SEQ:HASH`.
    None before the first checkpoint is written."""
    return latest_checkpoint()


def write_checkpoint() -> Checkpoint | None:
    """Checkpoint the committed head now (beat, `manage.py audit_checkpoint`).

    Call it outside a transaction: inside one, the head may include entries that are later rolled back.
    Refuses (CheckpointError) when the head contradicts the latest checkpoint, since a new checkpoint must
    never bless a truncated or rewritten chain. Nothing is written for an empty chain or an unchanged head.
    """
    from .models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    previous = latest_checkpoint()
    if previous is not None:
        if last is None or last.seq < previous.seq:
            raise CheckpointError(
                f"checkpoint #{previous.seq} is beyond the last entry "
                f"#{last.seq if last else 0}: entries were removed"
            )
        pinned = AuditEvent.objects.filter(seq=previous.seq).values_list("hash", flat=True).first()
        if pinned != previous.hash:
            raise CheckpointError(f"checkpoint #{previous.seq} does not match the stored entry")
        if last.seq == previous.seq:
            return previous
    if last is None:
        return None
    return append_checkpoint(last.seq, last.hash)


def schedule_for(event) -> None:
    """Called by the recorder for each new entry: every AUDIT_CHECKPOINT_EVERY-th one is checkpointed once
    its transaction commits (a rolled-back entry is never checkpointed)."""
    every = settings.AUDIT_CHECKPOINT_EVERY
    if every and event.seq % every == 0:
        seq, digest = event.seq, event.hash
        # robust: a full disk is logged, never turned into an error for a change already committed.
        transaction.on_commit(lambda: append_checkpoint(seq, digest), robust=True)
