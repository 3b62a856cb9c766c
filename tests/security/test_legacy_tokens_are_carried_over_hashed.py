"""The upgrade from DRF's authtoken: a token stored as sent is carried over hashed, keeps working for a week
(LEGACY_GRACE) so integrations can move to asking for expiring tokens, and its plain copy is erased."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.clients import api_error

migration = importlib.import_module("compliance_site.accounts.migrations.0003_api_tokens_hashed_with_expiry")
LEGACY_KEY = "0123456789abcdef0123456789abcdef01234567"  # DRF's format: 40 hexadecimal characters


def _with_legacy_table(rows):
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp, user_id bigint)'
        )
        for key, user_id in rows:
            cursor.execute(
                'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
                [key, timezone.now(), user_id],
            )


def _call(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/me/")


def test_a_legacy_token_keeps_working_for_the_grace_period_then_expires(users, monkeypatch):
    _with_legacy_table([(LEGACY_KEY, users["secretary"].pk)])
    migration.carry_over_legacy_tokens(apps, SimpleNamespace(connection=connection))

    assert _call(LEGACY_KEY).json()["username"] == "secretary"
    stored = AuthToken.objects.get(user=users["secretary"])
    assert LEGACY_KEY not in (stored.digest, stored.token_key)
    assert stored.expiry - timezone.now() > migration.LEGACY_GRACE - timedelta(minutes=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # the plain copy is gone

    later = stored.expiry + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    api_error(_call(LEGACY_KEY), 401)


def test_without_the_legacy_table_nothing_happens(users):
    migration.carry_over_legacy_tokens(apps, SimpleNamespace(connection=connection))
    assert not AuthToken.objects.exists()
