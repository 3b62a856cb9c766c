"""Pages for generated documents, the branding and the dashboards. Thin: parse, call one service or
selector, render or redirect. Rendering happens in the worker, never here (one PDF path)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from compliance_site.accounts.mfa import fresh_second_factor_required
from compliance_site.accounts.permissions import capability_required
from compliance_site.company.selectors import current_company
from compliance_site.paging import CappedCountPaginator
from compliance_site.panels import DASHBOARDS, DOCUMENTS, panel_context, panels_for

from .forms import BrandingForm, DocumentRequestForm
from .kinds import get_spec
from .models import Branding
from .selectors import (
    document_visible_to,
    documents_visible_to,
    kinds_for,
    listed,
    record_for,
    status_payload,
)
from .services import StoredFileAltered, regenerate_document, request_document, take_copy, update_branding


@login_required
def document_list(request):
    """The documents generated so far, and the request forms of the kinds the user may generate (each
    program's DOCUMENTS panels, compliance_site.panels)."""
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    documents = listed(documents_visible_to(request.user))
    page = CappedCountPaginator(documents, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/document_list.html",
        {
            "page": page,
            "kinds": kinds,
            "kind_codes": {spec.kind for spec in kinds},
            "selected": request.GET.get("record", ""),
            "form": DocumentRequestForm(),
            "has_dashboards": bool(panels_for(DASHBOARDS, request.user)),
            **panel_context(panels_for(DOCUMENTS, request.user), user=request.user, now=timezone.now()),
        },
    )


def _asks_for_final(request) -> bool:
    return DocumentRequestForm.base_fields["final"].to_python(request.POST.get("final"))


@login_required
@require_POST
@fresh_second_factor_required(when=_asks_for_final)
def document_request(request):
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("documents:document-list")
    spec = get_spec(form.cleaned_data["kind"])
    record = record_for(request.user, spec, form.cleaned_data["record_id"])
    try:
        document = request_document(
            actor=request.user,
            kind=spec.kind,
            record=record,
            final=form.cleaned_data["final"],
            period=form.cleaned_data["period"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:document-list")
    messages.success(request, f"{document.reference} queued: {document.title}, version {document.version}.")
    return redirect("documents:document-detail", pk=document.pk)


def _live_context(request, document) -> dict:
    """What the live part of a document's page shows (documents/document_progress.html). The bar reads 100%
    only once the document is done: the worker stops at 99% until the file is stored (services._set_progress),
    so a queued or running document is never shown beside a full bar."""
    versions = documents_visible_to(request.user).filter(
        kind=document.kind,
        content_type=document.content_type,
        record_id=document.record_id,
        period=document.period,
    )
    progress = 100 if document.is_done else min(document.progress, 99)
    return {"document": document, "versions": versions, "progress": progress}


@login_required
def document_detail(request, pk):
    """The document's page; asked by htmx (the page polling itself while the document is queued or running),
    only its live part. One route, so one permission check and one entry in the permission matrix."""
    document = document_visible_to(request.user, pk)
    if request.headers.get("HX-Request") == "true":
        response = render(request, "documents/document_progress.html", _live_context(request, document))
    else:
        response = render(
            request,
            "documents/document_detail.html",
            {"spec": get_spec(document.kind), **_live_context(request, document)},
        )
    # The page and its live part share a URL: a cache must not hand one out for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def document_status(request, pk):
    document = document_visible_to(request.user, pk)
    return JsonResponse(status_payload(document, download_route="documents:document-download"))


@login_required
def document_download(request, pk):
    document = document_visible_to(request.user, pk)
    if not document.is_done:
        return HttpResponse("The document is not ready yet.", status=409, content_type="text/plain")
    try:
        content = take_copy(actor=request.user, document=document)
    except StoredFileAltered as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain")
    response = HttpResponse(content, content_type=document.media_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    return response


@login_required
@require_POST
def document_regenerate(request, pk):
    document = document_visible_to(request.user, pk)
    try:
        new = regenerate_document(actor=request.user, document=document, now=timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:document-detail", pk=document.pk)
    messages.success(request, f"{new.reference} queued: version {new.version} from the same snapshot.")
    return redirect("documents:document-detail", pk=new.pk)


@capability_required("accounts.manage")
def branding(request):
    current = Branding.objects.filter(id=1).first()
    company = current_company()
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                update_branding(
                    actor=request.user,
                    legend_override=form.cleaned_data["legend_override"],
                    logo=form.cleaned_data["logo"],
                    remove_logo=form.cleaned_data["remove_logo"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("logo", message)
            else:
                messages.success(request, "Branding saved. Documents generated from now on use it.")
                return redirect("documents:branding")
    else:
        form = BrandingForm(initial={"legend_override": current.legend_override if current else ""})
    preview = ""
    if current and current.logo:
        with current.logo.open("rb") as handle:
            encoded = base64.b64encode(handle.read()).decode()
        preview = f"data:{current.logo_media_type};base64,{encoded}"
    return render(
        request,
        "documents/branding_form.html",
        {
            "form": form,
            "branding": current,
            "logo_preview": preview,
            "company_legend": company.confidentiality_legend if company else "",
        },
    )


@login_required
def dashboards(request):
    """The programs' DASHBOARDS panels the user may see (compliance_site.panels); none: 403."""
    panels = panels_for(DASHBOARDS, request.user)
    if not panels:
        raise PermissionDenied
    return render(
        request, "dashboards/dashboards.html", panel_context(panels, user=request.user, now=timezone.now())
    )
