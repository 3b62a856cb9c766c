"""compliance_site.registers.api: a RegisterViewSet reads through its register and answers each Write with
the record (201 new, 200 changed); refusals are 400/403/404/405 in the one error format; the schema documents
each write with its own input serializer."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from compliance_site.registers.api import RegisterViewSet, Write
from tests.clients import api_error, api_for
from tests.registers import people
from tests.registers.people import CALLS, PersonViewSet, User

pytestmark = pytest.mark.django_db
API = "/registers-test/api/people/"


def test_list_reads_through_the_selector_with_filters_and_order(users):
    names = [p["username"] for p in api_for(users["admin"]).get(API).json()["results"]]
    assert names == sorted(names) and "employee" in names
    assert [p["username"] for p in api_for(users["employee"]).get(API).json()["results"]] == ["employee"]
    found = api_for(users["admin"]).get(API, {"q": "secre"}).json()["results"]
    assert [p["username"] for p in found] == ["secretary"]


def test_a_filter_value_outside_its_choices_is_a_400(users):
    assert "state" in api_error(api_for(users["admin"]).get(API, {"state": "bogus"}), 400)["fields"]


def test_a_record_the_caller_may_not_see_is_a_404(users):
    api_error(api_for(users["employee"]).get(f"{API}{users['admin'].pk}/"), 404)
    api_error(
        api_for(users["officer"]).post(f"{API}{users['officer'].pk}/stamp/"), 403
    )  # no capability first


def test_create_calls_its_service_with_actor_and_now_and_answers_201(users):
    response = api_for(users["secretary"]).post(API, {"username": "newcomer"}, format="json")
    assert response.status_code == 201 and response.json()["username"] == "newcomer"
    name, kwargs = CALLS[-1]
    assert name == "add_person" and kwargs["actor"] == users["secretary"] and "now" in kwargs
    assert kwargs["first_name"] == ""  # the input serializer's default


def test_input_errors_and_service_refusals_are_400s_naming_the_field(users):
    client = api_for(users["secretary"])
    assert "username" in api_error(client.post(API, {}, format="json"), 400)["fields"]
    assert CALLS == []  # bad input never reaches the service
    assert "username" in api_error(client.post(API, {"username": "taken"}, format="json"), 400)["fields"]


def test_a_write_without_the_capability_is_a_403(users):
    api_error(api_for(users["employee"]).post(API, {"username": "x"}, format="json"), 403)
    assert CALLS == []


def test_a_detail_write_passes_the_record_under_its_keyword_and_answers_200(users):
    url = f"{API}{users['employee'].pk}/rename/"
    response = api_for(users["officer"]).post(url, {"first_name": "Eve"}, format="json")
    assert response.status_code == 200 and response.json()["first_name"] == "Eve"
    assert CALLS[-1][1]["person"] == users["employee"] and "now" not in CALLS[-1][1]


def test_a_guard_refuses_with_a_403_and_its_message(users):
    url = f"{API}{users['officer'].pk}/rename/"
    refused = api_error(api_for(users["officer"]).post(url, {"first_name": "Me"}, format="json"), 403)
    assert refused["message"] == "Nobody renames themselves." and CALLS == []


def test_data_as_passes_only_the_fields_given(users):
    url = f"{API}{users['employee'].pk}/update-details/"
    response = api_for(users["secretary"]).post(url, {"first_name": "Eva"}, format="json")
    assert response.status_code == 200
    assert CALLS[-1][1]["data"] == {"first_name": "Eva"}


def test_a_step_without_input_and_a_service_returning_more_than_the_record(users):
    url = f"{API}{users['employee'].pk}/stamp/"
    response = api_for(users["secretary"]).post(url)
    assert response.status_code == 200 and response.json()["id"] == users["employee"].pk
    User.objects.filter(pk=users["employee"].pk).update(last_name="Frozen")
    assert api_error(api_for(users["secretary"]).post(url), 400)["fields"]["non_field_errors"]


def test_void_needs_a_reason_before_the_service_runs(users):
    url = f"{API}{users['employee'].pk}/void/"
    assert (
        "reason"
        in api_error(api_for(users["secretary"]).post(url, {"reason": "  "}, format="json"), 400)["fields"]
    )
    assert CALLS == []
    response = api_for(users["secretary"]).post(url, {"reason": " Made by mistake. "}, format="json")
    assert response.status_code == 200
    assert CALLS[-1][1]["reason"] == "Made by mistake." and "now" in CALLS[-1][1]


def test_methods_a_register_does_not_serve_are_405s(users):
    client = api_for(users["admin"])
    assert client.put(API, {}).status_code == 405
    assert client.delete(f"{API}{users['employee'].pk}/").status_code == 405
    assert client.get(f"{API}{users['employee'].pk}/rename/").status_code == 405


def test_the_schema_documents_each_write_with_its_own_input(users):
    schema = SchemaGenerator(patterns=people.router.urls).get_schema(request=None, public=True)
    paths = schema["paths"]
    create = paths["/people/"]["post"]
    assert "201" in create["responses"] and "AddPersonInput" in str(create["requestBody"])
    assert "RenameInput" in str(paths["/people/{id}/rename/"]["post"]["requestBody"])
    assert "requestBody" not in paths["/people/{id}/stamp/"]["post"]
    assert {p["name"] for p in paths["/people/"]["get"]["parameters"]} >= {"q", "state", "page"}
    update = schema["components"]["schemas"]["UpdatePersonInputRequest"]
    assert "required" not in update and update["description"] == "Fix."


def test_a_write_may_not_hide_a_method_of_the_viewset():
    with pytest.raises(TypeError, match="hide"):

        class Broken(RegisterViewSet):
            serializer_class = serializers.Serializer
            capabilities = {}
            get_queryset = Write(None, print, record="x")


def test_a_misspelt_capability_fails_when_the_viewset_is_declared():
    with pytest.raises(KeyError):

        class Misspelt(PersonViewSet):
            capabilities = {"list": "regfd.veiw"}
