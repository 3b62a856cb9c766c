"""Finding 4: shares returned reduce the outstanding dollar balance, and the Item 402(w)(1)(iii) list, at the
value the case records for them (the value per share of the approved determination when the return was
entered without a dollar amount)."""

from datetime import date
from decimal import Decimal

import pytest

from clawback import disclosure as d
from clawback.models import RecoveryEvent
from tests.clawback.workflow_setup import claim_of, recover
from tests.disclosure_402w.case_setup import case_in_recovery, report_for

D = Decimal
FY = d.FiscalYear(label="FY2027", start=date(2026, 10, 1), end=date(2027, 9, 30))


def _nine_thousand_shares(returned: str) -> d.Claim:
    # The finding's claim: 9,000 shares valued at $50.00 in the determination, $450,000.00 owed.
    return d.Claim(
        executive="ceo",
        name="Morgan Reyes",
        amount_owed=D("450000.00"),
        units_owed=D("9000"),
        units_value=D("450000.00"),
        determined_on=date(2027, 2, 25),
        recoveries=(d.Recovered(occurred_on=date(2027, 3, 1), amount=D("0"), units=D(returned)),),
    )


def test_all_shares_returned_leave_nothing_outstanding_and_nothing_aged():
    claim = _nine_thousand_shares("9000")
    position = d.claim_position(claim, as_of=FY.end)  # 217 days after the determination
    assert (position.outstanding, position.units_outstanding) == (D("0.00"), D("0"))
    assert position.recovered == D("450000.00") and position.disclosable_180 is False
    case = d.Case(title="R", kind="big_r", required_on=date(2027, 1, 5), aggregate_erroneous=D("450000.00"),
                  claims=(claim,))  # fmt: skip
    (disclosed,) = d.item_402w(
        fiscal_year=FY, prepared_on=date(2027, 11, 15), cases=[case], neos=["ceo"]
    ).cases
    assert disclosed.outstanding_at_fye == D("0.00") and disclosed.outstanding_180_by_neo == ()


def test_part_of_the_shares_returned_is_credited_at_the_determinations_value_per_share():
    position = d.claim_position(_nine_thousand_shares("2000"), as_of=FY.end)
    assert position.units_recovered_value == D("100000.00")
    assert position.outstanding == D("350000.00") and position.outstanding_180 == D("350000.00")


@pytest.mark.django_db
def test_the_ceos_returned_psu_shares_reduce_the_disclosed_balance_and_the_ageing_list(users):
    case = case_in_recovery(users)
    recover(
        claim_of(case, "ceo"),
        users["secretary"],
        amount=D("0"),
        units=D("4000"),
        method=RecoveryEvent.Method.CANCELLATION,
        evidence="Transfer agent: 4,000 PSU shares cancelled",
    )
    (tsr,) = report_for(case, users["auditor"]).cases
    # 325,000 + 120,000 owed, less the 4,000 shares at $62.50 = 250,000.
    assert tsr.outstanding_at_fye == D("195000.00")
    assert [(o.name, o.amount, o.days_outstanding) for o in tsr.outstanding_180_by_neo] == [
        ("Casey Lindqvist", D("120000.00"), 294),
        ("Morgan Reyes", D("75000.00"), 294),
    ]
