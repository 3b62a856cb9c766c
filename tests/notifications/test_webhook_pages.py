"""The chat channels page and endpoints (administrators and the Corporate Secretary add and change a
company's Slack and Teams channels; the address is shown masked once saved), and the operations page's
failed and waiting chat messages."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.roles import Role, roles_with
from compliance_site.audit.models import AuditEvent
from compliance_site.notifications.models import WebhookDelivery, WebhookEndpoint
from compliance_site.notifications.webhooks import services as webhooks
from tests.clients import api_error, api_for, client_for, post_json
from tests.test_plain_language import findings, visible_text

from .test_webhooks import overdue_incident

pytestmark = pytest.mark.django_db
SECRET = "T024BE7LD/B0PGYRJ7A/s3cr3tS3cr3tS3cr3tWXYZ"
ADDRESS = f"https://hooks.slack.com/services/{SECRET}"
MANAGERS = {role.value for role in roles_with("company.manage")}


def _add(company, **kwargs):
    data = {
        "actor": None,
        "company": company,
        "name": "Disclosure committee",
        "kind": "slack",
        "url": ADDRESS,
    }
    return webhooks.add_webhook_endpoint(now=timezone.now(), **{**data, **kwargs})


# ---- who may open the pages ----


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_those_who_manage_the_company_open_the_chat_channels_pages(users, company, role):
    endpoint = _add(company)
    client = client_for(users[role])
    expected = 200 if role in MANAGERS else 403
    for url in (
        reverse("notifications:webhook-list"),
        reverse("notifications:webhook-add"),
        reverse("notifications:webhook-edit", args=[endpoint.pk]),
    ):
        assert client.get(url).status_code == expected, (role, url)
    refused = client.post(
        reverse("notifications:webhook-add"), {"name": "x", "kind": "slack", "url": ADDRESS}
    )
    assert refused.status_code == (200 if role in MANAGERS else 403)
    assert (role in MANAGERS) or WebhookEndpoint.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(company):
    response = Client().get(reverse("notifications:webhook-list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_company_profile_links_the_chat_channels_for_those_who_manage_it(users, company):
    link = reverse("notifications:webhook-list")
    assert link in client_for(users["secretary"]).get(reverse("company:profile")).content.decode()
    assert link not in client_for(users["auditor"]).get(reverse("company:profile")).content.decode()


# ---- adding and changing ----


def test_the_secretary_adds_a_channel_and_sees_its_address_masked_only(users, company):
    client = client_for(users["secretary"])
    response = client.post(
        reverse("notifications:webhook-add"),
        {
            "name": "Disclosure committee",
            "kind": "slack",
            "url": ADDRESS,
            "events": ["incident_overdue"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("notifications:webhook-list")
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == ADDRESS and endpoint.created_by == users["secretary"]
    assert endpoint.event_list == ["incident_overdue"] and endpoint.enabled
    listing = client.get(reverse("notifications:webhook-list")).content.decode()
    assert "https://hooks.slack.com/…WXYZ" in listing and "Overdue incident escalation" in listing
    edit = client.get(reverse("notifications:webhook-edit", args=[endpoint.pk])).content.decode()
    for html in (listing, edit):
        assert SECRET not in html and "s3cr3t" not in html
    assert "Now: https://hooks.slack.com/…WXYZ. Leave blank to keep it." in edit


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/T0/B0/x", "The address must start with https://"),
        ("http://127.0.0.1:8000/hook", "This address is on this server."),
        ("https://10.1.2.3/hook", "This address is on a private network."),
        ("hooks.slack.com/services/T0/B0/x", "starting with https://"),
        ("", "This field is required."),
    ],
)
def test_an_address_against_the_rule_is_refused_on_the_form_next_to_its_field(users, company, url, message):
    response = client_for(users["admin"]).post(
        reverse("notifications:webhook-add"),
        {"name": "x", "kind": "slack", "url": url, "events": ["incident_overdue"]},
    )
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert message in " ".join(response.context["form"].errors["url"])
    html = response.content.decode()
    assert 'id="id_url_error"' in html and 'aria-describedby="id_url_helptext id_url_error"' in html
    assert url not in html or not url  # the address typed is never sent back, not even with an error


def test_every_field_has_a_label_tied_to_it(users, company):
    html = client_for(users["secretary"]).get(reverse("notifications:webhook-add")).content.decode()
    ids = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html)) - {""}
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert {"id_name", "id_url", "id_enabled", "id_kind_0", "id_events_0"} <= ids
    assert ids <= labelled, ids - labelled
    assert "<legend" in html and "Chat service" in html and "Reminders posted to the channel" in html
    assert 'type="password"' in html and 'autocomplete="off"' in html


def test_changing_a_channel_keeps_its_address_when_left_blank_and_records_the_reason(users, company):
    endpoint = _add(company)
    response = client_for(users["admin"]).post(
        reverse("notifications:webhook-edit", args=[endpoint.pk]),
        {
            "name": "Legal",
            "kind": "teams",
            "url": "",
            "events": ["incident_overdue", "incident_due"],
            "reason": "New channel name",
        },
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.kind, endpoint.url, endpoint.enabled) == (
        "Legal",
        "teams",
        ADDRESS,
        False,
    )
    assert endpoint.event_list == ["incident_due", "incident_overdue"]
    event = AuditEvent.objects.filter(object_type="notifications.webhookendpoint").latest("seq")
    assert event.reason == "New channel name" and SECRET not in json.dumps(event.changes)


def test_the_pages_read_as_plain_language(users, company):
    endpoint = _add(company, events=["incident_overdue", "recovery_outstanding"])
    client = client_for(users["secretary"])
    for url in (
        reverse("notifications:webhook-list"),
        reverse("notifications:webhook-add"),
        reverse("notifications:webhook-edit", args=[endpoint.pk]),
    ):
        assert findings(visible_text(client.get(url).content.decode())) == [], url


# ---- the API ----


def test_the_api_adds_lists_and_changes_channels_never_returning_the_address(users, company):
    client = api_for(users["secretary"])
    created = post_json(
        client,
        reverse("notifications-api:webhook-endpoint-list"),
        {
            "name": "Escalations",
            "kind": "teams",
            "url": "https://example.webhook.office.com/webhookb2/abcSECRET1",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["address"] == "https://example.webhook.office.com/…RET1" and "url" not in body
    assert body["events"] == ["incident_overdue"] and body["enabled"] is True
    listing = client.get(reverse("notifications-api:webhook-endpoint-list"))
    assert "abcSECRET1" not in listing.content.decode()
    detail = reverse("notifications-api:webhook-endpoint-detail", args=[body["id"]])
    changed = client.patch(detail, {"enabled": False, "reason": "Paused"}, format="json")
    assert changed.status_code == 200 and changed.json()["enabled"] is False
    assert client.put(detail, {"name": "x"}, format="json").status_code == 405


def test_the_api_refuses_an_address_against_the_rule_naming_the_field(users, company):
    response = post_json(
        api_for(users["admin"]),
        reverse("notifications-api:webhook-endpoint-list"),
        {"name": "x", "kind": "slack", "url": "http://hooks.slack.com/services/a"},
    )
    error = api_error(response, 400)
    assert "url" in json.dumps(error) and "https://" in json.dumps(error)


def test_the_api_is_closed_to_those_who_do_not_manage_the_company(users, company):
    url = reverse("notifications-api:webhook-endpoint-list")
    assert api_for(users["counsel"]).get(url).status_code == 403
    assert (
        post_json(api_for(users["employee"]), url, {"name": "x", "kind": "slack", "url": ADDRESS}).status_code
        == 403
    )


# ---- the operations page ----


def test_the_operations_page_shows_failed_and_waiting_chat_messages_with_their_last_error(users, company):
    endpoint = _add(company)
    incident, escalation, now = overdue_incident()
    webhooks.queue_webhook_deliveries(
        reminder=escalation,
        record=incident,
        title="Escalation: FD-1 public disclosure overdue",
        body="b",
        url="/",
        now=now,
    )
    failed = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=failed.pk).update(
        status="failed",
        attempts=5,
        failed_at=now,
        last_status_code=404,
        last_error="The chat service answered 404 (Not Found). It said: no_service",
    )
    waiting = WebhookDelivery.objects.create(
        endpoint=endpoint,
        title="Incident deadline in 1 h",
        payload={},
        created_at=now,
        attempts=2,
        next_attempt_at=now + timedelta(minutes=2),
        last_error="The chat service did not answer within 10 s.",
    )
    response = client_for(users["admin"]).get(reverse("ops:status"))
    html = response.content.decode()
    assert [d.pk for d in response.context["chat_failed"]] == [failed.pk]
    assert [d.pk for d in response.context["chat_waiting"]] == [waiting.pk]
    assert "It said: <code>no_service</code>" in html and "did not answer within 10 s" in html
    assert findings(visible_text(html)) == []
    assert reverse("ops:webhook-retry", args=[failed.pk]) in html
    assert f'href="{reverse("regfd:incident-detail", args=[incident.pk])}"' in html
    assert "Waiting to be posted" in html and SECRET not in html


def test_an_administrator_retries_a_failed_chat_message_from_the_operations_page(
    users, company, monkeypatch, django_capture_on_commit_callbacks
):
    endpoint = _add(company)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        title="t",
        payload={"text": "t"},
        created_at=timezone.now(),
        status="failed",
        attempts=5,
    )
    handed = []
    monkeypatch.setattr(webhooks, "enqueue_webhook_deliveries", handed.extend)
    url = reverse("ops:webhook-retry", args=[delivery.pk])
    assert client_for(users["secretary"]).post(url).status_code == 403
    assert client_for(users["admin"]).get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["admin"]).post(url)
    assert response.status_code == 302 and response["Location"] == reverse("ops:status")
    delivery.refresh_from_db()
    assert (
        delivery.status == WebhookDelivery.Status.PENDING
        and delivery.attempts == 0
        and handed == [delivery.pk]
    )
    again = client_for(users["admin"]).post(url, follow=True)
    assert "Only a chat message that failed can be retried." in again.content.decode()
