"""The keyed chain and the TRUNCATE guard (docs/architecture.md, the audit trail).

- `scheme` records how each entry is hashed: entries written before this migration keep their plain SHA-256
  ("sha256"); new ones are HMAC-SHA256 keyed with AUDIT_CHAIN_KEY ("hmac-sha256"), the first of them linking
  to the last plain one.
- If the table already holds entries, the head is checkpointed into the checkpoint file outside the database,
  pinning the last unkeyed entry so the unkeyed part cannot be rebuilt unnoticed.
- On PostgreSQL, a BEFORE TRUNCATE statement trigger refuses TRUNCATE, which the row trigger of migration
  0002 (UPDATE, DELETE) never sees.
"""

from django.db import migrations, models

GUARD_SQL = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""
UNGUARD_SQL = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_SQL, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD_SQL, params=None)


def checkpoint_unkeyed_head(apps, schema_editor):
    last = apps.get_model("audit", "AuditEvent").objects.order_by("-seq").first()
    if last is not None:
        from compliance_site.audit.checkpoints import append_checkpoint

        append_checkpoint(last.seq, last.hash)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_constraint_messages")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.CharField(
                choices=[
                    ("sha256", "SHA-256 (unkeyed, before the keyed chain)"),
                    ("hmac-sha256", "HMAC-SHA256 keyed with AUDIT_CHAIN_KEY"),
                ],
                default="sha256",
                editable=False,
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(checkpoint_unkeyed_head, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
