"""Correcting a recovery ledger over the API: a mistaken entry is never changed or deleted; a reversing entry
(amounts negated, with the reason) cancels it and both stay on the record.

    POST claims/{id}/events/{event_id}/reverse/           {"reason": "..."}
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from ..models import RecoveryClaim, RecoveryEvent
from ..selectors import restatements_visible_to
from ..services import recovery as recovery_service
from .base import ManageView, path_id, valid


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="Why the entry is reversed; kept in the history."
    )


class RecoveryEntrySerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RecoveryEvent
        fields = [
            "id",
            "claim",
            "occurred_on",
            "method",
            "amount",
            "units",
            "recovered_from",
            "party_name",
            "evidence",
            "reverses",
            "reversal_reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class RecoveryEventReverseView(ManageView):
    @extend_schema(
        operation_id="clawback_claims_events_reverse",
        parameters=[path_id(), path_id("event_id")],
        request=ReverseInputSerializer,
        responses={201: RecoveryEntrySerializer},
    )
    def post(self, request, id, event_id):
        claim = get_object_or_404(
            RecoveryClaim.objects.filter(restatement__in=restatements_visible_to(request.user).values("pk")),
            pk=id,
        )
        event = get_object_or_404(RecoveryEvent.objects.filter(claim=claim), pk=event_id)
        reason = valid(ReverseInputSerializer, request)["reason"]
        reversal = recovery_service.reverse_recovery_event(
            actor=request.user, event=event, reason=reason, now=timezone.now()
        )
        return Response(RecoveryEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "claims/<str:id>/events/<str:event_id>/reverse/",
        RecoveryEventReverseView.as_view(),
        name="claim-event-reverse",
    ),
]
