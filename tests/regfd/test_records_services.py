"""The Reg FD policy records' services: every rule and every refusal (policy I.A–I.F, II.F–II.I; rules.md
§2.2 NYSE timely alert, §2.6 Regulation G)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution
from compliance_site.company.services import add_policy_version
from regfd.models import (
    Communication,
    EarningsEvent,
    Incident,
    InformationRequest,
    KeepingCurrentConfirmation,
    PolicyRecord,
)
from regfd.selectors_records import spokespersons_missing_confirmation, users_not_acknowledged
from regfd.services import policy as policy_services
from regfd.services import records as services
from regfd.services import spokespersons as spokesperson_services
from regfd.services.records import (
    earnings_checklist,
    nyse_notice_given_in_time,
    nyse_notice_required,
    release_timing,
)
from tests.factories import UserFactory

ET = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
CT = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # Tue 10 Mar 2026, 11:00 EDT


# ---------------------------------------------------------------------------------------------------------
# Helpers shared with the view and API tests
# ---------------------------------------------------------------------------------------------------------


def make_cfo():
    return UserFactory(username="cfo", first_name="Blake", last_name="Ortiz", roles=[Role.OFFICER])


def authorize(officer, person, *, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31), **kw):
    return spokesperson_services.authorize_spokesperson(
        actor=officer,
        now=kw.pop("now", NOW),
        person=person,
        scope=kw.pop("scope", "Buy-side meetings at the March conference"),
        content_reviewed=kw.pop("content_reviewed", "The investor deck, already public"),
        valid_from=valid_from,
        valid_until=valid_until,
        **kw,
    )


def log_request(receiver, officer, **kw):
    return services.log_information_request(
        actor=receiver,
        now=kw.pop("now", NOW),
        received_at=kw.pop("received_at", NOW - timedelta(hours=1)),
        requester_name="Pat Analyst",
        requester_phone="+1 212 555 0100",
        requester_firm="Example Securities",
        request="Will Q1 revenue beat consensus?",
        routed_to=officer,
        **kw,
    )


def schedule(actor, spokesperson, *, now=NOW, scheduled_at=None, **kw):
    return services.schedule_communication(
        actor=actor,
        now=now,
        kind=kw.pop("kind", Communication.Kind.MEETING),
        title=kw.pop("title", "Meeting with Example Capital"),
        scheduled_at=scheduled_at or now + timedelta(days=1),
        spokesperson=spokesperson,
        participants="Jo Buyside, Example Capital",
        script="Outline: strategy; only public numbers.",
        **kw,
    )


def held_communication(actor, spokesperson, *, scheduled_at=None):
    scheduled_at = scheduled_at or datetime(2026, 3, 9, 14, 0, tzinfo=ET)
    communication = schedule(
        actor, spokesperson, now=scheduled_at - timedelta(days=2), scheduled_at=scheduled_at
    )
    return services.record_communication_held(
        actor=actor,
        communication=communication,
        now=scheduled_at + timedelta(hours=1),
        record_of_discussion="Discussed strategy; no guidance given.",
        fls_disclaimer_given=True,
    )


def earnings(actor, **kw):
    fields = {
        "period_label": "2026-Q1",
        "release_at": datetime(2026, 5, 5, 16, 5, tzinfo=ET),
        "call_at": datetime(2026, 5, 5, 17, 0, tzinfo=ET),
        "call_announced_at": datetime(2026, 4, 20, 8, 0, tzinfo=ET),
        "dial_in": "+1 800 555 0199, code 4321",
        "webcast_url": "https://investors.example.com/q1",
        "public_access": True,
        "qa_audible_to_all": True,
        "recording_url": "https://investors.example.com/q1-replay",
        "recording_available_until": date(2026, 8, 5),
    }
    fields.update(kw)
    return services.create_earnings_event(actor=actor, **fields)


def nongaap(actor, **kw):
    fields = {
        "measure": "Adjusted EBITDA",
        "comparable_gaap_measure": "Net income",
        "document": "Q1 earnings release",
        "reconciliation": "Net income 10.0 + interest 1.0 + taxes 2.0 + D&A 3.0 = Adjusted EBITDA 16.0",
        "equal_prominence": True,
        "usefulness_statement": "Shows operating performance excluding financing and non-cash items.",
        "release_at": NOW + timedelta(days=2),
    }
    fields.update(kw)
    return services.create_nongaap_review(actor=actor, **fields)


def regfd_policy(actor, *, approved=True):
    return add_policy_version(
        actor=actor,
        kind="regfd",
        version="2026.1",
        title="Regulation FD corporate communications policy",
        text="Policy text.",
        effective_date=date(2026, 1, 1),
        approved_on=date(2025, 12, 15) if approved else None,
        approved_by="Board of Directors" if approved else "",
    )


def audit_events(obj) -> int:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).count()


# ---------------------------------------------------------------------------------------------------------
# Spokespersons (policy I.A)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_authorized_officers_are_spokespersons_without_an_authorization(users):
    authorized, note = spokesperson_services.spokesperson_status(users["officer"], NOW)
    assert authorized is True
    assert "authorized officer" in note


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "secretary", "admin", "board", "counsel"])
def test_anyone_else_needs_an_authorization(users, role):
    authorized, note = spokesperson_services.spokesperson_status(users[role], NOW)
    assert authorized is False
    assert note.startswith("NOT AUTHORIZED")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime(2026, 3, 1, 9, 0, tzinfo=ET), True),  # first day
        (datetime(2026, 3, 31, 23, 30, tzinfo=ET), True),  # last day, late in New York (Apr 1 in UTC)
        (datetime(2026, 4, 1, 0, 30, tzinfo=ET), False),  # the day after
        (datetime(2026, 2, 28, 23, 59, tzinfo=ET), False),  # the day before
    ],
)
def test_an_authorization_covers_its_new_york_dates(users, on, expected):
    authorize(users["officer"], users["employee"], valid_from=date(2026, 3, 1), valid_until=date(2026, 3, 31))
    assert spokesperson_services.spokesperson_status(users["employee"], on)[0] is expected


@pytest.mark.django_db
def test_a_revoked_authorization_stops_covering_from_its_revocation(users):
    authorization = authorize(users["officer"], users["employee"])
    revoked_at = datetime(2026, 3, 10, 12, 0, tzinfo=ET)
    spokesperson_services.revoke_spokesperson_authorization(
        actor=users["officer"], authorization=authorization, reason="Left the IR team", now=revoked_at
    )
    before = spokesperson_services.spokesperson_status(users["employee"], revoked_at - timedelta(hours=1))
    after = spokesperson_services.spokesperson_status(users["employee"], revoked_at + timedelta(hours=1))
    assert before[0] is True
    assert after[0] is False and "revoked" in after[1]


@pytest.mark.django_db
def test_spokesperson_status_refuses_a_naive_time(users):
    with pytest.raises(ValidationError):
        spokesperson_services.spokesperson_status(users["officer"], datetime(2026, 3, 10, 9, 0))  # noqa: DTZ001


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "admin", "employee", "counsel"])
def test_only_an_authorized_officer_authorizes(users, role):
    with pytest.raises(ValidationError, match="authorized officer"):
        authorize(users[role], users["employee"])


@pytest.mark.django_db
def test_an_inactive_officer_cannot_authorize(users):
    users["officer"].is_active = False
    users["officer"].save()
    with pytest.raises(ValidationError):
        authorize(users["officer"], users["employee"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_from": date(2026, 5, 1), "valid_until": date(2026, 4, 1)}, "valid_until"),
        ({"scope": "  "}, "scope"),
        ({"content_reviewed": ""}, "content_reviewed"),
    ],
)
def test_authorization_refuses_bad_input(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        authorize(users["officer"], users["employee"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_an_authorized_officer_needs_no_authorization(users):
    with pytest.raises(ValidationError) as exc:
        authorize(users["officer"], make_cfo())
    assert "person" in exc.value.message_dict


@pytest.mark.django_db
def test_authorizing_is_recorded_with_the_officer_and_audited(users):
    authorization = authorize(users["officer"], users["employee"], conditions="Only with IR present")
    assert authorization.authorized_by == users["officer"]
    assert audit_events(authorization) == 1


@pytest.mark.django_db
def test_revocation_needs_an_officer_a_reason_and_happens_once(users):
    authorization = authorize(users["officer"], users["employee"])
    with pytest.raises(ValidationError):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["secretary"], authorization=authorization, reason="x", now=NOW
        )
    with pytest.raises(ValidationError):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["officer"], authorization=authorization, reason=" ", now=NOW
        )
    revoked = spokesperson_services.revoke_spokesperson_authorization(
        actor=make_cfo(), authorization=authorization, reason="Project over", now=NOW
    )
    assert revoked.revoked_at == NOW and revoked.revocation_reason == "Project over"
    with pytest.raises(ValidationError, match="already revoked"):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["officer"], authorization=authorization, reason="Again", now=NOW
        )


# ---- Keeping current (policy II.G) ----


def confirm(person, **kw):
    fields = {
        "period_label": "2026-Q1",
        "reviewed_filings": True,
        "reviewed_press_releases": True,
        "attended_or_heard_calls": True,
    }
    fields.update(kw)
    return spokesperson_services.confirm_keeping_current(actor=person, now=NOW, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("box", ["reviewed_filings", "reviewed_press_releases", "attended_or_heard_calls"])
def test_keeping_current_needs_all_three_statements(users, box):
    with pytest.raises(ValidationError) as exc:
        confirm(users["officer"], **{box: False})
    assert list(exc.value.message_dict) == [box]


@pytest.mark.django_db
def test_only_a_spokesperson_confirms_keeping_current(users):
    with pytest.raises(ValidationError, match="spokesperson"):
        confirm(users["employee"])


@pytest.mark.django_db
def test_a_confirmation_is_the_persons_own_and_once_per_period(users):
    confirmation = confirm(users["officer"])
    assert confirmation.person == users["officer"]
    with pytest.raises(ValidationError):
        confirm(users["officer"])
    assert KeepingCurrentConfirmation.objects.count() == 1


@pytest.mark.django_db
def test_report_lists_spokespersons_missing_a_confirmation(users):
    cfo = make_cfo()
    authorize(users["officer"], users["employee"])
    revoked = authorize(users["officer"], users["counsel"])
    spokesperson_services.revoke_spokesperson_authorization(
        actor=users["officer"], authorization=revoked, reason="Done", now=NOW
    )
    confirm(users["officer"])
    missing = spokespersons_missing_confirmation(period_label="2026-Q1", on=date(2026, 3, 10))
    assert {m.person for m in missing} == {cfo, users["employee"]}
    assert {m.person: m.is_officer for m in missing} == {cfo: True, users["employee"]: False}
    # Another period: everyone is missing.
    assert len(spokespersons_missing_confirmation(period_label="2026-Q2", on=date(2026, 3, 10))) == 3


# ---------------------------------------------------------------------------------------------------------
# Requests for MNPI (policy I.A)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "employee", "admin", "counsel"])
def test_a_request_is_routed_only_to_an_authorized_officer(users, role):
    with pytest.raises(ValidationError) as exc:
        log_request(users["employee"], users[role])
    assert "routed_to" in exc.value.message_dict


@pytest.mark.django_db
def test_an_officer_who_receives_a_request_routes_it_to_the_other_officer(users):
    with pytest.raises(ValidationError) as exc:
        log_request(users["officer"], users["officer"])
    assert "routed_to" in exc.value.message_dict
    assert log_request(users["officer"], make_cfo()).routed_to.username == "cfo"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "received_at",
    [NOW + timedelta(minutes=5), datetime(2026, 3, 10, 9, 0)],  # noqa: DTZ001 (naive on purpose)
    ids=["future", "naive"],
)
def test_a_request_needs_an_aware_past_receipt_time(users, received_at):
    with pytest.raises(ValidationError):
        log_request(users["employee"], users["officer"], received_at=received_at)


@pytest.mark.django_db
def test_the_receiver_never_records_the_answer(users):
    cfo = make_cfo()
    item = log_request(users["officer"], cfo)  # the CEO received it and routed it to the CFO
    with pytest.raises(ValidationError, match="You received this request"):
        services.record_information_response(
            actor=users["officer"], information_request=item, response="x", now=NOW
        )
    item.refresh_from_db()
    assert item.responded_at is None


@pytest.mark.django_db
def test_the_database_refuses_an_answer_by_the_receiver(users):
    item = log_request(users["employee"], users["officer"])
    InformationRequest.objects.filter(pk=item.pk).update(
        responded_by=users["officer"]
    )  # the routed officer: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=item.pk).update(responded_by=users["employee"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_officer", "secretary", "admin"])
def test_only_the_routed_officer_records_the_response(users, who):
    item = log_request(users["employee"], users["officer"])
    actor = make_cfo() if who == "other_officer" else users[who]
    with pytest.raises(ValidationError, match="routed to"):
        services.record_information_response(actor=actor, information_request=item, response="x", now=NOW)


@pytest.mark.django_db
def test_the_routed_officer_records_the_response_once(users):
    item = log_request(users["employee"], users["officer"])
    answered = services.record_information_response(
        actor=users["officer"], information_request=item, response="Referred to the 10-K.", now=NOW
    )
    assert answered.responded_by == users["officer"] and answered.responded_at == NOW
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_information_response(
            actor=users["officer"], information_request=item, response="y", now=NOW
        )


# ---------------------------------------------------------------------------------------------------------
# Communications (policy II.F)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_communications_are_scheduled_ahead(users):
    with pytest.raises(ValidationError) as exc:
        schedule(users["secretary"], users["officer"], scheduled_at=NOW - timedelta(minutes=1))
    assert "scheduled_at" in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spokesperson", "authorized"),
    [
        ("officer", True),
        ("authorized_employee", True),
        ("employee_after_expiry", False),
        ("secretary", False),
    ],
)
def test_scheduling_checks_and_stores_the_spokespersons_authorization(users, spokesperson, authorized):
    authorize(users["officer"], users["employee"], valid_from=date(2026, 3, 1), valid_until=date(2026, 3, 11))
    person = users[
        "officer" if spokesperson == "officer" else "secretary" if spokesperson == "secretary" else "employee"
    ]
    when = NOW + (timedelta(days=5) if spokesperson == "employee_after_expiry" else timedelta(hours=2))
    communication = schedule(users["secretary"], person, scheduled_at=when)
    assert communication.spokesperson_authorized is authorized
    assert communication.authorization_note
    assert communication.authorization_note.startswith("NOT AUTHORIZED") is (not authorized)


@pytest.mark.django_db
def test_recording_a_communication_needs_it_to_have_happened_and_a_record(users):
    communication = schedule(users["secretary"], users["officer"])
    kwargs = {"actor": users["secretary"], "communication": communication, "fls_disclaimer_given": True}
    with pytest.raises(ValidationError, match="not taken place"):
        services.record_communication_held(now=NOW, record_of_discussion="x", **kwargs)
    later = communication.scheduled_at + timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.record_communication_held(now=later, record_of_discussion=" ", **kwargs)
    held = services.record_communication_held(now=later, record_of_discussion="Strategy only.", **kwargs)
    assert held.status == Communication.Status.HELD and held.fls_disclaimer_given is True
    with pytest.raises(ValidationError, match="held"):
        services.record_communication_held(now=later, record_of_discussion="again", **kwargs)


def debrief(actor, communication, **kw):
    fields = {
        "now": datetime(2026, 3, 10, 12, 0, tzinfo=ET),
        "debriefed_at": datetime(2026, 3, 9, 16, 15, tzinfo=ET),
        "possible_mnpi": False,
        "debrief_notes": "Went as scripted.",
    }
    fields.update(kw)
    return services.debrief_communication(actor=actor, communication=communication, **fields)


@pytest.mark.django_db
def test_only_a_held_communication_is_debriefed(users):
    communication = schedule(users["secretary"], users["officer"])
    with pytest.raises(ValidationError, match="debrief"):
        debrief(users["secretary"], communication)


@pytest.mark.django_db
def test_a_debrief_without_mnpi_opens_no_incident(users):
    communication, incident = debrief(
        users["secretary"], held_communication(users["secretary"], users["officer"])
    )
    assert incident is None
    assert communication.status == Communication.Status.DEBRIEFED and communication.possible_mnpi is False
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_debrief_flagging_mnpi_needs_what_and_to_whom(users):
    communication = held_communication(users["secretary"], users["officer"])
    with pytest.raises(ValidationError) as exc:
        debrief(users["secretary"], communication, possible_mnpi=True, information="Q1 margins")
    assert set(exc.value.message_dict) == {"recipient_name", "recipient_category"}


@pytest.mark.django_db
def test_a_debrief_flagging_mnpi_opens_a_linked_incident_with_its_clock_at_the_debrief(users):
    communication = held_communication(users["secretary"], users["officer"])
    t0 = datetime(2026, 3, 9, 15, 40, tzinfo=CT)  # entered in Chicago: 16:40 ET, 20:40 UTC
    communication, incident = debrief(
        users["secretary"],
        communication,
        debriefed_at=t0,
        possible_mnpi=True,
        information="Said Q1 margins would beat guidance.",
        recipient_name="Jo Buyside",
        recipient_firm="Example Capital",
        recipient_category=Incident.RecipientCategory.INSTITUTIONAL,
        learned_by="General Counsel",
    )
    incident.refresh_from_db()
    assert incident.source_communication == communication
    assert incident.learned_at == t0 == datetime(2026, 3, 9, 20, 40, tzinfo=UTC)
    assert incident.disclosed_at == communication.scheduled_at
    assert incident.status == Incident.Status.OPEN
    # The clock runs from T0: the later of T0 + 24 h and the next day's 9:30 ET open (rules.md §2.2).
    assert incident.outer_limit == datetime(2026, 3, 10, 20, 40, tzinfo=UTC)
    assert incident.deadline_history.count() == 1
    assert list(communication.incidents.all()) == [incident]


@pytest.mark.django_db
def test_a_failed_incident_rolls_back_the_whole_debrief(users):
    communication = held_communication(users["secretary"], users["officer"])
    with pytest.raises(ValidationError):
        debrief(
            users["secretary"],
            communication,
            possible_mnpi=True,
            information="x",
            recipient_name="Jo",
            recipient_category="analyst",
            disclosed_at=datetime(2026, 3, 9, 17, 0, tzinfo=ET),  # after T0 (16:15): refused by open_incident
        )
    communication.refresh_from_db()
    assert communication.status == Communication.Status.HELD
    assert Incident.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "debriefed_at",
    [datetime(2026, 3, 9, 13, 0, tzinfo=ET), datetime(2026, 3, 11, 9, 0, tzinfo=ET)],
    ids=["before-the-communication", "in-the-future"],
)
def test_the_debrief_time_is_after_the_communication_and_not_in_the_future(users, debriefed_at):
    communication = held_communication(users["secretary"], users["officer"])
    with pytest.raises(ValidationError) as exc:
        debrief(users["secretary"], communication, debriefed_at=debriefed_at)
    assert "debriefed_at" in exc.value.message_dict


@pytest.mark.django_db
def test_only_a_scheduled_communication_is_cancelled_and_with_a_reason(users):
    communication = schedule(users["secretary"], users["officer"])
    with pytest.raises(ValidationError):
        services.cancel_communication(actor=users["secretary"], communication=communication, reason=" ")
    cancelled = services.cancel_communication(
        actor=users["secretary"], communication=communication, reason="Moved"
    )
    assert cancelled.status == Communication.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.cancel_communication(actor=users["secretary"], communication=communication, reason="Again")


# ---------------------------------------------------------------------------------------------------------
# Earnings: market timing and the NYSE timely alert, across DST (pure)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release_at", "timing"),
    [
        (datetime(2026, 5, 5, 9, 29, tzinfo=ET), "before_open"),
        (datetime(2026, 5, 5, 9, 30, tzinfo=ET), "during_session"),
        (datetime(2026, 5, 5, 15, 59, tzinfo=ET), "during_session"),
        (datetime(2026, 5, 5, 16, 0, tzinfo=ET), "after_close"),
        (datetime(2026, 5, 5, 21, 0, tzinfo=ET), "after_close"),
        # 13:45 UTC on 9 Mar 2026, the day after DST starts, is 9:45 EDT (an EST assumption says 8:45).
        (datetime(2026, 3, 9, 13, 45, tzinfo=UTC), "during_session"),
        # 20:30 UTC the same day is 16:30 EDT (an EST assumption says 15:30, during the session).
        (datetime(2026, 3, 9, 20, 30, tzinfo=UTC), "after_close"),
        # 14:15 UTC on 2 Nov 2026, the day after DST ends, is 9:15 EST (an EDT assumption says 10:15).
        (datetime(2026, 11, 2, 14, 15, tzinfo=UTC), "before_open"),
    ],
)
def test_release_timing_uses_new_york_wall_clock(release_at, timing):
    assert release_timing(release_at) == timing


@pytest.mark.parametrize(
    ("release_at", "required"),
    [
        (datetime(2026, 5, 5, 6, 59, tzinfo=ET), False),
        (datetime(2026, 5, 5, 7, 0, tzinfo=ET), True),
        (datetime(2026, 5, 5, 12, 0, tzinfo=ET), True),
        (datetime(2026, 5, 5, 16, 0, tzinfo=ET), True),  # both ends included: the conservative reading
        (datetime(2026, 5, 5, 16, 1, tzinfo=ET), False),
        # A 7:30 ET release in March after DST starts (8 Mar 2026) is 11:30 UTC: notice required.
        (datetime(2026, 3, 9, 11, 30, tzinfo=UTC), True),
        # The same 11:30 UTC before DST starts is 6:30 EST: no notice needed.
        (datetime(2026, 3, 6, 11, 30, tzinfo=UTC), False),
        (datetime(2026, 3, 6, 12, 30, tzinfo=UTC), True),  # 7:30 EST
        # After DST ends (1 Nov 2026): 11:30 UTC is 6:30 EST; the Friday before, it was 7:30 EDT.
        (datetime(2026, 11, 2, 11, 30, tzinfo=UTC), False),
        (datetime(2026, 10, 30, 11, 30, tzinfo=UTC), True),
        (datetime(2026, 3, 9, 12, 30, tzinfo=ZoneInfo("Europe/London")), True),  # any zone: 8:30 EDT
    ],
)
def test_nyse_notice_is_required_for_releases_between_7_and_16_et(release_at, required):
    assert nyse_notice_required(release_at) is required


@pytest.mark.parametrize(
    ("lead", "in_time"),
    [
        (timedelta(minutes=30), True),
        (timedelta(minutes=10), True),
        (timedelta(minutes=9), False),
        (None, False),
    ],
)
def test_nyse_notice_must_be_at_least_ten_minutes_before_release(lead, in_time):
    release = datetime(2026, 3, 9, 7, 30, tzinfo=ET)
    assert nyse_notice_given_in_time(release, None if lead is None else release - lead) is in_time


def test_naive_release_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        release_timing(datetime(2026, 5, 5, 8, 0))  # noqa: DTZ001


# ---- Earnings services and checklist ----


@pytest.mark.django_db
def test_creating_an_earnings_event_stores_the_computed_timing(users):
    event = earnings(users["secretary"], release_at=datetime(2026, 3, 9, 11, 30, tzinfo=UTC))
    event.refresh_from_db()
    assert event.release_timing == EarningsEvent.Timing.BEFORE_OPEN
    assert event.nyse_notice_required is True


@pytest.mark.django_db
def test_updating_the_release_time_recomputes_the_timing(users):
    event = earnings(users["secretary"])
    assert (event.release_timing, event.nyse_notice_required) == ("after_close", False)
    event = services.update_earnings_event(
        actor=users["secretary"], event=event, data={"release_at": datetime(2026, 5, 5, 10, 0, tzinfo=ET)}
    )
    assert (event.release_timing, event.nyse_notice_required) == ("during_session", True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"call_announced_at": datetime(2026, 5, 5, 17, 30, tzinfo=ET)}, "call_announced_at"),
        ({"recording_available_until": date(2026, 5, 1)}, "recording_available_until"),
        ({"release_at": datetime(2026, 5, 5, 16, 5)}, "release_at"),  # noqa: DTZ001 (naive)
        ({"webcast_url": "not a url"}, "webcast_url"),
    ],
)
def test_earnings_event_refuses_inconsistent_input(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        earnings(users["secretary"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_one_earnings_event_per_period(users):
    earnings(users["secretary"])
    with pytest.raises(ValidationError):
        earnings(users["secretary"])


@pytest.mark.django_db
def test_update_refuses_unknown_fields(users):
    with pytest.raises(ValidationError, match="Unknown"):
        services.update_earnings_event(
            actor=users["secretary"], event=earnings(users["secretary"]), data={"x": 1}
        )


def _checks(event):
    return {item.key: item.ok for item in earnings_checklist(event, today=date(2026, 5, 6))}


@pytest.mark.django_db
def test_a_complete_after_close_release_is_all_green(users):
    assert _checks(earnings(users["secretary"])) == {
        "release_timing": True,
        "nyse_notice": None,
        "call_announced": True,
        "public_access": True,
        "qa_audible": True,
        "recording": True,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("notice_at", "ok"),
    [
        (None, False),
        (datetime(2026, 3, 9, 7, 25, tzinfo=ET), False),
        (datetime(2026, 3, 9, 7, 15, tzinfo=ET), True),
    ],
    ids=["missing", "too-late", "in-time"],
)
def test_a_missing_or_late_nyse_notice_is_red(users, notice_at, ok):
    event = earnings(
        users["secretary"],
        release_at=datetime(2026, 3, 9, 11, 30, tzinfo=UTC),  # 7:30 EDT
        call_at=datetime(2026, 3, 9, 8, 30, tzinfo=ET),
        call_announced_at=datetime(2026, 2, 20, 8, 0, tzinfo=ET),
        recording_available_until=date(2026, 6, 9),
        nyse_notice_at=notice_at,
    )
    assert _checks(event)["nyse_notice"] is ok
    assert _checks(event)["release_timing"] is True


@pytest.mark.django_db
def test_missing_call_items_are_red(users):
    event = earnings(
        users["secretary"],
        release_at=datetime(2026, 5, 5, 12, 0, tzinfo=ET),
        call_announced_at=None,
        public_access=False,
        qa_audible_to_all=False,
        recording_url="",
    )
    checks = _checks(event)
    assert checks["release_timing"] is False  # released during the session
    assert checks["call_announced"] is False
    assert checks["public_access"] is False
    assert checks["qa_audible"] is False
    assert checks["recording"] is False


# ---------------------------------------------------------------------------------------------------------
# Regulation G (policy I.F)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "changes", "now", "message"),
    [
        ("secretary", {}, NOW, "authorized officer"),
        ("officer", {"release_at": NOW}, NOW, "must precede the release"),
        ("officer", {"release_at": NOW - timedelta(hours=1)}, NOW, "must precede the release"),
        ("officer", {"equal_prominence": False}, NOW, "prominence"),
        ("officer", {"reconciliation": "   "}, NOW, "reconciliation"),
    ],
    ids=["not-an-officer", "at-release", "after-release", "no-equal-prominence", "no-reconciliation"],
)
def test_sign_off_refusals(users, who, changes, now, message):
    review = nongaap(users["secretary"], **changes)
    with pytest.raises(ValidationError, match=message):
        services.sign_off_nongaap_review(actor=users[who], review=review, now=now)
    review.refresh_from_db()
    assert review.signed_off_at is None


@pytest.mark.django_db
def test_the_cfo_signs_off_before_release_once(users):
    review = nongaap(users["secretary"])
    signed = services.sign_off_nongaap_review(actor=users["officer"], review=review, now=NOW)
    assert signed.signed_off_by == users["officer"] and signed.signed_off_at == NOW
    with pytest.raises(ValidationError, match="already signed off"):
        services.sign_off_nongaap_review(actor=users["officer"], review=review, now=NOW)


@pytest.mark.django_db
def test_a_review_is_revised_before_sign_off_only(users):
    review = nongaap(users["secretary"], equal_prominence=False)
    review = services.update_nongaap_review(
        actor=users["secretary"], review=review, data={"equal_prominence": True}
    )
    services.sign_off_nongaap_review(actor=users["officer"], review=review, now=NOW)
    with pytest.raises(ValidationError, match="signed off"):
        services.update_nongaap_review(actor=users["secretary"], review=review, data={"measure": "EBITDA"})


@pytest.mark.django_db
def test_a_review_needs_an_aware_release_time(users):
    with pytest.raises(ValidationError):
        nongaap(users["secretary"], release_at=datetime(2026, 5, 5, 16, 5))  # noqa: DTZ001


# ---------------------------------------------------------------------------------------------------------
# The other records (policy I.D, I.E, II.H, II.I)
# ---------------------------------------------------------------------------------------------------------


def rumor(actor, **kw):
    fields = {
        "now": NOW,
        "occurred_at": NOW - timedelta(hours=3),
        "summary": "Chat-board rumor of a takeover bid",
        "no_comment_given": True,
        "internal_source": False,
    }
    fields.update(kw)
    return services.log_market_rumor(actor=actor, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"internal_source": True}, "referred_to_counsel_at"),
        ({"no_comment_given": False}, "details"),
        (
            {"internal_source": True, "referred_to_counsel_at": NOW + timedelta(hours=1)},
            "referred_to_counsel_at",
        ),
        ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"no_comment_given": None}, "no_comment_given"),
    ],
)
def test_rumor_refusals(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        rumor(users["secretary"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_a_rumor_from_an_internal_source_is_referred_to_counsel(users):
    record = rumor(users["officer"], internal_source=True, referred_to_counsel_at=NOW - timedelta(hours=1))
    assert record.kind == PolicyRecord.Kind.RUMOR and record.referred_to_counsel_at == NOW - timedelta(
        hours=1
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"correction_method": " "}, "correction_method"),
        ({"corrected_at": NOW - timedelta(days=2)}, "corrected_at"),
        ({"corrected_at": NOW + timedelta(hours=1)}, "corrected_at"),
    ],
)
def test_correction_refusals(users, changes, field):
    fields = {
        "now": NOW,
        "occurred_at": NOW - timedelta(days=1),
        "summary": "Backlog figure in the Q4 release",
        "corrected_at": NOW - timedelta(hours=20),
        "correction_method": "Press release via Business Wire",
    }
    fields.update(changes)
    with pytest.raises(ValidationError) as exc:
        services.log_correction(actor=users["secretary"], **fields)
    assert field in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "historical", "ok"),
    [("officer", True, True), ("officer", False, False), ("secretary", True, False), ("admin", True, False)],
)
def test_analyst_report_reviews_are_by_an_officer_and_historical_only(users, who, historical, ok):
    def call():
        return services.log_analyst_review(
            actor=users[who],
            now=NOW,
            occurred_at=NOW - timedelta(hours=1),
            summary="Example Securities note of 3 March",
            historical_facts_only=historical,
        )

    if ok:
        assert call().historical_facts_only is True
    else:
        with pytest.raises(ValidationError):
            call()


@pytest.mark.django_db
def test_a_question_is_answered_once_by_the_corporate_secretary(users):
    question = services.ask_secretary_question(
        actor=users["employee"], now=NOW, summary="Is our backlog material?"
    )
    assert question.occurred_at == NOW and question.recorded_by == users["employee"]
    with pytest.raises(ValidationError, match="Corporate Secretary"):
        services.answer_secretary_question(actor=users["officer"], record=question, answer="x", now=NOW)
    with pytest.raises(ValidationError):
        services.answer_secretary_question(actor=users["secretary"], record=question, answer=" ", now=NOW)
    answered = services.answer_secretary_question(
        actor=users["secretary"], record=question, answer="Presume it is; talk to me first.", now=NOW
    )
    assert answered.answered_by == users["secretary"]
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_secretary_question(actor=users["secretary"], record=question, answer="again", now=NOW)


@pytest.mark.django_db
def test_only_questions_are_answered(users):
    with pytest.raises(ValidationError, match="Only questions"):
        services.answer_secretary_question(
            actor=users["secretary"], record=rumor(users["secretary"]), answer="x", now=NOW
        )


# ---------------------------------------------------------------------------------------------------------
# Distribution to all employees
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_goes_to_every_active_user(users):
    UserFactory(username="gone", is_active=False)
    policy = regfd_policy(users["secretary"])
    distribution = policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    assert distribution.recipients == len(users) == 9
    assert distribution.audience == "All employees"
    assert audit_events(distribution) == 1


@pytest.mark.django_db
def test_an_unapproved_or_clawback_policy_is_not_distributed(users):
    with pytest.raises(ValidationError, match="not approved"):
        policy_services.distribute_policy(
            actor=users["secretary"], policy=regfd_policy(users["secretary"], approved=False), now=NOW
        )
    clawback = add_policy_version(
        actor=users["secretary"],
        kind="clawback",
        version="1",
        title="Clawback",
        text="x",
        effective_date=date(2026, 1, 1),
        approved_on=date(2025, 12, 1),
    )
    with pytest.raises(ValidationError, match="Reg FD"):
        policy_services.distribute_policy(actor=users["secretary"], policy=clawback, now=NOW)
    assert PolicyDistribution.objects.count() == 0


@pytest.mark.django_db
def test_acknowledgement_needs_a_distribution_and_is_kept_once(users):
    policy = regfd_policy(users["secretary"])
    with pytest.raises(ValidationError, match="not been distributed"):
        policy_services.acknowledge_policy(user=users["employee"], policy=policy, now=NOW)
    policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    first = policy_services.acknowledge_policy(user=users["employee"], policy=policy, now=NOW)
    again = policy_services.acknowledge_policy(
        user=users["employee"], policy=policy, now=NOW + timedelta(days=1)
    )
    assert first == again and again.acknowledged_at == NOW
    assert PolicyAcknowledgement.objects.count() == 1


@pytest.mark.django_db
def test_the_report_lists_active_users_who_have_not_acknowledged(users):
    UserFactory(username="gone", is_active=False)
    policy = regfd_policy(users["secretary"])
    policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    for role in ("employee", "officer"):
        policy_services.acknowledge_policy(user=users[role], policy=policy, now=NOW)
    outstanding = set(users_not_acknowledged(policy).values_list("username", flat=True))
    assert outstanding == set(users) - {"employee", "officer"}
