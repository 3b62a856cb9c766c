"""The calendar feed registry: which deadlines each program puts in a person's calendar, registered by the
program that owns the records (docs/architecture.md, "Calendar feeds"). The feed never imports a program;
each program fills this from its own `calendar_events` module, imported by its AppConfig.ready():

    register_source(CalendarSource(name="regfd.incidents", events=incident_events))

`events(user, *, now)` returns the `FeedEvent`s of the deadlines `user` is responsible for, among the
records `user` may see (the program's selectors decide, so a covered executive, a member recused from a
case or someone walled off from it gets no event of it). It is called on every fetch of the user's feed,
so it must cost the same number of queries whatever the number of records: one query per source, with the
joins made in it.

What an event may say is what a reminder may say (compliance_site/notifications/registry.py), and less: a
calendar is synced to phones, shared with assistants and printed. So its title and description carry only
the kind of deadline and the rule it comes from, the record's neutral reference (an incident's reference,
a case's, claim's or vote's number, a fiscal year's label, an earnings period) and its date; the link to the
record's page, behind the sign-in, is where the facts are. Never a name, an amount, a recipient, a case's
title or anything of an incident's substance. tests/calendar_feed/test_feed_content.py builds every feed of
the demo data and fails on any of these.

The feed gives each event its UID from `key` (so it is derived from the record, never from the time: a
deadline that moves is the same event), and its SEQUENCE and DTSTAMP (feed.py): a program never counts
revisions itself.

A plain dict filled in INSTALLED_APPS order; registering a name again replaces the source, so a module
imported twice (autoreload, tests) changes nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class FeedEvent:
    """One deadline in a calendar: at an instant (`at`, aware) or on a day (`on`, an all-day event).

    key: stable and unique across programs, built from the record ("regfd-incident-12-deadline"), never from
        the time. title, description: plain text, neutral (see above). url: the record's page, a path.
    """

    key: str
    title: str
    url: str
    description: str = ""
    at: datetime | None = None
    on: date | None = None

    def __post_init__(self) -> None:
        if (self.at is None) == (self.on is None):
            raise ValueError(f"{self.key}: an event is at an instant or on a day, exactly one of the two")
        if self.at is not None and (self.at.tzinfo is None or self.at.utcoffset() is None):
            raise ValueError(f"{self.key}: a naive time; give the instant with its zone")
        if not self.url.startswith("/"):
            raise ValueError(f"{self.key}: the link is a path on this site, e.g. /regfd/incidents/12/")


@dataclass(frozen=True)
class CalendarSource:
    name: str  # "<program>.<what>": unique, so registering it again replaces it
    events: Callable[..., Iterable[FeedEvent]]  # (user, *, now) -> the user's events of this kind


SOURCES: dict[str, CalendarSource] = {}


def register_source(source: CalendarSource) -> CalendarSource:
    SOURCES[source.name] = source
    return source


def sources() -> list[CalendarSource]:
    """The registered sources, in registration order."""
    return list(SOURCES.values())
