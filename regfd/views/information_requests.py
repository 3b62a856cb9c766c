"""Requests from outside for material nonpublic information (policy I.A): anyone logs one and routes it to
an authorized officer, who alone records the response (docs/regfd-rules §2.8)."""

from compliance_site.accounts.permissions import has_capability
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.records import InformationRequestForm, InformationResponseForm
from ..services import records as services
from .common import action_form

STATES = (("open", "Awaiting response"), ("answered", "Answered"))


class _Requests:
    register, urls, capability = sel.REQUESTS, "regfd:request", "regfd.access"


class RequestList(_Requests, RecordList):
    template_name = "regfd/request_list.html"
    filters = (Filter("state", "State", STATES),)


class RequestDetail(_Requests, RecordDetail):
    template_name, context_object_name = "regfd/request_detail.html", "item"

    def get_context(self, item, **extra):
        user = self.request.user
        may_respond = (
            item.responded_at is None
            and item.routed_to_id == user.pk
            and item.received_by_id != user.pk
            and has_capability(user, "regfd.approve")
        )
        form = action_form(extra, InformationResponseForm, may_act=may_respond)
        return {"may_respond": may_respond, "form": form}


class RequestLog(_Requests, RecordForm):
    capability = "regfd.report"
    template_name = "regfd/request_form.html"
    form_class = InformationRequestForm
    call = ServiceCall(services.log_information_request, now=True)
    submit_label = "Log and route"
    message = "Request logged and routed to {object.routed_to}. Do not answer it yourself."


request_list = RequestList.as_view()
request_log = RequestLog.as_view()
request_detail = RequestDetail.as_view()
request_respond = RequestDetail.as_view(
    capability="regfd.approve",
    action=Action(
        services.record_information_response,
        record="information_request",
        form=InformationResponseForm,
        now=True,
        guard=sel.only_the_routed_officer,
        message="Response recorded.",
    ),
)
