from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render

from compliance_site.accounts.permissions import capability_required
from compliance_site.lib.timefmt import EXCHANGE_TZ
from compliance_site.middleware import refuse
from compliance_site.paging import CappedCountPaginator

from . import exports
from .forms import AuditFilterForm
from .rendering import event_table
from .selectors import describe_events, events_visible_to, filter_events, record_history


def _filtered(request):
    """The filter form and the events it selects; none when the filter is invalid (an export of everything
    is not what an auditor who mistyped a date asked for). The dates are New York dates, as the form says,
    for the page and its exports alike."""
    form = AuditFilterForm(request.GET or None)
    qs = events_visible_to(request.user)
    if form.is_bound:
        qs = filter_events(qs, **form.cleaned_data, zone=EXCHANGE_TZ) if form.is_valid() else qs.none()
    return form, qs


def _filter_problems(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else 'Filter'}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


@capability_required("audit.view")
def event_list(request):
    form, qs = _filtered(request)
    status = 200
    if form.is_bound and not form.is_valid():
        # A 400, the problem said above the list (docs/architecture.md: a bad filter is the client's error).
        messages.error(request, f"The filter is not valid, so nothing is listed. {_filter_problems(form)}")
        status = 400
    page = CappedCountPaginator(qs, 50).get_page(request.GET.get("page"))
    table = event_table(list(page.object_list))
    context = {"form": form, "page": page, "table": table}
    return render(request, "audit/event_list.html", context, status=status)


@capability_required("audit.export")
def event_export(request, fmt):
    if fmt not in {"csv", "jsonl"}:
        raise Http404
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        return refuse(request, 400, f"The filter is not valid. {_filter_problems(form)}")
    events = qs.order_by("seq").iterator(chunk_size=2000)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.iter_csv(events), content_type="text/csv")
    else:
        response = StreamingHttpResponse(exports.iter_jsonl(events), content_type="application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="audit-trail.{fmt}"'
    return response


@capability_required("audit.view")
def record_detail(request, object_type, object_id):
    events = describe_events(list(record_history(request.user, object_type=object_type, object_id=object_id)))
    if not events:
        raise Http404("No history for that record")
    return render(
        request,
        "audit/record_history.html",
        {
            "events": events,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": events[0].object_repr,
        },
    )
