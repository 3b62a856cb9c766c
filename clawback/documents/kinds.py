"""The clawback program's kinds of document, registered with the shared documents app at start-up
(ClawbackConfig.ready imports this module; docs/architecture.md). Adding a document is one KindSpec here, one
snapshot builder and one template.

FINAL clawback documents need an approved determination: one with a live decision of the committee, checked
again when the document is rendered or regenerated (`determination_still_approved`).
"""

from datetime import datetime

from compliance_site.company.models import Company
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.registry import (
    BundleCheck,
    KindSpec,
    register_bundle_check,
    register_kind,
    register_record,
)

from ..models import Determination, Restatement
from . import bundle, disclosure, snapshots
from .word import disclosure_docx

Kind = GeneratedDocument.Kind
CAPABILITIES = ("clawback.export",)


def _case_final(record: Restatement, period: str, actor, now: datetime) -> str | None:
    return snapshots.final_refusal(record)


def determination_still_approved(snapshot: dict) -> str | None:
    """A FINAL clawback document is rendered only while the determination it shows is a live approval."""
    meta = (snapshot.get("data") or {}).get("determination") or (
        ((snapshot.get("data") or {}).get("determination_document") or {}).get("determination")
    )
    if not meta or meta.get("source") != "determination":
        return "the snapshot shows no approved determination"
    determination = Determination.objects.filter(pk=meta.get("id")).first()
    if not snapshots.is_live_approval(determination):
        number = meta.get("number")
        return f"determination {number} is no longer an approved determination (invalidated or unapproved)"
    if determination.sha256 != meta.get("sha256"):
        return "the determination's hash differs from the snapshot's"
    return None


def _disclosure_final(record: Company, period: str, actor, now: datetime) -> str | None:
    return disclosure.final_refusal(record, period, actor=actor, now=now)


def _disclosure(record: Company, period: str, actor, now: datetime) -> dict:
    return disclosure.disclosure_data(record, period, actor=actor, now=now)


def _restatement_bundle(record: Restatement, period: str, actor, now: datetime) -> dict:
    return bundle.restatement_bundle_data(record)


# Item 402(w) sums every case: only someone who may see all of them has it (docs/architecture.md).
_DISCLOSURE = {
    "record": "company",
    "period": "fiscal_year",
    "capabilities": CAPABILITIES,
    "build": _disclosure,
    "final_refusal": _disclosure_final,
    "slug": "item-402w",
    "company_wide_audience": snapshots.sees_every_case,
}


# A document about one case is FINAL only on its live approved determination.
_CASE = {
    "record": "restatement",
    "capabilities": CAPABILITIES,
    "final_refusal": _case_final,
    "approval_check": determination_still_approved,
}


def _spec(kind: Kind, **fields) -> KindSpec:
    return KindSpec(kind=kind, label=kind.label, **fields)


def _case_pdf(kind: Kind, build, heading: str, slug: str) -> KindSpec:
    return _spec(
        kind,
        output="pdf",
        build=lambda r, p, actor, now: build(r),
        title=lambda r, p: f"{heading} — {r.title}",
        slug=slug,
        template=f"pdf/{kind.value}.html",
        **_CASE,
    )


register_record("restatement", Restatement)
register_kind(
    _case_pdf(Kind.DETERMINATION, snapshots.determination_data, "Recovery determination", "determination"),
    _case_pdf(
        Kind.ESTIMATES, snapshots.estimates_data, "Reasonable-estimate documentation", "reasonable-estimates"
    ),
    _case_pdf(
        Kind.IMPRACTICABILITY, snapshots.impracticability_data, "Impracticability packet", "impracticability"
    ),
    _spec(
        Kind.DISCLOSURE_402W,
        output="pdf",
        title=lambda r, p: f"Item 402(w) disclosure — {p}",
        template="pdf/clawback_402w.html",
        **_DISCLOSURE,
    ),
    _spec(
        Kind.DISCLOSURE_402W_XLSX,
        output="xlsx",
        title=lambda r, p: f"Item 402(w) disclosure table — {p}",
        tables=disclosure.disclosure_tables,
        **_DISCLOSURE,
    ),
    _spec(
        Kind.DISCLOSURE_402W_DOCX,
        output="docx",
        title=lambda r, p: f"Item 402(w) disclosure — {p}",
        docx=disclosure_docx,
        **_DISCLOSURE,
    ),
    _spec(
        Kind.RESTATEMENT_BUNDLE,
        output="zip",
        build=_restatement_bundle,
        title=lambda r, p: f"Auditor export bundle — {r.title}",
        slug="export-restatement",
        bundle=bundle.write_restatement_bundle,
        **(_CASE | {"capabilities": (*CAPABILITIES, "audit.export")}),
    ),
)
register_bundle_check(
    BundleCheck(
        source=bundle.SCENARIO,
        result=bundle.RESULT,
        reperform=bundle.reperform_scenario,
        readme=bundle.README,
    )
)
