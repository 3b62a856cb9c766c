"""Writes: making and turning off a calendar link (`links`, re-exported), and publishing a feed with its
events' revisions."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from . import feed
from .links import issue_feed_link, revoke_feed_link
from .models import FeedEventRevision
from .registry import FeedEvent
from .selectors import events_for

__all__ = ["issue_feed_link", "publish_feed", "revise", "revoke_feed_link"]


def publish_feed(*, user, now: datetime) -> bytes:
    """The iCalendar text of `user`'s feed as it stands at `now`: every registered source's events for them,
    each with its SEQUENCE and DTSTAMP from the revisions recorded so far (`revise`)."""
    site_url = settings.SITE_URL
    events = events_for(user, now=now)
    return feed.render(events, revisions=revise(events, now=now, site_url=site_url), site_url=site_url)


def revise(events: list[FeedEvent], *, now: datetime, site_url: str) -> dict[str, tuple[int, datetime]]:
    """{UID: (SEQUENCE, DTSTAMP)} for `events`, recording what changed since any feed last published them.

    An event seen for the first time starts at SEQUENCE 0; one whose time moved goes up by one; one whose
    words or link changed keeps its number and gets a new DTSTAMP; an unchanged one keeps both, so repeated
    fetches give the same text. The revisions are shared by every feed (an event is the same in each).
    Costs one query to read, one insert for new events and one update per changed one: a steady feed is
    one query whatever its length. Two fetches at once may both see a change: a new event is inserted once
    (the other fetch starts over), and each update applies only to the row as it was read, so a SEQUENCE
    never names two different times."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _revise_once(events, now=now, site_url=site_url)
        except IntegrityError:
            if attempt:  # another fetch inserted the same new event twice over: give up loudly
                raise
    raise AssertionError("unreachable")


def _revise_once(events, *, now, site_url) -> dict[str, tuple[int, datetime]]:
    wanted = {
        feed.uid_of(event, site_url=site_url): (
            feed.timing_of(event),
            feed.content_of(event, site_url=site_url),
        )
        for event in events
    }
    stored = {row.uid: row for row in FeedEventRevision.objects.filter(uid__in=list(wanted))}
    new = [
        FeedEventRevision(uid=uid, timing=timing, content=content, sequence=0, revised_at=now)
        for uid, (timing, content) in wanted.items()
        if uid not in stored
    ]
    if new:
        FeedEventRevision.objects.bulk_create(new)
        stored.update((row.uid, row) for row in new)
    for uid, (timing, content) in wanted.items():
        row = stored[uid]
        if (row.timing, row.content) != (timing, content):
            stored[uid] = _record(row, timing=timing, content=content, now=now)
    return {uid: (row.sequence, row.revised_at) for uid, row in stored.items()}


def _record(row: FeedEventRevision, *, timing: str, content: str, now: datetime) -> FeedEventRevision:
    """Save an event's new time or words over the row as it was read (optimistically: if another fetch
    changed it meanwhile, read it again and start from there)."""
    while True:
        sequence = row.sequence + (row.timing != timing)
        saved = FeedEventRevision.objects.filter(
            pk=row.pk, sequence=row.sequence, timing=row.timing, content=row.content
        ).update(timing=timing, content=content, sequence=sequence, revised_at=now)
        if saved:
            row.timing, row.content, row.sequence, row.revised_at = timing, content, sequence, now
            return row
        row = FeedEventRevision.objects.get(pk=row.pk)
        if (row.timing, row.content) == (timing, content):
            return row
