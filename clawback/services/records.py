"""Clawback records, one module per noun: executives, measures, awards, restatements, voiding and
acknowledgements. Every change is one function, called alike by the pages, the API, the importer and the
admin. This module keeps the names the rest of the code imports."""

from .acknowledgements import record_policy_acknowledgement
from .approvals import cases_affected_by, cases_using_executives, recheck_approvals
from .awards import AWARD_TERMS, award_problems, create_award, record_award_credit, update_award
from .case_documents import award_document
from .errors import collect as _collect
from .errors import collect_value as _collect_value
from .errors import errors_of as _errors_of
from .executives import create_executive, update_executive
from .measures import create_measure, update_measure
from .restatements import (
    add_restatement_event,
    record_restatement,
    set_restated_values,
    update_restatement,
    update_restatement_event,
)
from .voiding import (
    void_award,
    void_award_component,
    void_award_credit,
    void_estimate,
    void_executive,
    void_measure,
    void_measure_value,
    void_officer_period,
    void_restated_value,
    void_restatement_event,
)

__all__ = [
    "AWARD_TERMS",
    "_collect",
    "_collect_value",
    "_errors_of",
    "add_restatement_event",
    "award_document",
    "award_problems",
    "cases_affected_by",
    "cases_using_executives",
    "create_award",
    "create_executive",
    "create_measure",
    "recheck_approvals",
    "record_award_credit",
    "record_policy_acknowledgement",
    "record_restatement",
    "set_restated_values",
    "update_award",
    "update_executive",
    "update_measure",
    "update_restatement",
    "update_restatement_event",
    "void_award",
    "void_award_component",
    "void_award_credit",
    "void_estimate",
    "void_executive",
    "void_measure",
    "void_measure_value",
    "void_officer_period",
    "void_restated_value",
    "void_restatement_event",
]
