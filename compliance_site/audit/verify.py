"""Checking the audit chain end to end, and against the checkpoints kept outside the database.

Every problem is reported (not only the first), each naming the entry or checkpoint by its seq:

- an entry whose seq skips (entries deleted), whose link to the previous entry is broken, whose hash does
  not match its contents under its scheme (a keyed entry altered or forged without AUDIT_CHAIN_KEY), or that
  is unkeyed although keyed entries precede it (a forger falling back to plain SHA-256);
- a checkpoint beyond the last entry (the tail truncated, the head deleted, the table emptied), or whose
  hash differs from the stored entry at its seq (the entry or the chain up to it rewritten);
- a chain head row that is missing or does not match the last entry.

See docs/architecture.md (the audit trail) for the design.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .checkpoints import Checkpoint, CheckpointLine, read_checkpoints
from .models import AuditEvent, AuditHead, Scheme

GENESIS = "0" * 64


@dataclass(frozen=True)
class Problem:
    where: str
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Entries walked before the first broken one (all of them when only checkpoints or the head disagree).
    verified_before_first: int | None = None
    checkpoints_matched: int = 0
    checkpoints_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(
    *,
    checkpoints: Iterable[CheckpointLine] | None = None,
    given: Iterable[Checkpoint] = (),
    key: str | None = None,
    batch_size: int = 2000,
) -> ChainReport:
    """Walk the chain in seq order and check it, the head row, the checkpoints (`checkpoints`, by default
    the checkpoint file) and any `given` ones (e.g. read off a document)."""
    report = ChainReport()
    pins: dict[int, list[tuple[str, Checkpoint]]] = {}
    for line in read_checkpoints() if checkpoints is None else checkpoints:
        report.checkpoints_read += 1
        if line.checkpoint is None:
            report.problems.append(Problem(f"checkpoint file line {line.line}", None, "unreadable line"))
        else:
            pins.setdefault(line.checkpoint.seq, []).append(
                (f"checkpoint #{line.checkpoint.seq}", line.checkpoint)
            )
    for checkpoint in given:
        pins.setdefault(checkpoint.seq, []).append((f"checkpoint #{checkpoint.seq} (given)", checkpoint))

    def pin(seq: int, stored_hash: str) -> None:
        for label, checkpoint in pins.pop(seq, []):
            if checkpoint.hash == stored_hash:
                report.checkpoints_matched += 1
            else:
                report.problems.append(
                    Problem(
                        label,
                        seq,
                        f"hash {checkpoint.hash[:12]}… differs from the stored entry's {stored_hash[:12]}…: "
                        "the entry, or the chain up to it, was rewritten",
                    )
                )

    pin(0, GENESIS)
    expected_prev, expected_seq, seen_keyed, last_seq = GENESIS, 1, False, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        where = f"entry #{event.seq} (row id {event.pk})"
        found = []
        if event.seq != expected_seq:
            missing = f"#{expected_seq}" + (f"-#{event.seq - 1}" if event.seq - 1 > expected_seq else "")
            found.append(f"expected #{expected_seq}: entries missing ({missing} deleted)")
        elif event.prev_hash != expected_prev:
            found.append("link to the previous entry is broken")
        if event.scheme not in Scheme.values:
            found.append(f"unknown hash scheme {event.scheme!r}")
        elif event.scheme == Scheme.SHA256 and seen_keyed:
            found.append("unkeyed entry after keyed entries: not written by the application")
        elif event.compute_hash(key=key) != event.hash:
            found.append("contents do not match the stored hash")
        if found and report.verified_before_first is None:
            report.verified_before_first = report.checked
        report.problems.extend(Problem(where, event.seq, message) for message in found)
        pin(event.seq, event.hash)
        seen_keyed = seen_keyed or event.scheme == Scheme.HMAC_SHA256
        expected_prev, expected_seq, last_seq = event.hash, event.seq + 1, event.seq
        report.checked += 1

    for seq in sorted(pins):
        for label, _ in pins[seq]:
            if seq > last_seq:
                message = (
                    f"beyond the last entry #{last_seq}: entries were removed "
                    "(tail truncated, head deleted or table emptied)"
                )
            else:
                message = f"no entry #{seq} in the table: it was deleted"
            report.problems.append(Problem(label, seq, message))

    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if last_seq:
            report.problems.append(Problem("head", None, "the chain head row is missing"))
    elif head.last_seq > last_seq:
        report.problems.append(
            Problem(
                f"head #{head.last_seq}",
                head.last_seq,
                f"the chain ends before its recorded head (last entry #{last_seq})",
            )
        )
    elif (head.last_seq, head.last_hash) != (last_seq, expected_prev):
        report.problems.append(
            Problem(f"head #{head.last_seq}", head.last_seq, f"does not match the last entry #{last_seq}")
        )
    if report.problems and report.verified_before_first is None:
        report.verified_before_first = report.checked
    return report
