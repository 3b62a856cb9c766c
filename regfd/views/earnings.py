"""Earnings releases and calls, each with the policy's checklist (policy I.C, II.C–E; the NYSE timely-alert
policy), and the Regulation G reviews the CFO, or a delegate the CFO named, signs off before release (policy
I.F). See docs/regfd-rules §2.8 and §2.6."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.records import EarningsForm, NonGaapForm
from ..services import records as services
from ..services.delegations import signing_authority
from .common import MANAGE_OR_APPROVE, NEW_YORK, can_any, fresh_second_factor_for, today_et


class _Editable:
    """The list page offers the create button to those who may create."""

    def get_context(self):
        return {"can_edit": can_any(self.request.user, MANAGE_OR_APPROVE)}


# ---- Earnings releases and calls -------------------------------------------------------------------------


class _Earnings:
    register, urls, capability = sel.EARNINGS, "regfd:earnings", "regfd.view"
    context_object_name = "event"


class EarningsList(_Earnings, _Editable, RecordList):
    template_name = "regfd/earnings_list.html"


class EarningsDetail(_Earnings, RecordDetail):
    template_name = "regfd/earnings_detail.html"
    attachments_label = "Evidence: press releases, NYSE notice, transcripts"

    def get_context(self, event, **extra):
        checklist = services.earnings_checklist(event, today=today_et())
        return {
            "checklist": checklist,
            "all_green": all(item.ok is not False for item in checklist),
            "nyse_notice_missing": any(item.key == "nyse_notice" and item.ok is False for item in checklist),
            "reviews": list(
                event.reviews.select_related("signed_off_by", "signed_under__delegator").order_by("measure")
            ),
            "can_edit": can_any(self.request.user, MANAGE_OR_APPROVE),
        }


class EarningsEdit(_Earnings, RecordForm):
    capability = MANAGE_OR_APPROVE
    template_name = "regfd/earnings_form.html"
    form_class, initial = EarningsForm, NEW_YORK


earnings_list = EarningsList.as_view()
earnings_detail = EarningsDetail.as_view()
earnings_create = EarningsEdit.as_view(
    call=ServiceCall(services.create_earnings_event), message="Checklist for {object.period_label} opened."
)
earnings_edit = EarningsEdit.as_view(
    call=ServiceCall(services.update_earnings_event, record="event", data_as="data"),
    message="Checklist updated.",
)


# ---- Regulation G reviews --------------------------------------------------------------------------------

REVIEW_STATES = (("pending", "Pending sign-off"), ("signed_off", "Signed off"))


class _Reviews:
    register, urls, capability = sel.NONGAAP_REVIEWS, "regfd:nongaap", "regfd.view"
    context_object_name = "review"


class NonGaapList(_Reviews, _Editable, RecordList):
    template_name = "regfd/nongaap_list.html"
    filters = (Filter("state", "State", REVIEW_STATES),)


class NonGaapDetail(_Reviews, RecordDetail):
    template_name = "regfd/nongaap_detail.html"

    def get_context(self, review, **extra):
        user = self.request.user
        open_ = not review.is_signed_off()
        works_on_reviews = can_any(user, MANAGE_OR_APPROVE)
        # Who may sign, and as what: the button names the capacity; anyone else working on reviews reads why
        # not (the CEO, an untitled officer, a delegate outside their dates).
        authority = signing_authority(user, now=timezone.now()) if open_ and works_on_reviews else None
        return {
            "can_edit": works_on_reviews and open_,
            "can_sign_off": authority is not None and not authority.refusal,
            "signing_delegation": authority.delegation if authority else None,
            "sign_off_refusal": authority.refusal if authority else "",
            "errors": extra.get("errors", []),
        }


class NonGaapEdit(_Reviews, RecordForm):
    capability = MANAGE_OR_APPROVE
    template_name = "regfd/nongaap_form.html"
    form_class, initial = NonGaapForm, NEW_YORK

    def refuse(self, review):
        if review.is_signed_off():
            messages.error(self.request, "This review is signed off and can no longer be changed.")
            return redirect(self.url("detail", review.pk))
        return None


nongaap_list = NonGaapList.as_view()
nongaap_detail = NonGaapDetail.as_view()
nongaap_create = NonGaapEdit.as_view(
    call=ServiceCall(services.create_nongaap_review),
    message="Review opened. Attach the reconciliation schedule, then ask the CFO to sign off.",
)
nongaap_edit = NonGaapEdit.as_view(
    call=ServiceCall(services.update_nongaap_review, record="review", data_as="data"),
    message="Review updated.",
)
# The CFO or a delegate signs, and a delegate may be a manager of the program (regfd.services.delegations):
# the step is open to them all, and the service refuses whoever is neither. Signing binds the company.
nongaap_sign_off = fresh_second_factor_for(
    NonGaapDetail.as_view(
        capability=MANAGE_OR_APPROVE,
        action=Action(services.sign_off_nongaap_review, record="review", now=True, message="Signed off."),
    ),
    MANAGE_OR_APPROVE,
)
