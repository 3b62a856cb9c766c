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
from rest_framework import serializers

from compliance_site.api.fields import AmountField
from compliance_site.company.models import PolicyVersion
from compliance_site.lib.limits import NARRATIVE
from compliance_site.registers import Register
from compliance_site.registers.api import Write

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
    Part,
    RecordsViewSet,
    RetiredFieldsMixin,
    VisibleChoicesMixin,
    company,
    create_write,
    prefetch,
    today,
    update_write,
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
    description = serializers.CharField(allow_blank=True, required=False, default="", max_length=NARRATIVE)
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
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=NARRATIVE)
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

    def __init__(self, *args, data=serializers.empty, **kwargs):
        if isinstance(data, list):
            data = {"values": data}
        super().__init__(*args, data=data, **kwargs)

    def visible_querysets(self, user):
        return {"values.measure": measures_visible_to(user)}


# --- The register --------------------------------------------------------------------------------------

EVENTS = Part("events", "event_id", RestatementEvent, "restatement")
RESTATED_VALUES = Part("restated-values", "value_id", RestatedValue, "restatement", ("value__measure",))
ESTIMATES = Part(
    "estimates", "estimate_id", ReasonableEstimate, "restatement", ("recorded_by", "restatement")
)


def _record_restatement(*, reason="", **data):
    """A new case takes no reason: nothing is signed off yet."""
    return services.record_restatement(company=company(), today=today(), **data)


class RestatementViewSet(RecordsViewSet):
    """Restatements (clawback cases) with their dated events, restated values and covered executives. A
    covered executive never sees the case about their own pay (clawback.selectors)."""

    register = Register(restatements_visible_to)
    serializer_class = RestatementSerializer
    refetch = True  # a case is answered as it is read, with its events and restated values

    create_record = create_write("restatements", RestatementInputSerializer, _record_restatement)
    update_record = update_write(
        "restatements", RestatementInputSerializer, services.update_restatement, record="restatement"
    )
    add_event = EVENTS.add(
        "restatements",
        RestatementEventInputSerializer,
        services.add_restatement_event,
        record="restatement",
        now=True,
        output=RestatementEventSerializer,
    )
    update_event = EVENTS.write(
        "restatements",
        RestatementEventInputSerializer,
        services.update_restatement_event,
        verb="update",
        record="event",
        now=True,
        output=RestatementEventSerializer,
    )
    void_event = EVENTS.void(
        "restatements", services.void_restatement_event, record="event", output=RestatementEventSerializer
    )
    set_restated_values = Write(
        RestatedValuesInputSerializer,
        services.set_restated_values,
        record="restatement",
        now=True,
        answer_record=True,
        path="restated-values",
        url_name="restated-values",
        operation_id="clawback_restatements_restated_values_set",
    )
    void_restated_value = RESTATED_VALUES.void(
        "restatements", services.void_restated_value, record="restated", output=RestatedValueSerializer
    )
    void_estimate = ESTIMATES.void(
        "restatements", services.void_estimate, record="estimate", output=EstimateSerializer
    )

    def rows(self, *, voided: bool):
        return restatements_visible_to(self.request.user).prefetch_related(
            prefetch("events", RestatementEvent, voided=voided),
            prefetch("restated_values", RestatedValue, voided=voided, select=["value__measure"]),
            "covered_executives",
        )

    def changeable(self):
        return restatements_for_change(self.request.user)

    def write_record(self, write):
        record = super().write_record(write)
        # Like recording an estimate, voiding one is for participants: a recused member may not (403).
        if isinstance(record, ReasonableEstimate) and is_recused(self.request.user, record.restatement):
            raise PermissionDenied("You are recused from this case.")
        return record
