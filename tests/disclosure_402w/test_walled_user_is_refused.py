"""Finding 4: a user walled off from any of the company's cases is refused the Item 402(w) disclosure with a
clear message (the page, the API and the service alike), never given one that silently leaves the case
out."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.clients import api_error, api_for, client_for
from tests.disclosure_402w.case_setup import FILED, case_in_recovery, report_for, wall_off

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_walled_user_instead_of_leaving_their_case_out(users):
    case = case_in_recovery(users)
    director = wall_off(case)
    with pytest.raises(PermissionDenied) as refusal:
        report_for(case, director)
    assert "walled off from at least one" in str(refusal.value)
    assert "Item 402(w)" in str(refusal.value)


def test_the_page_is_a_403_with_the_reason_and_no_figures(users):
    case = case_in_recovery(users)
    director = wall_off(case)
    url = reverse("clawback:disclosure") + f"?year=FY2027&prepared_on={FILED.isoformat()}"
    response = client_for(director).get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="disclosure-refused"' in page
    assert "walled off from at least one" in page
    assert 'data-testid="check-boxes"' not in page and "325,000" not in page and "120,000" not in page


def test_the_api_is_a_403_in_the_api_error_format_with_the_reason(users):
    case = case_in_recovery(users)
    director = wall_off(case)
    response = api_for(director).get(
        f"/api/clawback/disclosure/?year=FY2027&prepared_on={FILED.isoformat()}&company={case.company_id}"
    )
    error = api_error(response, 403)
    assert error["code"] == "walled_from_case"
    assert "walled off from at least one" in error["message"]
