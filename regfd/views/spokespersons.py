"""Authorized spokespersons (policy I.A) and their confirmations of keeping current (policy II.G)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability

from .. import selectors_records as sel
from ..forms.spokespersons import AuthorizationForm, KeepingCurrentForm, RevokeAuthorizationForm
from ..services import spokespersons as services
from .records import add_service_error, page_of, today_et

STATES = [("current", "Current"), ("expired", "Expired"), ("revoked", "Revoked")]


def quarter_label(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@capability_required("regfd.view")
def spokesperson_list(request):
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    state = state if state in {v for v, _ in STATES} else ""
    today = today_et()
    qs = sel.search_authorizations(sel.authorizations_visible_to(request.user), q=q, state=state, on=today)
    return render(
        request,
        "regfd/spokesperson_list.html",
        {
            "page": page_of(request, qs),
            "q": q,
            "state": state,
            "states": STATES,
            "today": today,
            "officers": list(sel.authorized_officers()),
            "can_authorize": services.is_authorized_officer(request.user),
        },
    )


@capability_required("regfd.approve")
def spokesperson_authorize(request):
    form = AuthorizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authorization = services.authorize_spokesperson(
                actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{authorization.person} is authorized as a spokesperson.")
            return redirect("regfd:spokesperson-detail", pk=authorization.pk)
    return render(request, "regfd/spokesperson_form.html", {"form": form})


def _detail_context(request, authorization, form=None):
    can_revoke = authorization.revoked_at is None and services.is_authorized_officer(request.user)
    return {
        "authorization": authorization,
        "can_revoke": can_revoke,
        "form": form or (RevokeAuthorizationForm() if can_revoke else None),
        "today": today_et(),
    }


@capability_required("regfd.access")
def spokesperson_detail(request, pk):
    authorization = get_object_or_404(sel.authorizations_visible_to(request.user), pk=pk)
    return render(request, "regfd/spokesperson_detail.html", _detail_context(request, authorization))


@capability_required("regfd.approve")
@require_POST
def spokesperson_revoke(request, pk):
    authorization = get_object_or_404(sel.authorizations_visible_to(request.user), pk=pk)
    form = RevokeAuthorizationForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_spokesperson_authorization(
                actor=request.user,
                authorization=authorization,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Authorization revoked.")
            return redirect("regfd:spokesperson-detail", pk=pk)
    return render(
        request, "regfd/spokesperson_detail.html", _detail_context(request, authorization, form), status=400
    )


@capability_required("regfd.view")
def spokesperson_keeping_current(request):
    """The spokespersons who have not confirmed keeping current for a period, and recent confirmations."""
    today = today_et()
    period = request.GET.get("period", "").strip()[:20] or quarter_label(today)
    return render(
        request,
        "regfd/spokesperson_keeping_current.html",
        {
            "period": period,
            "today": today,
            "missing": sel.spokespersons_missing_confirmation(period_label=period, on=today),
            "page": page_of(request, sel.confirmations_visible_to(request.user).filter(period_label=period)),
        },
    )


@capability_required("regfd.access")
def spokesperson_confirm(request):
    now = timezone.now()
    is_spokesperson = services.is_spokesperson(request.user)
    form = KeepingCurrentForm(request.POST or None, initial={"period_label": quarter_label(today_et())})
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_keeping_current(actor=request.user, now=now, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Confirmation for {form.cleaned_data['period_label']} recorded.")
            return redirect("regfd:spokesperson-confirm")
    return render(
        request,
        "regfd/spokesperson_confirm.html",
        {
            "form": form,
            "is_spokesperson": is_spokesperson,
            "mine": list(sel.confirmations_visible_to(request.user).filter(person=request.user)[:12]),
            "sees_report": has_capability(request.user, "regfd.view"),
        },
    )
