from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.inputs import validated
from compliance_site.company.models import FiscalPeriod, PolicyVersion
from compliance_site.company.selectors import current_company, fiscal_periods
from compliance_site.company.services import add_fiscal_period, add_policy_version, update_company

from .serializers import (
    CompanySerializer,
    CompanyUpdateInputSerializer,
    FiscalPeriodInputSerializer,
    FiscalPeriodSerializer,
    PolicyVersionDetailSerializer,
    PolicyVersionInputSerializer,
    PolicyVersionSerializer,
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
