import operator
from functools import reduce

from django.db.models import Subquery
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.inputs import validated
from compliance_site.company.models import BodyMembership, Company, FiscalPeriod, PolicyVersion
from compliance_site.company.selectors import current_company, fiscal_periods, seats_held
from compliance_site.company.services import (
    add_fiscal_period,
    add_policy_version,
    add_seat,
    end_seat,
    update_company,
)
from compliance_site.registers.api import RegisterViewSet, Write, reads
from compliance_site.registers.register import Register

from .serializers import (
    CompanySerializer,
    CompanyUpdateInputSerializer,
    EndSeatInputSerializer,
    FiscalPeriodInputSerializer,
    FiscalPeriodSerializer,
    PolicyVersionDetailSerializer,
    PolicyVersionInputSerializer,
    PolicyVersionSerializer,
    SeatFilterSerializer,
    SeatInputSerializer,
    SeatSerializer,
)

# A method a route does not serve leaves DRF's `action` unset and HasCapability asks for "read" or "write":
# any reader gets as far as DRF's 405, never a server error for want of a declared capability.
_UNROUTED = {"metadata": "company.view", "read": "company.view", "write": "company.view"}


def _company_or_404():
    company = current_company()
    if company is None:
        raise Http404("No company profile has been set up.")
    return company


class CompanyView(GenericAPIView):
    """The company profile (one row). 404 until it has been set up."""

    permission_classes = [HasCapability]
    capabilities = {"read": "company.view", "write": "company.manage"}
    serializer_class = CompanySerializer

    @extend_schema(operation_id="company_retrieve")
    def get(self, request):
        return Response(CompanySerializer(_company_or_404()).data)

    @extend_schema(request=CompanyUpdateInputSerializer, operation_id="company_partial_update")
    def patch(self, request):
        company = _company_or_404()
        data = dict(validated(CompanyUpdateInputSerializer, request.data))
        reason = data.pop("reason", "")
        company = update_company(actor=request.user, company=company, data=data, reason=reason)
        return Response(CompanySerializer(company).data)


class FiscalPeriodViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The company's fiscal years and transition periods, oldest first."""

    permission_classes = [HasCapability]
    capabilities = {**_UNROUTED, "list": "company.view", "create": "company.manage"}
    serializer_class = FiscalPeriodSerializer

    def get_queryset(self):
        company = current_company()
        if company is None:
            return FiscalPeriod.objects.none()
        return fiscal_periods(company)

    @extend_schema(request=FiscalPeriodInputSerializer, responses={201: FiscalPeriodSerializer})
    def create(self, request):
        data = validated(FiscalPeriodInputSerializer, request.data)
        period = add_fiscal_period(actor=request.user, company=_company_or_404(), **data)
        return Response(FiscalPeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class PolicyVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Versions of the clawback and Reg FD policies. The text is in the detail only: it is long."""

    permission_classes = [HasCapability]
    capabilities = {
        **_UNROUTED,
        "list": "company.view",
        "retrieve": "company.view",
        "create": "company.manage",
    }
    queryset = PolicyVersion.objects.all()

    def get_serializer_class(self):
        if self.action == "list":
            return PolicyVersionSerializer
        return PolicyVersionDetailSerializer

    @extend_schema(request=PolicyVersionInputSerializer, responses={201: PolicyVersionDetailSerializer})
    def create(self, request):
        data = validated(PolicyVersionInputSerializer, request.data)
        policy = add_policy_version(actor=request.user, **data)
        return Response(PolicyVersionDetailSerializer(policy).data, status=status.HTTP_201_CREATED)


# ---- Seats on the Board and the Compensation Committee ---------------------------------------------------


def _seats_visible_to(user):
    # Whoever reads the company's records (company.view, checked by the viewset) reads all its seats. Lazy
    # (a subquery for the one company), so building the schema reads no table.
    first_company = Company.objects.order_by("id").values("id")[:1]
    return BodyMembership.objects.filter(company_id=Subquery(first_company)).select_related("member")


def _search_seats(queryset, *, body: str = "", on=None):
    if body:
        queryset = queryset.filter(body=body)
    if on is not None:
        # "Held on a date" is the selector's rule, the one a decision of that date reads its voters by: it
        # is asked, not restated here.
        company = current_company()
        if company is None:
            return queryset.none()
        bodies = [body] if body else BodyMembership.Body.values
        held = reduce(operator.or_, (seats_held(company, each, on=on) for each in bodies))
        queryset = queryset.filter(pk__in=held.values("pk"))
    return queryset


SEATS = Register(
    visible_to=_seats_visible_to, search=_search_seats, ordering=("body", "-chair", "starts_on", "id")
)


def _add_seat_to_the_company(*, actor, **seat):
    return add_seat(actor=actor, company=_company_or_404(), **seat)


class SeatViewSet(RegisterViewSet):
    """Seats on the Board of Directors and its Compensation Committee. A decision's quorum and votes are read
    from the seats held on its date (policy "Administration"), so a seat is added, then ended with its last
    day, never edited nor deleted. Everyone who reads the company's records reads the seats; the Corporate
    Secretary and administrators add and end them."""

    register = SEATS
    serializer_class = SeatSerializer
    filterset = SeatFilterSerializer
    capabilities = {**reads("company.view"), "create": "company.manage", "end": "company.manage"}

    create = Write(SeatInputSerializer, _add_seat_to_the_company)
    end = Write(EndSeatInputSerializer, end_seat, record="seat")
