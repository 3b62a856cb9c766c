"""Requests from outside for material nonpublic information (policy I.A) over the API. See
docs/regfd-rules §2.8."""

from rest_framework import serializers

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, reads
from regfd import selectors_records as sel
from regfd.models import InformationRequest
from regfd.services import records as services

from .common import InstantInputField, active_users, name_of


class InformationRequestSerializer(serializers.ModelSerializer):
    received_by_name = name_of("received_by")
    routed_to_name = name_of("routed_to")
    responded_by_name = name_of("responded_by", null=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "received_by",
            "received_by_name",
            "received_at",
            "requester_name",
            "requester_phone",
            "requester_firm",
            "request",
            "routed_to",
            "routed_to_name",
            "response",
            "responded_by",
            "responded_by_name",
            "responded_at",
        ]
        read_only_fields = fields


RequestFilterSerializer = list_filters("RequestFilterSerializer", state=["open", "answered"])


class InformationRequestInputSerializer(serializers.Serializer):
    """Log a request and route it to an authorized officer (regfd.services.log_information_request)."""

    received_at = InstantInputField()
    requester_name = serializers.CharField(max_length=200)
    requester_phone = serializers.CharField(max_length=50)
    requester_firm = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    request = serializers.CharField()
    routed_to = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), help_text="An authorized officer."
    )


class RespondInputSerializer(serializers.Serializer):
    response = serializers.CharField(help_text="The response given to the requester.")


class InformationRequestViewSet(RegisterViewSet):
    """Requests from outside for MNPI. Anyone logs one and routes it to an authorized officer; only that
    officer records the response, and never the person who received it."""

    register = sel.REQUESTS
    serializer_class = InformationRequestSerializer
    filterset = RequestFilterSerializer
    capabilities = {**reads("regfd.access"), "create": "regfd.report", "respond": "regfd.approve"}

    create = Write(InformationRequestInputSerializer, services.log_information_request, now=True)
    respond = Write(
        RespondInputSerializer,
        services.record_information_response,
        record="information_request",
        now=True,
        guard=sel.only_the_routed_officer,
    )


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
