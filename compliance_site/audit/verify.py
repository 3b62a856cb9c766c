"""Checking the audit chain end to end."""

from dataclasses import dataclass

from .models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first row whose hash, link or sequence number is wrong."""
    expected_prev = "0" * 64
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, event.seq, event.pk, f"expected #{expected_seq}: entries missing"
            )
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.seq, event.pk, "link to the previous entry is broken")
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.seq, event.pk, "contents do not match the stored hash")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(False, checked, head.last_seq, None, "the chain ends before its recorded head")
    return ChainReport(True, checked)
