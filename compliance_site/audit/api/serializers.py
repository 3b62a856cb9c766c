from rest_framework import serializers

from compliance_site.api.lean import LeanModelSerializer
from compliance_site.audit.exports import ENTRY_FIELDS
from compliance_site.audit.models import AuditEvent


class AuditEventSerializer(LeanModelSerializer):
    class Meta:
        model = AuditEvent
        # Here `actor` is the user's id and `actor_repr` the name as known at the time (the exports' `actor`).
        fields = ["id", "seq", "at", "actor", "actor_repr", *ENTRY_FIELDS]
        read_only_fields = fields


class AuditEventFilterSerializer(serializers.Serializer):
    """Query parameters of the audit trail list; a bad value is a 400 naming the parameter."""

    q = serializers.CharField(
        allow_blank=True, max_length=200, required=False, help_text="Text in the record, verb or reason."
    )
    actor = serializers.CharField(
        allow_blank=True, max_length=150, required=False, help_text="User name, exactly (or 'system')."
    )
    object_type = serializers.RegexField(
        r"^([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)?$",
        max_length=100,
        allow_blank=True,
        required=False,
        help_text="app_label.model",
    )
    object_id = serializers.CharField(allow_blank=True, max_length=64, required=False)
    action = serializers.ChoiceField(choices=AuditEvent.Action.choices, allow_blank=True, required=False)
    date_from = serializers.DateField(required=False, help_text="On or after this date (UTC).")
    date_to = serializers.DateField(required=False, help_text="On or before this date (UTC).")

    def validate(self, attrs):
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise serializers.ValidationError({"date_to": "Must be on or after date_from."})
        return attrs
