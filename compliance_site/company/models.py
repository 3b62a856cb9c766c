from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.db import check, not_before, unique, user_ref


@register
class Company(models.Model):
    """The listed company this installation serves (one row)."""

    class Exchange(models.TextChoices):
        NYSE = "NYSE", "New York Stock Exchange"
        NASDAQ = "NASDAQ", "Nasdaq"

    name = models.CharField(max_length=200)
    ticker = models.CharField(max_length=12, blank=True)
    exchange = models.CharField(max_length=10, choices=Exchange.choices, default=Exchange.NYSE)
    cik = models.CharField("SEC CIK", max_length=10, blank=True)
    listed_since = models.DateField(null=True, blank=True)
    delisted_on = models.DateField(null=True, blank=True)
    confidentiality_legend = models.CharField(
        max_length=300,
        default="Confidential — Attorney-Client Privileged — Prepared at the Direction of Counsel",
    )

    class SignatureOrder(models.TextChoices):
        CHAIR_THEN_SECRETARY = "chair_then_secretary", "The chair, then the Corporate Secretary"
        SECRETARY_THEN_CHAIR = "secretary_then_chair", "The Corporate Secretary, then the chair"
        CHAIR_ONLY = "chair_only", "The chair alone"

    signature_order = models.CharField(
        max_length=30,
        choices=SignatureOrder.choices,
        default=SignatureOrder.CHAIR_THEN_SECRETARY,
        help_text="Who signs an adopted decision, and in which order.",
    )

    # What the profile page and the API show and change.
    PROFILE_FIELDS = [
        "name",
        "ticker",
        "exchange",
        "cik",
        "listed_since",
        "delisted_on",
        "confidentiality_legend",
        "signature_order",
    ]

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name


@register
class FiscalPeriod(models.Model):
    """A fiscal year or a transition period from a change of fiscal year end (Rule 10D-1(b)(1)(i))."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="fiscal_periods")
    label = models.CharField(max_length=30)
    start = models.DateField()
    end = models.DateField()
    transition = models.BooleanField(
        default=False, help_text="A transition period from a change of fiscal year."
    )

    class Meta:
        ordering = ["start"]
        constraints = [
            unique("company", "label", name="fiscalperiod_unique_label"),
            not_before(
                later="end",
                earlier="start",
                name="fiscalperiod_end_after_start",
                message="A fiscal period cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.start:%Y-%m-%d} – {self.end:%Y-%m-%d})"


@register
class BodyMembership(models.Model):
    """A director's seat on the Board or on the Compensation Committee, from one date to another: who may vote
    on a decision is read from the seats held on its date (policy "Administration"). A seat that ends is
    given an end date, never deleted, so past decisions keep the membership they were taken with."""

    class Body(models.TextChoices):
        BOARD = "board", "Board of Directors"
        COMPENSATION_COMMITTEE = "committee", "Compensation Committee"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="body_memberships")
    body = models.CharField(max_length=20, choices=Body.choices)
    member = user_ref(related_name="body_memberships")
    chair = models.BooleanField(default=False, help_text="Chairs the body (signs its adopted decisions).")
    independent = models.BooleanField(
        default=True, help_text="An independent director under the exchange's listing standards."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Blank while the seat is held.")
    recorded_by = user_ref(optional=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "-chair", "starts_on", "id"]
        indexes = [models.Index(fields=["company", "body", "starts_on"], name="membership_body_idx")]
        constraints = [
            not_before(
                later="ends_on",
                earlier="starts_on",
                name="membership_ends_after_start",
                message="A seat cannot end before it starts.",
                optional=True,
            ),
            unique(
                "company",
                "body",
                "member",
                "starts_on",
                name="membership_unique_start",
                message="This director already has a seat on this body from that date.",
            ),
        ]

    def __str__(self):
        until = f" – {self.ends_on:%Y-%m-%d}" if self.ends_on else ""
        return f"{self.member} on the {self.get_body_display()} ({self.starts_on:%Y-%m-%d}{until})"

    def held_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@register
class PolicyVersion(models.Model):
    """A version of one of the two policies, with its text and approval record. Never edited once approved:
    a change is a new version."""

    class Kind(models.TextChoices):
        CLAWBACK = "clawback", "Clawback policy"
        REGFD = "regfd", "Regulation FD corporate communications policy"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    text = models.TextField()
    effective_date = models.DateField()
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True, help_text="The body that approved it.")
    approval_record = models.TextField(blank=True, help_text="Resolution or minutes reference.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    # What a person enters but the text: a list shows these, the form adds the text.
    SUMMARY_FIELDS = [
        "kind",
        "version",
        "title",
        "effective_date",
        "approved_on",
        "approved_by",
        "approval_record",
    ]

    class Meta:
        ordering = ["kind", "-effective_date", "-id"]
        constraints = [unique("kind", "version", name="policyversion_unique_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    def is_signed_off(self) -> bool:
        return self.approved_on is not None


@register
class PolicyDistribution(models.Model):
    """A policy version sent to its audience (Reg FD policy: "distributed to all our employees"; clawback
    policy: to covered executives, as a condition of award agreements)."""

    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="distributions")
    distributed_at = models.DateTimeField()
    distributed_by = user_ref()
    audience = models.CharField(max_length=200, help_text="e.g. All employees")
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-distributed_at"]

    def __str__(self):
        return f"{self.policy} to {self.audience} on {self.distributed_at:%Y-%m-%d}"


@register
class PolicyAcknowledgement(models.Model):
    """A person's acknowledgement that they received and will follow a policy version.

    Either a user acknowledges it signed in (the Reg FD policy goes to every employee), or it is recorded
    for an executive officer from the evidence of a signed form, letter or award agreement (clawback policy,
    "Other Recovery Rights": a condition of award agreements). A former executive may have no sign-in at all,
    so the second kind names the executive record (`clawback.Executive`), not a user."""

    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = user_ref(optional=True, related_name="policy_acknowledgements")
    executive = models.ForeignKey(
        "clawback.Executive",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_acknowledgements",
    )
    acknowledged_at = models.DateTimeField()
    evidence = models.TextField(
        blank=True,
        help_text="What shows the acknowledgement: the signed form or letter, the award agreement clause, "
        "and where it is filed.",
    )
    recorded_by = user_ref(optional=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            unique("policy", "user", name="policyack_once_per_version"),
            unique("policy", "executive", name="policyack_once_per_executive"),
            check(
                Q(user__isnull=False, executive__isnull=True) | Q(user__isnull=True, executive__isnull=False),
                name="policyack_user_or_executive",
                message="An acknowledgement names the executive or the person who signed in, not both.",
            ),
            check(
                Q(executive__isnull=True) | ~Q(evidence=""),
                name="policyack_executive_evidence",
                message="A paper acknowledgement needs its evidence.",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.executive} acknowledged {self.policy}"
