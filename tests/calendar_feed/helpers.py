"""Reading a calendar feed in the tests: the link made through the service, the feed fetched as a calendar
application does (no sign-in), parsed back with `icalendar`."""

from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from compliance_site.calendar_feed.services import issue_feed_link

SITE_URL = "https://compliance.example.com"


def link_for(user) -> str:
    """A new calendar link's token for `user` (any link they had stops working)."""
    return issue_feed_link(user=user, now=timezone.now())


def feed_path(token: str) -> str:
    return reverse("calendar_feed:feed", args=[token])


def fetch(token: str):
    """The feed as an anonymous calendar application gets it."""
    return Client().get(feed_path(token))


def events_of(response) -> dict[str, dict]:
    """{UID: the event's properties, decoded} of a 200 feed response, parsed with Calendar.from_ical."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in events, f"{uid} twice"
        events[uid] = {
            "uid": uid,
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "url": str(event["URL"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND") if "DTEND" in event else None,
            "stamp": event.decoded("DTSTAMP"),
            "sequence": int(event["SEQUENCE"]),
        }
    return events


def key_of(uid: str) -> str:
    """The record's key in a UID: `regfd-incident-12-deadline@compliance.example.com`."""
    key, _, host = uid.rpartition("@")
    assert host == urlsplit(SITE_URL).hostname
    return key
