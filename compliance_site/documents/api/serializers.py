from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance_site.api.lean import LeanModelSerializer
from compliance_site.documents.kinds import RECORD_MODELS, SPECS
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.selectors import status_payload

# What a document is about: a restatement, an incident, or the company (period documents). Named
# GeneratedDocumentRecordTypeEnum in settings.SPECTACULAR_SETTINGS, from the keys of kinds.RECORD_MODELS.
RECORD_TYPES = list(RECORD_MODELS)
_MAX_ID = 2**63 - 1


class DocumentSerializer(LeanModelSerializer):
    """One version of a generated document: what it is about, its state, and the SHA-256 of its file and of
    the snapshot it was rendered from. The file itself comes from the download endpoint."""

    record_type = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "record_type",
            "record_id",
            "period",
            "version",
            "status",
            "state",
            "progress",
            "error",
            "filename",
            "media_type",
            "size",
            "sha256",
            "snapshot_sha256",
            "regenerated_from",
            "requested_by",
            "requested_at",
            "started_at",
            "generated_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=RECORD_TYPES))
    def get_record_type(self, document) -> str:
        return SPECS[document.kind].record

    def get_status_url(self, document) -> str:
        return reverse("documents-api:document-status", args=[document.pk])

    @extend_schema_field(serializers.CharField(help_text="Empty until the document is done."))
    def get_download_url(self, document) -> str:
        return reverse("documents-api:document-download", args=[document.pk]) if document.is_done else ""


class DocumentStatusSerializer(serializers.Serializer):
    """Generation progress, as the document page polls it (documents.views.document_status)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=GeneratedDocument.State.choices)
    state_label = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    error = serializers.CharField(allow_blank=True)
    sha256 = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField()
    filename = serializers.CharField(allow_blank=True)
    download_url = serializers.CharField(allow_blank=True, help_text="Empty until the document is done.")

    def to_representation(self, document):
        return status_payload(document, download_route="documents-api:document-download")


class DocumentKindSerializer(serializers.Serializer):
    """A kind of document the user may request (documents.kinds): what it is about and in which format."""

    kind = serializers.ChoiceField(choices=GeneratedDocument.Kind.choices)
    label = serializers.CharField()
    record_type = serializers.ChoiceField(choices=RECORD_TYPES)
    period = serializers.CharField(
        allow_blank=True,
        help_text='"quarter" (e.g. 2026-Q3), "fiscal_year" (a fiscal period label, e.g. FY2025), or empty '
        "when the document is about one record.",
    )
    output = serializers.CharField(help_text="pdf, xlsx, docx or zip.")
    media_type = serializers.CharField()

    def to_representation(self, spec):
        return {
            "kind": spec.kind,
            "label": spec.label,
            "record_type": spec.record,
            "period": spec.period,
            "output": spec.output,
            "media_type": spec.media_type,
        }


class DocumentFilterSerializer(serializers.Serializer):
    """List filters: the versions of one kind, about one record or period, DRAFT or FINAL, in one state."""

    kind = serializers.ChoiceField(choices=GeneratedDocument.Kind.choices, required=False)
    record_type = serializers.ChoiceField(choices=RECORD_TYPES, required=False)
    record_id = serializers.IntegerField(min_value=1, max_value=_MAX_ID, required=False)
    period = serializers.CharField(max_length=20, required=False)
    status = serializers.ChoiceField(choices=GeneratedDocument.Status.choices, required=False)
    state = serializers.ChoiceField(choices=GeneratedDocument.State.choices, required=False)

    def validate(self, data):
        if "record_id" in data and "record_type" not in data:
            raise serializers.ValidationError(
                {"record_type": ["Give record_type (restatement, incident or company) with record_id."]}
            )
        return data


class DocumentRequestSerializer(serializers.Serializer):
    """A new version of a document (documents.services.request_document), as the request forms of the
    documents page send it: the kind, the record it is about (none for company documents), the period for
    period documents, and DRAFT or FINAL. FINAL needs an approved snapshot; the service says why not."""

    kind = serializers.ChoiceField(choices=GeneratedDocument.Kind.choices)
    record_id = serializers.IntegerField(
        min_value=1,
        max_value=_MAX_ID,
        required=False,
        allow_null=True,
        help_text="The restatement or incident; omitted for company documents (Item 402(w), quarters).",
    )
    period = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="A quarter (2026-Q3) or a fiscal year (FY2025), for the kinds that need one.",
    )
    status = serializers.ChoiceField(choices=GeneratedDocument.Status.choices, default="draft")

    def validate(self, data):
        spec = SPECS[data["kind"]]
        errors = {}
        record_id = data.get("record_id")
        if spec.record == "company" and record_id is not None:
            errors["record_id"] = [f"{spec.label} is about the company: give no record_id."]
        elif spec.record != "company" and record_id is None:
            errors["record_id"] = [f"Choose the {spec.record} the document is about."]
        period = data.get("period", "").strip()
        if spec.period and not period:
            errors["period"] = [
                "Give the period: a quarter such as 2026-Q3, or a fiscal year such as FY2025."
            ]
        elif not spec.period and period:
            errors["period"] = [f"{spec.label} is about one {spec.record} and takes no period."]
        if errors:
            raise serializers.ValidationError(errors)
        return {**data, "period": period}
