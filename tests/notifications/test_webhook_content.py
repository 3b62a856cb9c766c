"""What a chat message may say (compliance_site/notifications/registry.py; issue #15): everyone in the
channel reads it, so it carries exactly what the e-mail carries — the kind of reminder, the record's neutral
reference, its dates, a link and the confidentiality legend — and never an amount, a covered executive's
name or a Reg FD incident's substance (its title, the information disclosed, the recipient). Every kind of
reminder every registered source plans, escalations first, is built from the demo data and posted to a
Slack and a Teams channel taking every kind; what the receiver got is read."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from compliance_site.company.models import Company
from compliance_site.demo import load_demo
from compliance_site.notifications import sources
from compliance_site.notifications.models import Reminder, WebhookDelivery
from compliance_site.notifications.schedule import RULE_VERSION
from compliance_site.notifications.webhooks import services as webhooks

from .test_message_content import _leaks, _secrets, every_kind_of_every_record
from .webhook_receiver import Receiver


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nine personas, fast
    return load_demo(now=timezone.now())


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    with Receiver() as running:
        yield running


@pytest.mark.django_db
def test_no_chat_message_from_the_demo_data_carries_an_amount_a_name_or_an_incidents_substance(
    demo, receiver
):
    now = timezone.now()
    company = Company.objects.get()
    every_kind = Reminder.Kind.values
    for kind, token in (("slack", "slackAAAA"), ("teams", "teamsBBBB")):
        webhooks.add_webhook_endpoint(
            actor=demo["secretary"],
            company=company,
            name=f"All reminders ({kind})",
            kind=kind,
            url=receiver.url(token),
            events=every_kind,
            now=now,
        )
    built = list(every_kind_of_every_record(now=now))
    assert "incident_overdue" in {reminder.kind for _, reminder in built}, "the demo has no escalation"
    for offset, (record, reminder) in enumerate(built, start=1):
        reminder.content_type = ContentType.objects.get_for_model(record)
        reminder.object_id = record.pk
        reminder.due_at = reminder.due_at + timedelta(microseconds=offset)  # its own row: the key is unique
        reminder.roles, reminder.rule_version, reminder.created_at = "secretary", RULE_VERSION, now
        reminder.save()
        title, body = sources.message_for(reminder, record, now=now)
        for pk in webhooks.queue_webhook_deliveries(
            reminder=reminder, record=record, title=title, body=body, url=sources.url_of(record), now=now
        ):
            assert webhooks.deliver_webhook(delivery_id=pk, now=now) == "delivered"

    assert len(receiver.posts) == 2 * len(built)
    assert not WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.DELIVERED).exists()
    secrets = _secrets()
    posted = [json.dumps(post.body, ensure_ascii=False) for post in receiver.posts]
    leaks = {text[:120]: _leaks(text, secrets) for text in posted if _leaks(text, secrets)}
    assert leaks == {}
    legend = company.confidentiality_legend
    assert all(legend in text and "https://compliance.example.com/" in text for text in posted)
    slack = [post.body["text"] for post in receiver.posts if post.path.endswith("slackAAAA")]
    assert all("\n\nOpen the record: https://compliance.example.com/" in text for text in slack)
