"""Row events of every clawback record (docs/architecture.md, "Row history"): each insert, change and delete
of a row, whatever made it, kept by PostgreSQL triggers in an append-only table beside the record."""

from compliance_site.history.tracking import row_events

from .determinations import Decision, Determination, ReasonableEstimate, Vote
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


class ExecutiveRowEvent(row_events(Executive, app_label="clawback")):
    pass


class OfficerPeriodRowEvent(row_events(OfficerPeriod, app_label="clawback")):
    pass


class MeasureRowEvent(row_events(Measure, app_label="clawback")):
    pass


class MeasureValueRowEvent(row_events(MeasureValue, app_label="clawback")):
    pass


class AwardRowEvent(row_events(Award, app_label="clawback")):
    pass


class AwardComponentRowEvent(row_events(AwardComponent, app_label="clawback")):
    pass


class AwardCreditRowEvent(row_events(AwardCredit, app_label="clawback")):
    pass


class RestatementRowEvent(row_events(Restatement, app_label="clawback")):
    pass


class RestatedValueRowEvent(row_events(RestatedValue, app_label="clawback")):
    pass


class RestatementEventRowEvent(row_events(RestatementEvent, app_label="clawback")):
    pass


class NamedExecutiveYearRowEvent(row_events(NamedExecutiveYear, app_label="clawback")):
    pass


class RecusalRowEvent(row_events(Recusal, app_label="clawback")):
    pass


class RecoveryClaimRowEvent(row_events(RecoveryClaim, app_label="clawback")):
    pass


class RecoveryEventRowEvent(row_events(RecoveryEvent, app_label="clawback")):
    pass


class ImpracticabilityRowEvent(row_events(Impracticability, app_label="clawback")):
    pass


class ReasonableEstimateRowEvent(row_events(ReasonableEstimate, app_label="clawback")):
    pass


class DecisionRowEvent(row_events(Decision, app_label="clawback")):
    pass


class VoteRowEvent(row_events(Vote, app_label="clawback")):
    pass


class DeterminationRowEvent(row_events(Determination, app_label="clawback")):
    pass
