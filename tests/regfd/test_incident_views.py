"""The incident pages: the Corporate Secretary's incident page and its actions, counsel's conclusion, the
reporter's read-only view, clear errors instead of 500s, and query counts that do not grow with rows."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance_site.confirm import confirmed_data as confirmed
from regfd import services
from regfd.models import DeadlineComputation, Exclusion, Incident
from tests.clients import client_for
from tests.factories import IncidentFactory
from tests.regfd.incident_setup import action, detail

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
LOCAL = "%Y-%m-%dT%H:%M"


# The incident page --------------------------------------------------------------------------------------


def test_secretary_sees_every_section_with_its_forms(users, incident):
    response = client_for(users["secretary"]).get(detail(incident))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Deadline",
        "Materiality",
        "Counsel's conclusion",
        "Exclusions claimed",
        "Record the public disclosure",
        "Deadline history",
    ):
        assert heading in html, heading
    assert 'data-countdown="' in html
    assert "as soon as reasonably practicable" in html
    assert response.context["materiality_form"] is not None
    assert response.context["exclusion_form"] is not None
    assert response.context["conclusion_form"] is None  # counsel only
    assert reverse("attachments:record", args=["regfd.incident", incident.pk]) in html
    # The materiality checkboxes list the policy's categories.
    assert "Earnings information and quarterly results" in html
    assert "Incident logged" in html  # the first deadline history row


def test_reporter_sees_their_incident_read_only(users, incident):
    response = client_for(users["employee"]).get(detail(incident))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "materiality_form",
        "conclusion_form",
        "exclusion_form",
        "correct_form",
        "disclosure_form",
        "close_form",
    ):
        assert response.context[name] is None, name
    assert '<form method="post" action="/regfd/' not in html
    assert "Deadline history" in html and "Materiality" in html


def test_counsel_sees_the_conclusion_form_but_not_the_secretarys_forms(users, incident):
    response = client_for(users["counsel"]).get(detail(incident))
    assert response.context["conclusion_form"] is not None
    assert response.context["materiality_form"] is None
    assert response.context["disclosure_form"] is None


def test_intentional_disclosure_shows_the_violation_banner(users):
    intentional = IncidentFactory(reported_by=users["secretary"], intentional=True)
    html = client_for(users["secretary"]).get(detail(intentional)).content.decode()
    assert "Intentional selective disclosure: a Regulation FD violation" in html


# Actions ------------------------------------------------------------------------------------------------


def test_secretary_records_the_materiality_assessment(users, incident):
    client = client_for(users["secretary"])
    response = client.post(
        action("assess-materiality", incident),
        {
            "material_categories": ["earnings", "contracts"],
            "in_doubt": "on",
            "materiality_assessment": "Order book points to the quarter's revenue.",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(incident)
    incident.refresh_from_db()
    assert incident.material_categories == ["earnings", "contracts"] and incident.in_doubt
    html = client.get(detail(incident)).content.decode()
    assert 'data-testid="presumed-material"' in html
    assert "Award or loss of a significant contract" in html


def test_materiality_without_an_assessment_is_a_form_error(users, incident):
    response = client_for(users["secretary"]).post(
        action("assess-materiality", incident), {"material_categories": ["earnings"]}
    )
    assert response.status_code == 400
    assert response.context["materiality_form"].errors["materiality_assessment"]


def test_counsel_records_the_conclusion_and_others_cannot(users, incident):
    data = {"conclusion": "material", "rationale": "Earnings information."}
    assert client_for(users["secretary"]).post(action("conclude", incident), data).status_code == 403
    response = client_for(users["counsel"]).post(action("conclude", incident), confirmed(data))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.counsel_conclusion == "material" and incident.counsel_concluded_by == users["counsel"]
    html = client_for(users["employee"]).get(detail(incident)).content.decode()
    assert "Material nonpublic information" in html and "Earnings information." in html


def test_pending_is_not_a_conclusion(users, incident):
    response = client_for(users["counsel"]).post(
        action("conclude", incident), {"conclusion": "pending", "rationale": "Not sure."}
    )
    assert response.status_code == 400
    assert response.context["conclusion_form"].errors["conclusion"]


def test_secretary_claims_an_exclusion(users, incident):
    client = client_for(users["secretary"])
    response = client.post(
        action("claim-exclusion", incident),
        {"kind": "confidentiality_agreement", "evidence": "NDA of 2026-02-10, attached."},
    )
    assert response.status_code == 302
    html = client.get(detail(incident)).content.decode()
    assert "Express agreement to keep the information confidential" in html
    assert "NDA of 2026-02-10, attached." in html


def test_correcting_t0_adds_a_deadline_history_row(users, incident):
    client = client_for(users["secretary"])
    new_t0 = (incident.learned_at + timedelta(minutes=30)).astimezone(ET)
    response = client.post(
        action("correct-learned-at", incident),
        {"learned_at": new_t0.strftime(LOCAL), "time_zone": "America/New_York", "reason": "Call log checked"},
    )
    assert response.status_code == 302, response.content
    incident.refresh_from_db()
    assert incident.learned_at == new_t0.replace(second=0, microsecond=0)
    html = client.get(detail(incident)).content.decode()
    assert "T0 corrected: Call log checked" in html
    assert DeadlineComputation.objects.filter(incident=incident).count() == 2


def test_public_disclosure_with_reference_closes_the_incident_on_time(users, incident):
    client = client_for(users["secretary"])
    made_public = timezone.now().astimezone(ET).replace(second=0, microsecond=0)
    response = client.post(
        action("record-disclosure", incident),
        confirmed(
            {
                "disclosed_at": made_public.strftime(LOCAL),
                "time_zone": "America/New_York",
                "method": "press_release",
                "reference": "Business Wire 20261122-0042",
            }
        ),
    )
    assert response.status_code == 302
    html = client.get(detail(incident)).content.decode()
    assert "Outcome: Disclosed on time" in html
    assert "Press release via wire service" in html and "Business Wire 20261122-0042" in html
    assert "data-countdown" not in html


@pytest.mark.parametrize(
    ("offset", "message"),
    [(timedelta(hours=-5), "cannot precede the selective disclosure"), (timedelta(days=2), "in the future")],
)
def test_public_disclosure_before_the_incident_or_in_the_future_is_a_form_error(
    users, incident, offset, message
):
    when = (incident.disclosed_at + offset).astimezone(ET)
    response = client_for(users["secretary"]).post(
        action("record-disclosure", incident),
        confirmed(
            {"disclosed_at": when.strftime(LOCAL), "time_zone": "America/New_York", "method": "press_release"}
        ),
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["disclosure_form"].errors["disclosed_at"])
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN


def test_actions_on_a_closed_incident_are_refused_with_a_message(users, incident):
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Already public.")
    response = client_for(users["secretary"]).post(
        action("claim-exclusion", incident), {"kind": "duty_of_trust", "evidence": "Outside counsel."}
    )
    assert response.status_code == 400
    assert response.context["exclusion_form"] is None  # the form is gone; the refusal is shown at the top
    assert response.context["action_errors"] == ["This incident is already closed."]
    assert "This incident is already closed." in response.content.decode()
    assert not Exclusion.objects.exists()


def test_actions_on_an_incident_the_user_cannot_see_are_404(users, incident):
    other = IncidentFactory(reported_by=users["secretary"])
    response = client_for(users["counsel"]).post(action("conclude", other), {})
    assert response.status_code == 400  # counsel (regfd.view) sees every incident
    # The employee may not record anything, and does not see others' reports at all.
    assert client_for(users["employee"]).get(detail(other)).status_code == 404


# The report form ----------------------------------------------------------------------------------------


def _report(client, **overrides):
    data = {
        "title": "Margin comment",
        "disclosed_by": "CFO",
        "recipient_name": "Priya",
        "recipient_category": "institutional_investor",
        "information": "Margins below guidance.",
        "disclosed_at": "2026-03-03T13:00",
        "learned_at": "2026-03-03T14:00",
        "learned_by": "General Counsel",
        "time_zone": "America/New_York",
        **overrides,
    }
    return client.post(reverse("regfd:incident-report"), data)


def test_report_form_carries_the_live_deadline_preview(users):
    response = client_for(users["employee"]).get(reverse("regfd:incident-report"))
    html = response.content.decode()
    assert f'data-deadline-preview="{reverse("regfd-api:deadline")}"' in html
    assert 'id="deadline-preview"' in html and "js/deadline-preview.js" in html


def test_report_form_offers_the_reporters_zone_before_the_times(users):
    users["employee"].time_zone = "Asia/Tokyo"
    users["employee"].save()
    form = client_for(users["employee"]).get(reverse("regfd:incident-report")).context["form"]
    assert form["time_zone"].value() == "Asia/Tokyo"
    names = list(form.fields)
    assert names.index("time_zone") < names.index("disclosed_at") < names.index("learned_at")
    users["employee"].time_zone = "Australia/Perth"  # not offered: New York stays the default
    users["employee"].save()
    form = client_for(users["employee"]).get(reverse("regfd:incident-report")).context["form"]
    assert form["time_zone"].value() == "America/New_York"


def test_report_reads_times_in_the_chosen_zone(users):
    response = _report(
        client_for(users["employee"]),
        time_zone="Asia/Tokyo",
        disclosed_at="2026-03-04T03:00",
        learned_at="2026-03-04T04:00",
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.learned_at == datetime(2026, 3, 3, 19, 0, tzinfo=UTC)
    assert incident.due_at == datetime(2026, 3, 4, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"learned_at": "2026-03-03T12:00"}, "learned_at", "before it was made"),
        ({"disclosed_at": "2022-06-01T10:00", "learned_at": "2022-06-01T11:00"}, "learned_at", "outside"),
        ({"disclosed_at": "2099-01-01T10:00", "learned_at": "2099-01-01T11:00"}, "disclosed_at", "future"),
    ],
)
def test_bad_report_times_are_form_errors_not_500s(users, overrides, field, message):
    response = _report(client_for(users["employee"]), **overrides)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Incident.objects.exists()


# The list -----------------------------------------------------------------------------------------------


def test_list_filters_searches_and_sorts(users):
    now = timezone.now()
    soon = IncidentFactory(
        reported_by=users["employee"], recipient_firm="Eastgate", due_at=now + timedelta(hours=1)
    )
    later = IncidentFactory(reported_by=users["employee"], due_at=now + timedelta(hours=9))
    done = IncidentFactory(reported_by=users["employee"], status="disclosed", outcome="on_time")
    client = client_for(users["secretary"])
    url = reverse("regfd:incident-list")
    assert [i.pk for i in client.get(url, {"sort": "due"}).context["page"]][:2] == [soon.pk, later.pk]
    assert [i.pk for i in client.get(url, {"q": "eastgate"}).context["page"]] == [soon.pk]
    assert [i.pk for i in client.get(url, {"status": "disclosed"}).context["page"]] == [done.pk]


def test_default_order_is_open_incidents_by_deadline_then_the_closed_ones(users):
    now = timezone.now()
    closed_long_ago = IncidentFactory(
        reported_by=users["employee"], status="disclosed", outcome="on_time", due_at=now - timedelta(days=30)
    )
    overdue = IncidentFactory(reported_by=users["employee"], due_at=now - timedelta(hours=2))
    soon = IncidentFactory(reported_by=users["employee"], due_at=now + timedelta(hours=1))
    client = client_for(users["secretary"])
    page = client.get(reverse("regfd:incident-list")).context["page"]
    assert [i.pk for i in page] == [overdue.pk, soon.pk, closed_long_ago.pk]
    latest_first = client.get(reverse("regfd:incident-list"), {"sort": "-due"}).context["page"]
    assert [i.pk for i in latest_first] == [soon.pk, overdue.pk, closed_long_ago.pk]


def test_an_incident_opened_by_a_debrief_links_back_to_its_communication(users):
    now = timezone.now()
    communication = services.schedule_communication(
        actor=users["secretary"],
        now=now - timedelta(days=2),
        kind="analyst_call",
        title="Call with Ann Analyst",
        scheduled_at=now - timedelta(hours=3),
        spokesperson=users["officer"],
        participants="Ann Analyst (Example Securities)",
    )
    services.record_communication_held(
        actor=users["secretary"],
        communication=communication,
        now=now - timedelta(hours=2),
        record_of_discussion="Mentioned the plant consolidation.",
        fls_disclaimer_given=True,
    )
    _, incident = services.debrief_communication(
        actor=users["secretary"],
        communication=communication,
        now=now,
        debriefed_at=now - timedelta(hours=1),
        possible_mnpi=True,
        debrief_notes="Possible MNPI.",
        information="The plant consolidation.",
        recipient_name="Ann Analyst",
        recipient_category="analyst",
    )
    link = reverse("regfd:communication-detail", args=[communication.pk])
    html = client_for(users["secretary"]).get(detail(incident)).content.decode()
    assert 'data-testid="source-communication"' in html and link in html
    # The incident's reporter, had it been someone without the register, would see the title but no link.
    incident.reported_by = users["employee"]
    incident.save(update_fields=["reported_by"])
    html = client_for(users["employee"]).get(detail(incident)).content.decode()
    assert "Call with Ann Analyst" in html and link not in html


def test_calendar_link_is_offered_to_administrators_only(users):
    url = reverse("regfd:incident-list")
    assert reverse("regfd:calendar-list") in client_for(users["admin"]).get(url).content.decode()
    assert reverse("regfd:calendar-list") not in client_for(users["secretary"]).get(url).content.decode()


# Query counts -------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _incidents(users, n):
    for i in range(n):
        incident = IncidentFactory(
            reported_by=users["employee"],
            in_doubt=True,
            material_categories=["earnings"],
            counsel_concluded_by=users["counsel"],
        )
        Exclusion.objects.create(
            incident=incident, kind="duty_of_trust", evidence=f"E{i}", claimed_by=users["secretary"]
        )


def test_incident_list_queries_do_not_grow_with_incidents(users):
    client = client_for(users["secretary"])
    url = reverse("regfd:incident-list")
    _incidents(users, 2)
    few = _queries(client, url)
    _incidents(users, 18)
    many = _queries(client, url)
    assert len(client.get(url).context["page"]) == 20
    assert many == few


def _history(users, incident, n):
    for i in range(n):
        Exclusion.objects.create(
            incident=incident, kind="duty_of_trust", evidence=f"Evidence {i}", claimed_by=users["secretary"]
        )
        DeadlineComputation.objects.create(
            incident=incident,
            computed_at=timezone.now(),
            reason=f"Recomputed {i}",
            learned_at=incident.learned_at,
            outer_limit=incident.outer_limit,
            policy_target=incident.policy_target,
            due_at=incident.due_at,
            calendar_version="nyse-test",
            rule_version="regfd-deadline/1",
        )


@pytest.mark.parametrize("role", ["secretary", "employee", "counsel"])
def test_incident_page_queries_do_not_grow_with_exclusions_and_history(users, incident, role):
    client = client_for(users[role])
    _history(users, incident, 2)
    few = _queries(client, detail(incident))
    _history(users, incident, 18)
    many = _queries(client, detail(incident))
    assert client.get(detail(incident)).content.decode().count("Recomputed ") == 20
    assert many == few
