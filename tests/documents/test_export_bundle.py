"""The auditor export bundle: open it, verify every hash, re-perform the determination from the scenario it
contains; one altered byte makes `verify_export` fail and name the file."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from clawback.recovery import evaluate
from clawback.scenario import load_scenario, result_to_json
from compliance_site.audit.exports import row_hash_matches
from compliance_site.documents.bundle import MANIFEST, verify_bundle
from compliance_site.documents.periods import quarter_of
from compliance_site.documents.services import generate_document, request_document
from tests.documents import demo_case as D
from tests.documents.demo_case import approved_demo


@pytest.fixture(scope="module")
def bundle_bytes(django_db_setup, django_db_blocker, tmp_path_factory):
    """One FINAL bundle of the approved demo case for the whole module (building it takes seconds); the
    data is rolled back afterwards, the ZIP's bytes kept."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        with transaction.atomic():
            demo = approved_demo()
            document = request_document(
                actor=demo.users["auditor"],
                kind="bundle_restatement",
                record=demo.case,
                final=True,
                now=D.NOW,
            )
            document = generate_document(document_id=document.pk, now=D.NOW)  # the task's body
            assert document.state == "done", document.error
            content = document.file.read()
            assert hashlib.sha256(content).hexdigest() == document.sha256
            transaction.set_rollback(True)
    return document.filename, content


@pytest.fixture
def bundle(bundle_bytes, tmp_path):
    name, content = bundle_bytes
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _rewrite(path, target, change):
    """A copy of the ZIP with one member's bytes changed and everything else (manifest too) as it was."""
    altered = path.with_name("altered-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info)
            out.writestr(info, change(content) if info.filename == target else content)
    return altered


def test_bundle_holds_everything_and_every_hash_matches(bundle):
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist())
        assert {item["path"] for item in manifest["files"]} == names - {MANIFEST}
        for item in manifest["files"]:
            content = archive.read(item["path"])
            assert hashlib.sha256(content).hexdigest() == item["sha256"], item["path"]
            assert len(content) == item["size"]
        assert manifest["status"] == "FINAL" and manifest["legend"].startswith("Confidential")
        for expected in [
            "documents/determination.pdf",
            "documents/reasonable-estimates.pdf",
            "documents/impracticability.pdf",
            "records/award_worksheet.csv",
            "records/recovery_events.csv",
            "records/records.xlsx",
            "audit/audit-trail.jsonl",
            "audit/audit-trail.csv",
            "scenario/scenario.json",
            "scenario/result.json",
            "snapshot.json",
            "verify.py",
        ]:
            assert expected in names, expected
        attachments = [n for n in names if n.startswith("attachments/")]
        # The case's evidence, and the minutes each of its two decisions was recorded from
        (case_minutes,) = [n for n in attachments if n.endswith("board-minutes.pdf")]
        assert archive.read(case_minutes) == D.PDF_BYTES
        assert sum("clawback.decision-" in n for n in attachments) == 2 and len(attachments) == 3
        worksheet = archive.read("records/award_worksheet.csv").decode()
        assert "ceo-fy2024-bonus" in worksheet and "240000.00" in worksheet
        # Each audit row carries the hash of its own contents (the chain's hash).
        rows = [json.loads(line) for line in archive.read("audit/audit-trail.jsonl").decode().splitlines()]
        assert rows and {"clawback.restatement", "clawback.recoveryevent", "clawback.decision"} <= {
            r["object_type"] for r in rows
        }
        # Rows written since the keyed chain are sealed with HMAC under the chain key.
        assert all(row_hash_matches(row) for row in rows)


def test_the_scenario_in_the_bundle_re_performs_the_determination(bundle):
    with zipfile.ZipFile(bundle) as archive:
        scenario = archive.read("scenario/scenario.json")
        result = json.loads(archive.read("scenario/result.json"))
    assert result_to_json(evaluate(load_scenario(scenario))) == result
    assert result["totals"]["excess_usd"] == "1384000.00"


def test_verify_export_accepts_the_bundle(bundle, capsys):
    call_command("verify_export", str(bundle))
    out = capsys.readouterr().out
    assert "OK:" in out and "re-performs" in out
    report = verify_bundle(bundle)
    assert report.ok and report.reperformed and report.checked > 10


@pytest.mark.parametrize(
    "target",
    ["documents/determination.pdf", "records/award_worksheet.csv", "scenario/result.json"],
)
def test_altering_one_byte_fails_verify_export_and_names_the_file(bundle, target, capsys):
    def flip(content: bytes) -> bytes:
        middle = len(content) // 2
        return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]

    altered = _rewrite(bundle, target, flip)
    with pytest.raises(CommandError):
        call_command("verify_export", str(altered))
    assert f"ALTERED {target}" in capsys.readouterr().err


def test_every_file_of_the_bundle_is_covered_by_the_check(bundle, capsys):
    """One byte altered in any file (the attachment, the audit trail, the snapshot...) is named."""
    with zipfile.ZipFile(bundle) as archive:
        members = [name for name in archive.namelist() if name != MANIFEST]
    assert len(members) > 10
    for target in members:
        altered = _rewrite(bundle, target, lambda content: content[:-1] + bytes([content[-1] ^ 0x01]))
        with pytest.raises(CommandError):
            call_command("verify_export", str(altered))
        err = capsys.readouterr().err
        assert f"ALTERED {target}:" in err, target
        assert all(line.startswith(f"ALTERED {target}:") for line in err.strip().splitlines()), err
        altered.unlink()


def test_a_byte_flipped_inside_the_zip_itself_is_named(bundle, capsys):
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("records/award_worksheet.csv")
    # The member's data follows its local header: 30 bytes, the name and the extra field.
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    raw[offset] ^= 0xFF
    damaged = bundle.with_name("damaged.zip")
    damaged.write_bytes(bytes(raw))
    with pytest.raises(CommandError):
        call_command("verify_export", str(damaged))
    assert "ALTERED records/award_worksheet.csv" in capsys.readouterr().err


def test_an_added_or_removed_file_is_named(bundle, capsys):
    extra = bundle.with_name("extra.zip")
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(extra, "w") as out:
        for info in source.infolist():
            if info.filename != "records/records.xlsx":
                out.writestr(info, source.read(info))
        out.writestr("records/planted.csv", b"a,b\n")
    report = verify_bundle(extra)
    assert ("records/planted.csv", "not listed in the manifest") in report.problems
    assert any(name == "records/records.xlsx" for name, _ in report.problems)


def test_period_bundle_for_a_reg_fd_quarter(db, generate, tmp_path):
    users = D.load_demo(now=D.NOW)
    company = D.Restatement.objects.get(title="FY2024–FY2025 net income restatement").company
    document = generate(users["admin"], "bundle_period", company, period=quarter_of(D.NOW))
    path = tmp_path / "period.zip"
    path.write_bytes(document.file.read())
    report = verify_bundle(path)
    assert report.ok, report.problems
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        names = archive.namelist()
    assert "documents/quarterly-log.pdf" in names and "records/incidents.csv" in names
    assert any(n.startswith("documents/incident-FD-") for n in names)
    assert "audit/audit-trail.jsonl" in names
