from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from compliance_site.api.inputs import validated
from compliance_site.attachments.models import Attachment
from compliance_site.attachments.selectors import (
    attachment_visible_to,
    attachments_for,
    may_attach,
    resolve_record,
)
from compliance_site.attachments.services import add_attachment

from .serializers import AttachmentInputSerializer, AttachmentSerializer, RecordQuerySerializer


@extend_schema_view(
    list=extend_schema(parameters=[RecordQuerySerializer]),
    download=extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
        }
    ),
)
class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Files attached to regulated records. Who may see an attachment is who may see its record
    (attachments.selectors); attaching needs the manage capability of the record's program."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request to resolve
            return Attachment.objects.none()
        record = resolve_record(
            self.request.user, **validated(RecordQuerySerializer, self.request.query_params)
        )
        return attachments_for(record)

    def get_object(self):
        pk = self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit()):
            raise Http404("No such attachment")
        return attachment_visible_to(self.request.user, int(pk))

    @extend_schema(request=AttachmentInputSerializer, responses={201: AttachmentSerializer})
    def create(self, request):
        data = validated(AttachmentInputSerializer, request.data)
        record = resolve_record(request.user, record_type=data["record_type"], record_id=data["record_id"])
        if not may_attach(request.user, record):
            raise PermissionDenied
        supersedes = None
        if data.get("supersedes"):
            supersedes = attachments_for(record).filter(pk=data["supersedes"]).first()
            if supersedes is None:
                raise serializers.ValidationError({"supersedes": ["No such attachment on this record."]})
        attachment = add_attachment(
            actor=request.user,
            record=record,
            uploaded=data["file"],
            kind=data["kind"],
            description=data["description"],
            supersedes=supersedes,
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.media_type,
        )
