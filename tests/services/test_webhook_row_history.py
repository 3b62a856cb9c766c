"""A chat channel's webhook address is a secret in the row history too (docs/architecture.md, "Row
history", "Chat notifications"): the endpoint's row events leave it out, as the audit trail does, and a
change made through the service is accounted for by its audit entry. PostgreSQL only (the triggers)."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from compliance_site.history.accounting import unaccounted_row_changes
from compliance_site.history.models import WebhookEndpointRowEvent
from compliance_site.notifications.webhooks.services import add_webhook_endpoint, change_webhook_endpoint

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
FIRST, ROTATED = "T0/B0/firstRowS3cr3tAAA1", "T0/B0/rotatedRowS3cr3tBBB2"


def test_the_row_history_of_a_chat_channel_never_holds_its_address(users, company):
    if connection.vendor != "postgresql":
        pytest.skip("row history is recorded by PostgreSQL triggers (make test-services)")
    endpoint = add_webhook_endpoint(
        actor=users["secretary"],
        company=company,
        name="Disclosure committee",
        kind="slack",
        url=f"https://hooks.slack.com/services/{FIRST}",
        now=timezone.now(),
    )
    change_webhook_endpoint(
        actor=users["admin"],
        endpoint=endpoint,
        url=f"https://hooks.slack.com/services/{ROTATED}",
        reason="Rotated",
        now=timezone.now(),
    )
    assert "url" not in {field.name for field in WebhookEndpointRowEvent._meta.fields}
    events = WebhookEndpointRowEvent.objects.filter(pgh_obj_id=endpoint.pk).order_by("pgh_id")
    assert [event.pgh_label for event in events] == ["insert", "update"]
    assert [event.url_hint for event in events] == [
        "https://hooks.slack.com/…AAA1",
        "https://hooks.slack.com/…BBB2",
    ]
    with connection.cursor() as cursor:
        table = WebhookEndpointRowEvent._meta.db_table
        cursor.execute(f"SELECT row_to_json(e)::text FROM {table} e")  # noqa: S608 (our own table name)
        stored = json.dumps([row[0] for row in cursor.fetchall()])
    assert FIRST not in stored and ROTATED not in stored
    assert [c for c in unaccounted_row_changes() if c.object_type == "notifications.webhookendpoint"] == []
