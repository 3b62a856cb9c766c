import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from compliance_site.audit.recorder import register

from .roles import Role, capabilities_of


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone (e.g. America/Los_Angeles)")


@register(exclude=("password", "last_login"))
class User(AbstractUser):
    """A person signing in. Roles are separate rows so one person can hold several (a director on the
    compensation committee is both Board member and Committee member)."""

    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Times are shown in the exchange's zone (ET) and in this zone.",
    )
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        # Cached per request: permission checks run many times while rendering one page.
        if not hasattr(self, "_role_cache"):
            roles = {Role(r) for r in self.roles.values_list("role", flat=True)}
            if self.is_superuser:
                # `createsuperuser` bootstraps an installation: that account administers it.
                roles.add(Role.ADMIN)
            self._role_cache = frozenset(roles)
        return self._role_cache

    @property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return capabilities_of(self.role_set)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.role_set)]


@register
class RoleAssignment(models.Model):
    """One role held by one user. Granting and revoking roles is audited like any regulated record."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="roleassignment_unique_user_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="roleassignment_known_role",
                violation_error_message="Choose one of the application's roles.",
            ),
        ]
        ordering = ["user_id", "role"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"
