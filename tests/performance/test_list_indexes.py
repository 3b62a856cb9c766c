"""Each list reads its page from an index in its own order (PostgreSQL): the plan of the incident list (the
API's order and the page's working order, open incidents first), the incidents offered on the documents
page, the documents and the audit trail each use their index instead of sorting the table. With sequential
scans turned off the planner must find the index, so a sort that drifts from its index's expression (the
working order is a CASE) fails here, whatever the size of the test data."""

import pytest
from django.db import connection

from compliance_site.audit.models import AuditEvent
from compliance_site.documents.models import GeneratedDocument
from regfd.models import Incident
from regfd.models.incidents import OPEN_FIRST

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("index plans are PostgreSQL's (make test-services)")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Incident.objects.order_by("due_at", "id")[:50], "incident_due_idx"),
        (lambda: Incident.objects.order_by(OPEN_FIRST, "due_at", "id")[:25], "incident_working_order_idx"),
        (lambda: Incident.objects.order_by("-learned_at", "-id")[:200], "incident_latest_idx"),
        (lambda: GeneratedDocument.objects.order_by("-requested_at", "-id")[:50], "document_list_idx"),
        (lambda: AuditEvent.objects.order_by("-seq")[:50], "audit_auditevent_seq_key"),
    ],
    ids=["incidents-api", "incidents-page", "incidents-latest", "documents", "audit"],
)
def test_the_list_reads_its_index(queryset, index):
    from django.db import transaction

    with transaction.atomic():
        plan = _plan(queryset())
    assert index in plan, plan
    assert "Sort" not in plan.split("\n")[1], plan
