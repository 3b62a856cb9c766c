"""Seats on the Board and the Compensation Committee (company.services.add_seat / end_seat): who may vote on a
decision is read from the seats held on its date, so a seat is added, then ended with its last day, never
edited nor deleted. The services refuse what would make the record wrong; the API and the pages call them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.company import services
from compliance_site.company.models import BodyMembership, Company
from compliance_site.company.selectors import seats_held
from compliance_site.confirm import confirmed_data
from tests.clients import api_error, api_for, client_for, post_json
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEATS = "/api/seats/"
JAN_2020, JAN_2024, JUN_2024 = date(2020, 1, 1), date(2024, 1, 1), date(2024, 6, 30)


def _add(users, company, member, *, body="board", chair=False, independent=True, starts_on=JAN_2020):
    return services.add_seat(
        actor=users["secretary"],
        company=company,
        body=body,
        member=member,
        chair=chair,
        independent=independent,
        starts_on=starts_on,
    )


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def _end(users, seat, *, ends_on=JUN_2024, reason="Resigned from the Board."):
    return services.end_seat(actor=users["secretary"], seat=seat, ends_on=ends_on, reason=reason)


# ---- Services ----------------------------------------------------------------------------------------------


def test_a_seat_is_held_from_its_first_day_and_recorded_with_who_added_it(users, company):
    seat = _add(users, company, users["board"], chair=True)

    assert seat.ends_on is None and seat.recorded_by == users["secretary"]
    assert list(seats_held(company, "board", on=JAN_2020)) == [seat]
    assert not seats_held(company, "board", on=date(2019, 12, 31)).exists()
    event = AuditEvent.objects.get(object_type="company.bodymembership", object_id=str(seat.pk))
    assert event.action == AuditEvent.Action.CREATE and event.actor == users["secretary"]


def test_a_member_without_a_vote_in_the_app_is_refused_on_the_member_field(users, company):
    errors = _refusal(lambda: _add(users, company, users["secretary"]))

    assert "no vote in the app" in errors["member"][0]
    assert not BodyMembership.objects.exists()


def test_a_director_whose_account_is_deactivated_is_refused(users, company):
    director = UserFactory(username="former", roles=[Role.BOARD], is_active=False)

    assert "member" in _refusal(lambda: _add(users, company, director))


def test_a_second_seat_of_the_same_member_on_the_same_body_over_the_same_days_is_refused(users, company):
    _add(users, company, users["board"])

    errors = _refusal(lambda: _add(users, company, users["board"], starts_on=JAN_2024))

    assert (
        "already holds a seat on the Board of Directors from 2020-01-01 (still held)"
        in errors["starts_on"][0]
    )
    assert BodyMembership.objects.count() == 1


def test_a_seat_after_the_last_day_of_the_previous_one_is_accepted(users, company):
    first = _add(users, company, users["board"])
    _end(users, first, ends_on=JUN_2024)

    assert "starts_on" in _refusal(lambda: _add(users, company, users["board"], starts_on=JUN_2024))
    again = _add(users, company, users["board"], starts_on=date(2024, 7, 1))

    assert list(seats_held(company, "board", on=date(2024, 7, 1))) == [again]


def test_the_same_member_may_sit_on_the_board_and_on_the_committee(users, company):
    _add(users, company, users["committee2"], body="board")
    _add(users, company, users["committee2"], body="committee")

    assert BodyMembership.objects.filter(member=users["committee2"]).count() == 2


def test_a_second_chair_of_the_same_body_over_the_same_days_is_refused(users, company):
    _add(users, company, users["board"], chair=True)

    errors = _refusal(lambda: _add(users, company, users["committee2"], chair=True, starts_on=JAN_2024))

    assert "chairs the Board of Directors from 2020-01-01 (still held)" in errors["chair"][0]
    assert "one chair at a time" in errors["chair"][0]


def test_a_new_chair_may_be_seated_after_the_last_day_of_the_former_chair(users, company):
    former = _add(users, company, users["board"], chair=True)
    _add(users, company, users["committee"], chair=True, body="committee")  # the other body's chair
    _end(users, former, ends_on=JUN_2024)

    chair = _add(users, company, users["committee2"], chair=True, starts_on=date(2024, 7, 1))

    assert [s.member for s in seats_held(company, "board", on=date(2024, 7, 1))] == [chair.member]


def test_ending_a_seat_keeps_it_with_its_last_day_and_the_reason_on_the_audit_trail(users, company):
    seat = _add(users, company, users["board"])

    _end(users, seat, ends_on=JUN_2024, reason="Term expired at the annual meeting.")

    seat.refresh_from_db()
    assert seat.ends_on == JUN_2024
    assert list(seats_held(company, "board", on=JUN_2024)) == [seat]  # the last day still counts
    assert not seats_held(company, "board", on=date(2024, 7, 1)).exists()
    change = AuditEvent.objects.get(object_id=str(seat.pk), action=AuditEvent.Action.UPDATE)
    assert change.changes == {"ends_on": [None, "2024-06-30"]}
    assert change.reason == "Term expired at the annual meeting." and change.actor == users["secretary"]
    step = AuditEvent.objects.get(object_id=str(seat.pk), action=AuditEvent.Action.ACTION)
    assert step.verb == "end_seat" and step.reason == "Term expired at the annual meeting."


def test_a_seat_cannot_end_before_it_starts(users, company):
    seat = _add(users, company, users["board"], starts_on=JAN_2024)

    errors = _refusal(lambda: _end(users, seat, ends_on=date(2023, 12, 31)))

    assert errors["ends_on"] == ["A seat cannot end before it starts: this one starts on 2024-01-01."]
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_a_seat_already_ended_is_not_ended_again(users, company):
    seat = _add(users, company, users["board"])
    _end(users, seat, ends_on=JUN_2024)

    errors = _refusal(lambda: _end(users, seat, ends_on=date(2025, 1, 1)))

    assert errors["ends_on"] == ["This seat already ended on 2024-06-30."]
    seat.refresh_from_db()
    assert seat.ends_on == JUN_2024


def test_ending_a_seat_needs_a_reason(users, company):
    seat = _add(users, company, users["board"])

    assert "reason" in _refusal(lambda: _end(users, seat, reason="   "))


# ---- API ---------------------------------------------------------------------------------------------------


def _seat_input(member, **overrides):
    return {"body": "committee", "member": member.pk, "starts_on": "2024-01-01", **overrides}


def test_the_api_lists_the_seats_to_every_reader_and_filters_them_by_body_and_date(users, company):
    board = _add(users, company, users["board"], chair=True)
    committee = _add(users, company, users["committee"], body="committee", independent=False)
    _end(users, committee, ends_on=JUN_2024)

    listed = api_for(users["auditor"]).get(SEATS)
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert set(rows) == {board.pk, committee.pk}
    assert rows[committee.pk] == {
        "id": committee.pk,
        "body": "committee",
        "member": users["committee"].pk,
        "member_name": str(users["committee"]),
        "chair": False,
        "independent": False,
        "starts_on": "2020-01-01",
        "ends_on": "2024-06-30",
        "recorded_by": users["secretary"].pk,
        "recorded_at": rows[committee.pk]["recorded_at"],
    }

    def ids(query):
        response = api_for(users["employee"]).get(SEATS + query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("?body=board") == [board.pk]
    assert ids("?on=2024-06-30") == [board.pk, committee.pk]  # the committee seat's last day
    assert ids("?on=2024-07-01") == [board.pk]
    assert ids("?on=2019-12-31") == []
    assert ids("?body=committee&on=2024-07-01") == []


def test_the_api_refuses_a_date_it_cannot_read(users, company):
    error = api_error(api_for(users["auditor"]).get(SEATS + "?on=30/06/2024"), 400)
    assert "on" in error["fields"]


def test_the_secretary_adds_a_seat_over_the_api(users, company):
    response = post_json(api_for(users["secretary"]), SEATS, _seat_input(users["committee"], chair=True))

    assert response.status_code == 201, response.content
    seat = BodyMembership.objects.get()
    assert response.json()["id"] == seat.pk and response.json()["ends_on"] is None
    assert (seat.company, seat.body, seat.member, seat.chair, seat.independent) == (
        company,
        "committee",
        users["committee"],
        True,
        True,
    )


def test_the_api_names_the_field_of_a_refused_seat(users, company):
    error = api_error(post_json(api_for(users["secretary"]), SEATS, _seat_input(users["auditor"])), 400)
    assert "no vote in the app" in error["fields"]["member"][0]

    error = api_error(
        post_json(api_for(users["secretary"]), SEATS, _seat_input(users["board"], body="audit")), 400
    )
    assert "body" in error["fields"]
    assert not BodyMembership.objects.exists()


@pytest.mark.parametrize("role", ["board", "committee", "auditor", "counsel", "employee"])
def test_only_the_company_s_record_keepers_add_or_end_seats(users, company, role):
    seat = _add(users, company, users["board"])
    client = api_for(users[role])

    api_error(post_json(client, SEATS, _seat_input(users["committee"])), 403)
    api_error(post_json(client, f"{SEATS}{seat.pk}/end/", {"ends_on": "2024-06-30", "reason": "x"}), 403)
    assert BodyMembership.objects.count() == 1 and BodyMembership.objects.get().ends_on is None


def test_the_secretary_ends_a_seat_over_the_api(users, company):
    seat = _add(users, company, users["board"])

    response = post_json(
        api_for(users["secretary"]),
        f"{SEATS}{seat.pk}/end/",
        {"ends_on": "2024-06-30", "reason": "Resigned."},
    )

    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == "2024-06-30"


def test_the_api_refuses_to_end_a_seat_before_it_starts(users, company):
    seat = _add(users, company, users["board"], starts_on=JAN_2024)

    error = api_error(
        post_json(
            api_for(users["admin"]), f"{SEATS}{seat.pk}/end/", {"ends_on": "2023-01-01", "reason": "x"}
        ),
        400,
    )

    assert "cannot end before it starts" in error["fields"]["ends_on"][0]


def test_an_unknown_seat_is_a_404(users, company):
    api_error(api_for(users["auditor"]).get(f"{SEATS}999999/"), 404)
    api_error(post_json(api_for(users["secretary"]), f"{SEATS}999999/end/", {"ends_on": "2024-06-30"}), 404)


# ---- Pages -------------------------------------------------------------------------------------------------


def test_the_page_lists_the_seats_held_today_per_body_and_the_past_ones_below(users, company):
    board_chair = _add(users, company, users["board"], chair=True)
    _add(users, company, users["committee2"], independent=False)
    ended = _add(users, company, users["committee"], body="committee")
    _end(users, ended, ends_on=JUN_2024)

    response = client_for(users["secretary"]).get(reverse("company:seat-list"))

    assert response.status_code == 200
    board, committee = response.context["bodies"]
    assert [s.member for s in board["seats"]][0] == board_chair.member  # the chair first
    assert committee["seats"] == [] and response.context["past"] == [ended]
    html = response.content.decode()
    assert "Board of Directors" in html and "Compensation Committee" in html
    assert ">Chair<" in html and "Not independent" in html
    assert "Past seats (1)" in html and "2020-01-01 – 2024-06-30" in html
    assert reverse("company:seat-add") in html
    assert reverse("company:seat-end", args=[board_chair.pk]) in html


def test_a_reader_sees_the_seats_without_the_forms(users, company):
    seat = _add(users, company, users["board"])

    response = client_for(users["auditor"]).get(reverse("company:seat-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(users["board"]) in html
    assert reverse("company:seat-add") not in html
    assert reverse("company:seat-end", args=[seat.pk]) not in html


def test_the_secretary_adds_a_seat_on_the_page(users, company):
    client = client_for(users["secretary"])
    assert client.get(reverse("company:seat-add")).status_code == 200

    response = client.post(
        reverse("company:seat-add"),
        {"body": "committee", "member": users["committee"].pk, "starts_on": "2024-01-01", "chair": "on"},
    )

    assert response.status_code == 302 and response["Location"] == reverse("company:seat-list")
    seat = BodyMembership.objects.get()
    assert (seat.body, seat.member, seat.chair, seat.independent) == (
        "committee",
        users["committee"],
        True,
        False,
    )


def test_a_refused_seat_is_shown_on_its_field(users, company):
    _add(users, company, users["board"], chair=True)

    response = client_for(users["secretary"]).post(
        reverse("company:seat-add"),
        {"body": "board", "member": users["committee2"].pk, "starts_on": "2024-01-01", "chair": "on"},
    )

    assert response.status_code == 200
    assert "one chair at a time" in response.context["form"].errors["chair"][0]
    assert BodyMembership.objects.count() == 1


def test_ending_a_seat_on_the_page_asks_first_then_ends_it(users, company):
    seat = _add(users, company, users["board"], chair=True)
    client = client_for(users["secretary"])
    url = reverse("company:seat-end", args=[seat.pk])
    data = {"ends_on": "2024-06-30", "reason": "Resigned."}
    assert client.get(url).status_code == 200

    asked = client.post(url, data)

    assert asked.status_code == 200 and asked.templates[0].name == "includes/confirm.html"
    statement = asked.context["statement"]
    assert "ends on 2024-06-30" in statement and "no chair until one is seated" in statement
    seat.refresh_from_db()
    assert seat.ends_on is None  # nothing done yet

    done = client.post(url, confirmed_data(data))

    assert done.status_code == 302 and done["Location"] == reverse("company:seat-list")
    seat.refresh_from_db()
    assert seat.ends_on == JUN_2024


def test_a_refused_end_is_shown_on_its_field_after_the_confirmation(users, company):
    seat = _add(users, company, users["board"], starts_on=JAN_2024)

    response = client_for(users["secretary"]).post(
        reverse("company:seat-end", args=[seat.pk]), confirmed_data({"ends_on": "2023-01-01", "reason": "x"})
    )

    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["form"].errors["ends_on"][0]


def test_readers_cannot_post_the_seat_forms(users, company):
    seat = _add(users, company, users["board"])
    client = client_for(users["auditor"])

    assert client.post(reverse("company:seat-add"), {"body": "board"}).status_code == 403
    assert client.post(reverse("company:seat-end", args=[seat.pk]), confirmed_data()).status_code == 403
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_the_company_profile_links_the_seats_and_shows_and_edits_the_signature_order(users, company):
    client = client_for(users["secretary"])

    profile = client.get(reverse("company:profile")).content.decode()
    assert reverse("company:seat-list") in profile
    assert "The chair, then the Corporate Secretary" in profile

    form = client.get(reverse("company:edit"))
    assert "signature_order" in form.context["form"].fields
    data = {**form.context["form"].initial, "signature_order": "chair_only", "reason": "Board resolution"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    assert client.post(reverse("company:edit"), data).status_code == 302
    assert Company.objects.get().signature_order == "chair_only"


def test_the_api_shows_and_changes_the_signature_order(users, company):
    client = api_for(users["secretary"])
    assert client.get("/api/company/").json()["signature_order"] == "chair_then_secretary"

    response = client.patch(
        "/api/company/",
        {"signature_order": "secretary_then_chair", "reason": "Board resolution"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Company.objects.get().signature_order == "secretary_then_chair"
    error = api_error(client.patch("/api/company/", {"signature_order": "anyone"}, format="json"), 400)
    assert "signature_order" in error["fields"]


def _count_queries(client, url) -> tuple[int, int]:
    """(queries, seats listed) of one GET of the page, its caches warm."""
    client.get(url)  # warm the session and content types, so both measurements see the same state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    listed = sum(len(body["seats"]) for body in response.context["bodies"]) + len(response.context["past"])
    return len(queries), listed


def test_the_page_costs_the_same_number_of_queries_whatever_the_number_of_seats(users, company):
    client = client_for(users["auditor"])
    url = reverse("company:seat-list")
    _add(users, company, users["board"])
    few, few_listed = _count_queries(client, url)

    directors = [UserFactory(roles=[Role.BOARD, Role.COMMITTEE]) for _ in range(12)]
    for director in directors:
        _add(users, company, director, body="committee")
        seat = _add(users, company, director, body="board", starts_on=JAN_2024)
        _end(users, seat, ends_on=JUN_2024)
    many, many_listed = _count_queries(client, url)

    assert (few_listed, many_listed) == (1, 25)
    assert many == few
