"""Chat notifications (compliance_site/notifications/webhooks/; docs/architecture.md, "Chat notifications"):
an escalation going out is posted to each Slack and Teams channel of the company that takes it, through a
local receiver (tests/notifications/webhook_receiver.py), once; a failed post is retried with backoff, each
attempt on record, and failed after the last one; the address is a secret from end to end."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from compliance_site.audit.models import AuditEvent
from compliance_site.celery import app as celery_app
from compliance_site.notifications import services
from compliance_site.notifications.models import Reminder, WebhookDelivery, WebhookEndpoint
from compliance_site.notifications.selectors import reminders_for_record
from compliance_site.notifications.tasks import deliver_webhook_task, sweep_webhook_deliveries_task
from compliance_site.notifications.webhooks import services as webhooks
from tests.factories import IncidentFactory

from .webhook_receiver import Receiver

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
SLACK_TOKEN = "T0001/B0001/slackS3cr3tAAAA"
TEAMS_TOKEN = "workflows/teamsS3cr3tBBBB"


@pytest.fixture(autouse=True)
def _chat_settings(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True  # the receiver is http://127.0.0.1
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_MAX_ATTEMPTS = 3


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def eager():
    """Tasks run in-process when published, Celery's retries at once (no countdown), errors not raised."""
    conf = celery_app.conf
    before = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = before


def channel(company, receiver, *, kind="slack", token=SLACK_TOKEN, actor=None, **kwargs):
    return webhooks.add_webhook_endpoint(
        actor=actor,
        company=company,
        name=kwargs.pop("name", f"{kind} channel"),
        kind=kind,
        url=receiver.url(token),
        now=timezone.now(),
        **kwargs,
    )


def overdue_incident():
    """An incident 5 h past its deadline: its first escalation (deadline + 4 h) is due now."""
    now = timezone.now()
    incident = IncidentFactory(due_at=now - 5 * H)
    escalation = reminders_for_record(incident).get(kind="incident_overdue", due_at=incident.due_at + 4 * H)
    return incident, escalation, now


def send(reminder, now, capture):
    with capture(execute=True):
        return services.send_reminder(reminder_id=reminder.pk, now=now)


# ---- delivery ----


def test_an_escalation_is_posted_once_to_each_slack_and_teams_channel_of_the_company(
    users, company, receiver, eager, django_capture_on_commit_callbacks
):
    channel(company, receiver, kind="slack", token=SLACK_TOKEN)
    channel(company, receiver, kind="teams", token=TEAMS_TOKEN)
    incident, escalation, now = overdue_incident()

    assert send(escalation, now, django_capture_on_commit_callbacks) == "sent"

    (slack,) = receiver.bodies(SLACK_TOKEN)
    (teams,) = receiver.bodies(TEAMS_TOKEN)
    link = f"https://compliance.example.com/regfd/incidents/{incident.pk}/"
    assert list(slack) == ["text"]
    assert slack["text"].startswith(f"Escalation: {incident.reference} public disclosure")
    assert f"Regulation FD incident {incident.reference}." in slack["text"]
    assert f"Open the record: {link}" in slack["text"]
    assert slack["text"].endswith(company.confidentiality_legend)
    card = teams["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["actions"][0]["url"] == link
    assert card["body"][0]["text"].startswith(f"Escalation: {incident.reference}")
    assert card["body"][-1]["text"] == company.confidentiality_legend
    assert all(post.headers["Content-Type"].startswith("application/json") for post in receiver.posts)

    deliveries = WebhookDelivery.objects.filter(reminder=escalation)
    assert {d.status for d in deliveries} == {WebhookDelivery.Status.DELIVERED}
    for delivery in deliveries:
        (attempt,) = delivery.attempt_log.all()
        assert attempt.succeeded and attempt.status_code == 200 and attempt.error == ""
        assert delivery.delivered_at == attempt.at >= now
    posted = AuditEvent.objects.filter(verb="post_chat_message", object_type="regfd.incident")
    assert posted.count() == 2
    assert all(event.object_id == str(incident.pk) for event in posted)
    assert not any(token in json.dumps(e.changes) for e in posted for token in (SLACK_TOKEN, TEAMS_TOKEN))


def test_only_the_channels_on_and_taking_that_kind_of_reminder_receive_it(
    users, company, receiver, eager, django_capture_on_commit_callbacks
):
    channel(company, receiver, name="Escalations", token="escalations-aaaa")
    channel(company, receiver, name="Deadlines only", token="deadlines-bbbb", events=["incident_due"])
    channel(company, receiver, name="Turned off", token="off-cccc", enabled=False)
    _, escalation, now = overdue_incident()
    send(escalation, now, django_capture_on_commit_callbacks)
    assert [post.path.rsplit("/", 1)[1] for post in receiver.posts] == ["escalations-aaaa"]


def test_the_deliveries_are_queued_once_however_often_the_reminders_delivery_step_runs(
    users, company, receiver, django_capture_on_commit_callbacks
):
    channel(company, receiver)
    incident, escalation, now = overdue_incident()
    kwargs = dict(reminder=escalation, record=incident, title="t", body="b", url="/regfd/", now=now)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = webhooks.queue_webhook_deliveries(**kwargs)
        again = webhooks.queue_webhook_deliveries(**kwargs)
    assert len(first) == 1 and again == () and len(callbacks) == 1
    assert WebhookDelivery.objects.count() == 1
    assert receiver.posts == []  # nothing posted before commit


def test_a_channel_failing_once_is_retried_and_delivered_with_both_attempts_recorded(
    users, company, receiver, eager, django_capture_on_commit_callbacks
):
    channel(company, receiver)
    receiver.answer(500)  # then 200
    _, escalation, now = overdue_incident()
    send(escalation, now, django_capture_on_commit_callbacks)

    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 2
    first, second = delivery.attempt_log.all()
    assert (first.number, first.status_code, first.succeeded) == (1, 500, False)
    assert first.error == "The chat service answered 500 (Internal Server Error). It said: invalid_token"
    assert (second.number, second.status_code, second.succeeded) == (2, 200, True)
    assert [post.status for post in receiver.posts] == [500, 200]
    assert receiver.posts[0].body == receiver.posts[1].body  # the same bytes on every attempt


def test_a_failed_attempt_releases_the_row_for_a_retry_after_the_backoff(users, company, receiver):
    endpoint = channel(company, receiver)
    receiver.answer(503, 503)
    incident, escalation, now = overdue_incident()
    webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    (delivery,) = WebhookDelivery.objects.all()
    for attempt, countdown in ((1, 30), (2, 60)):
        later = now + timedelta(minutes=attempt)
        with pytest.raises(webhooks.WebhookRetry) as retry:
            webhooks.deliver_webhook(delivery_id=delivery.pk, now=later)
        assert retry.value.countdown == countdown
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == attempt
        assert delivery.next_attempt_at == later + timedelta(seconds=countdown)
        assert delivery.last_status_code == 503 and "503" in delivery.last_error
    assert endpoint.url not in delivery.last_error


def test_after_the_last_attempt_the_message_is_failed_and_an_administrator_retries_it(
    users, company, receiver, eager, django_capture_on_commit_callbacks
):
    channel(company, receiver)
    receiver.answer(500, 500, 500)  # WEBHOOK_MAX_ATTEMPTS = 3
    _, escalation, now = overdue_incident()
    send(escalation, now, django_capture_on_commit_callbacks)
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == 3
    assert delivery.failed_at is not None and delivery.attempt_log.count() == 3
    assert AuditEvent.objects.filter(verb="chat_message_failed").count() == 1
    # The reminder itself went out by e-mail and in the app: a chat channel never holds it back.
    escalation.refresh_from_db()
    assert escalation.status == Reminder.Status.SENT

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.retry_webhook_delivery(actor=users["admin"], delivery=delivery, now=timezone.now())
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1
    assert [a.number for a in delivery.attempt_log.all()] == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(verb="retry_chat_message", object_id=str(delivery.pk)).exists()
    with pytest.raises(webhooks.ValidationError, match="Only a chat message that failed"):
        webhooks.retry_webhook_delivery(actor=users["admin"], delivery=delivery, now=timezone.now())


def test_a_retried_or_redelivered_task_never_posts_twice_after_a_success(users, company, receiver):
    channel(company, receiver)
    incident, escalation, now = overdue_incident()
    (pk,) = webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    assert deliver_webhook_task.apply(args=[pk]).get() == "delivered"
    assert deliver_webhook_task.apply(args=[pk]).get() == "skipped"
    assert webhooks.deliver_webhook(delivery_id=pk, now=now + H) == "skipped"
    assert len(receiver.posts) == 1


def test_a_claim_held_by_another_worker_is_left_alone_until_the_lease_runs_out(users, company, receiver):
    channel(company, receiver)
    incident, escalation, now = overdue_incident()
    (pk,) = webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    WebhookDelivery.objects.filter(pk=pk).update(status="sending", claimed_at=now, attempts=1)
    assert webhooks.deliver_webhook(delivery_id=pk, now=now + timedelta(seconds=10)) == "skipped"
    assert webhooks.deliver_webhook(delivery_id=pk, now=now + timedelta(seconds=301)) == "delivered"
    assert len(receiver.posts) == 1 and WebhookDelivery.objects.get(pk=pk).attempts == 2


def test_a_channel_turned_off_before_its_turn_is_not_posted_to(users, company, receiver):
    endpoint = channel(company, receiver)
    incident, escalation, now = overdue_incident()
    (pk,) = webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    webhooks.change_webhook_endpoint(actor=users["secretary"], endpoint=endpoint, enabled=False, now=now)
    assert webhooks.deliver_webhook(delivery_id=pk, now=now) == "cancelled"
    assert receiver.posts == []
    assert WebhookDelivery.objects.get(pk=pk).status == WebhookDelivery.Status.CANCELLED


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_network_error_or_a_silent_service_is_a_failed_attempt_said_in_words(
    users, company, receiver, settings
):
    incident, escalation, now = overdue_incident()
    refused = webhooks.add_webhook_endpoint(
        actor=None,
        company=company,
        name="Nobody listening",
        kind="slack",
        url=f"http://127.0.0.1:{_closed_port()}/services/refusedS3cr3t",
        now=now,
    )
    webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    (delivery,) = WebhookDelivery.objects.filter(endpoint=refused)
    with pytest.raises(webhooks.WebhookRetry):
        webhooks.deliver_webhook(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.last_status_code is None
    assert delivery.last_error.startswith("Could not reach the chat service: ")
    assert "refusedS3cr3t" not in delivery.last_error and "Errno" not in delivery.last_error

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.delay = 1.5
    slow = channel(company, receiver, name="Slow")
    webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    (delivery,) = WebhookDelivery.objects.filter(endpoint=slow)
    with pytest.raises(webhooks.WebhookRetry):
        webhooks.deliver_webhook(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.last_error == "The chat service did not answer within 0.5 s."


def test_an_address_turned_to_plain_http_elsewhere_is_refused_when_posting(
    users, company, receiver, settings
):
    incident, escalation, now = overdue_incident()
    channel(company, receiver)
    webhooks.queue_webhook_deliveries(
        reminder=escalation, record=incident, title="t", body="b", url="/", now=now
    )
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False  # a database copied from a test machine into production
    (delivery,) = WebhookDelivery.objects.all()
    with pytest.raises(webhooks.WebhookRetry):
        webhooks.deliver_webhook(delivery_id=delivery.pk, now=now)
    assert receiver.posts == []
    assert "on this server" in WebhookDelivery.objects.get().last_error


# ---- the sweep ----


def test_the_sweep_hands_over_a_lost_retry_and_an_abandoned_claim_and_nothing_else(
    users, company, receiver, django_capture_on_commit_callbacks
):
    endpoint = channel(company, receiver)
    incident, escalation, now = overdue_incident()
    rows = [
        WebhookDelivery.objects.create(endpoint=endpoint, title=f"row {i}", payload={}, created_at=now)
        for i in range(5)
    ]
    lost, early, retry_due, abandoned, held = rows
    WebhookDelivery.objects.filter(pk=lost.pk).update(enqueued_at=now - timedelta(seconds=301))
    WebhookDelivery.objects.filter(pk=early.pk).update(enqueued_at=now - timedelta(seconds=10))
    WebhookDelivery.objects.filter(pk=retry_due.pk).update(
        next_attempt_at=now - timedelta(seconds=400), enqueued_at=now - timedelta(seconds=400)
    )
    WebhookDelivery.objects.filter(pk=abandoned.pk).update(
        status="sending", claimed_at=now - timedelta(seconds=301), enqueued_at=now - timedelta(seconds=400)
    )
    WebhookDelivery.objects.filter(pk=held.pk).update(
        status="sending", claimed_at=now - timedelta(seconds=30), enqueued_at=now - timedelta(seconds=400)
    )
    handed = []
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.sweep_webhook_deliveries(now=now, enqueue=handed.extend)
    assert sorted(handed) == sorted([lost.pk, retry_due.pk, abandoned.pk])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.sweep_webhook_deliveries(now=now + timedelta(seconds=10), enqueue=handed.extend)
    assert len(handed) == 3, "handed over again before the re-enqueue delay"


def test_the_tasks_acknowledge_late_have_time_limits_and_the_sweep_runs_every_minute(settings):
    for task in (deliver_webhook_task, sweep_webhook_deliveries_task):
        assert task.acks_late is True
        assert task.soft_time_limit < task.time_limit < settings.REMINDER_SENDING_LEASE_SECONDS
    assert settings.WEBHOOK_TIMEOUT_SECONDS < deliver_webhook_task.soft_time_limit
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-webhook-deliveries"]
    assert sweep["task"] == sweep_webhook_deliveries_task.name and sweep["schedule"] == 60.0


# ---- the address is a secret ----


def test_the_address_is_never_on_the_audit_trail_only_its_masked_form_and_when_it_was_set(users, company):
    secret, rotated = "T0/B0/firstS3cr3tZZZ1", "T0/B0/secondS3cr3tZZZ2"
    endpoint = webhooks.add_webhook_endpoint(
        actor=users["secretary"],
        company=company,
        name="Disclosure committee",
        kind="slack",
        url=f"https://hooks.slack.com/services/{secret}",
        now=timezone.now(),
    )
    later = timezone.now() + H
    webhooks.change_webhook_endpoint(
        actor=users["admin"],
        endpoint=endpoint,
        url=f"https://hooks.slack.com/services/{rotated}",
        reason="Rotated after a member left",
        now=later,
    )
    events = AuditEvent.objects.filter(object_type="notifications.webhookendpoint").order_by("seq")
    created, changed = events
    trail = json.dumps([event.changes for event in events])
    assert secret not in trail and rotated not in trail and "url" not in created.changes
    assert created.changes["url_hint"] == [None, "https://hooks.slack.com/…ZZZ1"]
    assert changed.changes["url_hint"] == ["https://hooks.slack.com/…ZZZ1", "https://hooks.slack.com/…ZZZ2"]
    assert "url_set_at" in changed.changes and changed.reason == "Rotated after a member left"
    assert changed.actor == users["admin"]
    endpoint.refresh_from_db()
    assert endpoint.url.endswith(rotated)


def test_a_blank_address_on_a_change_keeps_the_address(users, company):
    endpoint = webhooks.add_webhook_endpoint(
        actor=None,
        company=company,
        name="Legal",
        kind="teams",
        url="https://example.webhook.office.com/webhookb2/keepMe",
        now=timezone.now(),
    )
    webhooks.change_webhook_endpoint(
        actor=None, endpoint=endpoint, url="", name="Legal team", now=timezone.now()
    )
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("keepMe") and endpoint.name == "Legal team"
    assert AuditEvent.objects.filter(object_type="notifications.webhookendpoint").count() == 2


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/T0/B0/x", "must start with https://"),
        ("https://10.0.0.5/hook", "private network"),
        ("not an address", "no spaces"),
    ],
)
def test_the_service_refuses_an_address_against_the_rule(users, company, settings, url, message):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    with pytest.raises(webhooks.ValidationError) as refused:
        webhooks.add_webhook_endpoint(
            actor=None, company=company, name="x", kind="slack", url=url, now=timezone.now()
        )
    assert message in " ".join(refused.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_local_addresses_are_refused_unless_the_settings_allow_them(users, company, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    settings.DEBUG = False
    kwargs = dict(actor=None, company=company, name="local", kind="slack", url="http://127.0.0.1:9/x")
    with pytest.raises(webhooks.ValidationError, match="on this server"):
        webhooks.add_webhook_endpoint(now=timezone.now(), **kwargs)
    settings.DEBUG = True
    assert webhooks.add_webhook_endpoint(now=timezone.now(), **kwargs).pk


def test_an_endpoint_needs_a_known_kind_of_reminder_and_a_unique_name(users, company):
    kwargs = dict(actor=None, company=company, kind="slack", url="https://hooks.slack.com/services/a/b/c")
    with pytest.raises(webhooks.ValidationError, match="at least one kind"):
        webhooks.add_webhook_endpoint(name="none", events=[], now=timezone.now(), **kwargs)
    with pytest.raises(webhooks.ValidationError, match="Unknown kind"):
        webhooks.add_webhook_endpoint(name="odd", events=["board_gossip"], now=timezone.now(), **kwargs)
    webhooks.add_webhook_endpoint(name="Legal", now=timezone.now(), **kwargs)
    with pytest.raises(webhooks.ValidationError, match="already has a chat channel with this name"):
        webhooks.add_webhook_endpoint(name="Legal", now=timezone.now(), **kwargs)
