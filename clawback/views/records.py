from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from compliance_site.accounts.permissions import capability_required

from ..models import Restatement
from ..selectors import (
    awards_visible_to,
    executives_visible_to,
    is_recused,
    restatement_detail,
    restatements_visible_to,
)


@capability_required("clawback.view")
def restatement_list(request):
    qs = restatements_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(title__icontains=q)
    if status in Restatement.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clawback/restatement_list.html",
        {"page": page, "q": q, "status": status, "statuses": Restatement.Status.choices},
    )


@capability_required("clawback.view")
def restatement_detail_view(request, pk):
    restatement = restatement_detail(request.user, pk)
    return render(
        request,
        "clawback/restatement_detail.html",
        {"restatement": restatement, "recused": is_recused(request.user, restatement)},
    )


@capability_required("clawback.view")
def executive_list(request):
    qs = executives_visible_to(request.user).prefetch_related("officer_periods")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(title__icontains=q))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "clawback/executive_list.html", {"page": page, "q": q})


@capability_required("clawback.view")
def award_list(request):
    qs = awards_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(key__icontains=q) | Q(executive__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "clawback/award_list.html", {"page": page, "q": q})
