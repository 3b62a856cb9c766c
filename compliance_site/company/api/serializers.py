from django.contrib.auth import get_user_model
from rest_framework import serializers

from compliance_site.company.models import BodyMembership, Company, FiscalPeriod, PolicyVersion
from compliance_site.lib.limits import EXPLANATION


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", *Company.PROFILE_FIELDS]
        read_only_fields = fields


class CompanyUpdateInputSerializer(serializers.Serializer):
    """A partial change to the company profile (company.services.update_company); `reason` goes to the audit
    trail."""

    name = serializers.CharField(max_length=200, required=False)
    ticker = serializers.CharField(max_length=12, allow_blank=True, required=False)
    exchange = serializers.ChoiceField(choices=Company.Exchange.choices, required=False)
    cik = serializers.RegexField(r"^\d{0,10}$", max_length=10, allow_blank=True, required=False)
    listed_since = serializers.DateField(allow_null=True, required=False)
    delisted_on = serializers.DateField(allow_null=True, required=False)
    confidentiality_legend = serializers.CharField(max_length=300, required=False)
    signature_order = serializers.ChoiceField(choices=Company.SignatureOrder.choices, required=False)
    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, write_only=True)


class FiscalPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalPeriod
        fields = ["id", "label", "start", "end", "transition"]
        read_only_fields = fields


class FiscalPeriodInputSerializer(serializers.Serializer):
    """A new fiscal year or transition period (company.services.add_fiscal_period)."""

    label = serializers.CharField(max_length=30)
    start = serializers.DateField()
    end = serializers.DateField()
    transition = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "The period must end on or after its start."})
        return attrs


class PolicyVersionSerializer(serializers.ModelSerializer):
    """A policy version without its text (lists)."""

    class Meta:
        model = PolicyVersion
        fields = ["id", *PolicyVersion.SUMMARY_FIELDS, "created_at", "created_by"]
        read_only_fields = fields


class PolicyVersionDetailSerializer(PolicyVersionSerializer):
    """A policy version with its full text (retrieve and create)."""

    class Meta(PolicyVersionSerializer.Meta):
        fields = [*PolicyVersionSerializer.Meta.fields, "text"]
        read_only_fields = fields


class PolicyVersionInputSerializer(serializers.Serializer):
    """A new policy version (company.services.add_policy_version); versions are never edited."""

    kind = serializers.ChoiceField(choices=PolicyVersion.Kind.choices)
    version = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    effective_date = serializers.DateField()
    approved_on = serializers.DateField(allow_null=True, required=False, default=None)
    approved_by = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    approval_record = serializers.CharField(allow_blank=True, required=False, default="")


class SeatSerializer(serializers.ModelSerializer):
    """A seat on the Board or the Compensation Committee; `ends_on` is null while the seat is held."""

    member_name = serializers.StringRelatedField(source="member", read_only=True)

    class Meta:
        model = BodyMembership
        fields = [
            "id",
            "body",
            "member",
            "member_name",
            "chair",
            "independent",
            "starts_on",
            "ends_on",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class SeatFilterSerializer(serializers.Serializer):
    body = serializers.ChoiceField(
        choices=BodyMembership.Body.choices, allow_blank=True, required=False, help_text="One body only."
    )
    on = serializers.DateField(
        required=False,
        help_text="Only the seats held on this date (its first and last days included), as a decision of "
        "that date reads them.",
    )


class SeatInputSerializer(serializers.Serializer):
    """A new seat, held from `starts_on` until it is ended (company.services.add_seat). The member needs a
    vote in the app: the Board member or Compensation Committee member role."""

    body = serializers.ChoiceField(choices=BodyMembership.Body.choices)
    member = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    chair = serializers.BooleanField(default=False)
    independent = serializers.BooleanField(default=True)
    starts_on = serializers.DateField()


class EndSeatInputSerializer(serializers.Serializer):
    """The end of a seat held (company.services.end_seat): its last day, and why (kept in the audit trail)."""

    ends_on = serializers.DateField(help_text="The seat's last day: it still counts on that day.")
    reason = serializers.CharField(max_length=EXPLANATION)
