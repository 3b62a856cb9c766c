"""An unscheduled closure added by an administrator changes the deadline of an open incident, and the change
is recorded: a DeadlineComputation row and an audit event with the reason (docs/regfd-rules
§2.2, §2.7, §3.3).

The incident's T0 is Tue 2026-03-03 14:00 ET: on the seeded calendar its working deadline is T0 + 24 h, Wed
2026-03-04 14:00 ET (19:00Z). Closing the NYSE on Wed 2026-03-04 (as it closed on 2025-01-09) puts a
non-trading day inside those 24 hours, so both the policy target and the legal outer limit become the next
open, Thu 2026-03-05 09:30 ET (14:30Z).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance_site.audit.models import AuditEvent
from regfd import services
from regfd.models import DeadlineComputation, MarketClosure
from tests.clients import client_for
from tests.factories import report_incident

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
BEFORE = datetime(2026, 3, 4, 19, 0, tzinfo=UTC)
AFTER = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
CLOSURE = {
    "day": "2026-03-04",
    "kind": "closure",
    "name": "National Day of Mourning",
    "source": "NYSE notice of 2026-03-02 (https://www.nyse.com/)",
}


def _open(actor, *, day=3, title="Guidance comment"):
    return report_incident(
        actor,
        now=datetime(2026, 3, day, 21, 0, tzinfo=UTC),
        title=title,
        disclosed_at=datetime(2026, 3, day, 13, 0, tzinfo=ET),
        learned_at=datetime(2026, 3, day, 14, 0, tzinfo=ET),
    )


@pytest.fixture
def incident(users):
    made = _open(users["employee"])
    assert made.due_at == BEFORE
    return made


def test_admin_adds_an_unscheduled_closure_and_the_open_deadline_moves_with_a_record(users, incident):
    closed = _open(users["secretary"], title="Already disclosed")
    services.record_public_disclosure(
        actor=users["secretary"], incident=closed, disclosed_at=closed.learned_at, method="press_release"
    )

    admin = client_for(users["admin"])
    response = admin.post(reverse("regfd:calendar-add"), CLOSURE)
    assert response.status_code == 302 and response["Location"] == reverse("regfd:calendar-list")

    closure = MarketClosure.objects.get(date=date(2026, 3, 4), active=True)
    assert closure.added_by == users["admin"] and closure.source == CLOSURE["source"]
    incident.refresh_from_db()
    assert incident.due_at == incident.outer_limit == incident.policy_target == AFTER
    assert (
        incident.calendar_version
        != DeadlineComputation.objects.filter(incident=incident).first().calendar_version
    )

    # The deadline history: what it was, what it became and why.
    first, second = incident.deadline_history.all()
    assert (first.due_at, second.due_at) == (BEFORE, AFTER)
    assert second.reason.startswith("Calendar changed: National Day of Mourning on 2026-03-04")
    assert second.calendar_version == incident.calendar_version

    # The audit trail: the incident's change, attributed to the administrator, with the same reason.
    event = AuditEvent.objects.filter(
        object_type="regfd.incident", object_id=str(incident.pk), action="update"
    ).latest("seq")
    assert event.actor == users["admin"]
    assert event.reason == second.reason
    assert event.changes["due_at"][1].startswith("2026-03-05T14:30")
    assert AuditEvent.objects.filter(
        object_type="regfd.marketclosure", object_id=str(closure.pk), action="create", reason=second.reason
    ).exists()

    # A closed incident keeps the deadline it was judged against.
    closed.refresh_from_db()
    assert closed.due_at == BEFORE and closed.deadline_history.count() == 1

    # The page says which incidents moved, and each incident page shows its deadline history.
    page = admin.get(reverse("regfd:calendar-list"))
    html = page.content.decode()
    assert f"1 open incident deadline(s) moved: {incident.reference}" in html
    assert incident.reference in html and "National Day of Mourning" in html
    detail = client_for(users["secretary"]).get(reverse("regfd:incident-detail", args=[incident.pk]))
    assert "Calendar changed: National Day of Mourning" in detail.content.decode()


def test_a_closure_that_does_not_touch_the_deadline_moves_nothing(users, incident):
    old_version = incident.calendar_version
    closure, moved = services.add_market_closure(
        actor=users["admin"],
        now=datetime(2026, 3, 3, 21, 0, tzinfo=UTC),
        day=date(2026, 3, 10),
        kind="closure",
        name="Unscheduled closure",
        source="NYSE notice",
    )
    assert moved == []
    incident.refresh_from_db()
    assert incident.due_at == BEFORE and incident.deadline_history.count() == 1
    # The deadline was checked against the new calendar: the stored version says so.
    assert incident.calendar_version != old_version
    assert closure.active


def test_withdrawing_the_closure_needs_a_reason_and_moves_the_deadline_back(users, incident):
    admin = client_for(users["admin"])
    admin.post(reverse("regfd:calendar-add"), CLOSURE)
    closure = MarketClosure.objects.get(date=date(2026, 3, 4), active=True)
    url = reverse("regfd:calendar-deactivate", args=[closure.pk])

    refused = admin.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert refused.context["deactivate_form"].errors["reason"]

    assert admin.post(url, {"reason": "Entered on the wrong day"}).status_code == 302
    closure.refresh_from_db()
    assert not closure.active
    incident.refresh_from_db()
    assert incident.due_at == BEFORE
    last = incident.deadline_history.last()
    assert "withdrawn (Entered on the wrong day)" in last.reason
    assert admin.post(url, {"reason": "again"}).status_code == 400  # already withdrawn


def test_calendar_page_lists_rows_by_year_with_source_and_who_added(users):
    response = client_for(users["admin"]).get(reverse("regfd:calendar-list"))
    assert response.status_code == 200
    years = [year for year, _ in response.context["years"]]
    assert years == sorted(years) and {2025, 2026, 2027, 2028} <= set(years)
    html = response.content.decode()
    assert "Good Friday" in html and "Early close" in html and "Seed" in html
    assert 'data-testid="calendar-version"' in html


@pytest.mark.parametrize("role", ["secretary", "counsel", "officer", "auditor", "employee"])
def test_only_administrators_edit_the_calendar(users, incident, role):
    client = client_for(users[role])
    assert client.get(reverse("regfd:calendar-list")).status_code == 403
    assert client.post(reverse("regfd:calendar-add"), CLOSURE).status_code == 403
    assert not MarketClosure.objects.filter(date=date(2026, 3, 4)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"day": "2035-03-05"}, "day", "outside"),
        ({"day": "2026-03-07"}, "day", "Saturday"),
        ({"source": " "}, "source", "required"),
        ({"kind": "half_day"}, "kind", "valid choice"),
    ],
)
def test_bad_calendar_entries_are_form_errors(users, overrides, field, text):
    response = client_for(users["admin"]).post(reverse("regfd:calendar-add"), {**CLOSURE, **overrides})
    assert response.status_code == 400
    assert text in " ".join(response.context["add_form"].errors[field])


def test_calendar_api_reads_for_everyone_and_writes_for_administrators(users, incident):
    reader = APIClient()
    reader.force_authenticate(users["employee"])
    listing = reader.get("/api/regfd/calendar/", {"year": 2025})
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert {row["date"] for row in rows} >= {"2025-01-09", "2025-12-25"}
    assert all(row["date"].startswith("2025-") for row in rows)

    payload = {**{k: v for k, v in CLOSURE.items() if k != "day"}, "date": "2026-03-04"}
    secretary = APIClient()
    secretary.force_authenticate(users["secretary"])
    assert secretary.post("/api/regfd/calendar/", payload, format="json").status_code == 403

    admin = APIClient()
    admin.force_authenticate(users["admin"])
    created = admin.post("/api/regfd/calendar/", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["closure"]["date"] == "2026-03-04" and body["closure"]["added_by"] == users["admin"].pk
    assert body["moved_incidents"] == [
        {"id": incident.pk, "reference": incident.reference, "due_at": "2026-03-05T14:30:00Z"}
    ]
    outside = admin.post("/api/regfd/calendar/", {**payload, "date": "2040-01-02"}, format="json")
    assert outside.status_code == 400 and "date" in outside.json()["error"]["fields"]

    withdrawn = admin.post(f"/api/regfd/calendar/{body['closure']['id']}/deactivate/", {"reason": "Error"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["closure"]["active"] is False
    assert [m["id"] for m in withdrawn.json()["moved_incidents"]] == [incident.pk]
