"""`manage.py audit_row_changes [--since ISO-TIME] [--all]`: list the row changes no audit-trail entry
accounts for (a queryset `.update()`, raw SQL, a database console) and exit 1 if there is any
(compliance_site/history/accounting.py, docs/architecture.md, "Row history")."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from compliance_site.history.accounting import row_changes
from compliance_site.history.tracking import recorded

MAX_LINES = 200


class Command(BaseCommand):
    help = (
        "Report the changes to regulated rows that no audit-trail entry accounts for: changes made around "
        "the application's save(), by a queryset update or SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", metavar="ISO-TIME", help="Only row changes from this instant (aware).")
        parser.add_argument("--all", action="store_true", help="List every row change, accounted for or not.")

    def handle(self, *args, **options):
        if not recorded():
            self.stdout.write("row history is recorded on PostgreSQL only: nothing to check on this database")
            return
        since = None
        if options["since"]:
            since = parse_datetime(options["since"])
            if since is None or since.tzinfo is None:
                raise CommandError("--since takes an ISO time with its zone, e.g. 2026-01-31T00:00:00+00:00")
        changes = row_changes(since=since)
        missing = [change for change in changes if not change.accounted]
        if options["all"]:
            for change in changes:
                status = f"audit #{change.accounted_by}" if change.accounted else "UNACCOUNTED"
                self.stdout.write(f"{status:>14}  {change.describe()}")
        if missing:
            count = len(missing)
            plural = "s" if count != 1 else ""
            lines = [f"row changes UNACCOUNTED: {count} change{plural} with no audit entry"]
            lines += [change.describe() for change in missing[:MAX_LINES]]
            if count > MAX_LINES:
                lines.append(f"... and {count - MAX_LINES} more")
            raise CommandError("\n".join(lines), returncode=1)
        self.stdout.write(f"row changes OK: {len(changes)} row changes, each accounted for by an audit entry")
