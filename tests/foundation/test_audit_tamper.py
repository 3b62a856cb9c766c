"""Rewriting the audit trail with database access is detected (the issue's finding 5).

An attacker here has full SQL access through the application's role (tampering with raw SQL, the row
trigger disabled as needed) but not AUDIT_CHAIN_KEY, which lives in the environment, nor the checkpoint file
outside the database. Each case below passed `verify_audit_log` before the keyed chain and the checkpoints;
each must now fail it with a line naming the seq.
"""

import io
import json
import os
import re
import secrets
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from compliance_site.audit import checkpoints, models
from compliance_site.audit.checkpoints import CheckpointError, append_checkpoint, write_checkpoint
from compliance_site.audit.models import AuditEvent, AuditHead, Scheme
from compliance_site.audit.recorder import record_action
from tests.factories import CompanyFactory

PG = "postgresql"
ROW_TRIGGER = "audit_event_append_only"
TRUNCATE_TRIGGER = "audit_event_no_truncate"


@pytest.fixture(autouse=True)
def _key_and_file(settings, tmp_path):
    settings.AUDIT_CHAIN_KEY = f"test-only-{secrets.token_hex(24)}"
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    settings.AUDIT_CHECKPOINT_EVERY = 1000


def _actions(company, count: int) -> None:
    for _ in range(count):
        record_action(actor=None, verb="approve", obj=company, details={"n": secrets.token_hex(4)})


@pytest.fixture
def chain(company):
    """Ten or more keyed entries, checkpointed (as beat would) in the middle and at the head."""
    _actions(company, 6)
    middle = write_checkpoint()
    _actions(company, 4)
    head = write_checkpoint()
    events = list(AuditEvent.objects.order_by("seq"))
    assert {e.scheme for e in events} == {Scheme.HMAC_SHA256}
    assert (middle.seq, head.seq) == (events[-5].seq, events[-1].seq)
    return events, middle.seq, head.seq


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit_log", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as excinfo:
        verify(*args)
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


def _sql(sql: str, params=()) -> None:
    """Raw SQL as the attacker, past the row trigger on PostgreSQL (restored afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == PG:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {ROW_TRIGGER}")
        cursor.execute(sql, list(params))
        if connection.vendor == PG:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {ROW_TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _json(value) -> tuple[str, str]:
    return ("%s::jsonb" if connection.vendor == PG else "%s"), json.dumps(value)


def _insert(event: AuditEvent) -> None:
    placeholder, changes = _json(event.changes)
    _sql(
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_repr, action, verb, object_type, object_id, "
        "object_repr, changes, reason, prev_hash, hash, scheme) "
        f"VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, %s, {placeholder}, %s, %s, %s, %s)",
        [
            event.seq,
            connection.ops.adapt_datetimefield_value(event.at),
            event.actor_repr,
            event.action,
            event.verb,
            event.object_type,
            event.object_id,
            event.object_repr,
            changes,
            event.reason,
            event.prev_hash,
            event.hash,
            event.scheme,
        ],
    )


def _rewrite(event: AuditEvent) -> None:
    placeholder, changes = _json(event.changes)
    _sql(
        f"UPDATE audit_auditevent SET reason = %s, changes = {placeholder}, prev_hash = %s, hash = %s, "
        "scheme = %s WHERE id = %s",
        [event.reason, changes, event.prev_hash, event.hash, event.scheme, event.pk],
    )


def _move_head(seq: int, digest: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, digest])


def _forge_after(last: AuditEvent, *, scheme: str, key: str | None) -> AuditEvent:
    forged = AuditEvent(
        seq=last.seq + 1,
        at=last.at,
        actor_repr="counsel",
        action="action",
        verb="approve",
        object_type=last.object_type,
        object_id=last.object_id,
        object_repr=last.object_repr,
        changes={"approved": True},
        reason="Approved at the meeting",
        prev_hash=last.hash,
        scheme=scheme,
    )
    forged.hash = forged.compute_hash(key=key)
    return forged


def _lines(message: str) -> list[str]:
    return message.splitlines()[1:]


# ---------------------------------------------------------------------------------------------------------
# Intact chains verify
# ---------------------------------------------------------------------------------------------------------


def test_a_clean_keyed_chain_verifies_with_its_checkpoints(chain):
    events, _, _ = chain
    assert verify().strip() == f"audit log OK: {len(events)} entries verified, 2 checkpoints matched"
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_old_unkeyed_entries_followed_by_keyed_ones_verify(db, monkeypatch):
    """Entries written before the keyed chain keep their plain SHA-256; the first keyed entry links to the
    last plain one."""
    with monkeypatch.context() as patch:
        patch.setattr(models, "WRITE_SCHEME", Scheme.SHA256)
        company = CompanyFactory()
        _actions(company, 3)
    _actions(company, 3)
    events = list(AuditEvent.objects.order_by("seq"))
    plain = [e for e in events if e.scheme == Scheme.SHA256]
    keyed = [e for e in events if e.scheme == Scheme.HMAC_SHA256]
    assert plain and keyed and events == plain + keyed
    assert keyed[0].prev_hash == plain[-1].hash
    assert all(e.hash == e.compute_hash(key="any key at all") for e in plain)  # unkeyed
    assert "audit log OK" in verify()


# ---------------------------------------------------------------------------------------------------------
# The tampering cases of finding 5
# ---------------------------------------------------------------------------------------------------------


def test_forged_row_with_a_correct_plain_hash_and_a_moved_head(chain):
    events, _, _ = chain
    forged = _forge_after(events[-1], scheme=Scheme.SHA256, key=None)
    _insert(forged)
    _move_head(forged.seq, forged.hash)
    message = broken()
    assert re.search(rf"^entry #{forged.seq} \(row id \d+\): unkeyed entry after keyed", message, re.M), (
        message
    )


def test_forged_row_with_a_keyed_hash_computed_without_the_key(chain):
    """The forger's best guess at the key: the public development key (or any other) is not it."""
    events, _, _ = chain
    forged = _forge_after(
        events[-1], scheme=Scheme.HMAC_SHA256, key=django_settings.DEVELOPMENT_AUDIT_CHAIN_KEY
    )
    _insert(forged)
    _move_head(forged.seq, forged.hash)
    message = broken()
    assert _lines(message) == [
        f"entry #{forged.seq} (row id {AuditEvent.objects.get(seq=forged.seq).pk}): "
        "contents do not match the stored hash"
    ], message


@pytest.mark.parametrize("attacker_key", [None, "a guessed key"], ids=["as-plain", "guessed-key"])
def test_edited_row_with_the_chain_recomputed_after_it(chain, attacker_key):
    events, middle, head = chain
    target = 3
    prev = events[target - 2].hash
    for event in events[target - 1 :]:
        if event.seq == target:
            event.reason = "No objection was raised"
        event.prev_hash = prev
        event.scheme = Scheme.SHA256 if attacker_key is None else Scheme.HMAC_SHA256
        event.hash = event.compute_hash(key=attacker_key)
        _rewrite(event)
        prev = event.hash
    _move_head(events[-1].seq, prev)
    message = broken()
    assert re.search(rf"^entry #{target} \(row id \d+\): ", message, re.M), message
    assert re.search(rf"^checkpoint #{middle}: hash .* differs from the stored entry", message, re.M), message
    assert re.search(rf"^checkpoint #{head}: hash .* differs", message, re.M), message


def test_an_unkeyed_chain_rebuilt_from_the_start_is_caught_by_its_checkpoint(db, monkeypatch):
    """Entries from before the keyed chain can be recomputed by anyone; only the checkpoint shows it."""
    monkeypatch.setattr(models, "WRITE_SCHEME", Scheme.SHA256)
    _actions(CompanyFactory(), 5)
    pinned = write_checkpoint()
    events = list(AuditEvent.objects.order_by("seq"))
    prev = "0" * 64
    for event in events:
        if event.seq == 2:
            event.reason = "Backdated approval"
        event.prev_hash = prev
        event.hash = event.compute_hash()
        _rewrite(event)
        prev = event.hash
    _move_head(events[-1].seq, prev)
    message = broken()
    assert _lines(message) == [
        f"checkpoint #{pinned.seq}: hash {pinned.hash[:12]}… differs from the stored entry's {prev[:12]}…: "
        "the entry, or the chain up to it, was rewritten"
    ], message


def test_truncated_tail_with_the_head_moved_back(chain):
    events, middle, head = chain
    keep = events[middle - 3]  # entry #(middle - 2)
    _sql("DELETE FROM audit_auditevent WHERE seq > %s", [keep.seq])
    _move_head(keep.seq, keep.hash)
    message = broken()
    assert _lines(message) == [
        f"checkpoint #{seq}: beyond the last entry #{keep.seq}: entries were removed "
        "(tail truncated, head deleted or table emptied)"
        for seq in (middle, head)
    ], message


@pytest.mark.parametrize("with_head_row", [False, True], ids=["head-entry", "head-entry-and-head-row"])
def test_deleted_head(chain, with_head_row):
    events, _, head = chain
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [head])
    if with_head_row:
        AuditHead.objects.filter(id=1).delete()
    message = broken()
    assert re.search(rf"^checkpoint #{head}: beyond the last entry #{head - 1}", message, re.M), message
    if with_head_row:
        assert re.search(r"^head: the chain head row is missing$", message, re.M), message
    else:
        assert re.search(rf"^head #{head}: the chain ends before its recorded head", message, re.M), message


@pytest.mark.parametrize("where", ["between-checkpoints", "at-a-checkpoint"])
def test_deleted_middle_row(chain, where):
    events, middle, _ = chain
    seq = middle - 1 if where == "between-checkpoints" else middle
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
    message = broken()
    assert re.search(rf"^entry #{seq + 1} \(row id \d+\): expected #{seq}: entries missing", message, re.M)
    if where == "at-a-checkpoint":
        assert re.search(rf"^checkpoint #{seq}: no entry #{seq} in the table", message, re.M), message


def test_emptied_table_is_caught_by_the_checkpoints(chain):
    events, middle, head = chain
    _sql("DELETE FROM audit_auditevent")
    _move_head(0, "0" * 64)
    message = broken()
    assert _lines(message) == [
        f"checkpoint #{seq}: beyond the last entry #0: entries were removed "
        "(tail truncated, head deleted or table emptied)"
        for seq in (middle, head)
    ], message


@pytest.mark.services
def test_postgres_refuses_truncate_and_a_bypassed_truncate_is_caught(chain):
    if connection.vendor != PG:
        pytest.skip("the TRUNCATE trigger is installed on PostgreSQL only")
    events, middle, head = chain
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: TRUNCATE would refuse anyway
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == len(events)
    # A deliberate bypass (the table's owner disables the guard) is still caught by the checkpoints.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRUNCATE_TRIGGER}")
        cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRUNCATE_TRIGGER}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    message = broken()
    assert re.search(rf"^checkpoint #{head}: beyond the last entry #0", message, re.M), message
    assert re.search(rf"^head #{head}: the chain ends before its recorded head", message, re.M), message


# ---------------------------------------------------------------------------------------------------------
# Checkpoints: the file, the cadence, the auditor's check
# ---------------------------------------------------------------------------------------------------------


def test_the_checkpoint_file_is_only_ever_appended_to(chain, settings):
    path = checkpoints.checkpoint_path()
    before = path.read_bytes()
    assert [json.loads(line)["seq"] for line in before.decode().splitlines()] == [chain[1], chain[2]]
    assert set(json.loads(before.decode().splitlines()[0])) == {"seq", "hash", "at"}
    real_open = os.open
    with mock.patch.object(checkpoints.os, "open", side_effect=real_open) as opened:
        append_checkpoint(99, "a" * 64)
    flags = opened.call_args.args[1]
    assert flags & os.O_APPEND and not flags & os.O_TRUNC
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_every_nth_entry_is_checkpointed_on_commit_only(
    company, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    with django_capture_on_commit_callbacks(execute=True):
        _actions(company, 7 - AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _actions(company, 3)  # rolled back: entries #8-#10 never existed, #9 is never checkpointed
            raise RuntimeError("abort")
    assert callbacks == []
    seqs = [line.checkpoint.seq for line in checkpoints.read_checkpoints()]
    assert seqs == [3, 6]
    assert checkpoints.current_checkpoint().token == f"6:{AuditEvent.objects.get(seq=6).hash}"


def test_write_checkpoint_refuses_to_bless_a_truncated_chain(chain):
    events, middle, head = chain
    assert write_checkpoint().seq == head  # unchanged head: nothing new written
    assert len(list(checkpoints.read_checkpoints())) == 2
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [head])
    _move_head(head - 1, events[-2].hash)
    with pytest.raises(CheckpointError, match=rf"#{head} is beyond the last entry #{head - 1}"):
        write_checkpoint()
    with pytest.raises(CommandError, match="REFUSED"):
        call_command("audit_checkpoint", stdout=io.StringIO())


def test_audit_checkpoint_command_and_beat_entry(company, settings):
    _actions(company, 2)
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    last = AuditEvent.objects.order_by("-seq").first()
    assert out.getvalue().startswith(f"{last.seq}:{last.hash} ")
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "compliance_site.audit.tasks.checkpoint_task"
    from compliance_site.audit.tasks import checkpoint_task

    _actions(company, 1)
    checkpoint_task.run()
    assert checkpoints.current_checkpoint().seq == last.seq + 1


def test_an_auditor_checks_a_checkpoint_printed_on_a_document(chain, tmp_path):
    events, middle, head = chain
    printed = checkpoints.current_checkpoint()
    assert printed.token == f"{head}:{events[-1].hash}"
    assert "3 checkpoints matched" in verify(
        "--checkpoint", printed.token
    )  # the file's two and the given one
    forged = f"{middle}:{'b' * 64}"
    assert _lines(broken("--checkpoint", forged))[0].startswith(
        f"checkpoint #{middle} (given): hash bbbbbbbbbbbb"
    )
    assert "beyond the last entry" in broken("--checkpoint", f"{head + 5}:{'c' * 64}")
    with pytest.raises(CommandError, match="not a checkpoint"):
        verify("--checkpoint", "12:nothex")
    # The auditor's own copy of the file, taken earlier; and an unreadable line in it.
    copy = tmp_path / "auditor-copy.jsonl"
    copy.write_text(checkpoints.checkpoint_path().read_text() + "{not json\n")
    assert _lines(broken("--checkpoints", str(copy))) == ["checkpoint file line 3: unreadable line"]
