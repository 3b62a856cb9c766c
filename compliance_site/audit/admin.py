from django.contrib import admin

from compliance_site.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail can be browsed here but never changed or deleted."""

    list_display = ["seq", "at", "actor_repr", "action", "verb", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_repr", "reason"]
