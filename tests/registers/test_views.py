"""compliance_site.registers.views: the list (search, filters, pages), a record's page and its actions (a
refusal is the page again with the errors, 400), the create/edit form; anonymous visitors sign in first,
others without the capability get a 403, a record they may not see a 404."""

import pytest
from django.test import Client

from compliance_site.registers.views import RecordList
from tests.clients import client_for
from tests.factories import UserFactory
from tests.registers.people import CALLS, User

pytestmark = pytest.mark.django_db
PAGES = "/registers-test/people/"


def test_the_list_pages_the_visible_rows_with_search_and_filters(users):
    for i in range(30):
        UserFactory(username=f"bulk{i:02}", first_name="")
    page = client_for(users["admin"]).get(PAGES)
    assert page.status_code == 200 and len(page.context["page"].object_list) == 25
    assert page.context["searched"] is False
    named = client_for(users["admin"]).get(PAGES, {"state": "named", "q": ""}).context
    assert named["state"] == "named" and named["searched"] is True
    assert all(p.first_name for p in named["page"].object_list)
    ignored = client_for(users["admin"]).get(PAGES, {"state": "bogus"}).context
    assert ignored["state"] == "" and ignored["page"].paginator.count > 30  # an unknown value means "any"
    mine = client_for(users["employee"]).get(PAGES).context["page"].object_list
    assert [p.username for p in mine] == ["employee"]


def test_the_filter_select_and_empty_text_are_drawn_by_the_generic_template(users):
    html = client_for(users["admin"]).get(PAGES, {"q": "nobody-at-all"}).content.decode()
    assert '<select id="state" class="form-select" name="state">' in html
    assert "Nothing matches your search." in html


def test_anonymous_visitors_sign_in_and_others_need_the_capability(users):
    assert Client().get(PAGES).status_code == 302
    assert Client().get(PAGES)["Location"].startswith("/accounts/login/?next=")
    assert client_for(users["employee"]).get(f"{PAGES}new/").status_code == 403
    assert client_for(users["employee"]).get(f"{PAGES}{users['admin'].pk}/").status_code == 404


def test_a_records_page_links_its_documents_and_history(users):
    page = client_for(users["auditor"]).get(f"{PAGES}{users['employee'].pk}/")
    assert page.status_code == 200 and page.context["person"] == users["employee"]
    html = page.content.decode()
    assert ">Documents</a>" in html
    assert "History" in html


def test_an_action_calls_its_service_then_goes_back_to_the_record(users):
    url = f"{PAGES}{users['employee'].pk}/rename/"
    response = client_for(users["officer"]).post(url, {"first_name": "Eve"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{PAGES}{users['employee'].pk}/"
    assert "Renamed." in [str(m) for m in response.context["messages"]]
    assert CALLS[-1][1]["person"] == users["employee"] and CALLS[-1][1]["first_name"] == "Eve"


def test_a_refused_action_shows_the_page_again_with_the_errors(users):
    url = f"{PAGES}{users['employee'].pk}/rename/"
    invalid = client_for(users["officer"]).post(url, {})
    assert invalid.status_code == 400 and invalid.context["rename_form"].errors and CALLS == []
    refused = client_for(users["officer"]).post(url, {"first_name": "Nobody"})
    assert refused.status_code == 400 and "Not a name." in refused.context["rename_form"].errors["first_name"]


def test_an_action_without_a_form_shows_the_services_refusal(users):
    User.objects.filter(pk=users["employee"].pk).update(last_name="Frozen")
    refused = client_for(users["secretary"]).post(f"{PAGES}{users['employee'].pk}/stamp/")
    assert refused.status_code == 400
    assert refused.context["errors"] == ["This person can no longer be stamped."]


def test_an_action_checks_its_capability_then_its_guard_and_takes_only_posts(users):
    url = f"{PAGES}{users['officer'].pk}/rename/"
    assert client_for(users["employee"]).post(url, {"first_name": "X"}).status_code == 403
    assert client_for(users["officer"]).post(url, {"first_name": "Me"}).status_code == 403  # the guard
    assert client_for(users["officer"]).get(url).status_code == 405
    assert Client().post(url).status_code == 302
    assert CALLS == []


def test_a_records_page_takes_no_post(users):
    assert client_for(users["admin"]).post(f"{PAGES}{users['employee'].pk}/").status_code == 405


def test_the_create_form_calls_its_service_without_the_time_zone_field(users):
    client = client_for(users["secretary"])
    page = client.get(f"{PAGES}new/")
    assert page.context["cancel_url"] == PAGES and page.context["person"] is None
    response = client.post(f"{PAGES}new/", {"username": "newcomer", "time_zone": "UTC"})
    created = User.objects.get(username="newcomer")
    assert response.status_code == 302 and response["Location"] == f"{PAGES}{created.pk}/"
    assert "time_zone" not in CALLS[-1][1] and "now" in CALLS[-1][1]


def test_the_form_shows_a_services_refusal_on_its_field(users):
    response = client_for(users["secretary"]).post(f"{PAGES}new/", {"username": "taken"})
    assert (
        response.status_code == 200 and "That name is taken." in response.context["form"].errors["username"]
    )


def test_the_edit_form_starts_from_the_record_and_may_refuse_it(users):
    client = client_for(users["secretary"])
    url = f"{PAGES}{users['employee'].pk}/edit/"
    page = client.get(url)
    assert page.context["form"].initial["username"] == "employee"
    assert page.context["cancel_url"] == f"{PAGES}{users['employee'].pk}/"
    client.post(url, {"username": "employee", "first_name": "Emma"})
    assert CALLS[-1][1]["data"] == {"username": "employee", "first_name": "Emma"}
    User.objects.filter(pk=users["employee"].pk).update(last_name="Frozen")
    assert client.get(url)["Location"] == f"{PAGES}{users['employee'].pk}/"


def test_a_misspelt_capability_fails_when_the_urls_load():
    with pytest.raises(KeyError):
        RecordList.as_view(capability="regfd.veiw")
