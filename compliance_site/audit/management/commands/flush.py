"""Django's `flush`, which on PostgreSQL empties every table with one TRUNCATE, past the audit table's
TRUNCATE guard (migration 0005): the guard is disabled for the flush's own transaction only. Flushing is a
deliberate act of whoever owns the database (tests between transactional cases, a development reset); a
flushed production trail is still caught by the checkpoints kept outside the database (docs/architecture.md).
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

TABLE = "audit_auditevent"
TRIGGER = "audit_event_no_truncate"


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s)",
                    [TRIGGER, TABLE],
                )
                guarded = cursor.fetchone() is not None
                if guarded:
                    cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
            super().handle(**options)
            if guarded:
                with connection.cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
