from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability

from .. import services
from ..forms.incidents import CloseNotRequiredForm, IncidentReportForm, PublicDisclosureForm
from ..models import Incident
from ..selectors import incidents_visible_to, search_incidents

SORTS = {"due": "due_at", "-due": "-due_at", "reported": "-reported_at", "reference": "reference"}


@capability_required("regfd.access")
def incident_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "due")
    qs = search_incidents(
        incidents_visible_to(request.user), q=q, status=status if status in Incident.Status.values else ""
    ).order_by(SORTS.get(sort, "due_at"), "id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "regfd/incident_list.html",
        {"page": page, "q": q, "status": status, "sort": sort, "statuses": Incident.Status.choices},
    )


@capability_required("regfd.access")
def incident_detail(request, pk):
    incident = get_object_or_404(incidents_visible_to(request.user), pk=pk)
    can_manage = has_capability(request.user, "regfd.manage")
    return render(
        request,
        "regfd/incident_detail.html",
        {
            "incident": incident,
            "can_manage": can_manage,
            "disclosure_form": PublicDisclosureForm() if can_manage else None,
            "close_form": CloseNotRequiredForm() if can_manage else None,
        },
    )


@capability_required("regfd.report")
def incident_report(request):
    form = IncidentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            incident = services.open_incident(actor=request.user, now=timezone.now(), **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"{incident.reference} logged. Public disclosure is due as shown below."
            )
            return redirect("regfd:incident-detail", pk=incident.pk)
    return render(request, "regfd/incident_form.html", {"form": form})


@capability_required("regfd.manage")
@require_POST
def incident_record_disclosure(request, pk):
    incident = get_object_or_404(incidents_visible_to(request.user), pk=pk)
    form = PublicDisclosureForm(request.POST)
    if form.is_valid():
        try:
            services.record_public_disclosure(
                actor=request.user,
                incident=incident,
                disclosed_at=form.cleaned_data["disclosed_at"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Public disclosure recorded.")
            return redirect("regfd:incident-detail", pk=pk)
    return render(
        request,
        "regfd/incident_detail.html",
        {
            "incident": incident,
            "can_manage": True,
            "disclosure_form": form,
            "close_form": CloseNotRequiredForm(),
        },
        status=400,
    )


@capability_required("regfd.manage")
@require_POST
def incident_close(request, pk):
    incident = get_object_or_404(incidents_visible_to(request.user), pk=pk)
    form = CloseNotRequiredForm(request.POST)
    if form.is_valid():
        try:
            services.close_not_required(
                actor=request.user, incident=incident, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Incident closed: public disclosure not required.")
            return redirect("regfd:incident-detail", pk=pk)
    return render(
        request,
        "regfd/incident_detail.html",
        {
            "incident": incident,
            "can_manage": True,
            "disclosure_form": PublicDisclosureForm(),
            "close_form": form,
        },
        status=400,
    )
