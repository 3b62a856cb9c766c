"""A register over the API: declarative reads, explicit writes (docs/architecture.md, "API").

    class NoteViewSet(RegisterViewSet):
        '''Notes; the authors see their own.'''

        register = NOTES                       # Register(visible_to=..., search=..., ordering=...)
        serializer_class = NoteSerializer      # explicit fields, all read-only
        filterset = list_filters("NoteFilterSerializer", state=NOTE_STATES)   # `q` and `state`; bad: 400
        capabilities = {**reads("notes.view"), "create": "notes.write", "close": ("notes.write", "notes.own")}

        create = Write(NoteInputSerializer, services.add_note, now=True)            # POST notes/      201
        close = Write(CloseInputSerializer, services.close_note, record="note")     # POST notes/{id}/close/
        void = Void(services.void_note, record="note")                              # POST notes/{id}/void/

`list` and `retrieve` read through the register's selector, so a record the caller may not see is a 404;
`capabilities` holds one capability per action, or a tuple of which any will do. Each `Write` is one action:
its own input serializer (None for a bare step), one service, and the record in the viewset's serializer as
the answer (201 for a new record, 200 for a change). A Write's URL is its name with hyphens (`record_held` →
`record-held/`), its URL name `<basename>-<name with hyphens>`. An update taking "the fields given" has
`partial_input(...)` as its input serializer.

A register whose writes have URLs of their own (`notes/create/`, `notes/{id}/parts/{part_id}/void/`) names
them with `path` and `url_name`; a write on a record listed under the viewset's (`under`) finds it by the id
in its path. `RegisterWrites` is the same without `list` and `retrieve`, for writes whose reads are served
elsewhere. `write_capability` gives every write not in `capabilities` one capability, and
`hide_write_routes` makes a method a write's route does not serve a 403 for a caller who may not make the
write (a 405 only for one who may), as a plain APIView checks.
"""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from compliance_site.accounts.mfa import api_step_needs_fresh_second_factor, check_api_request
from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.roles import CAPABILITIES
from compliance_site.audit.voiding import VOID_REASON_MAX, clean_void_reason

from .register import Register, ServiceCall

READ_ACTIONS = ("list", "retrieve")
_PATH_ID = re.compile(r"\{(\w+)\}")


def reads(capability: str | tuple[str, ...]) -> dict:
    """The capability of the read actions (list, retrieve, OPTIONS) in a `capabilities` table."""
    return {"list": capability, "retrieve": capability, "metadata": capability}


def _holds(user, required) -> bool:
    required = (required,) if isinstance(required, str) else required
    return any(has_capability(user, capability) for capability in required)


class HasAnyCapability(permissions.BasePermission):
    """The view declares `capabilities = {action: "cap" or ("cap", "other cap")}`: the user needs one of
    them. A method the view does not offer has no action; it passes here so DRF answers 405 (unless the
    view hides its write routes: see the module)."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        current = getattr(view, "action", None)
        if getattr(view, "hide_write_routes", False) and current in (None, "metadata"):
            served = set(getattr(view, "action_map", {}).values()) - {"metadata"}
            if served and not served & set(READ_ACTIONS):
                return any(_holds(request.user, view.capabilities[name]) for name in served)
        if current is None:
            return True
        if not _holds(request.user, view.capabilities[current]):
            return False
        # A vote, a decision or a recovery entry also needs a fresh second factor (the view names its steps
        # in `fresh_second_factor_actions`); the refusal says how to give one.
        if api_step_needs_fresh_second_factor(view, request):
            check_api_request(request)
        return True


class Write:
    """One state change of a register's records: `input` (a serializer class, or None), one `service`.

    record:  the service's keyword for the record; the action is then on one record (`{id}/<name>/`, 200),
             else on the collection (`create`, or `<name>/`, 201).
    now:     the service takes `now=`.
    data_as: the service takes the input as one dict under this keyword.
    guard:   `guard(user, record) -> str | None`: a refusal (403, with that message) the capability table
             cannot express, checked after the input is valid and before the service runs.
    result:  `result(returned) -> record`, when the service returns more than the record.
    answer_record: answer with the record the action is on (read again with `refetch`), whatever the
             service returns.
    output:  the answer's serializer class, when it is not the viewset's (a part's record, say).
    path, url_name: the action's URL below the collection or the record, and its URL name after the
             basename; both default to the name with hyphens. A `{part_id}` in the path is the id of a
             record among `under(record)` (a 404 when not there): that record is the one passed.
    created: a record action that adds a record (201).
    operation_id: the schema's name of the operation, when the generated one will not do.
    """

    def __init__(
        self,
        input: type[serializers.Serializer] | None,
        service: Callable,
        *,
        record: str | None = None,
        now: bool = False,
        data_as: str | None = None,
        guard: Callable | None = None,
        result: Callable | None = None,
        answer_record: bool = False,
        output: type[serializers.Serializer] | None = None,
        path: str | None = None,
        url_name: str | None = None,
        under: Callable | None = None,
        created: bool = False,
        operation_id: str | None = None,
    ):
        self.input = input
        self.call = ServiceCall(service, record=record, now=now, data_as=data_as)
        self.detail = record is not None
        self.created = created or not self.detail
        self.status = status.HTTP_201_CREATED if self.created else status.HTTP_200_OK
        self.guard = guard
        self.result = result
        self.answer_record = answer_record
        self.output = output
        self.path = path
        self.url_name = url_name
        self.under = under
        self.part_ids = _PATH_ID.findall(path or "")
        if (under is None) != (not self.part_ids):
            raise TypeError("a Write's `under` goes with one `{id}` in its path")
        self.operation_id = operation_id

    def __set_name__(self, owner, name):
        if name != "create" and any(name in vars(base) for base in owner.__mro__[1:]):
            raise TypeError(f"{owner.__name__}.{name}: a Write would hide the viewset's own {name!r}")
        setattr(owner, name, self.handler(owner, name))

    def handler(self, owner, name):
        """The viewset method: `create`, or an extra action named `name`, documented for the schema."""
        write = self

        def handler(viewset, request, *args, **kwargs):
            return viewset.perform_write(write, request)

        handler.__name__ = name
        handler.__qualname__ = f"{owner.__qualname__}.{name}"
        handler.write = self
        hyphenated = name.replace("_", "-")
        if name != "create":
            url_path = _PATH_ID.sub(r"(?P<\1>[^/.]+)", self.path or hyphenated)
            url_name = self.url_name or hyphenated
            handler = action(detail=self.detail, methods=["post"], url_path=url_path, url_name=url_name)(
                handler
            )
        output = self.output or owner.serializer_class
        responses = {self.status: output} if self.created else output
        ids = [
            OpenApiParameter(part_id, OpenApiTypes.INT, OpenApiParameter.PATH) for part_id in self.part_ids
        ]
        schema = {"operation_id": self.operation_id} if self.operation_id else {}
        return extend_schema(request=self.input, responses=responses, parameters=ids or None, **schema)(
            handler
        )

    def in_request_terms(self, exc: DjangoValidationError) -> DjangoValidationError:
        """The service's refusal with its fields named as the request names them: a serializer field read
        into another keyword (`source=`) gets its errors back under its own name."""
        if self.input is None or not hasattr(exc, "error_dict"):
            return exc
        # The declared fields, not an instance's: building one may need the request (VisibleChoicesMixin).
        declared = getattr(self.input, "_declared_fields", {})
        sent_as = {f.source: name for name, f in declared.items() if f.source not in (None, name)}
        if not sent_as.keys() & exc.error_dict.keys():
            return exc
        return DjangoValidationError({sent_as.get(k, k): v for k, v in exc.error_dict.items()})

    def read(self, request) -> dict:
        """The validated input (a 400 naming each bad field), {} for a step that takes none."""
        if self.input is None:
            return {}
        serializer = self.input(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class VoidInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=VOID_REASON_MAX,
        allow_blank=True,
        help_text="Why the record is voided; kept in its history and on the audit trail.",
    )


class Void(Write):
    """Voiding a record made by mistake, with a reason (compliance_site.audit.voiding): the service takes
    `actor`, the record, `reason` and `now`. An empty reason is a field error before the service runs."""

    def __init__(self, service: Callable, *, record: str, **options):
        super().__init__(VoidInputSerializer, service, record=record, now=True, **options)

    def read(self, request) -> dict:
        data = super().read(request)
        data["reason"] = clean_void_reason(data["reason"])  # a ValidationError on `reason`: the API's 400
        return data


class RegisterWrites(viewsets.GenericViewSet):
    """A register's writes as declared (see the module), without its list and detail."""

    permission_classes = [HasAnyCapability]
    capabilities: dict = {}
    write_capability: str | tuple[str, ...] | None = None  # of each write `capabilities` does not name
    hide_write_routes = False  # a method a write's route does not serve: 403 without its capability
    refetch = False  # answer a write with the record read again through get_queryset (its annotations)
    writes: dict = {}  # {action name: Write}, filled from the declaration

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = {name: getattr(getattr(cls, name, None), "write", None) for name in dir(cls)}
        cls.writes = {name: write for name, write in declared.items() if isinstance(write, Write)}
        if cls.write_capability is not None:
            cls.capabilities = {name: cls.write_capability for name in cls.writes} | cls.capabilities
        for required in cls.capabilities.values():
            for capability in (required,) if isinstance(required, str) else required:
                CAPABILITIES[capability]  # fail at import time for a misspelt capability

    def write_record(self, write: Write):
        """The record a write is on: the viewset's, or the one of its path's id under it; None for a write on
        the collection. Override to refuse a record the capability table cannot."""
        if not write.detail:
            return None
        record = self.get_object()
        if write.under is None:
            return record
        return get_object_or_404(write.under(record), pk=self.kwargs[write.part_ids[0]])

    def perform_write(self, write: Write, request):
        record = self.write_record(write)
        data = write.read(request)
        refusal = write.guard(request.user, record) if write.guard is not None else None
        if refusal:
            self.permission_denied(request, message=refusal)
        try:
            returned = write.call(actor=request.user, record=record, data=data)
        except DjangoValidationError as exc:
            raise write.in_request_terms(exc) from None
        if write.answer_record:
            returned = record
        elif write.result:
            returned = write.result(returned)
        return self.record_response(returned, write.status, output=write.output)

    def record_response(self, record, code=status.HTTP_200_OK, *, output=None):
        if output is not None:
            return Response(output(record, context=self.get_serializer_context()).data, status=code)
        if self.refetch:
            record = self.read_again(record)
        return Response(self.get_serializer(record).data, status=code)

    def read_again(self, record):
        """The record as the viewset reads it (`refetch`)."""
        return self.get_queryset().filter(pk=record.pk).first() or record


class RegisterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegisterWrites):
    """list and retrieve through the register's selector; the writes as declared (see the module)."""

    register: Register
    filterset: type[serializers.Serializer] | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "filterset" in cls.__dict__ and cls.filterset is not None:
            extend_schema_view(list=extend_schema(parameters=[cls.filterset]))(cls)

    def visible(self):
        """The records the caller may see (override to prefetch what the serializer reads)."""
        return self.register.visible_to(self.request.user)

    def search_params(self, params: dict) -> dict:
        """The validated filters as the register's search function takes them (override to add some)."""
        return params

    def get_queryset(self):
        queryset = self.visible()
        if self.action != "list":
            return queryset
        params = {}
        if self.filterset is not None:
            filters = self.filterset(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            params = dict(filters.validated_data)
        ordering = params.pop("ordering", None)  # a filterset's `ordering` field: the order asked for
        queryset = self.register.listed(queryset, **self.search_params(params))
        return queryset.order_by(ordering, "id") if ordering else queryset


def partial_input(serializer_class, name: str, doc: str):
    """The input serializer of an update taking "the fields given": `serializer_class`'s fields, each
    optional and without its default (an absent field is left as it is, not reset)."""
    fields = {}
    for field_name, field in serializer_class._declared_fields.items():
        kwargs = {k: v for k, v in field._kwargs.items() if k != "default"}
        fields[field_name] = type(field)(*field._args, **{**kwargs, "required": False})
    return type(
        name, (serializers.Serializer,), {**fields, "__doc__": doc, "__module__": serializer_class.__module__}
    )


def list_filters(name: str, *, q_max_length: int = 200, help: dict | None = None, **choices):
    """A list's query parameters: `q`, a search text, and one optional choice per keyword (`state=[...]`).
    A value outside the choices is a 400. `help` gives a parameter its description."""
    help = help or {}

    def described(field_name: str) -> dict:
        return {"help_text": help[field_name]} if field_name in help else {}

    fields = {
        "q": serializers.CharField(
            max_length=q_max_length, allow_blank=True, required=False, **described("q")
        )
    }
    for field_name, values in choices.items():
        fields[field_name] = serializers.ChoiceField(
            choices=values, allow_blank=True, required=False, **described(field_name)
        )
    return type(name, (serializers.Serializer,), fields)
