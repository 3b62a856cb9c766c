"""Finding: API tokens never expired, survived a password change and a sign-out, and were stored as they are
sent. A token now has an expiry, is stored hashed, can be listed (never its secret) and revoked one by one
or all at once, and every token of a user dies when their password changes, by any path."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.clients import api_error, client_for
from tests.conftest import PASSWORD

TOKEN_URL = "/api/auth/token/"
TOKENS_URL = "/api/auth/tokens/"


def obtain(user, password=PASSWORD) -> dict:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_states_its_expiry_and_stops_working_after_it(secretary, monkeypatch):
    issued = obtain(secretary)
    expiry = timezone.datetime.fromisoformat(issued["expiry"])
    now = timezone.now()
    assert now < expiry <= now + timedelta(days=30)
    assert with_token(issued["token"]).get("/api/me/").status_code == 200

    monkeypatch.setattr(timezone, "now", lambda: expiry + timedelta(seconds=1))
    error = api_error(with_token(issued["token"]).get("/api/me/"), 401)
    assert error["code"] == "authentication_failed"


def test_the_token_is_not_stored_as_sent(secretary, django_db_blocker):
    from django.db import connection

    token = obtain(secretary)["token"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(token in str(value) for value in row), f"the token is stored in {table}"


def test_a_password_change_on_the_page_revokes_every_token(secretary, no_second_factor):
    first, second = obtain(secretary)["token"], obtain(secretary)["token"]
    page = client_for(secretary)
    response = page.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase 42",
            "new_password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302, response.content
    for key in (first, second):
        api_error(with_token(key).get("/api/me/"), 401)


def test_set_password_through_any_path_revokes_every_token(secretary, users):
    token = obtain(secretary)["token"]
    other = obtain(users["auditor"])["token"]
    secretary.set_password("another long passphrase 7")
    secretary.save()
    api_error(with_token(token).get("/api/me/"), 401)
    assert with_token(other).get("/api/me/").status_code == 200  # only that user's tokens


def test_a_password_hash_written_directly_revokes_every_token(secretary):
    token = obtain(secretary)["token"]
    secretary.password = make_password("set by an administrator 9")
    secretary.save(update_fields=["password"])
    api_error(with_token(token).get("/api/me/"), 401)


def test_a_password_change_in_the_admin_revokes_every_token(secretary, users, no_second_factor):
    token = obtain(secretary)["token"]
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    url = reverse("admin:auth_user_password_change", args=[secretary.pk])
    response = client_for(admin).post(
        url,
        {
            "password1": "chosen by the admin 123",
            "password2": "chosen by the admin 123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    api_error(with_token(token).get("/api/me/"), 401)


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(secretary):
    token = obtain(secretary)["token"]
    secretary.first_name = "Renamed"
    secretary.save()
    assert with_token(token).get("/api/me/").status_code == 200


def test_logout_revokes_the_token_used_and_only_it(secretary):
    used, kept = obtain(secretary)["token"], obtain(secretary)["token"]
    assert with_token(used).post("/api/auth/logout/").status_code == 204
    api_error(with_token(used).get("/api/me/"), 401)
    assert with_token(kept).get("/api/me/").status_code == 200


def test_logout_all_revokes_every_token_of_the_user(secretary, users):
    first, second = obtain(secretary)["token"], obtain(secretary)["token"]
    other = obtain(users["auditor"])["token"]
    assert with_token(first).post("/api/auth/logout-all/").status_code == 204
    for key in (first, second):
        api_error(with_token(key).get("/api/me/"), 401)
    assert with_token(other).get("/api/me/").status_code == 200


def test_my_tokens_are_listed_without_their_secret(secretary, users):
    first, second = obtain(secretary), obtain(secretary)
    obtain(users["auditor"])
    response = with_token(first["token"]).get(TOKENS_URL)
    assert response.status_code == 200, response.content
    listed = response.json()
    assert len(listed) == 2
    assert {item["id"] for item in listed} == {first["id"], second["id"]}
    assert [item["current"] for item in listed if item["id"] == first["id"]] == [True]
    for item in listed:
        assert set(item) == {"id", "created", "expiry", "current"}
        assert first["token"] not in response.content.decode()
        assert second["token"] not in response.content.decode()
        assert first["token"][:8] not in item["id"] and second["token"][:8] not in item["id"]


def test_one_token_is_revoked_by_its_id(secretary, users):
    first, second = obtain(secretary), obtain(secretary)
    client = with_token(first["token"])
    assert client.delete(f"{TOKENS_URL}{second['id']}/").status_code == 204
    api_error(with_token(second["token"]).get("/api/me/"), 401)
    assert client.get("/api/me/").status_code == 200
    # Another user's token is not found, the same as one that does not exist.
    theirs = obtain(users["auditor"])
    api_error(client.delete(f"{TOKENS_URL}{theirs['id']}/"), 404)
    assert with_token(theirs["token"]).get("/api/me/").status_code == 200


def test_tokens_can_be_managed_from_a_signed_in_session(secretary, no_second_factor):
    issued = obtain(secretary)
    client = APIClient()
    client.force_login(secretary)
    assert client.get("/api/me/").status_code == 200
    assert [item["id"] for item in client.get(TOKENS_URL).json()] == [issued["id"]]
    assert client.post("/api/auth/logout-all/").status_code == 204
    api_error(with_token(issued["token"]).get("/api/me/"), 401)


def test_anonymous_callers_cannot_list_or_revoke(secretary):
    obtain(secretary)
    for response in (
        APIClient().get(TOKENS_URL),
        APIClient().post("/api/auth/logout/"),
        APIClient().post("/api/auth/logout-all/"),
    ):
        api_error(response, 401)


def test_an_old_style_token_header_still_authenticates(secretary):
    issued = obtain(secretary)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert client.get("/api/me/").json()["username"] == secretary.username


def test_a_user_holds_a_bounded_number_of_live_tokens(secretary, settings):
    settings.API_TOKEN_LIMIT_PER_USER = 2
    first = obtain(secretary)
    obtain(secretary)
    response = APIClient().post(
        TOKEN_URL, {"username": secretary.username, "password": PASSWORD}, format="json"
    )
    error = api_error(response, 403)
    assert error["code"] == "too_many_tokens" and "Revoke one" in error["message"]
    with_token(first["token"]).delete(f"{TOKENS_URL}{first['id']}/")
    assert obtain(secretary)["expiry"]
