"""What a calendar event may say (compliance_site/calendar_feed/registry.py): a calendar is synced to phones,
shared with assistants and printed, so no event carries an amount, a covered executive's or anyone else's
name, a case's title, or anything of a Reg FD incident's substance: only the kind of deadline, the record's
neutral reference, its time and a link. Every persona's feed is built from the demo data, as the e-mails are
in tests/notifications/test_message_content.py, and read for any of these."""

import re

import pytest
from django.utils import timezone

from clawback.models import Decision, RecoveryClaim, Restatement
from compliance_site.calendar_feed.registry import sources
from compliance_site.demo import PERSONAS, load_demo
from regfd.models import EarningsEvent, Incident
from tests.calendar_feed.helpers import SITE_URL, events_of, fetch, key_of, link_for
from tests.notifications.test_message_content import AMOUNT, _leaks, _secrets

pytestmark = pytest.mark.django_db

# Every kind of event the programs register, by the start of its key.
KINDS = {
    "regfd.incidents": "regfd-incident-",
    "regfd.earnings": "regfd-earnings-",
    "clawback.votes": "clawback-vote-",
    "clawback.outstanding": "clawback-claim-",
    "clawback.fiscal-year-ends": "clawback-fiscal-period-",
}


@pytest.fixture
def demo(settings):
    settings.SITE_URL = SITE_URL
    return load_demo(now=timezone.now())


@pytest.fixture
def feeds(demo):
    """{persona: {UID: event}} of every demo persona's feed."""
    return {username: events_of(fetch(link_for(demo[username]))) for username, *_ in PERSONAS}


def _more_secrets() -> list[str]:
    """Beyond what no reminder may carry: who disclosed and who learned of each incident, the parties a claim
    is sought from, each case's title and each vote's resolution."""
    found = []
    for incident in Incident.objects.all():
        found += [incident.disclosed_by, incident.learned_by]
    found += list(RecoveryClaim.objects.exclude(party_name="").values_list("party_name", flat=True))
    found += list(Restatement.objects.values_list("title", flat=True))
    found += list(Decision.objects.values_list("resolution", flat=True))
    return [text for text in found if text]


def test_no_event_of_the_demo_carries_an_amount_a_name_or_an_incidents_substance(demo, feeds):
    secrets = _secrets() + _more_secrets()
    assert Incident.objects.filter(status=Incident.Status.OPEN).exists() and RecoveryClaim.objects.exists()
    everyone = {key_of(uid) for events in feeds.values() for uid in events}
    # Every registered kind of event is in some feed of the demo, so each is read here.
    assert set(KINDS) == {source.name for source in sources()}
    assert {kind for kind, prefix in KINDS.items() if any(k.startswith(prefix) for k in everyone)} == set(
        KINDS
    )
    leaks = {}
    for username, events in feeds.items():
        for event in events.values():
            text = f"{event['summary']}\n{event['description']}"
            if found := _leaks(text, secrets):
                leaks[f"{username}: {event['summary']}"] = found
    assert leaks == {}


def test_every_event_is_a_neutral_reference_and_a_link_to_this_site(feeds):
    for events in feeds.values():
        for event in events.values():
            assert event["url"].startswith(f"{SITE_URL}/") and event["url"] in event["description"]
            assert event["description"].count("http") == 1  # the one link, nothing else addressed
            assert not AMOUNT.search(event["summary"] + event["description"])
            assert re.search(
                r"(incident FD-\d{4}-\d{4}|#\d+|earnings \S+|Fiscal year end \S+)", event["summary"]
            )


def test_a_covered_executive_and_a_recused_member_get_no_event_of_their_case(demo, feeds):
    ceo_case = Restatement.objects.filter(covered_executives__user=demo["ceo"]).distinct().get()
    recused = Restatement.objects.filter(recusals__user=demo["committee2"]).distinct()
    assert ceo_case in recused  # the demo's case is walled from both
    for username in ("ceo", "committee2"):
        for event in feeds[username].values():
            text = event["summary"] + event["description"] + event["url"]
            for case in recused:
                assert f"case #{case.pk}" not in text and f"/restatements/{case.pk}/" not in text
                for decision in case.decisions.all():
                    assert f"/decisions/{decision.pk}/" not in text
    # ... while the chair of the committee, neither covered nor recused, has the dates of the case in recovery.
    in_recovery = recused.get(status=Restatement.Status.RECOVERY)
    committee = " ".join(e["summary"] for e in feeds["committee"].values())
    assert (
        f"vote #{in_recovery.decisions.get(status=Decision.Status.OPEN).pk}, clawback case #{in_recovery.pk}"
        in (committee)
    )


def test_the_demo_feeds_follow_who_is_responsible(demo, feeds):
    def kinds_of(username):
        return {
            kind
            for kind, prefix in KINDS.items()
            if any(key_of(u).startswith(prefix) for u in feeds[username])
        }

    assert {"regfd.incidents", "clawback.outstanding"} <= kinds_of("secretary")
    assert "regfd.incidents" in kinds_of("counsel") and "clawback.outstanding" not in kinds_of("counsel")
    assert kinds_of("employee") == set() and kinds_of("auditor") == set() and kinds_of("admin") == set()
    if EarningsEvent.objects.filter(call_at__gt=timezone.now()).exists():
        assert "regfd.earnings" in kinds_of("ceo")
