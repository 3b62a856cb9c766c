"""The fresh second-factor check before a vote, a committee decision, a recovery entry and a FINAL document:
asked at the step (nothing is recorded until it is passed), then the submitted step carries on; good for
MFA_FRESH_CHECK_SECONDS; a password does not make it; someone who may not take the step is refused, not
asked."""

import time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clawback.models import Decision, RecoveryEvent
from clawback.services import determinations as workflow
from compliance_site.confirm import confirmed_data as confirmed
from tests.accounts_mfa.conftest import enroll, totp_code
from tests.clawback.workflow_setup import NOW, in_recovery, record_tsr_estimate, reviewed_example_2
from tests.conftest import PASSWORD
from tests.governance import minutes_on, seat

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]
REAUTHENTICATE = "/accounts/2fa/reauthenticate/"


def url(name, case):
    return reverse(f"clawback:{name}", args=[case.pk])


def enrolled_client(user) -> tuple[Client, str]:
    secret, _ = enroll(user)
    client = Client()
    client.force_login(user)
    return client, secret


def decision_for(case, users) -> dict:
    return confirmed(
        {
            "kind": Decision.Kind.APPROVE_DETERMINATION,
            "body": Decision.Body.COMPENSATION_COMMITTEE,
            # The meeting is today (in New York): after the estimate, and never in the future.
            "held_on": timezone.now().astimezone(ZoneInfo("America/New_York")).date().isoformat(),
            "members_present": [users["committee"].pk, users["board"].pk],
            "quorum": 2,
            "resolution": "RESOLVED, that the determination is approved.",
            "minutes": MINUTES[case.pk],
            f"vote_{users['committee'].pk}": "for",
            f"vote_{users['board'].pk}": "for",
            "determination": workflow.live_determination(case).number,
        }
    )


MINUTES: dict[int, int] = {}  # case -> the minutes attached to it, by `ready_for_the_vote`


@pytest.fixture
def ready_for_the_vote(users):
    case = reviewed_example_2(users)
    record_tsr_estimate(case, users["committee"], now=NOW)
    seat(case.company, "committee", users["committee"], users["board"], users["committee2"])
    MINUTES[case.pk] = minutes_on(case, users["secretary"]).pk
    return case


def test_the_vote_waits_for_the_second_factor_then_carries_on(users, ready_for_the_vote):
    case = ready_for_the_vote
    client, secret = enrolled_client(users["committee"])
    step = url("case-record-decision", case)

    asked = client.post(step, decision_for(case, users))
    assert asked.status_code == 302 and asked["Location"].startswith(REAUTHENTICATE)
    assert not Decision.objects.filter(restatement=case).exists()  # nothing recorded yet

    page = client.get(asked["Location"])
    assert page.status_code == 200 and "Confirm it is you" in page.content.decode()
    wrong = client.post(asked["Location"], {"code": "12345"})
    assert wrong.status_code == 200 and not Decision.objects.filter(restatement=case).exists()

    done = client.post(asked["Location"], {"code": totp_code(secret)})
    assert done.status_code == 302, done.content.decode()[:2000]
    decision = Decision.objects.get(restatement=case)
    assert decision.adopted
    assert {v.member.username: v.choice for v in decision.votes.all()} == {"committee": "for", "board": "for"}


def test_the_check_is_good_for_a_few_minutes_then_asked_again(users, ready_for_the_vote, settings):
    case = ready_for_the_vote
    client, secret = enrolled_client(users["committee"])
    client.post(REAUTHENTICATE, {"code": totp_code(secret)})
    # Within the window: the step goes straight through the confirmation page to the service.
    response = client.post(url("case-record-decision", case), decision_for(case, users))
    assert response.status_code == 302 and not response["Location"].startswith(REAUTHENTICATE)
    assert Decision.objects.filter(restatement=case).count() == 1

    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] = time.time() - settings.MFA_FRESH_CHECK_SECONDS - 1
    session["account_authentication_methods"] = records
    session.save()
    again = client.post(url("case-record-decision", case), decision_for(case, users))
    assert again.status_code == 302 and again["Location"].startswith(REAUTHENTICATE)


def test_a_password_re_entered_does_not_make_the_check(users, ready_for_the_vote):
    case = ready_for_the_vote
    client, _ = enrolled_client(users["committee"])
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(url("case-record-decision", case), decision_for(case, users))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert not Decision.objects.filter(restatement=case).exists()


def test_the_sign_in_check_alone_does_not_make_the_fresh_check(users, ready_for_the_vote):
    case = ready_for_the_vote
    secret, _ = enroll(users["committee"])
    client = Client()
    client.post("/accounts/login/", {"username": "committee", "password": PASSWORD})
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    response = client.post(url("case-record-decision", case), decision_for(case, users))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)


def test_a_recovery_entry_and_an_impracticability_decision_are_asked_for_too(users):
    case = in_recovery(users)
    client, _ = enrolled_client(users["secretary"])
    for name in ("recovery-record-event", "recovery-determine-impracticable"):
        response = client.post(url(name, case), confirmed({"amount": "1000.00"}))
        assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE), name
    assert not RecoveryEvent.objects.filter(claim__restatement=case).exists()


def test_a_final_document_is_asked_for_but_a_draft_is_not(users):
    client, _ = enrolled_client(users["secretary"])
    step = reverse("documents:document-request")
    final = client.post(step, {"kind": "anything", "record_id": "1", "final": "on"})
    assert final.status_code == 302 and final["Location"].startswith(REAUTHENTICATE)
    draft = client.post(step, {"kind": "anything", "record_id": "1"})
    assert draft.status_code == 302 and not draft["Location"].startswith(REAUTHENTICATE)


def test_someone_who_may_not_take_the_step_is_refused_not_asked(users, ready_for_the_vote):
    client, _ = enrolled_client(users["auditor"])
    response = client.post(
        url("case-record-decision", ready_for_the_vote), decision_for(ready_for_the_vote, users)
    )
    assert response.status_code == 403


def test_with_the_rule_off_the_step_is_not_asked(users, ready_for_the_vote, settings):
    settings.MFA_REQUIRED = False
    client = Client()
    client.force_login(users["committee"])
    response = client.post(
        url("case-record-decision", ready_for_the_vote), decision_for(ready_for_the_vote, users)
    )
    assert response.status_code == 302 and not response["Location"].startswith(REAUTHENTICATE)
    assert Decision.objects.filter(restatement=ready_for_the_vote).exists()
