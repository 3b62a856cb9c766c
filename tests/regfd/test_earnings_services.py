"""Earnings releases and calls (policy I.C, II.C–E; NYSE timely alert) and Regulation G reviews (policy I.F):
every rule and every refusal (docs/regfd-rules §2.6, §2.8)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from regfd.models import EarningsEvent
from regfd.services import records as services
from regfd.services.records import (
    earnings_checklist,
    nyse_notice_given_in_time,
    nyse_notice_required,
    release_timing,
)
from tests.regfd.records_setup import ET, NOW, UTC, earnings, make_cfo, nongaap

# ---------------------------------------------------------------------------------------------------------
# Earnings: market timing and the NYSE timely alert, across DST (pure)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release_at", "timing"),
    [
        (datetime(2026, 5, 5, 9, 29, tzinfo=ET), "before_open"),
        (datetime(2026, 5, 5, 9, 30, tzinfo=ET), "during_session"),
        (datetime(2026, 5, 5, 15, 59, tzinfo=ET), "during_session"),
        (datetime(2026, 5, 5, 16, 0, tzinfo=ET), "after_close"),
        (datetime(2026, 5, 5, 21, 0, tzinfo=ET), "after_close"),
        # 13:45 UTC on 9 Mar 2026, the day after DST starts, is 9:45 EDT (an EST assumption says 8:45).
        (datetime(2026, 3, 9, 13, 45, tzinfo=UTC), "during_session"),
        # 20:30 UTC the same day is 16:30 EDT (an EST assumption says 15:30, during the session).
        (datetime(2026, 3, 9, 20, 30, tzinfo=UTC), "after_close"),
        # 14:15 UTC on 2 Nov 2026, the day after DST ends, is 9:15 EST (an EDT assumption says 10:15).
        (datetime(2026, 11, 2, 14, 15, tzinfo=UTC), "before_open"),
    ],
)
def test_release_timing_uses_new_york_wall_clock(release_at, timing):
    assert release_timing(release_at) == timing


@pytest.mark.parametrize(
    ("release_at", "required"),
    [
        (datetime(2026, 5, 5, 6, 59, tzinfo=ET), False),
        (datetime(2026, 5, 5, 7, 0, tzinfo=ET), True),
        (datetime(2026, 5, 5, 12, 0, tzinfo=ET), True),
        (datetime(2026, 5, 5, 16, 0, tzinfo=ET), True),  # both ends included: the conservative reading
        (datetime(2026, 5, 5, 16, 1, tzinfo=ET), False),
        # A 7:30 ET release in March after DST starts (8 Mar 2026) is 11:30 UTC: notice required.
        (datetime(2026, 3, 9, 11, 30, tzinfo=UTC), True),
        # The same 11:30 UTC before DST starts is 6:30 EST: no notice needed.
        (datetime(2026, 3, 6, 11, 30, tzinfo=UTC), False),
        (datetime(2026, 3, 6, 12, 30, tzinfo=UTC), True),  # 7:30 EST
        # After DST ends (1 Nov 2026): 11:30 UTC is 6:30 EST; the Friday before, it was 7:30 EDT.
        (datetime(2026, 11, 2, 11, 30, tzinfo=UTC), False),
        (datetime(2026, 10, 30, 11, 30, tzinfo=UTC), True),
        (datetime(2026, 3, 9, 12, 30, tzinfo=ZoneInfo("Europe/London")), True),  # any zone: 8:30 EDT
    ],
)
def test_nyse_notice_is_required_for_releases_between_7_and_16_et(release_at, required):
    assert nyse_notice_required(release_at) is required


@pytest.mark.parametrize(
    ("lead", "in_time"),
    [
        (timedelta(minutes=30), True),
        (timedelta(minutes=10), True),
        (timedelta(minutes=9), False),
        (None, False),
    ],
)
def test_nyse_notice_must_be_at_least_ten_minutes_before_release(lead, in_time):
    release = datetime(2026, 3, 9, 7, 30, tzinfo=ET)
    assert nyse_notice_given_in_time(release, None if lead is None else release - lead) is in_time


def test_naive_release_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        release_timing(datetime(2026, 5, 5, 8, 0))  # noqa: DTZ001


# ---- Earnings services and checklist ----


@pytest.mark.django_db
def test_creating_an_earnings_event_stores_the_computed_timing(users):
    event = earnings(users["secretary"], release_at=datetime(2026, 3, 9, 11, 30, tzinfo=UTC))
    event.refresh_from_db()
    assert event.release_timing == EarningsEvent.Timing.BEFORE_OPEN
    assert event.nyse_notice_required is True


@pytest.mark.django_db
def test_updating_the_release_time_recomputes_the_timing(users):
    event = earnings(users["secretary"])
    assert (event.release_timing, event.nyse_notice_required) == ("after_close", False)
    event = services.update_earnings_event(
        actor=users["secretary"], event=event, data={"release_at": datetime(2026, 5, 5, 10, 0, tzinfo=ET)}
    )
    assert (event.release_timing, event.nyse_notice_required) == ("during_session", True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"call_announced_at": datetime(2026, 5, 5, 17, 30, tzinfo=ET)}, "call_announced_at"),
        ({"recording_available_until": date(2026, 5, 1)}, "recording_available_until"),
        ({"release_at": datetime(2026, 5, 5, 16, 5)}, "release_at"),  # noqa: DTZ001 (naive)
        ({"webcast_url": "not a url"}, "webcast_url"),
    ],
)
def test_earnings_event_refuses_inconsistent_input(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        earnings(users["secretary"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_one_earnings_event_per_period(users):
    earnings(users["secretary"])
    with pytest.raises(ValidationError):
        earnings(users["secretary"])


@pytest.mark.django_db
def test_update_refuses_unknown_fields(users):
    with pytest.raises(ValidationError, match="Unknown"):
        services.update_earnings_event(
            actor=users["secretary"], event=earnings(users["secretary"]), data={"x": 1}
        )


def _checks(event):
    return {item.key: item.ok for item in earnings_checklist(event, today=date(2026, 5, 6))}


@pytest.mark.django_db
def test_a_complete_after_close_release_is_all_green(users):
    assert _checks(earnings(users["secretary"])) == {
        "release_day": True,
        "release_timing": True,
        "nyse_notice": None,
        "call_day": True,
        "call_announced": True,
        "public_access": True,
        "qa_audible": True,
        "recording": True,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("notice_at", "ok"),
    [
        (None, False),
        (datetime(2026, 3, 9, 7, 25, tzinfo=ET), False),
        (datetime(2026, 3, 9, 7, 15, tzinfo=ET), True),
    ],
    ids=["missing", "too-late", "in-time"],
)
def test_a_missing_or_late_nyse_notice_is_red(users, notice_at, ok):
    event = earnings(
        users["secretary"],
        release_at=datetime(2026, 3, 9, 11, 30, tzinfo=UTC),  # 7:30 EDT
        call_at=datetime(2026, 3, 9, 8, 30, tzinfo=ET),
        call_announced_at=datetime(2026, 2, 20, 8, 0, tzinfo=ET),
        recording_available_until=date(2026, 6, 9),
        nyse_notice_at=notice_at,
    )
    assert _checks(event)["nyse_notice"] is ok
    assert _checks(event)["release_timing"] is True


@pytest.mark.django_db
def test_missing_call_items_are_red(users):
    event = earnings(
        users["secretary"],
        release_at=datetime(2026, 5, 5, 12, 0, tzinfo=ET),
        call_announced_at=None,
        public_access=False,
        qa_audible_to_all=False,
        recording_url="",
    )
    checks = _checks(event)
    assert checks["release_timing"] is False  # released during the session
    assert checks["call_announced"] is False
    assert checks["public_access"] is False
    assert checks["qa_audible"] is False
    assert checks["recording"] is False


# ---------------------------------------------------------------------------------------------------------
# Regulation G (policy I.F)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "changes", "now", "message"),
    [
        ("secretary", {}, NOW, "Only the CFO"),
        ("officer", {}, NOW, "Only the CFO"),
        ("cfo", {"release_at": NOW}, NOW, "must precede the release"),
        ("cfo", {"release_at": NOW - timedelta(hours=1)}, NOW, "must precede the release"),
        ("cfo", {"equal_prominence": False}, NOW, "prominence"),
        ("cfo", {"reconciliation": "   "}, NOW, "reconciliation"),
    ],
    ids=[
        "not-an-officer",
        "an-officer-not-the-cfo",
        "at-release",
        "after-release",
        "no-equal-prominence",
        "no-reconciliation",
    ],
)
def test_sign_off_refusals(users, who, changes, now, message):
    review = nongaap(users["secretary"], **changes)
    actor = make_cfo() if who == "cfo" else users[who]
    with pytest.raises(ValidationError, match=message):
        services.sign_off_nongaap_review(actor=actor, review=review, now=now)
    review.refresh_from_db()
    assert review.signed_off_at is None


@pytest.mark.django_db
def test_the_cfo_signs_off_before_release_once(users):
    review = nongaap(users["secretary"])
    cfo = make_cfo()
    signed = services.sign_off_nongaap_review(actor=cfo, review=review, now=NOW)
    assert signed.signed_off_by == cfo and signed.signed_off_at == NOW
    with pytest.raises(ValidationError, match="already signed off"):
        services.sign_off_nongaap_review(actor=cfo, review=review, now=NOW)


@pytest.mark.django_db
def test_a_review_is_revised_before_sign_off_only(users):
    review = nongaap(users["secretary"], equal_prominence=False)
    review = services.update_nongaap_review(
        actor=users["secretary"], review=review, data={"equal_prominence": True}
    )
    services.sign_off_nongaap_review(actor=make_cfo(), review=review, now=NOW)
    with pytest.raises(ValidationError, match="signed off"):
        services.update_nongaap_review(actor=users["secretary"], review=review, data={"measure": "EBITDA"})


@pytest.mark.django_db
def test_a_review_needs_an_aware_release_time(users):
    with pytest.raises(ValidationError):
        nongaap(users["secretary"], release_at=datetime(2026, 5, 5, 16, 5))  # noqa: DTZ001
