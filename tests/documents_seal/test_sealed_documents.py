"""The seal of FINAL PDF documents (compliance_site/documents/sealing.py): one PDF signature over the whole
file that pdfsig (poppler) and `manage.py verify_document` accept, and that one changed byte breaks; a DRAFT
is never sealed; the stored SHA-256 is the sealed file's."""

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from compliance_site.documents.presentation import render_snapshot_pdf
from compliance_site.documents.sealing import (
    FIELD_NAME,
    check_seal,
    configured_certificate,
    development_credentials,
    seal_pdf,
)
from tests.documents_seal.conftest import pdfsig
from tests.documents_seal.snapshots import snapshot

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
TEMPLATE = "pdf/clawback_determination.html"


def verify(*args: str) -> str:
    """`manage.py verify_document ARGS`, its output; CommandError when it fails."""
    from io import StringIO

    out = StringIO()
    call_command("verify_document", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rendered(status: str = "FINAL") -> bytes:
    return render_snapshot_pdf(
        TEMPLATE, reference="DOC-000042", version=2, status=status, snapshot=snapshot(), generated_at=AT
    )


@pytest.fixture(scope="module")
def sealed_pdf() -> bytes:
    """A hand-made determination sealed with the development certificate (no database)."""
    return seal_pdf(
        rendered(), reason="DOC-000042 version 2. Sealed by Allient Inc. compliance records", signed_at=AT
    )


def changed_byte(content: bytes, where: int) -> bytes:
    data = bytearray(content)
    data[where] = ord("0") if data[where] != ord("0") else ord("1")
    return bytes(data)


def byte_range(content: bytes) -> list[int]:
    start = content.index(b"/ByteRange")
    return [int(n) for n in content[start:].split(b"[", 1)[1].split(b"]", 1)[0].split()]


# ---- through the app: a FINAL determination rendered, stored and checked ----


@pytest.mark.django_db
def test_a_final_determination_is_sealed_and_verify_document_accepts_it(demo, generate):
    final = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    content = Path(final.file.path).read_bytes()
    assert hashlib.sha256(content).hexdigest() == final.sha256  # the hash stored is the sealed file's
    seal = check_seal(content, seal_certificate=configured_certificate())
    assert seal.ok and seal.is_seal_certificate
    assert seal.signed_at == final.generated_at.replace(microsecond=0)  # a signing time is in whole seconds
    assert (
        seal.reason == f"{final.reference} version {final.version}. Sealed by Allient Inc. compliance records"
    )

    out = verify(final.file.path)
    assert "Seal intact: the signature covers the whole document." in out
    assert "Signer: the configured seal certificate, trusted" in out
    assert f"Stored document {final.reference}, version {final.version}, FINAL" in out
    voted = final.snapshot["data"]["decision"].get("determination_sha256")
    if voted:  # snapshots carry it once decisions record what was voted on
        assert f"Determination signed (SHA-256): {voted}" in out


@pytest.mark.django_db
def test_pdfsig_says_the_seal_is_a_valid_signature_over_the_whole_document(demo, generate):
    final = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    report = pdfsig(Path(final.file.path)).stdout
    assert report.count("Signature #") == 1, report
    assert f"Signature Field Name: {FIELD_NAME}" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    # An untrusted development certificate: the reader cannot vouch for the signer, which is right.
    assert "Certificate Validation:" in report


@pytest.mark.django_db
def test_one_changed_byte_makes_pdfsig_and_verify_document_fail(demo, generate, tmp_path):
    final = generate(demo.users["committee"], "clawback_determination", demo.case, final=True)
    content = Path(final.file.path).read_bytes()
    first_end = byte_range(content)[1]
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(changed_byte(content, first_end // 2))

    assert "Signature is Valid." not in pdfsig(tampered).stdout
    with pytest.raises(CommandError, match="^tampered: "):
        verify(str(tampered))
    with pytest.raises(CommandError, match="^tampered: "):
        verify("--no-db", str(tampered))


@pytest.mark.django_db
def test_a_draft_is_not_sealed(demo, generate):
    draft = generate(demo.users["committee"], "clawback_determination", demo.case)
    content = Path(draft.file.path).read_bytes()
    assert not check_seal(content).signed
    with pytest.raises(CommandError, match="^no signature: the file carries no PDF signature"):
        verify(draft.file.path)
    assert "Signature #" not in pdfsig(Path(draft.file.path)).stdout


@pytest.mark.django_db
def test_a_sealed_file_no_stored_document_has_is_unknown(sealed_pdf, tmp_path):
    path = tmp_path / "exported.pdf"
    path.write_bytes(sealed_pdf)
    with pytest.raises(CommandError, match="^unknown file: no stored document has SHA-256"):
        verify(str(path))
    assert "Seal intact" in verify("--no-db", str(path))  # the seal alone, as an auditor checks it


# ---- the seal itself, without the database ----


@pytest.mark.parametrize(
    "where",
    ["first range, middle", "first range, start", "second range, middle", "last byte"],
)
def test_any_changed_byte_inside_the_signed_ranges_breaks_the_seal(sealed_pdf, where):
    start1, length1, start2, length2 = byte_range(sealed_pdf)
    offset = {
        "first range, middle": length1 // 2,
        "first range, start": 10,
        "second range, middle": start2 + length2 // 2,
        "last byte": start2 + length2 - 3,  # inside the %%EOF line
    }[where]
    assert not check_seal(changed_byte(sealed_pdf, offset)).ok


@pytest.mark.parametrize("content", [b"hello\n", b"%PDF-1.7\n1 0 obj << >> endobj\n"])
def test_a_file_that_is_not_a_sealed_pdf_has_no_signature(content, tmp_path):
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    assert not check_seal(content).signed
    with pytest.raises(CommandError, match="^no signature: "):
        verify("--no-db", str(path))


def test_bytes_appended_after_the_seal_are_reported(sealed_pdf):
    seal = check_seal(sealed_pdf + b"\n% appended\n")
    assert not seal.ok
    assert "does not cover the whole document" in seal.problem or "changed" in seal.problem


def test_the_seal_is_one_signature_over_the_whole_file_in_one_revision(sealed_pdf):
    start1, length1, start2, length2 = byte_range(sealed_pdf)
    assert start1 == 0 and start2 + length2 == len(sealed_pdf)
    assert sealed_pdf.count(b"%%EOF") == 1  # no incremental update
    assert check_seal(sealed_pdf).covers_whole_file


def test_sealing_the_same_rendering_twice_gives_the_same_bytes():
    content = rendered()
    reason = "DOC-000042 version 2. Sealed by Allient Inc. compliance records"
    assert seal_pdf(content, reason=reason, signed_at=AT) == seal_pdf(content, reason=reason, signed_at=AT)


def test_the_signer_is_reported_when_it_is_not_the_configured_certificate(sealed_pdf, settings, tmp_path):
    other_key, other_cert = development_credentials(tmp_path / "other-seal")
    settings.DOCUMENT_SEAL_KEY_FILE, settings.DOCUMENT_SEAL_CERT_FILE = str(other_key), str(other_cert)
    seal = check_seal(sealed_pdf, seal_certificate=configured_certificate())
    assert seal.ok and seal.is_seal_certificate is False and not seal.trusted
    path = tmp_path / "exported.pdf"
    path.write_bytes(sealed_pdf)
    out = verify("--no-db", str(path))
    assert "Seal intact" in out and "NOT the configured seal certificate" in out


def test_the_development_certificate_is_made_once_and_reused(tmp_path):
    key, cert = development_credentials(tmp_path / "seal")
    first = (key.read_bytes(), cert.read_bytes())
    assert development_credentials(tmp_path / "seal") == (key, cert)
    assert (key.read_bytes(), cert.read_bytes()) == first
    assert key.stat().st_mode & 0o077 == 0  # the private key is readable by its owner only
    assert list(tmp_path.iterdir()) == [tmp_path / "seal"]  # no scratch directory left behind


def test_verify_document_checks_the_seal_without_a_database(sealed_pdf, tmp_path):
    """An auditor's machine: no database at all (an unreachable DATABASE_URL), only the exported file."""
    path = tmp_path / "exported.pdf"
    path.write_bytes(sealed_pdf)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compliance_site.settings",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/none",
        "VAR_DIR": str(tmp_path / "var"),
    }
    command = [sys.executable, "manage.py", "verify_document", "--no-db"]
    result = subprocess.run(
        [*command, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Seal intact: the signature covers the whole document." in result.stdout
    assert "no seal certificate to compare with on this machine" in result.stdout
    cert = Path(django_settings.DOCUMENT_SEAL_DEVELOPMENT_DIR) / "seal-cert.pem"
    with_cert = subprocess.run(
        [*command, "--cert", str(cert), str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Signer: the configured seal certificate, trusted" in with_cert.stdout, with_cert.stderr

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(changed_byte(sealed_pdf, byte_range(sealed_pdf)[1] // 2))
    result = subprocess.run(
        [*command, str(tampered)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: tampered: ")
