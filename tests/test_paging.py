"""The capped count (compliance_site/paging.py): exact up to the cap, bounded past it, and no row out of
reach either way, on the pages and through the API's `next` links."""

import pytest

from compliance_site import paging
from compliance_site.audit.models import AuditEvent
from compliance_site.paging import CappedCountPaginator
from tests.clients import client_for, token_api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    monkeypatch.setattr(paging, "COUNT_CAP", 5)


def test_under_the_cap_it_is_djangos_paginator(small_cap):
    paginator = CappedCountPaginator(list(range(5)), 2)
    assert paginator.exact and paginator.count == 5 and paginator.num_pages == 3
    assert [list(paginator.page(n)) for n in (1, 2, 3)] == [[0, 1], [2, 3], [4]]


def test_past_the_cap_the_count_is_bounded_and_every_row_is_reachable(
    small_cap, django_assert_max_num_queries
):
    rows = list(range(23))

    class Rows:  # slices and counts like a queryset, so the capped branch is taken
        def __init__(self, items):
            self.items = items

        def __getitem__(self, index):
            return Rows(self.items[index]) if isinstance(index, slice) else self.items[index]

        def __iter__(self):
            return iter(self.items)

        def __len__(self):
            return len(self.items)

        def count(self):
            return len(self.items)

        def order_by(self, *fields):
            return self

    paginator = CappedCountPaginator(Rows(rows), 4)
    assert paginator.count == 6 and not paginator.exact
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen += list(page)
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == rows and number == 6
    assert paginator.get_page(99).number == paginator.num_pages  # past the end: the last counted page


def test_the_count_reads_at_most_the_cap_plus_one_rows(small_cap, users, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert CappedCountPaginator(AuditEvent.objects.all(), 50).count >= 0
    assert "LIMIT 6" in captured.captured_queries[0]["sql"]


def test_the_api_and_the_page_say_more_than_and_go_on(small_cap, users):
    from tests.factories import IncidentFactory

    for _ in range(30):
        IncidentFactory(reported_by=users["admin"])
    api = token_api_for(users["admin"])
    first = api.get("/api/regfd/incidents/?page_size=3").json()
    assert first["count_exact"] is False and first["count"] == 6
    seen, answer = [row["id"] for row in first["results"]], first
    while answer["next"]:
        answer = api.get(answer["next"]).json()
        seen += [row["id"] for row in answer["results"]]
    assert len(seen) == len(set(seen)) == 30

    page = client_for(users["admin"]).get("/regfd/incidents/").content.decode()
    assert "more than 5 in all" in page


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63 - 1), str(2**62)])
def test_a_page_past_any_offset_the_database_takes_is_not_a_500(small_cap, users, number):
    """Past the cap the last page is not counted, and every number was taken: an OFFSET past a 64-bit
    integer failed in the database (a 500 on every list page and API once a list passed 1,000 rows)."""
    from tests.factories import IncidentFactory

    for _ in range(8):
        IncidentFactory(reported_by=users["admin"])
    answer = token_api_for(users["admin"]).get(f"/api/regfd/incidents/?page={number}")
    assert answer.status_code == 404
    page = client_for(users["admin"]).get(f"/regfd/incidents/?page={number}")
    assert page.status_code == 200  # the last counted page, as past the end below the cap
