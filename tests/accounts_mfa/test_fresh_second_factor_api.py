"""Over the API, a step that binds the company needs a fresh second factor too: the session's recent check,
or the current code of the authenticator app (or an unused recovery code) in the X-MFA-Code header, spent
once. Otherwise a 403 in the API's error format saying what to send."""

import pytest
from django.test import Client

from tests.accounts_mfa.conftest import enroll, totp_code
from tests.clients import api_for

pytestmark = [pytest.mark.django_db, pytest.mark.mfa, pytest.mark.urls("tests.accounts_mfa.api_urls")]
VOTES = "/api/votes/"
FINAL = {"status": "final"}


def test_without_a_code_the_step_is_a_403_saying_what_to_send(users):
    enroll(users["committee"])
    response = api_for(users["committee"]).post(VOTES, FINAL, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "second_factor_required" and "X-MFA-Code" in error["message"]


def test_the_current_code_passes_once(users):
    secret, _ = enroll(users["committee"])
    client = api_for(users["committee"])
    code = totp_code(secret)
    assert client.post(VOTES, FINAL, format="json", HTTP_X_MFA_CODE=code).status_code == 201
    spent = client.post(VOTES, FINAL, format="json", HTTP_X_MFA_CODE=code)
    assert spent.status_code == 403 and "not valid" in spent.json()["error"]["message"]


def test_a_recovery_code_passes_once(users):
    _, codes = enroll(users["committee"])
    client = api_for(users["committee"])
    assert client.post(VOTES, FINAL, format="json", HTTP_X_MFA_CODE=codes[3]).status_code == 201
    assert client.post(VOTES, FINAL, format="json", HTTP_X_MFA_CODE=codes[3]).status_code == 403


def test_a_session_with_a_fresh_check_needs_no_code(users):
    secret, _ = enroll(users["committee"])
    client = Client()
    client.force_login(users["committee"])
    assert client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)}).status_code == 302
    response = client.post(VOTES, FINAL, content_type="application/json")
    assert response.status_code == 201


def test_reads_and_steps_the_declaration_leaves_out_need_no_code(users):
    enroll(users["committee"])
    client = api_for(users["committee"])
    assert client.get(VOTES).status_code == 200
    assert client.post(VOTES, {"status": "draft"}, format="json").status_code == 201


def test_capability_is_checked_before_the_second_factor(users):
    enroll(users["auditor"])
    response = api_for(users["auditor"]).post(VOTES, FINAL, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] != "second_factor_required"


def test_with_the_rule_off_no_code_is_needed(users, settings):
    settings.MFA_REQUIRED = False
    assert api_for(users["committee"]).post(VOTES, FINAL, format="json").status_code == 201
