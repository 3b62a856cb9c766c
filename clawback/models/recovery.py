"""Recovering what was erroneously awarded, or deciding it is impracticable (policy "Recovery"; Rule
10D-1(b)(1)(iv))."""

from datetime import date

from django.db import models
from django.db.models import F, Q

from compliance_site.audit.recorder import register
from compliance_site.db import check, unique, user_ref
from compliance_site.lib.numbers import usd

from .determinations import Decision
from .records import Executive, Restatement

# Rule 10D-1(b)(1)(iv)(B): only home-country law adopted before the rule's publication counts.
HOME_COUNTRY_LAW_CUTOFF = date(2022, 11, 28)


@register
class RecoveryClaim(models.Model):
    """What one executive owes under an approved determination, and from whom it is sought (policy
    "Successors": a former executive's beneficiaries, heirs, executors or legal representatives)."""

    class Party(models.TextChoices):
        EXECUTIVE = "executive", "The executive"
        BENEFICIARY = "beneficiary", "Beneficiary"
        HEIR = "heir", "Heir"
        EXECUTOR = "executor", "Executor"
        LEGAL_REPRESENTATIVE = "legal_representative", "Legal representative"

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="claims")
    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="claims")
    amount_owed = models.DecimalField(max_digits=16, decimal_places=2, help_text="USD, pre-tax.")
    units_owed = models.DecimalField(max_digits=20, decimal_places=6, default=0)
    determined_on = models.DateField(help_text="The date the amount owed was determined (approval).")
    sought_from = models.CharField(max_length=30, choices=Party.choices, default=Party.EXECUTIVE)
    party_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["executive__name"]
        constraints = [
            unique("restatement", "executive", name="claim_one_per_executive"),
            check(
                Q(amount_owed__gte=0),
                name="claim_amount_not_negative",
                message="The amount owed cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.executive}: {usd(self.amount_owed)} owed"


@register
class RecoveryEvent(models.Model):
    """One step of recovery, by a method the policy lists."""

    class Method(models.TextChoices):
        CASH = "cash", "(a) Reimbursement of cash incentive compensation"
        EQUITY_GAINS = "equity_gains", "(b) Recovery of gains on equity awards"
        OFFSET = "offset", "(c) Offset against other compensation"
        CANCELLATION = "cancellation", "(d) Cancellation of awards"
        OTHER = "other", "(e) Other lawful action"

    claim = models.ForeignKey(RecoveryClaim, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0, help_text="USD recovered.")
    units = models.DecimalField(max_digits=20, decimal_places=6, default=0)
    # Policy "Successors": who it was recovered from, as the claim named them when it was recorded (a claim
    # pursued from the executive may later pass to their executor).
    recovered_from = models.CharField(
        max_length=30, choices=RecoveryClaim.Party.choices, default=RecoveryClaim.Party.EXECUTIVE
    )
    party_name = models.CharField(max_length=200, blank=True)
    evidence = models.TextField(help_text="What shows it happened (wire confirmation, cancellation notice).")
    recorded_by = user_ref()
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A mistaken entry is never changed or deleted: a reversing entry (amounts negated) cancels it, so the
    # ledger's sums stay plain sums and both entries stay on the record.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            check(
                (Q(reverses__isnull=True) & Q(amount__gte=0) & Q(units__gte=0))
                | (Q(reverses__isnull=False) & Q(amount__lte=0) & Q(units__lte=0) & ~Q(reversal_reason="")),
                name="recoveryevent_not_negative",
                message=(
                    "Amounts recovered cannot be negative; a mistaken entry is reversed, with a reason."
                ),
            )
        ]

    def __str__(self):
        prefix = "Reversal of " if self.reverses_id else ""
        return f"{prefix}{self.get_method_display()} {usd(self.amount)} on {self.occurred_on}"


@register
class Impracticability(models.Model):
    """A determination that recovery of (part of) a claim is impracticable, on one of the three grounds of
    Rule 10D-1(b)(1)(iv), made only by the independent compensation committee or a majority of the
    independent directors, with the documentation the exchange requires."""

    class Ground(models.TextChoices):
        EXPENSE = "expense", "Third-party enforcement expense would exceed the amount to recover"
        HOME_COUNTRY_LAW = (
            "home_country_law",
            "Recovery would violate home-country law adopted before 2022-11-28",
        )
        RETIREMENT_PLAN = "retirement_plan", "Recovery would disqualify a tax-qualified retirement plan"

    claim = models.ForeignKey(RecoveryClaim, on_delete=models.PROTECT, related_name="impracticabilities")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="impracticability")
    ground = models.CharField(max_length=30, choices=Ground.choices)
    amount_forgone = models.DecimalField(max_digits=16, decimal_places=2)
    third_party_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    cost_description = models.TextField(
        blank=True, help_text="Who the third party is and what they would charge."
    )
    attempts = models.TextField(blank=True, help_text="The reasonable attempts to recover, documented.")
    law_adopted_on = models.DateField(null=True, blank=True)
    opinion = models.TextField(blank=True, help_text="Home-country counsel's opinion (attach it too).")
    plan_description = models.TextField(
        blank=True,
        help_text="Ground C: the tax-qualified retirement plan, under which benefits are broadly available "
        "to employees, and why recovery would make it fail 26 U.S.C. 401(a)(13) or 411(a).",
    )
    provided_to_exchange_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            check(
                Q(amount_forgone__gt=0),
                name="impracticability_amount_positive",
                message="The amount forgone must be more than zero.",
            ),
            # Each ground with the documentation Rule 10D-1(b)(1)(iv) requires (the service says which is
            # missing; these keep the rows honest whatever writes them).
            check(
                ~Q(ground="expense")
                | (
                    Q(third_party_cost__gt=F("amount_forgone"))
                    & ~Q(attempts="")
                    & Q(provided_to_exchange_on__isnull=False)
                ),
                name="impracticability_expense_documented",
                message=(
                    "The expense ground needs the third party's cost (more than the amount forgone), the "
                    "documented attempts to recover, and the date the documentation went to the exchange."
                ),
            ),
            check(
                ~Q(ground="home_country_law")
                | (
                    Q(law_adopted_on__lt=HOME_COUNTRY_LAW_CUTOFF)
                    & ~Q(opinion="")
                    & Q(provided_to_exchange_on__isnull=False)
                ),
                name="impracticability_home_law_documented",
                message=(
                    "The home-country-law ground needs a law adopted before November 28, 2022, counsel's "
                    "opinion, and the date the opinion went to the exchange."
                ),
            ),
            check(
                ~Q(ground="retirement_plan") | ~Q(plan_description=""),
                name="impracticability_plan_described",
                message="The retirement-plan ground needs the plan described.",
            ),
        ]

    def __str__(self):
        return f"{self.get_ground_display()}: {usd(self.amount_forgone)} forgone"
