"""What the clawback records API modules share: the register viewset they are declared on, the URLs of their
writes, reading an input, and the `show_voided` switch of lists.

Each noun is a compliance_site.registers.api register (docs/architecture.md, "Registers"). Writes are POSTs
to `<noun>/create/`, `<noun>/{id}/update/` and `<record>/void/`; they need clawback.manage, like the records'
edit pages, and a GET on one is a 403 without it (a 405 with it). A record the caller cannot see is a 404,
and a covered executive never sees the case about their own pay or their own record (clawback.selectors).
Nothing is deleted: a record made by mistake is voided with a reason, and leaves the lists unless they are
asked for `?show_voided=1`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied as RefusedByService
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers

from compliance_site.company.selectors import current_company
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone
from compliance_site.registers.api import (
    READ_ACTIONS,
    RegisterViewSet,
    RegisterWrites,
    Void,
    VoidInputSerializer,
    Write,
    reads,
)

__all__ = [
    "MAX_ID",
    "Part",
    "RecordsViewSet",
    "RecordWrites",
    "RetiredFieldsMixin",
    "ShowVoidedQuerySerializer",
    "VisibleChoicesMixin",
    "VoidInputSerializer",
    "company",
    "create_write",
    "of_the_company",
    "path_id",
    "prefetch",
    "rows",
    "show_voided",
    "today",
    "update_write",
    "void_write",
]

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


def of_the_company(service):
    """`service`, called for the company of the profile (a 400 while there is none)."""

    def call(**kwargs):
        return service(company=company(), **kwargs)

    return call


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


# --- The registers ---------------------------------------------------------------------------------------

_SHOW_VOIDED = extend_schema(parameters=[ShowVoidedQuerySerializer])


class RefusalsSayWhy:
    """A service's refusal of the caller (someone walled from a case, a member who may not vote) is a 403
    saying why: the shared error format answers a refusal with the generic 403 text."""

    def handle_exception(self, exc):
        if isinstance(exc, RefusedByService) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)


class RecordWrites(RefusalsSayWhy, RegisterWrites):
    """Writes of clawback records whose reads are served elsewhere: each needs clawback.manage."""

    write_capability = "clawback.manage"
    hide_write_routes = True


class RecordsViewSet(RecordWrites, RegisterViewSet):
    """A clawback register: reads need clawback.view, and show voided records with `?show_voided=1`.

    `register.visible_to(user, include_voided=...)` is the selector writes find their record through; `rows`
    is what list and retrieve show."""

    capabilities = reads("clawback.view")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        extend_schema_view(list=_SHOW_VOIDED, retrieve=_SHOW_VOIDED)(cls)

    def rows(self, *, voided: bool) -> QuerySet:
        """The records list and retrieve show, prefetched so that a page costs the same number of queries
        whatever its length."""
        raise NotImplementedError

    def visible(self):
        if self.action in READ_ACTIONS:
            return self.rows(voided=show_voided(self.request))
        return self.changeable()

    def changeable(self) -> QuerySet:
        """Where a write finds its record: the live records the caller may see; for a void, voided ones too
        (voiding twice is then the service's refusal, a 400, not a 404)."""
        voiding = isinstance(self.writes.get(self.action), Void)
        return self.register.visible_to(self.request.user, include_voided=voiding)

    def read_again(self, record):
        return self.rows(voided=False).get(pk=record.pk)


def create_write(noun: str, input, service, *, operation: str = "create_record", **options) -> Write:
    """`POST <noun>/create/`: a new record (201)."""
    return Write(
        input,
        service,
        path="create",
        url_name="create",
        operation_id=f"clawback_{noun}_{operation}",
        **options,
    )


def update_write(noun: str, input, service, *, record: str) -> Write:
    """`POST <noun>/{id}/update/`: the whole record again, as the form sends it (listed parts merge)."""
    return Write(
        input,
        service,
        record=record,
        now=True,
        path="update",
        url_name="update",
        operation_id=f"clawback_{noun}_update_record",
    )


def void_write(noun: str, service, *, record: str) -> Void:
    """`POST <noun>/{id}/void/` with a reason."""
    return Void(service, record=record, operation_id=f"clawback_{noun}_void")


@dataclass(frozen=True)
class Part:
    """Records listed under a register's record, each at `<noun>/{id}/<path>/{<id_name>}/`: an executive's
    officer periods, a case's events. `parent` is the part's field naming the record."""

    path: str
    id_name: str
    model: type
    parent: str
    select: tuple[str, ...] = ()

    def rows(self, record, *, voided: bool = False) -> QuerySet:
        manager = self.model.all_objects if voided else self.model.objects
        found = manager.filter(**{self.parent: record})
        return found.select_related(*self.select) if self.select else found

    def voided_rows(self, record) -> QuerySet:
        return self.rows(record, voided=True)

    def route(self, noun: str, verb: str) -> dict:
        """A Write's URL `<noun>/{id}/<path>/{<id_name>}/<verb>/`, its name and its operation."""
        return {
            "path": f"{self.path}/{{{self.id_name}}}/{verb}",
            "url_name": f"{self.path.removesuffix('s')}-{verb}",
            "operation_id": f"clawback_{noun}_{self.path.replace('-', '_')}_{verb}",
        }

    def add(self, noun: str, input, service, *, record: str, **options) -> Write:
        """`POST <noun>/{id}/<path>/`: a new part of the record (201)."""
        singular = self.path.removesuffix("s")
        return Write(
            input,
            service,
            record=record,
            path=self.path,
            url_name=f"{singular}-create",
            created=True,
            operation_id=f"clawback_{noun}_{self.path.replace('-', '_')}_create",
            **options,
        )

    def write(self, noun: str, input, service, *, verb: str, record: str, **options) -> Write:
        """A change of one live part."""
        return Write(input, service, record=record, under=self.rows, **self.route(noun, verb), **options)

    def void(self, noun: str, service, *, record: str, output) -> Void:
        """Voiding one part with a reason; a part already voided is found (and refused by the service)."""
        return Void(service, record=record, under=self.voided_rows, output=output, **self.route(noun, "void"))
