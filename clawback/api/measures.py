"""Financial reporting measures over the API, with their values as first reported (restated figures are each
restatement's own: `restatements/{id}/restated-values/`).

    GET  measures/                                        (?show_voided=1)
    GET  measures/{id}/
    POST measures/create/
    POST measures/{id}/update/                            values merge by id or period; none removed
    POST measures/{id}/void/                              {"reason": "..."}
    POST measures/{id}/values/{value_id}/void/
"""

from rest_framework import serializers

from compliance_site.api.fields import AmountField
from compliance_site.registers import Register

from ..models import Measure, MeasureValue
from ..selectors import measures_visible_to
from ..services import records as services
from .base import (
    MAX_ID,
    Part,
    RecordsViewSet,
    RetiredFieldsMixin,
    create_write,
    of_the_company,
    prefetch,
    update_write,
    void_write,
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


# --- The register --------------------------------------------------------------------------------------

VALUES = Part("values", "value_id", MeasureValue, "measure")


class MeasureViewSet(RecordsViewSet):
    """Financial reporting measures with their values as first reported; voided ones with `?show_voided=1`."""

    register = Register(measures_visible_to, ordering=("key", "id"))
    serializer_class = MeasureSerializer

    create_record = create_write("measures", MeasureInputSerializer, of_the_company(services.create_measure))
    update_record = update_write(
        "measures", MeasureInputSerializer, services.update_measure, record="measure"
    )
    void = void_write("measures", services.void_measure, record="measure")
    void_value = VALUES.void(
        "measures", services.void_measure_value, record="value", output=MeasureValueSerializer
    )

    def rows(self, *, voided: bool):
        base = measures_visible_to(self.request.user, include_voided=voided).select_related("voided_by")
        return base.prefetch_related(prefetch("values", MeasureValue, voided=voided))
