"""Generated documents through the API: the same selectors, services and rules as the documents pages
(compliance_site/documents/views.py). Rendering happens in the worker, never here (one PDF path)."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance_site.accounts.mfa import check_api_request
from compliance_site.api.inputs import validated
from compliance_site.api.schema import ErrorSerializer
from compliance_site.documents import services
from compliance_site.documents.kinds import SPECS, get_spec
from compliance_site.documents.registry import MEDIA_TYPES
from compliance_site.documents.selectors import (
    document_visible_to,
    documents_visible_to,
    kinds_for,
    listed,
    record_for,
)
from compliance_site.documents.services import (
    may_request,
    regenerate_document,
    request_document,
    take_copy,
)

from .serializers import (
    DocumentFilterSerializer,
    DocumentKindSerializer,
    DocumentRequestSerializer,
    DocumentSerializer,
    DocumentStatusSerializer,
)

_MAX_ID = 2**63 - 1
_MEDIA_TYPES = sorted(set(MEDIA_TYPES.values()))


class MayHaveDocuments(permissions.BasePermission):
    """Signed in and holding the capabilities of at least one kind of document (selectors.kinds_for), as
    the documents page requires. There is no single capability: each kind names its own (kinds.py,
    clawback.export or regfd.export, plus audit.export for the export bundles), and the services check
    the kind's capabilities and sight of the record on every request. Unauthenticated requests get a 401."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(view, "action", None) is None:
            return True  # a method the viewset does not route: let DRF answer 405
        return bool(kinds_for(request.user))


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"
    default_detail = "The document is not ready yet."


class StoredFileAltered(exceptions.APIException):
    # The server's own store is at fault, not the request: the bytes are never handed out.
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_code = "file_altered"


_ACCEPTED = OpenApiResponse(
    DocumentSerializer, description="Queued; poll the status endpoint (also in the Location header)."
)


@extend_schema_view(
    list=extend_schema(parameters=[DocumentFilterSerializer]),
    create=extend_schema(request=DocumentRequestSerializer, responses={202: _ACCEPTED}),
    regenerate=extend_schema(request=None, responses={202: _ACCEPTED}),
    status=extend_schema(responses=DocumentStatusSerializer),
    kinds=extend_schema(responses=DocumentKindSerializer(many=True)),
    download=extend_schema(
        responses={
            **{
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                for media_type in _MEDIA_TYPES
            },
            409: OpenApiResponse(ErrorSerializer, description="The document is not done yet."),
        },
        parameters=[
            OpenApiParameter(
                "X-Content-SHA256",
                location=OpenApiParameter.HEADER,
                response=[200],
                description="The SHA-256 of the file, as recorded when it was generated.",
            )
        ],
    ),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Generated documents (PDF, XLSX, DOCX) and auditor export bundles (ZIP), one row per version.

    Who sees which: documents.selectors (the kinds the user may generate, about records the user may see;
    a covered executive never sees a document about their own case). Requesting one queues a version and
    enqueues its rendering on commit; a FINAL version needs an approved snapshot (kinds.py)."""

    serializer_class = DocumentSerializer
    permission_classes = [MayHaveDocuments]

    def get_queryset(self):
        documents = documents_visible_to(self.request.user)
        if self.action != "list":
            return documents
        documents = listed(documents)
        params = validated(DocumentFilterSerializer, self.request.query_params)
        if "kind" in params:
            documents = documents.filter(kind=params["kind"])
        if "record_type" in params:
            kinds = [spec.kind for spec in SPECS.values() if spec.record == params["record_type"]]
            documents = documents.filter(kind__in=kinds)
        if "record_id" in params:
            documents = documents.filter(record_id=params["record_id"])
        for field in ("period", "status", "state"):
            if field in params:
                documents = documents.filter(**{field: params[field]})
        return documents

    def get_object(self):
        pk = self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit() and int(pk) <= _MAX_ID):
            raise Http404("No such document")
        return document_visible_to(self.request.user, int(pk))

    def _accepted(self, document) -> Response:
        status_url = reverse("documents-api:document-status", args=[document.pk])
        return Response(
            DocumentSerializer(document).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": status_url},
        )

    def create(self, request):
        data = validated(DocumentRequestSerializer, request.data)
        spec = get_spec(data["kind"])
        # The kind's capabilities before the record: a role that may not have the document learns nothing
        # about which records exist (the service checks both again, with sight of the record).
        if not may_request(request.user, spec):
            raise exceptions.PermissionDenied(f"You may not generate the {spec.label.lower()}.")
        record = record_for(request.user, spec, data.get("record_id"))
        if data["status"] == "final":
            # A FINAL document is signed off for the record: the same fresh second factor as on the page.
            check_api_request(request)
        document = request_document(
            actor=request.user,
            kind=spec.kind,
            record=record,
            final=data["status"] == "final",
            period=data["period"],
            now=timezone.now(),
        )
        return self._accepted(document)

    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        """A new version from the same snapshot (same status): the same text, a new id and version."""
        document = self.get_object()
        return self._accepted(regenerate_document(actor=request.user, document=document, now=timezone.now()))

    @action(detail=True, methods=["get"])
    def status(self, request, pk=None):
        return Response(DocumentStatusSerializer(self.get_object()).data)

    @action(detail=False, methods=["get"], pagination_class=None)
    def kinds(self, request):
        """The kinds of document this user may request, what each is about and its format."""
        return Response(DocumentKindSerializer(kinds_for(request.user), many=True).data)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file, with its SHA-256 in X-Content-SHA256; the download is recorded in the audit trail."""
        document = self.get_object()
        if not document.is_done:
            raise NotReady()
        try:
            content = take_copy(actor=request.user, document=document)
        except services.StoredFileAltered as exc:
            raise StoredFileAltered(str(exc)) from exc
        response = HttpResponse(content, content_type=document.media_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file's own type (Accept: application/pdf) gets the file, not a 406; an
        # error is then answered in JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "download")
