"""Restatements (the cases) over the API: their facts, dated events and own restated values, and voiding an
event, a restated value or the committee's estimate.

    GET  restatements/                                    (?show_voided=1 for voided events and values)
    GET  restatements/{id}/
    POST restatements/create/
    POST restatements/{id}/update/
    POST restatements/{id}/events/                        a dated event
    POST restatements/{id}/events/{event_id}/update/
    POST restatements/{id}/events/{event_id}/void/        {"reason": "..."}
    POST restatements/{id}/restated-values/               the case's restated figures; merge, none removed
    POST restatements/{id}/restated-values/{value_id}/void/
    POST restatements/{id}/estimates/{estimate_id}/void/
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.fields import AmountField
from compliance_site.company.models import PolicyVersion

from ..models import Executive, Measure, ReasonableEstimate, RestatedValue, Restatement, RestatementEvent
from ..selectors import (
    executives_visible_to,
    is_recused,
    measures_visible_to,
    restatements_for_change,
    restatements_visible_to,
)
from ..services import records as services
from .base import (
    ManageView,
    RetiredFieldsMixin,
    ShowVoidedQuerySerializer,
    VisibleChoicesMixin,
    VoidInputSerializer,
    company,
    path_id,
    prefetch,
    show_voided,
    today,
    valid,
    void,
)
from .serializers import (
    EstimateSerializer,
    RestatedValueSerializer,
    RestatementEventSerializer,
    RestatementSerializer,
)

_REASON = {"allow_blank": True, "required": False, "default": "", "max_length": 1000}

# --- Input ---------------------------------------------------------------------------------------------


class RestatementInputSerializer(RetiredFieldsMixin, VisibleChoicesMixin, serializers.Serializer):
    """A restatement's facts. On create, an absent or null `policy_version` records the clawback policy
    in force today; `reason` is required to change a case after sign-off. The figures the case restates are
    its restated values (`restatements/{id}/restated-values/`)."""

    retired_fields = {
        "measures_restated": "The measures a case restates are its restated values: "
        "POST them to restatements/{id}/restated-values/.",
        "periods_restated": "The periods a case restates are its restated values: "
        "POST them to restatements/{id}/restated-values/.",
    }

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Restatement.Kind.choices)
    description = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)
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
    reason = serializers.CharField(write_only=True, **_REASON)

    def visible_querysets(self, user):
        return {"covered_executives": executives_visible_to(user)}


class RestatementEventInputSerializer(serializers.Serializer):
    """A dated event; "should_have_concluded" needs a rationale (Rule 10D-1(b)(1)(ii)), "other" a label saying
    what happened (an other event is recorded but never sets the date the restatement was required)."""

    kind = serializers.ChoiceField(choices=RestatementEvent.Kind.choices)
    date = serializers.DateField()
    label = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)
    reason = serializers.CharField(write_only=True, **_REASON)


class RestatedValueInputSerializer(serializers.Serializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.none())
    period_label = serializers.CharField(max_length=40, help_text="A period the measure has a value for.")
    restated = AmountField(max_digits=24, decimal_places=6, help_text="The figure as this case restates it.")
    source = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class RestatedValuesInputSerializer(VisibleChoicesMixin, serializers.Serializer):
    """The case's own restated figures. A figure the case already has for the measure and period is changed;
    any other is added; none is removed (a restated value is voided with a reason). `reason` is required
    after sign-off. A bare JSON list of values is read as `values`."""

    values = RestatedValueInputSerializer(many=True, allow_empty=False, max_length=500)
    reason = serializers.CharField(**_REASON)

    def visible_querysets(self, user):
        return {"values.measure": measures_visible_to(user)}


# --- Views ---------------------------------------------------------------------------------------------


def restatement_rows(user, *, voided: bool):
    return restatements_visible_to(user).prefetch_related(
        prefetch("events", RestatementEvent, voided=voided),
        prefetch("restated_values", RestatedValue, voided=voided, select=["value__measure"]),
        "covered_executives",
    )


def _case(request, id) -> Restatement:
    return get_object_or_404(restatements_for_change(request.user), pk=id)


def _respond(request, restatement, status_code=status.HTTP_200_OK):
    fresh = restatement_rows(request.user, voided=False).get(pk=restatement.pk)
    return Response(RestatementSerializer(fresh).data, status=status_code)


_SHOW_VOIDED = extend_schema(parameters=[ShowVoidedQuerySerializer])


@extend_schema_view(list=_SHOW_VOIDED, retrieve=_SHOW_VOIDED)
class RestatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Restatements (clawback cases) with their dated events, restated values and covered executives. A
    covered executive never sees the case about their own pay (clawback.selectors)."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = RestatementSerializer

    def get_queryset(self):
        # Prefetched so that a page costs the same number of queries whatever its length.
        return restatement_rows(self.request.user, voided=show_voided(self.request))


class RestatementCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_create_record",
        request=RestatementInputSerializer,
        responses={201: RestatementSerializer},
    )
    def post(self, request):
        data = dict(valid(RestatementInputSerializer, request))
        data.pop("reason", None)
        restatement = services.record_restatement(
            actor=request.user, company=company(), today=today(), **data
        )
        return _respond(request, restatement, status.HTTP_201_CREATED)


class RestatementUpdateView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_update_record",
        parameters=[path_id()],
        request=RestatementInputSerializer,
        responses={200: RestatementSerializer},
    )
    def post(self, request, id):
        restatement = _case(request, id)
        data = valid(RestatementInputSerializer, request)
        restatement = services.update_restatement(
            actor=request.user, restatement=restatement, now=timezone.now(), **data
        )
        return _respond(request, restatement)


class RestatementEventCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_events_create",
        parameters=[path_id()],
        request=RestatementEventInputSerializer,
        responses={201: RestatementEventSerializer},
    )
    def post(self, request, id):
        restatement = _case(request, id)
        data = valid(RestatementEventInputSerializer, request)
        event = services.add_restatement_event(
            actor=request.user, restatement=restatement, now=timezone.now(), **data
        )
        return Response(RestatementEventSerializer(event).data, status=status.HTTP_201_CREATED)


class RestatementEventUpdateView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_events_update",
        parameters=[path_id(), path_id("event_id")],
        request=RestatementEventInputSerializer,
        responses={200: RestatementEventSerializer},
    )
    def post(self, request, id, event_id):
        restatement = _case(request, id)
        event = get_object_or_404(restatement.events.all(), pk=event_id)
        data = valid(RestatementEventInputSerializer, request)
        event = services.update_restatement_event(actor=request.user, event=event, now=timezone.now(), **data)
        return Response(RestatementEventSerializer(event).data)


class RestatementEventVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_events_void",
        parameters=[path_id(), path_id("event_id")],
        request=VoidInputSerializer,
        responses={200: RestatementEventSerializer},
    )
    def post(self, request, id, event_id):
        restatement = _case(request, id)
        event = get_object_or_404(RestatementEvent.all_objects.filter(restatement=restatement), pk=event_id)
        return void(request, services.void_restatement_event, RestatementEventSerializer, event=event)


class RestatedValuesView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_restated_values_set",
        parameters=[path_id()],
        request=RestatedValuesInputSerializer,
        responses={200: RestatementSerializer},
    )
    def post(self, request, id):
        restatement = _case(request, id)
        data = request.data
        if isinstance(data, list):
            data = {"values": data}
        data = valid(RestatedValuesInputSerializer, request, data=data)
        services.set_restated_values(
            actor=request.user,
            restatement=restatement,
            values=data["values"],
            reason=data["reason"],
            now=timezone.now(),
        )
        return _respond(request, restatement)


class RestatedValueVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_restatements_restated_values_void",
        parameters=[path_id(), path_id("value_id")],
        request=VoidInputSerializer,
        responses={200: RestatedValueSerializer},
    )
    def post(self, request, id, value_id):
        restatement = _case(request, id)
        restated = get_object_or_404(
            RestatedValue.all_objects.filter(restatement=restatement).select_related("value__measure"),
            pk=value_id,
        )
        return void(request, services.void_restated_value, RestatedValueSerializer, restated=restated)


class EstimateVoidView(ManageView):
    """Like recording an estimate, voiding one is for participants: a recused member may not (403)."""

    @extend_schema(
        operation_id="clawback_restatements_estimates_void",
        parameters=[path_id(), path_id("estimate_id")],
        request=VoidInputSerializer,
        responses={200: EstimateSerializer},
    )
    def post(self, request, id, estimate_id):
        restatement = _case(request, id)
        estimate = get_object_or_404(
            ReasonableEstimate.all_objects.filter(restatement=restatement).select_related("recorded_by"),
            pk=estimate_id,
        )
        if is_recused(request.user, restatement):
            raise PermissionDenied("You are recused from this case.")
        return void(request, services.void_estimate, EstimateSerializer, estimate=estimate)


urlpatterns = [
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
    path(
        "restatements/<str:id>/events/<str:event_id>/void/",
        RestatementEventVoidView.as_view(),
        name="restatement-event-void",
    ),
    path(
        "restatements/<str:id>/restated-values/",
        RestatedValuesView.as_view(),
        name="restatement-restated-values",
    ),
    path(
        "restatements/<str:id>/restated-values/<str:value_id>/void/",
        RestatedValueVoidView.as_view(),
        name="restatement-restated-value-void",
    ),
    path(
        "restatements/<str:id>/estimates/<str:estimate_id>/void/",
        EstimateVoidView.as_view(),
        name="restatement-estimate-void",
    ),
]
