"""Sending: the sweep hands due rows over; a worker claims each and delivers it once, by mail and in-app."""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from clawback.models import Executive, Restatement
from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.notifications import services
from compliance_site.notifications.models import Notification, Reminder
from compliance_site.notifications.selectors import reminders_for_record
from compliance_site.notifications.tasks import send_reminder_task, sweep_reminders_task
from compliance_site.ops.models import Heartbeat
from regfd.models import Incident
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


class FailingBackend(BaseEmailBackend):
    """An SMTP relay that refuses everything."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("relay went away")


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.test_delivery.FailingBackend"}}


def _due_now(users, **kwargs):
    """An incident due in 30 minutes: its '1 h before' reminder is due now (and only that one)."""
    now = timezone.now()
    incident = IncidentFactory(due_at=now + timedelta(minutes=30), reported_by=users["secretary"], **kwargs)
    (reminder,) = reminders_for_record(incident).filter(due_at__lte=now)
    return incident, reminder, now


def _collect():
    handed = []
    return handed, handed.extend


def test_the_sweep_hands_each_due_reminder_over_once_until_the_reenqueue_delay(
    users, django_capture_on_commit_callbacks
):
    _, reminder, now = _due_now(users)
    handed, enqueue = _collect()
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_reminders(now=now, enqueue=enqueue)
    assert handed == [reminder.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_reminders(now=now + timedelta(seconds=10), enqueue=enqueue)
    assert handed == [reminder.pk], "handed over again before the re-enqueue delay"
    # The message was lost (broker restarted): after the delay the sweep hands it over again.
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_reminders(now=now + timedelta(seconds=301), enqueue=enqueue)
    assert handed == [reminder.pk, reminder.pk]
    beat = Heartbeat.objects.get(name="sweep")
    assert beat.last_seen == now + timedelta(seconds=301)


def test_the_sweep_enqueues_nothing_until_commit(users, django_capture_on_commit_callbacks):
    _due_now(users)
    handed, enqueue = _collect()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sweep_reminders(now=timezone.now(), enqueue=enqueue)
    assert handed == [] and len(callbacks) == 1


def test_a_due_reminder_is_delivered_by_email_and_in_app_exactly_once(users):
    incident, reminder, now = _due_now(users)
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "sent"
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "skipped"
    reminder.refresh_from_db()
    assert (
        reminder.status == Reminder.Status.SENT and reminder.sent_at == now and reminder.recipient_count == 1
    )
    (message,) = mail.outbox
    assert message.to == [users["secretary"].email]
    assert incident.reference in message.subject
    assert f"https://compliance.example.com/regfd/incidents/{incident.pk}/" in message.body
    assert (
        message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}-{users['secretary'].pk}@localhost>"
    )
    (note,) = Notification.objects.all()
    assert (
        note.user == users["secretary"]
        and note.url == f"/regfd/incidents/{incident.pk}/"
        and note.read_at is None
    )
    assert AuditEvent.objects.filter(verb="send_reminder", object_id=str(incident.pk)).count() == 1


def test_a_reminder_not_yet_due_is_not_sent(users):
    incident = IncidentFactory(due_at=timezone.now() + 23 * H)
    reminder = reminders_for_record(incident).first()
    assert services.send_reminder(reminder_id=reminder.pk, now=timezone.now()) == "skipped"
    assert mail.outbox == []


def test_escalation_goes_to_the_officers_and_counsel_and_schedules_the_next_one(users):
    now = timezone.now()
    incident = IncidentFactory(due_at=now - 5 * H)
    escalation = reminders_for_record(incident).get(kind="incident_overdue", due_at=incident.due_at + 4 * H)
    assert services.send_reminder(reminder_id=escalation.pk, now=now) == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users["officer"].email, users["counsel"].email])
    assert mail.outbox[0].subject.startswith("[Compliance] Escalation:")
    nxt = reminders_for_record(incident).get(kind="incident_overdue", status=Reminder.Status.PENDING)
    assert nxt.due_at == incident.due_at + 8 * H
    # Sent late (a long outage): the one after is the next future instant, not a catch-up burst.
    assert services.send_reminder(reminder_id=nxt.pk, now=incident.due_at + 13 * H) == "sent"
    pending = reminders_for_record(incident).filter(kind="incident_overdue", status=Reminder.Status.PENDING)
    assert [r.due_at for r in pending] == [incident.due_at + 16 * H]


def test_review_reminders_go_to_committee_members_not_recused_nor_covered(users, clawback_case):
    covered = UserFactory(username="committee-exec", roles=[Role.COMMITTEE])
    executive = Executive.objects.create(company=clawback_case.company, key="cao", name="Casey", user=covered)
    clawback_case.covered_executives.add(executive)
    clawback_case.status = Restatement.Status.REVIEW
    clawback_case.save()
    reminder = reminders_for_record(clawback_case).get(kind="review_due")
    at = reminder.due_at + timedelta(minutes=1)
    assert services.send_reminder(reminder_id=reminder.pk, now=at) == "sent"
    # committee2 is recused from the case; committee-exec is one of its covered executives.
    assert [m.to for m in mail.outbox] == [[users["committee"].email]]
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["committee"]
    assert f"/clawback/restatements/{clawback_case.pk}/" in mail.outbox[0].body
    # The next review reminder, 14 days later, is scheduled.
    assert reminders_for_record(clawback_case).filter(kind="review_due", status="pending").count() == 1


def test_a_claim_abandoned_by_a_killed_worker_is_taken_over_after_the_lease_and_delivered_once(
    users, django_capture_on_commit_callbacks
):
    _, reminder, now = _due_now(users)
    config = services.sources.current_config()
    assert services._claim(reminder_id=reminder.pk, now=now, config=config) is not None  # ... then SIGKILL
    assert services.send_reminder(reminder_id=reminder.pk, now=now + timedelta(seconds=60)) == "skipped"
    later = now + config.sending_lease + timedelta(seconds=1)
    handed, enqueue = _collect()
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_reminders(now=later, enqueue=enqueue)
    assert handed == [reminder.pk]
    assert services.send_reminder(reminder_id=reminder.pk, now=later) == "sent"
    reminder.refresh_from_db()
    assert reminder.attempts == 2 and reminder.status == Reminder.Status.SENT
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_worker_that_lost_its_claim_does_not_deliver_in_app_again(users):
    incident, reminder, now = _due_now(users)
    config = services.sources.current_config()
    slow = services._claim(reminder_id=reminder.pk, now=now, config=config)
    later = now + config.sending_lease + timedelta(seconds=1)
    assert services.send_reminder(reminder_id=reminder.pk, now=later) == "sent"  # the take-over
    result = services._mark_sent(
        slow, record=incident, users=[users["secretary"]], title="t", body="b", url="/", now=later
    )
    assert result == "superseded"
    assert Notification.objects.count() == 1


def test_a_delivery_error_releases_the_row_for_a_retry_then_fails_after_the_last_attempt(
    users, failing_mail, settings
):
    _, reminder, now = _due_now(users)
    for attempt in (1, 2):
        with pytest.raises(services.DeliveryError, match="relay went away"):
            services.send_reminder(reminder_id=reminder.pk, now=now + attempt * timedelta(seconds=30))
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.PENDING and reminder.attempts == attempt
        assert "SMTPServerDisconnected" in reminder.last_error
    assert services.send_reminder(reminder_id=reminder.pk, now=now + timedelta(minutes=2)) == "failed"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED and reminder.attempts == settings.REMINDER_MAX_ATTEMPTS
    assert Notification.objects.count() == 0


def test_retrying_a_failed_reminder_delivers_it(
    users, failing_mail, settings, eager_celery, django_capture_on_commit_callbacks
):
    _, reminder, now = _due_now(users)
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, attempts=3, last_error="x")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_reminder(actor=users["admin"], reminder=reminder, now=timezone.now())
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb="retry_reminder", object_id=str(reminder.pk)).exists()


def test_only_a_failed_reminder_can_be_retried(users):
    _, reminder, _ = _due_now(users)
    with pytest.raises(services.ValidationError):
        services.retry_reminder(actor=users["admin"], reminder=reminder, now=timezone.now())


def test_a_reminder_nobody_may_receive_fails_visibly(users):
    _, reminder, now = _due_now(users)
    RoleAssignment.objects.filter(role=Role.SECRETARY).delete()
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "failed"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED and "secretary" in reminder.last_error


def test_a_reminder_made_obsolete_behind_the_signals_back_is_cancelled_when_due(users):
    incident, reminder, now = _due_now(users)
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.DISCLOSED)  # no post_save
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "cancelled"
    assert mail.outbox == []
    assert not reminders_for_record(incident).filter(status=Reminder.Status.PENDING).exists()


# ---- the tasks ----


def test_the_sweep_task_runs_the_send_tasks_end_to_end(
    users, eager_celery, django_capture_on_commit_callbacks
):
    _due_now(users)
    IncidentFactory(due_at=timezone.now() - 5 * H)  # overdue: at-deadline reminder and an escalation due
    with django_capture_on_commit_callbacks(execute=True):
        sweep_reminders_task.delay()
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 3
    assert Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=timezone.now()).count() == 0
    assert len(mail.outbox) == 1 + 1 + 2  # secretary, secretary, officer and counsel


def test_the_send_task_is_safe_to_run_twice(users):
    _, reminder, _ = _due_now(users)
    assert send_reminder_task.apply(args=[reminder.pk]).get() == "sent"
    assert send_reminder_task.apply(args=[reminder.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_the_send_task_retries_a_delivery_error_then_gives_up(users, failing_mail, settings):
    _, reminder, _ = _due_now(users)
    # Eagerly, Celery runs the retries at once instead of after the backoff.
    assert send_reminder_task.apply(args=[reminder.pk]).get() == "failed"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED and reminder.attempts == settings.REMINDER_MAX_ATTEMPTS


def test_tasks_acknowledge_late_and_have_time_limits():
    for task in (send_reminder_task, sweep_reminders_task):
        assert task.acks_late is True
        assert task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit
    assert send_reminder_task.autoretry_for == (services.DeliveryError,)
    assert send_reminder_task.time_limit < settings.REMINDER_SENDING_LEASE_SECONDS
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-reminders"]
    assert sweep["task"] == sweep_reminders_task.name and sweep["schedule"] == 60.0
