"""`manage.py verify_audit_log [--checkpoint SEQ:HASH ...] [--checkpoints FILE]`: check the audit chain, its
head row and the checkpoints kept outside the database; exit 1 with one line per problem, each naming the
entry or checkpoint by its seq (compliance_site/audit/verify.py, docs/architecture.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance_site.audit.checkpoints import Checkpoint, checkpoint_path, read_checkpoints
from compliance_site.audit.verify import verify_chain

MAX_LINES = 200


def _checkpoint(value: str) -> Checkpoint:
    try:
        return Checkpoint.parse(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Verify the audit trail: the keyed hash chain, its head and the checkpoints of the head kept outside "
        "the database; report every problem, one line each."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="Also check this checkpoint (e.g. as printed on a document); may be repeated.",
        )
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="Read checkpoints from FILE (e.g. an auditor's own copy) instead of AUDIT_CHECKPOINT_FILE.",
        )

    def handle(self, *args, **options):
        given = [_checkpoint(value) for value in options["checkpoint"]]
        path = Path(options["checkpoints"]) if options["checkpoints"] else checkpoint_path()
        if options["checkpoints"] and not path.exists():
            raise CommandError(f"no checkpoint file at {path}")
        report = verify_chain(checkpoints=read_checkpoints(path), given=given)
        if not report.ok:
            count = len(report.problems)
            lines = [
                f"audit log BROKEN: {count} problem{'s' if count != 1 else ''}; "
                f"{report.verified_before_first} entries verified before the first"
            ]
            lines += [str(problem) for problem in report.problems[:MAX_LINES]]
            if count > MAX_LINES:
                lines.append(f"... and {count - MAX_LINES} more")
            raise CommandError("\n".join(lines), returncode=1)
        summary = f"audit log OK: {report.checked} entries verified"
        if report.checkpoints_read or given:
            summary += f", {report.checkpoints_matched} checkpoints matched"
        else:
            summary += f" (no checkpoints in {path})"
        self.stdout.write(summary)
