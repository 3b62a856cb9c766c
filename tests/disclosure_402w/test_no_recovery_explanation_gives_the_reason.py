"""Finding 4: when a restatement required a recovery analysis and nothing was recoverable, the Item
402(w)(2) explanation says why, award by award, in the analysis's own terms."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from clawback.models import (
    Award,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from clawback.services import determinations as workflow
from clawback.services.disclosure import disclosure_for
from compliance_site.company.models import Company
from tests.clawback.workflow_setup import ET, approve

pytestmark = pytest.mark.django_db
D = Decimal
NOW = datetime(2027, 11, 1, 12, 0, tzinfo=ET)


def _case(users, *, restated: str, received_on_fy: str = "FY2026"):
    """A little r restatement of FY2026 revenue concluded 2027-03-01; the CFO's bonus pays its 400,000
    target at revenue of 200m or more (a cap), and was received for `received_on_fy`."""
    company = Company.objects.create(name="Allient Inc.", ticker="ALNT")
    for label, start, end in (
        ("FY2023", date(2022, 10, 1), date(2023, 9, 30)),
        ("FY2024", date(2023, 10, 1), date(2024, 9, 30)),
        ("FY2025", date(2024, 10, 1), date(2025, 9, 30)),
        ("FY2026", date(2025, 10, 1), date(2026, 9, 30)),
        ("FY2027", date(2026, 10, 1), date(2027, 9, 30)),
    ):
        company.fiscal_periods.create(label=label, start=start, end=end)
    cfo = Executive.objects.create(company=company, key="cfo", name="Jordan Pike")
    OfficerPeriod.objects.create(executive=cfo, start=date(2020, 1, 1))
    revenue = Measure.objects.create(company=company, key="revenue", name="Revenue", category="revenue")
    value = MeasureValue.objects.create(measure=revenue, period_label="FY2026", original=D("210000000"))
    Award.objects.create(
        executive=cfo,
        key="cfo-fy2026-bonus",
        award_type="cash_bonus",
        basis="financial_reporting_measure",
        performance_start=date(2025, 10, 1),
        performance_end=date(2026, 9, 30),
        measure=revenue,
        measure_period="FY2026",
        formula={"kind": "curve", "target": "400000", "points": [["150000000", "0.5"], ["200000000", "1.0"]]},
        received=D("400000"),
    )
    case = Restatement.objects.create(company=company, title="FY2026 revenue revision", kind="little_r")
    RestatementEvent.objects.create(restatement=case, kind="committee_concluded", date=date(2027, 3, 1))
    RestatedValue.objects.create(restatement=case, value=value, restated=D(restated))
    case.covered_executives.set([cfo])
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    approve(case, users, held_on=date(2027, 4, 20), now=NOW)
    return case


def test_the_explanation_says_the_award_paid_no_more_than_on_the_restated_amounts(users):
    case = _case(users, restated="205000000")  # still above the 200m cap: the bonus is unchanged
    fy2027 = case.company.fiscal_periods.get(label="FY2027")
    report = disclosure_for(user=users["auditor"], fiscal_period=fy2027, prepared_on=date(2027, 11, 15))
    assert report.item_402w_2_required and report.recovery_analysis_box
    (disclosed,) = report.cases
    assert disclosed.no_recovery_explanation.startswith(
        "The recovery analysis concluded that no recovery is required under Rule 10D-1(b):"
    )
    assert (
        "Jordan Pike, cfo-fy2026-bonus: received $400,000.00, and $400,000.00 on the restated amounts, so "
        "nothing was received in excess" in disclosed.no_recovery_explanation
    )
    assert "(2023-10-01 to 2026-09-30)" in disclosed.no_recovery_explanation
