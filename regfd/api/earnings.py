"""Earnings releases and calls (policy I.C, II.C–E; the NYSE timely-alert policy) and their Regulation G
reviews (policy I.F) over the API. See docs/regfd-rules §2.8 and §2.6; the CFO's delegations of the sign-off
are in delegations.py."""

from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, partial_input, reads
from regfd import selectors_records as sel
from regfd.calendar_source import current_calendar
from regfd.models import EarningsEvent, NonGaapReview
from regfd.services import records as services

from .common import MANAGE_OR_APPROVE, InstantInputField, RecordDateField, name_of, today_et

# ---- Earnings releases and calls -------------------------------------------------------------------------


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
        # One reading of the NYSE calendar for the whole answer (a list computes every row's checklist):
        # the context is shared by the rows of a list.
        if "trading_calendar" not in self.context:
            calendar = current_calendar()
            self.context["trading_calendar"] = calendar
            self.context["names_of_closures"] = cache(lambda: services.closure_names(calendar.exchange))
        items = services.earnings_checklist(
            event,
            today=today_et(),
            calendar=self.context["trading_calendar"],
            names_of_closures=self.context["names_of_closures"],
        )
        return CheckItemSerializer(items, many=True).data


EarningsFilterSerializer = list_filters(
    "EarningsFilterSerializer", q_max_length=20, help={"q": "Period label."}
)


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


EarningsUpdateInputSerializer = partial_input(
    EarningsInputSerializer,
    "EarningsUpdateInputSerializer",
    """Record checklist evidence or correct a time (regfd.services.update_earnings_event): only the fields
    given change; null clears an optional one.""",
)


class EarningsEventViewSet(RegisterViewSet):
    """Earnings releases and calls, each with the policy's checklist computed item by item."""

    register = sel.EARNINGS
    serializer_class = EarningsEventSerializer
    filterset = EarningsFilterSerializer
    capabilities = {**reads("regfd.view"), "create": MANAGE_OR_APPROVE, "update_checklist": MANAGE_OR_APPROVE}

    create = Write(EarningsInputSerializer, services.create_earnings_event)
    update_checklist = Write(
        EarningsUpdateInputSerializer, services.update_earnings_event, record="event", data_as="data"
    )


# ---- Regulation G reviews --------------------------------------------------------------------------------


class NonGaapReviewSerializer(serializers.ModelSerializer):
    signed_off_by_name = name_of("signed_off_by", null=True)
    # Declared so the schema admits "" (not signed off yet): read-only model fields lose allow_blank.
    signed_off_as = serializers.ChoiceField(
        choices=NonGaapReview.Capacity.choices, allow_blank=True, read_only=True
    )
    signed_off_capacity = serializers.CharField(
        source="sign_off_capacity",
        read_only=True,
        help_text='In words: "CFO", or "delegate of <CFO> (CFO) under delegation #n"; "" until signed off.',
    )

    class Meta:
        model = NonGaapReview
        # What a review records (the fields its services take), then its sign-off and its capacity.
        fields = [
            "id",
            *services.NONGAAP_FIELDS,
            "signed_off_by",
            "signed_off_by_name",
            "signed_off_at",
            "signed_off_as",
            "signed_under",
            "signed_off_capacity",
        ]
        read_only_fields = fields


NonGaapFilterSerializer = list_filters("NonGaapFilterSerializer", state=["pending", "signed_off"])


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


NonGaapUpdateInputSerializer = partial_input(
    NonGaapInputSerializer,
    "NonGaapUpdateInputSerializer",
    "Revise a review before sign-off (regfd.services.update_nongaap_review): the fields given change.",
)


class NonGaapReviewViewSet(RegisterViewSet):
    """Regulation G reviews; the CFO, or a delegate the CFO has named, signs off before release. A delegate
    is an authorized officer or a manager of the program (regfd.services.delegations), so they reach the
    sign-off, and the service refuses whoever is neither the CFO nor a live delegate. Signing binds the
    company: a fresh second factor."""

    register = sel.NONGAAP_REVIEWS
    serializer_class = NonGaapReviewSerializer
    filterset = NonGaapFilterSerializer
    capabilities = {
        **reads("regfd.view"),
        "create": MANAGE_OR_APPROVE,
        "revise": MANAGE_OR_APPROVE,
        "sign_off": MANAGE_OR_APPROVE,
    }
    fresh_second_factor_actions = {"sign_off"}

    create = Write(NonGaapInputSerializer, services.create_nongaap_review)
    revise = Write(
        NonGaapUpdateInputSerializer, services.update_nongaap_review, record="review", data_as="data"
    )
    sign_off = Write(None, services.sign_off_nongaap_review, record="review", now=True)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
