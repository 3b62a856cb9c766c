import zoneinfo
from datetime import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability
from compliance_site.lib.markets import format_et, format_utc
from compliance_site.lib.timefmt import EXCHANGE_TZ, label
from compliance_site.registers import Register
from compliance_site.registers.api import RegisterViewSet, Write, reads
from regfd import selectors, services

from .serializers import (
    AssessMaterialityInputSerializer,
    CalendarChangeSerializer,
    CalendarFilterSerializer,
    ClaimExclusionInputSerializer,
    CloseNotRequiredInputSerializer,
    ConcludeInputSerializer,
    CorrectLearnedAtInputSerializer,
    DeactivateClosureInputSerializer,
    DeadlinePreviewSerializer,
    DeadlineQuerySerializer,
    ExclusionSerializer,
    IncidentFilterSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    MarketClosureInputSerializer,
    MarketClosureSerializer,
    RecordDisclosureInputSerializer,
)

# A method a route does not serve leaves DRF's `action` unset; HasCapability then asks for "read" or "write".
# Any signed-in user gets as far as the 405 (never a server error for want of a capability).
_UNROUTED = {"metadata": "regfd.access", "read": "regfd.access", "write": "regfd.access"}


class IncidentViewSet(RegisterViewSet):
    """Reg FD incidents. regfd.selectors decides who sees which (the program's officers all of them, other
    reporters their own); every change is an action calling one service."""

    register = Register(selectors.incidents_visible_to, selectors.search_incidents)
    serializer_class = IncidentSerializer
    filterset = IncidentFilterSerializer
    capabilities = {
        **reads("regfd.access"),
        "create": "regfd.report",
        "record_disclosure": "regfd.manage",
        "close_not_required": "regfd.manage",
        "assess_materiality": "regfd.manage",
        "conclude": "regfd.conclude",
        "claim_exclusion": "regfd.manage",
        "correct_learned_at": "regfd.manage",
    }

    create = Write(IncidentInputSerializer, services.open_incident, now=True)
    record_disclosure = Write(
        RecordDisclosureInputSerializer, services.record_public_disclosure, record="incident", now=True
    )
    close_not_required = Write(
        CloseNotRequiredInputSerializer, services.close_not_required, record="incident"
    )
    assess_materiality = Write(
        AssessMaterialityInputSerializer, services.assess_materiality, record="incident"
    )
    conclude = Write(ConcludeInputSerializer, services.conclude_materiality, record="incident", now=True)
    correct_learned_at = Write(
        CorrectLearnedAtInputSerializer, services.correct_learned_at, record="incident", now=True
    )

    def visible(self):
        incidents = super().visible()
        return selectors.with_related(incidents) if self.action in ("list", "retrieve") else incidents

    @extend_schema(request=ClaimExclusionInputSerializer, responses={201: ExclusionSerializer})
    @action(detail=True, methods=["post"], url_path="claim-exclusion")
    def claim_exclusion(self, request, pk=None):
        # Not a Write: the answer is the exclusion claimed, not the incident.
        incident = self.get_object()
        serializer = ClaimExclusionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exclusion = services.claim_exclusion(
            actor=request.user, incident=incident, **serializer.validated_data
        )
        return Response(ExclusionSerializer(exclusion).data, status=status.HTTP_201_CREATED)


def _user_zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or EXCHANGE_TZ.key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return EXCHANGE_TZ


def _instant(value: datetime, zone: zoneinfo.ZoneInfo) -> dict:
    local = value.astimezone(zone)
    return {
        "utc": format_utc(value),
        "et": format_et(value),
        "local": local.isoformat(timespec="minutes" if local.second == local.microsecond == 0 else "seconds"),
        "et_label": label(value, EXCHANGE_TZ),
        "local_label": label(value, zone),
    }


class DeadlinePreviewView(APIView):
    """The Regulation FD deadline for a T0 on the current calendar, as the incident form shows it while T0
    is typed (Regulation FD 243.101(d)). Nothing is stored. A T0 without an offset or zone is a 400."""

    permission_classes = [HasCapability]
    capabilities = {"read": "regfd.access", "write": "regfd.access", "metadata": "regfd.access"}

    @extend_schema(parameters=[DeadlineQuerySerializer], responses=DeadlinePreviewSerializer)
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        deadline = selectors.preview_deadline(**query.validated_data)
        zone = _user_zone(request.user)
        body = {
            "learned_at": _instant(deadline.learned_at_utc, zone),
            "intentional": deadline.intentional,
            "outer_limit": _instant(deadline.outer_limit_utc, zone),
            "policy_target": _instant(deadline.policy_target_utc, zone),
            "working_deadline": _instant(deadline.working_deadline_utc, zone),
            "next_open": _instant(deadline.next_open_utc, zone),
            "t24": _instant(deadline.t24_utc, zone),
            "outer_limit_basis": deadline.outer_limit_basis,
            "policy_target_basis": deadline.policy_target_basis,
            "method": deadline.method,
            "time_zone": zone.key,
            "calendar_version": deadline.calendar_version,
            "rule_version": deadline.rule_version,
            "explanation": deadline.explanation,
        }
        return Response(DeadlinePreviewSerializer(body).data)


@extend_schema_view(list=extend_schema(parameters=[CalendarFilterSerializer]))
class MarketClosureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The NYSE trading calendar: closures and early closes, active and withdrawn, with sources.

    Everyone in the Reg FD program may read it. Only Administrators edit it: "accounts.manage" is the
    Administrators-only capability (roles.py), reused rather than adding one for the calendar.
    """

    serializer_class = MarketClosureSerializer
    permission_classes = [HasCapability]
    capabilities = {
        **_UNROUTED,
        "list": "regfd.access",
        "create": "accounts.manage",
        "deactivate": "accounts.manage",
    }

    def get_queryset(self):
        if self.action != "list":
            return selectors.market_closures()
        filters = CalendarFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.market_closures(year=filters.validated_data.get("year"))

    @extend_schema(request=MarketClosureInputSerializer, responses={201: CalendarChangeSerializer})
    def create(self, request):
        serializer = MarketClosureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        closure, moved = services.add_market_closure(
            actor=request.user, now=timezone.now(), day=data.pop("date"), **data
        )
        body = CalendarChangeSerializer({"closure": closure, "moved_incidents": moved}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeactivateClosureInputSerializer, responses=CalendarChangeSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        closure = self.get_object()
        serializer = DeactivateClosureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = services.deactivate_market_closure(
            actor=request.user,
            now=timezone.now(),
            closure=closure,
            reason=serializer.validated_data["reason"],
        )
        closure.refresh_from_db()
        return Response(CalendarChangeSerializer({"closure": closure, "moved_incidents": moved}).data)
