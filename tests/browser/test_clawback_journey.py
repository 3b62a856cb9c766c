"""Clawback end to end: the committee reviews a case built from worked example 2, records the reasonable
estimate its TSR award needs, votes with one member recused and approves; recovery is recorded until the case
closes; an auditor reads the case without a single form; the covered executive cannot reach their own case."""

import pytest
from playwright.sync_api import expect

from clawback.models import Recusal, Restatement
from compliance_site.accounts.models import User
from tests.browser.conftest import needs_chromium, shot, sign_in, sign_out
from tests.clawback.workflow_setup import import_example_2

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

# Dates of the committee's work: after example 2's required-to-prepare date (2026-10-20), before today.
ADOPTED, PROVIDED, MEETING, PAID = "2026-11-01", "2026-11-03", "2026-11-10", "2026-11-15"


def panel(page):
    return page.get_by_test_id("workflow-panel")


def status_is(page, label: str):
    expect(page.get_by_test_id("workflow-status")).to_have_text(label)


def submit(form, button: str):
    with form.page.expect_navigation():
        form.get_by_role("button", name=button).click()


def test_committee_approves_recovery_closes_auditor_reads_executive_is_kept_out(page, live_server, demo):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of destructive steps
    case = import_example_2(demo["secretary"], title="Harbor FY2024–FY2025 operating income restatement")
    Recusal.objects.create(
        restatement=case, user=demo["committee2"], reason="Audit committee member in FY2025"
    )
    case_url = f"{live_server.url}/clawback/restatements/{case.pk}/"

    # --- The committee reviews the worksheet, then submits the case for review ---
    sign_in(page, live_server, "committee")
    worksheet = page.goto(f"{case_url}worksheet/")
    assert worksheet.status == 200
    expect(page.locator("main")).to_contain_text("ceo-tsr-psu")
    shot(page, "clawback-worksheet")
    page.goto(case_url)
    status_is(page, "Draft")
    submit(panel(page), "Submit for review")
    status_is(page, "Under committee review")
    expect(page.get_by_test_id("estimates-needed")).to_contain_text("ceo-tsr-psu")
    expect(page.get_by_test_id("approval-blockers")).to_contain_text("ceo-tsr-psu")

    # --- The TSR estimate, its method and documents, provided to the exchange ---
    form = page.get_by_test_id("estimate-form")
    form.get_by_label("Award").select_option(label="ceo-tsr-psu — Morgan Reyes")
    form.get_by_label("Estimated value on the restated basis").fill("55")
    form.get_by_label("Method").fill("Event study of the abnormal return on the restatement announcement.")
    form.get_by_label("Supporting documents").fill("Event study memo (valuation advisers)\nPeer TSR extract")
    form.get_by_label("Adopted on").fill(ADOPTED)
    form.get_by_label("Documentation provided to the exchange on").fill(PROVIDED)
    submit(form, "Record estimate")
    expect(page.get_by_test_id("estimates")).to_contain_text("Event study")
    expect(page.get_by_test_id("determination-total")).to_contain_text("$445,000.00")
    expect(page.get_by_test_id("approval-blockers")).to_have_count(0)

    # --- The vote: committee2 is recused and has no vote; the others vote for ---
    form = page.get_by_test_id("decision-form")
    recused_row = form.locator('tr[data-member="committee2"]')
    expect(recused_row.get_by_test_id("recused-member")).to_be_visible()
    expect(recused_row.locator("select")).to_have_count(0)
    for member in ("committee", "board"):
        row = form.locator(f'tr[data-member="{member}"]')
        row.locator("input[type=checkbox]").check()
        row.locator("select").select_option("for")
    form.get_by_label("Held on").fill(MEETING)
    form.get_by_label("Quorum").fill("2")
    form.get_by_label("Resolution").fill("RESOLVED, that the recovery determination is approved.")
    shot(page, "clawback-decision-form")
    submit(form, "Record decision")
    status_is(page, "Approved")
    expect(page.get_by_test_id("approval")).to_contain_text(MEETING)
    expect(page.get_by_test_id("claims")).to_contain_text("Morgan Reyes")

    # --- No indemnification, then recovery until nothing is outstanding ---
    form = page.get_by_test_id("no-indemnification-form")
    for checkbox in form.locator("input[type=checkbox]").all():
        checkbox.check()
    submit(form, "Confirm the checklist")
    expect(page.get_by_test_id("no-indemnification-confirmed")).to_be_visible()
    submit(panel(page), "Start recovery")
    status_is(page, "Recovery in progress")
    for name, amount, units, method in (
        ("Morgan Reyes", "325000.00", "4000", "(d) Cancellation of awards"),
        ("Casey Lindqvist", "120000.00", "", "(a) Reimbursement of cash incentive compensation"),
    ):
        form = page.get_by_test_id("recovery-event-form")
        form.get_by_label("Claim").select_option(label=f"{name} — {amount} USD owed")
        form.get_by_label("Occurred on").fill(PAID)
        form.get_by_label("Method").select_option(label=method)
        form.get_by_label("Amount recovered (USD)").fill(amount)
        form.get_by_label("Shares or units recovered").fill(units)
        form.get_by_label("Evidence").fill(f"Recovery from {name}")
        submit(form, "Record recovery")
    outstanding = page.get_by_test_id("claim-outstanding")
    expect(outstanding).to_have_count(2)
    for cell in outstanding.all():
        expect(cell).to_have_text("$0.00")
    submit(panel(page), "Close the case")
    status_is(page, "Closed")
    case.refresh_from_db()
    assert case.status == Restatement.Status.CLOSED
    shot(page, "clawback-case-closed")
    sign_out(page)

    # --- An auditor reads the whole case, with no form to change it ---
    sign_in(page, live_server, "auditor")
    page.goto(case_url)
    status_is(page, "Closed")
    expect(page.get_by_test_id("claims")).to_contain_text("Casey Lindqvist")
    expect(panel(page).locator("form")).to_have_count(0)
    expect(page.get_by_role("button", name="Reopen the case")).to_have_count(0)
    sign_out(page)

    # --- The covered executive (the demo CEO) cannot reach the case about their own pay ---
    ceo = User.objects.get(username="ceo")
    own_case = Restatement.objects.get(covered_executives__user=ceo)
    sign_in(page, live_server, "ceo")
    for url in (f"/clawback/restatements/{own_case.pk}/", f"/clawback/restatements/{own_case.pk}/workflow/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status in {403, 404}, url
        expect(page.locator("main")).not_to_contain_text(own_case.title)
