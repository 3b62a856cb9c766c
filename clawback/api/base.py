"""What the clawback records API modules share: the permission of writes, reading an input, voiding, and the
`show_voided` switch of lists.

Writes are POSTs; they need clawback.manage, like the records' edit pages. A record the caller cannot see is a
404, and a covered executive never sees the case about their own pay or their own record (clawback.selectors).
Nothing is deleted: a record made by mistake is voided with a reason (`<record>/void/`), and leaves the lists
unless they are asked for `?show_voided=1`.
"""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability
from compliance_site.audit.voiding import VOID_REASON_MAX, clean_void_reason
from compliance_site.company.selectors import current_company
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone

MAX_ID = 2**31 - 1


def path_id(name: str = "id") -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH)


def today():
    return in_zone(timezone.now(), EXCHANGE_TZ).date()


def company():
    found = current_company()
    if found is None:
        raise exceptions.ValidationError({"non_field_errors": ["No company profile yet."]})
    return found


def valid(serializer_class, request, data=None):
    serializer = serializer_class(data=request.data if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ManageView(APIView):
    """A write: clawback.manage. A method the view does not serve (GET, DELETE...) is a 405 for holders."""

    permission_classes = [HasCapability]
    capability = "clawback.manage"


class VisibleChoicesMixin:
    """Related-record fields offer only the records the caller may see. `visible_querysets` names each field,
    a nested one as "list_field.field" (e.g. "components.measure")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, queryset in self.visible_querysets(user).items():
            fields = self.fields
            *parents, leaf = name.split(".")
            for parent in parents:
                nested = fields[parent]
                fields = getattr(nested, "child", nested).fields
            field = fields[leaf]
            (field.child_relation if hasattr(field, "child_relation") else field).queryset = queryset

    def visible_querysets(self, user) -> dict:
        return {}


class RetiredFieldsMixin:
    """Refuses a field the API no longer takes, saying where it went, rather than dropping it silently."""

    retired_fields: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            retired = {name: [message] for name, message in self.retired_fields.items() if name in data}
            if retired:
                raise serializers.ValidationError(retired)
        return super().to_internal_value(data)


# --- Voiding ---------------------------------------------------------------------------------------------


class VoidInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=VOID_REASON_MAX,
        allow_blank=True,
        help_text="Why the record is voided; kept in its history and on the audit trail.",
    )


def void(request, service, output_serializer, **record):
    """Void one record through its service with the reason posted; 200 with the voided record. An empty
    reason, or a refusal of the service (something live still rests on the record), is a 400."""
    reason = valid(VoidInputSerializer, request)["reason"]
    reason = clean_void_reason(reason)  # a field error on `reason` before the service's own checks
    voided = service(actor=request.user, reason=reason, now=timezone.now(), **record)
    return Response(output_serializer(voided).data)


# --- show_voided -----------------------------------------------------------------------------------------


class ShowVoidedQuerySerializer(serializers.Serializer):
    show_voided = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Include voided records (each with voided_at, voided_by and void_reason).",
    )


def show_voided(request) -> bool:
    query = ShowVoidedQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["show_voided"]


def rows(model, *, voided: bool, select=()) -> QuerySet:
    """A voidable model's rows for a nested list: live ones, or every one."""
    manager = model.all_objects if voided else model.objects
    return manager.select_related("voided_by", *select)


def prefetch(lookup: str, model, *, voided: bool, select=()) -> Prefetch:
    return Prefetch(lookup, queryset=rows(model, voided=voided, select=select))
