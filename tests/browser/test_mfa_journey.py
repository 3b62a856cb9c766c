"""A committee member signs in with a password and the authenticator app's code, then votes on a decision
through the page, confirming it with a fresh code first (README, "Second factor and single sign-on").

The demo committee member comes enrolled with the demo authenticator secret (compliance_site/demo.py); the
codes are computed as allauth checks them."""

import time
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from clawback.models import Decision
from compliance_site.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.browser.conftest import confirm, needs_chromium, shot
from tests.clawback.workflow_setup import record_tsr_estimate, reviewed_example_2

pytestmark = [pytest.mark.browser, pytest.mark.mfa, pytest.mark.django_db(transaction=True), needs_chromium]


def code(step: int = 0) -> str:
    """What the authenticator app shows now (`step` periods of 30 seconds later: each code is used once)."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30 + step))


def test_committee_member_signs_in_with_a_second_factor_and_votes(page, live_server, demo):
    case = reviewed_example_2(demo)
    record_tsr_estimate(case, demo["committee"])
    case_url = f"{live_server.url}/clawback/restatements/{case.pk}/"

    # --- Password, then the authenticator app ---
    page.goto(f"{live_server.url}/accounts/login/?next=/clawback/restatements/{case.pk}/")
    form = page.locator("main form").first
    form.locator("input[name=username]").fill("committee")
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign in").click()
    assert "/accounts/2fa/authenticate/" in page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Two-Factor Authentication")
    shot(page, "mfa-authenticate")
    page.locator("input[name=code]").fill(code())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    assert page.url.startswith(case_url)
    expect(page.get_by_test_id("user-menu")).to_be_visible()

    # --- The vote: committee2 is recused; the others vote for ---
    form = page.get_by_test_id("decision-form")
    for member in ("committee", "board"):
        row = form.locator(f'tr[data-member="{member}"]')
        row.locator("input[type=checkbox]").check()
        row.locator("select").select_option("for")
    today = timezone.now().astimezone(ZoneInfo("America/New_York")).date().isoformat()
    form.get_by_label("Held on").fill(today)
    form.get_by_label("Quorum").fill("2")
    form.get_by_label("Resolution").fill("RESOLVED, that the recovery determination is approved.")
    with page.expect_navigation():
        form.get_by_role("button", name="Record decision").click()

    # --- The fresh check: nothing is recorded until the code is entered ---
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert not Decision.objects.filter(restatement=case).exists()
    shot(page, "mfa-fresh-check")
    page.locator("input[name=code]").fill(code(step=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm", exact=True).click()

    # --- Then the step carries on: the confirmation page, and the decision is recorded ---
    confirm(page, "Record decision", says="adopts it and approves determination")
    expect(page.get_by_test_id("workflow-status")).to_have_text("Approved")
    decision = Decision.objects.get(restatement=case)
    assert {v.member.username: v.choice for v in decision.votes.all()} == {"committee": "for", "board": "for"}
