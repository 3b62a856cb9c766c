"""Financial reporting measures over the API, with their values as first reported (restated figures are each
restatement's own: `restatements/{id}/restated-values/`).

    GET  measures/                                        (?show_voided=1)
    GET  measures/{id}/
    POST measures/create/
    POST measures/{id}/update/                            values merge by id or period; none removed
    POST measures/{id}/void/                              {"reason": "..."}
    POST measures/{id}/values/{value_id}/void/
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.fields import AmountField

from ..models import Measure, MeasureValue
from ..selectors import measures_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    ManageView,
    RetiredFieldsMixin,
    ShowVoidedQuerySerializer,
    VoidInputSerializer,
    company,
    path_id,
    prefetch,
    show_voided,
    valid,
    void,
)
from .serializers import MeasureSerializer, MeasureValueSerializer

# --- Input ---------------------------------------------------------------------------------------------


class MeasureValueInputSerializer(RetiredFieldsMixin, serializers.Serializer):
    retired_fields = {
        "restated": "A restated figure belongs to the restatement that restates it: "
        "POST it to restatements/{id}/restated-values/."
    }

    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A value on record to change (or rename)."
    )
    period_label = serializers.CharField(max_length=40)
    original = AmountField(max_digits=24, decimal_places=6, help_text="As first reported.")
    source = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class MeasureInputSerializer(serializers.Serializer):
    """A financial reporting measure. A value given with its id, or for a period on record, changes that
    value; any other is added; none is removed (a value is voided with a reason)."""

    key = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Measure.Category.choices)
    values = MeasureValueInputSerializer(many=True, required=False, default=list, max_length=500)


# --- Views ---------------------------------------------------------------------------------------------


def measure_rows(user, *, voided: bool):
    base = measures_visible_to(user, include_voided=voided).select_related("voided_by")
    return base.prefetch_related(prefetch("values", MeasureValue, voided=voided)).order_by("key", "id")


_SHOW_VOIDED = extend_schema(parameters=[ShowVoidedQuerySerializer])


@extend_schema_view(list=_SHOW_VOIDED, retrieve=_SHOW_VOIDED)
class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """Financial reporting measures with their values as first reported; voided ones with `?show_voided=1`."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = MeasureSerializer

    def get_queryset(self):
        return measure_rows(self.request.user, voided=show_voided(self.request))


class MeasureCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_measures_create_record",
        request=MeasureInputSerializer,
        responses={201: MeasureSerializer},
    )
    def post(self, request):
        data = valid(MeasureInputSerializer, request)
        measure = services.create_measure(actor=request.user, company=company(), **data)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureUpdateView(ManageView):
    @extend_schema(
        operation_id="clawback_measures_update_record",
        parameters=[path_id()],
        request=MeasureInputSerializer,
        responses={200: MeasureSerializer},
    )
    def post(self, request, id):
        measure = get_object_or_404(measures_visible_to(request.user), pk=id)
        data = valid(MeasureInputSerializer, request)
        measure = services.update_measure(actor=request.user, measure=measure, now=timezone.now(), **data)
        return Response(MeasureSerializer(measure).data)


class MeasureVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_measures_void",
        parameters=[path_id()],
        request=VoidInputSerializer,
        responses={200: MeasureSerializer},
    )
    def post(self, request, id):
        measure = get_object_or_404(measures_visible_to(request.user, include_voided=True), pk=id)
        return void(request, services.void_measure, MeasureSerializer, measure=measure)


class MeasureValueVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_measures_values_void",
        parameters=[path_id(), path_id("value_id")],
        request=VoidInputSerializer,
        responses={200: MeasureValueSerializer},
    )
    def post(self, request, id, value_id):
        measure = get_object_or_404(measures_visible_to(request.user, include_voided=True), pk=id)
        value = get_object_or_404(MeasureValue.all_objects.filter(measure=measure), pk=value_id)
        return void(request, services.void_measure_value, MeasureValueSerializer, value=value)


urlpatterns = [
    path("measures/create/", MeasureCreateView.as_view(), name="measure-create"),
    path("measures/<str:id>/update/", MeasureUpdateView.as_view(), name="measure-update"),
    path("measures/<str:id>/void/", MeasureVoidView.as_view(), name="measure-void"),
    path(
        "measures/<str:id>/values/<str:value_id>/void/",
        MeasureValueVoidView.as_view(),
        name="measure-value-void",
    ),
]
