"""Row events of every clawback record (docs/architecture.md, "Row history"): each insert, change and delete
of a row, whatever made it, kept by PostgreSQL triggers in an append-only table beside the record."""

from compliance_site.db import row_event_models

from . import determinations, event_studies, records, recovery

# A new clawback record joins this list: a record without row events escapes `audit_row_changes`.
globals().update(
    row_event_models(
        records.Executive,
        records.OfficerPeriod,
        records.Measure,
        records.MeasureValue,
        records.Award,
        records.AwardComponent,
        records.AwardCredit,
        records.Restatement,
        records.RestatedValue,
        records.RestatementEvent,
        records.NamedExecutiveYear,
        records.Recusal,
        recovery.RecoveryClaim,
        recovery.RecoveryEvent,
        recovery.Impracticability,
        determinations.ReasonableEstimate,
        determinations.Decision,
        determinations.Vote,
        determinations.DecisionSignature,
        determinations.Determination,
        event_studies.PriceSet,
        event_studies.PricePoint,
        event_studies.EventStudy,
        event_studies.EventStudyAward,
        app_label="clawback",
        module=__name__,
    )
)
