"""Item 402(w) tagged for EDGAR in Inline XBRL (docs/clawback-rules §1.10, "Tagged for EDGAR"): a page
showing every tagged value with where it came from, and the download of the document the filing team
pastes into its Form 10-K or proxy statement. Thin views: parse, call one service, render.

The same audience as the Item 402(w) documents: the clawback export permission, and sight of every case of
the company; someone walled off from a case is refused (403) with the reason, never shown figures that leave
their case out."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance_site.accounts.permissions import capability_required

from .. import disclosure_ixbrl as tagging
from ..services import determinations as workflow
from ..services import disclosure as disclosure_service
from ..services import disclosure_ixbrl as ixbrl_service

PAGE = "clawback/disclosure_ixbrl.html"


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _request(request) -> tuple[dict, object, date]:
    """The page's context so far, the fiscal period asked for (None: no fiscal period recorded) and the
    filing date: `?year=` (the last completed fiscal year by default) and `?prepared_on=` (today in New York
    by default). A year that is not the company's is a 404."""
    company = disclosure_service.default_company()
    years = list(disclosure_service.fiscal_years(company))
    prepared_on = _parse_date(request.GET.get("prepared_on", "")) or workflow.exchange_date(timezone.now())
    label = request.GET.get("year", "").strip()
    if label:
        period = next((fy for fy in years if fy.label == label), None)
        if period is None:
            raise Http404("No such fiscal year.")
    else:
        period = next((fy for fy in years if fy.end < prepared_on), years[0] if years else None)
    context = {"years": years, "year": period.label if period else "", "prepared_on": prepared_on}
    return context, period, prepared_on


@capability_required(ixbrl_service.CAPABILITY)
@require_GET
def disclosure_ixbrl(request):
    """The tagged values of one fiscal year's Item 402(w) disclosure, with where each came from."""
    context, period, prepared_on = _request(request)
    if period is None:
        return render(request, PAGE, context)
    try:
        tagged = ixbrl_service.tagged_disclosure(
            user=request.user, fiscal_period=period, prepared_on=prepared_on
        )
    except disclosure_service.DisclosureRefused as refusal:
        return render(request, PAGE, {"refusal": str(refusal)}, status=403)
    except ValidationError as problem:
        return render(request, PAGE, context | {"problems": problem.messages}, status=409)
    return render(request, PAGE, context | _shown(tagged))


def _shown(tagged: tagging.Tagged) -> dict:
    return {
        "tagged": tagged,
        "sha256": ixbrl_service.sha256_of(tagged),
        "taxonomy_year": tagging.TAXONOMY_YEAR,
        "text_blocks": {f.id for f in tagged.facts if tagging.ELEMENTS[f.element].kind == tagging.BLOCK},
    }


@capability_required(ixbrl_service.CAPABILITY)
@require_GET
def disclosure_ixbrl_download(request):
    """The Inline XBRL document (.htm), its export recorded on the audit trail."""
    context, period, prepared_on = _request(request)
    if period is None:
        raise Http404("Record the company's fiscal periods first.")
    try:
        content, tagged = ixbrl_service.export_ixbrl(
            actor=request.user, fiscal_period=period, prepared_on=prepared_on
        )
    except disclosure_service.DisclosureRefused as refusal:
        return render(request, PAGE, {"refusal": str(refusal)}, status=403)
    except ValidationError as problem:
        return render(request, PAGE, context | {"problems": problem.messages}, status=409)
    response = HttpResponse(content, content_type=ixbrl_service.MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{tagged.filename}"'
    return response
