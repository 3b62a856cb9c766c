from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from compliance_site.attachments.models import Attachment

_RECORD_TYPE = r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$"
_MAX_ID = 2**63 - 1


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata; the file itself comes from the download endpoint."""

    record_type = serializers.SerializerMethodField()
    record_id = serializers.CharField(source="object_id", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "record_type",
            "record_id",
            "kind",
            "description",
            "original_name",
            "media_type",
            "size",
            "sha256",
            "version",
            "supersedes",
            "is_current",
            "uploaded_at",
            "uploaded_by",
        ]
        read_only_fields = fields

    def get_record_type(self, attachment) -> str:
        # get_for_id is served from ContentType's cache: no query per row.
        content_type = ContentType.objects.get_for_id(attachment.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class RecordQuerySerializer(serializers.Serializer):
    """Which record's attachments: `record_type` is `app_label.model`, e.g. `regfd.incident`."""

    record_type = serializers.RegexField(_RECORD_TYPE, max_length=100)
    record_id = serializers.IntegerField(min_value=1, max_value=_MAX_ID)


class AttachmentInputSerializer(RecordQuerySerializer):
    """A file to attach (attachments.services.add_attachment); with `supersedes`, the next version of it."""

    file = serializers.FileField(max_length=255, allow_empty_file=False, use_url=False)
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.EVIDENCE)
    description = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    supersedes = serializers.IntegerField(min_value=1, max_value=_MAX_ID, required=False, allow_null=True)
