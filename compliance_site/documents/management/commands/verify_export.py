"""Check an auditor export bundle offline: every file against the manifest's SHA-256, the manifest's own
hash and its signature (HMAC-SHA256 under AUDIT_CHAIN_KEY, which only the company holds), the audit-trail
rows against their chain hashes, and the determination re-performed from the scenario file.

    python manage.py verify_export export-restatement-1-v1-final.zip

Exits 0 when everything matches; otherwise names each altered, missing or unlisted file (and a manifest
whose signature does not match) and exits 1. A bundle made before manifests were signed still verifies;
the command says what it lacks (the signature, verify.py). The bundle's own verify.py checks the hashes
with nothing but Python, but not the signature: that needs the key, hence this command.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance_site.documents.bundle import verify_bundle


class Command(BaseCommand):
    help = "Verify an export bundle (ZIP) against its signed manifest, offline."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export bundle (.zip)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = verify_bundle(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.stdout.write(f"{path.name}: SHA-256 {digest} (compare with the document's record in the app)")
        for missing in report.absent:
            self.stdout.write(self.style.WARNING(f"Absent: {missing}"))
        if report.checkpoint_at_export:
            self.stdout.write(
                f"Audit trail checkpoint at export: {report.checkpoint_at_export} "
                f"(check it with manage.py verify_audit_log --checkpoint {report.checkpoint_at_export})"
            )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {report.checked} files match the manifest"))
            if report.signed:
                self.stdout.write(self.style.SUCCESS("OK: the manifest's signature matches AUDIT_CHAIN_KEY"))
            if report.reperformed:
                self.stdout.write(self.style.SUCCESS("OK: the scenario file re-performs to the result file"))
            return
        for name, problem in report.problems:
            self.stderr.write(f"ALTERED {name}: {problem}")
        raise CommandError(
            f"{len(report.problems)} problem(s); {report.checked} file(s) matched the manifest"
        )
