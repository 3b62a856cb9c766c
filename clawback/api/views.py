from rest_framework import viewsets

from clawback.selectors import awards_visible_to, executives_visible_to, restatements_visible_to
from compliance_site.accounts.permissions import HasCapability

from .serializers import AwardSerializer, ExecutiveSerializer, RestatementSerializer


class RestatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Restatements (clawback cases) with their dated events and covered executives. A covered executive
    never sees the case about their own pay (clawback.selectors)."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = RestatementSerializer

    def get_queryset(self):
        # Prefetched so that a page costs the same number of queries whatever its length.
        return restatements_visible_to(self.request.user).prefetch_related("events", "covered_executives")


class ExecutiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Executive officers with their periods of service."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = ExecutiveSerializer

    def get_queryset(self):
        return executives_visible_to(self.request.user).prefetch_related("officer_periods")


class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Incentive-based and other compensation received, as the recovery engine reads it."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = AwardSerializer

    def get_queryset(self):
        return awards_visible_to(self.request.user)
