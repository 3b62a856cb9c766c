"""The Regulation FD program's kinds of document, registered with the shared documents app at start-up
(RegfdConfig.ready imports this module; docs/architecture.md): the incident record, the quarterly log and
the auditor export bundle of a quarter. A FINAL incident record needs the incident closed; a FINAL log or
bundle needs the quarter ended and its incidents closed."""

from datetime import datetime

from compliance_site.company.models import Company
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.registry import KindSpec, register_kind, register_record

from ..models import Incident
from . import bundle, snapshots

Kind = GeneratedDocument.Kind
CAPABILITIES = ("regfd.export",)


def _incident_final(record: Incident, period: str, actor, now: datetime) -> str | None:
    if not record.is_signed_off():
        return "The incident is still open: a FINAL record is rendered once it is closed."
    return None


def _quarter_final(record: Company, period: str, actor, now: datetime) -> str | None:
    return snapshots.quarterly_final_refusal(period, now=now)


def _period_bundle(record: Company, period: str, actor, now: datetime) -> dict:
    return bundle.period_bundle_data(record, period)


register_record("incident", Incident)
register_kind(
    KindSpec(
        kind=Kind.INCIDENT,
        label=Kind.INCIDENT.label,
        record="incident",
        output="pdf",
        capabilities=CAPABILITIES,
        build=lambda r, p, actor, now: snapshots.incident_data(r),
        title=lambda r, p: f"Reg FD incident record — {r.reference}",
        final_refusal=_incident_final,
        slug="regfd-incident",
        template="pdf/regfd_incident.html",
    ),
    KindSpec(
        kind=Kind.QUARTERLY_LOG,
        label=Kind.QUARTERLY_LOG.label,
        record="company",
        period="quarter",
        output="pdf",
        capabilities=CAPABILITIES,
        build=lambda r, p, actor, now: snapshots.quarterly_log_data(p),
        title=lambda r, p: f"Reg FD quarterly log — {p}",
        final_refusal=_quarter_final,
        slug="regfd-log",
        template="pdf/regfd_quarterly_log.html",
    ),
    KindSpec(
        kind=Kind.PERIOD_BUNDLE,
        label=Kind.PERIOD_BUNDLE.label,
        record="company",
        period="quarter",
        output="zip",
        capabilities=(*CAPABILITIES, "audit.export"),
        build=_period_bundle,
        title=lambda r, p: f"Auditor export bundle — Reg FD {p}",
        final_refusal=_quarter_final,
        slug="export-regfd",
        bundle=bundle.write_period_bundle,
    ),
)
