"""Clawback records, one module per noun."""

from .determinations import Decision, DecisionSignature, Determination, ReasonableEstimate, Vote
from .event_studies import EventStudy, EventStudyAward, PricePoint, PriceSet
from .records import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    OfficerPeriod,
    Recusal,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from .recovery import Impracticability, RecoveryClaim, RecoveryEvent

__all__ = [
    "Award",
    "AwardComponent",
    "AwardCredit",
    "Decision",
    "DecisionSignature",
    "Determination",
    "EventStudy",
    "EventStudyAward",
    "Executive",
    "Impracticability",
    "Measure",
    "MeasureValue",
    "NamedExecutiveYear",
    "OfficerPeriod",
    "PricePoint",
    "PriceSet",
    "ReasonableEstimate",
    "RecoveryClaim",
    "RecoveryEvent",
    "Recusal",
    "RestatedValue",
    "Restatement",
    "RestatementEvent",
    "Vote",
]

# Row events of every record above (docs/architecture.md, "Row history"): declared apart, loaded with them.
from . import history  # noqa: E402, F401, I001
