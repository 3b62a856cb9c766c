"""Check a generated PDF: its seal (one PDF signature, intact, over the whole file) and, by the file's
SHA-256, the stored document it is (docs/architecture.md, "Sealed documents").

    python manage.py verify_document determination-restatement-1-v2-final.pdf
    python manage.py verify_document --no-db exported.pdf          # the seal only, on any machine
    python manage.py verify_document --no-db --cert seal-cert.pem exported.pdf

Exits 0 when the seal is intact and covers the whole document and (without --no-db) the file is a stored
document; otherwise exits 1 with a one-line reason: tampered, no signature, or unknown file. Whose certificate
signed is reported, not required: integrity is what makes a file pass, the certificate says who sealed it.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance_site.documents.sealing import check_seal, configured_certificate


class Command(BaseCommand):
    help = "Verify the seal (PDF signature) of a generated PDF and find the stored document it is."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PDF file")
        parser.add_argument(
            "--no-db",
            action="store_true",
            help="Check the seal only, without looking the file up among the stored documents "
            "(e.g. an exported file on a machine without the database).",
        )
        parser.add_argument(
            "--cert",
            help="The seal certificate (PEM or DER) to compare the signer with; default: the one configured "
            "here (DOCUMENT_SEAL_CERT_FILE, or the development certificate).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["cert"]:
            cert_path = Path(options["cert"])
            if not cert_path.is_file():
                raise CommandError(f"{cert_path}: no such certificate file")
            certificate = cert_path.read_bytes()
        else:
            certificate = configured_certificate()
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        self.stdout.write(f"{path.name}: SHA-256 {digest}")

        seal = check_seal(content, seal_certificate=certificate)
        if not seal.signed:
            raise CommandError(f"no signature: {seal.problem}")
        if not seal.ok:
            raise CommandError(f"tampered: {seal.problem}")
        signed_at = seal.signed_at.isoformat() if seal.signed_at else "an unstated time"
        self.stdout.write(
            self.style.SUCCESS("Seal intact: the signature covers the whole document.")
            + f" Signed {signed_at} by {seal.signer}."
        )
        if seal.reason:
            self.stdout.write(f"Reason: {seal.reason}")
        self.stdout.write(self._signer_line(seal))

        if options["no_db"]:
            self.stdout.write("Not looked up among the stored documents (--no-db).")
            return
        self._report_stored(digest)

    def _signer_line(self, seal) -> str:
        fingerprint = f"certificate SHA-256 {seal.signer_fingerprint}"
        if seal.is_seal_certificate is None:
            return f"Signer: no seal certificate to compare with on this machine ({fingerprint})."
        if seal.is_seal_certificate:
            return f"Signer: the configured seal certificate, trusted ({fingerprint})."
        return self.style.WARNING(
            f"Signer: NOT the configured seal certificate ({fingerprint}): the file is intact, but it was "
            "sealed with another key."
        )

    def _report_stored(self, digest: str) -> None:
        from compliance_site.documents.models import GeneratedDocument

        document = (
            GeneratedDocument.objects.filter(sha256=digest, state=GeneratedDocument.State.DONE)
            .order_by("id")
            .first()
        )
        if document is None:
            raise CommandError(f"unknown file: no stored document has SHA-256 {digest}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored document {document.reference}, version {document.version}, "
                f"{document.get_status_display()}: {document.title}."
            )
        )
        decision = (document.snapshot.get("data") or {}).get("decision") or {}
        voted = decision.get("determination_sha256")
        if voted:
            self.stdout.write(f"Determination signed (SHA-256): {voted}")
