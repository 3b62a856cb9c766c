"""The earnings checklist on the NYSE calendar table (regfd.services.records; docs/regfd-rules §2.8, §3.3): a
release or call on a closed day is red and says where to move it, a release after an early close is after
the close, and an unscheduled closure added by an administrator counts at once."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from regfd.models import MarketClosure
from regfd.services.records import earnings_checklist
from tests.regfd.records_setup import ET, earnings

pytestmark = pytest.mark.django_db


def _items(event):
    return {item.key: item for item in earnings_checklist(event, today=date(2026, 12, 1))}


def test_a_christmas_day_release_and_call_are_red_and_say_where_to_move(users):
    event = earnings(
        users["secretary"],
        period_label="2026-Q4",
        release_at=datetime(2026, 12, 25, 7, 30, tzinfo=ET),
        call_at=datetime(2026, 12, 25, 8, 30, tzinfo=ET),
        call_announced_at=datetime(2026, 12, 10, 8, 0, tzinfo=ET),
        recording_available_until=date(2027, 3, 25),
    )
    items = _items(event)
    assert items["release_day"].ok is False
    assert items["release_day"].detail == (
        "Christmas Day: the NYSE is closed — move the release to a trading day: "
        "Thursday 2026-12-24 (early close at 13:00 ET) or Monday 2026-12-28."
    )
    assert items["call_day"].ok is False
    assert items["call_day"].detail.startswith("Christmas Day: the NYSE is closed — move the call")
    assert [item.key for item in earnings_checklist(event, today=date(2026, 12, 1))][:4] == [
        "release_day",
        "release_timing",
        "nyse_notice",
        "call_day",
    ]


def test_a_release_after_the_early_close_is_after_the_close(users):
    event = earnings(
        users["secretary"],
        period_label="2026-Q3",
        release_at=datetime(2026, 11, 27, 14, 0, tzinfo=ET),  # day after Thanksgiving: closes at 13:00
        call_at=datetime(2026, 11, 27, 15, 0, tzinfo=ET),
        call_announced_at=datetime(2026, 11, 13, 8, 0, tzinfo=ET),
        recording_available_until=date(2027, 2, 27),
    )
    assert event.release_timing == "after_close"
    items = _items(event)
    assert items["release_timing"].ok is True
    assert "early close" in items["release_timing"].detail
    assert items["release_day"].ok is True and "13:00 ET" in items["release_day"].detail


def test_an_unscheduled_closure_added_by_an_administrator_turns_the_release_red(users):
    event = earnings(users["secretary"])  # Tuesday 2026-05-05, 16:05 ET
    assert _items(event)["release_day"].ok is True
    MarketClosure.objects.create(
        date=date(2026, 5, 5), kind="closure", name="National day of mourning", source="NYSE notice"
    )
    assert _items(event)["release_day"].detail.startswith("National day of mourning: the NYSE is closed")


def test_a_release_outside_the_calendar_years_is_refused(users):
    with pytest.raises(ValidationError) as exc:
        earnings(
            users["secretary"],
            release_at=datetime(2031, 5, 6, 16, 5, tzinfo=ET),
            call_at=datetime(2031, 5, 6, 17, 0, tzinfo=ET),
            recording_available_until=None,
        )
    assert "release_at" in exc.value.message_dict
