"""Executive officers over the API: the list, one explicit write per change, and voiding.

GET  executives/                                      (?show_voided=1)
GET  executives/{id}/
POST executives/create/
POST executives/{id}/update/                          officer periods merge by id or start; none removed
POST executives/{id}/void/                            {"reason": "..."}
POST executives/{id}/officer-periods/{period_id}/void/
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from compliance_site.accounts.models import User
from compliance_site.accounts.permissions import HasCapability

from ..models import OfficerPeriod
from ..selectors import executives_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    ManageView,
    ShowVoidedQuerySerializer,
    VoidInputSerializer,
    company,
    path_id,
    prefetch,
    show_voided,
    valid,
    void,
)
from .serializers import ExecutiveSerializer, OfficerPeriodSerializer

# --- Input ---------------------------------------------------------------------------------------------


class OfficerPeriodInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A period on record to change."
    )
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, required=False, default=None)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class ExecutiveInputSerializer(serializers.Serializer):
    """An executive officer. A period of service given with its id, or with the start date of a period on
    record, changes that period; any other is added; none is removed (a period is voided with a reason).
    `neo_years`, when given, is the whole list of fiscal years as a named executive officer."""

    key = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False, default=None
    )
    officer_periods = OfficerPeriodInputSerializer(many=True, required=False, default=list, max_length=100)
    neo_years = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, max_length=100
    )


# --- Views ---------------------------------------------------------------------------------------------


def executive_rows(user, *, voided: bool):
    base = executives_visible_to(user, include_voided=voided).select_related("voided_by")
    return base.prefetch_related(
        prefetch("officer_periods", OfficerPeriod, voided=voided), "neo_years"
    ).order_by("name", "id")


_SHOW_VOIDED = extend_schema(parameters=[ShowVoidedQuerySerializer])


@extend_schema_view(list=_SHOW_VOIDED, retrieve=_SHOW_VOIDED)
class ExecutiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Executive officers with their periods of service; voided ones with `?show_voided=1`."""

    permission_classes = [HasCapability]
    capability = "clawback.view"
    serializer_class = ExecutiveSerializer

    def get_queryset(self):
        return executive_rows(self.request.user, voided=show_voided(self.request))


class ExecutiveCreateView(ManageView):
    @extend_schema(
        operation_id="clawback_executives_create_record",
        request=ExecutiveInputSerializer,
        responses={201: ExecutiveSerializer},
    )
    def post(self, request):
        data = valid(ExecutiveInputSerializer, request)
        executive = services.create_executive(actor=request.user, company=company(), **data)
        return Response(ExecutiveSerializer(executive).data, status=status.HTTP_201_CREATED)


class ExecutiveUpdateView(ManageView):
    @extend_schema(
        operation_id="clawback_executives_update_record",
        parameters=[path_id()],
        request=ExecutiveInputSerializer,
        responses={200: ExecutiveSerializer},
    )
    def post(self, request, id):
        executive = get_object_or_404(executives_visible_to(request.user), pk=id)
        data = valid(ExecutiveInputSerializer, request)
        executive = services.update_executive(
            actor=request.user, executive=executive, now=timezone.now(), **data
        )
        return Response(ExecutiveSerializer(executive).data)


class ExecutiveVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_executives_void",
        parameters=[path_id()],
        request=VoidInputSerializer,
        responses={200: ExecutiveSerializer},
    )
    def post(self, request, id):
        executive = get_object_or_404(executives_visible_to(request.user, include_voided=True), pk=id)
        return void(request, services.void_executive, ExecutiveSerializer, executive=executive)


class OfficerPeriodVoidView(ManageView):
    @extend_schema(
        operation_id="clawback_executives_officer_periods_void",
        parameters=[path_id(), path_id("period_id")],
        request=VoidInputSerializer,
        responses={200: OfficerPeriodSerializer},
    )
    def post(self, request, id, period_id):
        executive = get_object_or_404(executives_visible_to(request.user, include_voided=True), pk=id)
        period = get_object_or_404(OfficerPeriod.all_objects.filter(executive=executive), pk=period_id)
        return void(request, services.void_officer_period, OfficerPeriodSerializer, period=period)


urlpatterns = [
    path("executives/create/", ExecutiveCreateView.as_view(), name="executive-create"),
    path("executives/<str:id>/update/", ExecutiveUpdateView.as_view(), name="executive-update"),
    path("executives/<str:id>/void/", ExecutiveVoidView.as_view(), name="executive-void"),
    path(
        "executives/<str:id>/officer-periods/<str:period_id>/void/",
        OfficerPeriodVoidView.as_view(),
        name="executive-officer-period-void",
    ),
]
