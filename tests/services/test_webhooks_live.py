"""Chat notifications for real: PostgreSQL, a private Redis, a live Celery worker and beat (the stack of
test_reminders_live.py). An overdue incident's escalation is sent by the sweep, and the worker posts it to a
local receiver standing for Slack; a channel that refuses every post is failed after its last attempt and
listed for the operations page. Run by `make test-services`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance_site.notifications.models import WebhookDelivery
from compliance_site.notifications.webhooks import selectors
from compliance_site.notifications.webhooks.services import add_webhook_endpoint
from tests.factories import CompanyFactory, IncidentFactory
from tests.notifications.webhook_receiver import Receiver
from tests.services.test_reminders_live import Stack, _require_services, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat_stack(transactional_db, tmp_path, settings):
    _require_services()
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    running = Stack(tmp_path, {"WEBHOOK_ALLOW_LOCAL_HTTP": "1", "WEBHOOK_MAX_ATTEMPTS": "1"})
    try:
        running.start()
        yield running
    except BaseException:
        print(running.tail())
        raise
    finally:
        running.stop()


def test_a_live_worker_posts_the_escalation_and_fails_a_refusing_channel_visibly(chat_stack, users):
    with Receiver() as receiver:
        company = CompanyFactory()
        receiver.refusing.add("refusingDDDD")
        for name, token in (("Escalations", "acceptingCCCC"), ("Broken", "refusingDDDD")):
            add_webhook_endpoint(
                actor=None,
                company=company,
                name=name,
                kind="slack",
                url=receiver.url(token),
                now=timezone.now(),
            )
        incident = IncidentFactory(due_at=timezone.now() - timedelta(hours=5))
        try:
            wait_until(
                lambda: WebhookDelivery.objects.filter(status__in=["delivered", "failed"]).count() == 2,
                timeout=30,
                what="the escalation posted to both channels",
            )
        except BaseException:
            print(chat_stack.tail())
            raise
    delivered = WebhookDelivery.objects.get(endpoint__name="Escalations")
    failed = WebhookDelivery.objects.get(endpoint__name="Broken")
    assert delivered.status == "delivered" and failed.status == "failed"
    assert delivered.title.startswith(f"Escalation: {incident.reference}")
    assert [post.path.rsplit("/", 1)[1] for post in receiver.posts].count("acceptingCCCC") == 1
    assert "500" in failed.last_error
    assert [d.pk for d in selectors.failed_deliveries()] == [failed.pk]
