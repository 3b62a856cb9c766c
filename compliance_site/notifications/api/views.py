from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.inputs import validated

from .. import services
from ..selectors import notifications_for
from .serializers import MarkedReadSerializer, NotificationFilterSerializer, NotificationSerializer


@extend_schema_view(list=extend_schema(parameters=[NotificationFilterSerializer]))
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications (the in-app channel of reminders), newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [HasCapability]
    capability = "notifications.view"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = notifications_for(self.request.user).order_by("-created_at", "-id")
        if self.action == "list":
            if validated(NotificationFilterSerializer, self.request.query_params).get("unread"):
                qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        notification = get_object_or_404(notifications_for(request.user), pk=pk)
        marked = services.mark_read(user=request.user, notification_ids=[notification.pk], now=timezone.now())
        return Response({"marked": marked})

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        return Response({"marked": services.mark_read(user=request.user, now=timezone.now())})
