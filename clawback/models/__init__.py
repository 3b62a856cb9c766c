"""Clawback records, one module per noun."""

from .determinations import Decision, Determination, ReasonableEstimate, Vote
from .records import (
    Award,
    Executive,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    OfficerPeriod,
    Recusal,
    Restatement,
    RestatementEvent,
)
from .recovery import Impracticability, RecoveryClaim, RecoveryEvent

__all__ = [
    "Award",
    "Decision",
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
    "Restatement",
    "RestatementEvent",
    "Vote",
]
