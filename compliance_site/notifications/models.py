"""Reminders (what is due to be said, to whom, when) and notifications (what was said to one person)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from compliance_site.db import check, unique

from . import schedule


class Reminder(models.Model):
    """One reminder about one record, due at one instant: the unit of exactly-once delivery.

    The key (record, kind, due_at) is unique, so scheduling the same reminder twice is a no-op and a
    reminder is sent at most once. The sweep polls `due_at` through a partial index on pending rows
    (healthchecks' `alert_after` and sendalerts), so a worker or broker outage delays a reminder, never
    loses it. `anchor_at` is the deadline or start the instant was computed from: when the record's deadline
    moves, pending reminders with the old anchor are cancelled and new ones scheduled.

    Life cycle: pending → sending (claimed by one worker) → sent; pending → cancelled (record closed, deadline
    moved); sending → pending again on a delivery error (retried with backoff) and → failed after
    REMINDER_MAX_ATTEMPTS or when nobody may receive it. A claim older than the lease is taken over. What
    reached each recipient is on the Notification rows (in-app at once, `emailed_at` per e-mail copy), so
    a retry resumes the delivery rather than repeating it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        # The values are schedule.Kind's (the pure rule module); a test keeps the two in step.
        INCIDENT_DUE = schedule.Kind.INCIDENT_DUE.value, "Incident deadline reminder"
        INCIDENT_OVERDUE = schedule.Kind.INCIDENT_OVERDUE.value, "Overdue incident escalation"
        REVIEW_DUE = schedule.Kind.REVIEW_DUE.value, "Committee review reminder"
        RECOVERY_APPROACHING = schedule.Kind.RECOVERY_APPROACHING.value, "Recovery nearing 180 days"
        RECOVERY_OUTSTANDING = schedule.Kind.RECOVERY_OUTSTANDING.value, "Recovery outstanding 180 days"
        FISCAL_YEAR_END = schedule.Kind.FISCAL_YEAR_END.value, "Fiscal-year-end disclosure data due"
        VOTE_OPEN = schedule.Kind.VOTE_OPEN.value, "A vote of the body is open"
        VOTE_CLOSING = schedule.Kind.VOTE_CLOSING.value, "A vote of the body is closing"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField()
    anchor_at = models.DateTimeField(help_text="The deadline or start the due time was computed from.")
    label = models.CharField(max_length=120, help_text="e.g. '4 h before the deadline'.")
    roles = models.CharField(max_length=120, help_text="Recipient roles, comma-separated.")
    rule_version = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the broker.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="Last claimed by a worker.")
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            unique("content_type", "object_id", "kind", "due_at", name="reminder_unique_record_kind_due"),
            check(
                Q(status__in=["pending", "sending", "sent", "cancelled", "failed"]),
                name="reminder_known_status",
                message="Unknown reminder status.",
            ),
            check(
                ~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_sent_at",
                message="A sent reminder needs the time it was sent.",
            ),
        ]
        indexes = [
            # The sweep's query: pending rows by due time. Partial, so it holds only the few pending rows
            # however many reminders were ever sent.
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            # Claims abandoned by a killed worker, taken over after the lease.
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="reminder_sending_claim_idx"
            ),
            models.Index(fields=["due_at"], condition=Q(status="failed"), name="reminder_failed_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id} at {self.due_at:%Y-%m-%d %H:%M}Z"

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]


class Notification(models.Model):
    """One message in one person's notification center (the in-app channel), linking to its record, and the
    record of its e-mail copy.

    Created before any e-mail is sent and unique per (reminder, user), so the in-app channel is exactly once
    even when a worker dies mid-delivery and never waits for a mail relay. `emailed_at` is committed as soon
    as the mail server accepts the copy, so a retried delivery e-mails only the recipients still owed one
    (services.py explains the one crash window left)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.ForeignKey(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="Where the record is, on this site.")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mail server accepted the e-mail copy; empty while owed."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            unique(
                "reminder",
                "user",
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder_user",
                message="This person was already notified of this reminder.",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]

    def __str__(self):
        return f"{self.user}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
