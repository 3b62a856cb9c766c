from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance_site.admin import ReadOnlyAdmin

from . import services
from .models import Notification, Reminder


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
