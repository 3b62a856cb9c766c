"""The real API steps that bind the company ask for the fresh second factor the pages ask for: the committee's
decision, a recovery entry, its reversal, an impracticability finding, and a FINAL document. Without a code
the answer is a 403 saying what to send, before anything is read or written; with the current code the step
goes on to its own checks (here a 400 or 404, since the bodies and ids are deliberately empty)."""

import pytest
from django.urls import reverse

from tests.accounts_mfa.conftest import enroll, totp_code
from tests.clients import api_for

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]


def _steps(case):
    return [
        reverse("clawback-api:case-record-decision", args=[case.pk]),
        reverse("clawback-api:claim-record-recovery-event", args=[999999]),
        reverse("clawback-api:claim-determine-impracticable", args=[999999]),
        reverse("clawback-api:claim-event-reverse", args=[999999, 999999]),
    ]


@pytest.mark.parametrize("step", range(4))
def test_a_binding_step_without_a_code_is_refused_with_what_to_send(users, clawback_case, step):
    enroll(users["committee"])
    response = api_for(users["committee"]).post(_steps(clawback_case)[step], {}, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "second_factor_required" and "X-MFA-Code" in error["message"]


@pytest.mark.parametrize("step", range(4))
def test_with_the_current_code_the_step_goes_on_to_its_own_checks(users, clawback_case, step):
    secret, _ = enroll(users["committee"])
    response = api_for(users["committee"]).post(
        _steps(clawback_case)[step], {}, format="json", HTTP_X_MFA_CODE=totp_code(secret)
    )
    assert response.status_code in (400, 404), response.content
    assert response.json()["error"]["code"] != "second_factor_required"


def test_a_final_document_needs_the_code_and_a_draft_does_not(users, clawback_case):
    enroll(users["secretary"])
    client = api_for(users["secretary"])
    url = reverse("documents-api:document-list")
    body = {"kind": "clawback_determination", "record_id": clawback_case.pk, "status": "final"}
    final = client.post(url, body, format="json")
    assert final.status_code == 403 and final.json()["error"]["code"] == "second_factor_required"
    draft = client.post(url, {**body, "status": "draft"}, format="json")
    assert draft.json().get("error", {}).get("code") != "second_factor_required", draft.content
