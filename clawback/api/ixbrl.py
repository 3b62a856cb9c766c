"""Item 402(w) tagged for EDGAR in Inline XBRL over the API (docs/clawback-rules §1.10, "Tagged for EDGAR").

    GET /api/clawback/disclosure/ixbrl/?year=FY2026[&prepared_on=YYYY-MM-DD][&company=ID]

The Inline XBRL document as text, with every value it tags, what the value says and where it came from; the
export is recorded on the audit trail with the document's SHA-256. The same audience as the Item 402(w)
documents: the clawback export permission and sight of every case of the company (403, code
`walled_from_case`, otherwise); 409 when the disclosure cannot be tagged as recorded (no SEC CIK).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.schema import ErrorSerializer

from .. import disclosure_ixbrl
from ..services import determinations as workflow
from ..services import disclosure as disclosure_service
from ..services import disclosure_ixbrl as ixbrl_service
from .workflow import DisclosureQuerySerializer, requested_fiscal_year


class NotTaggable(exceptions.APIException):
    """The disclosure cannot be tagged as recorded (for example, no SEC CIK in the company profile)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The disclosure cannot be tagged as recorded."
    default_code = "not_taggable"


class _MemberSerializer(serializers.Serializer):
    member = serializers.CharField(source="qname", help_text="The company's member of ecd:IndividualAxis.")
    label = serializers.CharField()


class _FactSerializer(serializers.Serializer):
    id = serializers.CharField()
    element = serializers.CharField(help_text="The tagged element, e.g. ecd:AggtErrCompAmt.")
    label = serializers.CharField(help_text="What the element says, in words.")
    rule = serializers.CharField(help_text="The provision asking for it, e.g. Item 402(w)(1)(i)(B).")
    context = serializers.CharField()
    restatement = serializers.CharField(allow_blank=True)
    restatement_date = serializers.DateField(
        allow_null=True, help_text="Its member of ecd:RestatementDateAxis."
    )
    individual = serializers.CharField(allow_blank=True)
    value = serializers.CharField(
        help_text="What an XBRL processor reads: 445000.00, 2026-05-01, true, text."
    )
    shown = serializers.CharField(help_text="What the document prints.")
    unit = serializers.CharField(allow_blank=True)
    decimals = serializers.CharField(allow_blank=True)
    source = serializers.CharField(help_text="Where the value came from in the record.")


class TaggedDisclosureSerializer(serializers.Serializer):
    """The Inline XBRL document of one fiscal year's Item 402(w) disclosure and what it tags."""

    fiscal_year = serializers.CharField()
    fiscal_year_start = serializers.DateField()
    fiscal_year_end = serializers.DateField()
    prepared_on = serializers.DateField()
    taxonomy_year = serializers.SerializerMethodField()
    extension_prefix = serializers.CharField()
    extension_namespace = serializers.CharField()
    filename = serializers.CharField()
    media_type = serializers.SerializerMethodField()
    sha256 = serializers.SerializerMethodField()
    members = _MemberSerializer(many=True)
    facts = _FactSerializer(many=True)
    document = serializers.CharField(source="xhtml", help_text="The Inline XBRL 1.1 document (XHTML, ASCII).")

    def get_taxonomy_year(self, tagged) -> str:
        return disclosure_ixbrl.TAXONOMY_YEAR

    def get_media_type(self, tagged) -> str:
        return ixbrl_service.MEDIA_TYPE

    def get_sha256(self, tagged) -> str:
        return hashlib.sha256(tagged.xhtml.encode("ascii")).hexdigest()


class DisclosureIxbrlView(APIView):
    """Item 402(w) and the Form 10-K cover check boxes tagged in Inline XBRL for one fiscal year."""

    permission_classes = [HasCapability]
    capability = ixbrl_service.CAPABILITY

    @extend_schema(
        operation_id="clawback_disclosure_ixbrl",
        parameters=[DisclosureQuerySerializer],
        responses={
            200: TaggedDisclosureSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The disclosure cannot be tagged as recorded."),
        },
    )
    def get(self, request):
        fiscal_period, params = requested_fiscal_year(request)
        try:
            _, tagged = ixbrl_service.export_ixbrl(
                actor=request.user,
                fiscal_period=fiscal_period,
                prepared_on=params.get("prepared_on") or workflow.exchange_date(timezone.now()),
            )
        except disclosure_service.DisclosureRefused as refusal:
            raise exceptions.PermissionDenied(str(refusal), code=refusal.code) from refusal
        except ValidationError as problem:
            raise NotTaggable(" ".join(problem.messages)) from problem
        return Response(TaggedDisclosureSerializer(tagged).data)
