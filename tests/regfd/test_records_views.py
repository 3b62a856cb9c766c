"""The Reg FD policy records' pages: who may do what, the flows through the forms (times typed with their
zone), the debrief → incident path, the loud warnings, and constant query counts on the list pages.

`build_records` is also used by the permission matrix (tests/foundation/permission_matrix/) for the URLs
that need a record.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.roles import Role
from compliance_site.company.models import PolicyAcknowledgement
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd.models import (
    Communication,
    EarningsEvent,
    Incident,
    InformationRequest,
    NonGaapReview,
    PolicyRecord,
    SpokespersonAuthorization,
)
from regfd.services import policy as policy_services
from regfd.services import records as services
from regfd.services import spokespersons as spokesperson_services
from tests.clients import client_for
from tests.factories import UserFactory, policy_version
from tests.regfd.records_setup import make_cfo

ET = ZoneInfo("America/New_York")
ROLES = [role.value for role in Role]


def build_records(users) -> SimpleNamespace:
    """One record of each kind, made through the services at times around the real now (the views take
    timezone.now()). The employee is the authorized spokesperson, the receiver of the request and the asker
    of the question, so the employee sees those records and the committee member sees none."""
    now = timezone.now()
    today = now.astimezone(EXCHANGE_TZ).date()
    officer, secretary, employee = users["officer"], users["secretary"], users["employee"]
    authorization = spokesperson_services.authorize_spokesperson(
        actor=officer,
        now=now,
        person=employee,
        scope="Buy-side meetings this quarter",
        content_reviewed="The public investor deck",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=30),
    )
    confirmation = spokesperson_services.confirm_keeping_current(
        actor=officer,
        now=now,
        period_label="2026-Q1",
        reviewed_filings=True,
        reviewed_press_releases=True,
        attended_or_heard_calls=True,
    )
    request = services.log_information_request(
        actor=employee,
        now=now,
        received_at=now - timedelta(hours=1),
        requester_name="Pat Analyst",
        requester_phone="+1 212 555 0100",
        request="Will you beat consensus?",
        routed_to=officer,
    )
    communication = services.schedule_communication(
        actor=secretary,
        now=now,
        kind=Communication.Kind.MEETING,
        title="Meeting with Example Capital",
        scheduled_at=now + timedelta(days=1),
        spokesperson=employee,
        participants="Jo Buyside, Example Capital",
    )
    event = services.create_earnings_event(
        actor=secretary,
        period_label="2026-Q1",
        release_at=datetime(2026, 3, 9, 7, 30, tzinfo=ET),
        call_at=datetime(2026, 3, 9, 8, 30, tzinfo=ET),
    )
    review = services.create_nongaap_review(
        actor=secretary,
        measure="Adjusted EBITDA",
        comparable_gaap_measure="Net income",
        document="Q1 release",
        reconciliation="Net income 10 + D&A 3 = 13",
        equal_prominence=True,
        release_at=now + timedelta(days=2),
        earnings_event=event,
    )
    question = services.ask_secretary_question(actor=employee, now=now, summary="Is our backlog material?")
    policy = policy_version(
        secretary,
        version="records-1",
        effective_date=today - timedelta(days=10),
        approved_on=today - timedelta(days=20),
        approved_by="Board of Directors",
    )
    distribution = policy_services.distribute_policy(actor=secretary, policy=policy, now=now)
    return SimpleNamespace(
        authorization=authorization,
        confirmation=confirmation,
        request=request,
        communication=communication,
        earnings=event,
        review=review,
        question=question,
        policy=policy,
        distribution=distribution,
    )


@pytest.fixture
def records(users):
    return build_records(users)


def assert_refused(user, url, data, *, status: int, form: str, field: str) -> None:
    """Posting `data` shows the page again with `status` and an error on `field` of its form `form`."""
    response = client_for(user).post(url, data)
    assert response.status_code == status
    assert field in response.context[form].errors


# ---------------------------------------------------------------------------------------------------------
# Permissions on the actions (GET permissions are in the matrix: tests/foundation/permission_matrix/)
# ---------------------------------------------------------------------------------------------------------

POSTS = {
    # name: (capability holders, url args from records)
    "regfd:spokesperson-revoke": ({"officer"}, lambda r: [r.authorization.pk]),
    "regfd:request-respond": ({"officer"}, lambda r: [r.request.pk]),
    "regfd:communication-held": ({"officer", "secretary", "admin"}, lambda r: [r.communication.pk]),
    "regfd:communication-debrief": ({"officer", "secretary", "admin"}, lambda r: [r.communication.pk]),
    "regfd:communication-cancel": ({"officer", "secretary", "admin"}, lambda r: [r.communication.pk]),
    # Open to whoever may be the CFO's delegate; the service refuses anyone not signing (400, with why).
    "regfd:nongaap-sign-off": ({"officer", "secretary", "admin"}, lambda r: [r.review.pk]),
    "regfd:policyrecord-answer": ({"secretary", "admin"}, lambda r: [r.question.pk]),
    "regfd:distribution-distribute": ({"secretary", "admin"}, lambda r: []),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POSTS))
def test_actions_refuse_roles_without_the_capability(users, records, name):
    holders, args = POSTS[name]
    url = reverse(name, args=args(records))
    for role in ROLES:
        status = client_for(users[role]).post(url, {}).status_code
        if role in holders:
            assert status in {200, 302, 400}, (role, status)
        else:
            assert status == 403, (role, status)
    assert Client().post(url, {}).status_code == 302  # anonymous: to the sign-in page


# ---------------------------------------------------------------------------------------------------------
# Landing page and navigation
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_landing_page_asks_for_the_acknowledgement_until_given(users, records):
    client = client_for(users["employee"])
    page = client.get(reverse("regfd:records-home")).content.decode()
    assert 'data-testid="policy-banner"' in page
    assert client.post(reverse("regfd:distribution-acknowledge")).status_code == 302
    assert PolicyAcknowledgement.objects.filter(user=users["employee"], policy=records.policy).exists()
    assert 'data-testid="policy-banner"' not in client.get(reverse("regfd:records-home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nav_offers_reg_fd_records_to_every_role(users, role):
    response = client_for(users[role]).get(reverse("dashboard"))
    assert reverse("regfd:records-home") in [item["url"] for item in response.context["nav_items"]]


@pytest.mark.django_db
def test_landing_page_links_registers_by_role(users, records):
    employee_page = client_for(users["employee"]).get(reverse("regfd:records-home")).content.decode()
    assert reverse("regfd:earnings-list") not in employee_page
    assert reverse("regfd:request-log") in employee_page
    officer_page = client_for(users["officer"]).get(reverse("regfd:records-home")).content.decode()
    assert reverse("regfd:earnings-list") in officer_page
    assert "1 request for information routed to you" in officer_page


# ---------------------------------------------------------------------------------------------------------
# Spokespersons
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_authorizes_and_revokes_through_the_pages(users):
    client = client_for(users["officer"])
    response = client.post(
        reverse("regfd:spokesperson-authorize"),
        {
            "person": users["counsel"].pk,
            "scope": "Bond investors",
            "content_reviewed": "The public 10-K",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
    )
    authorization = SpokespersonAuthorization.objects.get(person=users["counsel"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "regfd:spokesperson-detail", args=[authorization.pk]
    )
    url = reverse("regfd:spokesperson-revoke", args=[authorization.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Offering finished"}).status_code == 302
    authorization.refresh_from_db()
    assert authorization.revoked_by == users["officer"]


@pytest.mark.django_db
def test_authorize_form_offers_no_authorized_officer(users):
    form = client_for(users["officer"]).get(reverse("regfd:spokesperson-authorize")).context["form"]
    assert users["officer"] not in form.fields["person"].queryset
    assert users["employee"] in form.fields["person"].queryset


@pytest.mark.django_db
def test_keeping_current_confirmation_and_report(users, records):
    client = client_for(users["employee"])
    response = client.post(
        reverse("regfd:spokesperson-confirm"), {"period_label": "2026-Q1", "reviewed_filings": "on"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reviewed_press_releases", "attended_or_heard_calls"}
    report = client_for(users["secretary"]).get(
        reverse("regfd:spokesperson-keeping-current") + "?period=2026-Q1"
    )
    assert [m.person for m in report.context["missing"]] == [users["employee"]]
    response = client.post(
        reverse("regfd:spokesperson-confirm"),
        {
            "period_label": "2026-Q1",
            "reviewed_filings": "on",
            "reviewed_press_releases": "on",
            "attended_or_heard_calls": "on",
        },
    )
    assert response.status_code == 302
    report = client_for(users["secretary"]).get(
        reverse("regfd:spokesperson-keeping-current") + "?period=2026-Q1"
    )
    assert report.context["missing"] == []


@pytest.mark.django_db
def test_a_non_spokesperson_is_told_there_is_nothing_to_confirm(users):
    page = client_for(users["committee"]).get(reverse("regfd:spokesperson-confirm")).content.decode()
    assert "not an authorized spokesperson" in page


# ---------------------------------------------------------------------------------------------------------
# Requests for MNPI
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_logs_a_request_and_only_the_routed_officer_answers(users):
    cfo = UserFactory(username="cfo", roles=[Role.OFFICER])
    client = client_for(users["employee"])
    response = client.post(
        reverse("regfd:request-log"),
        {
            "received_at": "2026-03-09T10:15",
            "time_zone": "America/Chicago",
            "requester_name": "Pat Analyst",
            "requester_phone": "+1 212 555 0100",
            "request": "Any update on the contract?",
            "routed_to": cfo.pk,
        },
    )
    item = InformationRequest.objects.get()
    assert response.status_code == 302
    assert item.received_at == datetime(2026, 3, 9, 15, 15, tzinfo=ZoneInfo("UTC"))  # 10:15 CDT
    respond = reverse("regfd:request-respond", args=[item.pk])
    assert (
        client_for(users["officer"]).post(respond, {"response": "x"}).status_code == 403
    )  # not routed to them
    assert client_for(cfo).post(respond, {"response": "Referred to the public 10-Q."}).status_code == 302
    item.refresh_from_db()
    assert item.responded_by == cfo


@pytest.mark.django_db
def test_request_form_routes_only_to_authorized_officers(users):
    form = client_for(users["employee"]).get(reverse("regfd:request-log")).context["form"]
    assert list(form.fields["routed_to"].queryset) == [users["officer"]]


@pytest.mark.django_db
def test_a_committee_member_does_not_see_others_requests(users, records):
    client = client_for(users["committee"])
    assert client.get(reverse("regfd:request-detail", args=[records.request.pk])).status_code == 404
    assert records.request.requester_name not in client.get(reverse("regfd:request-list")).content.decode()


# ---------------------------------------------------------------------------------------------------------
# Communications and the debrief → incident path
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_an_unauthorized_spokesperson_warns_loudly(users):
    client = client_for(users["secretary"])
    when = (timezone.now() + timedelta(days=3)).astimezone(ET)
    response = client.post(
        reverse("regfd:communication-schedule"),
        {
            "kind": "analyst_call",
            "title": "Call with Example Securities",
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "America/New_York",
            "spokesperson": users["counsel"].pk,
            "participants": "Pat Analyst",
        },
        follow=True,
    )
    communication = Communication.objects.get()
    assert communication.spokesperson_authorized is False
    page = response.content.decode()
    assert 'data-testid="unauthorized-spokesperson"' in page
    assert "not an authorized spokesperson" in page


@pytest.mark.django_db
def test_an_authorized_spokesperson_gets_no_warning(users, records):
    page = client_for(users["secretary"]).get(
        reverse("regfd:communication-detail", args=[records.communication.pk])
    )
    assert 'data-testid="unauthorized-spokesperson"' not in page.content.decode()


def _held(users):
    now = timezone.now()
    communication = services.schedule_communication(
        actor=users["secretary"],
        now=now - timedelta(days=2),
        kind=Communication.Kind.ANALYST_CALL,
        title="Call with Example Securities",
        scheduled_at=now - timedelta(days=1),
        spokesperson=users["officer"],
        participants="Pat Analyst",
    )
    return services.record_communication_held(
        actor=users["secretary"],
        communication=communication,
        now=now,
        record_of_discussion="Discussed strategy.",
        fls_disclaimer_given=False,
    )


@pytest.mark.django_db
def test_recording_a_held_communication_through_the_page(users):
    now = timezone.now()
    communication = services.schedule_communication(
        actor=users["secretary"],
        now=now - timedelta(days=2),
        kind=Communication.Kind.MEETING,
        title="Meeting",
        scheduled_at=now - timedelta(hours=3),
        spokesperson=users["officer"],
        participants="Jo",
    )
    url = reverse("regfd:communication-held", args=[communication.pk])
    client = client_for(users["officer"])
    assert (
        client.post(url, {"record_of_discussion": "Strategy"}).status_code == 400
    )  # the disclaimer unanswered
    assert (
        client.post(url, {"record_of_discussion": "Strategy", "fls_disclaimer_given": "no"}).status_code
        == 302
    )
    communication.refresh_from_db()
    assert communication.status == "held" and communication.fls_disclaimer_given is False
    page = client.get(reverse("regfd:communication-detail", args=[communication.pk])).content.decode()
    assert "disclaimer was <strong>not</strong> given" in page


@pytest.mark.django_db
def test_a_debrief_flagging_mnpi_opens_the_incident_and_redirects_to_it(users):
    communication = _held(users)
    t0_local = (
        (timezone.now() - timedelta(hours=2))
        .astimezone(ZoneInfo("Europe/London"))
        .replace(second=0, microsecond=0)
    )
    response = client_for(users["secretary"]).post(
        reverse("regfd:communication-debrief", args=[communication.pk]),
        {
            "debriefed_at": t0_local.strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "Europe/London",
            "possible_mnpi": "yes",
            "debrief_notes": "The CFO hinted at the margin beat.",
            "information": "Q1 margins above guidance",
            "recipient_name": "Pat Analyst",
            "recipient_firm": "Example Securities",
            "recipient_category": "analyst",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("regfd:incident-detail", args=[incident.pk])
    assert incident.source_communication_id == communication.pk
    assert incident.learned_at == t0_local  # T0 is the debrief time, typed in London time
    assert incident.status == Incident.Status.OPEN and incident.due_at > incident.learned_at
    communication.refresh_from_db()
    assert communication.status == "debriefed" and communication.possible_mnpi is True
    page = client_for(users["secretary"]).get(reverse("regfd:communication-detail", args=[communication.pk]))
    assert incident.reference in page.content.decode()


@pytest.mark.django_db
def test_a_debrief_missing_the_mnpi_details_is_a_400_and_opens_nothing(users):
    communication = _held(users)
    debrief = {
        "debriefed_at": timezone.now().astimezone(ET).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/New_York",
        "possible_mnpi": "yes",
        "debrief_notes": "Hmm.",
    }
    url = reverse("regfd:communication-debrief", args=[communication.pk])
    assert_refused(users["officer"], url, debrief, status=400, form="debrief_form", field="recipient_name")
    assert Incident.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------
# Earnings checklist and Regulation G
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_earnings_checklist_flags_the_missing_nyse_notice(users, records):
    page = client_for(users["officer"]).get(reverse("regfd:earnings-detail", args=[records.earnings.pk]))
    html = page.content.decode()
    assert 'data-testid="nyse-notice-missing"' in html
    assert 'data-item="nyse_notice" data-ok="no"' in html
    assert reverse("attachments:record", args=["regfd.earningsevent", records.earnings.pk]) in html


@pytest.mark.django_db
def test_earnings_form_takes_times_in_the_chosen_zone_and_computes_the_timing(users):
    response = client_for(users["secretary"]).post(
        reverse("regfd:earnings-create"),
        {
            "period_label": "2026-Q2",
            "release_at": "2026-03-09T04:30",  # 4:30 PDT = 7:30 EDT
            "call_at": "2026-03-09T05:30",
            "nyse_notice_at": "2026-03-09T04:15",
            "time_zone": "America/Los_Angeles",
        },
    )
    event = EarningsEvent.objects.get(period_label="2026-Q2")
    assert response.status_code == 302
    assert event.nyse_notice_required is True and event.release_timing == "before_open"
    html = (
        client_for(users["secretary"]).get(reverse("regfd:earnings-detail", args=[event.pk])).content.decode()
    )
    assert 'data-item="nyse_notice" data-ok="yes"' in html


@pytest.mark.django_db
def test_earnings_edit_records_the_notice(users, records):
    client = client_for(users["officer"])
    url = reverse("regfd:earnings-edit", args=[records.earnings.pk])
    assert client.get(url).context["form"].initial["release_at"] == datetime(2026, 3, 9, 7, 30)  # shown in ET
    response = client.post(
        url,
        {
            "period_label": "2026-Q1",
            "release_at": "2026-03-09T07:30",
            "call_at": "2026-03-09T08:30",
            "nyse_notice_at": "2026-03-09T07:10",
            "time_zone": "America/New_York",
        },
    )
    assert response.status_code == 302
    records.earnings.refresh_from_db()
    assert records.earnings.nyse_notice_at == datetime(2026, 3, 9, 7, 10, tzinfo=ET)


@pytest.mark.django_db
def test_cfo_signs_off_through_the_page_and_a_late_sign_off_is_refused(users, records):
    cfo = make_cfo()
    client = client_for(cfo)
    assert client.post(reverse("regfd:nongaap-sign-off", args=[records.review.pk])).status_code == 302
    records.review.refresh_from_db()
    assert records.review.signed_off_by == cfo
    late = services.create_nongaap_review(
        actor=users["secretary"],
        measure="Free cash flow",
        comparable_gaap_measure="Operating cash flow",
        document="Q4 release",
        reconciliation="OCF 20 - capex 5 = 15",
        equal_prominence=True,
        release_at=timezone.now() - timedelta(minutes=1),
    )
    response = client.post(reverse("regfd:nongaap-sign-off", args=[late.pk]))
    assert response.status_code == 400
    assert "must precede the release" in response.content.decode()
    assert NonGaapReview.objects.get(pk=late.pk).signed_off_at is None


@pytest.mark.django_db
def test_a_signed_off_review_cannot_be_edited(users, records):
    services.sign_off_nongaap_review(actor=make_cfo(), review=records.review, now=timezone.now())
    response = client_for(users["secretary"]).get(reverse("regfd:nongaap-edit", args=[records.review.pk]))
    assert response.status_code == 302


# ---------------------------------------------------------------------------------------------------------
# The other records
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "holders"),
    [
        ("regfd:policyrecord-rumor", {"officer", "secretary", "admin"}),
        ("regfd:policyrecord-correction", {"officer", "secretary", "admin"}),
        ("regfd:policyrecord-analyst-review", {"officer"}),
        ("regfd:policyrecord-question", set(ROLES) - {"auditor"}),
    ],
)
def test_each_kind_of_record_is_open_to_its_roles(users, name, holders):
    for role in ROLES:
        assert client_for(users[role]).get(reverse(name)).status_code == (200 if role in holders else 403), (
            role
        )


@pytest.mark.django_db
def test_a_rumor_from_an_internal_source_without_counsel_is_refused_on_the_form(users):
    rumor = {
        "occurred_at": "2026-03-09T10:00",
        "time_zone": "America/New_York",
        "summary": "Rumor of a recall",
        "no_comment_given": "yes",
        "internal_source": "yes",
    }
    url = reverse("regfd:policyrecord-rumor")
    assert_refused(users["officer"], url, rumor, status=200, form="form", field="referred_to_counsel_at")
    assert PolicyRecord.objects.count() == 0


@pytest.mark.django_db
def test_question_asked_and_answered(users, records):
    client = client_for(users["secretary"])
    url = reverse("regfd:policyrecord-answer", args=[records.question.pk])
    assert client.post(url, {"answer": "Presume it is material."}).status_code == 302
    page = client_for(users["employee"]).get(reverse("regfd:policyrecord-detail", args=[records.question.pk]))
    assert "Presume it is material." in page.content.decode()


@pytest.mark.django_db
def test_log_filters_by_kind(users, records):
    services.log_market_rumor(
        actor=users["secretary"],
        now=timezone.now(),
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Takeover chatter",
        no_comment_given=True,
        internal_source=False,
    )
    client = client_for(users["secretary"])
    page = client.get(reverse("regfd:policyrecord-list") + "?kind=rumor")
    assert [r.summary for r in page.context["page"]] == ["Takeover chatter"]
    page = client.get(reverse("regfd:policyrecord-list") + "?kind=nonsense")
    assert len(page.context["page"]) == 2


# ---------------------------------------------------------------------------------------------------------
# Distribution
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_outstanding_report_lists_who_has_not_acknowledged(users, records):
    policy_services.acknowledge_policy(user=users["officer"], policy=records.policy, now=timezone.now())
    response = client_for(users["auditor"]).get(reverse("regfd:distribution-outstanding"))
    usernames = {u.username for u in response.context["page"]}
    assert "officer" not in usernames and "employee" in usernames
    response = client_for(users["auditor"]).get(reverse("regfd:distribution-outstanding") + "?q=employee")
    assert [u.username for u in response.context["page"]] == ["employee"]


@pytest.mark.django_db
def test_secretary_distributes_the_current_policy(users):
    policy = policy_version(users["secretary"], version="9", approved_on=date(2024, 12, 1))
    response = client_for(users["secretary"]).post(reverse("regfd:distribution-distribute"))
    assert response.status_code == 302
    assert policy.distributions.get().recipients == len(users)


# ---------------------------------------------------------------------------------------------------------
# Query counts: no query per row
# ---------------------------------------------------------------------------------------------------------


def _many(users, n):
    now = timezone.now()
    today = now.astimezone(EXCHANGE_TZ).date()
    for i in range(n):
        person = UserFactory(username=f"spokes{i}-{n}")
        spokesperson_services.authorize_spokesperson(
            actor=users["officer"],
            now=now,
            person=person,
            scope=f"Scope {i}",
            content_reviewed="Deck",
            valid_from=today,
            valid_until=today + timedelta(days=10),
        )
        services.log_information_request(
            actor=person,
            now=now,
            received_at=now - timedelta(minutes=i + 1),
            requester_name=f"Requester {i}",
            requester_phone="555",
            request="?",
            routed_to=users["officer"],
        )
        services.schedule_communication(
            actor=users["secretary"],
            now=now,
            kind=Communication.Kind.MEETING,
            title=f"Meeting {i}",
            scheduled_at=now + timedelta(days=1, minutes=i),
            spokesperson=person,
            participants="Jo",
        )
        event = services.create_earnings_event(
            actor=users["secretary"],
            period_label=f"P{n}-{i}",
            release_at=now + timedelta(days=i),
            call_at=now + timedelta(days=i, hours=1),
        )
        services.create_nongaap_review(
            actor=users["secretary"],
            measure=f"Measure {i}",
            comparable_gaap_measure="Net income",
            document="Release",
            reconciliation="x",
            release_at=now + timedelta(days=1),
            earnings_event=event,
        )
        services.ask_secretary_question(actor=person, now=now, summary=f"Question {i}")
        spokesperson_services.confirm_keeping_current(
            actor=person,
            now=now,
            period_label="2026-Q2",
            reviewed_filings=True,
            reviewed_press_releases=True,
            attended_or_heard_calls=True,
        )


LIST_PAGES = [
    ("regfd:spokesperson-list", ""),
    ("regfd:spokesperson-keeping-current", "?period=2026-Q2"),
    ("regfd:request-list", ""),
    ("regfd:communication-list", ""),
    ("regfd:earnings-list", ""),
    ("regfd:nongaap-list", ""),
    ("regfd:policyrecord-list", ""),
    ("regfd:distribution-outstanding", ""),
]


def _count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page"].object_list)


@pytest.mark.django_db
def test_list_pages_cost_the_same_for_2_and_20_rows(users, records):
    client = client_for(users["admin"])
    _many(users, 2)
    few = {name: _count_queries(client, reverse(name) + query) for name, query in LIST_PAGES}
    _many(users, 18)
    many = {name: _count_queries(client, reverse(name) + query) for name, query in LIST_PAGES}
    for name, _query in LIST_PAGES:
        assert many[name][1] > few[name][1], f"{name} lists more rows"
        assert many[name][0] == few[name][0], (
            f"{name}: {few[name][0]} queries for few rows, {many[name][0]} for many"
        )
