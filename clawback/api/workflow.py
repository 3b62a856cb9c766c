"""The determination workflow over the API: one action per transition, each with its own input serializer
calling one service (explicit writes), and declarative reads of determinations, decisions, claims and the
Item 402(w) disclosure data.

    POST /api/clawback/restatements/{id}/submit/                       draft → review
    POST /api/clawback/restatements/{id}/record-estimate/              reasonable estimate
    POST /api/clawback/restatements/{id}/designate/                    amount not determinable directly
    POST /api/clawback/restatements/{id}/record-decision/              a meeting's votes, from its minutes
    POST /api/clawback/restatements/{id}/open-vote/                    members vote for themselves (votes.py)
    POST /api/clawback/restatements/{id}/confirm-no-indemnification/   policy checklist
    POST /api/clawback/restatements/{id}/start-recovery/               approved → recovery
    POST /api/clawback/restatements/{id}/close/                        recovery → closed
    POST /api/clawback/restatements/{id}/reopen/                       approved/closed → review
    GET  /api/clawback/restatements/{id}/workflow/                     status, determinations, blockers
    POST /api/clawback/claims/{id}/record-recovery-event/
    POST /api/clawback/claims/{id}/determine-impracticable/
    POST /api/clawback/claims/{id}/set-party/
    GET  /api/clawback/determinations/, /decisions/, /claims/ (?restatement=), /disclosure/?year=
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.models import User
from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.fields import AmountField
from compliance_site.company.models import Company
from compliance_site.lib.limits import NARRATIVE
from compliance_site.registers import Register
from compliance_site.registers.api import RegisterViewSet, RegisterWrites, Write, reads

from ..models import (
    Award,
    Decision,
    Determination,
    Impracticability,
    RecoveryClaim,
    RecoveryEvent,
    Restatement,
    Vote,
)
from ..selectors import awards_visible_to, restatements_visible_to
from ..services import determinations as workflow
from ..services import disclosure as disclosure_service
from ..services import recovery as recovery_service
from ..services import voting
from .base import RefusalsSayWhy
from .votes import (
    DecisionSerializer,
    OpenVoteInputSerializer,
    RestatementFilterSerializer,
    minutes_attachment,
    of_case,
)

MAX_ID = 2**31 - 1
_ID = {"min_value": 1, "max_value": MAX_ID}
_TEXT = NARRATIVE  # the one table of limits (compliance_site/lib/limits.py)


# --- Output ---------------------------------------------------------------------------------------------


class DeterminationSerializer(serializers.ModelSerializer):
    approved = serializers.SerializerMethodField()
    total_excess_usd = serializers.SerializerMethodField()
    pending_estimates = serializers.SerializerMethodField()

    class Meta:
        model = Determination
        fields = [
            "id",
            "restatement",
            "number",
            "sha256",
            "rule_version",
            "computed_at",
            "computed_by",
            "decision",
            "approved",
            "invalidated_at",
            "invalidated_reason",
            "total_excess_usd",
            "pending_estimates",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_approved(self, obj) -> bool:
        return obj.decision_id is not None and obj.invalidated_at is None

    @extend_schema_field(OpenApiTypes.STR)
    def get_total_excess_usd(self, obj) -> str:
        return str((obj.result or {}).get("totals", {}).get("excess_usd", "0.00"))

    @extend_schema_field(OpenApiTypes.INT)
    def get_pending_estimates(self, obj) -> int:
        return int((obj.result or {}).get("totals", {}).get("pending_estimates", 0))


class DeterminationDetailSerializer(DeterminationSerializer):
    """With the frozen clawback-scenario/1 inputs and clawback-result/1 result."""

    class Meta(DeterminationSerializer.Meta):
        fields = [*DeterminationSerializer.Meta.fields, "inputs", "result"]
        read_only_fields = fields


# What a recovery entry records; the ledger's own view of an entry (clawback.api.recovery_events) adds its
# claim and what it reverses.
RECOVERY_ENTRY_FIELDS = [
    "occurred_on",
    "method",
    "amount",
    "units",
    "recovered_from",
    "party_name",
    "evidence",
]


class RecoveryEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecoveryEvent
        fields = ["id", *RECOVERY_ENTRY_FIELDS, "recorded_by", "recorded_at"]
        read_only_fields = fields


class ImpracticabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Impracticability
        fields = [
            "id",
            "decision",
            "ground",
            "amount_forgone",
            "third_party_cost",
            "cost_description",
            "attempts",
            "law_adopted_on",
            "opinion",
            "plan_description",
            "provided_to_exchange_on",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    """A recovery claim with its balance today (New York): outstanding after recoveries and amounts
    forgone, days since the amount owed was determined, and whether Item 402(w)(1)(iii)'s 180 days passed."""

    executive_name = serializers.CharField(source="executive.name", read_only=True)
    events = RecoveryEventSerializer(many=True, read_only=True)
    impracticabilities = ImpracticabilitySerializer(many=True, read_only=True)
    as_of = serializers.DateField(source="position.as_of", read_only=True)
    recovered = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="position.recovered", read_only=True
    )
    forgone = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="position.forgone", read_only=True
    )
    outstanding = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="position.outstanding", read_only=True
    )
    units_recovered = serializers.DecimalField(
        max_digits=20, decimal_places=6, source="position.units_recovered", read_only=True
    )
    units_outstanding = serializers.DecimalField(
        max_digits=20, decimal_places=6, source="position.units_outstanding", read_only=True
    )
    days_outstanding = serializers.IntegerField(source="position.days_outstanding", read_only=True)
    outstanding_180_days = serializers.BooleanField(source="position.disclosable_180", read_only=True)

    class Meta:
        model = RecoveryClaim
        fields = [
            "id",
            "restatement",
            "executive",
            "executive_name",
            "amount_owed",
            "units_owed",
            "determined_on",
            "sought_from",
            "party_name",
            "as_of",
            "recovered",
            "forgone",
            "outstanding",
            "units_recovered",
            "units_outstanding",
            "days_outstanding",
            "outstanding_180_days",
            "events",
            "impracticabilities",
        ]
        read_only_fields = fields


class CaseStateSerializer(serializers.Serializer):
    """Where a case stands in the workflow and what may happen next."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Restatement.Status.choices)
    administering_body = serializers.CharField()
    allowed_actions = serializers.ListField(child=serializers.CharField())
    inputs_current = serializers.BooleanField()
    inputs_message = serializers.CharField(allow_blank=True)
    live_determination = DeterminationSerializer(allow_null=True)
    approved_determination = DeterminationSerializer(allow_null=True)
    approval_blockers = serializers.ListField(child=serializers.CharField())
    no_indemnification_confirmed_at = serializers.DateTimeField(allow_null=True)


def case_state(case: Restatement, check: workflow.InputsCheck | None = None) -> dict:
    case.refresh_from_db()
    check = check or workflow.inputs_status(case)
    live = workflow.live_determination(case)
    return {
        "id": case.pk,
        "status": case.status,
        "administering_body": case.administering_body,
        "allowed_actions": list(workflow.allowed_actions(case)),
        "inputs_current": check.current,
        "inputs_message": check.reason or check.error,
        "live_determination": live,
        "approved_determination": workflow.approved_determination(case),
        "approval_blockers": workflow.approval_blockers(case, live)
        if case.status == Restatement.Status.REVIEW
        else [],
        "no_indemnification_confirmed_at": case.no_indemnification_confirmed_at,
    }


# --- Input ----------------------------------------------------------------------------------------------


class EstimateInputSerializer(serializers.Serializer):
    award = serializers.IntegerField(**_ID)
    restated_value = AmountField(
        max_digits=24, decimal_places=6, required=False, allow_null=True, default=None
    )
    restated_values = serializers.DictField(
        child=AmountField(max_digits=24, decimal_places=6),
        required=False,
        default=dict,
        help_text="Scorecard awards: the estimated restated value of each goal's measure, by measure key.",
    )
    method = serializers.CharField(max_length=_TEXT)
    documents = serializers.ListField(
        child=serializers.CharField(max_length=500), min_length=1, max_length=100
    )
    adopted_on = serializers.DateField()
    provided_to_exchange_on = serializers.DateField(required=False, allow_null=True, default=None)


class DesignateInputSerializer(serializers.Serializer):
    award = serializers.IntegerField(**_ID)
    reason = serializers.CharField(max_length=_TEXT)


class VoteInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(**_ID)
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)


class DecisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Decision.Kind.choices)
    body = serializers.ChoiceField(choices=Decision.Body.choices)
    held_on = serializers.DateField()
    members_present = serializers.ListField(child=serializers.IntegerField(**_ID), max_length=100)
    quorum = serializers.IntegerField(min_value=1, max_value=100)
    resolution = serializers.CharField(max_length=_TEXT)
    votes = VoteInputSerializer(many=True, max_length=100)
    determination = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The determination number reviewed.", **_ID
    )
    minutes = serializers.IntegerField(
        help_text="The attachment on the case holding the minutes the votes are recorded from.",
        **_ID,
    )


class NoIndemnificationInputSerializer(serializers.Serializer):
    no_indemnity_agreement = serializers.BooleanField(help_text=workflow.NO_INDEMNIFICATION_CHECKLIST[0][1])
    no_insurance = serializers.BooleanField(help_text=workflow.NO_INDEMNIFICATION_CHECKLIST[1][1])
    no_premium_reimbursement = serializers.BooleanField(help_text=workflow.NO_INDEMNIFICATION_CHECKLIST[2][1])


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=_TEXT)


class RecoveryEventInputSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    method = serializers.ChoiceField(choices=RecoveryEvent.Method.choices)
    amount = AmountField(max_digits=16, decimal_places=2, min_value=0)
    units = AmountField(max_digits=20, decimal_places=6, min_value=0, required=False, default=0)
    evidence = serializers.CharField(max_length=_TEXT)


class ClaimPartyInputSerializer(serializers.Serializer):
    sought_from = serializers.ChoiceField(choices=RecoveryClaim.Party.choices)
    party_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ImpracticabilityInputSerializer(serializers.Serializer):
    decision = serializers.IntegerField(**_ID)
    ground = serializers.ChoiceField(choices=Impracticability.Ground.choices)
    amount_forgone = AmountField(max_digits=16, decimal_places=2)
    third_party_cost = AmountField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, default=None
    )
    costs_are_third_party = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Ground A: true when the expense is paid to third parties; internal costs do not count.",
    )
    cost_description = serializers.CharField(max_length=_TEXT, required=False, allow_blank=True, default="")
    attempts = serializers.CharField(max_length=_TEXT, required=False, allow_blank=True, default="")
    law_adopted_on = serializers.DateField(required=False, allow_null=True, default=None)
    opinion = serializers.CharField(
        max_length=_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Ground B: home-country counsel's opinion (ground C: an optional opinion on the plan).",
    )
    plan_description = serializers.CharField(
        max_length=_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Ground C: the tax-qualified retirement plan and why recovery would make it fail 26 U.S.C. "
        "401(a)(13) or 411(a).",
    )
    provided_to_exchange_on = serializers.DateField(required=False, allow_null=True, default=None)


class DisclosureQuerySerializer(serializers.Serializer):
    year = serializers.CharField(max_length=30, help_text="Fiscal period label, e.g. FY2026.")
    prepared_on = serializers.DateField(required=False, help_text="Filing date; today (New York) if omitted.")
    company = serializers.IntegerField(required=False, **_ID)


# --- Disclosure output -----------------------------------------------------------------------------------


def _usd(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


class _EstimateUsedSerializer(serializers.Serializer):
    award = serializers.CharField()
    executive = serializers.CharField()
    measure = serializers.CharField(allow_blank=True)
    restated_value = serializers.DecimalField(max_digits=24, decimal_places=6, allow_null=True)
    method = serializers.CharField()
    adopted_on = serializers.DateField()
    provided_to_exchange_on = serializers.DateField(allow_null=True)


class _ForgoneLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = _usd()
    reasons = serializers.ListField(child=serializers.CharField())


class _OutstandingLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = _usd()
    days_outstanding = serializers.IntegerField()


class _CaseDisclosureSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    why_included = serializers.CharField()
    required_on = serializers.DateField(allow_null=True)
    determined = serializers.BooleanField()
    aggregate_erroneous = _usd(allow_null=True)
    calculation = serializers.CharField(allow_blank=True)
    not_determined_reason = serializers.CharField(allow_blank=True)
    estimates = _EstimateUsedSerializer(many=True)
    outstanding_at_fye = _usd()
    forgone_by_neo = _ForgoneLineSerializer(many=True)
    forgone_others = _usd()
    forgone_others_reasons = serializers.ListField(child=serializers.CharField())
    outstanding_180_by_neo = _OutstandingLineSerializer(many=True)
    recovery_required = serializers.BooleanField()
    no_recovery_explanation = serializers.CharField(allow_blank=True)
    equity_valuation = serializers.ListField(
        child=serializers.CharField(),
        help_text="How shares and units owed and returned are valued, then each claim in shares or units.",
    )


class DisclosureSerializer(serializers.Serializer):
    """Item 402(w) figures and the two Form 10-K cover check boxes for one fiscal year's annual report."""

    fiscal_year = serializers.CharField()
    fiscal_year_start = serializers.DateField()
    fiscal_year_end = serializers.DateField()
    prepared_on = serializers.DateField()
    fiscal_year_completed = serializers.BooleanField()
    item_402w_1_required = serializers.BooleanField()
    item_402w_2_required = serializers.BooleanField()
    error_correction_box = serializers.BooleanField()
    recovery_analysis_box = serializers.BooleanField()
    check_box_notes = serializers.ListField(child=serializers.CharField())
    cases = _CaseDisclosureSerializer(many=True)


# --- Views ----------------------------------------------------------------------------------------------


def _users(ids) -> dict[int, User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=set(ids), is_active=True)}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ValidationError({"members_present": [f"No active user with id {pk}." for pk in missing[:10]]})
    return found


def _award(user, pk) -> Award:
    award = awards_visible_to(user).filter(pk=pk).first()
    if award is None:
        raise ValidationError({"award": "No such award."})
    return award


# The transitions' inputs as their services take them (each adapter is called with the validated input).


def _record_estimate(*, actor, award, documents, **data):
    award = _award(actor, award)
    return workflow.record_estimate(actor=actor, award=award, documents="\n".join(documents), **data)


def _designate(*, actor, award, **data):
    return workflow.designate_not_determinable(actor=actor, award=_award(actor, award), **data)


def _record_decision(*, actor, members_present, votes, determination, minutes, **data):
    voters = [v["member"] for v in votes]
    if len(voters) != len(set(voters)):
        raise ValidationError({"votes": "A member votes once."})
    users = _users([*members_present, *voters])
    return workflow.record_decision(
        actor=actor,
        members_present=[users[pk] for pk in members_present],
        votes={users[v["member"]]: v["choice"] for v in votes},
        determination_number=determination,
        minutes=minutes_attachment(minutes),
        **data,
    )


def _confirm_no_indemnification(*, checklist, **data):
    return workflow.confirm_no_indemnification(
        confirmed=[code for code, ok in checklist.items() if ok], **data
    )


def _determine_impracticable(*, claim, decision, **data):
    found = Decision.objects.filter(pk=decision, restatement_id=claim.restatement_id).first()
    if found is None:
        raise ValidationError({"decision": "No such decision on this case."})
    return recovery_service.determine_impracticable(claim=claim, decision=found, **data)


def _case_write(input, service, **options) -> Write:
    """A transition of the case: the answer is where the case then stands."""
    return Write(input, service, record="case", now=True, answer_record=True, **options)


class CaseWorkflowViewSet(RefusalsSayWhy, RegisterWrites):
    """The case's workflow transitions. A covered executive cannot reach their own case (404); a recused
    member reads it but may not act (403)."""

    capabilities = {**reads("clawback.view"), "workflow": "clawback.view"}
    write_capability = "clawback.manage"
    # The committee's decision (with its votes) is taken only after a fresh second factor.
    fresh_second_factor_actions = {"record_decision", "open_vote"}
    serializer_class = CaseStateSerializer

    submit = _case_write(None, workflow.submit_for_review)
    record_estimate = _case_write(EstimateInputSerializer, _record_estimate)
    designate = _case_write(DesignateInputSerializer, _designate)
    record_decision = Write(
        DecisionInputSerializer, _record_decision, record="case", now=True, output=DecisionSerializer
    )
    open_vote = Write(
        OpenVoteInputSerializer, voting.open_vote, record="case", now=True, output=DecisionSerializer
    )
    confirm_no_indemnification = _case_write(
        NoIndemnificationInputSerializer, _confirm_no_indemnification, data_as="checklist"
    )
    start_recovery = _case_write(None, workflow.start_recovery)
    close = _case_write(None, workflow.close_case)
    reopen = _case_write(ReopenInputSerializer, workflow.reopen_case)

    def get_queryset(self):
        return restatements_visible_to(self.request.user)

    def record_response(self, record, code=status.HTTP_200_OK, *, output=None, check=None):
        if output is not None:
            return super().record_response(record, code, output=output)
        return Response(CaseStateSerializer(case_state(record, check)).data, status=code)

    @extend_schema(request=None, responses=CaseStateSerializer)
    @action(detail=True, methods=["get"])
    def workflow(self, request, pk=None):
        """Where the case stands; a manager reading it brings its determination up to date."""
        case = self.get_object()
        check = workflow.check_inputs(actor=request.user, case=case, now=timezone.now())
        return self.record_response(case, check=check)


def _of_visible_cases(model):
    def visible_to(user):
        return model.objects.filter(restatement__in=restatements_visible_to(user))

    return visible_to


DETERMINATIONS = Register(_of_visible_cases(Determination), of_case, ("restatement_id", "-number"))
CLAIMS = Register(_of_visible_cases(RecoveryClaim), of_case, ("restatement_id", "executive__name"))


class DeterminationViewSet(RegisterViewSet):
    """Frozen determinations: the exact inputs evaluated and the result, with SHA-256 (the detail holds
    both documents)."""

    register = DETERMINATIONS
    filterset = RestatementFilterSerializer
    capabilities = reads("clawback.view")

    def get_serializer_class(self):
        return DeterminationDetailSerializer if self.action == "retrieve" else DeterminationSerializer


class ClaimViewSet(RegisterViewSet):
    """Recovery claims with balances and the 180-day mark; recovery events, successors and impracticability
    are actions."""

    register = CLAIMS
    filterset = RestatementFilterSerializer
    capabilities = reads("clawback.view")
    write_capability = "clawback.manage"
    serializer_class = ClaimSerializer
    fresh_second_factor_actions = {"record_recovery_event", "determine_impracticable"}
    refetch = True  # a claim is answered with its balance as of today

    record_recovery_event = Write(
        RecoveryEventInputSerializer,
        recovery_service.record_recovery_event,
        record="claim",
        now=True,
        answer_record=True,
    )
    determine_impracticable = Write(
        ImpracticabilityInputSerializer,
        _determine_impracticable,
        record="claim",
        now=True,
        answer_record=True,
    )
    set_party = Write(
        ClaimPartyInputSerializer,
        recovery_service.set_claim_party,
        record="claim",
        now=True,
        answer_record=True,
    )

    def visible(self):
        return (
            super()
            .visible()
            .select_related("executive", "restatement")
            .prefetch_related("events", "impracticabilities__decision")
        )

    def _with_position(self, claims):
        today = workflow.exchange_date(timezone.now())
        for claim in claims:
            claim.position = recovery_service.claim_position_of(claim, as_of=today)
        return claims

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClaimSerializer(self._with_position(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object())

    def read_again(self, claim):
        return self._with_position([super().read_again(claim)])[0]


def requested_fiscal_year(request):
    """The fiscal year a disclosure request names (`year`, and `company` or the default one), with the
    validated parameters: a 400 for a bad parameter, a 404 for a year the company does not have."""
    query = DisclosureQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    if "company" in params:
        company = Company.objects.filter(pk=params["company"]).first()
    else:
        company = disclosure_service.default_company()
    fiscal_period = disclosure_service.fiscal_years(company).filter(label=params["year"]).first()
    if fiscal_period is None:
        raise Http404("No such fiscal year.")
    return fiscal_period, params


class DisclosureView(APIView):
    """Item 402(w) figures and the Form 10-K cover check boxes for one fiscal year, from every restatement
    of the company: the same for everyone allowed to see them. Someone walled off from any of the company's
    cases is refused (403, code `walled_from_case`) rather than given figures that leave a case out."""

    permission_classes = [HasCapability]
    capability = "clawback.view"

    @extend_schema(
        operation_id="clawback_disclosure",
        parameters=[DisclosureQuerySerializer],
        responses=DisclosureSerializer,
    )
    def get(self, request):
        fiscal_period, params = requested_fiscal_year(request)
        try:
            report = disclosure_service.disclosure_for(
                user=request.user,
                fiscal_period=fiscal_period,
                prepared_on=params.get("prepared_on") or workflow.exchange_date(timezone.now()),
            )
        except disclosure_service.DisclosureRefused as refusal:
            # The reason, in the API's error format (a bare PermissionDenied would lose it).
            raise exceptions.PermissionDenied(str(refusal), code=refusal.code) from refusal
        return Response(DisclosureSerializer(report).data)
