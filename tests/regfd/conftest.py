"""Fixtures shared by the Reg FD tests."""

import pytest

from tests.regfd.incident_setup import report_recent


@pytest.fixture
def incident(users):
    """Reported by the employee an hour ago; the deadline is a day away."""
    return report_recent(users["employee"])
