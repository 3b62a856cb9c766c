"""What the clawback records API sends back: one output serializer per record, for lists, details and the
answers to writes alike. Voidable records always carry `voided_at`, `voided_by` (a username) and
`void_reason` (null and empty while live); lists show voided records only with `?show_voided=1`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clawback.models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    ReasonableEstimate,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from clawback.services.awards import AWARD_TERMS
from compliance_site.api.lean import LeanModelSerializer


def _username(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True, **kwargs)


def _fine_decimal(**kwargs):
    """A weight, factor or scorecard target (38 digits, 20 places), written without trailing zeros."""
    return serializers.DecimalField(
        max_digits=38, decimal_places=20, normalize_output=True, read_only=True, **kwargs
    )


VOID_FIELDS = ["voided_at", "voided_by", "void_reason"]


# A voidable record, read only: the fields its Meta lists, then who voided it, when and why. (A comment, not
# a docstring: the schema would show it as the description of every record without its own.)
class VoidableSerializer(LeanModelSerializer):
    voided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    voided_by = _username(help_text="Who voided the record.")
    void_reason = serializers.CharField(read_only=True, allow_blank=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.Meta.fields = [*cls.Meta.fields, *VOID_FIELDS]
        cls.Meta.read_only_fields = cls.Meta.fields


# --- Executives -----------------------------------------------------------------------------------------


class OfficerPeriodSerializer(VoidableSerializer):
    class Meta:
        model = OfficerPeriod
        fields = ["id", "start", "end", "title"]


class ExecutiveSerializer(VoidableSerializer):
    officer_periods = OfficerPeriodSerializer(many=True, read_only=True)
    neo_years = serializers.SerializerMethodField()

    class Meta:
        model = Executive
        fields = [
            "id",
            "company",
            "key",
            "name",
            "title",
            "user",
            "officer_periods",
            "neo_years",
        ]

    def get_neo_years(self, executive) -> list[str]:
        return [y.fiscal_year for y in executive.neo_years.all()]


# --- Measures -------------------------------------------------------------------------------------------


class MeasureValueSerializer(VoidableSerializer):
    """A value as the company first reported it; restated figures are each restatement's own."""

    class Meta:
        model = MeasureValue
        fields = ["id", "period_label", "original", "source"]


class MeasureSerializer(VoidableSerializer):
    values = MeasureValueSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "company", "key", "name", "category", "values"]


# --- Awards ---------------------------------------------------------------------------------------------


class AwardComponentSerializer(VoidableSerializer):
    """One weighted goal of a scorecard award."""

    weight = _fine_decimal()
    factor = _fine_decimal(allow_null=True)
    points = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = AwardComponent
        fields = [
            "id",
            "position",
            "basis",
            "measure",
            "measure_period",
            "weight",
            "points",
            "factor",
        ]


class AwardCreditSerializer(VoidableSerializer):
    """An amount of the award already recovered before (in the award's unit)."""

    recorded_by = _username()

    class Meta:
        model = AwardCredit
        fields = [
            "id",
            "award",
            "amount",
            "recovered_on",
            "source",
            "reference",
            "under_case",
            "recorded_by",
            "recorded_at",
        ]


class AwardSerializer(VoidableSerializer):
    formula = serializers.JSONField(allow_null=True, read_only=True)
    scorecard_target = _fine_decimal(allow_null=True)
    scorecard_cap_factor = _fine_decimal(allow_null=True)
    components = AwardComponentSerializer(many=True, read_only=True)
    credits = AwardCreditSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        # The terms the award services take, so that a term added there is shown here too.
        fields = ["id", "executive", *AWARD_TERMS, "components", "credits"]


# --- Restatements ---------------------------------------------------------------------------------------


class RestatementEventSerializer(VoidableSerializer):
    class Meta:
        model = RestatementEvent
        fields = ["id", "kind", "label", "date", "rationale"]


class RestatedValueSerializer(VoidableSerializer):
    """A measure's value for a period as the case restates it, beside the value first reported."""

    measure = serializers.IntegerField(source="value.measure_id", read_only=True)
    measure_key = serializers.CharField(source="value.measure.key", read_only=True)
    period_label = serializers.CharField(source="value.period_label", read_only=True)
    original = serializers.DecimalField(
        source="value.original", max_digits=24, decimal_places=6, read_only=True
    )

    class Meta:
        model = RestatedValue
        fields = [
            "id",
            "measure",
            "measure_key",
            "period_label",
            "original",
            "restated",
            "source",
        ]


class RestatementSerializer(serializers.ModelSerializer):
    events = RestatementEventSerializer(many=True, read_only=True)
    restated_values = RestatedValueSerializer(many=True, read_only=True)
    covered_executives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Restatement
        fields = [
            "id",
            "company",
            "title",
            "kind",
            "description",
            "status",
            "covered_executives",
            "policy_version",
            "administering_body",
            "created_at",
            "events",
            "restated_values",
        ]
        read_only_fields = fields


class EstimateSerializer(VoidableSerializer):
    """The committee's reasonable estimate for an award: one restated value, or one per measure of a
    scorecard award ({measure key: "value"})."""

    restated_values = serializers.SerializerMethodField()
    recorded_by = _username()

    class Meta:
        model = ReasonableEstimate
        fields = [
            "id",
            "restatement",
            "award",
            "restated_value",
            "restated_values",
            "method",
            "documents",
            "adopted_on",
            "provided_to_exchange_on",
            "recorded_by",
            "recorded_at",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_restated_values(self, estimate) -> dict:
        return {str(k): str(v) for k, v in (estimate.restated_values or {}).items()}
