"""An auditor checks a bundle with nothing but Python: the bundle's verify.py, run by a bare interpreter
(`-I -S`: no site-packages, so nothing but the standard library can be imported), recomputes every file's
SHA-256 against the manifest and names every changed, missing or added file. The manifest records the audit
trail's checkpoint at export and is signed with the audit chain's key, which `verify_export` checks."""

import ast
import hashlib
import json
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from compliance_site.audit.checkpoints import write_checkpoint
from compliance_site.documents.bundle import (
    MANIFEST,
    UNSIGNED_FORMAT,
    VERIFY_SCRIPT,
    VERIFY_SCRIPT_SOURCE,
    manifest_body,
    sign_manifest,
    verify_bundle,
)
from compliance_site.documents.services import generate_document, request_document
from tests.documents import demo_case as D
from tests.documents.demo_case import approved_demo
from tests.documents.test_export_bundle import _rewrite

# The database is set up only for a module with a test that asks for it; the module fixture needs it.
pytestmark = pytest.mark.django_db
SIGNATURE_LINE = "signature: present (checked by the company with its key via manage.py verify_export)"


@pytest.fixture(scope="module")
def checkpointed_bundle(django_db_setup, django_db_blocker, tmp_path_factory):
    """One FINAL restatement bundle, exported after a checkpoint of the chain was written to a checkpoint
    file of this module's own (as test_export_bundle.bundle_bytes, whose data is rolled back afterwards).
    Returns (file name, ZIP bytes, the checkpoint)."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    checkpoints = tmp_path_factory.mktemp("checkpoints") / "audit-checkpoints.jsonl"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast, AUDIT_CHECKPOINT_FILE=str(checkpoints)),
    ):
        with transaction.atomic():
            demo = approved_demo()
            checkpoint = write_checkpoint()
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
            transaction.set_rollback(True)
    return document.filename, content, checkpoint


@pytest.fixture
def bundle(checkpointed_bundle, tmp_path):
    name, content, _ = checkpointed_bundle
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.fixture
def folder(bundle, tmp_path):
    """The bundle extracted, as an auditor unzips it."""
    target = tmp_path / "extracted"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(target)
    return target


def run_verify(cwd, *args) -> subprocess.CompletedProcess:
    """`python3 verify.py [ARGS]` in `cwd`, by an interpreter that can import nothing but the standard
    library (-I ignores the environment and the user's site-packages, -S the virtualenv's)."""
    return subprocess.run(
        [sys.executable, "-I", "-S", "verify.py", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def flip_middle_byte(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]


def rewrite_manifest(path, change):
    """A copy of the ZIP whose manifest is `change(manifest)` (a dict), everything else as it was."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    new = json.dumps(change(manifest), indent=2, sort_keys=True, ensure_ascii=False).encode()
    return _rewrite(path, MANIFEST, lambda _: new)


def test_verify_py_in_the_extracted_folder_says_ok_and_exits_0(folder, checkpointed_bundle):
    checkpoint = checkpointed_bundle[2]
    result = run_verify(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("OK: all ") and "files match the manifest" in lines[-1]
    assert "manifest.json: matches its own recorded SHA-256" in lines
    assert SIGNATURE_LINE in lines
    assert f"audit trail checkpoint at export: {checkpoint.token}" in result.stdout
    assert result.stderr == ""


def test_the_bundle_carries_the_repository_script_byte_for_byte_listed_in_a_signed_manifest(
    bundle, checkpointed_bundle
):
    checkpoint = checkpointed_bundle[2]
    source = VERIFY_SCRIPT_SOURCE.read_bytes()
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert archive.read(VERIFY_SCRIPT) == source
    listed = {item["path"]: item for item in manifest["files"]}
    assert listed[VERIFY_SCRIPT]["sha256"] == hashlib.sha256(source).hexdigest()
    assert manifest["audit_checkpoint_at_export"] == {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": checkpoint.at,
    }
    assert manifest["sha256"] == hashlib.sha256(manifest_body(manifest)).hexdigest()
    assert manifest["signature"]["scheme"] == "hmac-sha256"
    assert manifest == sign_manifest(manifest, key=django_settings.AUDIT_CHAIN_KEY)


def test_the_script_imports_nothing_but_the_standard_library():
    tree = ast.parse(VERIFY_SCRIPT_SOURCE.read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"hashlib", "json", "os", "sys", "zipfile"}


def test_one_changed_byte_in_a_record_fails_and_names_the_file(folder):
    record = folder / "records" / "award_worksheet.csv"
    record.write_bytes(flip_middle_byte(record.read_bytes()))
    result = run_verify(folder)
    assert result.returncode == 1
    assert "CHANGED records/award_worksheet.csv: SHA-256 " in result.stdout
    assert result.stdout.count("CHANGED ") == 1
    assert "FAILED: 1 problem(s)" in result.stdout and "\nOK" not in result.stdout


def test_a_deleted_file_is_named_missing(folder):
    (folder / "documents" / "determination.pdf").unlink()
    result = run_verify(folder)
    assert result.returncode == 1
    assert "MISSING documents/determination.pdf: listed in the manifest, not in the bundle" in result.stdout


def test_an_added_file_is_named(folder):
    (folder / "records" / "planted.csv").write_bytes(b"a,b\n")
    result = run_verify(folder)
    assert result.returncode == 1
    assert "ADDED records/planted.csv: not listed in the manifest" in result.stdout


def test_verify_py_checks_the_zip_itself(bundle, folder):
    result = run_verify(folder, str(bundle))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("OK: all ")
    altered = _rewrite(bundle, "scenario/result.json", flip_middle_byte)
    result = run_verify(folder, str(altered))
    assert result.returncode == 1
    assert "CHANGED scenario/result.json:" in result.stdout


def test_a_manifest_edited_without_its_own_hash_is_named(bundle, folder):
    edited = rewrite_manifest(bundle, lambda manifest: {**manifest, "status": "DRAFT"})
    result = run_verify(folder, str(edited))
    assert result.returncode == 1
    assert "CHANGED manifest.json: its contents do not match its own recorded SHA-256" in result.stdout


def test_a_file_forged_with_a_matching_manifest_passes_verify_py_but_not_verify_export(
    bundle, folder, capsys
):
    """Someone who rewrites a file and the manifest's hashes to match fools a keyless check; without
    AUDIT_CHAIN_KEY they cannot re-sign the manifest, and verify_export names it."""
    forged_csv = b"award,amount\nceo-fy2024-bonus,0.00\n"
    forged = _rewrite(bundle, "records/award_worksheet.csv", lambda _: forged_csv)

    def match_the_forgery(manifest):
        for item in manifest["files"]:
            if item["path"] == "records/award_worksheet.csv":
                item.update(sha256=hashlib.sha256(forged_csv).hexdigest(), size=len(forged_csv))
        return {**manifest, "sha256": hashlib.sha256(manifest_body(manifest)).hexdigest()}

    forged = rewrite_manifest(forged, match_the_forgery)
    result = run_verify(folder, str(forged))
    assert result.returncode == 0 and SIGNATURE_LINE in result.stdout  # what a keyless check cannot see
    with pytest.raises(CommandError):
        call_command("verify_export", str(forged))
    assert "ALTERED manifest.json: its signature does not match" in capsys.readouterr().err


def test_verify_export_rejects_a_manifest_signed_with_another_key(bundle, capsys):
    resigned = rewrite_manifest(bundle, lambda manifest: sign_manifest(manifest, key="not-the-chain-key" * 3))
    with pytest.raises(CommandError):
        call_command("verify_export", str(resigned))
    assert "ALTERED manifest.json: its signature does not match" in capsys.readouterr().err


def test_verify_export_accepts_the_signed_bundle_and_says_so(bundle, checkpointed_bundle, capsys):
    call_command("verify_export", str(bundle))
    out = capsys.readouterr().out
    assert "OK: the manifest's signature matches AUDIT_CHAIN_KEY" in out
    assert f"Audit trail checkpoint at export: {checkpointed_bundle[2].token}" in out
    assert "Absent" not in out
    report = verify_bundle(bundle)
    assert report.ok and report.signed and report.absent == []


def test_a_stripped_signature_is_refused(bundle, capsys):
    def strip(manifest):
        unsigned = {k: v for k, v in manifest.items() if k != "signature"}
        return {**unsigned, "sha256": hashlib.sha256(manifest_body(unsigned)).hexdigest()}

    stripped = rewrite_manifest(bundle, strip)
    with pytest.raises(CommandError):
        call_command("verify_export", str(stripped))
    assert "ALTERED manifest.json: no signature, but compliance-export/2" in capsys.readouterr().err


def test_a_bundle_made_before_the_signature_still_verifies_and_says_what_is_absent(bundle, capsys):
    """A bundle of the first format: no verify.py, no checkpoint at export, no hash or signature of the
    manifest."""
    old = bundle.with_name("old.zip")
    new_fields = {"sha256", "signature", "audit_checkpoint_at_export", "verify_script"}
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as out:
        manifest = json.loads(source.read(MANIFEST))
        manifest = {k: v for k, v in manifest.items() if k not in new_fields}
        manifest["format"] = UNSIGNED_FORMAT
        manifest["files"] = [item for item in manifest["files"] if item["path"] != VERIFY_SCRIPT]
        out.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        for info in source.infolist():
            if info.filename not in {MANIFEST, VERIFY_SCRIPT}:
                out.writestr(info, source.read(info))
    call_command("verify_export", str(old))
    out = capsys.readouterr().out
    assert "OK:" in out and "re-performs" in out
    assert "Absent: signature" in out and "Absent: verify.py" in out
    assert "signature matches" not in out
    report = verify_bundle(old)
    assert report.ok and report.signed is None
