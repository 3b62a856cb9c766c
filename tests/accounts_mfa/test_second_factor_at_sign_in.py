"""Sign-in with a second factor: the password (counted by django-axes), then the authenticator app code or a
recovery code; who must have a second factor, and being sent to set one up before anything else."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from compliance_site.accounts.mfa import second_factor_required
from compliance_site.accounts.roles import Role, needs_second_factor
from tests.accounts_mfa.conftest import enroll, sign_in_with_password, signed_in, totp_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]
AUTHENTICATE = "/accounts/2fa/authenticate/"


def test_every_role_that_can_approve_vote_sign_administer_or_read_a_case_needs_a_second_factor():
    needing = {role for role in Role if needs_second_factor([role])}
    assert needing == set(Role) - {Role.EMPLOYEE}
    assert settings.MFA_REQUIRED is True  # the default; this folder's tests run with it


def test_the_rule_follows_the_users_roles(users):
    assert second_factor_required(users["committee"]) and second_factor_required(users["auditor"])
    assert not second_factor_required(users["employee"])


def test_a_committee_member_with_an_authenticator_is_asked_for_the_code_after_the_password(users, client):
    secret, _ = enroll(users["committee"])
    response = sign_in_with_password(client, "committee", next_url="/audit/")
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    assert not signed_in(client)  # the password alone signs nobody in
    page = client.get(AUTHENTICATE)
    assert page.status_code == 200 and "authenticator code" in page.content.decode()

    wrong = client.post(AUTHENTICATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not signed_in(client)

    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert signed_in(client) and int(client.session["_auth_user_id"]) == users["committee"].pk
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once(users):
    _, codes = enroll(users["secretary"])
    first = Client()
    sign_in_with_password(first, "secretary")
    assert first.post(AUTHENTICATE, {"code": codes[0]}).status_code == 302 and signed_in(first)
    again = Client()
    sign_in_with_password(again, "secretary")
    assert again.post(AUTHENTICATE, {"code": codes[0]}).status_code == 200
    assert not signed_in(again)


def test_a_totp_code_is_accepted_once(users):
    secret, _ = enroll(users["counsel"])
    code = totp_code(secret)
    first, second = Client(), Client()
    sign_in_with_password(first, "counsel")
    sign_in_with_password(second, "counsel")
    assert first.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert second.post(AUTHENTICATE, {"code": code}).status_code == 200 and not signed_in(second)


def test_the_lock_out_still_holds_for_a_person_with_a_second_factor(users, client):
    enroll(users["board"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, "board", "guess")
    response = sign_in_with_password(client, "board", PASSWORD)
    assert response.status_code in {403, 429}
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert client.get(AUTHENTICATE).status_code == 302  # no half-finished sign-in to complete
    assert not signed_in(client)


def test_an_employee_signs_in_with_a_password_alone(users, client):
    response = sign_in_with_password(client, "employee")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_role_without_a_second_factor_is_sent_to_set_one_up_before_anything_else(users, client):
    sign_in_with_password(client, "committee")
    assert signed_in(client)
    for path in (reverse("dashboard"), "/audit/", reverse("accounts:preferences")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_index"), path
    api = client.get("/api/regfd/incidents/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_setup_required"
    # The set-up pages themselves, and signing out, stay open.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_setting_up_an_authenticator_app_opens_the_application(users, client):
    sign_in_with_password(client, "auditor")
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # re-enter the password first (changing one's second factor)
        assert page["Location"].startswith(reverse("account_reauthenticate"))
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_with_the_rule_off_a_role_without_a_second_factor_is_let_through(users, client, settings):
    settings.MFA_REQUIRED = False
    client.force_login(users["committee"])
    assert client.get(reverse("dashboard")).status_code == 200
