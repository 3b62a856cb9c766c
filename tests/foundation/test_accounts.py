"""Signing in and out, lock-out, password and time-zone preferences, session expiry, capability lookups,
error pages and the admin site."""

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from rest_framework.views import APIView

from compliance_site.accounts.permissions import HasCapability, capability_required, has_capability
from compliance_site.accounts.roles import CAPABILITIES, Role, capabilities_of, roles_with
from compliance_site.lib import timefmt
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.foundation.conftest import make_incident

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------------------------------------------------
# Login, lock-out, logout
# ---------------------------------------------------------------------------------------------------------


def test_login_with_the_right_password(users, client):
    response = _login(client, "employee", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert _signed_in(client)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200 and page.context["user"] == users["employee"]


def test_login_with_a_wrong_password_is_refused(users, client):
    response = _login(client, "employee", "not the password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _signed_in(client)


def test_login_follows_next_only_to_this_site(users, client):
    response = client.post(LOGIN + "?next=/audit/", {"username": "auditor", "password": PASSWORD})
    assert response["Location"] == "/audit/"
    client.logout()
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"username": "auditor", "password": PASSWORD}
    )
    assert response["Location"] == reverse("dashboard")


def test_lockout_after_the_failure_limit_refuses_even_the_right_password(users, client):
    limit = settings.AXES_FAILURE_LIMIT
    assert 1 <= limit <= 10
    for _ in range(limit):
        _login(client, "employee", "guess")
    response = _login(client, "employee", PASSWORD)
    assert response.status_code in {403, 429}
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not _signed_in(client)
    # The lock is on this user name from this address: another person can still sign in.
    other = Client()
    assert _login(other, "secretary", PASSWORD).status_code == 302


def test_failures_below_the_limit_do_not_lock(users, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "employee", "guess")
    assert _login(client, "employee", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_logout_is_post_only(users, client):
    client.force_login(users["employee"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _signed_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not _signed_in(client)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# ---------------------------------------------------------------------------------------------------------
# Password and preferences
# ---------------------------------------------------------------------------------------------------------


def test_password_change(users, client):
    assert _login(client, "counsel", PASSWORD).status_code == 302
    new = "a considerably longer passphrase 2026"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/preferences/"
    users["counsel"].refresh_from_db()
    assert users["counsel"].check_password(new)
    # Still signed in after the change (the session hash was updated).
    assert client.get(reverse("accounts:preferences")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert _login(Client(), "counsel", new).status_code == 302
    assert _login(Client(), "counsel", PASSWORD).status_code == 200


def test_password_change_enforces_the_validators(users, client):
    client.force_login(users["counsel"])
    for weak in ("short1", "password1234", "123456789012"):
        response = client.post(
            reverse("accounts:password-change"),
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200 and response.context["form"].errors, weak
    users["counsel"].refresh_from_db()
    assert users["counsel"].check_password(PASSWORD)


def test_password_change_needs_the_old_password(users, client):
    client.force_login(users["counsel"])
    new = "a considerably longer passphrase 2026"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors


def test_time_zone_preference_shows_in_dual_time(users, client):
    secretary = users["secretary"]
    incident = make_incident(secretary)
    client.force_login(secretary)
    detail = reverse("regfd:incident-detail", args=[incident.pk])
    et_label = timefmt.label(incident.due_at, timefmt.EXCHANGE_TZ)
    tokyo_label = timefmt.label(incident.due_at, ZoneInfo("Asia/Tokyo"))
    assert et_label.endswith((" EST", " EDT")) and tokyo_label.endswith(" JST")

    html = client.get(detail).content.decode()
    assert et_label in html
    assert ", your zone)" not in html  # the default zone is ET: one time, not two

    response = client.post(
        reverse("accounts:preferences"),
        {
            "first_name": "Sam",
            "last_name": "Secretary",
            "email": "sam@example.com",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.time_zone == "Asia/Tokyo"

    html = client.get(detail).content.decode()
    assert et_label in html
    assert f"({tokyo_label}, your zone)" in html
    # Every instant is labelled with its zone: no bare time is shown.
    assert html.count(", your zone)") >= 3


def test_unknown_time_zone_is_refused(users, client):
    client.force_login(users["secretary"])
    response = client.post(
        reverse("accounts:preferences"),
        {"first_name": "Sam", "last_name": "S", "email": "sam@example.com", "time_zone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 200 and "time_zone" in response.context["form"].errors
    users["secretary"].refresh_from_db()
    assert users["secretary"].time_zone == "America/New_York"


def test_dual_time_tag_directly():
    from datetime import UTC, datetime

    from django.utils import timezone

    instant = datetime(2026, 3, 3, 19, 30, tzinfo=UTC)
    template = Template("{% load compliance %}{% dual_time t %}")
    with timezone.override(ZoneInfo("Europe/London")):
        html = template.render(Context({"t": instant}))
    assert "2026-03-03 14:30 EST" in html and "(2026-03-03 19:30 GMT, your zone)" in html
    assert 'datetime="2026-03-03T19:30:00+00:00"' in html
    with timezone.override(ZoneInfo("America/New_York")):
        assert ", your zone)" not in template.render(Context({"t": instant}))
    assert Template("{% load compliance %}{% dual_time t %}").render(Context({"t": None})) == "—"


# ---------------------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------------------


def test_session_expiry_settings():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    # The age is an idle timeout: the expiry slides, written at most once a minute.
    assert "compliance_site.accounts.middleware.SessionIdleTouchMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.SESSION_TOUCH_SECONDS <= 60
    assert 5 * 60 <= settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_idle_expiry_slides_but_the_session_is_not_written_on_every_request(users, client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client.force_login(users["board"])  # not through the login page: its attempts are limited per address
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    writes = [
        q for q in captured.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert not writes

    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    session = client.session
    session["_touched"] -= settings.SESSION_TOUCH_SECONDS  # the last push was a minute ago
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=before - timedelta(minutes=1))
    client.get("/")
    after = Session.objects.get(session_key=key).expire_date
    assert after > before - timedelta(minutes=1)
    assert abs((after - timezone.now()) - timedelta(seconds=settings.SESSION_COOKIE_AGE)) < timedelta(
        seconds=30
    )


def test_session_cookie_is_a_browser_session_cookie(users, client):
    response = _login(client, "board", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# ---------------------------------------------------------------------------------------------------------
# Capabilities
# ---------------------------------------------------------------------------------------------------------


def test_unknown_capability_raises_lookup_error(users):
    user = users["admin"]
    with pytest.raises(LookupError):
        has_capability(user, "clawback.fly")
    with pytest.raises(LookupError):
        has_capability(AnonymousUser(), "clawback.fly")
    with pytest.raises(LookupError):
        roles_with("clawback.fly")
    with pytest.raises(LookupError):
        user.has_perm("cap:clawback.fly")
    with pytest.raises(LookupError):
        capability_required("clawback.fly")
    with pytest.raises(LookupError):
        Template('{% load compliance %}{{ u|can:"clawback.fly" }}').render(Context({"u": user}))

    class NoCapability(APIView):
        pass

    view = NoCapability()
    view.request = None
    with pytest.raises(LookupError):
        HasCapability().has_permission(type("R", (), {"user": user})(), view)


def test_capabilities_follow_the_table(users):
    for role in Role:
        user = users[role.value]
        assert user.capabilities == capabilities_of({role})
        for capability, holders in CAPABILITIES.items():
            assert has_capability(user, capability) is (role in holders)
            assert user.has_perm(f"cap:{capability}") is (role in holders)
    # A person with two roles holds the union.
    assert users["committee2"].capabilities == capabilities_of({Role.COMMITTEE, Role.BOARD})


def test_inactive_users_and_anonymous_hold_nothing(users):
    user = users["admin"]
    user.is_active = False
    user.save()
    assert not any(has_capability(user, c) for c in CAPABILITIES)
    assert not any(has_capability(AnonymousUser(), c) for c in CAPABILITIES)


def test_auditors_change_nothing():
    changing = {
        c for c in CAPABILITIES if c.endswith((".manage", ".vote", ".approve", ".conclude", ".report"))
    }
    assert not any(Role.AUDITOR in CAPABILITIES[c] for c in changing)


# ---------------------------------------------------------------------------------------------------------
# Error pages
# ---------------------------------------------------------------------------------------------------------


def test_404_page(users, client):
    client.force_login(users["employee"])
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert "Page not found" in response.content.decode()
    # Anonymous visitors get the same 404, not a redirect that would confirm nothing.
    anonymous = Client().get("/no/such/page/")
    assert anonymous.status_code == 404 and "errors/404.html" in [t.name for t in anonymous.templates]


def test_404_for_a_record_that_is_not_visible_uses_the_404_page(users, client):
    incident = make_incident(users["secretary"])
    client.force_login(users["employee"])
    response = client.get(reverse("regfd:incident-detail", args=[incident.pk]))
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]


def test_403_page(users, client):
    client.force_login(users["employee"])
    response = client.get(reverse("audit:event-list"))
    assert response.status_code == 403
    assert "errors/403.html" in [t.name for t in response.templates]
    assert "You don't have access to this page" in response.content.decode()


def test_api_errors_share_one_format(users):
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.get("/api/audit/events/")
    assert response.status_code == 401 and response.json()["error"]["status"] == 401
    client.force_authenticate(users["employee"])
    response = client.get("/api/audit/events/")
    assert response.status_code == 403 and response.json()["error"]["status"] == 403
    response = client.get("/api/clawback/restatements/999999/")
    assert response.status_code == 403  # capability first: the employee may not ask at all
    client.force_authenticate(users["auditor"])
    response = client.get("/api/clawback/restatements/999999/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------------------------------------------------
# The admin site
# ---------------------------------------------------------------------------------------------------------


def test_admin_index_open_to_administrators(users, client):
    """An Administrator (the role, granted like any other) reaches the admin; being an Administrator is
    decided by roles.py, not by a separate is_staff flag someone must remember to set."""
    client.force_login(users["admin"])
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.ADMIN] + ["committee2"])
def test_admin_index_closed_to_everyone_else(role, users):
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_staff_flag_without_the_admin_role_does_not_open_the_admin(users):
    employee = users["employee"]
    employee.is_staff = True
    employee.save()
    client = Client()
    client.force_login(employee)
    assert client.get(reverse("admin:index")).status_code in {302, 403}


def test_admin_model_pages_need_the_admin_role(users):
    """Django model permissions (the admin's) belong to Administrators alone."""
    staff_admin = UserFactory(username="staff-admin", roles=[Role.ADMIN], is_staff=True)
    client = Client()
    client.force_login(staff_admin)
    assert client.get(reverse("admin:company_policyversion_changelist")).status_code == 200
    assert staff_admin.has_perm("company.change_policyversion")
    assert not users["secretary"].has_perm("company.change_policyversion")
    assert not users["auditor"].has_module_perms("audit")
