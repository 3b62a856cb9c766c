from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance_site.api.lean import LeanModelSerializer
from compliance_site.lib.limits import limit_text_fields
from compliance_site.lib.markets import FIRST_RECORD_YEAR, LAST_RECORD_YEAR, in_record_years, parse_instant
from regfd.models import (
    MATERIAL_CATEGORIES,
    DeadlineComputation,
    Exclusion,
    Incident,
    MarketClosure,
    PublicStatement,
)
from regfd.services.incidents import DEADLINE_FIELDS, DISCLOSURE_FIELDS


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry a UTC offset or `Z`.

    A naive value is refused, never assumed to be in some zone: Reg FD deadlines run from T0 to the minute,
    and an hour's error across a daylight-saving change could move a deadline.
    """

    default_error_messages = {
        "naive": (
            "Give a UTC offset or Z (e.g. 2026-03-03T14:00:00-05:00); a time without one is never assumed."
        ),
        "range": f"Give a time between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out-of-range parts: let DateTimeField report the format error
            if parsed is not None and (parsed.tzinfo is None or parsed.utcoffset() is None):
                self.fail("naive")
        result = super().to_internal_value(value)
        if not in_record_years(result):  # 1800 read in New York's local mean time, 9999 past any UTC
            self.fail("range")
        return result


@extend_schema_field(OpenApiTypes.STR)
class InstantField(serializers.Field):
    """An instant typed with its offset or its IANA zone (compliance_site.lib.markets.parse_instant): a
    time without either, an unknown zone, or a wall-clock time a DST change skips or repeats is refused."""

    default_error_messages = {"invalid": "Give an ISO 8601 date-time with a UTC offset or a zone."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_instant(data)
        except (ValueError, OverflowError) as exc:
            raise serializers.ValidationError(str(exc)) from None

    def to_representation(self, value):
        return value.isoformat()


class ExclusionSerializer(LeanModelSerializer):
    """An exclusion claimed under Reg FD 243.100(b)(2) (policy II.J), with its evidence."""

    class Meta:
        model = Exclusion
        fields = ["id", "kind", "evidence", "claimed_by", "claimed_at"]
        read_only_fields = fields


class DeadlineComputationSerializer(LeanModelSerializer):
    """One deadline computed for an incident, with its inputs and the calendar and rule versions that
    produced it."""

    class Meta:
        model = DeadlineComputation
        fields = ["computed_at", "reason", *DEADLINE_FIELDS]
        read_only_fields = fields


class IncidentSerializer(LeanModelSerializer):
    """An incident with its computed deadline and what produced it (inputs, calendar and rule versions),
    its materiality assessment, counsel's conclusion, the exclusions claimed and every deadline computed
    for it."""

    # Declared so the schema admits "" (not yet disclosed, no outcome yet): read-only model fields lose
    # allow_blank.
    public_disclosure_method = serializers.ChoiceField(
        choices=Incident.DisclosureMethod.choices, allow_blank=True, read_only=True
    )
    outcome = serializers.ChoiceField(choices=Incident.Outcome.choices, allow_blank=True, read_only=True)
    material_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=MATERIAL_CATEGORIES), read_only=True
    )
    presumed_material = serializers.BooleanField(
        read_only=True,
        help_text="Policy II.B: in doubt, or a policy category, and counsel has not cleared it.",
    )
    exclusions = ExclusionSerializer(many=True, read_only=True)
    deadline_history = DeadlineComputationSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "outcome",
            *DISCLOSURE_FIELDS,
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
            "material_categories",
            "materiality_assessment",
            "in_doubt",
            "presumed_material",
            "counsel_conclusion",
            "counsel_rationale",
            "counsel_concluded_by",
            "counsel_concluded_at",
            "counsel_cited_statements",
            "exclusions",
            "deadline_history",
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
    method = serializers.ChoiceField(
        choices=Incident.DisclosureMethod.choices, help_text="The means of public disclosure (policy II.C)."
    )
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


class AssessMaterialityInputSerializer(serializers.Serializer):
    """The materiality assessment against policy II.B (regfd.services.assess_materiality)."""

    material_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=MATERIAL_CATEGORIES),
        allow_empty=True,
        max_length=len(MATERIAL_CATEGORIES),
        help_text="The policy's categories of material information the disclosure touches.",
    )
    materiality_assessment = serializers.CharField(help_text="Why it is, or is not, material.")
    in_doubt = serializers.BooleanField(
        default=False, help_text="In doubt: under the policy the information is then presumed material."
    )


class ConcludeInputSerializer(serializers.Serializer):
    """Counsel's conclusion on materiality (regfd.services.conclude_materiality; counsel only)."""

    # `source`: the service's own keywords (conclusion, rationale) for the API's field names.
    counsel_conclusion = serializers.ChoiceField(
        choices=[c for c in Incident.CounselConclusion.choices if c[0] != Incident.CounselConclusion.PENDING],
        source="conclusion",
    )
    counsel_rationale = serializers.CharField(
        help_text="The reasoning behind the conclusion.", source="rationale"
    )
    counsel_cited_statements = serializers.PrimaryKeyRelatedField(
        queryset=PublicStatement.objects.defer("text"),
        many=True,
        required=False,
        source="cited_statements",
        help_text="Public statements the conclusion cites, among those attached to the incident as evidence; "
        "a revised conclusion replaces the citations.",
    )


class ClaimExclusionInputSerializer(serializers.Serializer):
    """An exclusion claimed for the disclosure (regfd.services.claim_exclusion)."""

    kind = serializers.ChoiceField(choices=Exclusion.Kind.choices)
    evidence = serializers.CharField(help_text="What shows the exclusion applies (agreement, engagement).")


class CorrectLearnedAtInputSerializer(serializers.Serializer):
    """A corrected T0 (regfd.services.correct_learned_at): the deadline is recomputed and recorded."""

    learned_at = AwareDateTimeField(help_text="The corrected T0, with its UTC offset.")
    reason = serializers.CharField(max_length=180, help_text="Why T0 is corrected.")


# --- The live deadline preview ---------------------------------------------------------------------------


class DeadlineQuerySerializer(serializers.Serializer):
    learned_at = InstantField(
        help_text="T0: ISO 8601 with a UTC offset, Z, or a zone in brackets (2026-03-03T14:00-05:00, "
        "2026-03-03T19:00Z, 2026-03-03T14:00[America/New_York]). A time without one is refused."
    )
    intentional = serializers.BooleanField(default=False, required=False)
    disclosed_at = InstantField(
        required=False, help_text="The selective disclosure; needed when intentional."
    )


class InstantSerializer(serializers.Serializer):
    """One instant three ways: UTC, New York (the exchange's zone) and the requesting user's zone."""

    utc = serializers.CharField(help_text="ISO 8601 in UTC, ending in Z.")
    et = serializers.CharField(help_text="ISO 8601 in America/New_York, with its offset.")
    local = serializers.CharField(help_text="ISO 8601 in the requesting user's zone, with its offset.")
    et_label = serializers.CharField(help_text="For display, e.g. 2026-03-04 14:00 EST.")
    local_label = serializers.CharField(help_text="For display, in the requesting user's zone.")


class DeadlinePreviewSerializer(serializers.Serializer):
    """The deadlines an incident with this T0 would get on the current calendar (nothing is stored)."""

    learned_at = InstantSerializer()
    intentional = serializers.BooleanField()
    outer_limit = InstantSerializer(help_text="The legal outer limit (243.101(d)).")
    policy_target = InstantSerializer(help_text="The company policy target (policy I.B).")
    working_deadline = InstantSerializer(help_text="The earlier of the two: the one tracked.")
    next_open = InstantSerializer(help_text="09:30 ET on the first trading day after T0's New York date.")
    t24 = InstantSerializer(help_text="T0 + 24 elapsed hours.")
    outer_limit_basis = serializers.CharField()
    policy_target_basis = serializers.CharField()
    method = serializers.CharField()
    time_zone = serializers.CharField(help_text="The requesting user's zone (the `local` values).")
    calendar_version = serializers.CharField()
    rule_version = serializers.CharField()
    explanation = serializers.CharField()


# --- The trading calendar --------------------------------------------------------------------------------


class MarketClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketClosure
        fields = ["id", "exchange", "date", "kind", "name", "source", "active", "added_by", "added_at"]
        read_only_fields = fields


class CalendarFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200, required=False)


class MarketClosureInputSerializer(serializers.Serializer):
    """An unscheduled closure or early close (regfd.services.add_market_closure)."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=MarketClosure.Kind.choices)
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=300, help_text="The exchange's notice (URL or reference).")


class DeactivateClosureInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why this calendar entry is withdrawn.")


class MovedIncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    due_at = serializers.DateTimeField(help_text="The new working deadline.")


class CalendarChangeSerializer(serializers.Serializer):
    """A calendar edit and the open incidents whose deadlines it moved."""

    closure = MarketClosureSerializer()
    moved_incidents = MovedIncidentSerializer(many=True)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
