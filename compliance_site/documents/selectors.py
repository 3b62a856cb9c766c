"""Who sees which generated documents, and the records a user may ask documents about."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from compliance_site.accounts.visibility import visible_queryset

from .kinds import SPECS, KindSpec
from .models import GeneratedDocument
from .services import in_company_wide_audience, may_request


def kinds_for(user) -> list[KindSpec]:
    return [spec for spec in SPECS.values() if may_request(user, spec)]


def documents_visible_to(user) -> QuerySet[GeneratedDocument]:
    """Documents of the kinds the user may generate, about records the user may see: the same rule as for
    the records themselves, so a document never shows a case to someone who may not open the case."""
    kinds = kinds_for(user)
    if not kinds:
        return GeneratedDocument.objects.none()
    query = Q(pk__in=[])
    audiences: dict = {}  # one answer per audience rule (the Item 402(w) kinds share one)
    for spec in kinds:
        if spec.record == "company":
            rule = spec.company_wide_audience
            if rule not in audiences:
                audiences[rule] = in_company_wide_audience(user, spec)
            if audiences[rule]:
                query |= Q(kind=spec.kind)
        else:
            model = spec.model
            visible = visible_queryset(user, model)
            allowed = Q(kind=spec.kind, content_type=ContentType.objects.get_for_model(model))
            if visible.query.where:
                # A wall applies: only documents about the records the user may see. With none (the
                # user sees every record, and records are never deleted), the list of every record's id
                # is left out: PostgreSQL would build it on each page (10,000 incidents: up to 8 ms).
                allowed &= Q(record_id__in=visible.values("pk"))
            query |= allowed
    return GeneratedDocument.objects.filter(query).select_related("requested_by", "content_type")


def listed(documents: QuerySet[GeneratedDocument]) -> QuerySet[GeneratedDocument]:
    """A list of documents, without the snapshot each was rendered from: a list never shows it, and a
    snapshot (every figure of a case) can weigh more than the rest of the row."""
    return documents.defer("snapshot")


def document_visible_to(user, pk) -> GeneratedDocument:
    document = documents_visible_to(user).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document")
    return document


def record_for(user, spec: KindSpec, record_id):
    """The record a document request names, if the user may see it (404 otherwise)."""
    if spec.record == "company":
        from compliance_site.company.selectors import current_company

        company = current_company()
        if company is None:
            raise Http404("No company profile yet")
        return company
    record = (
        visible_queryset(user, spec.model).filter(pk=record_id).first() if str(record_id).isdigit() else None
    )
    if record is None:
        raise Http404("No such record")
    return record


def status_payload(document, *, download_route: str) -> dict:
    """What the progress bar polls, for the page (`documents:…`) and the API (`documents-api:…`) alike."""
    return {
        "id": document.pk,
        "reference": document.reference,
        "state": document.state,
        "state_label": document.get_state_display(),
        "progress": document.progress,
        "error": document.error,
        "sha256": document.sha256,
        "size": document.size,
        "filename": document.filename,
        "download_url": reverse(download_route, args=[document.pk]) if document.is_done else "",
    }
