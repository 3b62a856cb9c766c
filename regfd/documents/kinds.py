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


def _spec(kind, **spec) -> KindSpec:
    """A Reg FD kind, labelled as its choice and had by the holders of regfd.export unless it says more."""
    return KindSpec(kind=kind, label=kind.label, **{"capabilities": CAPABILITIES, **spec})


# The quarterly log and the bundle are about a quarter of the company's incidents.
_QUARTER = {"record": "company", "period": "quarter", "final_refusal": _quarter_final}

register_record("incident", Incident)
register_kind(
    _spec(
        Kind.INCIDENT,
        record="incident",
        output="pdf",
        build=lambda r, p, actor, now: snapshots.incident_data(r),
        title=lambda r, p: f"Reg FD incident record — {r.reference}",
        final_refusal=_incident_final,
        slug="regfd-incident",
        template="pdf/regfd_incident.html",
    ),
    _spec(
        Kind.QUARTERLY_LOG,
        **_QUARTER,
        output="pdf",
        build=lambda r, p, actor, now: snapshots.quarterly_log_data(p),
        title=lambda r, p: f"Reg FD quarterly log — {p}",
        slug="regfd-log",
        template="pdf/regfd_quarterly_log.html",
    ),
    _spec(
        Kind.PERIOD_BUNDLE,
        **_QUARTER,
        output="zip",
        capabilities=(*CAPABILITIES, "audit.export"),
        build=_period_bundle,
        title=lambda r, p: f"Auditor export bundle — Reg FD {p}",
        slug="export-regfd",
        bundle=bundle.write_period_bundle,
    ),
)
