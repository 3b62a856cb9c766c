"""Event studies behind a stock price or TSR estimate: the price data they read, the study as run, and what
the committee did with each award's result (docs/clawback-rules §1.7a)."""

from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.audit.voiding import Voidable, live_unique
from compliance_site.company.models import Company
from compliance_site.db import check, unique, user_ref

from ..prices import PRICE_DIGITS, PRICE_PLACES
from .determinations import ReasonableEstimate
from .records import Award, Restatement


@register
class PriceSet(Voidable):
    """One imported file of daily closes: the company's stock, a market index and optionally a peer index.
    Never edited: a correction is a new import, and a mistaken one is voided with a reason, so a study can
    always be re-performed on exactly the prices it read."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="price_sets")
    name = models.CharField(max_length=200)
    source = models.TextField(
        help_text="Where the prices come from: vendor, ticker and index names, extract date."
    )
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    # The file's header for each role: {"date": "Date", "company": "ACME close", "market": ..., "peer": ...}.
    columns = models.JSONField(default=dict)
    first_day = models.DateField()
    last_day = models.DateField()
    row_count = models.PositiveIntegerField()
    has_peer = models.BooleanField(default=False)
    # The dry run's warnings the importer accepted (missing days, suspected splits), as shown to them.
    warnings = models.JSONField(default=list, blank=True)
    imported_by = user_ref()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return self.name


class PricePoint(models.Model):
    """One trading day's closes in a price set."""

    price_set = models.ForeignKey(PriceSet, on_delete=models.PROTECT, related_name="points")
    day = models.DateField()
    company = models.DecimalField(max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES)
    market = models.DecimalField(max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES)
    peer = models.DecimalField(max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES, null=True, blank=True)

    class Meta:
        ordering = ["price_set_id", "day"]
        constraints = [
            unique(
                "price_set", "day", name="pricepoint_one_per_day", message="That day is already in the set."
            ),
            check(
                Q(company__gt=0) & Q(market__gt=0) & (Q(peer__isnull=True) | Q(peer__gt=0)),
                name="pricepoint_positive",
                message="Prices must be positive.",
            ),
        ]

    def __str__(self):
        return f"{self.price_set_id} {self.day}"


@register
class EventStudy(Voidable):
    """A study as run: its parameters, the prices it read and its full result, frozen. Different choices make
    a new study; the earlier one stays on record (and may be voided with a reason)."""

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="event_studies")
    price_set = models.ForeignKey(PriceSet, on_delete=models.PROTECT, related_name="studies")
    # The study's inputs as the engine took them (event dates, windows, model, level, method).
    parameters = models.JSONField()
    # What each event date is ({"2026-05-04": "Form 8-K Item 4.02 filed"}), for the report.
    event_labels = models.JSONField(default=dict, blank=True)
    result = models.JSONField()
    result_sha256 = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=40)
    run_by = user_ref()
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name_plural = "event studies"

    def __str__(self):
        return f"Event study {self.pk} ({self.restatement})"


@register
class EventStudyAward(Voidable):
    """The study carried to one award's measure (the but-for price, TSR or percentile over its performance
    period, and the payout recomputed on it), and the committee's answer: adopted, adjusted with a reason,
    or rejected with a reason. Adopting records the case's reasonable estimate from it."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ADOPTED = "adopted", "Adopted"
        ADJUSTED = "adjusted", "Adopted with an adjustment"
        REJECTED = "rejected", "Rejected"

    class MeasureKind(models.TextChoices):
        STOCK_PRICE = "stock_price", "Share price at the end of the period"
        TSR = "tsr", "Total shareholder return over the period (percent)"
        TSR_PERCENTILE = "tsr_percentile", "TSR percentile rank among a peer group"

    study = models.ForeignKey(EventStudy, on_delete=models.PROTECT, related_name="award_results")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="event_study_results")
    measure_kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    averaging_days = models.PositiveSmallIntegerField(default=1)
    # The peer group's TSRs over the same period, in percent, for a percentile measure: [["Peer", "12.5"]].
    peer_tsrs = models.JSONField(default=list, blank=True)
    # The measurement prices, TSRs, values and the payout on each (strings, as computed).
    figures = models.JSONField()
    proposed_value = models.DecimalField(max_digits=24, decimal_places=6)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PROPOSED)
    adopted_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    reason = models.TextField(blank=True)
    decided_by = user_ref(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    estimate = models.ForeignKey(
        ReasonableEstimate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_study_results",
    )
    recorded_by = user_ref()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study_id", "award_id"]
        constraints = [
            live_unique(
                "study",
                "award",
                name="eventstudyaward_one_per_award",
                message="This study has already been applied to this award; void that result first.",
            ),
            check(
                ~Q(outcome__in=["adjusted", "rejected"]) | ~Q(reason=""),
                name="eventstudyaward_reason_given",
                message="Say why the committee adjusted or rejected the study's estimate.",
            ),
        ]

    def __str__(self):
        return f"{self.study} → {self.award.key}"
