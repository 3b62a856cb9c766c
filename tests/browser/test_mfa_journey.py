"""The committee decides as boards do: three members each sign in with a password and the authenticator
app's code and vote for themselves on the locked determination, confirming their vote with a fresh code; a
recused member and a Board member who does not sit on the committee get no vote; the decision is adopted at
the quorum; the chair and the secretary sign; the FINAL Board PDF carries the signature page and a seal that
`pdfsig` and `manage.py verify_document` accept, and that one changed byte breaks (README, "Second factor and
single sign-on"; docs/clawback-rules §1.13).

The demo personas come enrolled with the demo authenticator secret (compliance_site/demo.py); the codes are
computed as allauth checks them."""

import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from playwright.sync_api import expect

from clawback.models import Decision, Restatement
from clawback.services import voting
from compliance_site.accounts.roles import Role
from compliance_site.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_demo_second_factor
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.services import generate_document, request_document
from tests.browser.conftest import needs_chromium, shot, sign_out
from tests.clawback.workflow_setup import record_tsr_estimate, reviewed_example_2
from tests.factories import UserFactory
from tests.governance import seat

pytestmark = [pytest.mark.browser, pytest.mark.mfa, pytest.mark.django_db(transaction=True), needs_chromium]


def code(step: int = 0) -> str:
    """What the authenticator app shows now (`step` periods of 30 seconds later: each code is used once)."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30 + step))


def sign_in_with_code(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    form = page.locator("main form").first
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign in").click()
    assert "/accounts/2fa/authenticate/" in page.url
    page.locator("input[name=code]").fill(code())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    assert page.url.startswith(f"{live_server.url}{next_path}")


def fresh_check(page, step: int = 1) -> None:
    """The step asks for the code again first (nothing is recorded until it is entered)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.locator("input[name=code]").fill(code(step))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm", exact=True).click()


def vote_for(page, live_server, username: str, decision: Decision) -> None:
    path = f"/clawback/decisions/{decision.pk}/"
    sign_in_with_code(page, live_server, username, path)
    expect(page.get_by_test_id("determination-sha")).to_have_text(decision.determination_sha256)
    form = page.get_by_test_id("cast-vote-form")
    form.get_by_label("For", exact=True).check()
    form.get_by_label("Comment (optional)").fill(f"{username}: the worksheet matches the restated figures.")
    with page.expect_navigation():
        form.get_by_role("button", name="Cast my vote").click()
    fresh_check(page)
    expect(page.get_by_test_id("votes").locator(f'tr[data-member="{username}"]')).to_contain_text(
        "In the app, after a second-factor check"
    )


def committee(demo) -> tuple[Restatement, Decision]:
    """Example 2 under review: the committee is the chair (`committee`), `committee2` (recused), and two
    more members who sign in as the others do; `board` sits on the Board only. The secretary puts the
    approval to the committee's vote."""
    case = reviewed_example_2(demo)
    record_tsr_estimate(case, demo["committee"])
    for username in ("member3", "member4"):
        demo[username] = UserFactory(username=username, roles=[Role.BOARD, Role.COMMITTEE])
        demo[username].set_password(DEMO_PASSWORD)
        demo[username].save()
        ensure_demo_second_factor(demo[username])
    members = [demo[name] for name in ("committee", "committee2", "member3", "member4")]
    seat(case.company, "committee", *members, chair=demo["committee"])
    seat(case.company, "board", demo["board"], *members, chair=demo["board"])
    decision = voting.open_vote(
        actor=demo["secretary"],
        case=case,
        kind=Decision.Kind.APPROVE_DETERMINATION,
        body=Decision.Body.COMPENSATION_COMMITTEE,
        mode=Decision.Mode.MEETING,
        resolution="RESOLVED, that the recovery determination is approved.",
        closes_at=timezone.now() + timedelta(days=3),
        now=timezone.now(),
    )
    return case, decision


def pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def test_three_members_vote_for_themselves_the_chair_signs_and_the_final_pdf_is_sealed(
    page, live_server, demo, tmp_path
):
    case, decision = committee(demo)
    assert decision.quorum == 3  # a majority of the four seats

    # --- A recused member and a Board member who does not sit on the committee get no vote ---
    for outsider, says in (("committee2", "Still to vote"), ("board", "Still to vote")):
        sign_in_with_code(page, live_server, outsider, f"/clawback/decisions/{decision.pk}/")
        expect(page.get_by_test_id("tally")).to_be_visible()
        expect(page.get_by_test_id("cast-vote-form")).to_have_count(0)
        expect(page.locator("main")).to_contain_text(says)
        shot(page, f"vote-{outsider}-no-vote")
        sign_out(page)

    # --- Each member votes for themselves; the third vote reaches the quorum and adopts it ---
    for member in ("member3", "member4"):
        vote_for(page, live_server, member, decision)
        expect(page.get_by_test_id("decision-status")).to_have_text("open for votes")
        sign_out(page)
    vote_for(page, live_server, "committee", decision)
    expect(page.get_by_test_id("decision-status")).to_have_text("adopted")
    expect(page.get_by_test_id("outcome")).to_contain_text("Adopted: 3 for, 0 against, with a quorum.")
    case.refresh_from_db()
    assert case.status == Restatement.Status.APPROVED
    shot(page, "vote-adopted")

    # --- The chair signs (the code given for the vote is still fresh), then the secretary ---
    form = page.get_by_test_id("sign-form")
    with page.expect_navigation():
        form.get_by_role("button", name="Sign as Chair").click()
    expect(page.get_by_test_id("signatures")).to_contain_text("Chair: Riley Chair")
    sign_out(page)
    sign_in_with_code(page, live_server, "secretary", f"/clawback/decisions/{decision.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("sign-form").get_by_role("button", name="Sign as Corporate Secretary").click()
    fresh_check(page)
    expect(page.get_by_test_id("signatures-complete")).to_be_visible()
    shot(page, "vote-signed")

    # --- The FINAL Board PDF: the signature page and a seal over the whole file ---
    document = request_document(
        actor=demo["secretary"], kind="clawback_determination", record=case, final=True, now=timezone.now()
    )
    document = generate_document(document_id=document.pk, now=timezone.now())
    assert document.state == GeneratedDocument.State.DONE, document.error
    path = Path(document.file.path)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
    last_page = " ".join(text.split("\f")[-2].split())
    assert "Signatures" in last_page and decision.determination_sha256 in last_page.replace(" ", "")
    for name in ("Riley Chair", "Sam Secretary", "In the app, after a second-factor check"):
        assert name in last_page, name
    report = pdfsig(path)
    assert "Signature is Valid." in report and "Total document signed" in report, report
    call_command("verify_document", str(path))

    tampered = tmp_path / "tampered.pdf"
    content = bytearray(path.read_bytes())
    content[len(content) // 3] ^= 0x01
    tampered.write_bytes(bytes(content))
    assert "Signature is Valid." not in pdfsig(tampered)
    with pytest.raises(CommandError):
        call_command("verify_document", str(tampered))
