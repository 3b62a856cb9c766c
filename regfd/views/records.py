"""Reg FD policy records: the landing page. The registers' pages are one module per noun (requests for
MNPI, communications, earnings and Regulation G, the other records, the policy's distribution), each built
on compliance_site.registers.views; this module re-exports their views and helpers under their old names."""

from django.shortcuts import render

from compliance_site.accounts.permissions import capability_required, has_capability

from .. import selectors_records as sel
from ..services.spokespersons import is_authorized_officer
from .common import (
    ACKNOWLEDGEMENT_REPORT,
    MANAGE_OR_APPROVE,
    add_service_error,
    any_capability_required,
    can_any,
    page_of,
    today_et,
)
from .communications import (
    communication_cancel,
    communication_debrief,
    communication_detail,
    communication_held,
    communication_list,
    communication_schedule,
)
from .distribution import (
    distribution_acknowledge,
    distribution_distribute,
    distribution_home,
    distribution_outstanding,
)
from .earnings import (
    earnings_create,
    earnings_detail,
    earnings_edit,
    earnings_list,
    nongaap_create,
    nongaap_detail,
    nongaap_edit,
    nongaap_list,
    nongaap_sign_off,
)
from .information_requests import request_detail, request_list, request_log, request_respond
from .policy_records import (
    RECORD_CAPABILITIES,
    RECORD_SERVICES,
    policyrecord_analyst_review,
    policyrecord_answer,
    policyrecord_correction,
    policyrecord_detail,
    policyrecord_list,
    policyrecord_question,
    policyrecord_rumor,
)

__all__ = [
    "ACKNOWLEDGEMENT_REPORT",
    "MANAGE_OR_APPROVE",
    "RECORD_CAPABILITIES",
    "RECORD_SERVICES",
    "add_service_error",
    "any_capability_required",
    "can_any",
    "communication_cancel",
    "communication_debrief",
    "communication_detail",
    "communication_held",
    "communication_list",
    "communication_schedule",
    "distribution_acknowledge",
    "distribution_distribute",
    "distribution_home",
    "distribution_outstanding",
    "earnings_create",
    "earnings_detail",
    "earnings_edit",
    "earnings_list",
    "nongaap_create",
    "nongaap_detail",
    "nongaap_edit",
    "nongaap_list",
    "nongaap_sign_off",
    "page_of",
    "policyrecord_analyst_review",
    "policyrecord_answer",
    "policyrecord_correction",
    "policyrecord_detail",
    "policyrecord_list",
    "policyrecord_question",
    "policyrecord_rumor",
    "records_home",
    "request_detail",
    "request_list",
    "request_log",
    "request_respond",
    "today_et",
]


@capability_required("regfd.access")
def records_home(request):
    user = request.user
    policy = sel.current_regfd_policy(on=today_et())
    distributed = policy is not None and sel.is_distributed(policy)
    context = {
        "policy": policy,
        "needs_acknowledgement": distributed and sel.acknowledgement_of(user, policy) is None,
        "sees_all": has_capability(user, "regfd.view"),
        "can_schedule": can_any(user, MANAGE_OR_APPROVE),
        "is_officer": is_authorized_officer(user),
        "can_report": has_capability(user, "regfd.report"),
        "can_ack_report": can_any(user, ACKNOWLEDGEMENT_REPORT),
        "routed_to_me": sel.requests_visible_to(user)
        .filter(routed_to=user, responded_at__isnull=True)
        .count(),
    }
    if context["sees_all"]:
        context["awaiting_debrief"] = sel.communications_visible_to(user).filter(status="held").count()
        context["pending_reviews"] = (
            sel.nongaap_reviews_visible_to(user).filter(signed_off_at__isnull=True).count()
        )
        context["open_questions"] = (
            sel.policy_records_visible_to(user).filter(kind="question", answered_at__isnull=True).count()
        )
    return render(request, "regfd/records_home.html", context)
