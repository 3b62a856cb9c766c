"""The calendar feed (compliance_site/calendar_feed/; docs/architecture.md, "Calendar feeds"): it opens by
its link's secret alone, parses as RFC 5545, keeps an event's UID when its deadline moves and raises its
SEQUENCE, shows each person only the deadlines they are responsible for on records they may see, and costs
the same number of queries whatever the number of events."""

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clawback.models import Decision, RecoveryClaim, RecoveryEvent, Restatement
from compliance_site.audit.models import AuditEvent
from compliance_site.calendar_feed.models import CalendarFeedToken, FeedEventRevision
from compliance_site.calendar_feed.services import revoke_feed_link
from regfd.models import EarningsEvent
from regfd.services import close_not_required, correct_learned_at
from tests.calendar_feed.helpers import SITE_URL, events_of, feed_path, fetch, key_of, link_for
from tests.factories import IncidentFactory, add_fiscal_years, report_incident

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def keys(response) -> set[str]:
    return {key_of(uid) for uid in events_of(response)}


def _incident(users, **kwargs):
    """An open incident reported by the secretary: T0 Tuesday 2026-03-03 14:00 New York time, so its working
    deadline is Wednesday 14:00 (T0 + 24 h; docs/regfd-rules §2.2)."""
    return report_incident(
        users["secretary"],
        disclosed_at=datetime(2026, 3, 3, 13, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        now=datetime(2026, 3, 3, 15, 0, tzinfo=ET),
        **kwargs,
    )


# ---- the link is the key ----


def test_the_feed_parses_as_icalendar_with_the_incident_deadline_in_utc(users):
    incident = _incident(users)
    response = fetch(link_for(users["secretary"]))
    events = events_of(response)
    event = events[f"regfd-incident-{incident.pk}-deadline@compliance.example.com"]
    assert event["start"] == datetime(2026, 3, 4, 19, 0, tzinfo=ZoneInfo("UTC"))  # Wed 14:00 ET
    assert event["start"].utcoffset() == timedelta(0)
    assert event["summary"] == f"Reg FD disclosure deadline — incident {incident.reference}"
    assert event["url"] == f"{SITE_URL}/regfd/incidents/{incident.pk}/"
    assert event["url"] in event["description"]
    assert event["sequence"] == 0 and event["end"] is None
    assert b"DTSTART:20260304T190000Z" in response.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_only_the_hash_of_the_link_is_stored(users):
    token = link_for(users["secretary"])
    link = CalendarFeedToken.objects.get(user=users["secretary"])
    assert link.digest == hashlib.sha256(token.encode()).hexdigest() != token
    assert len(token) >= 43  # 32 random bytes
    assert not CalendarFeedToken.objects.filter(digest__contains=token).exists()


@pytest.mark.parametrize(
    "path",
    ["/calendar_feed/.ics", "/calendar_feed/not-a-calendar-link.ics", "/calendar_feed/"],
    ids=["no token", "a wrong token", "the bare folder"],
)
def test_a_request_without_its_token_gets_nothing(users, client, path):
    _incident(users)
    link_for(users["secretary"])
    response = client.get(path)
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content and b"FD-" not in response.content


def test_a_revoked_link_gets_nothing(users):
    _incident(users)
    token = link_for(users["secretary"])
    assert fetch(token).status_code == 200
    assert revoke_feed_link(user=users["secretary"], now=timezone.now()) is True
    response = fetch(token)
    assert response.status_code == 404 and b"VCALENDAR" not in response.content
    assert revoke_feed_link(user=users["secretary"], now=timezone.now()) is False


def test_a_password_change_turns_the_link_off_like_the_api_tokens(users):
    secretary = users["secretary"]
    _incident(users)
    token = link_for(secretary)
    secretary.first_name = "Renamed"
    secretary.save()  # not a password change: the link keeps working
    assert fetch(token).status_code == 200
    secretary.set_password("a-new-passphrase-2026")
    secretary.save(update_fields=["password"])
    response = fetch(token)
    assert response.status_code == 404 and b"VCALENDAR" not in response.content
    assert AuditEvent.objects.filter(
        verb="turn_off_calendar_link", reason="The password was changed."
    ).exists()
    assert fetch(link_for(secretary)).status_code == 200  # a new link is made under the new password


def test_a_new_link_turns_off_the_old_one(users):
    old = link_for(users["secretary"])
    new = link_for(users["secretary"])
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert CalendarFeedToken.objects.filter(user=users["secretary"], revoked_at__isnull=True).count() == 1


def test_the_feed_of_a_deactivated_user_is_refused(users):
    _incident(users)
    token = link_for(users["secretary"])
    users["secretary"].is_active = False
    users["secretary"].save()
    response = fetch(token)
    assert response.status_code == 404 and b"VCALENDAR" not in response.content


def test_the_feed_takes_get_only(users, client):
    token = link_for(users["secretary"])
    assert client.post(feed_path(token)).status_code == 405
    assert client.head(feed_path(token)).status_code == 200


# ---- a moved deadline is the same event, with a higher SEQUENCE ----


def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence(users):
    incident = _incident(users)
    token = link_for(users["secretary"])
    uid = f"regfd-incident-{incident.pk}-deadline@compliance.example.com"
    first = fetch(token)
    before = events_of(first)[uid]
    again = fetch(token)
    assert again.content == first.content  # nothing changed: the same text, SEQUENCE and DTSTAMP

    correct_learned_at(
        actor=users["secretary"],
        now=datetime(2026, 3, 3, 16, 0, tzinfo=ET),
        incident=incident,
        learned_at=datetime(2026, 3, 3, 15, 0, tzinfo=ET),
        reason="The CFO's e-mail shows 15:00",
    )
    after = events_of(fetch(token))[uid]
    assert after["start"] == datetime(2026, 3, 4, 15, 0, tzinfo=ET)
    assert after["sequence"] == before["sequence"] + 1
    assert after["stamp"] >= before["stamp"]  # DTSTAMP is to the second
    assert events_of(fetch(token))[uid] == after  # stable again until the next move


def test_the_sequence_is_shared_by_every_feed_of_the_event(users):
    incident = _incident(users)
    secretary, counsel = link_for(users["secretary"]), link_for(users["counsel"])
    uid = f"regfd-incident-{incident.pk}-deadline@compliance.example.com"
    fetch(secretary)
    correct_learned_at(
        actor=users["secretary"],
        now=datetime(2026, 3, 3, 16, 0, tzinfo=ET),
        incident=incident,
        learned_at=datetime(2026, 3, 3, 15, 30, tzinfo=ET),
        reason="Corrected",
    )
    # Counsel's first fetch after the move already carries the new number, and the secretary's agrees.
    assert events_of(fetch(counsel))[uid]["sequence"] == 1
    assert events_of(fetch(secretary))[uid]["sequence"] == 1
    assert FeedEventRevision.objects.get(uid=uid).sequence == 1


def test_a_closed_incident_leaves_the_feed(users):
    incident = _incident(users)
    token = link_for(users["secretary"])
    assert f"regfd-incident-{incident.pk}-deadline" in keys(fetch(token))
    close_not_required(actor=users["secretary"], incident=incident, reason="Not material.")
    assert f"regfd-incident-{incident.pk}-deadline" not in keys(fetch(token))


# ---- whose deadlines: the people responsible, on records they may see ----


def test_incident_deadlines_go_to_the_secretary_the_officers_and_counsel_only(users):
    incident = _incident(users)
    # The employee who reported this one sees it on its page, but its deadline is not theirs to keep.
    theirs = IncidentFactory(reported_by=users["employee"])
    key = f"regfd-incident-{incident.pk}-deadline"
    for role in ("secretary", "officer", "counsel"):
        assert {key, f"regfd-incident-{theirs.pk}-deadline"} <= keys(fetch(link_for(users[role]))), role
    for role in ("admin", "board", "committee", "auditor", "employee"):
        assert keys(fetch(link_for(users[role]))) == set(), role


@pytest.fixture
def clawback_dates(users, clawback_case):
    """The case in recovery with an open vote, a claim with a balance and a coming fiscal year end. The
    officer is the case's covered CEO; committee2 is recused from it (tests/conftest.py)."""
    case = clawback_case
    now = timezone.now()
    add_fiscal_years(case.company, [now.year, now.year + 1])
    Restatement.objects.filter(pk=case.pk).update(status=Restatement.Status.RECOVERY)
    decision = Decision.objects.create(
        restatement=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        held_on=now.date(),
        quorum=1,
        resolution="Resolved.",
        recorded_by=users["secretary"],
        opened_at=now,
        closes_at=now + timedelta(days=3),
    )
    # committee2 is listed as eligible only to show that the recusal, not the list, keeps the vote away.
    decision.eligible.set([users["committee"], users["committee2"], users["board"]])
    claim = RecoveryClaim.objects.create(
        restatement=case,
        executive=case.covered_executives.get(key="ceo"),
        amount_owed=Decimal("325000.00"),
        determined_on=date(2026, 6, 1),
    )
    return case, decision, claim


def test_clawback_dates_go_to_those_responsible_and_never_to_the_recused_or_the_covered(
    users, clawback_dates
):
    case, decision, claim = clawback_dates
    vote = f"clawback-vote-{decision.pk}-closes"
    day_180 = f"clawback-claim-{claim.pk}-day-180"
    coming = case.company.fiscal_periods.filter(end__gte=timezone.now().astimezone(ET).date())
    year_ends = {f"clawback-fiscal-period-{pk}-year-end" for pk in coming.values_list("pk", flat=True)}
    assert len(year_ends) == 2

    assert keys(fetch(link_for(users["committee"]))) == {vote, day_180, *year_ends}
    assert keys(fetch(link_for(users["secretary"]))) == {day_180, *year_ends}  # no vote of theirs
    assert keys(fetch(link_for(users["board"]))) == {vote}  # may vote; keeps no disclosure dates
    assert keys(fetch(link_for(users["committee2"]))) == set()  # recused: no event of the case
    assert keys(fetch(link_for(users["officer"]))) == set()  # the covered CEO
    for role in ("admin", "counsel", "auditor", "employee"):
        assert keys(fetch(link_for(users[role]))) == set(), role


def test_the_180_day_mark_is_an_all_day_event_until_the_balance_is_recovered(users, clawback_dates):
    case, _, claim = clawback_dates
    token = link_for(users["secretary"])
    uid = f"clawback-claim-{claim.pk}-day-180@compliance.example.com"
    event = events_of(fetch(token))[uid]
    assert (event["start"], event["end"]) == (date(2026, 11, 28), date(2026, 11, 29))  # 2026-06-01 + 180
    assert event["url"] == f"{SITE_URL}/clawback/restatements/{case.pk}/"
    RecoveryEvent.objects.create(
        claim=claim,
        occurred_on=date(2026, 7, 1),
        method=RecoveryEvent.Method.CASH,
        amount=Decimal("325000.00"),
        evidence="Wire",
        recorded_by=users["secretary"],
    )
    assert uid not in events_of(fetch(token))


def test_a_member_who_voted_no_longer_has_the_vote_in_the_calendar(users, clawback_dates):
    _, decision, _ = clawback_dates
    token = link_for(users["board"])
    assert keys(fetch(token)) == {f"clawback-vote-{decision.pk}-closes"}
    decision.votes.create(member=users["board"], choice="for")
    assert keys(fetch(token)) == set()


def test_earnings_notices_go_to_the_secretary_and_the_officers(users):
    now = timezone.now()
    release = (now + timedelta(days=10)).astimezone(ET).replace(hour=7, minute=30, second=0, microsecond=0)
    event = EarningsEvent.objects.create(
        period_label="2027-Q1",
        release_at=release,
        release_timing=EarningsEvent.Timing.BEFORE_OPEN,
        nyse_notice_required=True,
        call_at=release + timedelta(hours=1),
        created_by=users["secretary"],
    )
    expected = {f"regfd-earnings-{event.pk}-nyse-notice", f"regfd-earnings-{event.pk}-call-notice"}
    feed = events_of(fetch(link_for(users["officer"])))
    assert {key_of(uid) for uid in feed} == expected
    notice = feed[f"regfd-earnings-{event.pk}-nyse-notice@compliance.example.com"]
    assert notice["start"] == release - timedelta(minutes=10)
    assert notice["summary"] == "NYSE notice due — earnings 2027-Q1"
    call = feed[f"regfd-earnings-{event.pk}-call-notice@compliance.example.com"]
    assert call["start"] == release + timedelta(hours=1)  # no notice planned: due before the call
    for role in ("board", "counsel", "committee", "employee"):
        assert keys(fetch(link_for(users[role]))) == set(), role

    # A planned press release moves the call notice to its date (a new SEQUENCE); a notice given is done.
    token = link_for(users["secretary"])
    fetch(token)
    EarningsEvent.objects.filter(pk=event.pk).update(
        call_announced_at=release - timedelta(days=7), nyse_notice_at=now - timedelta(minutes=1)
    )
    feed = events_of(fetch(token))
    call = feed[f"regfd-earnings-{event.pk}-call-notice@compliance.example.com"]
    assert set(feed) == {f"regfd-earnings-{event.pk}-call-notice@compliance.example.com"}
    assert call["start"] == release - timedelta(days=7) and call["sequence"] == 1
    assert call["summary"] == "Earnings call notice planned — earnings 2027-Q1"


# ---- the same number of queries whatever the number of events ----


def _world_of_size(users, clawback_case, n: int) -> None:
    now = timezone.now()
    Restatement.objects.filter(pk=clawback_case.pk).update(status=Restatement.Status.RECOVERY)
    add_fiscal_years(clawback_case.company, range(now.year, now.year + n))
    for i in range(n):
        IncidentFactory(reported_by=users["secretary"])
        EarningsEvent.objects.create(
            period_label=f"Q{i}",
            release_at=now + timedelta(days=20 + i),
            release_timing=EarningsEvent.Timing.BEFORE_OPEN,
            nyse_notice_required=True,
            call_at=now + timedelta(days=20 + i, hours=1),
            created_by=users["secretary"],
        )
    executive = clawback_case.covered_executives.get(key="cfo")
    for i in range(n):
        case = Restatement.objects.create(
            company=clawback_case.company, title=f"Case {i}", status=Restatement.Status.RECOVERY
        )
        RecoveryClaim.objects.create(
            restatement=case, executive=executive, amount_owed=Decimal("1000"), determined_on=date(2026, 1, 1)
        )


# The token with its user; the user's roles; clawback votes, 180-day marks and year ends; Reg FD incidents
# and earnings; the stored revisions. The first fetch adds one insert of the new events' revisions. The
# revisions are read and written in a savepoint (its SAVEPOINT and RELEASE statements are two more).
STEADY_FEED_QUERIES = 8
SAVEPOINT_STATEMENTS = 2


@pytest.mark.parametrize("n", [1, 6])
def test_a_feed_costs_the_same_queries_whatever_its_length(
    users, clawback_case, n, django_assert_num_queries
):
    _world_of_size(users, clawback_case, n)
    token = link_for(users["secretary"])
    with CaptureQueriesContext(connection) as first:
        response = fetch(token)
    # incidents, NYSE and call notices, 180-day marks, and the year ends still to come
    assert len(events_of(response)) >= 4 * n
    # The first fetch writes every event's revision in one statement. Its other reads are not counted here:
    # how many depends on the process's caches (content types), which a test run before this one in the
    # same process may have emptied; the steady fetch below is counted exactly.
    # (On PostgreSQL a write carries the row-history context before it: `SELECT set_config(...); INSERT ...`.)
    writes = [q for q in first.captured_queries if "INSERT INTO " in q["sql"] or 'UPDATE "' in q["sql"]]
    assert len(writes) == 1, writes
    with django_assert_num_queries(STEADY_FEED_QUERIES + SAVEPOINT_STATEMENTS):
        fetch(token)
