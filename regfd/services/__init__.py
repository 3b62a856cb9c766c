"""Reg FD workflows, one module per noun; every business action is one function, called by views, the
API, the admin and tasks alike."""

from .calendar import add_market_closure, deactivate_market_closure
from .incidents import (
    MATERIAL_CATEGORY_CODES,
    apply_deadline,
    assess_materiality,
    claim_exclusion,
    close_not_required,
    conclude_materiality,
    correct_learned_at,
    open_incident,
    recompute_open_deadlines,
    record_public_disclosure,
)

__all__ = [
    "MATERIAL_CATEGORY_CODES",
    "add_market_closure",
    "apply_deadline",
    "assess_materiality",
    "claim_exclusion",
    "close_not_required",
    "conclude_materiality",
    "correct_learned_at",
    "deactivate_market_closure",
    "open_incident",
    "record_public_disclosure",
    "recompute_open_deadlines",
]

# Policy records: spokespersons, requests, communications, earnings, Regulation G, the log, distribution.
from .delegations import delegate_nongaap_sign_off, revoke_nongaap_delegation  # noqa: E402
from .policy import acknowledge_policy, distribute_policy  # noqa: E402
from .public_statements import (  # noqa: E402
    attach_public_statement,
    import_public_statement,
    void_public_statement,
    void_statement_evidence,
)
from .records import (  # noqa: E402
    answer_secretary_question,
    ask_secretary_question,
    cancel_communication,
    create_earnings_event,
    create_nongaap_review,
    debrief_communication,
    log_analyst_review,
    log_correction,
    log_information_request,
    log_market_rumor,
    record_communication_held,
    record_information_response,
    schedule_communication,
    sign_off_nongaap_review,
    update_earnings_event,
    update_nongaap_review,
)
from .spokespersons import (  # noqa: E402
    authorize_spokesperson,
    confirm_keeping_current,
    revoke_spokesperson_authorization,
    spokesperson_status,
)

__all__ += [
    "acknowledge_policy",
    "answer_secretary_question",
    "ask_secretary_question",
    "attach_public_statement",
    "authorize_spokesperson",
    "cancel_communication",
    "confirm_keeping_current",
    "create_earnings_event",
    "create_nongaap_review",
    "debrief_communication",
    "delegate_nongaap_sign_off",
    "distribute_policy",
    "import_public_statement",
    "log_analyst_review",
    "log_correction",
    "log_information_request",
    "log_market_rumor",
    "record_communication_held",
    "record_information_response",
    "revoke_nongaap_delegation",
    "revoke_spokesperson_authorization",
    "schedule_communication",
    "sign_off_nongaap_review",
    "spokesperson_status",
    "update_earnings_event",
    "update_nongaap_review",
    "void_public_statement",
    "void_statement_evidence",
]
