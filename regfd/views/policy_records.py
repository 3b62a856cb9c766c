"""The policy's other records in one log: market rumors (policy II.H), corrections (I.D), analyst-report
reviews (I.E) and questions to the Corporate Secretary (II.I). See docs/regfd-rules §2.8."""

from compliance_site.accounts.permissions import has_capability
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_records as sel
from ..forms.records import RECORD_FORMS, AnswerForm
from ..models import PolicyRecord
from ..services import records as services
from .common import MANAGE_OR_APPROVE, NEW_YORK, action_form, can_any

Kind = PolicyRecord.Kind

# Who may add each kind of record: rumors and corrections by the program's managers and the authorized
# officers; analyst-report reviews by the authorized officers themselves; questions by anyone.
RECORD_CAPABILITIES = {
    Kind.RUMOR: MANAGE_OR_APPROVE,
    Kind.CORRECTION: MANAGE_OR_APPROVE,
    Kind.ANALYST_REVIEW: ("regfd.approve",),
    Kind.QUESTION: ("regfd.report",),
}
RECORD_SERVICES = {
    Kind.RUMOR: services.log_market_rumor,
    Kind.CORRECTION: services.log_correction,
    Kind.ANALYST_REVIEW: services.log_analyst_review,
    Kind.QUESTION: services.ask_secretary_question,
}
# The URL name of each kind's form: regfd:policyrecord-<kind with hyphens>.
CREATE_URLS = {kind: f"regfd:policyrecord-{kind.replace('_', '-')}" for kind in Kind}


class _Log:
    register, urls, capability = sel.POLICY_RECORDS, "regfd:policyrecord", "regfd.access"
    context_object_name = "record"


class PolicyRecordList(_Log, RecordList):
    template_name = "regfd/policyrecord_list.html"
    filters = (Filter("kind", "Kind", Kind.choices, "Every kind"),)

    def get_context(self):
        user = self.request.user
        creatable = [
            (CREATE_URLS[value], label)
            for value, label in Kind.choices
            if can_any(user, RECORD_CAPABILITIES[value])
        ]
        return {"creatable": creatable}


class PolicyRecordDetail(_Log, RecordDetail):
    template_name = "regfd/policyrecord_detail.html"
    attachments_label = "Documents"

    def get_context(self, record, **extra):
        may_answer = (
            record.kind == Kind.QUESTION
            and record.answered_at is None
            and has_capability(self.request.user, "regfd.manage")
        )
        return {"may_answer": may_answer, "form": action_form(extra, AnswerForm, may_act=may_answer)}


class PolicyRecordCreate(_Log, RecordForm):
    """One kind of record: its form, its service, who may add it."""

    template_name = "regfd/policyrecord_form.html"
    initial = NEW_YORK
    kind = ""

    @classmethod
    def of(cls, kind: str):
        call = ServiceCall(RECORD_SERVICES[kind], now=True)
        return cls.as_view(
            kind=kind, capability=RECORD_CAPABILITIES[kind], form_class=RECORD_FORMS[kind], call=call
        )

    def get_message(self, record):
        return f"{record.get_kind_display()} recorded."

    def get_context(self):
        return {"kind": self.kind, "kind_label": Kind(self.kind).label}


policyrecord_list = PolicyRecordList.as_view()
policyrecord_rumor = PolicyRecordCreate.of(Kind.RUMOR)
policyrecord_correction = PolicyRecordCreate.of(Kind.CORRECTION)
policyrecord_analyst_review = PolicyRecordCreate.of(Kind.ANALYST_REVIEW)
policyrecord_question = PolicyRecordCreate.of(Kind.QUESTION)
policyrecord_detail = PolicyRecordDetail.as_view()
policyrecord_answer = PolicyRecordDetail.as_view(
    capability="regfd.manage",
    action=Action(
        services.answer_secretary_question,
        record="record",
        form=AnswerForm,
        now=True,
        message="Answer recorded.",
    ),
)
