"""The audit walls cost two queries whatever their number (the walled cases, then every walled record in one
union), one for a reader walled from no case; the trail filtered by them is one query, and the
audit trail page, the API list and the dashboard cost the same number of queries however many cases wall the
reader (docs/architecture.md, "The audit walls")."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.audit_walls import case_walls
from clawback.models import RestatementEvent
from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.selectors import events_visible_to
from compliance_site.audit.walls import _walls, register_audit_wall, walled_events
from tests.factories import RestatementFactory

pytestmark = pytest.mark.django_db


def _more_walled_cases(walls, n):
    executive = walls.records["clawback.executive"]
    for i in range(n):
        case = RestatementFactory(company=walls.case.company, title=f"Walled case {i}")
        case.covered_executives.add(executive)
        RestatementEvent.objects.create(
            restatement=case, kind=RestatementEvent.Kind.BOARD_CONCLUDED, date=walls.case.created_at.date()
        )


def test_the_walls_cost_two_queries_and_the_trail_one(walls, users):
    # The auditor reads no clawback record at all: walled from the whole program, with no query.
    for reader, expected in ((walls.reader, 3), (walls.auditor, 2), (users["admin"], 2)):
        has_capability(reader, "audit.view")  # the roles are read once per request, walls or not
        with CaptureQueriesContext(connection) as queries:
            events = list(events_visible_to(reader)[:50])
        assert len(queries) == expected, [q["sql"][:200] for q in queries.captured_queries]
        assert events


def _count(get):
    get()  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("surface", ["page", "api", "dashboard"])
def test_the_cost_does_not_grow_with_the_walled_cases(walls, surface):
    web, api = Client(), APIClient()
    web.force_login(walls.reader)
    api.force_authenticate(walls.reader)
    get = {
        "page": lambda: web.get(reverse("audit:event-list")),
        "api": lambda: api.get("/api/audit/events/"),
        "dashboard": lambda: web.get(reverse("dashboard")),
    }[surface]
    few = _count(get)
    _more_walled_cases(walls, 5)
    assert _count(get) == few


def test_registering_a_wall_again_replaces_it(walls):
    registered = dict(_walls)
    assert registered.get("clawback") is case_walls, "clawback registers its wall at start-up"
    register_audit_wall("clawback", case_walls)
    assert _walls == registered


def test_without_clawback_access_no_clawback_record_is_readable(walls, users):
    """No role reading the trail lacks clawback access today; should one, the program's records are walled
    whole (by type), with what points at them."""
    left = AuditEvent.objects.exclude(walled_events(users["employee"]))
    pairs = set(left.values_list("object_type", "object_id"))
    assert pairs.isdisjoint(walls.walled) and pairs.isdisjoint(walls.other)
    assert ("clawback.measure", str(walls.measure.pk)) in pairs
