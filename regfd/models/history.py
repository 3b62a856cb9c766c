"""Row events of every Reg FD record, the deadline computations included (docs/architecture.md, "Row
history"): each insert, change and delete of a row, whatever made it, kept by PostgreSQL triggers in an
append-only table beside the record."""

from compliance_site.history.tracking import row_events

from .calendar import MarketClosure
from .communications import Communication, EarningsEvent, InformationRequest, NonGaapReview, PolicyRecord
from .delegations import NonGaapDelegation
from .incidents import DeadlineComputation, Exclusion, Incident
from .public_statements import ConclusionCitation, PublicStatement, StatementEvidence
from .spokespersons import KeepingCurrentConfirmation, SpokespersonAuthorization


class IncidentRowEvent(row_events(Incident, app_label="regfd")):
    pass


class ExclusionRowEvent(row_events(Exclusion, app_label="regfd")):
    pass


class DeadlineComputationRowEvent(row_events(DeadlineComputation, app_label="regfd")):
    pass


class MarketClosureRowEvent(row_events(MarketClosure, app_label="regfd")):
    pass


class CommunicationRowEvent(row_events(Communication, app_label="regfd")):
    pass


class InformationRequestRowEvent(row_events(InformationRequest, app_label="regfd")):
    pass


class EarningsEventRowEvent(row_events(EarningsEvent, app_label="regfd")):
    pass


class NonGaapReviewRowEvent(row_events(NonGaapReview, app_label="regfd")):
    pass


class NonGaapDelegationRowEvent(row_events(NonGaapDelegation, app_label="regfd")):
    pass


class PolicyRecordRowEvent(row_events(PolicyRecord, app_label="regfd")):
    pass


class SpokespersonAuthorizationRowEvent(row_events(SpokespersonAuthorization, app_label="regfd")):
    pass


class KeepingCurrentConfirmationRowEvent(row_events(KeepingCurrentConfirmation, app_label="regfd")):
    pass


class PublicStatementRowEvent(row_events(PublicStatement, app_label="regfd")):
    pass


class StatementEvidenceRowEvent(row_events(StatementEvidence, app_label="regfd")):
    pass


class ConclusionCitationRowEvent(row_events(ConclusionCitation, app_label="regfd")):
    pass
