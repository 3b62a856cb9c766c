"""Clawback records API: explicit writes (one input serializer and one service call per endpoint) for
executives, measures, awards, restatements and their events; the read-only list of measures; and a
case's recovery worksheet and scenario document.

Writes are POSTs to `<noun>/create/` and `<noun>/{id}/update/` (an update sends the whole record
again, as the form does); they need clawback.manage. A record the caller cannot see is a 404, and a
covered executive never sees the case about their own pay (clawback.selectors).
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.models import User
from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.schema import ErrorSerializer
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion
from compliance_site.company.selectors import current_company, policy_in_force
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone

from ..models import Award, Executive, Measure, Restatement, RestatementEvent
from ..scenario import ScenarioError
from ..selectors import (
    acknowledgement_report,
    awards_visible_to,
    clawback_policies,
    executives_visible_to,
    measure_list_rows,
    measures_visible_to,
    restatement_worksheet,
    restatements_for_change,
    restatements_with_details,
)
from ..services import exports
from ..services import records as services
from .serializers import RestatementEventSerializer
from .whatif import RecoveryResultSerializer

# --- Output ---------------------------------------------------------------------------------------


class OfficerPeriodOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    title = serializers.CharField(allow_blank=True)


class ExecutiveRecordSerializer(serializers.ModelSerializer):
    officer_periods = OfficerPeriodOutputSerializer(many=True, read_only=True)
    neo_years = serializers.SerializerMethodField()

    class Meta:
        model = Executive
        fields = ["id", "company", "key", "name", "title", "user", "officer_periods", "neo_years"]
        read_only_fields = fields

    def get_neo_years(self, executive) -> list[str]:
        return [y.fiscal_year for y in executive.neo_years.all()]


class MeasureValueOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period_label = serializers.CharField()
    original = serializers.DecimalField(max_digits=24, decimal_places=6)
    restated = serializers.DecimalField(max_digits=24, decimal_places=6, allow_null=True)
    source = serializers.CharField(allow_blank=True)


class MeasureSerializer(serializers.ModelSerializer):
    values = MeasureValueOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "company", "key", "name", "category", "values"]
        read_only_fields = fields


class AwardRecordSerializer(serializers.ModelSerializer):
    formula = serializers.JSONField(allow_null=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "executive",
            "key",
            "award_type",
            "basis",
            "approval_date",
            "grant_date",
            "performance_start",
            "performance_end",
            "measure",
            "measure_period",
            "formula",
            "unit",
            "received",
            "value_per_unit",
            "requires_estimate",
            "vesting_date",
            "settlement_date",
            "units_sold",
            "sale_price",
            "notes",
        ]
        read_only_fields = fields


class RestatementRecordSerializer(serializers.ModelSerializer):
    events = RestatementEventSerializer(many=True, read_only=True)
    covered_executives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    measures_restated = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Restatement
        fields = [
            "id",
            "company",
            "title",
            "kind",
            "description",
            "status",
            "periods_restated",
            "measures_restated",
            "covered_executives",
            "policy_version",
            "administering_body",
            "created_at",
            "events",
        ]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------


class OfficerPeriodInputSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, required=False, default=None)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class ExecutiveInputSerializer(serializers.Serializer):
    """An executive officer with every period of officer service (replacing those recorded) and the
    fiscal years as a named executive officer."""

    key = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False, default=None
    )
    officer_periods = OfficerPeriodInputSerializer(many=True, allow_empty=False, max_length=100)
    neo_years = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, default=list, max_length=100
    )


class MeasureValueInputSerializer(serializers.Serializer):
    period_label = serializers.CharField(max_length=40)
    original = serializers.DecimalField(max_digits=24, decimal_places=6)
    restated = serializers.DecimalField(
        max_digits=24, decimal_places=6, allow_null=True, required=False, default=None
    )
    source = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class MeasureInputSerializer(serializers.Serializer):
    """A financial reporting measure with all its values (replacing those recorded)."""

    key = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Measure.Category.choices)
    values = MeasureValueInputSerializer(many=True, required=False, default=list, max_length=500)


class _VisibleChoicesMixin:
    """Related-record fields offer only the records the caller may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, queryset in self.visible_querysets(user).items():
            field = self.fields[name]
            (field.child_relation if hasattr(field, "child_relation") else field).queryset = queryset

    def visible_querysets(self, user) -> dict:
        return {}


class AwardInputSerializer(_VisibleChoicesMixin, serializers.Serializer):
    """An award with its payout formula as in scenario files (`{"kind": "curve", "target": "...",
    "points": [["x", "factor"], ...]}` or `{"kind": "linear", "rate": "...", "offset": "...", "cap":
    "..."}`, amounts as decimal strings); validated by the scenario parser's rules."""

    executive = serializers.PrimaryKeyRelatedField(queryset=Executive.objects.none())
    key = serializers.SlugField(max_length=80)
    award_type = serializers.ChoiceField(choices=Award.Type.choices)
    basis = serializers.ChoiceField(choices=Award.Basis.choices)
    performance_start = serializers.DateField()
    performance_end = serializers.DateField()
    received = serializers.DecimalField(max_digits=20, decimal_places=4, min_value=0)
    unit = serializers.ChoiceField(choices=Award.Unit.choices, required=False, default=Award.Unit.USD)
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), allow_null=True, required=False, default=None
    )
    measure_period = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    formula = serializers.JSONField(allow_null=True, required=False, default=None)
    value_per_unit = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    requires_estimate = serializers.BooleanField(required=False, default=False)
    approval_date = serializers.DateField(allow_null=True, required=False, default=None)
    grant_date = serializers.DateField(allow_null=True, required=False, default=None)
    vesting_date = serializers.DateField(allow_null=True, required=False, default=None)
    settlement_date = serializers.DateField(allow_null=True, required=False, default=None)
    units_sold = serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    sale_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    notes = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)

    def visible_querysets(self, user):
        return {"executive": executives_visible_to(user), "measure": measures_visible_to(user)}


class RestatementInputSerializer(_VisibleChoicesMixin, serializers.Serializer):
    """A restatement's facts. On create, an absent or null `policy_version` records the clawback policy
    in force today; `reason` is required to change a case after sign-off."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Restatement.Kind.choices)
    description = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)
    periods_restated = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    measures_restated = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Measure.objects.none(), required=False, default=list
    )
    covered_executives = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Executive.objects.none(), required=False, default=list
    )
    policy_version = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False),
        allow_null=True,
        required=False,
        default=None,
    )
    administering_body = serializers.ChoiceField(
        choices=Restatement._meta.get_field("administering_body").choices, required=False, default="committee"
    )
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=1000, write_only=True
    )

    def visible_querysets(self, user):
        return {
            "covered_executives": executives_visible_to(user),
            "measures_restated": measures_visible_to(user),
        }


class RestatementEventInputSerializer(serializers.Serializer):
    """A dated event; "should_have_concluded" needs a rationale (rules.md §1.4)."""

    kind = serializers.ChoiceField(choices=RestatementEvent.Kind.choices)
    date = serializers.DateField()
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=1000, write_only=True
    )


# --- Worksheet ------------------------------------------------------------------------------------


class WorksheetAwardSerializer(serializers.Serializer):
    id = serializers.CharField()
    executive = serializers.CharField()
    award = serializers.IntegerField(allow_null=True, help_text="The award record's id.")
    explanation = serializers.ListField(child=serializers.CharField(), help_text="Each step, in order.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Readable scope reasons.")
    policy_applies = serializers.BooleanField(
        allow_null=True, help_text="Approved or granted on/after the policy's Effective Date; null: unknown."
    )
    predates_policy = serializers.BooleanField(
        help_text="In scope under the listing standard, but granted before the policy's Effective Date."
    )


class AcknowledgementStatusSerializer(serializers.Serializer):
    executive = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField(
        help_text="Served as an executive officer on or after the version's effective date."
    )
    missing = serializers.BooleanField(help_text="Required and not acknowledged.")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    evidence = serializers.CharField(
        allow_blank=True, help_text="What shows it; empty when the executive acknowledged signed in."
    )


def _acknowledgement_rows(statuses) -> list[dict]:
    return [
        {
            "executive": s.executive.pk,
            "key": s.executive.key,
            "name": s.executive.name,
            "required": s.required,
            "missing": s.missing,
            "acknowledged_at": s.acknowledged_at,
            "evidence": s.acknowledgement.evidence if s.acknowledgement else "",
        }
        for s in statuses
    ]


class AcknowledgementReportSerializer(serializers.Serializer):
    policy = serializers.IntegerField()
    policy_version = serializers.CharField()
    effective_date = serializers.DateField()
    required = serializers.IntegerField(help_text="Executives who must acknowledge this version.")
    missing = serializers.IntegerField(help_text="Of those, how many have not.")
    executives = AcknowledgementStatusSerializer(many=True)


class AcknowledgementQuerySerializer(serializers.Serializer):
    policy = serializers.IntegerField(
        required=False, min_value=1, help_text="Clawback policy version; the one in force today if omitted."
    )


class AcknowledgementInputSerializer(_VisibleChoicesMixin, serializers.Serializer):
    """An executive's acknowledgement of a clawback policy version, from its evidence (a former executive
    without a sign-in included)."""

    policy = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False)
    )
    executive = serializers.PrimaryKeyRelatedField(queryset=Executive.objects.none())
    acknowledged_at = serializers.DateTimeField()
    evidence = serializers.CharField(max_length=5000)

    def visible_querysets(self, user):
        return {"executive": executives_visible_to(user)}


class AcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyAcknowledgement
        fields = ["id", "policy", "executive", "user", "acknowledged_at", "evidence", "recorded_by"]
        read_only_fields = fields


class WorksheetSerializer(serializers.Serializer):
    restatement = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        ["recovery", "no_recovery", "pending_estimates", "no_required_date"],
        help_text="no_recovery always comes with its reason (Item 402(w)(2)).",
    )
    outcome_text = serializers.CharField()
    no_recovery_reason = serializers.ChoiceField(
        ["not_triggering", "no_awards_in_scope", "no_excess"], allow_null=True
    )
    result = RecoveryResultSerializer()
    awards = WorksheetAwardSerializer(many=True)
    policy_version = serializers.IntegerField(allow_null=True)
    acknowledgements = AcknowledgementStatusSerializer(many=True)


class CaseIncomplete(exceptions.APIException):
    """The case's records cannot form a scenario yet (e.g. no fiscal calendar)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The case's records cannot be evaluated yet."
    default_code = "case_incomplete"


def _incomplete(errors) -> CaseIncomplete:
    problems = "; ".join(f"{p}: {m}" for p, m in errors[:5])
    return CaseIncomplete(f"The case's records cannot be evaluated yet: {problems}")


def _today():
    return in_zone(timezone.now(), EXCHANGE_TZ).date()


def _worksheet_data(restatement: Restatement) -> dict:
    from compliance_site.templatetags.compliance import rule_label

    worksheet = restatement_worksheet(restatement, today=_today())
    if worksheet.problems:
        raise _incomplete(list(worksheet.problems))
    return {
        "restatement": restatement.pk,
        "outcome": worksheet.outcome,
        "outcome_text": worksheet.outcome_text,
        "no_recovery_reason": worksheet.no_recovery_reason,
        "result": worksheet.result_json,
        "awards": [
            {
                "id": line.result.id,
                "executive": line.result.executive,
                "award": line.award.pk if line.award else None,
                "explanation": list(line.result.explanation),
                "reasons": [rule_label(r) for r in line.result.reasons],
                "policy_applies": line.policy_applies,
                "predates_policy": line.predates_policy,
            }
            for line in worksheet.awards
        ],
        "policy_version": worksheet.policy.pk if worksheet.policy else None,
        "acknowledgements": _acknowledgement_rows(worksheet.acknowledgements),
    }


# --- Views ----------------------------------------------------------------------------------------

_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
_EVENT_ID = OpenApiParameter("event_id", OpenApiTypes.INT, OpenApiParameter.PATH)
_CONFLICT = OpenApiResponse(ErrorSerializer, description="The case's records cannot be evaluated yet.")


def _company():
    company = current_company()
    if company is None:
        raise exceptions.ValidationError({"non_field_errors": ["No company profile yet."]})
    return company


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _ManageView(APIView):
    permission_classes = [HasCapability]
    capability = "clawback.manage"


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """Financial reporting measures with their original and restated values per period."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = MeasureSerializer

    def get_queryset(self):
        return measure_list_rows(self.request.user).order_by("key", "id")


class ExecutiveCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_executives_create_record",
        request=ExecutiveInputSerializer,
        responses={201: ExecutiveRecordSerializer},
    )
    def post(self, request):
        data = _valid(ExecutiveInputSerializer, request)
        executive = services.create_executive(actor=request.user, company=_company(), **data)
        return Response(ExecutiveRecordSerializer(executive).data, status=status.HTTP_201_CREATED)


class ExecutiveUpdateView(_ManageView):
    @extend_schema(
        operation_id="clawback_executives_update_record",
        parameters=[_ID],
        request=ExecutiveInputSerializer,
        responses={200: ExecutiveRecordSerializer},
    )
    def post(self, request, id):
        executive = get_object_or_404(executives_visible_to(request.user), pk=id)
        data = _valid(ExecutiveInputSerializer, request)
        executive = services.update_executive(
            actor=request.user, executive=executive, now=timezone.now(), **data
        )
        return Response(ExecutiveRecordSerializer(executive).data)


class MeasureCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_measures_create_record",
        request=MeasureInputSerializer,
        responses={201: MeasureSerializer},
    )
    def post(self, request):
        data = _valid(MeasureInputSerializer, request)
        measure = services.create_measure(actor=request.user, company=_company(), **data)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureUpdateView(_ManageView):
    @extend_schema(
        operation_id="clawback_measures_update_record",
        parameters=[_ID],
        request=MeasureInputSerializer,
        responses={200: MeasureSerializer},
    )
    def post(self, request, id):
        measure = get_object_or_404(measures_visible_to(request.user), pk=id)
        data = _valid(MeasureInputSerializer, request)
        measure = services.update_measure(actor=request.user, measure=measure, now=timezone.now(), **data)
        return Response(MeasureSerializer(measure).data)


class AwardCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_awards_create_record",
        request=AwardInputSerializer,
        responses={201: AwardRecordSerializer},
    )
    def post(self, request):
        data = dict(_valid(AwardInputSerializer, request))
        executive = data.pop("executive")
        award = services.create_award(actor=request.user, executive=executive, now=timezone.now(), **data)
        return Response(AwardRecordSerializer(award).data, status=status.HTTP_201_CREATED)


class AwardUpdateView(_ManageView):
    @extend_schema(
        operation_id="clawback_awards_update_record",
        parameters=[_ID],
        request=AwardInputSerializer,
        responses={200: AwardRecordSerializer},
    )
    def post(self, request, id):
        award = get_object_or_404(awards_visible_to(request.user), pk=id)
        data = _valid(AwardInputSerializer, request)
        award = services.update_award(actor=request.user, award=award, now=timezone.now(), **data)
        return Response(AwardRecordSerializer(award).data)


class RestatementCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_restatements_create_record",
        request=RestatementInputSerializer,
        responses={201: RestatementRecordSerializer},
    )
    def post(self, request):
        data = dict(_valid(RestatementInputSerializer, request))
        data.pop("reason", None)
        restatement = services.record_restatement(
            actor=request.user, company=_company(), today=_today(), **data
        )
        return Response(RestatementRecordSerializer(restatement).data, status=status.HTTP_201_CREATED)


class RestatementUpdateView(_ManageView):
    @extend_schema(
        operation_id="clawback_restatements_update_record",
        parameters=[_ID],
        request=RestatementInputSerializer,
        responses={200: RestatementRecordSerializer},
    )
    def post(self, request, id):
        restatement = get_object_or_404(restatements_for_change(request.user), pk=id)
        data = _valid(RestatementInputSerializer, request)
        restatement = services.update_restatement(
            actor=request.user, restatement=restatement, now=timezone.now(), **data
        )
        return Response(RestatementRecordSerializer(restatement).data)


class RestatementEventCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_restatements_events_create",
        parameters=[_ID],
        request=RestatementEventInputSerializer,
        responses={201: RestatementEventSerializer},
    )
    def post(self, request, id):
        restatement = get_object_or_404(restatements_for_change(request.user), pk=id)
        data = _valid(RestatementEventInputSerializer, request)
        event = services.add_restatement_event(
            actor=request.user, restatement=restatement, now=timezone.now(), **data
        )
        return Response(RestatementEventSerializer(event).data, status=status.HTTP_201_CREATED)


class RestatementEventUpdateView(_ManageView):
    @extend_schema(
        operation_id="clawback_restatements_events_update",
        parameters=[_ID, _EVENT_ID],
        request=RestatementEventInputSerializer,
        responses={200: RestatementEventSerializer},
    )
    def post(self, request, id, event_id):
        restatement = get_object_or_404(restatements_for_change(request.user), pk=id)
        event = get_object_or_404(restatement.events.all(), pk=event_id)
        data = _valid(RestatementEventInputSerializer, request)
        event = services.update_restatement_event(actor=request.user, event=event, now=timezone.now(), **data)
        return Response(RestatementEventSerializer(event).data)


class WorksheetView(APIView):
    """The recovery analysis of a case, computed now by the engine from the database: the
    clawback-result/1 document, each award's explanation step by step, the conclusion (with the Item
    402(w)(2) reason when nothing is recoverable) and the covered executives' policy acknowledgements."""

    permission_classes = [HasCapability]
    capability = "clawback.view"

    @extend_schema(
        operation_id="clawback_restatements_worksheet",
        parameters=[_ID],
        responses={200: WorksheetSerializer, 409: _CONFLICT},
    )
    def get(self, request, id):
        restatement = get_object_or_404(restatements_with_details(request.user), pk=id)
        return Response(_worksheet_data(restatement))


class ScenarioView(APIView):
    """The case as a clawback-scenario/1 document; evaluating it gives the worksheet's result."""

    permission_classes = [HasCapability]
    capability = "clawback.export"

    @extend_schema(
        operation_id="clawback_restatements_scenario",
        parameters=[_ID],
        responses={200: OpenApiTypes.OBJECT, 409: _CONFLICT},
    )
    def get(self, request, id):
        restatement = get_object_or_404(restatements_for_change(request.user), pk=id)
        try:
            document = exports.case_scenario(restatement)
        except ScenarioError as exc:
            raise _incomplete(exc.errors) from exc
        return Response(document)


class AcknowledgementReportView(APIView):
    """Who has and has not acknowledged a clawback policy version: every executive officer the caller may
    see, whether they must (serving on or after its effective date) and the evidence (policy "Other
    Recovery Rights")."""

    permission_classes = [HasCapability]
    capability = "clawback.view"

    @extend_schema(
        operation_id="clawback_acknowledgements_report",
        parameters=[AcknowledgementQuerySerializer],
        responses={200: AcknowledgementReportSerializer},
    )
    def get(self, request):
        query = AcknowledgementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if "policy" in query.validated_data:
            policy = get_object_or_404(clawback_policies(), pk=query.validated_data["policy"])
        else:
            policy = policy_in_force(PolicyVersion.Kind.CLAWBACK, on=_today()) or clawback_policies().first()
            if policy is None:
                raise exceptions.NotFound("No approved version of the clawback policy is recorded.")
        statuses = acknowledgement_report(request.user, policy)
        return Response(
            {
                "policy": policy.pk,
                "policy_version": policy.version,
                "effective_date": policy.effective_date,
                "required": sum(1 for s in statuses if s.required),
                "missing": sum(1 for s in statuses if s.missing),
                "executives": _acknowledgement_rows(statuses),
            }
        )


class AcknowledgementCreateView(_ManageView):
    @extend_schema(
        operation_id="clawback_acknowledgements_create",
        request=AcknowledgementInputSerializer,
        responses={201: AcknowledgementSerializer},
    )
    def post(self, request):
        data = _valid(AcknowledgementInputSerializer, request)
        acknowledgement = services.record_policy_acknowledgement(
            actor=request.user, now=timezone.now(), **data
        )
        return Response(AcknowledgementSerializer(acknowledgement).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("acknowledgements/", AcknowledgementReportView.as_view(), name="acknowledgement-list"),
    path("acknowledgements/create/", AcknowledgementCreateView.as_view(), name="acknowledgement-create"),
    path("executives/create/", ExecutiveCreateView.as_view(), name="executive-create"),
    path("executives/<str:id>/update/", ExecutiveUpdateView.as_view(), name="executive-update"),
    path("measures/create/", MeasureCreateView.as_view(), name="measure-create"),
    path("measures/<str:id>/update/", MeasureUpdateView.as_view(), name="measure-update"),
    path("awards/create/", AwardCreateView.as_view(), name="award-create"),
    path("awards/<str:id>/update/", AwardUpdateView.as_view(), name="award-update"),
    path("restatements/create/", RestatementCreateView.as_view(), name="restatement-create"),
    path("restatements/<str:id>/update/", RestatementUpdateView.as_view(), name="restatement-update"),
    path(
        "restatements/<str:id>/events/", RestatementEventCreateView.as_view(), name="restatement-event-create"
    ),
    path(
        "restatements/<str:id>/events/<str:event_id>/update/",
        RestatementEventUpdateView.as_view(),
        name="restatement-event-update",
    ),
    path("restatements/<str:id>/worksheet/", WorksheetView.as_view(), name="restatement-worksheet"),
    path("restatements/<str:id>/scenario/", ScenarioView.as_view(), name="restatement-scenario"),
]
