from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from regfd import services
from regfd.selectors import incidents_visible_to, search_incidents

from .serializers import (
    CloseNotRequiredInputSerializer,
    IncidentFilterSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    RecordDisclosureInputSerializer,
)


@extend_schema_view(list=extend_schema(parameters=[IncidentFilterSerializer]))
class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reg FD incidents. regfd.selectors decides who sees which (the program's officers all of them, other
    reporters their own); every change is an action calling one service."""

    serializer_class = IncidentSerializer
    permission_classes = [HasCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": "regfd.report",
        "record_disclosure": "regfd.manage",
        "close_not_required": "regfd.manage",
    }

    def get_queryset(self):
        qs = incidents_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = IncidentFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = search_incidents(qs, q=params.get("q", ""), status=params.get("status", ""))
        return qs.order_by(params["ordering"], "id")

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        serializer = IncidentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.open_incident(actor=request.user, now=timezone.now(), **serializer.validated_data)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordDisclosureInputSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="record-disclosure")
    def record_disclosure(self, request, pk=None):
        incident = self.get_object()
        serializer = RecordDisclosureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.record_public_disclosure(
            actor=request.user, incident=incident, **serializer.validated_data
        )
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=CloseNotRequiredInputSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="close-not-required")
    def close_not_required(self, request, pk=None):
        incident = self.get_object()
        serializer = CloseNotRequiredInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.close_not_required(
            actor=request.user, incident=incident, **serializer.validated_data
        )
        return Response(IncidentSerializer(incident).data)
