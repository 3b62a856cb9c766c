"""Authorized spokespersons (policy I.A) and their confirmations of keeping current (policy II.G); see
docs/regfd-rules §2.8."""

from django.contrib import messages
from django.shortcuts import redirect, render

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.spokespersons import AuthorizationForm, KeepingCurrentForm, RevokeAuthorizationForm
from ..services import spokespersons as services
from .common import action_form, page_of, today_et

STATES = [("current", "Current"), ("expired", "Expired"), ("revoked", "Revoked")]


def quarter_label(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


class _Authorizations:
    register, urls = sel.AUTHORIZATIONS, "regfd:spokesperson"
    context_object_name = "authorization"


class SpokespersonList(_Authorizations, RecordList):
    capability = "regfd.view"
    template_name = "regfd/spokesperson_list.html"
    filters = (Filter("state", "State", STATES),)

    def search_params(self, **params):
        return {**params, "on": today_et()}

    def get_context(self):
        return {
            "today": today_et(),
            "officers": list(sel.authorized_officers()),
            "can_authorize": services.is_authorized_officer(self.request.user),
        }


class SpokespersonDetail(_Authorizations, RecordDetail):
    capability = "regfd.access"
    template_name = "regfd/spokesperson_detail.html"

    def get_context(self, authorization, **extra):
        can_revoke = authorization.revoked_at is None and services.is_authorized_officer(self.request.user)
        form = action_form(extra, RevokeAuthorizationForm, may_act=can_revoke)
        return {"can_revoke": can_revoke, "form": form, "today": today_et()}


class SpokespersonAuthorize(_Authorizations, RecordForm):
    capability = "regfd.approve"
    template_name = "regfd/spokesperson_form.html"
    form_class = AuthorizationForm
    call = ServiceCall(services.authorize_spokesperson, now=True)
    message = "{object.person} is authorized as a spokesperson."
    submit_label = "Authorize"


class SpokespersonConfirm(_Authorizations, RecordForm):
    """The signed-in spokesperson's own confirmation for a period; back to this page when recorded."""

    capability = "regfd.access"
    template_name = "regfd/spokesperson_confirm.html"
    form_class = KeepingCurrentForm
    call = ServiceCall(services.confirm_keeping_current, now=True)

    def get_initial(self, record):
        return {"period_label": quarter_label(today_et())}

    def succeeded(self, confirmation):
        messages.success(self.request, f"Confirmation for {confirmation.period_label} recorded.")
        return redirect("regfd:spokesperson-confirm")

    def get_context(self):
        user = self.request.user
        return {
            "is_spokesperson": services.is_spokesperson(user),
            "mine": list(sel.confirmations_visible_to(user).filter(person=user)[:12]),
            "sees_report": has_capability(user, "regfd.view"),
        }


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
            "page": page_of(request, sel.CONFIRMATIONS.rows(request.user, period=period)),
        },
    )


spokesperson_list = SpokespersonList.as_view()
spokesperson_authorize = SpokespersonAuthorize.as_view()
spokesperson_detail = SpokespersonDetail.as_view()
spokesperson_revoke = SpokespersonDetail.as_view(
    capability="regfd.approve",
    action=Action(
        services.revoke_spokesperson_authorization,
        record="authorization",
        form=RevokeAuthorizationForm,
        now=True,
        message="Authorization revoked.",
    ),
)
spokesperson_confirm = SpokespersonConfirm.as_view()
