"""The company's chat channels over the API: listed, added and changed by those who manage the company, as on
the chat channels page (the same services). The webhook address is written, never read back: responses carry
its masked form only."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.inputs import validated
from compliance_site.company.selectors import current_company
from compliance_site.lib.limits import EXPLANATION

from ..models import Reminder, WebhookEndpoint
from ..webhooks import rules
from ..webhooks.selectors import endpoints_of
from ..webhooks.services import add_webhook_endpoint, change_webhook_endpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """A chat channel. `address` is the webhook address masked (its host and last characters): the address
    itself is a secret and is never returned."""

    address = serializers.CharField(source="url_hint", read_only=True)
    address_set_at = serializers.DateTimeField(source="url_set_at", read_only=True)
    events = serializers.ListField(
        source="event_list",
        child=serializers.ChoiceField(choices=Reminder.Kind.choices),
        read_only=True,
        help_text="The kinds of reminder posted to the channel.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "address_set_at",
            "enabled",
            "events",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookEndpointInputSerializer(serializers.Serializer):
    """A new chat channel. `url` is the webhook address Slack or Teams gave (https only); it is a secret,
    written here and never read back."""

    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=WebhookEndpoint.Kind.choices)
    url = serializers.CharField(max_length=rules.MAX_ADDRESS_CHARS, write_only=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Reminder.Kind.choices),
        allow_empty=False,
        default=list(WebhookEndpoint.DEFAULT_EVENTS),
        help_text="The kinds of reminder to post (default: escalations of overdue incidents).",
    )
    enabled = serializers.BooleanField(default=True)


class WebhookEndpointChangeSerializer(serializers.Serializer):
    """A change to a chat channel: only the fields sent change; `reason` goes to the audit trail."""

    name = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=WebhookEndpoint.Kind.choices, required=False)
    url = serializers.CharField(max_length=rules.MAX_ADDRESS_CHARS, write_only=True, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Reminder.Kind.choices), allow_empty=False, required=False
    )
    enabled = serializers.BooleanField(required=False)
    reason = serializers.CharField(max_length=EXPLANATION, allow_blank=True, required=False, write_only=True)


class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The company's Slack and Microsoft Teams channels that receive escalations and other reminders (the
    message of the e-mail: no names, amounts or incident details). Administrators and the Corporate
    Secretary list, add and change them."""

    permission_classes = [HasCapability]
    capability = "company.manage"
    serializer_class = WebhookEndpointSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return endpoints_of(current_company())

    @extend_schema(request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointSerializer})
    def create(self, request):
        company = current_company()
        if company is None:
            raise Http404("No company profile has been set up.")
        data = validated(WebhookEndpointInputSerializer, request.data)
        endpoint = add_webhook_endpoint(actor=request.user, company=company, now=timezone.now(), **data)
        return Response(WebhookEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookEndpointChangeSerializer, responses=WebhookEndpointSerializer)
    def partial_update(self, request, pk=None):
        endpoint = get_object_or_404(self.get_queryset(), pk=pk)
        data = validated(WebhookEndpointChangeSerializer, request.data)
        endpoint = change_webhook_endpoint(actor=request.user, endpoint=endpoint, now=timezone.now(), **data)
        return Response(WebhookEndpointSerializer(endpoint).data)
