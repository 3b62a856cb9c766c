"""Checkpoints of the audit chain's head are printed on every generated document and export bundle
(docs/architecture.md, "The audit trail"): the `SEQ:HASH` current when the snapshot was taken, with how to
check it, kept in the snapshot so a FINAL document regenerated later prints the same one; and
`manage.py verify_audit_log --checkpoint SEQ:HASH` accepts it."""

import io
import json
import re
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from compliance_site.audit.checkpoints import write_checkpoint
from compliance_site.audit.recorder import record_action
from compliance_site.documents.bundle import CHECKPOINT, MANIFEST, verify_bundle
from compliance_site.documents.services import regenerate_document
from tests.documents import demo_case as D
from tests.documents.conftest import pdf_text
from tests.documents.demo_case import approved_demo

pytestmark = pytest.mark.django_db
HOW = "manage.py verify_audit_log --checkpoint SEQ:HASH"


@pytest.fixture
def demo(db):
    return approved_demo()


@pytest.fixture
def checkpoint(demo):
    """The head checkpointed after the demo's records were written (what beat or the N-th entry does)."""
    return write_checkpoint()


def flat(text: str) -> str:
    return " ".join(text.split())


def verify(token: str) -> str:
    out = io.StringIO()
    call_command("verify_audit_log", checkpoint=[token], stdout=out)
    return out.getvalue()


def test_a_generated_pdf_prints_the_checkpoint_and_how_to_check_it(demo, checkpoint, generate):
    document = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    assert document.snapshot["audit_checkpoint"]["token"] == checkpoint.token
    text = flat(pdf_text(document))
    assert f"Audit trail checkpoint {checkpoint.token}" in text
    assert HOW in text
    assert "audit log OK" in verify(checkpoint.token)


def test_a_final_document_regenerated_later_prints_the_checkpoint_of_its_snapshot(
    demo, checkpoint, generate, django_capture_on_commit_callbacks
):
    first = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    record_action(actor=demo.users["auditor"], verb="download_document", obj=first)  # the trail moves on
    later = write_checkpoint()
    assert later.seq > checkpoint.seq
    with django_capture_on_commit_callbacks(execute=True):
        second = regenerate_document(actor=demo.users["committee"], document=first, now=D.NOW)
    second.refresh_from_db()
    assert second.snapshot_sha256 == first.snapshot_sha256
    text = flat(pdf_text(second))
    assert checkpoint.token in text and later.token not in text


def test_a_word_document_ends_with_the_checkpoint(demo, checkpoint, generate):
    document = generate(demo.users["auditor"], "clawback_402w_docx", demo.company, period="FY2026")
    paragraphs = [p.text for p in Document(document.file.path).paragraphs]
    assert "Audit trail checkpoint" in paragraphs
    assert f"Audit trail checkpoint: {checkpoint.token}" in paragraphs
    assert any(HOW in p for p in paragraphs)


def test_an_export_bundle_carries_the_checkpoint_in_a_file_the_manifest_lists(
    demo, checkpoint, generate, tmp_path
):
    document = generate(demo.users["auditor"], "bundle_restatement", demo.case, final=True)
    with zipfile.ZipFile(document.file.path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        note = archive.read(CHECKPOINT).decode()
        determination = archive.read("documents/determination.pdf")
    assert manifest["audit_checkpoint"] == checkpoint.token
    assert CHECKPOINT in [item["path"] for item in manifest["files"]]
    assert f"Audit trail checkpoint: {checkpoint.token}" in note and HOW in note
    assert verify_bundle(document.file.path).ok
    # The bundle's own PDFs print it too.
    path = tmp_path / "determination.pdf"
    path.write_bytes(determination)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True)
    assert checkpoint.token in flat(text.stdout)
    assert "audit log OK" in verify(checkpoint.token)


def test_a_checkpoint_copied_wrongly_from_a_document_is_refused(demo, checkpoint):
    altered = re.sub(r":(.)", lambda m: ":" + ("0" if m.group(1) != "0" else "1"), checkpoint.token, count=1)
    with pytest.raises(CommandError):
        verify(altered)


def test_before_any_checkpoint_the_document_says_so(demo, generate):
    document = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    assert document.snapshot["audit_checkpoint"] is None
    assert "no checkpoint of the audit trail had been written" in flat(pdf_text(document))
