"""The audit trail's table, rendered once for a given page of entries and reused (fragment caching).

Rendering 50 entries with their labelled changes is most of the audit trail page's cost. The table is cached
under a key made of the entries' chain hashes and the reader's time zone, and nothing else:

- an entry never changes (the trail is append-only, and its hash covers every field), so the same hashes are
  the same entries;
- which entries a reader gets is decided before, by `events_visible_to` (the walls): the cache only ever
  holds a table for exactly the entries a reader was allowed, and a reader walled from one of them asks for a
  different list of hashes, hence a different key. Nothing a wall could change is read from the cache;
- times are shown in New York time and the reader's zone: the zone is in the key.

What may be stale is a person's current name, which the table shows next to an id, for AUDIT_TABLE_SECONDS
at most: the name as known at the time (`actor_repr`) is part of the entry and never stale.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .selectors import describe_events

AUDIT_TABLE_SECONDS = 300
_VERSION = "1"  # raise when audit/event_table.html or event_row.html changes what they show


def event_table(events: list, *, compact: bool = False) -> str:
    """The table of `events` (already filtered by the walls), from the cache or rendered and cached.
    `compact`: the dashboard's shorter form."""
    zone = timezone.get_current_timezone_name()
    parts = [_VERSION, zone, "compact" if compact else "full", *(e.hash for e in events)]
    key = f"audit-table:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        context = {"events": describe_events(events), "compact": compact}
        html = render_to_string("audit/event_table.html", context)
        cache.set(key, html, AUDIT_TABLE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there
