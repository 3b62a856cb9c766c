"""The auditor export bundle of a restatement: the case's three documents, its records, attachments and audit
trail, and the scenario file and result that re-perform the determination offline (`reperform_scenario`,
registered as the bundle check of scenario/scenario.json). The ZIP itself is written by
`compliance_site.documents.bundle`."""

import json

from compliance_site.documents.bundle import scope_attachments, scope_audit

from ..models import Restatement
from . import snapshots

SCENARIO = "scenario/scenario.json"
RESULT = "scenario/result.json"
README = (
    "For a restatement, scenario/scenario.json re-performs the determination: evaluating it with the\n"
    "recovery engine (clawback.scenario.load_scenario, clawback.recovery.evaluate)\n"
    "gives scenario/result.json.\n"
)


def restatement_bundle_data(restatement: Restatement) -> dict:
    determination = snapshots.determination_data(restatement)
    scope = snapshots.audit_scope(restatement)
    attachments = scope_attachments(scope)
    return {
        "scope": {"type": "restatement", "id": restatement.pk, "title": restatement.title},
        "determination_document": determination,
        "estimates_document": snapshots.estimates_data(restatement),
        "impracticability_document": snapshots.impracticability_data(restatement),
        "tables": snapshots.record_tables(determination),
        "attachments": attachments,
        "audit": scope_audit(scope, attachments),
    }


def write_restatement_bundle(data: dict, parts) -> None:
    """The bundle's PDFs and scenario files, from the snapshot (`parts`: documents.bundle.BundleParts)."""
    case = data["scope"]["title"]
    parts.pdf("determination", "pdf/clawback_determination.html", "clawback_determination",
              f"Recovery determination — {case}", data["determination_document"])  # fmt: skip
    parts.progress(35)
    parts.pdf("reasonable-estimates", "pdf/clawback_estimates.html", "clawback_estimates",
              f"Reasonable-estimate documentation — {case}", data["estimates_document"])  # fmt: skip
    parts.pdf("impracticability", "pdf/clawback_impracticability.html", "clawback_impracticability",
              f"Impracticability packet — {case}", data["impracticability_document"])  # fmt: skip
    parts.json(SCENARIO, data["determination_document"]["scenario"])
    parts.json(RESULT, data["determination_document"]["result"])


def reperform_scenario(scenario: bytes, result: bytes) -> bool:
    """Whether evaluating the scenario file with the recovery engine gives the result file. No database."""
    from ..recovery import evaluate
    from ..scenario import load_scenario, result_to_json

    return result_to_json(evaluate(load_scenario(scenario))) == json.loads(result)
