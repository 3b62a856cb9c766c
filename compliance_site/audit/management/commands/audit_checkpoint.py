"""`manage.py audit_checkpoint`: append a checkpoint of the audit chain's head to the checkpoint file now
(compliance_site/audit/checkpoints.py) and print it as SEQ:HASH."""

from django.core.management.base import BaseCommand, CommandError

from compliance_site.audit.checkpoints import CheckpointError, checkpoint_path, write_checkpoint


class Command(BaseCommand):
    help = "Append a checkpoint of the audit chain's head to the checkpoint file and print it (SEQ:HASH)."

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint()
        except CheckpointError as exc:
            raise CommandError(
                f"audit checkpoint REFUSED: {exc}; run verify_audit_log", returncode=1
            ) from None
        if checkpoint is None:
            self.stdout.write("audit log is empty: nothing to checkpoint")
        else:
            self.stdout.write(f"{checkpoint.token} ({checkpoint_path()})")
