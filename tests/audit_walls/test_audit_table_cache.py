"""The audit trail's table is cached by its entries' hashes and the reader's zone
(compliance_site/audit/rendering.py): a reader walled from a case never gets a table an unwalled reader
warmed, the same entries are rendered once, and the zone is part of the key."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance_site.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _web(user):
    client = Client()
    client.force_login(user)
    return client


def _history_links(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'href="/audit/record/([\w.]+)/([^/"]+)/"', html))


def test_a_walled_reader_never_reads_a_table_an_unwalled_reader_warmed(walls):
    cache.clear()
    url = reverse("audit:event-list") + "?page_size=500"
    for _ in range(2):  # the second round reads every table from the cache
        theirs = _history_links(_web(walls.auditor).get(url).content.decode())
        mine = _history_links(_web(walls.reader).get(url).content.decode())
        assert set(walls.walled) & theirs, "the auditor should read the walled case's history"
        assert not set(walls.walled) & mine, "a walled reader read a cached table with the case's history"


def test_the_same_entries_are_rendered_once(users):
    cache.clear()
    client = _web(users["admin"])
    url = reverse("audit:event-list")
    first = client.get(url)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url)
    table = re.compile(rb"<table.*</table>", re.S)  # the page around it carries a fresh nonce each time
    assert table.search(first.content)[0] == table.search(second.content)[0]
    # The names of the people the changes point at are read only when the table is rendered.
    assert not [
        q
        for q in second_queries.captured_queries
        if 'FROM "accounts_user" WHERE' in q["sql"] and "IN" in q["sql"]
    ]


def test_the_readers_zone_is_part_of_the_key(users):
    cache.clear()
    admin = users["admin"]
    assert AuditEvent.objects.exists()
    pages = {}
    for zone in ("America/New_York", "Europe/Paris"):
        admin.time_zone = zone
        admin.save(update_fields=["time_zone"])
        pages[zone] = _web(admin).get(reverse("audit:event-list")).content.decode()
    assert ", your zone)" not in pages["America/New_York"]
    assert ", your zone)" in pages["Europe/Paris"]
