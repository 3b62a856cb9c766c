"""The distribution of the Reg FD policy to all employees, and their acknowledgements, over the API. See
docs/regfd-rules §2.8."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution, PolicyVersion
from compliance_site.registers.api import RegisterViewSet, Write, reads
from regfd import selectors_records as sel
from regfd.services import policy as services

from .common import ACKNOWLEDGEMENT_REPORT, UserBriefSerializer, name_of


class PolicyDistributionSerializer(serializers.ModelSerializer):
    policy_label = name_of("policy")
    distributed_by_name = name_of("distributed_by")
    acknowledged = serializers.IntegerField(read_only=True, help_text="Acknowledgements of the version.")

    class Meta:
        model = PolicyDistribution
        fields = [
            "id",
            "policy",
            "policy_label",
            "distributed_at",
            "distributed_by",
            "distributed_by_name",
            "audience",
            "recipients",
            "acknowledged",
        ]
        read_only_fields = fields


class PolicyAcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyAcknowledgement
        fields = ["id", "policy", "user", "acknowledged_at"]
        read_only_fields = fields


class DistributeInputSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.REGFD),
        help_text="An approved Reg FD policy version.",
    )


class PolicyDistributionViewSet(RegisterViewSet):
    """Distributions of the Reg FD policy to all employees. Everyone acknowledges a distributed version;
    the Corporate Secretary distributes and sees who has not acknowledged."""

    register = sel.DISTRIBUTIONS
    serializer_class = PolicyDistributionSerializer
    refetch = True  # the answer counts the version's acknowledgements
    capabilities = {
        **reads("regfd.access"),
        "create": "regfd.manage",
        "acknowledge": "regfd.access",
        "outstanding": ACKNOWLEDGEMENT_REPORT,
    }

    create = Write(DistributeInputSerializer, services.distribute_policy, now=True)

    @extend_schema(request=None, responses=PolicyAcknowledgementSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge the distributed policy version as the signed-in user (idempotent)."""
        distribution = self.get_object()
        acknowledgement = services.acknowledge_policy(
            user=request.user, policy=distribution.policy, now=timezone.now()
        )
        return Response(PolicyAcknowledgementSerializer(acknowledgement).data)

    @extend_schema(responses=UserBriefSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def outstanding(self, request, pk=None):
        """Active users who have not acknowledged this distribution's policy version."""
        distribution = self.get_object()
        return Response(UserBriefSerializer(sel.users_not_acknowledged(distribution.policy), many=True).data)
