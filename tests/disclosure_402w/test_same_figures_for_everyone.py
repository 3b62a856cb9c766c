"""Finding 4: the Item 402(w) figures and the check boxes are the company's, computed from every case of the
company: any two users allowed to see them get the same figures, on the page, the API and the document
snapshot, equal to the company-wide computation that asks nobody's visibility."""

from datetime import datetime
from decimal import Decimal

import pytest

from clawback.documents.disclosure import disclosure_data
from tests.clawback.workflow_setup import ET, recuse
from tests.clients import api_for
from tests.disclosure_402w.case_setup import FILED, case_in_recovery, fy2027, report_for

pytestmark = pytest.mark.django_db


def test_any_two_users_allowed_the_disclosure_get_the_company_figures(users):
    case = case_in_recovery(users)
    recuse(case, users["committee"])  # a recused member still sees the case, so the disclosure
    from clawback.services.disclosure import company_disclosure  # the company-wide computation

    expected = company_disclosure(fiscal_period=fy2027(case), prepared_on=FILED)
    assert expected.cases and expected.error_correction_box
    for role in ("secretary", "auditor", "counsel", "committee"):
        assert report_for(case, users[role]) == expected, role


def test_the_api_and_the_document_give_every_allowed_user_the_same_figures(users):
    case = case_in_recovery(users)
    url = f"/api/clawback/disclosure/?year=FY2027&prepared_on={FILED.isoformat()}&company={case.company_id}"
    bodies = [api_for(users[role]).get(url) for role in ("secretary", "auditor")]
    assert [b.status_code for b in bodies] == [200, 200]
    assert bodies[0].json() == bodies[1].json()
    now = datetime(2027, 11, 15, 12, 0, tzinfo=ET)
    snapshots = [
        disclosure_data(case.company, "FY2027", actor=users[r], now=now) for r in ("secretary", "board")
    ]
    assert snapshots[0] == snapshots[1]
    api_outstanding = Decimal(bodies[0].json()["cases"][0]["outstanding_at_fye"])
    assert Decimal(snapshots[0]["restatements"][0]["outstanding_usd"]) == api_outstanding
