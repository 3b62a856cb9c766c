"""Finding 4: the disclosure states the valuation basis of shares owed and returned: the value per share of
the approved determination, and what the shares returned were credited at."""

from datetime import datetime
from decimal import Decimal

import pytest

from clawback.documents.disclosure import disclosure_data
from clawback.models import RecoveryEvent
from tests.clawback.workflow_setup import ET, claim_of, recover
from tests.disclosure_402w.case_setup import case_in_recovery, report_for

pytestmark = pytest.mark.django_db


def _ceo_returns_1000_shares(users):
    case = case_in_recovery(users)
    recover(
        claim_of(case, "ceo"),
        users["secretary"],
        amount=Decimal("0"),
        units=Decimal("1000"),
        method=RecoveryEvent.Method.CANCELLATION,
        evidence="Transfer agent: 1,000 PSU shares cancelled",
    )
    return case


def test_the_case_disclosure_states_the_basis_and_each_claim_in_shares(users):
    case = _ceo_returns_1000_shares(users)
    (tsr,) = report_for(case, users["auditor"]).cases
    basis, ceo = tsr.equity_valuation
    assert "value per share or unit used in the approved determination" in basis
    assert "not their market value on the day they came back" in basis
    assert ceo == (
        "Morgan Reyes: 4,000 shares or units owed, valued at $62.50 each in the approved determination "
        "($250,000.00 in all); 1,000 returned or cancelled by 2027-09-30, credited $62,500.00."
    )
    assert tsr.outstanding_at_fye == Decimal("382500.00")  # 445,000 - 62,500


def test_the_document_narrative_states_the_basis(users):
    case = _ceo_returns_1000_shares(users)
    data = disclosure_data(
        case.company, "FY2027", actor=users["auditor"], now=datetime(2027, 11, 15, tzinfo=ET)
    )
    (restatement,) = data["restatements"]
    assert restatement["equity_valuation"][1].startswith("Morgan Reyes: 4,000 shares or units owed")
    assert any("valued at $62.50 each" in paragraph for paragraph in data["narrative"])
