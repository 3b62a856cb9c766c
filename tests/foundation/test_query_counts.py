"""List pages cost the same number of queries whatever their length: no query per row."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clawback.models import Recusal, RestatementEvent
from compliance_site.audit.recorder import record_action
from tests.factories import (
    AwardFactory,
    ExecutiveFactory,
    IncidentFactory,
    MeasureFactory,
    RestatementFactory,
)

FEW, MANY = 2, 25


def _incidents(ctx, n):
    reporters = [ctx.users[r] for r in ("secretary", "employee", "committee", "board")]
    now = timezone.now()
    for i in range(n):
        overdue = i % 2 == 0
        IncidentFactory(
            reported_by=reporters[i % len(reporters)],
            recipient_firm=f"Firm {i}",
            due_at=now + (timedelta(hours=-3) if overdue else timedelta(hours=5)),
        )


def _restatements(ctx, n):
    for i in range(n):
        case = RestatementFactory(company=ctx.company, title=f"Case {ctx.seq()}")
        RestatementEvent.objects.create(
            restatement=case,
            kind=RestatementEvent.Kind.BOARD_CONCLUDED,
            date=date(2026, 1, 1) + timedelta(days=i),
        )
        RestatementEvent.objects.create(
            restatement=case, kind=RestatementEvent.Kind.FORM_8K, date=date(2026, 2, 1) + timedelta(days=i)
        )
        case.covered_executives.add(ExecutiveFactory(company=ctx.company))
        Recusal.objects.create(restatement=case, user=ctx.users["committee2"], reason="Conflict")


def _executives(ctx, n):
    for _ in range(n):
        ExecutiveFactory(company=ctx.company, title="Executive Vice President")


def _awards(ctx, n):
    for _ in range(n):
        executive = ExecutiveFactory(company=ctx.company)
        AwardFactory(
            executive=executive, measure=MeasureFactory(company=ctx.company), measure_period="FY2024"
        )


def _events(ctx, n):
    actors = [ctx.users[r] for r in ("admin", "secretary", "counsel", "auditor")]
    for i in range(n):
        record_action(
            actor=actors[i % len(actors)],
            verb=f"step-{ctx.seq()}",
            obj=ctx.company,
            details={"n": i},
            reason="because",
        )


def _public_statements(ctx, n):
    from tests.regfd.statements_setup import add_statement

    keepers = [ctx.users[r] for r in ("secretary", "counsel", "admin")]
    for i in range(n):
        add_statement(keepers[i % len(keepers)], title=f"Release {ctx.seq()}")


def _chat_channels(ctx, n):
    from compliance_site.notifications.models import WebhookEndpoint

    now = timezone.now()
    for _ in range(n):
        i = ctx.seq()
        WebhookEndpoint.objects.create(
            company=ctx.company,
            name=f"Channel {i}",
            kind="slack" if i % 2 else "teams",
            url=f"https://hooks.slack.com/services/T0/B0/token{i:04d}",
            url_hint=f"https://hooks.slack.com/…{i:04d}",
            events="incident_due,incident_overdue",
            url_set_at=now,
            created_at=now,
            updated_at=now,
        )


def _failed_chat_messages(ctx, n):
    from compliance_site.notifications.models import WebhookDelivery
    from compliance_site.notifications.selectors import reminders_for_record

    _chat_channels(ctx, 1)
    endpoint = ctx.company.webhook_endpoints.order_by("pk").last()
    now = timezone.now()
    for _ in range(n):
        incident = IncidentFactory()
        reminder = reminders_for_record(incident).first()
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            reminder=reminder,
            title=f"Escalation: {incident.reference} public disclosure overdue",
            payload={"text": "t"},
            status="failed",
            attempts=5,
            created_at=now,
            failed_at=now,
            last_error="The chat service answered 500 (Internal Server Error). It said: invalid_token",
        )


def _dashboard(ctx, n):
    _incidents(ctx, n)
    _restatements(ctx, n)
    _events(ctx, n)


PAGES = {
    # name: (role, url name, how to add n rows, how many rows the page lists)
    "incidents": (
        "secretary",
        "regfd:incident-list",
        _incidents,
        lambda r: len(r.context["page"].object_list),
    ),
    "restatements": (
        "committee",
        "clawback:restatement-list",
        _restatements,
        lambda r: len(r.context["page"].object_list),
    ),
    "awards": ("committee", "clawback:award-list", _awards, lambda r: len(r.context["page"].object_list)),
    "executives": (
        "committee",
        "clawback:executive-list",
        _executives,
        lambda r: len(r.context["page"].object_list),
    ),
    "audit": ("auditor", "audit:event-list", _events, lambda r: len(r.context["page"].object_list)),
    "public_statements": (
        "secretary",
        "regfd:statement-list",
        _public_statements,
        lambda r: len(r.context["page"].object_list),
    ),
    "chat_channels": (
        "secretary",
        "notifications:webhook-list",
        _chat_channels,
        lambda r: len(r.context["endpoints"]),
    ),
    "failed_chat_messages": (
        "admin",
        "ops:status",
        _failed_chat_messages,
        lambda r: len(r.context["chat_failed"]),
    ),
    "dashboard": (
        "admin",
        "dashboard",
        _dashboard,
        lambda r: (
            len(r.context["overdue_incidents"])
            + len(r.context["due_soon_incidents"])
            + len(r.context["active_restatements"])
            + len(r.context["recent_events"])
        ),
    ),
}


class Ctx:
    def __init__(self, users, company):
        self.users, self.company, self._n = users, company, 0

    def seq(self):
        self._n += 1
        return self._n


def _count(client, url):
    client.get(url)  # warm caches (content types, session) so both measurements see the same state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("listing", sorted(PAGES))
def test_list_page_query_count_does_not_grow_with_rows(listing, users, company):
    role, url_name, add_rows, rows_shown = PAGES[listing]
    ctx = Ctx(users, company)
    client = Client()
    client.force_login(users[role])
    url = reverse(url_name)

    add_rows(ctx, FEW)
    few_count, few_response, _ = _count(client, url)
    add_rows(ctx, MANY - FEW)
    many_count, many_response, many_sql = _count(client, url)

    assert rows_shown(many_response) > rows_shown(few_response), "the page does not show the added rows"
    assert many_count == few_count, (
        f"{listing}: {few_count} queries with {FEW} rows, {many_count} with {MANY}:\n" + "\n".join(many_sql)
    )


def test_the_list_pages_show_every_row_added(users, company):
    """Guard for the test above: with MANY rows the list pages really render MANY rows."""
    ctx = Ctx(users, company)
    for listing in ("incidents", "restatements", "awards", "executives", "audit"):
        role, url_name, add_rows, rows_shown = PAGES[listing]
        add_rows(ctx, MANY)
        client = Client()
        client.force_login(users[role])
        response = client.get(reverse(url_name))
        assert rows_shown(response) >= MANY, listing


@pytest.mark.parametrize("listing", ["incidents", "restatements", "awards", "executives", "audit"])
def test_paginated_lists_have_a_stable_order(listing, users, company):
    """Pagination over an unordered queryset can repeat or skip rows between pages. (An aggregate annotation
    makes Django ignore Meta.ordering, so the order must be explicit.)"""
    role, url_name, add_rows, _ = PAGES[listing]
    add_rows(Ctx(users, company), 3)
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse(url_name))
    assert response.context["page"].paginator.object_list.ordered, (
        f"{url_name} paginates an unordered queryset"
    )


def test_restatements_are_listed_newest_first(users, company):
    for title in ("Oldest", "Middle", "Newest"):
        RestatementFactory(company=company, title=title)
    client = Client()
    client.force_login(users["committee"])
    titles = [r.title for r in client.get(reverse("clawback:restatement-list")).context["page"].object_list]
    assert titles == ["Newest", "Middle", "Oldest"]
