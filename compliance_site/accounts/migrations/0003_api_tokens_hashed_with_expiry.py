"""API tokens move from DRF's authtoken (stored as sent, never expiring) to django-rest-knox (stored hashed,
expiring; compliance_site/accounts/tokens.py, README "API tokens").

An old token is carried over hashed, so the integrations using it keep working for LEGACY_GRACE after the
upgrade and then must ask for a new one; the old table's copies are then erased, since a token stored as
sent is one a database reader (or a backup) can use. Going back cannot restore them: reversing is a no-op.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"
LEGACY_GRACE = timedelta(days=7)


def carry_over_legacy_tokens(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if LEGACY_TABLE not in connection.introspection.table_names(cursor):
            return
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {LEGACY_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + LEGACY_GRACE
    AuthToken.objects.bulk_create(
        AuthToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LEGACY_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_constraint_messages"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(carry_over_legacy_tokens, migrations.RunPython.noop)]
