"""Correcting a recovery ledger over the API: a mistaken entry is never changed or deleted; a reversing entry
(amounts negated, with the reason) cancels it and both stay on the record.

    POST claims/{id}/events/{event_id}/reverse/           {"reason": "..."}
"""

from rest_framework import serializers

from ..models import RecoveryClaim, RecoveryEvent
from ..selectors import restatements_visible_to
from ..services import recovery as recovery_service
from .base import Part, RecordWrites
from .workflow import RECOVERY_ENTRY_FIELDS


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
            *RECOVERY_ENTRY_FIELDS,
            "reverses",
            "reversal_reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


EVENTS = Part("events", "event_id", RecoveryEvent, "claim")


class RecoveryLedgerWrites(RecordWrites):
    """A mistaken recovery entry is never changed or deleted: a reversing entry (amounts negated, with the
    reason) cancels it, and both stay on the record."""

    serializer_class = RecoveryEntrySerializer
    fresh_second_factor_actions = {"reverse_event"}
    reverse_event = EVENTS.write(
        "claims",
        ReverseInputSerializer,
        recovery_service.reverse_recovery_event,
        verb="reverse",
        record="event",
        now=True,
        created=True,
    )

    def get_queryset(self):
        return RecoveryClaim.objects.filter(
            restatement__in=restatements_visible_to(self.request.user).values("pk")
        )
