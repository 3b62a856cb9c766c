"""The library of the company's public statements over the API, and the statements attached to incidents as
evidence that the information was already public (docs/regfd-rules §2.9).

`GET public-statements/?q=` searches the library as the list page does (PostgreSQL: full-text, ranked, with
a `snippet` of each match; SQLite: every word must appear). `POST public-statements/` adds one from its file
(multipart: `file`, `kind`, `published_at` with its offset, `where_published`, optional `title`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from compliance_site.lib.limits import limit_text_fields
from compliance_site.registers.api import RegisterViewSet, Void, Write, reads
from regfd import selectors_statements as sel
from regfd.models import PublicStatement, StatementEvidence
from regfd.selectors import incidents_visible_to
from regfd.services import public_statements as services

from .common import InstantInputField, name_of

KEEPERS = services.CAPABILITY
VOID_FIELDS = ["voided_at", "voided_by", "void_reason"]


class PublicStatementSerializer(serializers.ModelSerializer):
    """A public statement of the library, without its text (see the statement itself)."""

    added_by_name = name_of("added_by")
    source_file_name = serializers.CharField(source="source_file.original_name", read_only=True, default="")
    source_file_sha256 = serializers.CharField(source="source_file.sha256", read_only=True, default="")
    rank = serializers.SerializerMethodField(
        help_text="How well it matches `q` (PostgreSQL's full-text rank); null without `q`, and on SQLite."
    )
    snippet = serializers.SerializerMethodField(
        help_text="The text around what matched `q`, as HTML: the text escaped, each match in <mark>."
    )

    class Meta:
        model = PublicStatement
        fields = [
            "id",
            "kind",
            "title",
            "published_at",
            "where_published",
            "text_sha256",
            "source_file",
            "source_file_name",
            "source_file_sha256",
            "added_by",
            "added_by_name",
            "added_at",
            *VOID_FIELDS,
            "rank",
            "snippet",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rank(self, statement):
        rank = getattr(statement, "rank", None)
        return float(rank) if rank is not None else None

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_snippet(self, statement) -> str:
        parts = self.context.get("snippets", {}).get(statement.pk)
        return sel.snippet_html(parts) if parts else ""


class PublicStatementDetailSerializer(PublicStatementSerializer):
    """A public statement with its text, as read from its file."""

    class Meta(PublicStatementSerializer.Meta):
        fields = [*PublicStatementSerializer.Meta.fields, "text"]
        read_only_fields = fields


class PublicStatementFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        help_text="Words to find: every one must appear. On PostgreSQL a web-search query (English stemming; "
        '"a phrase", `or`, -word); best matches first.',
    )
    kind = serializers.ChoiceField(choices=PublicStatement.Kind.choices, allow_blank=True, required=False)


class PublicStatementInputSerializer(serializers.Serializer):
    """A statement added to the library from its file (regfd.services.import_public_statement): a PDF, an HTML
    page or a UTF-8 text file, sent as multipart/form-data."""

    file = serializers.FileField(help_text="A .pdf, .html, .htm or .txt file; its text is read and searched.")
    kind = serializers.ChoiceField(choices=PublicStatement.Kind.choices)
    title = serializers.CharField(
        max_length=300, allow_blank=True, required=False, default="", help_text="Blank: the document's title."
    )
    published_at = InstantInputField(help_text="When it became public, with its UTC offset.")
    where_published = serializers.CharField(
        max_length=500, help_text="The URL, or the filing's reference (e.g. its SEC accession number)."
    )


class PublicStatementViewSet(RegisterViewSet):
    """The library of public statements: read by the program's officers, kept by the Corporate Secretary,
    counsel and administrators. A statement added by mistake is voided with a reason (refused while it is
    attached to an incident)."""

    register = sel.STATEMENTS
    serializer_class = PublicStatementDetailSerializer
    filterset = PublicStatementFilterSerializer
    capabilities = {**reads("regfd.view"), "create": KEEPERS, "void": KEEPERS}

    create = Write(PublicStatementInputSerializer, services.import_public_statement, now=True)
    void = Void(services.void_public_statement, record="statement")

    def get_serializer_class(self):
        return PublicStatementSerializer if self.action == "list" else PublicStatementDetailSerializer

    def visible(self):
        if self.action == "list":
            return super().visible()
        # One statement: with its text; a void finds a voided one too (voiding twice is a 400, not a 404).
        return sel.statements_visible_to(self.request.user, include_voided=self.action == "void").defer(None)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "snippets": sel.snippets(rows, request.query_params.get("q", "")),
        }
        data = PublicStatementSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)


# ---- Evidence attached to incidents ---------------------------------------------------------------------


class StatementEvidenceSerializer(serializers.ModelSerializer):
    """A public statement attached to an incident as evidence that the information was already public."""

    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    statement_title = serializers.CharField(source="statement.title", read_only=True)
    statement_published_at = serializers.DateTimeField(source="statement.published_at", read_only=True)
    published_before_disclosure = serializers.SerializerMethodField(
        help_text="The statement was made public at or before the selective disclosure."
    )
    attached_by_name = name_of("attached_by")

    class Meta:
        model = StatementEvidence
        fields = [
            "id",
            "incident",
            "incident_reference",
            "statement",
            "statement_title",
            "statement_published_at",
            "published_before_disclosure",
            "note",
            "attached_by",
            "attached_by_name",
            "attached_at",
            *VOID_FIELDS,
        ]
        read_only_fields = fields

    def get_published_before_disclosure(self, evidence) -> bool:
        return evidence.statement.published_at <= evidence.incident.disclosed_at


class StatementEvidenceFilterSerializer(serializers.Serializer):
    incident = serializers.IntegerField(min_value=1, required=False, help_text="The incident's id.")


@extend_schema_field(OpenApiTypes.INT)
class _VisibleIncidents(serializers.PrimaryKeyRelatedField):
    """An incident the caller may see (regfd.selectors): any other id is "not found", never "not yours"."""

    def get_queryset(self):
        return incidents_visible_to(self.context["request"].user)


class AttachStatementInputSerializer(serializers.Serializer):
    """A statement of the library attached to an incident (regfd.services.attach_public_statement)."""

    incident = _VisibleIncidents()
    statement = serializers.PrimaryKeyRelatedField(queryset=PublicStatement.objects.defer("text"))
    note = serializers.CharField(
        max_length=1000, allow_blank=True, required=False, default="", help_text="What in it matches."
    )


class StatementEvidenceViewSet(RegisterViewSet):
    """Public statements attached to incidents as evidence (`?incident=` for one incident's). Removed only by
    voiding, with the reason; refused while counsel's conclusion cites the statement."""

    register = sel.EVIDENCE
    serializer_class = StatementEvidenceSerializer
    filterset = StatementEvidenceFilterSerializer
    capabilities = {**reads("regfd.view"), "create": KEEPERS, "void": KEEPERS}

    create = Write(AttachStatementInputSerializer, services.attach_public_statement, now=True)
    void = Void(services.void_statement_evidence, record="evidence")

    def visible(self):
        return sel.evidence_visible_to(self.request.user, include_voided=self.action == "void")


# Free texts bounded by the one table of limits (compliance_site/lib/limits.py).
limit_text_fields(__name__)
