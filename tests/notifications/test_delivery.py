"""Sending: the sweep hands due rows over; a worker claims each and delivers it once, by mail and in-app."""

import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from clawback.models import Executive, RecoveryClaim, Restatement
from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import FiscalPeriod
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
        and note.emailed_at == now
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
    result = services._mark_sent(slow, record=incident, users=[users["secretary"]], now=later)
    assert result == "superseded"
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


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
    # The mail relay being down never holds back the in-app channel: one notification, e-mail still owed.
    (note,) = Notification.objects.all()
    assert note.user == users["secretary"] and note.emailed_at is None


class RefuseOnceBackend(BaseEmailBackend):
    """A relay that accepts every message except, once each, those to the addresses in `refuse`."""

    refuse: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in self.refuse:
                self.refuse.discard(message.to[0])
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"mailbox busy, try later")})
            mail.outbox.append(message)
        return len(messages)


def test_a_retry_after_a_partial_mail_failure_emails_only_the_recipients_still_owed(users, settings):
    """An escalation to two people: the relay accepts the first message and refuses the second. The retry
    sends the second only; each person gets exactly one e-mail and one notification."""
    now = timezone.now()
    incident = IncidentFactory(due_at=now - 5 * H)
    escalation = reminders_for_record(incident).get(kind="incident_overdue", due_at=incident.due_at + 4 * H)
    first, second = sorted([users["officer"], users["counsel"]], key=lambda user: user.pk)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefuseOnceBackend"}}
    RefuseOnceBackend.refuse = {second.email}
    with pytest.raises(services.DeliveryError, match="mailbox busy"):
        services.send_reminder(reminder_id=escalation.pk, now=now)
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert Notification.objects.filter(reminder=escalation).count() == 2  # both notified in the app
    assert services.send_reminder(reminder_id=escalation.pk, now=now + timedelta(seconds=30)) == "sent"
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        services.message_id(escalation, first),
        services.message_id(escalation, second),
    ]
    assert Notification.objects.filter(reminder=escalation, emailed_at__isnull=True).count() == 0
    escalation.refresh_from_db()
    assert escalation.status == Reminder.Status.SENT and escalation.attempts == 2


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no `except Exception` catches it."""


def test_a_delivery_taken_over_after_the_mail_went_out_does_not_send_it_again(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    """The worker dies after the mail server accepted the message and `emailed_at` was committed, before
    the reminder was marked sent: the worker that takes the claim over finishes without a second e-mail."""
    _, reminder, now = _due_now(users)

    def killed(*args, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(services, "_mark_sent", killed)
        with pytest.raises(WorkerKilled):
            services.send_reminder(reminder_id=reminder.pk, now=now)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENDING and len(mail.outbox) == 1
    # A redelivered task inside the lease finds the row claimed and does nothing.
    assert services.send_reminder(reminder_id=reminder.pk, now=now + timedelta(seconds=5)) == "skipped"
    later = now + services.sources.current_config().sending_lease + timedelta(seconds=1)
    handed, enqueue = _collect()
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_reminders(now=later, enqueue=enqueue)
    assert handed == [reminder.pk]
    assert services.send_reminder(reminder_id=reminder.pk, now=later) == "sent"
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 2


def test_a_recipient_without_an_address_is_notified_in_the_app_only(users):
    users["secretary"].email = ""
    users["secretary"].save()
    _, reminder, now = _due_now(users)
    assert services.send_reminder(reminder_id=reminder.pk, now=now) == "sent"
    assert mail.outbox == []
    (note,) = Notification.objects.all()
    assert note.user == users["secretary"] and note.emailed_at is None


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


# ---- clawback: who gets what follows the roles ----


def _case_in_recovery(case):
    with audit_context(reason="test setup"):
        for status in (Restatement.Status.REVIEW, Restatement.Status.APPROVED, Restatement.Status.RECOVERY):
            case.status = status
            case.save()
    return case


def _recipients():
    return sorted(Notification.objects.values_list("user__username", flat=True))


@pytest.mark.parametrize(
    ("days_outstanding", "kind"), [(160, "recovery_approaching"), (200, "recovery_outstanding")]
)
def test_recovery_ageing_reminders_go_to_the_secretary_and_the_committee_never_the_executive(
    users, clawback_case, days_outstanding, kind
):
    _case_in_recovery(clawback_case)
    claim = RecoveryClaim.objects.create(
        restatement=clawback_case,
        executive=clawback_case.covered_executives.get(key="ceo"),  # the officer persona's own pay
        amount_owed=Decimal("250000.00"),
        determined_on=timezone.localdate() - timedelta(days=days_outstanding),
    )
    reminder = reminders_for_record(claim).get(due_at__lte=timezone.now())  # the latest past one only
    assert reminder.kind == kind
    assert services.send_reminder(reminder_id=reminder.pk, now=timezone.now()) == "sent"
    # committee2 is recused from voting, not from the case: the balance is theirs to know about. The
    # officer is the executive who owes it and never sees the case.
    assert _recipients() == ["committee", "committee2", "secretary"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        users[name].email for name in ("committee", "committee2", "secretary")
    )
    # Who owes what stays on the case's page: the e-mail names the claim and the case only (issue #15).
    assert all(f"claim #{claim.pk} in case #{clawback_case.pk}" in m.subject for m in mail.outbox)
    assert not any("250,000" in m.subject + m.body or "Avery Chen" in m.subject + m.body for m in mail.outbox)
    assert all(f"/clawback/restatements/{clawback_case.pk}/" in m.body for m in mail.outbox)


def test_fiscal_year_end_reminders_go_to_the_secretary_and_the_committee(users, clawback_case):
    today = timezone.localdate()
    FiscalPeriod.objects.create(
        company=clawback_case.company,
        label="FY-test",
        start=today - timedelta(days=340),
        end=today + timedelta(days=20),
    )
    _case_in_recovery(clawback_case)
    reminder = reminders_for_record(clawback_case).get(kind="fiscal_year_end", due_at__lte=timezone.now())
    assert reminder.label == "30 days before the fiscal year end"  # due already: the latest past one
    assert services.send_reminder(reminder_id=reminder.pk, now=timezone.now()) == "sent"
    assert _recipients() == ["committee", "committee2", "secretary"]
    assert mail.outbox[0].subject.startswith("[Compliance] Fiscal-year-end disclosure data due:")
    # The at-the-year-end one is still to come.
    assert reminders_for_record(clawback_case).filter(kind="fiscal_year_end", status="pending").count() == 1


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
    # Often enough that a reminder leaves within seconds of falling due; the sweep itself stays the
    # slower task (its time limit is far above its period).
    assert sweep["task"] == sweep_reminders_task.name and 0 < sweep["schedule"] <= 5.0
