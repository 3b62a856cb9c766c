"""What each kind of document is about, who may have it, what it is rendered from and when it may be FINAL.

One table, read by the services (permissions, snapshots), the rendering (template, format) and the pages
(the request forms). Adding a document is one entry here, one snapshot builder and one template.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from clawback.models import Determination, Restatement
from compliance_site.company.models import Company
from regfd.models import Incident

from .models import GeneratedDocument
from .snapshots import clawback, disclosure, regfd

Kind = GeneratedDocument.Kind

RECORD_MODELS = {"restatement": Restatement, "incident": Incident, "company": Company}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    record: str  # a key of RECORD_MODELS
    output: str  # pdf, xlsx, docx or zip
    capabilities: tuple[str, ...]
    build: Callable  # (record, period, actor, now) -> dict, the snapshot's data
    title: Callable  # (record, period) -> str
    final_refusal: Callable  # (record, period, actor, now) -> str | None
    slug: str
    template: str = ""
    period: str = ""  # "", "quarter" or "fiscal_year"
    approval_check: Callable | None = field(default=None)  # (snapshot) -> str | None, at render time

    @property
    def model(self):
        return RECORD_MODELS[self.record]

    @property
    def media_type(self) -> str:
        return {
            "pdf": "application/pdf",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "zip": "application/zip",
        }[self.output]


def _case_final(record: Restatement, period: str, actor, now: datetime) -> str | None:
    return clawback.final_refusal(record)


def determination_still_approved(snapshot: dict) -> str | None:
    """A FINAL clawback document is rendered only while the determination it shows is a live approval."""
    meta = (snapshot.get("data") or {}).get("determination") or (
        ((snapshot.get("data") or {}).get("determination_document") or {}).get("determination")
    )
    if not meta or meta.get("source") != "determination":
        return "the snapshot shows no approved determination"
    determination = Determination.objects.filter(pk=meta.get("id")).first()
    if not clawback.is_live_approval(determination):
        number = meta.get("number")
        return f"determination {number} is no longer an approved determination (invalidated or unapproved)"
    if determination.sha256 != meta.get("sha256"):
        return "the determination's hash differs from the snapshot's"
    return None


def _incident_final(record: Incident, period: str, actor, now: datetime) -> str | None:
    if not record.is_signed_off():
        return "The incident is still open: a FINAL record is rendered once it is closed."
    return None


def _quarter_final(record: Company, period: str, actor, now: datetime) -> str | None:
    return regfd.quarterly_final_refusal(period, now=now)


def _disclosure_final(record: Company, period: str, actor, now: datetime) -> str | None:
    return disclosure.final_refusal(record, period, actor=actor, now=now)


def _restatement_bundle(record: Restatement, period: str, actor, now: datetime) -> dict:
    from .bundle import restatement_bundle_data

    return restatement_bundle_data(record)


def _period_bundle(record: Company, period: str, actor, now: datetime) -> dict:
    from .bundle import period_bundle_data

    return period_bundle_data(record, period)


CLAWBACK = ("clawback.export",)
REGFD = ("regfd.export",)

SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in [
        KindSpec(
            kind=Kind.DETERMINATION,
            label=Kind.DETERMINATION.label,
            record="restatement",
            output="pdf",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: clawback.determination_data(r),
            title=lambda r, p: f"Recovery determination — {r.title}",
            final_refusal=_case_final,
            slug="determination",
            template="pdf/clawback_determination.html",
            approval_check=determination_still_approved,
        ),
        KindSpec(
            kind=Kind.ESTIMATES,
            label=Kind.ESTIMATES.label,
            record="restatement",
            output="pdf",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: clawback.estimates_data(r),
            title=lambda r, p: f"Reasonable-estimate documentation — {r.title}",
            final_refusal=_case_final,
            slug="reasonable-estimates",
            template="pdf/clawback_estimates.html",
            approval_check=determination_still_approved,
        ),
        KindSpec(
            kind=Kind.IMPRACTICABILITY,
            label=Kind.IMPRACTICABILITY.label,
            record="restatement",
            output="pdf",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: clawback.impracticability_data(r),
            title=lambda r, p: f"Impracticability packet — {r.title}",
            final_refusal=_case_final,
            slug="impracticability",
            template="pdf/clawback_impracticability.html",
            approval_check=determination_still_approved,
        ),
        KindSpec(
            kind=Kind.DISCLOSURE_402W,
            label=Kind.DISCLOSURE_402W.label,
            record="company",
            period="fiscal_year",
            output="pdf",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: disclosure.disclosure_data(r, p, actor=actor, now=now),
            title=lambda r, p: f"Item 402(w) disclosure — {p}",
            final_refusal=_disclosure_final,
            slug="item-402w",
            template="pdf/clawback_402w.html",
        ),
        KindSpec(
            kind=Kind.DISCLOSURE_402W_XLSX,
            label=Kind.DISCLOSURE_402W_XLSX.label,
            record="company",
            period="fiscal_year",
            output="xlsx",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: disclosure.disclosure_data(r, p, actor=actor, now=now),
            title=lambda r, p: f"Item 402(w) disclosure table — {p}",
            final_refusal=_disclosure_final,
            slug="item-402w",
        ),
        KindSpec(
            kind=Kind.DISCLOSURE_402W_DOCX,
            label=Kind.DISCLOSURE_402W_DOCX.label,
            record="company",
            period="fiscal_year",
            output="docx",
            capabilities=CLAWBACK,
            build=lambda r, p, actor, now: disclosure.disclosure_data(r, p, actor=actor, now=now),
            title=lambda r, p: f"Item 402(w) disclosure — {p}",
            final_refusal=_disclosure_final,
            slug="item-402w",
        ),
        KindSpec(
            kind=Kind.INCIDENT,
            label=Kind.INCIDENT.label,
            record="incident",
            output="pdf",
            capabilities=REGFD,
            build=lambda r, p, actor, now: regfd.incident_data(r),
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
            capabilities=REGFD,
            build=lambda r, p, actor, now: regfd.quarterly_log_data(p),
            title=lambda r, p: f"Reg FD quarterly log — {p}",
            final_refusal=_quarter_final,
            slug="regfd-log",
            template="pdf/regfd_quarterly_log.html",
        ),
        KindSpec(
            kind=Kind.RESTATEMENT_BUNDLE,
            label=Kind.RESTATEMENT_BUNDLE.label,
            record="restatement",
            output="zip",
            capabilities=(*CLAWBACK, "audit.export"),
            build=_restatement_bundle,
            title=lambda r, p: f"Auditor export bundle — {r.title}",
            final_refusal=_case_final,
            slug="export-restatement",
            approval_check=determination_still_approved,
        ),
        KindSpec(
            kind=Kind.PERIOD_BUNDLE,
            label=Kind.PERIOD_BUNDLE.label,
            record="company",
            period="quarter",
            output="zip",
            capabilities=(*REGFD, "audit.export"),
            build=_period_bundle,
            title=lambda r, p: f"Auditor export bundle — Reg FD {p}",
            final_refusal=_quarter_final,
            slug="export-regfd",
        ),
    ]
}


def get_spec(kind: str) -> KindSpec:
    try:
        return SPECS[str(kind)]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}") from None


def clean_period(spec: KindSpec, record, period: str) -> str:
    """The period normalized, or ValueError with a message a person can act on."""
    period = (period or "").strip()
    if spec.period == "":
        return ""
    if spec.period == "quarter":
        regfd.parse_quarter(period.upper())
        return period.upper()
    disclosure.fiscal_year(record, period)
    return period
