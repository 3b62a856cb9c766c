"""Executive officers over the API: the list, one explicit write per change, and voiding.

GET  executives/                                      (?show_voided=1)
GET  executives/{id}/
POST executives/create/
POST executives/{id}/update/                          officer periods merge by id or start; none removed
POST executives/{id}/void/                            {"reason": "..."}
POST executives/{id}/officer-periods/{period_id}/void/
"""

from rest_framework import serializers

from compliance_site.accounts.models import User
from compliance_site.registers import Register

from ..models import OfficerPeriod
from ..selectors import executives_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    Part,
    RecordsViewSet,
    create_write,
    of_the_company,
    prefetch,
    update_write,
    void_write,
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


# --- The register --------------------------------------------------------------------------------------

OFFICER_PERIODS = Part("officer-periods", "period_id", OfficerPeriod, "executive")


class ExecutiveViewSet(RecordsViewSet):
    """Executive officers with their periods of service; voided ones with `?show_voided=1`."""

    register = Register(executives_visible_to, ordering=("name", "id"))
    serializer_class = ExecutiveSerializer

    create_record = create_write(
        "executives", ExecutiveInputSerializer, of_the_company(services.create_executive)
    )
    update_record = update_write(
        "executives", ExecutiveInputSerializer, services.update_executive, record="executive"
    )
    void = void_write("executives", services.void_executive, record="executive")
    void_officer_period = OFFICER_PERIODS.void(
        "executives", services.void_officer_period, record="period", output=OfficerPeriodSerializer
    )

    def rows(self, *, voided: bool):
        base = executives_visible_to(self.request.user, include_voided=voided).select_related("voided_by")
        return base.prefetch_related(prefetch("officer_periods", OfficerPeriod, voided=voided), "neo_years")
