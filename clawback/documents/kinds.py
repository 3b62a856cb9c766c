"""The clawback program's kinds of document, registered with the shared documents app at start-up
(ClawbackConfig.ready imports this module; docs/architecture.md). Adding a document is one KindSpec here, one
snapshot builder and one template.

FINAL clawback documents need an approved determination: one with a live decision of the committee, checked
again when the document is rendered or regenerated (`determination_still_approved`). The event study report
is about one study (record type `event_study`), walled with its case, and FINAL only once the committee
adopted the study's result for an award as well.
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

from ..models import Determination, EventStudy, EventStudyAward, Restatement
from . import bundle, disclosure, event_study, snapshots

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


def _disclosure_docx(*args, **kwargs):
    # python-docx is loaded when a Word file is made, not by every process that registers the kinds.
    from .word import disclosure_docx

    return disclosure_docx(*args, **kwargs)


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


def _event_study(study: EventStudy, period: str, actor, now: datetime) -> dict:
    # The case's determination, which `determination_still_approved` checks again for a FINAL report.
    determination = snapshots.determination_for_document(study.restatement)
    return event_study.event_study_data(study) | {
        "determination": snapshots._determination_meta(determination)
    }


def _event_study_final(study: EventStudy, period: str, actor, now: datetime) -> str | None:
    if study.voided_at is not None:
        return "A FINAL report cannot be made of a voided study. Render a DRAFT to show it as it was."
    if not EventStudyAward.objects.filter(study=study, outcome__in=event_study.ADOPTED).exists():
        return (
            "A FINAL event study report needs the committee's adoption of the study's result for an award "
            "(as computed or adjusted). Render a DRAFT, or record the committee's answer first."
        )
    return snapshots.final_refusal(study.restatement)


def _event_study_still_approved(snapshot: dict) -> str | None:
    """At render time, as for the case's documents, and the study and the results shown as adopted still
    stand: a voided study or a withdrawn answer is no FINAL report's basis."""
    refusal = determination_still_approved(snapshot)
    if refusal:
        return refusal
    data = snapshot.get("data") or {}
    if not EventStudy.objects.filter(pk=(data.get("study") or {}).get("id")).exists():
        return "the event study has been voided"
    adopted = data.get("adopted_results") or []
    live = EventStudyAward.objects.filter(pk__in=adopted, outcome__in=event_study.ADOPTED).count()
    if not adopted or live != len(adopted):
        return "a result the report shows as adopted is no longer adopted"
    return None


# The report of one study: walled with its case, FINAL once the committee adopted (as computed or adjusted)
# the study's result for an award and the case's determination is approved and signed.
_EVENT_STUDY = _spec(
    Kind.EVENT_STUDY,
    record="event_study",
    output="pdf",
    capabilities=CAPABILITIES,
    build=_event_study,
    title=lambda r, p: f"Event study — {r.restatement.title}",
    slug="event-study",
    template="pdf/clawback_event_study.html",
    final_refusal=_event_study_final,
    approval_check=_event_study_still_approved,
)

register_record("restatement", Restatement)
register_record("event_study", EventStudy)
register_kind(
    _EVENT_STUDY,
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
        docx=_disclosure_docx,
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
