"""Communications with Specified Persons (policy II.F) over the API: scheduled, held, debriefed or
cancelled. See docs/regfd-rules §2.8."""

from django.db.models import Prefetch
from rest_framework import serializers

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, reads
from regfd import selectors_records as sel
from regfd.models import Communication, Incident
from regfd.services import records as services

from .common import MANAGE_OR_APPROVE, InstantInputField, active_users, name_of


class CommunicationSerializer(serializers.ModelSerializer):
    spokesperson_name = name_of("spokesperson")
    incidents = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Incidents opened from this communication's debrief."
    )

    class Meta:
        model = Communication
        fields = [
            "id",
            "kind",
            "title",
            "scheduled_at",
            "spokesperson",
            "spokesperson_name",
            "participants",
            "script",
            "status",
            "spokesperson_authorized",
            "authorization_note",
            "fls_disclaimer_given",
            "record_of_discussion",
            "possible_mnpi",
            "debrief_notes",
            "debriefed_at",
            "debriefed_by",
            "created_by",
            "created_at",
            "incidents",
        ]
        read_only_fields = fields


CommunicationFilterSerializer = list_filters(
    "CommunicationFilterSerializer", status=Communication.Status.choices, kind=Communication.Kind.choices
)


class CommunicationInputSerializer(serializers.Serializer):
    """Schedule a communication ahead of time (regfd.services.schedule_communication); the spokesperson's
    authorization is checked and stored."""

    kind = serializers.ChoiceField(choices=Communication.Kind.choices)
    title = serializers.CharField(max_length=200)
    scheduled_at = InstantInputField()
    spokesperson = serializers.PrimaryKeyRelatedField(queryset=active_users())
    participants = serializers.CharField(help_text="The Specified Persons and their firms.")
    script = serializers.CharField(allow_blank=True, required=False, default="")


class HeldInputSerializer(serializers.Serializer):
    record_of_discussion = serializers.CharField()
    fls_disclaimer_given = serializers.BooleanField(help_text="Forward-looking-statement disclaimer given.")


class DebriefInputSerializer(serializers.Serializer):
    """Debrief a held communication (regfd.services.debrief_communication). With possible_mnpi an incident
    opens with T0 = debriefed_at; information, recipient_name and recipient_category are then required."""

    debriefed_at = InstantInputField(help_text="When the debrief took place: T0 if possible MNPI is flagged.")
    possible_mnpi = serializers.BooleanField()
    debrief_notes = serializers.CharField()
    learned_by = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    information = serializers.CharField(allow_blank=True, required=False, default="")
    recipient_name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    recipient_firm = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    recipient_category = serializers.ChoiceField(
        choices=Incident.RecipientCategory.choices, allow_blank=True, required=False, default=""
    )
    intentional = serializers.BooleanField(required=False, default=False)
    disclosed_at = InstantInputField(
        allow_null=True, required=False, default=None, help_text="Defaults to the communication's time."
    )


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _communication(returned):
    """debrief_communication returns the communication and the incident it opened, if any."""
    communication, _incident = returned
    return communication


class CommunicationViewSet(RegisterViewSet):
    """Communications with Specified Persons: scheduled, held, debriefed. A debrief flagging possible MNPI
    opens a linked incident in the same transaction."""

    register = sel.COMMUNICATIONS
    serializer_class = CommunicationSerializer
    filterset = CommunicationFilterSerializer
    refetch = True
    capabilities = {
        **reads("regfd.access"),
        "create": MANAGE_OR_APPROVE,
        "record_held": MANAGE_OR_APPROVE,
        "debrief": MANAGE_OR_APPROVE,
        "cancel": MANAGE_OR_APPROVE,
    }

    create = Write(CommunicationInputSerializer, services.schedule_communication, now=True)
    record_held = Write(
        HeldInputSerializer, services.record_communication_held, record="communication", now=True
    )
    debrief = Write(
        DebriefInputSerializer,
        services.debrief_communication,
        record="communication",
        now=True,
        result=_communication,
    )
    cancel = Write(CancelInputSerializer, services.cancel_communication, record="communication")

    def visible(self):
        incidents = Incident.objects.only("id", "source_communication_id")
        return super().visible().prefetch_related(Prefetch("incidents", queryset=incidents))


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
