"""Authorized spokespersons (policy I.A) and their confirmations of keeping current (policy II.G) over the
API. See docs/regfd-rules §2.8."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, reads
from regfd import selectors_records as sel
from regfd.models import KeepingCurrentConfirmation, SpokespersonAuthorization
from regfd.services import spokespersons as services

from .common import InstantInputField, RecordDateField, active_users, name_of, today_et

# ---- Authorizations --------------------------------------------------------------------------------------


class SpokespersonAuthorizationSerializer(serializers.ModelSerializer):
    person_name = name_of("person")
    authorized_by_name = name_of("authorized_by")

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


AuthorizationFilterSerializer = list_filters(
    "AuthorizationFilterSerializer",
    state=["current", "expired", "revoked"],
    help={"q": "Person or scope.", "state": "As of today (ET)."},
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


class SpokespersonAuthorizationViewSet(RegisterViewSet):
    """Authorizations to communicate with Specified Persons. The program's officers see all; anyone else
    their own. Authorizing and revoking are for the authorized officers (regfd.approve)."""

    register = sel.AUTHORIZATIONS
    serializer_class = SpokespersonAuthorizationSerializer
    filterset = AuthorizationFilterSerializer
    capabilities = {
        **reads("regfd.access"),
        "create": "regfd.approve",
        "revoke": "regfd.approve",
        "status": "regfd.view",
    }

    create = Write(AuthorizeInputSerializer, services.authorize_spokesperson, now=True)
    revoke = Write(
        RevokeInputSerializer, services.revoke_spokesperson_authorization, record="authorization", now=True
    )

    def search_params(self, params):
        return {**params, "on": today_et()}

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
        authorized, note = services.spokesperson_status(person, on)
        return Response({"person": person.pk, "on": on, "authorized": authorized, "note": note})


# ---- Keeping current -------------------------------------------------------------------------------------


class KeepingCurrentSerializer(serializers.ModelSerializer):
    person_name = name_of("person")

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


class KeepingCurrentViewSet(RegisterViewSet):
    """Spokespersons' confirmations of keeping current (policy II.G), and who is missing one."""

    register = sel.CONFIRMATIONS
    serializer_class = KeepingCurrentSerializer
    filterset = KeepingCurrentFilterSerializer
    capabilities = {**reads("regfd.access"), "create": "regfd.access", "missing": "regfd.view"}

    create = Write(ConfirmInputSerializer, services.confirm_keeping_current, now=True)

    @extend_schema(parameters=[MissingQuerySerializer], responses=MissingConfirmationSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def missing(self, request):
        """The spokespersons (as of today, ET) with no confirmation for the period."""
        query = MissingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        missing = sel.spokespersons_missing_confirmation(
            period_label=query.validated_data["period"], on=today_et()
        )
        return Response(MissingConfirmationSerializer(missing, many=True).data)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
