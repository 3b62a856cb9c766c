"""The iCalendar text of a feed (RFC 5545, with the `icalendar` library): no database, no clock.

Every instant is written in UTC (`DTSTART:20261225T050000Z`), so no VTIMEZONE is needed and a calendar
shows it in its owner's zone; a deadline is a point in time (DTSTART, no DTEND: RFC 5545 §3.6.1 ends it at
its start), a day mark an all-day event (DTSTART and DTEND as dates). Deadlines do not make their owner
busy (TRANSP:TRANSPARENT).
"""

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration

from .registry import FeedEvent

PRODID = "-//Compliance Case Manager//Deadlines//EN"
NAME = "Compliance deadlines"
# How often a calendar application should fetch the feed again (RFC 7986 REFRESH-INTERVAL; Outlook reads
# X-PUBLISHED-TTL). Applications poll on their own schedule too: Google Calendar every few hours.
REFRESH = timedelta(hours=1)


def absolute(site_url: str, path: str) -> str:
    """The page's address from SITE_URL, where the application is reached (as reminders link)."""
    return site_url.rstrip("/") + path


def uid_of(event: FeedEvent, *, site_url: str) -> str:
    """A globally unique, stable UID (RFC 5545 §3.8.4.7): the record's key at this site's host."""
    return f"{event.key}@{urlsplit(site_url).hostname or 'localhost'}"


def timing_of(event: FeedEvent) -> str:
    """The event's time as compared from one fetch to the next: a move changes it, nothing else does."""
    if event.at is not None:
        return event.at.astimezone(UTC).isoformat()
    return f"{event.on.isoformat()} (all day)"


def content_of(event: FeedEvent, *, site_url: str) -> str:
    """A fingerprint of what the event says, so a changed title is a revision (a new DTSTAMP) too."""
    text = "\x1f".join((event.title, event.description, absolute(site_url, event.url)))
    return hashlib.sha256(text.encode()).hexdigest()


def render(
    events: Iterable[FeedEvent], *, revisions: Mapping[str, tuple[int, object]], site_url: str
) -> bytes:
    """The VCALENDAR of `events`; `revisions` gives each UID its (SEQUENCE, DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", NAME)
    calendar.add("x-wr-calname", NAME)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in events:
        uid = uid_of(event, site_url=site_url)
        sequence, revised_at = revisions[uid]
        link = absolute(site_url, event.url)
        item = Event()
        item.add("uid", uid)
        # No METHOD in the feed, so DTSTAMP is when the event was last revised (RFC 5545 §3.8.7.2), the
        # same from one fetch to the next while nothing changes.
        item.add("dtstamp", revised_at)
        item.add("last-modified", revised_at)
        item.add("sequence", sequence)
        if event.at is not None:
            item.add("dtstart", event.at.astimezone(UTC))
        else:
            item.add("dtstart", event.on)
            item.add("dtend", event.on + timedelta(days=1))
        item.add("summary", event.title)
        item.add("description", f"{event.description}\n{link}" if event.description else link)
        item.add("url", link)
        item.add("transp", "TRANSPARENT")
        item.add("class", "PRIVATE")
        calendar.add_component(item)
    return calendar.to_ical()
