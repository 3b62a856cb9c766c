from rest_framework import serializers

from clawback.models import Award, Executive, OfficerPeriod, Restatement, RestatementEvent


class RestatementEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RestatementEvent
        fields = ["id", "kind", "date", "rationale"]
        read_only_fields = fields


class RestatementSerializer(serializers.ModelSerializer):
    events = RestatementEventSerializer(many=True, read_only=True)
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
            "created_at",
            "events",
            "covered_executives",
        ]
        read_only_fields = fields


class OfficerPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficerPeriod
        fields = ["id", "start", "end", "title"]
        read_only_fields = fields


class ExecutiveSerializer(serializers.ModelSerializer):
    officer_periods = OfficerPeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Executive
        fields = ["id", "company", "key", "name", "title", "user", "officer_periods"]
        read_only_fields = fields


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = [
            "id",
            "executive",
            "key",
            "award_type",
            "basis",
            "grant_date",
            "performance_start",
            "performance_end",
            "measure",
            "measure_period",
            "formula",
            "unit",
            "received",
            "value_per_unit",
            "requires_estimate",
        ]
        read_only_fields = fields
