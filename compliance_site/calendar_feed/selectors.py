"""Reads: whose feed a link opens, a person's live link, and the events of a person's feed."""

import hashlib
from datetime import UTC, datetime

from .models import CalendarFeedToken
from .registry import FeedEvent, sources


def digest_of(token: str) -> str:
    """What is stored of a link's secret: its SHA-256. The secret is 32 random bytes, so a fast hash is
    enough (nobody can guess their way to it), as for API tokens (compliance_site/accounts/tokens.py)."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str):
    """The active user whose live link carries `token`, or None: an unknown, revoked or mistyped link, or
    the link of a deactivated user, opens nothing. One query."""
    link = (
        CalendarFeedToken.objects.filter(
            digest=digest_of(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return link.user if link is not None else None


def live_link_of(user) -> CalendarFeedToken | None:
    """The user's calendar link that still opens their feed, if any (its secret is not stored)."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def events_for(user, *, now: datetime) -> list[FeedEvent]:
    """Every registered source's events for `user`, in time order. Each source decides whom an event is
    for and who may see its record (registry.py); a key given twice is a mistake in a program."""
    if not user.is_active:
        return []
    events: dict[str, FeedEvent] = {}
    for source in sources():
        for event in source.events(user, now=now):
            if event.key in events:
                raise ValueError(f"calendar source {source.name} gives the key {event.key} twice")
            events[event.key] = event
    return sorted(events.values(), key=_start)


def _start(event: FeedEvent) -> tuple[str, str]:
    # A day sorts by its date, an instant by its UTC time: enough to read the feed in order.
    start = event.at.astimezone(UTC).isoformat() if event.at is not None else event.on.isoformat()
    return start, event.key
