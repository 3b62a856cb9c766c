from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.inputs import validated
from compliance_site.audit.selectors import events_visible_to, filter_events

from .serializers import AuditEventFilterSerializer, AuditEventSerializer


@extend_schema_view(list=extend_schema(parameters=[AuditEventFilterSerializer]))
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The append-only audit trail, newest first."""

    permission_classes = [HasCapability]
    capability = "audit.view"
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        qs = events_visible_to(self.request.user)
        if self.action != "list":
            return qs
        params = dict(validated(AuditEventFilterSerializer, self.request.query_params))
        object_id = params.pop("object_id", "")
        qs = filter_events(qs, **params)
        if object_id:
            qs = qs.filter(object_id=object_id)
        return qs
