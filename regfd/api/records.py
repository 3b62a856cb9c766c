"""The Reg FD policy records over the API: read viewsets with explicit fields, and each state change an
action with its own input serializer calling one service (regfd.services). Visibility comes from
regfd.selectors_records, as on the web pages.

Times in input must carry a UTC offset or `Z`: a time without one is refused with a 400, never assumed.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.accounts.permissions import has_capability
from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution, PolicyVersion
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd import selectors_records as sel
from regfd.models import (
    Communication,
    EarningsEvent,
    Incident,
    InformationRequest,
    KeepingCurrentConfirmation,
    NonGaapReview,
    PolicyRecord,
    SpokespersonAuthorization,
)
from regfd.services import policy as policy_services
from regfd.services import records as services
from regfd.services import spokespersons as spokesperson_services

from .serializers import AwareDateTimeField

User = get_user_model()
MANAGE_OR_APPROVE = ("regfd.manage", "regfd.approve")
ACKNOWLEDGEMENT_REPORT = ("regfd.manage", "regfd.export")

# ---------------------------------------------------------------------------------------------------------
# Permissions and shared fields
# ---------------------------------------------------------------------------------------------------------


class HasAnyCapability(permissions.BasePermission):
    """The view declares `capabilities = {action: "cap" or ("cap", "other cap")}`: the user needs one of
    them. A method the view does not offer has no action; it passes here so DRF answers 405."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        current = getattr(view, "action", None)
        if current is None:
            return True
        required = view.capabilities[current]
        required = (required,) if isinstance(required, str) else required
        return any(has_capability(request.user, capability) for capability in required)


class InstantInputField(AwareDateTimeField):
    """An aware date-time within 1900–2199: far-off years cannot be converted between zones reliably and
    are never a Reg FD record's time."""

    default_error_messages = {"range": "Give a time between the years 1900 and 2199."}

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not 1900 <= result.year <= 2199:
            self.fail("range")
        return result


class RecordDateField(serializers.DateField):
    default_error_messages = {"range": "Give a date between the years 1900 and 2199."}

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not 1900 <= result.year <= 2199:
            self.fail("range")
        return result


def active_users():
    return User.objects.filter(is_active=True)


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email"]
        read_only_fields = fields


def _name(source: str, *, null: bool = False) -> serializers.StringRelatedField:
    return serializers.StringRelatedField(source=source, allow_null=null, read_only=True)


def _today_et():
    return timezone.now().astimezone(EXCHANGE_TZ).date()


# ---------------------------------------------------------------------------------------------------------
# Spokespersons (policy I.A, II.G)
# ---------------------------------------------------------------------------------------------------------


class SpokespersonAuthorizationSerializer(serializers.ModelSerializer):
    person_name = _name("person")
    authorized_by_name = _name("authorized_by")

    class Meta:
        model = SpokespersonAuthorization
        fields = [
            "id",
            "person",
            "person_name",
            "authorized_by",
            "authorized_by_name",
            "scope",
            "content_reviewed",
            "conditions",
            "valid_from",
            "valid_until",
            "created_at",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
        ]
        read_only_fields = fields


class AuthorizationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False, help_text="Person or scope.")
    state = serializers.ChoiceField(
        choices=["current", "expired", "revoked"],
        allow_blank=True,
        required=False,
        help_text="As of today (ET).",
    )


class AuthorizeInputSerializer(serializers.Serializer):
    """An authorized officer authorizes a person to speak (regfd.services.authorize_spokesperson)."""

    person = serializers.PrimaryKeyRelatedField(queryset=active_users())
    scope = serializers.CharField()
    content_reviewed = serializers.CharField()
    conditions = serializers.CharField(allow_blank=True, required=False, default="")
    valid_from = RecordDateField()
    valid_until = RecordDateField()


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the authorization ends.")


class StatusQuerySerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    on = InstantInputField(help_text="The instant to check, with its offset.")


class SpokespersonStatusSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    on = serializers.DateTimeField()
    authorized = serializers.BooleanField()
    note = serializers.CharField()


@extend_schema_view(list=extend_schema(parameters=[AuthorizationFilterSerializer]))
class SpokespersonAuthorizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Authorizations to communicate with Specified Persons. The program's officers see all; anyone else
    their own. Authorizing and revoking are for the authorized officers (regfd.approve)."""

    serializer_class = SpokespersonAuthorizationSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": "regfd.approve",
        "revoke": "regfd.approve",
        "status": "regfd.view",
    }

    def get_queryset(self):
        qs = sel.authorizations_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = AuthorizationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = sel.search_authorizations(
            qs, q=params.get("q", ""), state=params.get("state", ""), on=_today_et()
        )
        return qs.order_by("-valid_from", "-id")

    @extend_schema(request=AuthorizeInputSerializer, responses={201: SpokespersonAuthorizationSerializer})
    def create(self, request):
        serializer = AuthorizeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorization = spokesperson_services.authorize_spokesperson(
            actor=request.user, now=timezone.now(), **serializer.validated_data
        )
        return Response(
            SpokespersonAuthorizationSerializer(authorization).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RevokeInputSerializer, responses=SpokespersonAuthorizationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        authorization = self.get_object()
        serializer = RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorization = spokesperson_services.revoke_spokesperson_authorization(
            actor=request.user, authorization=authorization, now=timezone.now(), **serializer.validated_data
        )
        return Response(SpokespersonAuthorizationSerializer(authorization).data)

    @extend_schema(parameters=[StatusQuerySerializer], responses=SpokespersonStatusSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def status(self, request):
        """May this person communicate with Specified Persons at this instant? (policy I.A)"""
        query = StatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        person = active_users().filter(pk=query.validated_data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": "No such active user."})
        on = query.validated_data["on"]
        authorized, note = spokesperson_services.spokesperson_status(person, on)
        return Response({"person": person.pk, "on": on, "authorized": authorized, "note": note})


class KeepingCurrentSerializer(serializers.ModelSerializer):
    person_name = _name("person")

    class Meta:
        model = KeepingCurrentConfirmation
        fields = [
            "id",
            "person",
            "person_name",
            "period_label",
            "reviewed_filings",
            "reviewed_press_releases",
            "attended_or_heard_calls",
            "notes",
            "confirmed_at",
        ]
        read_only_fields = fields


class KeepingCurrentFilterSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=20, allow_blank=True, required=False, help_text="e.g. 2026-Q3")


class ConfirmInputSerializer(serializers.Serializer):
    """The signed-in spokesperson's own confirmation (regfd.services.confirm_keeping_current): all three
    statements must be true."""

    period_label = serializers.CharField(max_length=20)
    reviewed_filings = serializers.BooleanField()
    reviewed_press_releases = serializers.BooleanField()
    attended_or_heard_calls = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True, required=False, default="")


class MissingQuerySerializer(serializers.Serializer):
    period = serializers.CharField(max_length=20, help_text="e.g. 2026-Q3")


class MissingConfirmationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    username = serializers.CharField(source="person.username")
    name = serializers.CharField(source="person.__str__")
    is_officer = serializers.BooleanField()


@extend_schema_view(list=extend_schema(parameters=[KeepingCurrentFilterSerializer]))
class KeepingCurrentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spokespersons' confirmations of keeping current (policy II.G), and who is missing one."""

    serializer_class = KeepingCurrentSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": "regfd.access",
        "missing": "regfd.view",
    }

    def get_queryset(self):
        qs = sel.confirmations_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = KeepingCurrentFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        period = filters.validated_data.get("period", "")
        return (qs.filter(period_label=period) if period else qs).order_by("-confirmed_at", "-id")

    @extend_schema(request=ConfirmInputSerializer, responses={201: KeepingCurrentSerializer})
    def create(self, request):
        serializer = ConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmation = spokesperson_services.confirm_keeping_current(
            actor=request.user, now=timezone.now(), **serializer.validated_data
        )
        return Response(KeepingCurrentSerializer(confirmation).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[MissingQuerySerializer], responses=MissingConfirmationSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def missing(self, request):
        """The spokespersons (as of today, ET) with no confirmation for the period."""
        query = MissingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        missing = sel.spokespersons_missing_confirmation(
            period_label=query.validated_data["period"], on=_today_et()
        )
        return Response(MissingConfirmationSerializer(missing, many=True).data)


# ---------------------------------------------------------------------------------------------------------
# Requests for material nonpublic information (policy I.A)
# ---------------------------------------------------------------------------------------------------------


class InformationRequestSerializer(serializers.ModelSerializer):
    received_by_name = _name("received_by")
    routed_to_name = _name("routed_to")
    responded_by_name = _name("responded_by", null=True)

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


class RequestFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False)
    state = serializers.ChoiceField(choices=["open", "answered"], allow_blank=True, required=False)


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


@extend_schema_view(list=extend_schema(parameters=[RequestFilterSerializer]))
class InformationRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests from outside for MNPI. Anyone logs one and routes it to an authorized officer; only that
    officer records the response, and never the person who received it."""

    serializer_class = InformationRequestSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": "regfd.report",
        "respond": "regfd.approve",
    }

    def get_queryset(self):
        qs = sel.requests_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = RequestFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        return sel.search_requests(qs, q=params.get("q", ""), state=params.get("state", "")).order_by(
            "-received_at", "-id"
        )

    @extend_schema(request=InformationRequestInputSerializer, responses={201: InformationRequestSerializer})
    def create(self, request):
        serializer = InformationRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.log_information_request(
            actor=request.user, now=timezone.now(), **serializer.validated_data
        )
        return Response(InformationRequestSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RespondInputSerializer, responses=InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        item = self.get_object()
        serializer = RespondInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if item.routed_to_id != request.user.pk:
            self.permission_denied(request, message="Only the authorized officer it was routed to responds.")
        item = services.record_information_response(
            actor=request.user, information_request=item, now=timezone.now(), **serializer.validated_data
        )
        return Response(InformationRequestSerializer(item).data)


# ---------------------------------------------------------------------------------------------------------
# Communications with Specified Persons (policy II.F)
# ---------------------------------------------------------------------------------------------------------


class CommunicationSerializer(serializers.ModelSerializer):
    spokesperson_name = _name("spokesperson")
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


class CommunicationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=Communication.Status.choices, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=Communication.Kind.choices, allow_blank=True, required=False)


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


@extend_schema_view(list=extend_schema(parameters=[CommunicationFilterSerializer]))
class CommunicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Communications with Specified Persons: scheduled, held, debriefed. A debrief flagging possible MNPI
    opens a linked incident in the same transaction."""

    serializer_class = CommunicationSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": MANAGE_OR_APPROVE,
        "record_held": MANAGE_OR_APPROVE,
        "debrief": MANAGE_OR_APPROVE,
        "cancel": MANAGE_OR_APPROVE,
    }

    def get_queryset(self):
        qs = sel.communications_visible_to(self.request.user).prefetch_related(
            Prefetch("incidents", queryset=Incident.objects.only("id", "source_communication_id"))
        )
        if self.action != "list":
            return qs
        filters = CommunicationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = sel.search_communications(
            qs, q=params.get("q", ""), status=params.get("status", ""), kind=params.get("kind", "")
        )
        return qs.order_by("-scheduled_at", "-id")

    def _respond(self, communication, code=status.HTTP_200_OK):
        communication = self.get_queryset().get(pk=communication.pk)
        return Response(CommunicationSerializer(communication).data, status=code)

    @extend_schema(request=CommunicationInputSerializer, responses={201: CommunicationSerializer})
    def create(self, request):
        serializer = CommunicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        communication = services.schedule_communication(
            actor=request.user, now=timezone.now(), **serializer.validated_data
        )
        return Response(CommunicationSerializer(communication).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HeldInputSerializer, responses=CommunicationSerializer)
    @action(detail=True, methods=["post"], url_path="record-held")
    def record_held(self, request, pk=None):
        communication = self.get_object()
        serializer = HeldInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        communication = services.record_communication_held(
            actor=request.user, communication=communication, now=timezone.now(), **serializer.validated_data
        )
        return self._respond(communication)

    @extend_schema(request=DebriefInputSerializer, responses=CommunicationSerializer)
    @action(detail=True, methods=["post"])
    def debrief(self, request, pk=None):
        communication = self.get_object()
        serializer = DebriefInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        communication, _incident = services.debrief_communication(
            actor=request.user, communication=communication, now=timezone.now(), **serializer.validated_data
        )
        return self._respond(communication)

    @extend_schema(request=CancelInputSerializer, responses=CommunicationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        communication = self.get_object()
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        communication = services.cancel_communication(
            actor=request.user, communication=communication, **serializer.validated_data
        )
        return self._respond(communication)


# ---------------------------------------------------------------------------------------------------------
# Earnings releases and calls (policy I.C, II.C–E; NYSE timely alert)
# ---------------------------------------------------------------------------------------------------------


class CheckItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField(allow_null=True, help_text="null: not applicable.")
    detail = serializers.CharField()


class EarningsEventSerializer(serializers.ModelSerializer):
    # Plain strings: a blank URL is "", which a `uri` format would reject.
    webcast_url = serializers.CharField(read_only=True)
    recording_url = serializers.CharField(read_only=True)
    checklist = serializers.SerializerMethodField()

    class Meta:
        model = EarningsEvent
        fields = [
            "id",
            "period_label",
            "release_at",
            "release_timing",
            "nyse_notice_required",
            "nyse_notice_at",
            "call_at",
            "call_announced_at",
            "dial_in",
            "webcast_url",
            "public_access",
            "qa_audible_to_all",
            "recording_url",
            "recording_available_until",
            "created_by",
            "checklist",
        ]
        read_only_fields = fields

    @extend_schema_field(CheckItemSerializer(many=True))
    def get_checklist(self, event):
        items = services.earnings_checklist(event, today=_today_et())
        return CheckItemSerializer(items, many=True).data


class EarningsFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=20, allow_blank=True, required=False, help_text="Period label.")


class EarningsInputSerializer(serializers.Serializer):
    """Open an earnings checklist (regfd.services.create_earnings_event); timing relative to the market and
    whether NYSE notice is required are computed in New York time."""

    period_label = serializers.CharField(max_length=20)
    release_at = InstantInputField()
    call_at = InstantInputField()
    nyse_notice_at = InstantInputField(allow_null=True, required=False, default=None)
    call_announced_at = InstantInputField(allow_null=True, required=False, default=None)
    dial_in = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    webcast_url = serializers.URLField(max_length=200, allow_blank=True, required=False, default="")
    public_access = serializers.BooleanField(required=False, default=False)
    qa_audible_to_all = serializers.BooleanField(required=False, default=False)
    recording_url = serializers.URLField(max_length=200, allow_blank=True, required=False, default="")
    recording_available_until = RecordDateField(allow_null=True, required=False, default=None)


class EarningsUpdateInputSerializer(serializers.Serializer):
    """Record checklist evidence or correct a time (regfd.services.update_earnings_event): only the fields
    given change; null clears an optional one."""

    period_label = serializers.CharField(max_length=20, required=False)
    release_at = InstantInputField(required=False)
    call_at = InstantInputField(required=False)
    nyse_notice_at = InstantInputField(allow_null=True, required=False)
    call_announced_at = InstantInputField(allow_null=True, required=False)
    dial_in = serializers.CharField(max_length=200, allow_blank=True, required=False)
    webcast_url = serializers.URLField(max_length=200, allow_blank=True, required=False)
    public_access = serializers.BooleanField(required=False)
    qa_audible_to_all = serializers.BooleanField(required=False)
    recording_url = serializers.URLField(max_length=200, allow_blank=True, required=False)
    recording_available_until = RecordDateField(allow_null=True, required=False)


@extend_schema_view(list=extend_schema(parameters=[EarningsFilterSerializer]))
class EarningsEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Earnings releases and calls, each with the policy's checklist computed item by item."""

    serializer_class = EarningsEventSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.view",
        "retrieve": "regfd.view",
        "metadata": "regfd.view",
        "create": MANAGE_OR_APPROVE,
        "update_checklist": MANAGE_OR_APPROVE,
    }

    def get_queryset(self):
        qs = sel.earnings_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = EarningsFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return sel.search_earnings(qs, q=filters.validated_data.get("q", "")).order_by("-release_at", "-id")

    @extend_schema(request=EarningsInputSerializer, responses={201: EarningsEventSerializer})
    def create(self, request):
        serializer = EarningsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.create_earnings_event(actor=request.user, **serializer.validated_data)
        return Response(EarningsEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EarningsUpdateInputSerializer, responses=EarningsEventSerializer)
    @action(detail=True, methods=["post"], url_path="update-checklist")
    def update_checklist(self, request, pk=None):
        event = self.get_object()
        serializer = EarningsUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.update_earnings_event(
            actor=request.user, event=event, data=serializer.validated_data
        )
        return Response(EarningsEventSerializer(event).data)


# ---------------------------------------------------------------------------------------------------------
# Regulation G reviews (policy I.F)
# ---------------------------------------------------------------------------------------------------------


class NonGaapReviewSerializer(serializers.ModelSerializer):
    signed_off_by_name = _name("signed_off_by", null=True)

    class Meta:
        model = NonGaapReview
        fields = [
            "id",
            "measure",
            "comparable_gaap_measure",
            "document",
            "earnings_event",
            "reconciliation",
            "equal_prominence",
            "usefulness_statement",
            "release_at",
            "signed_off_by",
            "signed_off_by_name",
            "signed_off_at",
        ]
        read_only_fields = fields


class NonGaapFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False)
    state = serializers.ChoiceField(choices=["pending", "signed_off"], allow_blank=True, required=False)


class NonGaapInputSerializer(serializers.Serializer):
    """Open a Regulation G review (regfd.services.create_nongaap_review)."""

    measure = serializers.CharField(max_length=200)
    comparable_gaap_measure = serializers.CharField(max_length=200)
    document = serializers.CharField(max_length=200)
    earnings_event = serializers.PrimaryKeyRelatedField(
        queryset=EarningsEvent.objects.all(), allow_null=True, required=False, default=None
    )
    reconciliation = serializers.CharField()
    equal_prominence = serializers.BooleanField(required=False, default=False)
    usefulness_statement = serializers.CharField(allow_blank=True, required=False, default="")
    release_at = InstantInputField()


class NonGaapUpdateInputSerializer(serializers.Serializer):
    """Revise a review before sign-off (regfd.services.update_nongaap_review): the fields given change."""

    measure = serializers.CharField(max_length=200, required=False)
    comparable_gaap_measure = serializers.CharField(max_length=200, required=False)
    document = serializers.CharField(max_length=200, required=False)
    earnings_event = serializers.PrimaryKeyRelatedField(
        queryset=EarningsEvent.objects.all(), allow_null=True, required=False
    )
    reconciliation = serializers.CharField(required=False)
    equal_prominence = serializers.BooleanField(required=False)
    usefulness_statement = serializers.CharField(allow_blank=True, required=False)
    release_at = InstantInputField(required=False)


@extend_schema_view(list=extend_schema(parameters=[NonGaapFilterSerializer]))
class NonGaapReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Regulation G reviews; the CFO (an authorized officer) signs off before release."""

    serializer_class = NonGaapReviewSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.view",
        "retrieve": "regfd.view",
        "metadata": "regfd.view",
        "create": MANAGE_OR_APPROVE,
        "revise": MANAGE_OR_APPROVE,
        "sign_off": "regfd.approve",
    }

    def get_queryset(self):
        qs = sel.nongaap_reviews_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = NonGaapFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = sel.search_nongaap_reviews(qs, q=params.get("q", ""), state=params.get("state", ""))
        return qs.order_by("-release_at", "-id")

    @extend_schema(request=NonGaapInputSerializer, responses={201: NonGaapReviewSerializer})
    def create(self, request):
        serializer = NonGaapInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.create_nongaap_review(actor=request.user, **serializer.validated_data)
        return Response(NonGaapReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NonGaapUpdateInputSerializer, responses=NonGaapReviewSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        review = self.get_object()
        serializer = NonGaapUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.update_nongaap_review(
            actor=request.user, review=review, data=serializer.validated_data
        )
        return Response(NonGaapReviewSerializer(review).data)

    @extend_schema(request=None, responses=NonGaapReviewSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        review = self.get_object()
        review = services.sign_off_nongaap_review(actor=request.user, review=review, now=timezone.now())
        return Response(NonGaapReviewSerializer(review).data)


# ---------------------------------------------------------------------------------------------------------
# The other records (policy I.D, I.E, II.H, II.I)
# ---------------------------------------------------------------------------------------------------------


class PolicyRecordSerializer(serializers.ModelSerializer):
    recorded_by_name = _name("recorded_by")
    answered_by_name = _name("answered_by", null=True)

    class Meta:
        model = PolicyRecord
        fields = [
            "id",
            "kind",
            "occurred_at",
            "summary",
            "details",
            "no_comment_given",
            "internal_source",
            "referred_to_counsel_at",
            "corrected_at",
            "correction_method",
            "historical_facts_only",
            "answer",
            "answered_by",
            "answered_by_name",
            "answered_at",
            "recorded_by",
            "recorded_by_name",
        ]
        read_only_fields = fields


class PolicyRecordFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=PolicyRecord.Kind.choices, allow_blank=True, required=False)


class _RecordInput(serializers.Serializer):
    occurred_at = InstantInputField()
    summary = serializers.CharField(max_length=300)
    details = serializers.CharField(allow_blank=True, required=False, default="")


class RumorInputSerializer(_RecordInput):
    """A market rumor (regfd.services.log_market_rumor): an internal source needs referred_to_counsel_at."""

    no_comment_given = serializers.BooleanField()
    internal_source = serializers.BooleanField()
    referred_to_counsel_at = InstantInputField(allow_null=True, required=False, default=None)


class CorrectionInputSerializer(_RecordInput):
    """A material public statement found incorrect at occurred_at, and its correction."""

    corrected_at = InstantInputField()
    correction_method = serializers.CharField(max_length=200)


class AnalystReviewInputSerializer(_RecordInput):
    """An authorized officer's review of an analyst report, limited to historical facts."""

    historical_facts_only = serializers.BooleanField()


class QuestionInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=300, help_text="The question.")
    details = serializers.CharField(allow_blank=True, required=False, default="")


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


@extend_schema_view(list=extend_schema(parameters=[PolicyRecordFilterSerializer]))
class PolicyRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The log of rumors, corrections, analyst-report reviews and questions to the Corporate Secretary. The
    program's officers see all of it; anyone else the records they made."""

    serializer_class = PolicyRecordSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "rumor": MANAGE_OR_APPROVE,
        "correction": MANAGE_OR_APPROVE,
        "analyst_review": "regfd.approve",
        "question": "regfd.report",
        "answer": "regfd.manage",
    }

    def get_queryset(self):
        qs = sel.policy_records_visible_to(self.request.user)
        if self.action != "list":
            return qs
        filters = PolicyRecordFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = sel.search_policy_records(qs, q=params.get("q", ""), kind=params.get("kind", ""))
        return qs.order_by("-occurred_at", "-id")

    def _create(self, request, input_class, service):
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = service(actor=request.user, now=timezone.now(), **serializer.validated_data)
        return Response(PolicyRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RumorInputSerializer, responses={201: PolicyRecordSerializer})
    @action(detail=False, methods=["post"])
    def rumor(self, request):
        return self._create(request, RumorInputSerializer, services.log_market_rumor)

    @extend_schema(request=CorrectionInputSerializer, responses={201: PolicyRecordSerializer})
    @action(detail=False, methods=["post"])
    def correction(self, request):
        return self._create(request, CorrectionInputSerializer, services.log_correction)

    @extend_schema(request=AnalystReviewInputSerializer, responses={201: PolicyRecordSerializer})
    @action(detail=False, methods=["post"], url_path="analyst-review")
    def analyst_review(self, request):
        return self._create(request, AnalystReviewInputSerializer, services.log_analyst_review)

    @extend_schema(request=QuestionInputSerializer, responses={201: PolicyRecordSerializer})
    @action(detail=False, methods=["post"])
    def question(self, request):
        return self._create(request, QuestionInputSerializer, services.ask_secretary_question)

    @extend_schema(request=AnswerInputSerializer, responses=PolicyRecordSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        record = self.get_object()
        serializer = AnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.answer_secretary_question(
            actor=request.user, record=record, now=timezone.now(), **serializer.validated_data
        )
        return Response(PolicyRecordSerializer(record).data)


# ---------------------------------------------------------------------------------------------------------
# Distribution of the policy to all employees
# ---------------------------------------------------------------------------------------------------------


class PolicyDistributionSerializer(serializers.ModelSerializer):
    policy_label = _name("policy")
    distributed_by_name = _name("distributed_by")
    acknowledged = serializers.IntegerField(read_only=True, help_text="Acknowledgements of the version.")

    class Meta:
        model = PolicyDistribution
        fields = [
            "id",
            "policy",
            "policy_label",
            "distributed_at",
            "distributed_by",
            "distributed_by_name",
            "audience",
            "recipients",
            "acknowledged",
        ]
        read_only_fields = fields


class PolicyAcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyAcknowledgement
        fields = ["id", "policy", "user", "acknowledged_at"]
        read_only_fields = fields


class DistributeInputSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.REGFD),
        help_text="An approved Reg FD policy version.",
    )


class PolicyDistributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Distributions of the Reg FD policy to all employees. Everyone acknowledges a distributed version;
    the Corporate Secretary distributes and sees who has not acknowledged."""

    serializer_class = PolicyDistributionSerializer
    permission_classes = [HasAnyCapability]
    capabilities = {
        "list": "regfd.access",
        "retrieve": "regfd.access",
        "metadata": "regfd.access",
        "create": "regfd.manage",
        "acknowledge": "regfd.access",
        "outstanding": ACKNOWLEDGEMENT_REPORT,
    }

    def get_queryset(self):
        return (
            sel.distributions()
            .annotate(acknowledged=Count("policy__acknowledgements", distinct=True))
            .order_by("-distributed_at", "-id")
        )

    def _one(self, distribution):
        return self.get_queryset().get(pk=distribution.pk)

    @extend_schema(request=DistributeInputSerializer, responses={201: PolicyDistributionSerializer})
    def create(self, request):
        serializer = DistributeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        distribution = policy_services.distribute_policy(
            actor=request.user, policy=serializer.validated_data["policy"], now=timezone.now()
        )
        return Response(
            PolicyDistributionSerializer(self._one(distribution)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=PolicyAcknowledgementSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge the distributed policy version as the signed-in user (idempotent)."""
        distribution = self.get_object()
        acknowledgement = policy_services.acknowledge_policy(
            user=request.user, policy=distribution.policy, now=timezone.now()
        )
        return Response(PolicyAcknowledgementSerializer(acknowledgement).data)

    @extend_schema(responses=UserBriefSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def outstanding(self, request, pk=None):
        """Active users who have not acknowledged this distribution's policy version."""
        distribution = self.get_object()
        return Response(UserBriefSerializer(sel.users_not_acknowledged(distribution.policy), many=True).data)
