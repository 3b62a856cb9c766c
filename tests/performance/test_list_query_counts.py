"""Query counts of the lists `make bench` measures (bench/bench_server.py): each list API and page, the
dashboard and a case page run the same number of queries with 3 rows as with 60 (more than a page of
every list), as the Administrator, who sees everything.

The groundwork of issue #16: a count that grows with the rows is an N+1, marked xfail(strict=True) with
what grows, so the test turns red, to be unmarked, the moment it is fixed.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance_site.audit.recorder import audit_context
from compliance_site.documents.models import GeneratedDocument
from regfd.models import Incident
from tests.clients import client_for, token_api_for
from tests.factories import (
    AwardFactory,
    ExecutiveFactory,
    IncidentFactory,
    MeasureFactory,
    RestatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 60  # 3: the audit trail has ~20 events of the fixtures and 6 a row, under its page of 50


@dataclass(frozen=True)
class Endpoint:
    id: str
    api: bool
    path: str  # {case}: the case's pk

    def url(self, case) -> str:
        return self.path.format(case=case.pk)


ENDPOINTS = [
    Endpoint("api-incidents", True, "/api/regfd/incidents/"),
    Endpoint("api-awards", True, "/api/clawback/awards/"),
    Endpoint("api-executives", True, "/api/clawback/executives/"),
    Endpoint("api-audit-events", True, "/api/audit/events/"),
    Endpoint("api-documents", True, "/api/documents/"),
    Endpoint("page-incidents", False, "/regfd/incidents/"),
    Endpoint("page-awards", False, "/clawback/awards/"),
    Endpoint("page-executives", False, "/clawback/executives/"),
    Endpoint("page-audit", False, "/audit/"),
    Endpoint("page-documents", False, "/documents/"),
    Endpoint("page-dashboard", False, "/"),
    Endpoint("page-case", False, "/clawback/restatements/{case}/"),
]


def _grow(count: int, *, company, case, users) -> None:
    """`count` more of each record the lists show, each entered by a person of its own, so a per-row lookup
    of who did it shows too: an executive (linked to that person's sign-in) covered by the case, with an
    award on a measure of its own; an incident with a rendered record (document) of it; and the audit
    events their creation writes, with that person as the actor. Relations left empty (exclusions, credits,
    components) still cost a query per row when they are not prefetched, so they show as well."""
    content_type = ContentType.objects.get_for_model(Incident)
    for _ in range(count):
        person = UserFactory()
        with audit_context(actor=person):
            executive = ExecutiveFactory(company=company, user=person)
            measure = MeasureFactory(company=company)
            AwardFactory(executive=executive, measure=measure, measure_period="FY2024")
            case.covered_executives.add(executive)
            incident = IncidentFactory(reported_by=person, counsel_concluded_by=users["counsel"])
            _document(incident, content_type, person)


def _document(incident, content_type, requested_by) -> GeneratedDocument:
    now = timezone.now()
    done = incident.pk % 2 == 0
    name = f"{incident.reference}-v1.pdf"
    return GeneratedDocument.objects.create(
        kind=GeneratedDocument.Kind.INCIDENT,
        title=f"Reg FD incident record — {incident.reference}",
        content_type=content_type,
        record_id=incident.pk,
        version=1,
        snapshot={"title": incident.reference},
        snapshot_sha256="0" * 64,
        requested_by=requested_by,
        requested_at=now,
        state=GeneratedDocument.State.DONE if done else GeneratedDocument.State.QUEUED,
        file=f"documents/regfd_incident/test/{name}" if done else "",
        filename=name if done else "",
        sha256="1" * 64 if done else "",
        size=1000 if done else 0,
        generated_at=now + timedelta(seconds=2) if done else None,
    )


def _queries(client, url) -> tuple[list[str], object]:
    client.get(url)  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries], response


def _rows_shown(response, *, api: bool) -> int | None:
    """How many rows the answer lists: the API's page, or the page object of a list page; None for a page
    without one (the dashboard, a case)."""
    if api:
        return len(response.json()["results"])
    contexts = response.context if isinstance(response.context, list) else [response.context]
    pages = [value for c in contexts for value in c.flatten().values() if isinstance(value, Page)]
    return max(len(page.object_list) for page in pages) if pages else None


def _growth(few: list[str], many: list[str]) -> str:
    """The statements run more often with more rows, for the failure message."""
    from collections import Counter

    def shape(sql: str) -> str:
        return " ".join(sql.split())[:160]

    extra = Counter(map(shape, many)) - Counter(map(shape, few))
    return "\n".join(f"  +{n}  {sql}" for sql, n in extra.most_common(8))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_queries_do_not_grow_with_rows(endpoint, users, company):
    case = RestatementFactory(company=company, title="FY2025 restatement")
    client = token_api_for(users["admin"]) if endpoint.api else client_for(users["admin"])
    url = endpoint.url(case)

    _grow(FEW, company=company, case=case, users=users)
    few, response = _queries(client, url)
    shown_few = _rows_shown(response, api=endpoint.api)
    _grow(MANY - FEW, company=company, case=case, users=users)
    many, response = _queries(client, url)
    shown_many = _rows_shown(response, api=endpoint.api)

    if shown_few is not None:  # a list: the second count really had more rows to show
        assert shown_many > shown_few, (shown_few, shown_many)
    assert len(many) == len(few), (
        f"{url}: {len(few)} queries with {FEW} rows, {len(many)} with {MANY}\n{_growth(few, many)}"
    )
