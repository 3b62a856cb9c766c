"""Clawback records: executives, measures, awards, restatements.

Field names follow the scenario format (`clawback-scenario/1`) so that a case in the database and a
scenario file feed the recovery engine the same way."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.audit.voiding import Voidable, live_unique
from compliance_site.company.models import Company
from compliance_site.db import check, not_before, unique, user_ref


def _key_in_company(noun: str, *, name: str) -> models.UniqueConstraint:
    """Scenario files name a company's executives, measures and awards by key, so a key names one live
    record of its kind per company."""
    return live_unique(
        "company", "key", name=name, message=f"Another {noun} of the company already has this key."
    )


@register
class Executive(Voidable):
    """A current or former executive officer (Rule 10D-1(d), Rule 16a-1(f)); `user` links the person's
    sign-in so they never see the case about their own pay."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="executives")
    key = models.SlugField(max_length=60, help_text="Stable identifier, as in scenario files.")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="executive"
    )

    class Meta:
        ordering = ["name"]
        constraints = [_key_in_company("executive", name="executive_unique_key")]

    def __str__(self):
        return self.name


@register
class OfficerPeriod(Voidable):
    """A span of service as an executive officer; `end` empty while still serving (docs/clawback-rules
    §1.2)."""

    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="officer_periods")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["executive_id", "start"]
        constraints = [
            not_before(
                later="end",
                earlier="start",
                optional=True,
                name="officerperiod_end_after_start",
                message="A period of service cannot end before it starts.",
            )
        ]

    def __str__(self):
        return f"{self.executive}: {self.start} – {self.end or 'present'}"


@register
class Measure(Voidable):
    """A financial reporting measure (docs/clawback-rules §1.6); stock price and TSR always need an
    estimate."""

    class Category(models.TextChoices):
        REVENUE = "revenue", "Revenue"
        NET_INCOME = "net_income", "Net income"
        OPERATING_INCOME = "operating_income", "Operating income"
        EBITDA = "ebitda", "EBITDA"
        EPS = "eps", "Earnings per share"
        LIQUIDITY = "liquidity", "Liquidity measure"
        RETURN_MEASURE = "return_measure", "Return measure"
        SALES_DERIVED = "sales_derived", "Sales-derived measure"
        STOCK_PRICE = "stock_price", "Stock price"
        TSR = "tsr", "Total shareholder return"
        OTHER_FINANCIAL = "other_financial", "Other financial reporting measure"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="measures")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)

    class Meta:
        ordering = ["name"]
        constraints = [_key_in_company("measure", name="measure_unique_key")]

    def __str__(self):
        return self.name


@register
class MeasureValue(Voidable):
    """A measure's value for one fiscal period as the company first reported it. Restated figures belong to
    the restatement that restates them (`RestatedValue`): several restatements may restate one period."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period_label = models.CharField(max_length=40)
    original = models.DecimalField(max_digits=24, decimal_places=6)
    source = models.CharField(
        max_length=300, blank=True, help_text="Filing or document the value comes from."
    )

    class Meta:
        ordering = ["measure_id", "period_label"]
        constraints = [
            live_unique(
                "measure",
                "period_label",
                name="measurevalue_unique_period",
                message="This measure already has a value for that period.",
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.period_label}"


@register
class Award(Voidable):
    """Compensation an executive received, with what is needed to recompute it on restated numbers."""

    class Type(models.TextChoices):
        CASH_BONUS = "cash_bonus", "Annual bonus"
        CASH_LTIP = "cash_ltip", "Long-term cash incentive"
        STOCK_OPTIONS = "stock_options", "Stock options"
        SARS = "sars", "Stock appreciation rights"
        RESTRICTED_STOCK = "restricted_stock", "Restricted stock"
        RSU = "rsu", "Restricted stock units"
        PERFORMANCE_SHARES = "performance_shares", "Performance shares"
        PERFORMANCE_UNITS = "performance_units", "Performance units"
        OTHER = "other", "Other"

    class Basis(models.TextChoices):
        FINANCIAL_REPORTING_MEASURE = "financial_reporting_measure", "Financial reporting measure"
        TIME_VESTED = "time_vested", "Time-vested"
        SALARY = "salary", "Salary"
        DISCRETIONARY = "discretionary", "Discretionary"
        OPERATIONAL_GOAL = "operational_goal", "Operational goal"

    class Unit(models.TextChoices):
        USD = "USD", "US dollars"
        UNITS = "units", "Shares or units"

    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="awards")
    # The executive's company, copied on save: a case's scenario file names awards by key, so the database
    # keeps keys unique per company (a constraint cannot reach through the executive).
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="awards", editable=False)
    key = models.SlugField(max_length=80, help_text="Unique within the company, as in scenario files.")
    award_type = models.CharField(max_length=30, choices=Type.choices)
    basis = models.CharField(max_length=40, choices=Basis.choices)
    grant_date = models.DateField(null=True, blank=True)
    performance_start = models.DateField()
    performance_end = models.DateField()
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    measure_period = models.CharField(max_length=40, blank=True)
    formula = models.JSONField(null=True, blank=True, help_text="As in scenario files: curve or linear.")
    # A scorecard award (several weighted goals, `AwardComponent`) has a target instead of a formula.
    scorecard_target = models.DecimalField(max_digits=38, decimal_places=20, null=True, blank=True)
    scorecard_cap_factor = models.DecimalField(
        max_digits=38,
        decimal_places=20,
        null=True,
        blank=True,
        help_text="The most the weighted score can reach (e.g. 1.5); empty: no cap.",
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.USD)
    received = models.DecimalField(max_digits=20, decimal_places=4, help_text="Gross, before taxes.")
    value_per_unit = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    requires_estimate = models.BooleanField(
        default=False,
        help_text="The committee concluded the amount cannot be determined directly from the restatement.",
    )
    approval_date = models.DateField(null=True, blank=True)
    vesting_date = models.DateField(null=True, blank=True)
    settlement_date = models.DateField(null=True, blank=True)
    units_sold = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    sale_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["executive_id", "performance_end", "key"]
        constraints = [
            _key_in_company("award", name="award_unique_key_in_company"),
            not_before(
                later="performance_end",
                earlier="performance_start",
                name="award_period_end_after_start",
                message="The performance period cannot end before it starts.",
            ),
            check(
                Q(received__gte=0),
                name="award_received_not_negative",
                message="The amount received cannot be negative.",
            ),
            check(
                Q(unit="USD") | Q(value_per_unit__isnull=False),
                name="award_units_have_value",
                message="An award in shares or units needs a value per unit.",
            ),
            check(
                Q(scorecard_target__isnull=True) | Q(formula__isnull=True),
                name="award_formula_or_scorecard",
                message="An award pays on a formula or on a scorecard, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_award_type_display()})"

    def save(self, *args, **kwargs):
        if self.executive_id is not None:
            self.company_id = self.executive.company_id
        super().save(*args, **kwargs)

    @property
    def is_scorecard(self) -> bool:
        return self.scorecard_target is not None


@register
class AwardComponent(Voidable):
    """One weighted goal of a scorecard award: a financial reporting measure with its own payout curve, or a
    non-financial goal whose score stands as given (Rule 10D-1(d): an award based "wholly or in part" on a
    financial reporting measure is incentive-based; only its measure goals are recomputed)."""

    class Basis(models.TextChoices):
        FINANCIAL_REPORTING_MEASURE = "financial_reporting_measure", "Financial reporting measure"
        OPERATIONAL_GOAL = "operational_goal", "Operational goal"
        DISCRETIONARY = "discretionary", "Discretionary"
        INDIVIDUAL = "individual", "Individual performance"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="components")
    position = models.PositiveSmallIntegerField(default=0)
    basis = models.CharField(max_length=40, choices=Basis.choices)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="components"
    )
    measure_period = models.CharField(max_length=40, blank=True)
    weight = models.DecimalField(max_digits=38, decimal_places=20)
    points = models.JSONField(
        null=True, blank=True, help_text="Measure goals: the payout curve, [[value, factor], ...] ascending."
    )
    factor = models.DecimalField(
        max_digits=38, decimal_places=20, null=True, blank=True, help_text="Other goals: the score as given."
    )

    class Meta:
        ordering = ["award_id", "position", "id"]
        constraints = [
            check(
                Q(weight__gt=0),
                name="awardcomponent_weight_positive",
                message="A goal's weight must be more than zero.",
            ),
            check(
                (
                    Q(basis="financial_reporting_measure", measure__isnull=False, points__isnull=False)
                    | (
                        ~Q(basis="financial_reporting_measure")
                        & Q(factor__isnull=False, measure__isnull=True)
                    )
                ),
                name="awardcomponent_measure_or_score",
                message=(
                    "A measure goal needs its measure and payout curve; any other goal needs its score."
                ),
            ),
        ]

    def __str__(self):
        goal = self.measure.name if self.measure_id else self.get_basis_display()
        return f"{self.award.key}: {goal} (weight {Decimal(str(self.weight)).normalize():f})"


@register
class AwardCredit(Voidable):
    """An amount of an award already recovered before this case (under an earlier restatement, under SOX
    304, or otherwise): credited so the same compensation is never recovered twice (policy "Recovery";
    Rule 10D-1(b)(1)(iii)). In the award's unit."""

    class Source(models.TextChoices):
        PRIOR_RESTATEMENT = "prior_restatement", "Recovered under an earlier restatement"
        SOX_304 = "sox_304", "Reimbursed under SOX 304"
        OTHER = "other", "Otherwise recovered"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="credits")
    amount = models.DecimalField(max_digits=20, decimal_places=4, help_text="In the award's unit.")
    recovered_on = models.DateField()
    source = models.CharField(max_length=30, choices=Source.choices)
    reference = models.CharField(
        max_length=300, help_text="The case, order or agreement it was recovered under."
    )
    # The case in this app it was recovered under, if any: that case itself never credits it.
    under_case = models.ForeignKey(
        "Restatement", null=True, blank=True, on_delete=models.PROTECT, related_name="credits_given"
    )
    recorded_by = user_ref()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["award_id", "recovered_on", "id"]
        constraints = [
            check(
                Q(amount__gt=0),
                name="awardcredit_amount_positive",
                message="The amount already recovered must be more than zero.",
            )
        ]

    def __str__(self):
        return f"{self.award.key}: {Decimal(str(self.amount)).normalize():f} recovered on {self.recovered_on}"


@register
class Restatement(models.Model):
    """An accounting restatement and the clawback case it opens (docs/clawback-rules §1.3–§1.4)."""

    class Kind(models.TextChoices):
        BIG_R = "big_r", "Big R (reissuance)"
        LITTLE_R = "little_r", "Little r (revision)"
        OUT_OF_PERIOD = "out_of_period", "Out-of-period adjustment"
        NON_ERROR_CHANGE = "non_error_change", "Non-error change"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Under committee review"
        APPROVED = "approved", "Approved"
        RECOVERY = "recovery", "Recovery in progress"
        CLOSED = "closed", "Closed"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="restatements")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    covered_executives = models.ManyToManyField(Executive, blank=True, related_name="restatements")
    policy_version = models.ForeignKey(
        "company.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="restatements"
    )
    administering_body = models.CharField(
        max_length=20,
        choices=[("committee", "Compensation Committee"), ("board", "Board of Directors")],
        default="committee",
        help_text='Policy "Administration": the Board, or the committee it designates.',
    )
    # Policy "No Indemnification": confirmed on the case checklist before recovery.
    no_indemnification_confirmed_at = models.DateTimeField(null=True, blank=True)
    no_indemnification_confirmed_by = user_ref(optional=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="restatement_status_idx")]

    def __str__(self):
        return self.title

    def is_signed_off(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.RECOVERY, self.Status.CLOSED}


@register
class RestatedValue(Voidable):
    """A measure's value for one period as this restatement restates it, with the document it comes from.

    The restatement's own: a case's analysis reads only its own restated values, so two restatements of the
    same period, each with its own figure, never mix (Rule 10D-1(b)(1)(iii): the amount is recomputed "based
    on the restated amounts" of the restatement at hand)."""

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="restated_values")
    value = models.ForeignKey(MeasureValue, on_delete=models.PROTECT, related_name="restatements")
    restated = models.DecimalField(max_digits=24, decimal_places=6)
    source = models.CharField(
        max_length=300, blank=True, help_text="The restated filing or document the figure comes from."
    )

    class Meta:
        ordering = ["restatement_id", "value__measure__name", "value__period_label"]
        constraints = [
            live_unique(
                "restatement",
                "value",
                name="restatedvalue_once_per_case",
                message="This case already restates that measure for that period.",
            )
        ]

    def __str__(self):
        return f"{self.value} restated in {self.restatement}"


@register
class RestatementEvent(Voidable):
    """A dated event of the restatement; the earliest qualifying one sets the required-to-prepare date."""

    class Kind(models.TextChoices):
        BOARD_CONCLUDED = "board_concluded", "Board concluded a restatement is required"
        COMMITTEE_CONCLUDED = "committee_concluded", "Committee concluded a restatement is required"
        OFFICERS_CONCLUDED = "officers_concluded", "Authorized officers concluded a restatement is required"
        SHOULD_HAVE_CONCLUDED = "should_have_concluded", "Reasonably should have concluded"
        DIRECTED = "directed_by_court_or_regulator", "Directed by a court or regulator"
        BOARD_RATIFIED = "board_ratified", "Board ratified"
        FORM_8K = "form_8k_item_4_02_filed", "Form 8-K Item 4.02 filed"
        RESTATED_FILED = "restated_financials_filed", "Restated financial statements filed"
        OTHER = "other", "Other event (recorded; never sets the date)"

    restatement = models.ForeignKey(Restatement, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    label = models.CharField(max_length=200, blank=True, help_text="What happened, for an other event.")
    date = models.DateField()
    rationale = models.TextField(blank=True, help_text="Required for 'reasonably should have concluded'.")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            check(
                ~Q(kind="should_have_concluded") | ~Q(rationale=""),
                name="restatementevent_should_have_rationale",
                message="Explain why the company reasonably should have concluded on this date.",
            ),
            check(
                ~Q(kind="other") | ~Q(label=""),
                name="restatementevent_other_has_label",
                message="Say what the other event was.",
            ),
        ]

    def __str__(self):
        what = self.label if self.kind == self.Kind.OTHER and self.label else self.get_kind_display()
        return f"{what} on {self.date}"


@register
class NamedExecutiveYear(models.Model):
    """The executive was a named executive officer (Item 402(a)(3)) for the fiscal year: Item 402(w) discloses
    amounts per NEO."""

    executive = models.ForeignKey(Executive, on_delete=models.CASCADE, related_name="neo_years")
    fiscal_year = models.CharField(max_length=30)

    class Meta:
        ordering = ["fiscal_year"]
        constraints = [unique("executive", "fiscal_year", name="neoyear_unique")]

    def __str__(self):
        return f"{self.executive} NEO {self.fiscal_year}"


@register
class Recusal(models.Model):
    """A committee member recused from a case: they see it but cannot vote."""

    restatement = models.ForeignKey(Restatement, on_delete=models.CASCADE, related_name="recusals")
    user = user_ref(related_name="recusals")
    reason = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [unique("restatement", "user", name="recusal_unique_member")]

    def __str__(self):
        return f"{self.user} recused from {self.restatement}"
