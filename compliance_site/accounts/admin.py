from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User

# Administration, not a regulated record, so edited here: who may sign in and which roles they hold is the
# administrators' own work (granting a role is audited like any save: User and RoleAssignment are registered
# with the audit trail). Every regulated record is read-only in the admin (compliance_site/admin.py).


class RoleInline(admin.TabularInline):
    """The roles of a user, with the title (CEO or CFO) on an Authorized Officer role: the steps the policy
    reserves to the CFO (the Regulation G review, policy I.F) go by it."""

    model = RoleAssignment
    extra = 0
    fields = ["role", "title"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "roles_display"]
    fieldsets = BaseUserAdmin.fieldsets + (("Preferences", {"fields": ("title", "time_zone")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description="Roles")
    def roles_display(self, obj):
        return ", ".join(
            f"{r.get_role_display()}: {r.get_title_display()}" if r.title else r.get_role_display()
            for r in obj.roles.all()
        )
