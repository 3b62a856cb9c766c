"""The auditor export bundle of a Reg FD quarter: the quarterly log and each incident's record, the quarter's
records, attachments and audit trail. The ZIP itself is written by `compliance_site.documents.bundle`."""

from compliance_site.company.models import Company
from compliance_site.documents.bundle import scope_attachments, scope_audit

from . import snapshots


def period_bundle_data(company: Company, period: str) -> dict:
    log = snapshots.quarterly_log_data(period)
    _, _, incidents, *_ = snapshots.quarter_records(period)
    scope = snapshots.audit_scope(log)
    attachments = scope_attachments(scope)
    return {
        "scope": {"type": "regfd_quarter", "period": period},
        "quarterly_log_document": log,
        "incident_documents": [snapshots.incident_data(i) for i in incidents.order_by("learned_at", "id")],
        "tables": snapshots.quarter_tables(log),
        "attachments": attachments,
        "audit": scope_audit(scope, attachments),
    }


def write_period_bundle(data: dict, parts) -> None:
    """The bundle's PDFs, from the snapshot (`compliance_site.documents.bundle.BundleParts`)."""
    period = data["scope"]["period"]
    parts.pdf("quarterly-log", "pdf/regfd_quarterly_log.html", "regfd_quarterly_log",
              f"Reg FD quarterly log — {period}", data["quarterly_log_document"])  # fmt: skip
    count = len(data["incident_documents"]) or 1
    for index, incident in enumerate(data["incident_documents"]):
        parts.pdf(f"incident-{incident['reference']}", "pdf/regfd_incident.html", "regfd_incident",
                  f"Reg FD incident record — {incident['reference']}", incident)  # fmt: skip
        parts.progress(10 + int(40 * (index + 1) / count))
