"""The determination workflow of a clawback case, one module per step: the review (live inputs frozen as a
determination and kept current), the committee's reasonable estimates, the administering body's decision and
the approval, and recovery and closing. This module keeps the names the rest of the code imports.

    draft --submit_for_review--> review --record_decision (adopted approval)--> approved
    approved --start_recovery (no-indemnification checklist confirmed)--> recovery --close_case--> closed
    approved, closed --reopen_case(reason)--> review
    approved, recovery, closed --ensure_approval_current (an input changed)--> review
"""

from .decisions import (
    _open_claims,
    approval_blockers,
    approve_determination,
    record_decision,
)
from .estimates import (
    _case_award,
    _document_lines,
    designate_not_determinable,
    estimate_measures,
    needs_estimate,
    record_estimate,
)
from .lifecycle import close_case, confirm_no_indemnification, reopen_case, start_recovery
from .review import (
    NO_INDEMNIFICATION_CHECKLIST,
    TRANSITIONS,
    Computation,
    InputsCheck,
    S,
    _freeze,
    _invalidate,
    _is_recused,
    _lock,
    _not_future,
    _participant,
    _require_status,
    _scenario_error,
    allowed_actions,
    approved_determination,
    canonical_json,
    check_inputs,
    compute,
    describe_changes,
    ensure_approval_current,
    ensure_approvals_current,
    exchange_date,
    inputs_status,
    live_determination,
    normalized_inputs,
    same_inputs,
    scenario_with_estimates,
    sha256_of,
    submit_for_review,
)

__all__ = [
    "NO_INDEMNIFICATION_CHECKLIST",
    "S",
    "TRANSITIONS",
    "Computation",
    "InputsCheck",
    "_case_award",
    "_document_lines",
    "_freeze",
    "_invalidate",
    "_is_recused",
    "_lock",
    "_not_future",
    "_open_claims",
    "_participant",
    "_require_status",
    "_scenario_error",
    "allowed_actions",
    "approval_blockers",
    "approve_determination",
    "approved_determination",
    "canonical_json",
    "check_inputs",
    "close_case",
    "compute",
    "confirm_no_indemnification",
    "describe_changes",
    "designate_not_determinable",
    "ensure_approval_current",
    "ensure_approvals_current",
    "estimate_measures",
    "exchange_date",
    "inputs_status",
    "live_determination",
    "needs_estimate",
    "normalized_inputs",
    "record_decision",
    "record_estimate",
    "reopen_case",
    "same_inputs",
    "scenario_with_estimates",
    "sha256_of",
    "start_recovery",
    "submit_for_review",
]
