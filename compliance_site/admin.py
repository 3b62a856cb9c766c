"""What the admins of every app share (each app registers its own models in its `admin.py`)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the application's services (the audit trail, generated documents, reminders,
    attachments, Reg FD policy records): the admin shows them and never adds, changes or deletes one, so no
    rule a service enforces is skipped. `deletable` lets an administrator clear rows that are no record."""

    deletable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)
