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


def _username(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True, **kwargs)


def _fine_decimal(**kwargs):
    """A weight, factor or scorecard target (38 digits, 20 places), written without trailing zeros."""
    return serializers.DecimalField(
        max_digits=38, decimal_places=20, normalize_output=True, read_only=True, **kwargs
    )


class VoidedFieldsMixin(serializers.Serializer):
    voided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    voided_by = _username(help_text="Who voided the record.")
    void_reason = serializers.CharField(read_only=True, allow_blank=True)


VOID_FIELDS = ["voided_at", "voided_by", "void_reason"]


# --- Executives -----------------------------------------------------------------------------------------


class OfficerPeriodSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = OfficerPeriod
        fields = ["id", "start", "end", "title", *VOID_FIELDS]
        read_only_fields = fields


class ExecutiveSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
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
            *VOID_FIELDS,
        ]
        read_only_fields = fields

    def get_neo_years(self, executive) -> list[str]:
        return [y.fiscal_year for y in executive.neo_years.all()]


# --- Measures -------------------------------------------------------------------------------------------


class MeasureValueSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
    """A value as the company first reported it; restated figures are each restatement's own."""

    class Meta:
        model = MeasureValue
        fields = ["id", "period_label", "original", "source", *VOID_FIELDS]
        read_only_fields = fields


class MeasureSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
    values = MeasureValueSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "company", "key", "name", "category", "values", *VOID_FIELDS]
        read_only_fields = fields


# --- Awards ---------------------------------------------------------------------------------------------


class AwardComponentSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
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
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class AwardCreditSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
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
            *VOID_FIELDS,
        ]
        read_only_fields = fields


class AwardSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
    formula = serializers.JSONField(allow_null=True, read_only=True)
    scorecard_target = _fine_decimal(allow_null=True)
    scorecard_cap_factor = _fine_decimal(allow_null=True)
    components = AwardComponentSerializer(many=True, read_only=True)
    credits = AwardCreditSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "executive",
            "key",
            "award_type",
            "basis",
            "approval_date",
            "grant_date",
            "performance_start",
            "performance_end",
            "measure",
            "measure_period",
            "formula",
            "scorecard_target",
            "scorecard_cap_factor",
            "components",
            "unit",
            "received",
            "value_per_unit",
            "requires_estimate",
            "vesting_date",
            "settlement_date",
            "units_sold",
            "sale_price",
            "notes",
            "credits",
            *VOID_FIELDS,
        ]
        read_only_fields = fields


# --- Restatements ---------------------------------------------------------------------------------------


class RestatementEventSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = RestatementEvent
        fields = ["id", "kind", "label", "date", "rationale", *VOID_FIELDS]
        read_only_fields = fields


class RestatedValueSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
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
            *VOID_FIELDS,
        ]
        read_only_fields = fields


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


class EstimateSerializer(VoidedFieldsMixin, serializers.ModelSerializer):
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
            *VOID_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_restated_values(self, estimate) -> dict:
        return {str(k): str(v) for k, v in (estimate.restated_values or {}).items()}
