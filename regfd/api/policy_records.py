"""The policy's other records over the API: market rumors (policy II.H), corrections (I.D), analyst-report
reviews (I.E) and questions to the Corporate Secretary (II.I). See docs/regfd-rules §2.8."""

from rest_framework import serializers

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Write, list_filters, reads
from regfd import selectors_records as sel
from regfd.models import PolicyRecord
from regfd.services import records as services

from .common import MANAGE_OR_APPROVE, InstantInputField, name_of


class PolicyRecordSerializer(serializers.ModelSerializer):
    recorded_by_name = name_of("recorded_by")
    answered_by_name = name_of("answered_by", null=True)

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


PolicyRecordFilterSerializer = list_filters("PolicyRecordFilterSerializer", kind=PolicyRecord.Kind.choices)


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


class PolicyRecordViewSet(RegisterViewSet):
    """The log of rumors, corrections, analyst-report reviews and questions to the Corporate Secretary. The
    program's officers see all of it; anyone else the records they made."""

    register = sel.POLICY_RECORDS
    serializer_class = PolicyRecordSerializer
    filterset = PolicyRecordFilterSerializer
    capabilities = {
        **reads("regfd.access"),
        "rumor": MANAGE_OR_APPROVE,
        "correction": MANAGE_OR_APPROVE,
        "analyst_review": "regfd.approve",
        "question": "regfd.report",
        "answer": "regfd.manage",
    }

    rumor = Write(RumorInputSerializer, services.log_market_rumor, now=True)
    correction = Write(CorrectionInputSerializer, services.log_correction, now=True)
    analyst_review = Write(AnalystReviewInputSerializer, services.log_analyst_review, now=True)
    question = Write(QuestionInputSerializer, services.ask_secretary_question, now=True)
    answer = Write(AnswerInputSerializer, services.answer_secretary_question, record="record", now=True)


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
