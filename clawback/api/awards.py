"""Awards over the API: what an executive received, with the formula or the scorecard needed to recompute
it, the amounts of it already recovered (credits), and voiding.

    GET  awards/                                          (?show_voided=1)
    GET  awards/{id}/
    POST awards/create/
    POST awards/{id}/update/                              goals merge by id; none removed
    POST awards/{id}/void/                                {"reason": "..."}
    POST awards/{id}/components/{component_id}/void/      a scorecard goal
    POST awards/{id}/credits/                             an amount already recovered
    POST awards/{id}/credits/{credit_id}/void/
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.fields import AmountField

from ..models import Award, AwardComponent, AwardCredit, Executive, Measure, Restatement
from ..selectors import awards_visible_to, executives_visible_to, measures_visible_to, restatements_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    ManageView,
    ShowVoidedQuerySerializer,
    VisibleChoicesMixin,
    VoidInputSerializer,
    path_id,
    prefetch,
    show_voided,
    valid,
    void,
)
from .serializers import AwardComponentSerializer, AwardCreditSerializer, AwardSerializer

# --- Input ---------------------------------------------------------------------------------------------


def _fine_decimal(**kwargs):
    return serializers.DecimalField(max_digits=38, decimal_places=20, **kwargs)


class AwardComponentInputSerializer(serializers.Serializer):
    """One weighted goal of a scorecard award: a financial reporting measure with its payout curve
    (`points`, `[["value", "factor"], ...]` ascending), or another goal with its score as given (`factor`)."""

    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A goal on record to change."
    )
    basis = serializers.ChoiceField(
        choices=AwardComponent.Basis.choices,
        required=False,
        default=AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE,
    )
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), allow_null=True, required=False, default=None
    )
    measure_period = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    weight = _fine_decimal()
    points = serializers.JSONField(allow_null=True, required=False, default=None)
    factor = _fine_decimal(allow_null=True, required=False, default=None)


class AwardInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """An award, the whole record (as the form sends it). Either a payout formula as in scenario files
    (`{"kind": "curve", "target": "...", "points": [["x", "factor"], ...]}` or `{"kind": "linear", "rate":
    "...", "offset": "...", "cap": "..."}`), or a scorecard: `scorecard_target`, optionally
    `scorecard_cap_factor`, and its weighted goals in `components`. A goal given with its id changes that
    goal; any other is added; none is removed (a goal is voided with a reason). Validated by the scenario
    parser's rules. Amounts accept "$1,000,000" as well as "1000000"."""

    executive = serializers.PrimaryKeyRelatedField(queryset=Executive.objects.none())
    key = serializers.SlugField(max_length=80)
    award_type = serializers.ChoiceField(choices=Award.Type.choices)
    basis = serializers.ChoiceField(choices=Award.Basis.choices)
    performance_start = serializers.DateField()
    performance_end = serializers.DateField()
    received = AmountField(max_digits=20, decimal_places=4, min_value=0, help_text="Gross, before taxes.")
    unit = serializers.ChoiceField(choices=Award.Unit.choices, required=False, default=Award.Unit.USD)
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), allow_null=True, required=False, default=None
    )
    measure_period = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    formula = serializers.JSONField(allow_null=True, required=False, default=None)
    scorecard_target = AmountField(
        max_digits=38, decimal_places=20, allow_null=True, required=False, default=None,
        help_text="A scorecard award: the payout at a weighted score of 1.",
    )  # fmt: skip
    scorecard_cap_factor = _fine_decimal(
        allow_null=True, required=False, default=None, help_text="The most the weighted score can reach."
    )
    components = AwardComponentInputSerializer(many=True, required=False, default=list, max_length=50)
    value_per_unit = AmountField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    requires_estimate = serializers.BooleanField(required=False, default=False)
    approval_date = serializers.DateField(allow_null=True, required=False, default=None)
    grant_date = serializers.DateField(allow_null=True, required=False, default=None)
    vesting_date = serializers.DateField(allow_null=True, required=False, default=None)
    settlement_date = serializers.DateField(allow_null=True, required=False, default=None)
    units_sold = AmountField(
        max_digits=20, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    sale_price = AmountField(
        max_digits=14, decimal_places=4, min_value=0, allow_null=True, required=False, default=None
    )
    notes = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)

    def visible_querysets(self, user):
        measures = measures_visible_to(user)
        return {"executive": executives_visible_to(user), "measure": measures, "components.measure": measures}


class AwardCreditInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """An amount of the award already recovered (under an earlier restatement, SOX 304 or otherwise), in the
    award's unit: every case of the award except `under_case` credits it."""

    amount = AmountField(max_digits=20, decimal_places=4)
    recovered_on = serializers.DateField()
    source = serializers.ChoiceField(choices=AwardCredit.Source.choices)
    reference = serializers.CharField(max_length=300, help_text="The case, order or agreement.")
    under_case = serializers.PrimaryKeyRelatedField(
        queryset=Restatement.objects.none(), allow_null=True, required=False, default=None
    )

    def visible_querysets(self, user):
        return {"under_case": restatements_visible_to(user)}


# --- Views ---------------------------------------------------------------------------------------------


def award_rows(user, *, voided: bool):
    base = awards_visible_to(user, include_voided=voided).select_related("voided_by")
    return base.prefetch_related(
        prefetch("components", AwardComponent, voided=voided),
        prefetch("credits", AwardCredit, voided=voided, select=["recorded_by"]),
    )


_SHOW_VOIDED = extend_schema(parameters=[ShowVoidedQuerySerializer])


@extend_schema_view(list=_SHOW_VOIDED, retrieve=_SHOW_VOIDED)
class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Compensation received, as the recovery engine reads it, with scorecard goals and amounts already
    recovered; voided ones with `?show_voided=1`."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = AwardSerializer

    def get_queryset(self):
        return award_rows(self.request.user, voided=show_voided(self.request))


class AwardCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_create_record",
        request=AwardInputSerializer,
        responses={201: AwardSerializer},
    )
    def post(self, request):
        data = dict(valid(AwardInputSerializer, request))
        executive = data.pop("executive")
        award = services.create_award(actor=request.user, executive=executive, now=timezone.now(), **data)
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)


class AwardUpdateView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_update_record",
        parameters=[path_id()],
        request=AwardInputSerializer,
        responses={200: AwardSerializer},
    )
    def post(self, request, id):
        award = get_object_or_404(awards_visible_to(request.user), pk=id)
        data = valid(AwardInputSerializer, request)
        award = services.update_award(actor=request.user, award=award, now=timezone.now(), **data)
        return Response(AwardSerializer(award).data)


class AwardVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_void",
        parameters=[path_id()],
        request=VoidInputSerializer,
        responses={200: AwardSerializer},
    )
    def post(self, request, id):
        award = get_object_or_404(awards_visible_to(request.user, include_voided=True), pk=id)
        return void(request, services.void_award, AwardSerializer, award=award)


class AwardComponentVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_components_void",
        parameters=[path_id(), path_id("component_id")],
        request=VoidInputSerializer,
        responses={200: AwardComponentSerializer},
    )
    def post(self, request, id, component_id):
        award = get_object_or_404(awards_visible_to(request.user, include_voided=True), pk=id)
        component = get_object_or_404(AwardComponent.all_objects.filter(award=award), pk=component_id)
        return void(request, services.void_award_component, AwardComponentSerializer, component=component)


class AwardCreditCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_credits_create",
        parameters=[path_id()],
        request=AwardCreditInputSerializer,
        responses={201: AwardCreditSerializer},
    )
    def post(self, request, id):
        award = get_object_or_404(awards_visible_to(request.user), pk=id)
        data = valid(AwardCreditInputSerializer, request)
        credit = services.record_award_credit(actor=request.user, award=award, now=timezone.now(), **data)
        return Response(AwardCreditSerializer(credit).data, status=status.HTTP_201_CREATED)


class AwardCreditVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_awards_credits_void",
        parameters=[path_id(), path_id("credit_id")],
        request=VoidInputSerializer,
        responses={200: AwardCreditSerializer},
    )
    def post(self, request, id, credit_id):
        award = get_object_or_404(awards_visible_to(request.user, include_voided=True), pk=id)
        credit = get_object_or_404(AwardCredit.all_objects.filter(award=award), pk=credit_id)
        return void(request, services.void_award_credit, AwardCreditSerializer, credit=credit)


urlpatterns = [
    path("awards/create/", AwardCreateView.as_view(), name="award-create"),
    path("awards/<str:id>/update/", AwardUpdateView.as_view(), name="award-update"),
    path("awards/<str:id>/void/", AwardVoidView.as_view(), name="award-void"),
    path(
        "awards/<str:id>/components/<str:component_id>/void/",
        AwardComponentVoidView.as_view(),
        name="award-component-void",
    ),
    path("awards/<str:id>/credits/", AwardCreditCreateView.as_view(), name="award-credit-create"),
    path(
        "awards/<str:id>/credits/<str:credit_id>/void/",
        AwardCreditVoidView.as_view(),
        name="award-credit-void",
    ),
]
