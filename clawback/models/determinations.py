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
    """A recorded decision of the administering body at a meeting: who was present, who was recused, the
    votes, the quorum and the resolution (policy "Administration")."""

    class Kind(models.TextChoices):
        APPROVE_DETERMINATION = "approve_determination", "Approve the recovery determination"
        IMPRACTICABILITY = "impracticability", "Determine recovery impracticable"

    class Body(models.TextChoices):
        COMPENSATION_COMMITTEE = "committee", "Compensation Committee (independent directors)"
        BOARD = "board", "Board of Directors"
        INDEPENDENT_DIRECTORS = "independent_directors", "Majority of the independent directors"

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    body = models.CharField(max_length=30, choices=Body.choices)
    held_on = models.DateField()
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    quorum = models.PositiveSmallIntegerField(help_text="Members needed for a quorum.")
    resolution = models.TextField()
    adopted = models.BooleanField(default=False, editable=False)
    recorded_by = user_ref()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.held_on})"


@register
class Vote(models.Model):
    """One member's vote on a decision. Recused members cannot vote (enforced by the service)."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member = user_ref()
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [unique("decision", "member", name="vote_once_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


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
