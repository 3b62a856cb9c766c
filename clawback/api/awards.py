"""Awards over the API: what an executive received, with the formula or the scorecard needed to recompute
it, the amounts of it already recovered (credits), and voiding.

    GET  awards/                                          (?show_voided=1)
    GET  awards/{id}/
    POST awards/create/
    POST awards/{id}/update/                              goals merge by id; none removed
    POST awards/{id}/void/                                {"reason": "..."}
    POST awards/{id}/components/{component_id}/void/      a scorecard goal
    POST awards/{id}/credits/                             an amount already recovered
    POST awards/{id}/credits/{credit_id}/void/
"""

from rest_framework import serializers

from compliance_site.api.fields import AmountField
from compliance_site.registers import Register

from ..models import Award, AwardComponent, AwardCredit, Executive, Measure, Restatement
from ..selectors import awards_visible_to, executives_visible_to, measures_visible_to, restatements_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    Part,
    RecordsViewSet,
    VisibleChoicesMixin,
    create_write,
    prefetch,
    update_write,
    void_write,
)
from .serializers import AwardComponentSerializer, AwardCreditSerializer, AwardSerializer

# --- Input ---------------------------------------------------------------------------------------------


def _fine_decimal(**kwargs):
    return serializers.DecimalField(max_digits=38, decimal_places=20, **kwargs)


class AwardComponentInputSerializer(serializers.Serializer):
    """One weighted goal of a scorecard award: a financial reporting measure with its payout curve
    (`points`, `[["value", "factor"], ...]` ascending), or another goal with its score as given (`factor`)."""

    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A goal on record to change."
    )
    basis = serializers.ChoiceField(
        choices=AwardComponent.Basis.choices,
        required=False,
        default=AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE,
    )
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), allow_null=True, required=False, default=None
    )
    measure_period = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    weight = _fine_decimal()
    points = serializers.JSONField(allow_null=True, required=False, default=None)
    factor = _fine_decimal(allow_null=True, required=False, default=None)


class AwardInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """An award, the whole record (as the form sends it). Either a payout formula as in scenario files
    (`{"kind": "curve", "target": "...", "points": [["x", "factor"], ...]}` or `{"kind": "linear", "rate":
    "...", "offset": "...", "cap": "..."}`), or a scorecard: `scorecard_target`, optionally
    `scorecard_cap_factor`, and its weighted goals in `components`. A goal given with its id changes that
    goal; any other is added; none is removed (a goal is voided with a reason). Validated by the scenario
    parser's rules. Amounts accept "$1,000,000" as well as "1000000"."""

    executive = serializers.PrimaryKeyRelatedField(queryset=Executive.objects.none())
    key = serializers.SlugField(max_length=80)
    award_type = serializers.ChoiceField(choices=Award.Type.choices)
    basis = serializers.ChoiceField(choices=Award.Basis.choices)
    performance_start = serializers.DateField()
    performance_end = serializers.DateField()
    received = AmountField(max_digits=20, decimal_places=4, min_value=0, help_text="Gross, before taxes.")
    unit = serializers.ChoiceField(choices=Award.Unit.choices, required=False, default=Award.Unit.USD)
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), allow_null=True, required=False, default=None
    )
    measure_period = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    formula = serializers.JSONField(allow_null=True, required=False, default=None)
    scorecard_target = AmountField(
        max_digits=38, decimal_places=20, allow_null=True, required=False, default=None,
        help_text="A scorecard award: the payout at a weighted score of 1.",
    )  # fmt: skip
    scorecard_cap_factor = _fine_decimal(
        allow_null=True, required=False, default=None, help_text="The most the weighted score can reach."
    )
    components = AwardComponentInputSerializer(many=True, required=False, default=list, max_length=50)
    value_per_unit = AmountField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    requires_estimate = serializers.BooleanField(required=False, default=False)
    approval_date = serializers.DateField(allow_null=True, required=False, default=None)
    grant_date = serializers.DateField(allow_null=True, required=False, default=None)
    vesting_date = serializers.DateField(allow_null=True, required=False, default=None)
    settlement_date = serializers.DateField(allow_null=True, required=False, default=None)
    units_sold = AmountField(
        max_digits=20, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    sale_price = AmountField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    notes = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)

    def visible_querysets(self, user):
        measures = measures_visible_to(user)
        return {"executive": executives_visible_to(user), "measure": measures, "components.measure": measures}


class AwardCreditInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """An amount of the award already recovered (under an earlier restatement, SOX 304 or otherwise), in the
    award's unit: every case of the award except `under_case` credits it."""

    amount = AmountField(max_digits=20, decimal_places=4)
    recovered_on = serializers.DateField()
    source = serializers.ChoiceField(choices=AwardCredit.Source.choices)
    reference = serializers.CharField(max_length=300, help_text="The case, order or agreement.")
    under_case = serializers.PrimaryKeyRelatedField(
        queryset=Restatement.objects.none(), allow_null=True, required=False, default=None
    )

    def visible_querysets(self, user):
        return {"under_case": restatements_visible_to(user)}


# --- The register --------------------------------------------------------------------------------------

COMPONENTS = Part("components", "component_id", AwardComponent, "award")
CREDITS = Part("credits", "credit_id", AwardCredit, "award")


class AwardViewSet(RecordsViewSet):
    """Compensation received, as the recovery engine reads it, with scorecard goals and amounts already
    recovered; voided ones with `?show_voided=1`."""

    register = Register(awards_visible_to)
    serializer_class = AwardSerializer

    create_record = create_write("awards", AwardInputSerializer, services.create_award, now=True)
    update_record = update_write("awards", AwardInputSerializer, services.update_award, record="award")
    void = void_write("awards", services.void_award, record="award")
    void_component = COMPONENTS.void(
        "awards", services.void_award_component, record="component", output=AwardComponentSerializer
    )
    record_credit = CREDITS.add(
        "awards",
        AwardCreditInputSerializer,
        services.record_award_credit,
        record="award",
        now=True,
        output=AwardCreditSerializer,
    )
    void_credit = CREDITS.void(
        "awards", services.void_award_credit, record="credit", output=AwardCreditSerializer
    )

    def rows(self, *, voided: bool):
        base = awards_visible_to(self.request.user, include_voided=voided).select_related("voided_by")
        return base.prefetch_related(
            prefetch("components", AwardComponent, voided=voided),
            prefetch("credits", AwardCredit, voided=voided, select=["recorded_by"]),
        )
