"""The committee's work on a case: reasonable estimates, decisions and votes, frozen determinations."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.audit.voiding import Voidable, live_unique
from compliance_site.db import unique, user_ref

from .records import Award, Restatement


@register
class ReasonableEstimate(Voidable):
    """The committee's reasonable estimate of the restatement's effect on a measure that cannot be recomputed
    directly (stock price, TSR, or an award it designated) — Rule 10D-1(b)(1)(iii)(A), policy "In all other
    instances". The documentation must be kept and provided to the exchange before the case is approved."""

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="estimates")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="estimates")
    restated_value = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, help_text="Single-measure awards."
    )
    # Scorecard awards: the estimated restated value of each measure that needs one, {measure key: "value"}.
    restated_values = models.JSONField(default=dict, blank=True)
    method = models.TextField(
        help_text="How the estimate was determined (e.g. event study of the share price)."
    )
    documents = models.TextField(help_text="The supporting documents, one per line (attach them too).")
    adopted_on = models.DateField()
    provided_to_exchange_on = models.DateField(null=True, blank=True)
    recorded_by = user_ref()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["award_id"]
        constraints = [
            live_unique(
                "restatement",
                "award",
                name="estimate_one_per_award",
                message="The committee already has an estimate for this award in this case.",
            )
        ]

    def __str__(self):
        return f"Estimate for {self.award.key}"


@register
class Decision(models.Model):
    """A decision of the administering body (policy "Administration"): the resolution, the determination it
    is taken on (its SHA-256, locked), who may vote, each member's own vote, the quorum and the outcome.

    Taken in the app (each member votes for themselves until the closing time), by unanimous written consent
    without a meeting, or at a meeting whose minutes the secretary records. Once adopted, the chair and the
    secretary sign it in the order the company configures (`DecisionSignature`)."""

    class Kind(models.TextChoices):
        APPROVE_DETERMINATION = "approve_determination", "Approve the recovery determination"
        IMPRACTICABILITY = "impracticability", "Determine recovery impracticable"

    class Body(models.TextChoices):
        COMPENSATION_COMMITTEE = "committee", "Compensation Committee (independent directors)"
        BOARD = "board", "Board of Directors"
        INDEPENDENT_DIRECTORS = "independent_directors", "Majority of the independent directors"

    class Mode(models.TextChoices):
        MEETING = "meeting", "Vote of the members (majority of the votes cast, with a quorum)"
        WRITTEN_CONSENT = "written_consent", "Unanimous written consent without a meeting"

    class Status(models.TextChoices):
        OPEN = "open", "Open for votes"
        ADOPTED = "adopted", "Adopted"
        NOT_ADOPTED = "not_adopted", "Not adopted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    body = models.CharField(max_length=30, choices=Body.choices)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.MEETING)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, editable=False)
    held_on = models.DateField(help_text="The meeting date, or the day the vote opened.")
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    # Who may vote, fixed when the vote opens: the body's members on that date, less recused and covered ones.
    eligible = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    quorum = models.PositiveSmallIntegerField(help_text="Members needed for a quorum.")
    resolution = models.TextField()
    determination_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    determination_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_reason = models.TextField(blank=True, editable=False)
    adopted = models.BooleanField(default=False, editable=False)
    recorded_by = user_ref()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["closes_at"], condition=Q(status="open"), name="decision_open_closes_idx")
        ]
        constraints = [
            unique(
                "restatement",
                "kind",
                condition=Q(status="open"),
                name="decision_one_open_vote",
                message="A vote of this kind is already open on this case.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.held_on})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


@register
class Vote(models.Model):
    """One member's vote on a decision: cast by the member in the app after a second-factor check, or
    recorded by the secretary from the minutes of the meeting where it was taken (the minutes attached)."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    class Method(models.TextChoices):
        IN_APP = "in_app", "In the app, after a second-factor check"
        MINUTES = "minutes", "From the minutes of the meeting"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member = user_ref()
    choice = models.CharField(max_length=10, choices=Choice.choices)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.MINUTES)
    comment = models.TextField(blank=True)
    # When the member voted in the app; empty for a vote given at a meeting (its date is the meeting's).
    cast_at = models.DateTimeField(null=True, blank=True)
    recorded_by = user_ref(optional=True)
    minutes = models.ForeignKey(
        "attachments.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    determination_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [unique("decision", "member", name="vote_once_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


@register
class DecisionSignature(models.Model):
    """The chair's or the secretary's signature on an adopted decision, in the order the company configures,
    over the SHA-256 of the determination adopted. Never changed or removed."""

    class Capacity(models.TextChoices):
        CHAIR = "chair", "Chair"
        SECRETARY = "secretary", "Corporate Secretary"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="signatures")
    signer = user_ref()
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    position = models.PositiveSmallIntegerField(help_text="1 signs first.")
    signed_at = models.DateTimeField()
    method = models.CharField(max_length=200, default="In the app, after a second-factor check")
    determination_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique("decision", "capacity", name="signature_once_per_capacity"),
            unique("decision", "position", name="signature_once_per_position"),
        ]

    def __str__(self):
        return f"{self.get_capacity_display()}: {self.signer}"


class Determination(models.Model):
    """A frozen determination: the engine's exact inputs (a scenario document) and result, with SHA-256.

    Approval points at one of these; any later change to an input makes the live inputs differ from the
    frozen ones, which invalidates the approval (the case returns to review and needs a new decision).
    Never changed once written (not registered for update auditing: rows are only ever created)."""

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="determinations")
    number = models.PositiveIntegerField()
    inputs = models.JSONField(help_text="The clawback-scenario/1 document evaluated.")
    result = models.JSONField(help_text="The clawback-result/1 document.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical inputs and result.")
    rule_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()
    computed_by = user_ref()
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="determination"
    )
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            unique("restatement", "number", name="determination_unique_number"),
            unique(
                "restatement",
                condition=Q(decision__isnull=False, invalidated_at__isnull=True),
                name="determination_one_live_approval",
                message="The case already has an approved determination in force.",
            ),
        ]

    def __str__(self):
        return f"Determination {self.number} for {self.restatement}"
