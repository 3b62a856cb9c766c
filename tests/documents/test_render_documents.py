"""Every document rendered for the seeded demo data, its text read back with pdftotext: the figures, the
names, the legend, the watermark and the running footer are all there; FINAL rules hold."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from clawback.demo import TITLE as CLAWBACK_DEMO_TITLE
from clawback.models import Decision, Determination, Executive, Restatement, Vote
from clawback.services import determinations as workflow
from clawback.services import recovery
from compliance_site.company.models import Company
from compliance_site.documents.models import Branding, GeneratedDocument, ImmutableDocumentError
from compliance_site.documents.periods import quarter_of
from compliance_site.documents.services import regenerate_document, request_document
from regfd.models import Incident
from tests.documents import demo_case as D
from tests.documents.conftest import body_text, pages_of, pdf_text
from tests.governance import minutes

LEGEND = "CONFIDENTIAL — ATTORNEY-CLIENT PRIVILEGED"
PLAN = "Harbor 401(k) Savings Plan, open to all US employees: taking the balance would breach 401(a)(13)."


def assert_letterhead(text: str, document: GeneratedDocument, status: str = "DRAFT") -> None:
    """Every page carries the watermark, the running header (company, title, legend) and the running footer
    (document id, version, status, page X of Y, generation time in ET)."""
    pages = pages_of(text)
    assert pages
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        where = f"page {number} of {document.reference}"
        assert page.lstrip().startswith(status), where  # the watermark, drawn first on the page
        assert "Allient Inc. (ALNT)" in flat and document.title in flat, where
        assert LEGEND in flat.upper(), where
        assert f"{document.reference} · version {document.version} · {status}" in flat, where
        assert f"Page {number} of {len(pages)}" in flat, where
        assert re.search(r"Generated 20\d\d-\d\d-\d\d \d\d:\d\d E[SD]T", flat), where


def test_determination_for_the_board_shows_the_whole_case(demo, generate):
    document = generate(demo.users["secretary"], "clawback_determination", demo.case)
    text = pdf_text(document)
    flat = " ".join(text.split())
    assert_letterhead(text, document)
    # Summary: RD, window, total; per-executive totals
    assert "2026-04-15 — Board concluded a restatement is required" in flat
    assert "2023-01-01 to 2025-12-31 (FY2023, FY2024, FY2025)" in flat
    assert f"${D.TOTAL} pre-tax" in flat
    assert "Avery Chen" in flat and "Chief Executive Officer" in flat and D.CEO_OWED in flat
    assert "Blake Ortiz" in flat and D.CFO_OWED in flat
    # Worksheet with formula, original and restated inputs, and the arithmetic
    assert "Curve, target 800,000" in flat
    assert "240,000,000" in flat and "228,000,000" in flat
    assert "Excess = max(0, received $1,200,000.00 - recomputed $960,000.00) = $240,000.00" in flat
    # Exclusions with reasons, the estimate with its method, impracticability, recovery methods
    assert "ceo-2024-rsu" in flat and "Not incentive-based" in flat
    assert "Received before 2023-10-02" in flat
    assert "Event study: abnormal return on the restatement announcement" in flat
    assert (
        "Third-party enforcement expense would exceed the amount to recover" in flat and "40,000.00" in flat
    )
    assert "(d) Cancellation of awards" in flat and "(a) Reimbursement of cash incentive compensation" in flat
    assert D.CEO_OUTSTANDING in flat and D.CFO_OUTSTANDING in flat
    # The committee's decision: members, recusal, votes, resolution; signature block; policy version
    assert "Morgan Blake, Riley Chair" in flat
    assert "Jordan Member — Served on the audit committee" in flat
    assert "Morgan Blake: For; Riley Chair: For" in flat and "For 2, Against 0, Abstain 0" in flat
    assert "RESOLVED, that the recovery determination is approved" in flat
    # The signature page: each vote and how it was given, the chair's and the secretary's signatures
    assert "Signatures" in flat and "Chair of the Compensation Committee" in flat
    assert "From the minutes of the meeting of June 1, 2026, recorded by Sam Secretary" in flat
    assert "Awaiting signature" not in flat and "Jordan Member — member present" not in flat
    assert "Approved by the committee on 2026-06-01" in flat
    assert "Clawback Policy, version" in flat
    # Headers repeat: the running header is on every page
    assert text.count("Allient Inc.") >= text.count("\f")


def test_every_other_document_renders_with_its_figures(demo, generate):
    auditor, company = demo.users["auditor"], demo.company
    estimates = generate(auditor, "clawback_estimates", demo.case)
    flat = " ".join(pdf_text(estimates).split())
    assert_letterhead(pdf_text(estimates), estimates)
    assert "ceo-2023-tsr-psu — Avery Chen" in flat and "Estimated restated value 55" in flat
    assert "Event study memo (Valuation advisers, 2026-05-18)" in flat and "2026-05-22" in flat
    assert "excess 1,600 units ($64,000.00)" in flat

    packet = generate(auditor, "clawback_impracticability", demo.case)
    flat = " ".join(pdf_text(packet).split())
    assert_letterhead(pdf_text(packet), packet)
    assert "Blake Ortiz — Third-party enforcement expense" in flat
    assert "$55,000.00 — Outside litigation counsel" in flat and "$40,000.00" in flat
    assert "Demand letters of 2026-07-20 and 2026-08-15" in flat
    assert "third-party cost $55,000.00 vs amount forgone $40,000.00" in flat

    disclosure = generate(auditor, "clawback_402w", company, period="FY2026")
    text = pdf_text(disclosure)
    flat = " ".join(text.split())
    assert_letterhead(text, disclosure)
    assert "1,384,000.00" in flat and "904,000.00" in flat  # (B) aggregate and (D) outstanding at FYE
    # (B) how it was calculated, with amounts as the filing prints them
    assert (
        "Avery Chen, ceo-fy2024-bonus: received $1,200,000.00, recomputed on the restated values: $960,000.00, "
        "excess $240,000.00 = $240,000.00. Avery Chen, ceo-2023-psu: received 17,500 units" in flat
    )
    assert "Total $1,384,000.00." in flat and "1200000.00 USD" not in flat
    assert "Avery Chen FY2024–FY2025 net income restatement 213 784,000.00" in flat  # (iii) 180+ days, a NEO
    # (ii) the CFO's $40,000 and, from the second demo case, the former EVP's $20,000
    assert "All other current and former executive officers, as a group 60,000.00" in flat
    # ...whose reason names neither of them: the ground and the decision, not the resolutions' text
    group = flat.split("Item 402(w)(1)(ii)")[1].split("Item 402(w)(1)(iii)")[0]
    assert (
        "Third-party enforcement expense would exceed the amount to recover — Compensation Committee "
        "(independent directors), 2026-09-10" in group
    )
    assert "Blake Ortiz" not in group and "Rene Costa" not in group and "RESOLVED" not in group
    assert "relative_tsr" in flat or "Relative TSR" in flat  # (C) the estimate and its method
    assert "Checked" in flat

    workbook = load_workbook(
        io.BytesIO(generate(auditor, "clawback_402w_xlsx", company, period="FY2026").file.read())
    )
    sheet = workbook["restatements"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert Decimal(str(row["aggregate_usd"])) == Decimal("1384000")
    assert Decimal(str(row["outstanding_at_fye_usd"])) == Decimal("904000")
    assert workbook["About"]["B3"].value.upper().startswith(LEGEND)

    incident = Incident.objects.get(status=Incident.Status.DISCLOSED)
    record = generate(auditor, "regfd_incident", incident)
    flat = " ".join(pdf_text(record).split())
    assert_letterhead(pdf_text(record), record)
    assert incident.reference in flat and "Greg Ames" in flat and "Business Wire 20261101-0042" in flat
    assert "Disclosed on time" in flat and "Press release via wire service" in flat

    quarter = quarter_of(D.NOW)
    log = generate(auditor, "regfd_quarterly_log", company, period=quarter)
    text = pdf_text(log)
    flat = " ".join(text.split())
    assert_letterhead(text, log)
    for open_incident in Incident.objects.filter(status=Incident.Status.OPEN):
        if quarter_of(open_incident.learned_at) == quarter:
            assert open_incident.reference in flat
    assert "On-time rate" in flat


def test_final_regenerated_from_the_same_snapshot_has_the_same_text(
    demo, generate, django_capture_on_commit_callbacks
):
    committee = demo.users["committee"]
    first = generate(committee, "clawback_determination", demo.case, final=True)
    assert first.status == GeneratedDocument.Status.FINAL
    # The records and the letterhead change afterwards (plain UPDATEs, so the approval stands): the
    # regeneration prints the snapshot, not the records as they now are.
    Executive.objects.filter(company=demo.company, key="ceo").update(name="Avery Renamed")
    Restatement.objects.filter(pk=demo.case.pk).update(description="Rewritten after the approval.")
    Company.objects.filter(pk=demo.company.pk).update(name="Renamed Holdings")
    Branding.objects.update_or_create(id=1, defaults={"legend_override": "A later legend"})
    with django_capture_on_commit_callbacks(execute=True):
        second = regenerate_document(actor=committee, document=first, now=D.NOW)
    second.refresh_from_db()
    assert second.version == first.version + 1 and second.regenerated_from == first
    assert second.snapshot_sha256 == first.snapshot_sha256
    first_text, second_text = pdf_text(first), pdf_text(second)
    assert "FINAL" in first_text and "DRAFT" not in first_text
    second_flat = " ".join(second_text.split())
    for later in ("Avery Renamed", "Rewritten after the approval", "Renamed Holdings"):
        assert later not in second_flat
    assert "A LATER LEGEND" not in second_flat.upper() and "Avery Chen" in second_flat
    assert_letterhead(first_text, first, "FINAL")
    assert_letterhead(second_text, second, "FINAL")
    assert first_text != second_text  # the document id and version differ...
    assert body_text(first_text) == body_text(second_text)  # ...and nothing else
    assert second.sha256 != first.sha256 and len(second.sha256) == 64


def test_final_needs_an_approved_determination(db, generate):
    users = D.load_demo(now=D.NOW)
    case = D.Restatement.objects.get(title="FY2024–FY2025 net income restatement")
    with pytest.raises(ValidationError, match="approved determination"):
        request_document(
            actor=users["secretary"], kind="clawback_determination", record=case, final=True, now=D.NOW
        )
    draft = generate(users["secretary"], "clawback_determination", case)  # a DRAFT from the live case is fine
    assert "This is not an approved determination" in " ".join(pdf_text(draft).split())


def test_final_is_not_regenerated_once_the_approval_is_invalidated(demo, generate):
    committee = demo.users["committee"]
    final = generate(committee, "clawback_determination", demo.case, final=True)
    Determination.objects.filter(pk=final.snapshot["data"]["determination"]["id"]).update(
        invalidated_at=D.NOW, invalidated_reason="an input changed"
    )
    with pytest.raises(ValidationError, match="no longer an approved determination"):
        regenerate_document(actor=committee, document=final, now=D.NOW)


def test_a_done_document_is_never_changed(demo, generate):
    document = generate(demo.users["secretary"], "clawback_estimates", demo.case)
    document.title = "Changed"
    with pytest.raises(ImmutableDocumentError):
        document.save()
    with pytest.raises(ImmutableDocumentError):
        document.delete()


def test_a_covered_executive_cannot_have_documents_about_their_own_case(demo):
    ceo = demo.users["ceo"]
    with pytest.raises(PermissionDenied):
        request_document(actor=ceo, kind="clawback_determination", record=demo.case, now=D.NOW)
    with pytest.raises(PermissionDenied):  # board members read cases but do not export them
        request_document(
            actor=demo.users["board"], kind="clawback_determination", record=demo.case, now=D.NOW
        )


def test_packet_and_determination_show_the_retirement_plan_and_whom_each_recovery_came_from(demo, generate):
    """Ground (C) prints the plan it rests on; every recovery names the party it was recovered from (policy
    "Successors"): here the former EVP's executor, on the second demo case."""
    secretary = demo.users["secretary"]
    case = Restatement.objects.get(title=CLAWBACK_DEMO_TITLE)
    costa = case.claims.get(executive__key="rcosta")
    recovery.set_claim_party(
        actor=secretary, claim=costa, sought_from="executor", party_name="M. Lindqvist", now=D.NOW
    )
    recovery.record_recovery_event(
        actor=secretary, claim=costa, occurred_on=date(2026, 12, 1), method="cash", amount=Decimal("10000"),
        evidence="Estate's wire of 2026-12-01", now=D.NOW,
    )  # fmt: skip
    present = [demo.users["committee"], demo.users["board"]]
    decision = workflow.record_decision(
        actor=secretary, case=case, kind=Decision.Kind.IMPRACTICABILITY,
        body=Decision.Body.COMPENSATION_COMMITTEE, held_on=date(2027, 1, 5), members_present=present,
        quorum=2, resolution="RESOLVED, that recovery from the Harbor 401(k) account is impracticable.",
        votes={member: Vote.Choice.FOR for member in present}, minutes=minutes(), now=D.NOW,
    )  # fmt: skip
    recovery.determine_impracticable(
        actor=secretary, claim=costa, decision=decision, ground="retirement_plan",
        amount_forgone=Decimal("5000"), plan_description=PLAN, now=D.NOW,
    )  # fmt: skip

    packet = " ".join(pdf_text(generate(demo.users["auditor"], "clawback_impracticability", case)).split())
    assert "Rene Costa — Recovery would disqualify a tax-qualified retirement plan" in packet
    assert f"Tax-qualified retirement plan {PLAN}" in packet
    assert "Broad-based tax-qualified retirement plan named, and why recovery would make it fail" in packet
    assert "Recovered from" in packet
    assert "2026-07-15 (a) Reimbursement of cash incentive compensation 60,000.00 the executive" in packet
    assert "2026-12-01 (a) Reimbursement of cash incentive compensation 10,000.00 Executor: M. Lindqvist" in (
        packet
    )

    determination = " ".join(pdf_text(generate(secretary, "clawback_determination", case)).split())
    assert f"Plan: {PLAN[:60]}" in determination  # (the narrow column wraps the rest)
    assert "2026-07-15: (a) Reimbursement of cash incentive compensation 60,000.00, from the executive" in (
        determination
    )
    assert "2026-12-01: (a) Reimbursement of cash incentive compensation 10,000.00, from Executor: M." in (
        determination
    )
