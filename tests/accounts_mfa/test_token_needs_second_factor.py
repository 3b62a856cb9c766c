"""An API token is a sign-in: for a role that needs a second factor, the password alone issues no token, so
the token endpoint is no way round the second factor. A role that needs none signs in with its password."""

import pytest
from rest_framework.test import APIClient

from tests.accounts_mfa.conftest import enroll, totp_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]
TOKEN_URL = "/api/auth/token/"


def _ask(username, **headers):
    return APIClient().post(TOKEN_URL, {"username": username, "password": PASSWORD}, format="json", **headers)


def test_the_password_alone_issues_no_token_to_a_committee_member(users):
    enroll(users["committee"])
    response = _ask(users["committee"].username)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"
    assert "X-MFA-Code" in response.json()["error"]["message"]


def test_the_password_and_the_current_code_issue_one(users):
    secret, _ = enroll(users["committee"])
    response = _ask(users["committee"].username, HTTP_X_MFA_CODE=totp_code(secret))
    assert response.status_code == 200 and response.json()["token"]


def test_a_member_without_an_authenticator_is_told_to_set_one_up(users):
    response = _ask(users["secretary"].username, HTTP_X_MFA_CODE="123456")
    assert response.status_code == 403 and "Set up a second factor" in response.json()["error"]["message"]


def test_an_employee_needs_no_second_factor(users):
    assert _ask(users["employee"].username).status_code == 200
