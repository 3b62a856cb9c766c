"""Reminders (what is due to be said, to whom, when), notifications (what was said to one person), and the
chat channels reminders are posted to (webhook endpoints, their deliveries and each attempt)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.company.models import Company
from compliance_site.db import check, unique, user_ref

from . import schedule
from .webhooks import rules as webhook_rules


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


# ---------------------------------------------------------------------------------------------------------
# Chat channels (docs/architecture.md, "Chat notifications")
# ---------------------------------------------------------------------------------------------------------


def local_addresses_allowed() -> bool:
    """Plain http to this machine is accepted as a webhook address in development (DEBUG) and where
    WEBHOOK_ALLOW_LOCAL_HTTP says so (tests posting to a local receiver); production refuses both."""
    return bool(settings.DEBUG or getattr(settings, "WEBHOOK_ALLOW_LOCAL_HTTP", False))


@register(exclude=("url",))
class WebhookEndpoint(models.Model):
    """A chat channel's incoming webhook (Slack or Microsoft Teams) that receives the company's reminders of
    the kinds chosen: escalations of overdue incidents by default. The message is the e-mail's, so it carries
    no material nonpublic information (registry.py); everyone in the channel reads it.

    The address is a bearer secret: it is never shown again once saved, never written to the audit trail
    nor to the row history (`SECRET_FIELDS`); `url_hint` (masked) and `url_set_at` are, so a changed address
    is on record without the address. It is https only (webhooks/rules.py, `address_problem`). Turned off
    rather than deleted: its deliveries are the record of what was posted."""

    class Kind(models.TextChoices):
        SLACK = webhook_rules.SLACK, "Slack"
        TEAMS = webhook_rules.TEAMS, "Microsoft Teams"

    SECRET_FIELDS = ("url",)
    DEFAULT_EVENTS = (Reminder.Kind.INCIDENT_OVERDUE.value,)

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="webhook_endpoints")
    name = models.CharField(max_length=100, help_text="e.g. 'Disclosure committee channel'.")
    kind = models.CharField("chat service", max_length=10, choices=Kind.choices)
    url = models.CharField("webhook address", max_length=webhook_rules.MAX_ADDRESS_CHARS)
    url_hint = models.CharField("webhook address (masked)", max_length=200)
    url_set_at = models.DateTimeField("address last set")
    enabled = models.BooleanField("on", default=True)
    events = models.CharField(
        max_length=300,
        default=",".join(DEFAULT_EVENTS),
        help_text="The kinds of reminder posted, comma-separated (Reminder kinds).",
    )
    created_at = models.DateTimeField()
    created_by = user_ref(optional=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["company", "name", "id"]
        constraints = [
            unique(
                "company",
                "name",
                name="webhookendpoint_unique_name",
                message="The company already has a chat channel with this name.",
            ),
            check(
                Q(kind__in=["slack", "teams"]),
                name="webhookendpoint_known_kind",
                message="Choose Slack or Microsoft Teams.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def event_list(self) -> list[str]:
        return [kind for kind in self.events.split(",") if kind]

    def event_labels(self) -> list[str]:
        labels = dict(Reminder.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.event_list]

    def clean(self):
        errors = {}
        problem = webhook_rules.address_problem(self.url, allow_local=local_addresses_allowed())
        if problem:
            errors["url"] = problem
        unknown = [kind for kind in self.event_list if kind not in Reminder.Kind.values]
        if not self.event_list:
            errors["events"] = "Choose at least one kind of reminder to post."
        elif unknown:
            errors["events"] = "Unknown kind of reminder."
        if errors:
            raise ValidationError(errors)


class WebhookDelivery(models.Model):
    """One reminder posted to one chat endpoint: the unit of chat delivery.

    Unique per (endpoint, reminder), so a reminder reaches a channel at most once however often its delivery
    step runs. The payload is built once, when the reminder goes out, and every attempt posts those bytes.
    Life cycle: pending → sending (claimed by one worker) → delivered; sending → pending again after a failed
    attempt (retried after `next_attempt_at`, with backoff) and → failed after WEBHOOK_MAX_ATTEMPTS; pending →
    cancelled when the endpoint was turned off before its turn. A claim older than the lease is taken over.
    Failed and waiting deliveries are listed on the operations page, where an administrator retries them."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be posted"
        SENDING = "sending", "Being posted"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not posted: the channel was turned off"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    reminder = models.ForeignKey(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_deliveries"
    )
    title = models.CharField(max_length=200)
    payload = models.JSONField(help_text="The body posted, built when the reminder went out.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts since it was queued, or since an administrator last retried it."
    )
    last_status_code = models.PositiveSmallIntegerField("last answer (HTTP status)", null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last handed to the broker (a retry: the time it was handed over for).",
    )
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="Last claimed by a worker.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            unique(
                "endpoint",
                "reminder",
                condition=Q(reminder__isnull=False),
                name="webhookdelivery_once_per_endpoint_reminder",
                message="This reminder was already queued for this chat channel.",
            ),
            check(
                Q(status__in=["pending", "sending", "delivered", "failed", "cancelled"]),
                name="webhookdelivery_known_status",
                message="Unknown delivery status.",
            ),
            check(
                ~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhookdelivery_delivered_has_time",
                message="A delivered message needs the time it was delivered.",
            ),
        ]
        indexes = [
            # The sweep's queries: waiting rows by their next attempt, claims by their age (partial: the few
            # rows not yet settled, however many were ever posted). The operations page lists failed ones.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="webhookdelivery_pending_idx"
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="webhookdelivery_sending_idx"
            ),
            models.Index(
                fields=["created_at"], condition=Q(status="failed"), name="webhookdelivery_failed_idx"
            ),
        ]

    def __str__(self):
        return f"Chat message {self.pk} to {self.endpoint.name}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, what the chat service answered (its HTTP status) or why there was no
    answer (timeout, refused connection), in words, never with the address."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField("answer (HTTP status)", null=True, blank=True)
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [unique("delivery", "number", name="webhookattempt_unique_number")]

    def __str__(self):
        return f"Attempt {self.number} of chat message {self.delivery_id}"
