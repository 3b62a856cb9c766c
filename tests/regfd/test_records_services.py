"""Requests for MNPI (policy I.A) and communications with Specified Persons (policy II.F): every rule and
every refusal, the debrief that opens an incident (docs/regfd-rules §2.2, §2.8). The other records' services
are tested one module per noun: test_spokesperson_services, test_earnings_services,
test_policy_record_services."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regfd.models import Communication, Incident, InformationRequest
from regfd.services import records as services
from tests.regfd.records_setup import (
    CT,
    ET,
    NOW,
    UTC,
    authorize,
    held_communication,
    log_request,
    make_cfo,
    schedule,
)

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
    # The clock runs from T0: the later of T0 + 24 h and the next day's 9:30 ET open (docs/regfd-rules §2.2).
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
