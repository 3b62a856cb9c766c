"""The seeded demo case walked through the whole workflow with the clawback services, so every document
has something to show: a reasonable estimate (a relative-TSR PSU), the committee's approval with a recusal,
recoveries by two methods, an impracticability determination and an attachment.

Figures (FY2024–FY2025 net income restatement, RD 2026-04-15, window FY2023–FY2025):
- Avery Chen (CEO, NEO for FY2026): bonuses 240,000 + 480,000, PSU 6,000 units x 40 = 240,000, TSR PSU
  estimated at the 55th percentile (60th originally): 1,600 units x 40 = 64,000 -> 1,024,000.00 owed;
  240,000 recovered by cancelling 6,000 units -> 784,000.00 outstanding, 213 days at 2026-12-31.
- Blake Ortiz (CFO, not a NEO): 120,000 + 240,000 = 360,000.00 owed; 200,000 repaid in cash, 40,000
  forgone as impracticable (third-party cost 55,000) -> 120,000.00 outstanding.
- Total erroneously awarded compensation: 1,384,000.00.
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from clawback.models import (
    Award,
    Decision,
    Executive,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    RecoveryClaim,
    RecoveryEvent,
    Restatement,
    Vote,
)
from clawback.services import determinations as workflow
from clawback.services import recovery, voiding
from compliance_site.attachments.services import add_attachment
from compliance_site.demo import load_demo
from tests.governance import minutes, seat, sign

ET = ZoneInfo("America/New_York")
NOW = datetime(2027, 1, 20, 15, 0, tzinfo=ET)
APPROVED_ON = date(2026, 6, 1)
TOTAL = "1,384,000.00"
CEO_OWED = "1,024,000.00"
CEO_OUTSTANDING = "784,000.00"
CFO_OWED = "360,000.00"
CFO_OUTSTANDING = "120,000.00"
PDF_BYTES = b"%PDF-1.4\n% board minutes extract\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_tsr_award(case: Restatement) -> Award:
    company = case.company
    measure = Measure.objects.create(
        company=company, key="relative_tsr", name="Relative TSR percentile", category=Measure.Category.TSR
    )
    MeasureValue.objects.create(measure=measure, period_label="FY2023-FY2025", original=Decimal("60"))
    ceo = Executive.objects.get(company=company, key="ceo")
    return Award.objects.create(
        executive=ceo,
        key="ceo-2023-tsr-psu",
        award_type=Award.Type.PERFORMANCE_SHARES,
        basis=Award.Basis.FINANCIAL_REPORTING_MEASURE,
        performance_start=date(2023, 1, 1),
        performance_end=date(2025, 12, 31),
        measure=measure,
        measure_period="FY2023-FY2025",
        formula={"kind": "curve", "target": "8000", "points": [["25", "0"], ["50", "1"], ["75", "2"]]},
        unit=Award.Unit.UNITS,
        value_per_unit=Decimal("40"),
        received=Decimal("11200"),
    )


def decide(case, users, *, kind, held_on):
    present = [users["committee"], users["board"]]
    seat(case.company, "committee", *present, chair=users["committee"])
    decision = workflow.record_decision(
        actor=users["secretary"],
        case=case,
        kind=kind,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        held_on=held_on,
        members_present=present,
        quorum=2,
        resolution=(
            "RESOLVED, that the recovery determination is approved and the Company shall recover the amounts."
            if kind == Decision.Kind.APPROVE_DETERMINATION
            else "RESOLVED, that recovery of USD 40,000 from Blake Ortiz is impracticable."
        ),
        votes={users["committee"]: Vote.Choice.FOR, users["board"]: Vote.Choice.FOR},
        minutes=minutes(),
        now=NOW,
    )
    return sign(decision, now=NOW) if decision.adopted else decision


def approved_demo(*, now: datetime = NOW) -> SimpleNamespace:
    users = load_demo(now=now)
    case = Restatement.objects.get(title="FY2024–FY2025 net income restatement")
    # The demo's own relative-TSR award (the one its event study is for) gives way to the award below, whose
    # figures these documents are checked against.
    voiding.void_award(
        actor=users["secretary"],
        award=case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu"),
        reason="Replaced by the award these documents are checked against.",
        now=now,
    )
    tsr = add_tsr_award(case)
    ceo = Executive.objects.get(company=case.company, key="ceo")
    NamedExecutiveYear.objects.create(executive=ceo, fiscal_year="FY2026")
    NamedExecutiveYear.objects.create(executive=ceo, fiscal_year="FY2025")
    workflow.submit_for_review(actor=users["secretary"], case=case, now=now)
    workflow.record_estimate(
        actor=users["committee"],
        case=case,
        award=tsr,
        restated_value=Decimal("55"),
        method="Event study: abnormal return on the restatement announcement applied to the TSR percentile.",
        documents="Event study memo (Valuation advisers, 2026-05-18)\nPeer TSR data extract",
        adopted_on=date(2026, 5, 20),
        provided_to_exchange_on=date(2026, 5, 22),
        now=now,
    )
    approval = decide(case, users, kind=Decision.Kind.APPROVE_DETERMINATION, held_on=APPROVED_ON)
    workflow.confirm_no_indemnification(actor=users["secretary"], case=case, now=now)
    workflow.start_recovery(actor=users["secretary"], case=case, now=now)
    ceo_claim = RecoveryClaim.objects.get(restatement=case, executive__key="ceo")
    cfo_claim = RecoveryClaim.objects.get(restatement=case, executive__key="cfo")
    recovery.record_recovery_event(
        actor=users["secretary"], claim=ceo_claim, occurred_on=date(2026, 7, 1),
        method=RecoveryEvent.Method.CANCELLATION, amount=Decimal("240000"), units=Decimal("6000"),
        evidence="Cancellation notice for 6,000 unvested PSUs", now=now,
    )  # fmt: skip
    recovery.record_recovery_event(
        actor=users["secretary"], claim=cfo_claim, occurred_on=date(2026, 7, 15),
        method=RecoveryEvent.Method.CASH, amount=Decimal("200000"), evidence="Wire confirmation 7781",
        now=now,
    )  # fmt: skip
    waiver = decide(case, users, kind=Decision.Kind.IMPRACTICABILITY, held_on=date(2026, 9, 10))
    recovery.determine_impracticable(
        actor=users["secretary"], claim=cfo_claim, ground="expense", decision=waiver,
        amount_forgone=Decimal("40000"), third_party_cost=Decimal("55000"), costs_are_third_party=True,
        cost_description="Outside litigation counsel's estimate to enforce in Ontario.",
        attempts="Demand letters of 2026-07-20 and 2026-08-15; no reply.",
        provided_to_exchange_on=date(2026, 9, 15), now=now,
    )  # fmt: skip
    attachment = add_attachment(
        actor=users["secretary"],
        record=case,
        uploaded=SimpleUploadedFile("board-minutes.pdf", PDF_BYTES, content_type="application/pdf"),
        description="Minutes of the committee meeting of 2026-06-01",
    )
    case.refresh_from_db()
    return SimpleNamespace(users=users, case=case, approval=approval, waiver=waiver, attachment=attachment,
                           company=case.company, now=now)  # fmt: skip
