"""A case's recovery worksheet and its scenario document over the API.

GET  restatements/{id}/worksheet/                     the analysis, computed now by the engine
GET  restatements/{id}/scenario/                      the case as a scenario document
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.schema import ErrorSerializer

from ..models import Restatement
from ..scenario import ScenarioError
from ..selectors import restatement_worksheet, restatements_for_change, restatements_with_details
from ..services import exports
from .acknowledgements import AcknowledgementStatusSerializer, acknowledgement_rows
from .base import path_id, today
from .whatif import RecoveryResultSerializer


class WorksheetAwardSerializer(serializers.Serializer):
    id = serializers.CharField()
    executive = serializers.CharField()
    award = serializers.IntegerField(allow_null=True, help_text="The award record's id.")
    explanation = serializers.ListField(child=serializers.CharField(), help_text="Each step, in order.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Readable scope reasons.")
    policy_applies = serializers.BooleanField(
        allow_null=True, help_text="Approved or granted on/after the policy's Effective Date; null: unknown."
    )
    predates_policy = serializers.BooleanField(
        help_text="In scope under the listing standard, but granted before the policy's Effective Date."
    )


class WorksheetSerializer(serializers.Serializer):
    restatement = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        ["recovery", "no_recovery", "pending_estimates", "no_required_date"],
        help_text="no_recovery always comes with its reason (Item 402(w)(2)).",
    )
    outcome_text = serializers.CharField()
    no_recovery_reason = serializers.ChoiceField(
        ["not_triggering", "no_awards_in_scope", "no_excess"], allow_null=True
    )
    result = RecoveryResultSerializer()
    awards = WorksheetAwardSerializer(many=True)
    policy_version = serializers.IntegerField(allow_null=True)
    acknowledgements = AcknowledgementStatusSerializer(many=True)


class CaseIncomplete(exceptions.APIException):
    """The case's records cannot form a scenario yet (e.g. no fiscal calendar)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The case's records cannot be evaluated yet."
    default_code = "case_incomplete"


def _incomplete(errors) -> CaseIncomplete:
    problems = "; ".join(f"{p}: {m}" for p, m in errors[:5])
    return CaseIncomplete(f"The case's records cannot be evaluated yet: {problems}")


def _worksheet_data(restatement: Restatement) -> dict:
    from compliance_site.templatetags.compliance import rule_label

    worksheet = restatement_worksheet(restatement, today=today())
    if worksheet.problems:
        raise _incomplete(list(worksheet.problems))
    return {
        "restatement": restatement.pk,
        "outcome": worksheet.outcome,
        "outcome_text": worksheet.outcome_text,
        "no_recovery_reason": worksheet.no_recovery_reason,
        "result": worksheet.result_json,
        "awards": [
            {
                "id": line.result.id,
                "executive": line.result.executive,
                "award": line.award.pk if line.award else None,
                "explanation": list(line.result.explanation),
                "reasons": [rule_label(r) for r in line.result.reasons],
                "policy_applies": line.policy_applies,
                "predates_policy": line.predates_policy,
            }
            for line in worksheet.awards
        ],
        "policy_version": worksheet.policy.pk if worksheet.policy else None,
        "acknowledgements": acknowledgement_rows(worksheet.acknowledgements),
    }


_CONFLICT = OpenApiResponse(ErrorSerializer, description="The case's records cannot be evaluated yet.")


class WorksheetView(APIView):
    """The recovery analysis of a case, computed now by the engine from the database: the
    clawback-result/1 document, each award's explanation step by step, the conclusion (with the Item
    402(w)(2) reason when nothing is recoverable) and the covered executives' policy acknowledgements."""

    permission_classes = [HasCapability]
    capability = "clawback.view"

    @extend_schema(
        operation_id="clawback_restatements_worksheet",
        parameters=[path_id()],
        responses={200: WorksheetSerializer, 409: _CONFLICT},
    )
    def get(self, request, id):
        restatement = get_object_or_404(restatements_with_details(request.user), pk=id)
        return Response(_worksheet_data(restatement))


class ScenarioView(APIView):
    """The case as a scenario document; evaluating it gives the worksheet's result."""

    permission_classes = [HasCapability]
    capability = "clawback.export"

    @extend_schema(
        operation_id="clawback_restatements_scenario",
        parameters=[path_id()],
        responses={200: OpenApiTypes.OBJECT, 409: _CONFLICT},
    )
    def get(self, request, id):
        restatement = get_object_or_404(restatements_for_change(request.user), pk=id)
        try:
            document = exports.case_scenario(restatement)
        except ScenarioError as exc:
            raise _incomplete(exc.errors) from exc
        return Response(document)


urlpatterns = [
    path("restatements/<str:id>/worksheet/", WorksheetView.as_view(), name="restatement-worksheet"),
    path("restatements/<str:id>/scenario/", ScenarioView.as_view(), name="restatement-scenario"),
]
