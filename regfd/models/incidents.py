"""Regulation FD records."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from compliance_site.audit.recorder import register
from compliance_site.db import not_before, user_ref

# The Corporate Secretary's working order: open incidents first, then by deadline. The incident list sorts
# by it and an index is built on it; the two must be the same expression for the index to serve the sort.
OPEN_FIRST = Case(When(status="open", then=Value(0)), default=Value(1))


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

    class DisclosureMethod(models.TextChoices):
        PRESS_RELEASE = "press_release", "Press release via wire service"
        FORM_8K_701 = "form_8k_7_01", "Form 8-K Item 7.01"
        FORM_8K_801 = "form_8k_8_01", "Form 8-K Item 8.01"
        CALL_WEBCAST = "call_webcast", "Conference call or webcast with advance public notice"
        WEBSITE = "website", "Website posting (recognized channel of distribution)"
        COMBINATION = "combination", "A combination of methods"

    class CounselConclusion(models.TextChoices):
        PENDING = "pending", "Pending"
        MATERIAL = "material", "Material nonpublic information"
        NOT_MATERIAL = "not_material", "Not material"
        ALREADY_PUBLIC = "already_public", "Already public"

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
    reported_by = user_ref(null=True, related_name="reported_incidents")
    # Set by open_incident from the request's `now` (passed down); the default serves fixtures only.
    reported_at = models.DateTimeField(default=timezone.now, editable=False)
    # The computed deadline and what produced it (docs/regfd-rules §2.7): re-performable by an auditor.
    outer_limit = models.DateTimeField()
    policy_target = models.DateTimeField()
    due_at = models.DateTimeField(help_text="The working deadline: the earlier of the two.")
    calendar_version = models.CharField(max_length=40)
    rule_version = models.CharField(max_length=40)
    deadline_explanation = models.TextField(blank=True)
    public_disclosure_at = models.DateTimeField(null=True, blank=True)
    public_disclosure_method = models.CharField(max_length=60, choices=DisclosureMethod.choices, blank=True)
    public_disclosure_reference = models.CharField(
        max_length=300, blank=True, help_text="Wire release id, 8-K accession number, webcast or page URL."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    closed_reason = models.TextField(blank=True)
    # Materiality (policy II.B): the categories it touches, the assessment, and counsel's conclusion.
    material_categories = models.JSONField(default=list, blank=True)
    materiality_assessment = models.TextField(blank=True)
    in_doubt = models.BooleanField(
        default=False, help_text="Materiality is uncertain: under the policy it is then presumed material."
    )
    counsel_conclusion = models.CharField(
        max_length=20, choices=CounselConclusion.choices, default=CounselConclusion.PENDING
    )
    counsel_rationale = models.TextField(blank=True)
    counsel_concluded_by = user_ref(optional=True)
    counsel_concluded_at = models.DateTimeField(null=True, blank=True)
    # The public statements the conclusion cites, among those attached as evidence (docs/regfd-rules §2.9).
    counsel_cited_statements = models.ManyToManyField(
        "regfd.PublicStatement", through="regfd.ConclusionCitation", blank=True, related_name="+"
    )
    source_communication = models.ForeignKey(
        "regfd.Communication", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )

    # The deadline as computed, with what produced it: written by the deadline service only.
    COMPUTED_FIELDS = [
        "outer_limit",
        "policy_target",
        "due_at",
        "calendar_version",
        "rule_version",
        "deadline_explanation",
    ]

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="incident_open_due_idx"),
            models.Index(fields=["status", "due_at"], name="incident_status_due_idx"),
            # The lists' orders, so a page reads its rows from an index instead of sorting the table:
            # the API's (by deadline) and the list page's working order (open ones first, then by deadline).
            models.Index(fields=["due_at", "id"], name="incident_due_idx"),
            models.Index(OPEN_FIRST, F("due_at"), F("id"), name="incident_working_order_idx"),
            # The documents page offers the latest incidents first (by T0).
            models.Index(fields=["-learned_at", "-id"], name="incident_latest_idx"),
        ]
        constraints = [
            not_before(
                later="learned_at",
                earlier="disclosed_at",
                name="incident_learned_after_disclosed",
                message="The secretary cannot have learned of a disclosure before it happened.",
            ),
            not_before(
                later="public_disclosure_at",
                earlier="disclosed_at",
                optional=True,
                name="incident_public_after_disclosed",
                message="The public disclosure cannot come before the selective disclosure it cures.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def is_signed_off(self) -> bool:
        return self.status != self.Status.OPEN

    @property
    def presumed_material(self) -> bool:
        """Policy II.B: when in doubt, information is presumed material until counsel concludes otherwise."""
        if self.counsel_conclusion in {
            self.CounselConclusion.NOT_MATERIAL,
            self.CounselConclusion.ALREADY_PUBLIC,
        }:
            return False
        return self.in_doubt or bool(self.material_categories) or self.counsel_conclusion == "material"


# The policy's nonexclusive list of material information (policy II.B), as stable codes.
MATERIAL_CATEGORIES = [
    ("earnings", "Earnings information and quarterly results"),
    ("expectations", "Likelihood of meeting analysts' expectations"),
    ("prospects_strategy", "Significant changes in prospects or strategy"),
    ("writedowns_reserves", "Significant write-downs in assets or increases in reserves"),
    ("litigation", "Significant litigation or government investigations"),
    ("liquidity", "Liquidity problems"),
    ("products_customers", "New products, developments with suppliers or customers"),
    ("management_board", "Major changes in management or the board"),
    ("dividends", "Changes in dividends or dividend policy"),
    ("borrowings", "Extraordinary borrowings"),
    ("accounting_auditors", "Changes in accounting methods, auditors, or audit report reliance"),
    ("contracts", "Award or loss of a significant contract"),
    ("cybersecurity", "Cybersecurity risks and incidents"),
    ("debt_ratings", "Changes in debt ratings"),
    ("bankruptcy", "Bankruptcy"),
    ("insider_trading", "Insider buying or selling of securities"),
    ("transactions", "Mergers, acquisitions, divestitures, alliances, licensing, asset sales"),
    ("securities_events", "Events regarding the company's securities"),
    ("organization", "Management or organizational changes"),
    ("projections", "Projections and forecasts"),
]


@register
class Exclusion(models.Model):
    """An exclusion claimed for a disclosure (Reg FD 243.100(b)(2)), with its evidence."""

    class Kind(models.TextChoices):
        DUTY_OF_TRUST = (
            "duty_of_trust",
            "Person owing a duty of trust or confidence (attorney, banker, accountant)",
        )
        CONFIDENTIALITY = (
            "confidentiality_agreement",
            "Express agreement to keep the information confidential",
        )
        REGISTERED_OFFERING = "registered_offering", "In connection with a registered securities offering"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="exclusions")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    evidence = models.TextField(
        help_text="What shows the exclusion applies (agreement, engagement, offering)."
    )
    claimed_by = user_ref()
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claimed_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.incident.reference})"


class DeadlineComputation(models.Model):
    """Every deadline ever computed for an incident, with its inputs and the calendar and rule versions,
    so a change (T0 corrected, calendar edited) is visible and re-performable (docs/regfd-rules §2.7)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deadline_history")
    computed_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    learned_at = models.DateTimeField()
    outer_limit = models.DateTimeField()
    policy_target = models.DateTimeField()
    due_at = models.DateTimeField()
    calendar_version = models.CharField(max_length=40)
    rule_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["computed_at", "id"]

    def __str__(self):
        return f"{self.incident.reference} deadline {self.due_at:%Y-%m-%d %H:%M}Z ({self.reason})"
