"""compliance_site.registers: the Register (rows a user sees, searched and ordered), ServiceCall, and the
route layout of register_urls. No HTTP here."""

from datetime import datetime

import pytest
from django.urls import URLResolver

from compliance_site.registers import Register, ServiceCall
from compliance_site.registers.urls import register_urls
from tests.factories import UserFactory
from tests.registers.people import PEOPLE, people_visible_to


@pytest.mark.django_db
def test_rows_are_the_selectors_searched_and_in_the_registers_order(users):
    UserFactory(username="zed", first_name="Zed")
    UserFactory(username="amy", first_name="")
    rows = [u.username for u in PEOPLE.rows(users["admin"], q="", state="named")]
    assert "amy" not in rows and rows == sorted(rows)
    assert [u.username for u in PEOPLE.rows(users["employee"])] == ["employee"]  # the selector decides


@pytest.mark.django_db
def test_a_register_without_search_or_order_is_just_the_selector(users):
    register = Register(people_visible_to)
    assert list(register.rows(users["employee"])) == [users["employee"]]


def test_service_call_passes_actor_record_now_and_data_as_declared():
    seen = {}

    def service(**kwargs):
        seen.update(kwargs)
        return "done"

    assert ServiceCall(service)(actor="a", data={"x": 1}) == "done"
    assert seen == {"actor": "a", "x": 1}
    seen.clear()
    ServiceCall(service, record="note", now=True, data_as="data")(actor="a", record="n", data={"x": 1})
    assert set(seen) == {"actor", "note", "now", "data"} and seen["data"] == {"x": 1} and seen["note"] == "n"
    assert isinstance(seen["now"], datetime) and seen["now"].tzinfo is not None


def test_register_urls_lay_out_list_forms_detail_and_actions():
    def view(request, pk=None):
        return None

    routes = register_urls(
        "notes/",
        "note",
        list=view,
        detail=view,
        collection={"add": ("new", view), "home": ("", view)},
        record={"edit": view, "sign-off": view},
    )
    assert not any(isinstance(route, URLResolver) for route in routes)
    assert {route.name: str(route.pattern) for route in routes} == {
        "note-list": "notes/",
        "note-add": "notes/new/",
        "note-home": "notes/",
        "note-detail": "notes/<int:pk>/",
        "note-edit": "notes/<int:pk>/edit/",
        "note-sign-off": "notes/<int:pk>/sign-off/",
    }
