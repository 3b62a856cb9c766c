"""Regulation FD records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from compliance_site.audit.recorder import register


@register
class Incident(models.Model):
    """A selective disclosure of possibly material nonpublic information to a Specified Person, and the
    public disclosure that cures it (Regulation FD, 17 CFR 243.100; policy I.B).

    The deadline is computed by regfd.deadlines from T0 (`learned_at`) and stored with what produced it;
    `due_at` (the working deadline) is indexed for the polled reminder sweep while the incident is open.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISCLOSED = "disclosed", "Publicly disclosed"
        NOT_REQUIRED = "not_required", "Closed — disclosure not required"

    class RecipientCategory(models.TextChoices):
        ANALYST = "analyst", "Securities analyst"
        INSTITUTIONAL = "institutional_investor", "Institutional investor"
        MONEY_MANAGER = "money_manager", "Money manager"
        ADVISER = "investment_adviser", "Investment adviser"
        BROKER = "broker", "Securities broker or dealer"
        MUTUAL_FUND = "mutual_fund", "Mutual fund"
        SHAREHOLDER = "shareholder", "Shareholder"

    class Outcome(models.TextChoices):
        PENDING = "", "Pending"
        ON_TIME = "on_time", "Disclosed on time"
        LATE = "late", "Disclosed late"
        NOT_REQUIRED = "not_required", "Not required"

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    disclosed_by = models.CharField(max_length=200, help_text="Who made the disclosure.")
    recipient_name = models.CharField(max_length=200)
    recipient_firm = models.CharField(max_length=200, blank=True)
    recipient_category = models.CharField(max_length=30, choices=RecipientCategory.choices)
    information = models.TextField(help_text="What was disclosed.")
    disclosed_at = models.DateTimeField(help_text="When the information was disclosed.")
    learned_at = models.DateTimeField(help_text="T0: when a senior official learned of the disclosure.")
    learned_by = models.CharField(max_length=200, help_text="The senior official who learned of it.")
    intentional = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="reported_incidents"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    # The computed deadline and what produced it (STYLE 15): re-performable by an auditor.
    outer_limit = models.DateTimeField()
    policy_target = models.DateTimeField()
    due_at = models.DateTimeField(help_text="The working deadline: the earlier of the two.")
    calendar_version = models.CharField(max_length=40)
    rule_version = models.CharField(max_length=40)
    deadline_explanation = models.TextField(blank=True)
    public_disclosure_at = models.DateTimeField(null=True, blank=True)
    public_disclosure_method = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="incident_open_due_idx"),
            models.Index(fields=["status", "due_at"], name="incident_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(learned_at__gte=F("disclosed_at")), name="incident_learned_after_disclosed"
            ),
            models.CheckConstraint(
                condition=Q(public_disclosure_at__isnull=True)
                | Q(public_disclosure_at__gte=F("disclosed_at")),
                name="incident_public_after_disclosed",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def is_signed_off(self) -> bool:
        return self.status != self.Status.OPEN
