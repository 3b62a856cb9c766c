from django.contrib import admin

from compliance_site.admin import ReadOnlyAdmin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "version", "content_type", "object_id", "sha256", "uploaded_at"]
