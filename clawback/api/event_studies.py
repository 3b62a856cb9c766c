"""Event studies behind a stock price or TSR estimate over the API (docs/clawback-rules §1.7a). Reads need
clawback.view, writes clawback.manage; a case the caller cannot see (a covered executive's own) is a 404 with
its studies and their results; a member recused from it reads them but is refused every write (403).

    price-sets/                       GET the company's sets; POST multipart file, source, name,
                                      accept_warnings, dry_run (200 the dry run's report, 201 the set)
    price-sets/{id}/                  GET (?points=1: with its daily closes)
    price-sets/{id}/void/             POST {"reason": ...}: refused while a live study reads the prices
    restatements/{id}/event-studies/  GET the case's studies and proposed events (?price_set=); POST run one
    event-studies/{id}/               GET the full result and each award's; data.csv: every input and output
    event-studies/{id}/awards/        POST: carry it to an award's measure
    event-studies/{id}/void/          POST {"reason": ...}: refused while an estimate adopted from it stands
    event-study-results/{id}/answer/  POST: adopted (records the estimate), adjusted or rejected
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from compliance_site.accounts.permissions import HasCapability
from compliance_site.api.errors import error_payload
from compliance_site.api.fields import AmountField
from compliance_site.api.inputs import validated
from compliance_site.api.lean import LeanModelSerializer
from compliance_site.api.schema import ErrorSerializer
from compliance_site.audit.voiding import clean_void_reason
from compliance_site.company.selectors import current_company
from compliance_site.documents.models import GeneratedDocument
from compliance_site.registers.api import VoidInputSerializer

from .. import event_study as engine
from ..documents.event_study import event_study_csv
from ..forms.event_studies import MAX_PRICE_FILE
from ..models import EventStudy, EventStudyAward, PricePoint, PriceSet
from ..selectors import awards_visible_to, restatements_visible_to
from ..services import event_studies as services
from .base import MAX_ID, RefusalsSayWhy, ShowVoidedQuerySerializer, company, rows
from .serializers import VoidableSerializer, _username

_ID = {"min_value": 1, "max_value": MAX_ID}
_TEXT = 2000
Kind, Outcome = EventStudyAward.MeasureKind, EventStudyAward.Outcome

# --- Output ----------------------------------------------------------------------------------------------


class PricePointSerializer(LeanModelSerializer):
    class Meta:
        model = PricePoint
        fields = read_only_fields = ["day", "company", "market", "peer"]


class PriceSetSerializer(VoidableSerializer):
    """A price set as imported: its file's SHA-256, the header of each column, its days and the warnings the
    importer accepted; its daily closes only in its own read with `?points=1`."""

    imported_by = _username()
    points = PricePointSerializer(many=True, required=False, source="point_rows", help_text="With ?points=1.")

    class Meta:
        model = PriceSet
        fields = (
            "id company name source file_name file_sha256 columns first_day last_day row_count has_peer "
            "warnings imported_by imported_at points"
        ).split()


class PriceIssueSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(["error", "warning"], help_text="An error refuses the import.")
    line = serializers.IntegerField(allow_null=True, help_text="The file's line (row), when there is one.")
    day = serializers.DateField(allow_null=True)
    code = serializers.CharField(help_text="e.g. not_trading_day, missing_days, suspected_split.")
    message = serializers.CharField()


class PriceCheckSerializer(serializers.Serializer):
    """The dry run of a price file: what would be imported, and every problem found; nothing is saved."""

    file_name = serializers.CharField()
    file_sha256 = serializers.CharField()
    rows = serializers.IntegerField(help_text="The price rows that would be imported.")
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)
    columns = serializers.DictField(child=serializers.CharField(), help_text="The file's header per role.")
    has_peer = serializers.BooleanField()
    issues = PriceIssueSerializer(many=True)
    ok = serializers.BooleanField(help_text="Rows and no errors: importable (warnings must be accepted).")


def _check_answer(file_name: str, content: bytes, report) -> dict:
    has_peer = any(peer is not None for *_, peer in report.rows)
    return {
        "file_name": file_name, "file_sha256": hashlib.sha256(content).hexdigest(), "rows": len(report.rows),
        "first_day": report.first_day, "last_day": report.last_day, "columns": report.columns,
        "has_peer": has_peer, "issues": report.issues, "ok": report.ok,
    }  # fmt: skip


class StudyLinksSerializer(serializers.Serializer):
    data_csv = serializers.CharField(help_text="GET: every input and output of the study, as CSV.")
    report = serializers.CharField(help_text="POST here with `kind` and `record_id`: the PDF report.")
    report_kind = serializers.CharField()
    reports = serializers.CharField(help_text="GET: the report's versions generated so far.")
    page = serializers.CharField(help_text="The study's page.")


STUDY_FIELDS = (
    "id restatement price_set price_set_name parameters event_labels result_sha256 engine_version run_by "
    "run_at links"
).split()


class EventStudySummarySerializer(VoidableSerializer):
    """A study as listed: its parameters and what it read (its result is in the study's own read)."""

    price_set_name = serializers.CharField(source="price_set.name", read_only=True)
    run_by = _username()
    links = serializers.SerializerMethodField()

    class Meta:
        model = EventStudy
        fields = STUDY_FIELDS

    @extend_schema_field(StudyLinksSerializer)
    def get_links(self, study) -> dict:
        kind, documents = GeneratedDocument.Kind.EVENT_STUDY.value, reverse("documents-api:document-list")
        return {
            "data_csv": reverse("clawback-api:event-study-data", args=[study.pk]),
            "report": documents,
            "report_kind": kind,
            "reports": f"{documents}?kind={kind}&record_type=event_study&record_id={study.pk}",
            "page": reverse("clawback:event-study-detail", args=[study.pk]),
        }


class EventStudyResultSerializer(VoidableSerializer):
    """A study carried to one award: the figures (actual and but-for measure, the payout on each), the value
    it proposes and the committee's answer; `estimate` is the reasonable estimate adopting it recorded."""

    award_key = serializers.CharField(source="award.key", read_only=True)
    executive = serializers.CharField(source="award.executive.name", read_only=True)
    decided_by = _username()
    recorded_by = _username()

    class Meta:
        model = EventStudyAward
        fields = (
            "id study award award_key executive measure_kind averaging_days peer_tsrs figures proposed_value "
            "outcome adopted_value reason decided_by decided_at estimate recorded_by recorded_at"
        ).split()


class EventStudySerializer(EventStudySummarySerializer):
    """A study as run, frozen: parameters, the full result (regression, event windows day by day, inflation
    and the but-for series) with its SHA-256, and each award it was carried to."""

    awards = EventStudyResultSerializer(many=True, read_only=True, source="award_results")

    class Meta:
        model = EventStudy
        fields = [*STUDY_FIELDS, "result", "awards"]


class ProposedEventSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The event moved to the first trading day on or after it.")
    label = serializers.CharField()


class CaseStudiesSerializer(serializers.Serializer):
    """A page of the case's studies, and the events a new study would take from the case."""

    count = serializers.IntegerField()
    count_exact = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EventStudySummarySerializer(many=True)
    restatement = serializers.IntegerField()
    price_set = serializers.IntegerField(allow_null=True, help_text="The price set the events are within.")
    proposed_events = ProposedEventSerializer(many=True)


# --- Input -----------------------------------------------------------------------------------------------


class PriceImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX: Date, Company close, Market index[, Peer index].")
    source = serializers.CharField(
        max_length=_TEXT, allow_blank=True, default="", help_text="Vendor, ticker, indexes, extract date."
    )
    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    accept_warnings = serializers.BooleanField(default=False, help_text="The warnings are accepted.")
    dry_run = serializers.BooleanField(default=False, help_text="Check the file only; save nothing.")

    def validate_file(self, upload):
        if upload.size > MAX_PRICE_FILE:
            raise serializers.ValidationError("The file is larger than 5 MB.")
        return upload


class PriceSetQuerySerializer(serializers.Serializer):
    points = serializers.BooleanField(default=False, help_text="Include the daily closes.")


class CaseStudiesQuerySerializer(ShowVoidedQuerySerializer):
    price_set = serializers.IntegerField(required=False, **_ID, help_text="Events within its days.")


class StudyInputSerializer(serializers.Serializer):
    price_set = serializers.IntegerField(**_ID)
    event_dates = serializers.ListField(child=serializers.DateField(), min_length=1, max_length=50)
    event_labels = serializers.DictField(child=serializers.CharField(max_length=200), default=dict)
    estimation_days = serializers.IntegerField(default=250, min_value=1, max_value=5000)
    gap_days = serializers.IntegerField(default=10, min_value=0, max_value=1000)
    window = serializers.ListField(
        child=serializers.IntegerField(min_value=-100, max_value=100), min_length=2, max_length=2,
        default=[0, 1], help_text="The event window's first and last trading day, from each event date.",
    )  # fmt: skip
    model = serializers.ChoiceField(engine.MODELS, default="market")
    significance = serializers.FloatField(default=0.05)
    inflation_method = serializers.ChoiceField(engine.INFLATION_METHODS, default="constant_dollar")
    counted = serializers.ChoiceField(engine.COUNTED, default="significant")
    inflation_start = serializers.DateField(allow_null=True, default=None)

    def validate(self, data):
        stray = sorted(set(data["event_labels"]) - {d.isoformat() for d in data["event_dates"]})
        if stray:
            raise serializers.ValidationError({"event_labels": [f"{stray[0]} is not an event date."]})
        return data


def _pair(item) -> bool:
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
        return False
    value = item[1]
    return isinstance(value, str | int | float) and not isinstance(value, bool) and "," not in str(value)


_PAIRS = {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}


@extend_schema_field({"oneOf": [{"type": "string"}, _PAIRS]})
class PeerTsrsField(serializers.Field):
    """The peer group's TSRs in percent, [["Peer", "12.5"], ...], or typed one peer a line: "Peer, 12.5"."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) <= 1000 and all(_pair(item) for item in data):
            data = "\n".join(f"{' '.join(name.split())}, {str(value).strip()}" for name, value in data)
        if not isinstance(data, str):
            raise serializers.ValidationError("Give [[name, TSR in percent], ...], or the same as text.")
        try:
            return services.parse_peer_tsrs(data[:100_000])
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict.get("peer_tsrs", exc.messages)) from None

    def to_representation(self, value):
        return value


class StudyApplyInputSerializer(serializers.Serializer):
    award = serializers.IntegerField(**_ID)
    measure_kind = serializers.ChoiceField(Kind.choices)
    averaging_days = serializers.IntegerField(default=1, min_value=1, max_value=60)
    peer_tsrs = PeerTsrsField(default=list, help_text="For a percentile measure.")


class StudyAnswerInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField([Outcome.ADOPTED, Outcome.ADJUSTED, Outcome.REJECTED])
    value = AmountField(max_digits=24, decimal_places=6, allow_null=True, default=None)
    reason = serializers.CharField(max_length=_TEXT, allow_blank=True, default="")
    provided_to_exchange_on = serializers.DateField(allow_null=True, default=None)


# --- Views -----------------------------------------------------------------------------------------------


def _found(queryset, pk: int):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _visible_studies(user):
    return EventStudy.all_objects.filter(restatement__in=restatements_visible_to(user).values("pk"))


def _results():
    return EventStudyAward.objects.select_related(
        "award__executive", "decided_by", "recorded_by", "voided_by"
    )


def _study(user, pk: int) -> EventStudy:
    studies = _visible_studies(user).select_related("price_set", "run_by", "voided_by")
    return _found(studies.prefetch_related(Prefetch("award_results", queryset=_results())), pk)


def _schema(operation: str, responses, *, request=None, query=None):
    more = {"request": request} if request else {}
    parameters = [query] if query else None
    return extend_schema(
        operation_id=f"clawback_{operation}", responses=responses, parameters=parameters, **more
    )


class _View(RefusalsSayWhy, GenericAPIView):
    permission_classes = [HasCapability]
    capabilities = {"read": "clawback.view", "write": "clawback.manage"}


_IMPORTED = {
    200: OpenApiResponse(PriceCheckSerializer, description="The dry run's report; nothing saved."),
    201: PriceSetSerializer,
    400: OpenApiResponse(ErrorSerializer, description="Each refusal, and the file's `issues`."),
}


class PriceSetsView(_View):
    """The company's price sets; importing one, after a dry run."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = PriceImportInputSerializer  # what OPTIONS describes

    @_schema("price_sets_list", PriceSetSerializer(many=True), query=ShowVoidedQuerySerializer)
    def get(self, request):
        voided = validated(ShowVoidedQuerySerializer, request.query_params)["show_voided"]
        sets = rows(PriceSet, voided=voided, select=("imported_by",)).filter(company=current_company())
        return self.get_paginated_response(PriceSetSerializer(self.paginate_queryset(sets), many=True).data)

    @_schema("price_sets_create", _IMPORTED, request=PriceImportInputSerializer)
    def post(self, request):
        data = validated(PriceImportInputSerializer, request.data)
        upload = data["file"]
        content = upload.read()
        report = services.check_prices(file_name=upload.name, data=content)  # unreadable: a 400 on `file`
        if data["dry_run"]:
            return Response(PriceCheckSerializer(_check_answer(upload.name, content, report)).data)
        chosen = {key: data[key] for key in ("name", "source", "accept_warnings")}
        try:
            price_set = services.import_prices(
                actor=request.user, company=company(), file_name=upload.name, data=content, **chosen,
                now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:  # each field's refusal, and every problem of the file with it
            fields = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            message = "; ".join(fields.get("non_field_errors", [])) or "The request has invalid fields."
            fields["issues"] = PriceIssueSerializer(report.issues, many=True).data
            body = error_payload(400, "invalid", message, fields)
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(PriceSetSerializer(price_set).data, status=status.HTTP_201_CREATED)


class PriceSetView(_View):
    """One price set (voided ones too: a study stays re-performable from the prices it read)."""

    @_schema("price_sets_retrieve", PriceSetSerializer, query=PriceSetQuerySerializer)
    def get(self, request, pk):
        points = validated(PriceSetQuerySerializer, request.query_params)["points"]
        sets = PriceSet.all_objects.select_related("imported_by", "voided_by")
        price_set = _found(sets.filter(company=current_company()), pk)
        if points:
            price_set.point_rows = list(price_set.points.order_by("day"))
        return Response(PriceSetSerializer(price_set).data)


class CaseStudiesView(_View):
    """A case's studies, and running a new one on a price set of the case's company."""

    serializer_class = StudyInputSerializer

    @_schema("restatements_event_studies_list", CaseStudiesSerializer, query=CaseStudiesQuerySerializer)
    def get(self, request, pk):
        case = _found(restatements_visible_to(request.user), pk)
        query = validated(CaseStudiesQuerySerializer, request.query_params)
        price_set = None
        if "price_set" in query:
            price_set = PriceSet.all_objects.filter(pk=query["price_set"], company=case.company_id).first()
            if price_set is None:
                raise serializers.ValidationError({"price_set": ["No such price set of the case's company."]})
        studies = rows(EventStudy, voided=query["show_voided"], select=("price_set", "run_by"))
        page = self.paginate_queryset(studies.filter(restatement=case).defer("result"))
        answer = self.get_paginated_response(EventStudySummarySerializer(page, many=True).data)
        events = [{"date": day, "label": label} for day, label in services.proposed_events(case, price_set)]
        more = {
            "restatement": case.pk,
            "price_set": getattr(price_set, "pk", None),
            "proposed_events": events,
        }
        answer.data |= more  # the page of studies, then the case's (CaseStudiesSerializer)
        return answer

    @_schema("restatements_event_studies_create", {201: EventStudySerializer}, request=StudyInputSerializer)
    def post(self, request, pk):
        case = _found(restatements_visible_to(request.user), pk)
        data = dict(validated(StudyInputSerializer, request.data))
        price_set = PriceSet.all_objects.filter(pk=data.pop("price_set")).first()
        if price_set is None:
            raise serializers.ValidationError({"price_set": ["No such price set."]})
        data |= {"window": tuple(data["window"]), "now": timezone.now()}
        study = services.run_event_study(actor=request.user, case=case, price_set=price_set, **data)
        answer = EventStudySerializer(_study(request.user, study.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)


class StudyView(_View):
    @_schema("event_studies_retrieve", EventStudySerializer)
    def get(self, request, pk):
        """The study as run, and each award's result from it."""
        return Response(EventStudySerializer(_study(request.user, pk)).data)


class StudyDataView(_View):
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)  # the CSV, or an error in JSON

    @_schema("event_studies_data_csv", {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    def get(self, request, pk):
        """Every input and output of the study, as CSV: enough to re-perform it."""
        study = _found(_visible_studies(request.user).select_related("restatement", "price_set"), pk)
        response = HttpResponse(event_study_csv(study), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-study-{study.pk}.csv"'
        return response


class StudyApplyView(_View):
    serializer_class = StudyApplyInputSerializer

    @_schema(
        "event_studies_awards_create", {201: EventStudyResultSerializer}, request=StudyApplyInputSerializer
    )
    def post(self, request, pk):
        """Carry the study to an award's measure: the actual and but-for value, and the payout on each."""
        study = _found(_visible_studies(request.user).select_related("restatement", "price_set"), pk)
        data = dict(validated(StudyApplyInputSerializer, request.data))
        award = awards_visible_to(request.user).filter(pk=data["award"]).first()
        if award is None:
            raise serializers.ValidationError({"award": ["No such award."]})
        data |= {"award": award, "now": timezone.now()}
        result = services.apply_to_award(actor=request.user, study=study, **data)
        answer = EventStudyResultSerializer(_results().get(pk=result.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)


class ResultAnswerView(_View):
    serializer_class = StudyAnswerInputSerializer

    @_schema("event_study_results_answer", EventStudyResultSerializer, request=StudyAnswerInputSerializer)
    def post(self, request, pk):
        """The committee's answer: adopting records the case's reasonable estimate from the study."""
        visible = restatements_visible_to(request.user).values("pk")
        results = EventStudyAward.objects.select_related("study__restatement", "study__price_set", "award")
        result = _found(results.filter(study__restatement__in=visible), pk)
        data = validated(StudyAnswerInputSerializer, request.data)
        result = services.answer_result(actor=request.user, result=result, now=timezone.now(), **data)
        return Response(EventStudyResultSerializer(_results().get(pk=result.pk)).data)


def _void_reason(request) -> str:
    return clean_void_reason(validated(VoidInputSerializer, request.data)["reason"])


class PriceSetVoidView(_View):
    serializer_class = VoidInputSerializer

    @_schema("price_sets_void", PriceSetSerializer, request=VoidInputSerializer)
    def post(self, request, pk):
        """Void prices imported by mistake, with a reason: they leave the list and no study can read them."""
        # A set already voided is found, and the service says when and that it stays so.
        price_set = _found(PriceSet.all_objects.filter(company=current_company()), pk)
        reason = _void_reason(request)
        services.void_price_set(actor=request.user, price_set=price_set, reason=reason, now=timezone.now())
        answer = PriceSet.all_objects.select_related("imported_by", "voided_by").get(pk=price_set.pk)
        return Response(PriceSetSerializer(answer).data)


class StudyVoidView(_View):
    serializer_class = VoidInputSerializer

    @_schema("event_studies_void", EventStudySerializer, request=VoidInputSerializer)
    def post(self, request, pk):
        """Void a study run by mistake, with a reason: it leaves the case's list and stays on record."""
        study = _found(_visible_studies(request.user).select_related("restatement"), pk)
        reason = _void_reason(request)
        services.void_study(actor=request.user, study=study, reason=reason, now=timezone.now())
        return Response(EventStudySerializer(_study(request.user, study.pk)).data)


urlpatterns = [
    path("price-sets/", PriceSetsView.as_view(), name="price-set-list"),
    path("price-sets/<int:pk>/", PriceSetView.as_view(), name="price-set-detail"),
    path("price-sets/<int:pk>/void/", PriceSetVoidView.as_view(), name="price-set-void"),
    path("restatements/<int:pk>/event-studies/", CaseStudiesView.as_view(), name="case-event-studies"),
    path("event-studies/<int:pk>/", StudyView.as_view(), name="event-study-detail"),
    path("event-studies/<int:pk>/data.csv", StudyDataView.as_view(), name="event-study-data"),
    path("event-studies/<int:pk>/awards/", StudyApplyView.as_view(), name="event-study-apply"),
    path("event-studies/<int:pk>/void/", StudyVoidView.as_view(), name="event-study-void"),
    path("event-study-results/<int:pk>/answer/", ResultAnswerView.as_view(), name="event-study-answer"),
]
