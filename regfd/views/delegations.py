"""The CFO's delegations of the Regulation G sign-off (policy I.F): the register, the CFO's form naming a
delegate, and revocation. See docs/regfd-rules §2.6."""

from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.delegations import DelegationForm, RevokeDelegationForm
from ..services import delegations as services
from ..services.spokespersons import is_cfo
from .common import action_form, fresh_second_factor_for, today_et

STATES = [("current", "Current"), ("upcoming", "Upcoming"), ("ended", "Ended"), ("revoked", "Revoked")]


class _Delegations:
    register, urls = sel.NONGAAP_DELEGATIONS, "regfd:nongaap-delegation"
    capability = "regfd.view"
    context_object_name = "delegation"


class DelegationList(_Delegations, RecordList):
    template_name = "regfd/delegation_list.html"
    filters = (Filter("state", "State", STATES),)

    def search_params(self, **params):
        return {**params, "on": today_et()}

    def get_context(self):
        return {"today": today_et(), "can_delegate": is_cfo(self.request.user)}


class DelegationDetail(_Delegations, RecordDetail):
    template_name = "regfd/delegation_detail.html"

    def get_context(self, delegation, **extra):
        can_revoke = delegation.revoked_at is None and is_cfo(self.request.user)
        form = action_form(extra, RevokeDelegationForm, may_act=can_revoke)
        sign_offs = delegation.sign_offs.order_by("signed_off_at", "id")
        return {"can_revoke": can_revoke, "form": form, "today": today_et(), "sign_offs": sign_offs}


class DelegationCreate(_Delegations, RecordForm):
    capability = "regfd.approve"
    template_name = "regfd/delegation_form.html"
    form_class = DelegationForm
    call = ServiceCall(services.delegate_nongaap_sign_off, now=True)
    message = "{object.delegate} may sign off Regulation G reviews in your place on those dates."
    submit_label = "Name the delegate"
    invalid_status = 400

    def get_initial(self, record):
        return {"valid_from": today_et()}

    def get_context(self):
        return {"is_cfo": is_cfo(self.request.user)}


nongaap_delegation_list = DelegationList.as_view()
nongaap_delegation_detail = DelegationDetail.as_view()
# Naming a delegate hands over a binding step: a fresh second factor, as for the sign-off itself.
nongaap_delegation_create = fresh_second_factor_for(DelegationCreate.as_view(), "regfd.approve")
nongaap_delegation_revoke = DelegationDetail.as_view(
    capability="regfd.approve",
    action=Action(
        services.revoke_nongaap_delegation,
        record="delegation",
        form=RevokeDelegationForm,
        now=True,
        message="Delegation revoked.",
    ),
)
