from django.contrib import admin

from .models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "status", "due_at", "outcome"]
    list_filter = ["status", "outcome"]
    search_fields = ["reference", "title", "recipient_name"]
    readonly_fields = [
        "outer_limit",
        "policy_target",
        "due_at",
        "calendar_version",
        "rule_version",
        "deadline_explanation",
    ]
