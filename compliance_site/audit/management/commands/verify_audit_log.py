from django.core.management.base import BaseCommand, CommandError

from compliance_site.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; report the first broken entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit log BROKEN at entry #{report.broken_seq} (row id {report.broken_id}): "
                f"{report.problem}. "
                f"{report.checked} entries before it verified.",
                returncode=1,
            )
        self.stdout.write(f"audit log OK: {report.checked} entries verified")
