"""The CFO's delegations of the Regulation G sign-off (policy I.F) over the API. See docs/regfd-rules §2.6."""

from rest_framework import serializers

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, reads
from regfd import selectors_records as sel
from regfd.models import NonGaapDelegation
from regfd.services import delegations as services

from .common import RecordDateField, active_users, name_of, today_et


class NonGaapDelegationSerializer(serializers.ModelSerializer):
    delegator_name = name_of("delegator")
    delegate_name = name_of("delegate")
    revoked_by_name = name_of("revoked_by", null=True)

    class Meta:
        model = NonGaapDelegation
        fields = [
            "id",
            "delegator",
            "delegator_name",
            "delegate",
            "delegate_name",
            "valid_from",
            "valid_until",
            "reason",
            "created_at",
            "revoked_at",
            "revoked_by",
            "revoked_by_name",
            "revocation_reason",
        ]
        read_only_fields = fields


NonGaapDelegationFilterSerializer = list_filters(
    "NonGaapDelegationFilterSerializer",
    state=["current", "upcoming", "ended", "revoked"],
    help={"q": "The delegate's name.", "state": "As of today (ET)."},
)


class DelegateInputSerializer(serializers.Serializer):
    """The CFO names a delegate for the Regulation G sign-off (regfd.services.delegate_nongaap_sign_off), for
    New York dates, both included."""

    delegate = serializers.PrimaryKeyRelatedField(queryset=active_users())
    valid_from = RecordDateField()
    valid_until = RecordDateField()
    reason = serializers.CharField()


class RevokeDelegationInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the delegation ends.")


class NonGaapDelegationViewSet(RegisterViewSet):
    """The CFO's delegations of the Regulation G sign-off. The program's officers see them; the authorized
    officers reach the writes, and the service lets only the CFO make them. Naming a delegate hands over a
    binding step, so it asks for a fresh second factor."""

    register = sel.NONGAAP_DELEGATIONS
    serializer_class = NonGaapDelegationSerializer
    filterset = NonGaapDelegationFilterSerializer
    capabilities = {**reads("regfd.view"), "create": "regfd.approve", "revoke": "regfd.approve"}
    fresh_second_factor_actions = {"create"}

    create = Write(DelegateInputSerializer, services.delegate_nongaap_sign_off, now=True)
    revoke = Write(
        RevokeDelegationInputSerializer, services.revoke_nongaap_delegation, record="delegation", now=True
    )

    def search_params(self, params):
        return {**params, "on": today_et()}


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
