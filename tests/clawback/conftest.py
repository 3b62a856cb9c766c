"""Fixtures shared by the clawback tests."""

from datetime import date

import pytest

from compliance_site.company.models import FiscalPeriod


@pytest.fixture
def company_calendar(company):
    """The company with calendar fiscal years FY2023 to FY2026."""
    for year in (2023, 2024, 2025, 2026):
        FiscalPeriod.objects.create(
            company=company, label=f"FY{year}", start=date(year, 1, 1), end=date(year, 12, 31)
        )
    return company
