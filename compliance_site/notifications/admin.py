from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance_site.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import Notification, Reminder, WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Reminders are written by the scheduler and the sweep only; the admin reads them and retries failures
    through the same service as the operations page."""

    list_display = ["kind", "content_type", "object_id", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    date_hierarchy = "due_at"
    actions = ["retry_failed"]

    @admin.action(description="Retry the selected failed reminders")
    def retry_failed(self, request, queryset):
        now = timezone.now()
        retried = 0
        for reminder in queryset.filter(status=Reminder.Status.FAILED):
            try:
                services.retry_reminder(actor=request.user, reminder=reminder, now=now)
            except ValidationError:
                continue
            retried += 1
        self.message_user(request, f"{retried} reminder(s) queued again.", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What each person was told and when: the evidence that a deadline's escalation reached its recipients
    (docs/architecture.md, "The life of a reminder"), so it is kept like any other record."""

    list_display = ["user", "title", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    """Chat channels, read-only: changed on their page through the service. The webhook address is a secret
    and is not shown here either, only its masked form."""

    list_display = ["name", "company", "kind", "url_hint", "enabled", "events", "url_set_at"]
    list_filter = ["kind", "enabled"]

    def _all_fields(self, model):
        return [name for name in super()._all_fields(model) if name not in model.SECRET_FIELDS]


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """What was posted to each chat channel and what each attempt got back; failures are retried on the
    operations page."""

    list_display = ["title", "endpoint", "status", "attempts", "created_at", "delivered_at"]
    list_filter = ["status"]
    list_select_related = ["endpoint"]
    inlines = [WebhookAttemptInline]
