"""POST /api/clawback/what-if/: evaluate a scenario file, save nothing (docs/clawback-rules §1.11)."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability

from .. import services
from ..scenario import ScenarioError


class _LookbackSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    periods = serializers.ListField(child=serializers.CharField())


class _AwardResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    executive = serializers.CharField()
    received_on = serializers.DateField()
    in_scope = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(["computed", "excluded", "reasonable_estimate_required", "estimated"])
    unit = serializers.ChoiceField(["USD", "units"])
    received = serializers.CharField(help_text="Decimal string")
    original_formula = serializers.CharField(allow_null=True)
    recomputed = serializers.CharField(allow_null=True)
    excess = serializers.CharField(allow_null=True)
    excess_usd = serializers.CharField(allow_null=True)
    explanation = serializers.CharField()


class _ExecutiveResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    excess_usd = serializers.CharField()
    excess_units = serializers.CharField()
    pending_estimates = serializers.IntegerField()


class _TotalsSerializer(serializers.Serializer):
    excess_usd = serializers.CharField()
    excess_units = serializers.CharField()
    pending_estimates = serializers.IntegerField()


class RecoveryResultSerializer(serializers.Serializer):
    """The clawback-result/1 document (amounts are decimal strings)."""

    format = serializers.CharField()
    triggers_recovery_analysis = serializers.BooleanField()
    required_on = serializers.DateField(allow_null=True)
    required_on_event = serializers.CharField(allow_null=True)
    lookback = _LookbackSerializer(allow_null=True)
    awards = _AwardResultSerializer(many=True)
    executives = _ExecutiveResultSerializer(many=True)
    totals = _TotalsSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


class _RawJSONParser(JSONParser):
    """Hands the view the raw body: the scenario parser reports duplicate keys and NaN itself, with paths."""

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class WhatIfView(APIView):
    permission_classes = [HasCapability]
    capability = "clawback.whatif"
    parser_classes = [_RawJSONParser]

    @extend_schema(
        operation_id="clawback_whatif",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={200: RecoveryResultSerializer},
        examples=[OpenApiExample("Minimal", value={"format": "clawback-scenario/1"}, request_only=True)],
        description="Evaluate a clawback-scenario/1 document and return the clawback-result/1 document. "
        "Nothing "
        "is saved. A bad scenario is a 400 whose `fields` map each JSON path to its problems.",
    )
    def post(self, request):
        body = request.data if isinstance(request.data, bytes | str) else b""
        try:
            outcome = services.run_whatif(text=body)
        except ScenarioError as exc:
            fields: dict[str, list[str]] = {}
            for path, message in exc.errors:
                fields.setdefault(path, []).append(message)
            raise ValidationError(fields) from exc
        return Response(outcome.result_json)
