import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from compliance_site.audit.recorder import register
from compliance_site.db import check, unique

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

    @property
    def officer_title(self) -> str:
        """The title on the user's Authorized Officer role, "ceo" or "cfo"; "" when untitled or no officer.

        Reads the roles prefetched with the user when there are (a list of officers), else asks once."""
        if "roles" in getattr(self, "_prefetched_objects_cache", {}):
            titles = [a.title for a in self.roles.all() if a.role == Role.OFFICER]
        else:
            titles = list(self.roles.filter(role=Role.OFFICER).values_list("title", flat=True))
        return titles[0] if titles else ""

    @property
    def name_with_title(self) -> str:
        """The name, with the officer's title when there is one: "Avery Chen, CEO"."""
        title = self.officer_title
        return f"{self}, {RoleAssignment.Title(title).label}" if title else str(self)


@register
class RoleAssignment(models.Model):
    """One role held by one user. Granting and revoking roles is audited like any regulated record.

    The Authorized Officer role is held by the CEO and the CFO (Reg FD policy I.A), and some steps are the
    CFO's alone (the Regulation G review, policy I.F), so an officer's assignment says which of the two it is.
    An officer without a title is neither: the steps reserved to one of them refuse and say so."""

    class Title(models.TextChoices):
        CEO = "ceo", "CEO"
        CFO = "cfo", "CFO"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=3,
        choices=Title.choices,
        blank=True,
        default="",
        help_text="Authorized officers only: which of the two officers the policy names this user is.",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="roleassignment_unique_user_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="roleassignment_known_role",
                violation_error_message="Choose one of the application's roles.",
            ),
            check(
                models.Q(title="") | models.Q(role=Role.OFFICER, title__in=["ceo", "cfo"]),
                name="roleassignment_title_only_for_officer",
                message="Only the Authorized Officer role carries a title, and it is CEO or CFO.",
            ),
            # One CEO and one CFO: a step reserved to the CFO must never find two. A new CFO is titled after
            # the title is taken off the former one's role (or the role removed).
            unique(
                "title",
                condition=~models.Q(title=""),
                name="roleassignment_one_holder_per_title",
                message="Another user already holds this title: take it off their officer role first.",
            ),
        ]
        ordering = ["user_id", "role"]

    def __str__(self):
        title = f" ({self.get_title_display()})" if self.title else ""
        return f"{self.user} — {self.get_role_display()}{title}"
