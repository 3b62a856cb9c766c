"""The notification center (web and API), the header badge, the stale-sweep banner and the operations page."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance_site.celery import app
from compliance_site.notifications.models import Notification, Reminder
from compliance_site.notifications.selectors import reminders_for_record
from compliance_site.ops.services import broker_queue_length, record_heartbeat
from compliance_site.ops.tasks import ping_task
from tests.clients import client_for
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def _notes(user, n, **kwargs):
    now = timezone.now()
    return [
        Notification.objects.create(
            user=user, title=f"Reminder {i}", body="Body", url="/regfd/incidents/1/", created_at=now, **kwargs
        )
        for i in range(n)
    ]


def test_the_header_shows_the_unread_count_linking_to_the_notification_center(users):
    _notes(users["secretary"], 3)
    _notes(users["secretary"], 1, read_at=timezone.now())
    html = client_for(users["secretary"]).get(reverse("dashboard")).content.decode()
    assert 'data-testid="unread-count">3<' in html
    assert f'href="{reverse("notifications:list")}"' in html


def test_no_badge_without_unread_notifications(users):
    html = client_for(users["employee"]).get(reverse("dashboard")).content.decode()
    assert 'data-testid="notifications-link"' in html and "unread-count" not in html


def test_the_list_shows_only_my_notifications(users):
    mine = _notes(users["secretary"], 2)
    theirs = _notes(users["counsel"], 1)
    response = client_for(users["secretary"]).get(reverse("notifications:list"))
    shown = [n.pk for n in response.context["page"].object_list]
    assert sorted(shown) == sorted(n.pk for n in mine) and theirs[0].pk not in shown


def test_the_unread_filter(users):
    _notes(users["secretary"], 2)
    _notes(users["secretary"], 1, read_at=timezone.now())
    response = client_for(users["secretary"]).get(reverse("notifications:list") + "?unread=1")
    assert len(response.context["page"].object_list) == 2


def test_mark_read_and_open_the_record(users):
    (note,) = _notes(users["secretary"], 1)
    client = client_for(users["secretary"])
    response = client.post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/regfd/incidents/1/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_without_open_returns_to_the_list(users):
    (note,) = _notes(users["secretary"], 1)
    response = client_for(users["secretary"]).post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")


def test_an_offsite_url_is_never_followed(users):
    (note,) = _notes(users["secretary"], 1)
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example.com/")
    response = client_for(users["secretary"]).post(
        reverse("notifications:read", args=[note.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_a_404(users):
    (note,) = _notes(users["counsel"], 1)
    response = client_for(users["secretary"]).post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(users):
    _notes(users["secretary"], 3)
    (other,) = _notes(users["counsel"], 1)
    response = client_for(users["secretary"]).post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=users["secretary"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_state_changes_refuse_get_and_need_csrf(users):
    (note,) = _notes(users["secretary"], 1)
    client = client_for(users["secretary"])
    assert client.get(reverse("notifications:read", args=[note.pk])).status_code == 405
    assert client.get(reverse("notifications:read-all")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["secretary"])
    assert strict.post(reverse("notifications:read-all")).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# ---- API ----


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_my_notifications_and_filters_unread(users):
    _notes(users["secretary"], 2)
    _notes(users["secretary"], 1, read_at=timezone.now())
    _notes(users["counsel"], 1)
    body = _api(users["secretary"]).get("/api/notifications/").json()
    assert body["count"] == 3
    assert set(body["results"][0]) == {"id", "title", "body", "url", "created_at", "read_at", "is_read"}
    assert _api(users["secretary"]).get("/api/notifications/?unread=true").json()["count"] == 2


def test_api_mark_read_and_mark_all_read(users):
    first, second = _notes(users["secretary"], 2)
    (theirs,) = _notes(users["counsel"], 1)
    client = _api(users["secretary"])
    assert client.post(f"/api/notifications/{first.pk}/mark-read/").json() == {"marked": 1}
    assert client.post(f"/api/notifications/{first.pk}/mark-read/").json() == {"marked": 0}
    assert client.post(f"/api/notifications/{theirs.pk}/mark-read/").status_code == 404
    assert client.post("/api/notifications/mark-all-read/").json() == {"marked": 1}
    assert APIClient().get("/api/notifications/").status_code == 401


# ---- query counts ----


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/notifications/", "/api/notifications/"])
def test_list_query_count_does_not_grow_with_rows(users, url):
    client = _api(users["secretary"]) if url.startswith("/api/") else client_for(users["secretary"])
    _notes(users["secretary"], 2)
    few = _count(client, url)
    _notes(users["secretary"], 20)
    assert _count(client, url) == few


def test_the_header_costs_one_query_for_the_badge_and_none_for_the_banner_unless_admin(users, monkeypatch):
    client = client_for(users["secretary"])
    url = reverse("company:profile")
    with_badge = _count(client, url)
    monkeypatch.setattr("compliance_site.context_processors.unread_count", lambda user: 0)
    assert with_badge - _count(client, url) == 1


# ---- administrators: stale sweep banner and the operations page ----


def test_administrators_are_warned_when_the_sweep_is_stale(users):
    record_heartbeat(name="sweep", now=timezone.now() - timedelta(minutes=6))
    assert (
        'data-testid="sweep-stale"' in client_for(users["admin"]).get(reverse("dashboard")).content.decode()
    )
    assert (
        'data-testid="sweep-stale"'
        not in client_for(users["secretary"]).get(reverse("dashboard")).content.decode()
    )
    record_heartbeat(name="sweep", now=timezone.now())
    assert (
        'data-testid="sweep-stale"'
        not in client_for(users["admin"]).get(reverse("dashboard")).content.decode()
    )


def test_the_operations_page_shows_the_sweep_the_queue_and_failed_reminders(users):
    now = timezone.now()
    record_heartbeat(name="sweep", now=now, detail="2 due, 0 taken over, 0 rescheduled")
    incident = IncidentFactory(due_at=now + timedelta(minutes=30))
    failed = reminders_for_record(incident).get(kind="incident_overdue")
    Reminder.objects.filter(pk=failed.pk).update(status=Reminder.Status.FAILED, last_error="SMTP 554 refused")
    response = client_for(users["admin"]).get(reverse("ops:status"))
    html = response.content.decode()
    assert response.context["due_reminders"] == 1  # the '1 h before' reminder is already due
    assert "2 due, 0 taken over" in html and "SMTP 554 refused" in html
    assert reverse("ops:reminder-retry", args=[failed.pk]) in html
    assert f'href="{reverse("regfd:incident-detail", args=[incident.pk])}">{incident.reference}' in html
    # The broker's queue, measured for the filesystem broker (make test) and Redis (make test-services).
    assert response.context["queue_length"] is not None and "waiting" in html


def test_the_queue_depth_counts_the_messages_waiting_in_the_broker():
    """Whatever the broker (filesystem under make test, Redis under make test-services): messages published
    to a queue no worker reads are counted, then purged."""
    queue = f"depth-{uuid.uuid4().hex[:8]}"
    try:
        assert broker_queue_length(queue) == 0
        for _ in range(3):
            ping_task.apply_async(args=["unconsumed"], queue=queue)
        assert broker_queue_length(queue) == 3
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    assert broker_queue_length(queue) == 0


def test_the_retry_button_queues_a_failed_reminder_again(
    users, django_capture_on_commit_callbacks, monkeypatch
):
    incident = IncidentFactory()
    reminder = reminders_for_record(incident).first()
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, attempts=5)
    handed = []
    monkeypatch.setattr("compliance_site.notifications.services.enqueue_reminders", handed.extend)
    client = client_for(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ops:reminder-retry", args=[reminder.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ops:status")
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING and reminder.attempts == 0 and handed == [reminder.pk]
    # Retrying again: it is no longer failed; the page says so rather than failing.
    response = client.post(reverse("ops:reminder-retry", args=[reminder.pk]), follow=True)
    assert "Only a failed reminder can be retried." in response.content.decode()


def test_only_administrators_may_retry(users):
    incident = IncidentFactory()
    reminder = reminders_for_record(incident).first()
    assert (
        client_for(users["secretary"]).post(reverse("ops:reminder-retry", args=[reminder.pk])).status_code
        == 403
    )
    assert (
        client_for(users["admin"]).get(reverse("ops:reminder-retry", args=[reminder.pk])).status_code == 405
    )
