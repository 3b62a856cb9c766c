"""Fixtures shared by the clawback tests."""

import pytest

from tests.clawback.workflow_setup import reviewed_example_2
from tests.clients import api_for
from tests.factories import add_fiscal_years


@pytest.fixture
def company_calendar(company):
    """The company with calendar fiscal years FY2023 to FY2026."""
    return add_fiscal_years(company, range(2023, 2027))


@pytest.fixture
def calendar(company):
    """The company with calendar fiscal years FY2023 to FY2025."""
    return add_fiscal_years(company, range(2023, 2026))


@pytest.fixture
def api(users):
    """api(role="secretary"): an API client authenticated as that persona."""
    return lambda role="secretary": api_for(users[role])


@pytest.fixture
def reviewed(users):
    """Example 2 under review, committee2 recused, no estimate yet."""
    return reviewed_example_2(users)
