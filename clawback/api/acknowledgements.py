"""Clawback policy acknowledgements over the API (policy "Other Recovery Rights").

GET  acknowledgements/                                who has and has not acknowledged a version
POST acknowledgements/create/                         an acknowledgement, from its evidence
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion
from compliance_site.company.selectors import policy_in_force

from ..models import Executive
from ..selectors import acknowledgement_report, clawback_policies, executives_visible_to
from ..services import records as services
from .base import RecordWrites, VisibleChoicesMixin, create_write, today


class AcknowledgementStatusSerializer(serializers.Serializer):
    executive = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField(
        help_text="Served as an executive officer on or after the version's effective date."
    )
    missing = serializers.BooleanField(help_text="Required and not acknowledged.")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    evidence = serializers.CharField(
        allow_blank=True, help_text="What shows it; empty when the executive acknowledged signed in."
    )


def acknowledgement_rows(statuses) -> list[dict]:
    return [
        {
            "executive": s.executive.pk,
            "key": s.executive.key,
            "name": s.executive.name,
            "required": s.required,
            "missing": s.missing,
            "acknowledged_at": s.acknowledged_at,
            "evidence": s.acknowledgement.evidence if s.acknowledgement else "",
        }
        for s in statuses
    ]


class AcknowledgementReportSerializer(serializers.Serializer):
    policy = serializers.IntegerField()
    policy_version = serializers.CharField()
    effective_date = serializers.DateField()
    required = serializers.IntegerField(help_text="Executives who must acknowledge this version.")
    missing = serializers.IntegerField(help_text="Of those, how many have not.")
    executives = AcknowledgementStatusSerializer(many=True)


class AcknowledgementQuerySerializer(serializers.Serializer):
    policy = serializers.IntegerField(
        required=False, min_value=1, help_text="Clawback policy version; the one in force today if omitted."
    )


class AcknowledgementInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """An executive's acknowledgement of a clawback policy version, from its evidence (a former executive
    without a sign-in included)."""

    policy = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False)
    )
    executive = serializers.PrimaryKeyRelatedField(queryset=Executive.objects.none())
    acknowledged_at = serializers.DateTimeField()
    evidence = serializers.CharField(max_length=5000)

    def visible_querysets(self, user):
        return {"executive": executives_visible_to(user)}


class AcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyAcknowledgement
        fields = ["id", "policy", "executive", "user", "acknowledged_at", "evidence", "recorded_by"]
        read_only_fields = fields


class AcknowledgementReportView(APIView):
    """Who has and has not acknowledged a clawback policy version: every executive officer the caller may
    see, whether they must (serving on or after its effective date) and the evidence (policy "Other
    Recovery Rights")."""

    permission_classes = [HasCapability]
    capability = "clawback.view"

    @extend_schema(
        operation_id="clawback_acknowledgements_report",
        parameters=[AcknowledgementQuerySerializer],
        responses={200: AcknowledgementReportSerializer},
    )
    def get(self, request):
        query = AcknowledgementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if "policy" in query.validated_data:
            policy = get_object_or_404(clawback_policies(), pk=query.validated_data["policy"])
        else:
            policy = policy_in_force(PolicyVersion.Kind.CLAWBACK, on=today()) or clawback_policies().first()
            if policy is None:
                raise exceptions.NotFound("No approved version of the clawback policy is recorded.")
        statuses = acknowledgement_report(request.user, policy)
        return Response(
            {
                "policy": policy.pk,
                "policy_version": policy.version,
                "effective_date": policy.effective_date,
                "required": sum(1 for s in statuses if s.required),
                "missing": sum(1 for s in statuses if s.missing),
                "executives": acknowledgement_rows(statuses),
            }
        )


class AcknowledgementWrites(RecordWrites):
    """An executive's acknowledgement of a clawback policy version, recorded from its evidence (policy "Other
    Recovery Rights")."""

    serializer_class = AcknowledgementSerializer
    create_record = create_write(
        "acknowledgements",
        AcknowledgementInputSerializer,
        services.record_policy_acknowledgement,
        operation="create",
        now=True,
    )


urlpatterns = [
    path("acknowledgements/", AcknowledgementReportView.as_view(), name="acknowledgement-list"),
]
