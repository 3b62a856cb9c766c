"""Check an auditor export bundle offline: every file against the manifest's SHA-256, the audit-trail rows
against their chain hashes, and the determination re-performed from the scenario file.

    python manage.py verify_export export-restatement-1-v1-final.zip

Exits 0 when everything matches; otherwise names each altered, missing or unlisted file and exits 1.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance_site.documents.bundle import verify_bundle


class Command(BaseCommand):
    help = "Verify an export bundle (ZIP) against its manifest, offline."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export bundle (.zip)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = verify_bundle(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.stdout.write(f"{path.name}: SHA-256 {digest} (compare with the document's record in the app)")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {report.checked} files match the manifest"))
            if report.reperformed:
                self.stdout.write(self.style.SUCCESS("OK: the scenario file re-performs to the result file"))
            return
        for name, problem in report.problems:
            self.stderr.write(f"ALTERED {name}: {problem}")
        raise CommandError(
            f"{len(report.problems)} problem(s); {report.checked} file(s) matched the manifest"
        )
