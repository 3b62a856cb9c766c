"""Decisions of the body over the API: each member votes for themselves, the secretary records a vote given
at a meeting with its minutes, the chair and the secretary sign what was adopted.

    POST /api/clawback/restatements/{id}/open-vote/     the resolution put to the body's vote
    GET  /api/clawback/decisions/ (?restatement=)       decisions, votes, signatures, the tally
    POST /api/clawback/decisions/{id}/vote/             the member's own vote (fresh second factor)
    POST /api/clawback/decisions/{id}/record-vote/      a vote from the minutes (attachment id)
    POST /api/clawback/decisions/{id}/sign/             the chair's or the secretary's signature
    POST /api/clawback/decisions/{id}/withdraw/         an open vote withdrawn, with a reason
"""

from django.core.exceptions import ValidationError
from rest_framework import serializers

from compliance_site.accounts.models import User
from compliance_site.attachments.models import Attachment
from compliance_site.lib.limits import NARRATIVE
from compliance_site.registers import Register
from compliance_site.registers.api import RegisterViewSet, Write, reads

from ..models import Decision, DecisionSignature, Vote
from ..selectors import restatements_visible_to
from ..services import voting
from .base import RefusalsSayWhy

_ID = {"min_value": 1, "max_value": 2**31 - 1}
_SHA = {"min_length": 64, "max_length": 64, "help_text": "The SHA-256 of the determination shown to you."}


class VoteSerializer(serializers.ModelSerializer):
    member_name = serializers.SerializerMethodField()
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Vote
        fields = [
            "member",
            "member_name",
            "choice",
            "method",
            "comment",
            "cast_at",
            "recorded_by",
            "recorded_by_name",
            "minutes",
            "determination_sha256",
        ]
        read_only_fields = fields

    def get_member_name(self, vote) -> str:
        return vote.member.get_full_name() or vote.member.username

    def get_recorded_by_name(self, vote) -> str:
        return (vote.recorded_by.get_full_name() or vote.recorded_by.username) if vote.recorded_by else ""


class SignatureSerializer(serializers.ModelSerializer):
    signer_name = serializers.SerializerMethodField()

    class Meta:
        model = DecisionSignature
        fields = [
            "position",
            "capacity",
            "signer",
            "signer_name",
            "signed_at",
            "method",
            "determination_sha256",
        ]
        read_only_fields = fields

    def get_signer_name(self, signature) -> str:
        return signature.signer.get_full_name() or signature.signer.username


class DecisionSerializer(serializers.ModelSerializer):
    votes = VoteSerializer(many=True, read_only=True)
    signatures = SignatureSerializer(many=True, read_only=True)
    members_present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    eligible = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    next_signature = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "restatement",
            "kind",
            "body",
            "mode",
            "status",
            "held_on",
            "members_present",
            "eligible",
            "quorum",
            "resolution",
            "determination_number",
            "determination_sha256",
            "opened_at",
            "closes_at",
            "decided_at",
            "outcome_reason",
            "adopted",
            "votes",
            "signatures",
            "next_signature",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_next_signature(self, decision) -> str | None:
        return voting.next_signature(decision)


class RestatementFilterSerializer(serializers.Serializer):
    restatement = serializers.IntegerField(required=False, help_text="Only this case's records.", **_ID)


class OpenVoteInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Decision.Kind.choices)
    body = serializers.ChoiceField(choices=Decision.Body.choices)
    mode = serializers.ChoiceField(choices=Decision.Mode.choices, default=Decision.Mode.MEETING)
    resolution = serializers.CharField(max_length=NARRATIVE)
    closes_at = serializers.DateTimeField(help_text="When the vote closes (ISO 8601 with a time zone).")
    quorum = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None,
        help_text="Members needed; a majority of the body's members when left out.",
    )  # fmt: skip


class CastVoteInputSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)
    comment = serializers.CharField(max_length=NARRATIVE, required=False, allow_blank=True, default="")
    determination_sha256 = serializers.CharField(**_SHA)


class RecordVoteInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(**_ID)
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)
    meeting_on = serializers.DateField()
    minutes = serializers.IntegerField(help_text="The attachment holding the minutes (on the case).", **_ID)
    comment = serializers.CharField(max_length=NARRATIVE, required=False, allow_blank=True, default="")


class SignInputSerializer(serializers.Serializer):
    determination_sha256 = serializers.CharField(**_SHA)


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NARRATIVE)


def minutes_attachment(pk) -> Attachment:
    """The attachment a meeting's votes are recorded from (the service checks it is on the case)."""
    attachment = Attachment.objects.filter(pk=pk).select_related("content_type").first()
    if attachment is None:
        raise ValidationError({"minutes": ["No such attachment."]})
    return attachment


def _record_vote(*, actor, decision, member, minutes, **data):
    user = User.objects.filter(pk=member, is_active=True).first()
    if user is None:
        raise ValidationError({"member": ["No active user with that id."]})
    return voting.record_vote_from_minutes(
        actor=actor, decision=decision, member=user, minutes=minutes_attachment(minutes), **data
    )


def of_case(queryset, restatement=None):
    return queryset if restatement is None else queryset.filter(restatement_id=restatement)


def _visible_decisions(user):
    return Decision.objects.filter(restatement__in=restatements_visible_to(user))


DECISIONS = Register(_visible_decisions, of_case, ("-held_on", "-id"))


def _decided(returned):
    return returned.decision


class DecisionViewSet(RefusalsSayWhy, RegisterViewSet):
    """Decisions of the administering body: votes (with how each was given), signatures and the outcome."""

    register = DECISIONS
    capabilities = {
        **reads("clawback.view"),
        "vote": "clawback.vote",
        "record_vote": "clawback.secretary",
        "sign": ("clawback.vote", "clawback.secretary"),
        "withdraw": "clawback.manage",
    }
    # Binding steps: each is taken only after a fresh second factor.
    fresh_second_factor_actions = {"vote", "record_vote", "sign"}
    serializer_class = DecisionSerializer
    filterset = RestatementFilterSerializer
    refetch = True

    vote = Write(CastVoteInputSerializer, voting.cast_vote, record="decision", now=True, result=_decided)
    record_vote = Write(RecordVoteInputSerializer, _record_vote, record="decision", now=True, result=_decided)
    sign = Write(SignInputSerializer, voting.sign_decision, record="decision", now=True, result=_decided)
    withdraw = Write(WithdrawInputSerializer, voting.withdraw_vote, record="decision", now=True)

    def visible(self):
        return (
            super()
            .visible()
            .select_related("restatement__company")
            .prefetch_related(
                "members_present", "eligible", "votes__member", "votes__recorded_by", "signatures__signer"
            )
        )
