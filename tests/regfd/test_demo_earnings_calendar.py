"""The demo's earnings release and call sit on NYSE trading days whatever day the demo is loaded: loaded on
Friday 2026-12-04, three weeks ahead is Christmas Day, so the coming release moves to Monday 2026-12-28."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance_site.demo import load_demo
from regfd.models import EarningsEvent
from regfd.services.records import earnings_checklist

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")


def test_the_demo_loaded_three_weeks_before_christmas_moves_the_release_off_christmas_day():
    now = datetime(2026, 12, 4, 10, 30, tzinfo=ET)
    load_demo(now=now)
    past, coming = EarningsEvent.objects.order_by("release_at")
    assert coming.release_at.astimezone(ET).date() == date(2026, 12, 28)
    assert coming.release_at > now > past.release_at
    for event in (past, coming):
        checks = {item.key: item.ok for item in earnings_checklist(event, today=now.date())}
        assert checks["release_day"] is True and checks["call_day"] is True
