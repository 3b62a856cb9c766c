"""Regulation FD records, one module per noun."""

from .calendar import MarketClosure
from .communications import Communication, EarningsEvent, InformationRequest, NonGaapReview, PolicyRecord
from .delegations import NonGaapDelegation
from .incidents import MATERIAL_CATEGORIES, DeadlineComputation, Exclusion, Incident
from .public_statements import ConclusionCitation, PublicStatement, StatementEvidence
from .spokespersons import KeepingCurrentConfirmation, SpokespersonAuthorization

__all__ = [
    "MATERIAL_CATEGORIES",
    "Communication",
    "ConclusionCitation",
    "DeadlineComputation",
    "EarningsEvent",
    "Exclusion",
    "Incident",
    "InformationRequest",
    "KeepingCurrentConfirmation",
    "MarketClosure",
    "NonGaapDelegation",
    "NonGaapReview",
    "PolicyRecord",
    "PublicStatement",
    "SpokespersonAuthorization",
    "StatementEvidence",
]

# Row events of every record above (docs/architecture.md, "Row history"): declared apart, loaded with them.
from . import history  # noqa: E402, F401, I001
