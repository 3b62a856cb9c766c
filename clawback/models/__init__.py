"""Clawback records, one module per noun."""

from .determinations import Decision, DecisionSignature, Determination, ReasonableEstimate, Vote
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
    "Executive",
    "Impracticability",
    "Measure",
    "MeasureValue",
    "NamedExecutiveYear",
    "OfficerPeriod",
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
