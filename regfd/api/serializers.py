from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from regfd.models import Incident


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry a UTC offset or `Z`.

    A naive value is refused, never assumed to be in some zone: Reg FD deadlines run from T0 to the minute,
    and an hour's error across a daylight-saving change could move a deadline (STYLE.md §16).
    """

    default_error_messages = {
        "naive": (
            "Give a UTC offset or Z (e.g. 2026-03-03T14:00:00-05:00); a time without one is never assumed."
        ),
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out-of-range parts: let DateTimeField report the format error
            if parsed is not None and (parsed.tzinfo is None or parsed.utcoffset() is None):
                self.fail("naive")
        return super().to_internal_value(value)


class IncidentSerializer(serializers.ModelSerializer):
    """An incident with its computed deadline and what produced it (STYLE.md §15)."""

    # Declared so the schema admits "" (not yet disclosed): read-only model fields lose allow_blank.
    public_disclosure_method = serializers.ChoiceField(
        choices=Incident.DisclosureMethod.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "outcome",
            "disclosed_by",
            "recipient_name",
            "recipient_firm",
            "recipient_category",
            "information",
            "disclosed_at",
            "learned_at",
            "learned_by",
            "intentional",
            "reported_by",
            "reported_at",
            "outer_limit",
            "policy_target",
            "due_at",
            "calendar_version",
            "rule_version",
            "deadline_explanation",
            "public_disclosure_at",
            "public_disclosure_method",
            "public_disclosure_reference",
            "closed_reason",
        ]
        read_only_fields = fields


class IncidentFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Incident.Status.choices, allow_blank=True, required=False)
    q = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        help_text="Reference, title, recipient or discloser.",
    )
    ordering = serializers.ChoiceField(
        choices=["due_at", "-due_at"], required=False, default="due_at", help_text="By working deadline."
    )


class IncidentInputSerializer(serializers.Serializer):
    """A selective disclosure to log (regfd.services.open_incident). Times must carry a UTC offset."""

    title = serializers.CharField(max_length=200)
    disclosed_by = serializers.CharField(max_length=200)
    recipient_name = serializers.CharField(max_length=200)
    recipient_firm = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    recipient_category = serializers.ChoiceField(choices=Incident.RecipientCategory.choices)
    information = serializers.CharField()
    disclosed_at = AwareDateTimeField()
    learned_at = AwareDateTimeField(help_text="T0: when a senior official learned of the disclosure.")
    learned_by = serializers.CharField(max_length=200)
    intentional = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if attrs["learned_at"] < attrs["disclosed_at"]:
            raise serializers.ValidationError(
                {"learned_at": "A disclosure cannot be learned of before it was made (before disclosed_at)."}
            )
        return attrs


class RecordDisclosureInputSerializer(serializers.Serializer):
    """The public disclosure that cured the selective one (regfd.services.record_public_disclosure)."""

    disclosed_at = AwareDateTimeField(help_text="When the public disclosure was made.")
    method = serializers.ChoiceField(choices=Incident.DisclosureMethod.choices)
    reference = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        default="",
        help_text="Wire release id, 8-K accession number, webcast or page URL.",
    )


class CloseNotRequiredInputSerializer(serializers.Serializer):
    """Closing an incident whose public disclosure is not required (regfd.services.close_not_required)."""

    reason = serializers.CharField(help_text="Why public disclosure is not required.")
