"""Clawback end to end, through the pages only: the corporate secretary records a restatement and imports the
awards; the committee reviews the worksheet, records the reasonable estimate the TSR award needs, votes with
one member recused and approves; recovery is recorded until the case closes; an auditor reads the case without
a single form; the covered executive cannot reach their own case.

The figures are worked example 2's on the demo company's calendar-year fiscal periods: the CEO's FY2024 bonus is
$75,000 too high and the relative-TSR PSU (estimated at the 55th percentile instead of the 60th) 4,000 shares
($250,000); the former EVP's FY2025 bonus $120,000 — $445,000 in all."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clawback.models import Recusal, Restatement
from clawback.services import records
from compliance_site.accounts.models import User
from compliance_site.company.models import Company
from tests.browser.conftest import confirm, needs_chromium, open_section, shot, sign_in, sign_out
from tests.governance import minutes_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

TITLE = "FY2024–FY2025 operating income restatement"
# The committee's work, after the required-to-prepare date (2026-11-05) and before today.
CONCLUDED, ADOPTED, PROVIDED, MEETING, PAID = (
    "2026-11-05",
    "2026-11-12",
    "2026-11-13",
    "2026-11-16",
    "2026-11-18",
)
CURVE = "40000000:0.5; 50000000:1.0; 60000000:2.0"
AWARDS_CSV = f"""executive,key,award_type,basis,performance_start,performance_end,measure,measure_period,formula_kind,target,points,received,unit,value_per_unit,grant_date
mreyes,mreyes-fy2024-bonus,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,operating_income,FY2024,curve,500000,{CURVE},500000,USD,,2024-02-15
mreyes,mreyes-tsr-psu,performance_shares,financial_reporting_measure,2023-01-01,2025-12-31,relative_tsr,FY2023-FY2025,curve,20000,25:0.5; 50:1.0; 75:2.0,28000,units,62.50,2023-03-01
clindqvist,clindqvist-fy2025-bonus,cash_bonus,financial_reporting_measure,2025-01-01,2025-12-31,operating_income,FY2025,curve,200000,{CURVE},360000,USD,,2025-02-15
"""  # noqa: E501


def _records_the_secretary_starts_from(secretary) -> None:
    """The executives and measures the awards file refers to (recorded earlier, e.g. by their own imports)."""
    company = Company.objects.order_by("id").first()
    records.create_executive(
        actor=secretary, company=company, key="mreyes", name="Morgan Reyes", title="Chief Operating Officer",
        officer_periods=[{"start": date(2010, 6, 1)}],
    )  # fmt: skip
    records.create_executive(
        actor=secretary, company=company, key="clindqvist", name="Casey Lindqvist", title="Former EVP",
        officer_periods=[{"start": date(2018, 1, 1), "end": date(2025, 3, 31)}],
    )  # fmt: skip
    records.create_measure(
        actor=secretary, company=company, key="operating_income", name="Operating income",
        category="operating_income",
        values=[
            {"period_label": "FY2023", "original": Decimal("45000000")},
            {"period_label": "FY2024", "original": Decimal("50000000")},
            {"period_label": "FY2025", "original": Decimal("58000000")},
        ],
    )  # fmt: skip
    records.create_measure(
        actor=secretary, company=company, key="relative_tsr", name="Relative TSR percentile", category="tsr",
        values=[{"period_label": "FY2023-FY2025", "original": Decimal("60")}],
    )  # fmt: skip


def panel(page):
    return page.get_by_test_id("workflow-panel")


def status_is(page, label: str):
    expect(page.get_by_test_id("workflow-status")).to_have_text(label)


def submit(form, button: str):
    with form.page.expect_navigation():
        form.get_by_role("button", name=button).click()


def test_secretary_records_committee_approves_recovery_closes_auditor_reads_executive_is_kept_out(
    page, live_server, demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the import's checked file is staged there
    page.on("dialog", lambda dialog: dialog.accept())  # a designation still asks in the browser
    _records_the_secretary_starts_from(demo["secretary"])

    # --- The corporate secretary imports the awards: a dry run first, then the checked file ---
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/clawback/import/awards/")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.get_by_label("File (.csv or .xlsx)", exact=True).set_input_files(
        files=[{"name": "awards.csv", "mimeType": "text/csv", "buffer": AWARDS_CSV.encode()}]
    )
    submit(form, "Check (dry run)")
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("Dry run: no problems")
    expect(report).to_contain_text("Would create 3")
    with page.expect_navigation():
        report.get_by_role("button", name="Import awards.csv").click()
    expect(page.locator("body")).to_contain_text("awards.csv: 3 created, 0 updated from 3 rows.")
    expect(page.locator("main")).to_contain_text("mreyes-tsr-psu")

    # --- ... and records the restatement and the event that sets the required-to-prepare date ---
    page.goto(f"{live_server.url}/clawback/restatements/new/")
    form = page.locator("main form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Kind").select_option("big_r")
    form.get_by_label("Description").fill("Operating income overstated in FY2023–FY2025 (revenue cut-off).")
    for checkbox in form.locator("input[name=covered_executives]").all():
        expect(checkbox).not_to_be_checked()  # proposed, never ticked for the secretary
    form.get_by_label("Morgan Reyes").check()
    form.get_by_label("Casey Lindqvist").check()
    submit(form, "Save")
    expect(page.locator("h1")).to_contain_text(TITLE)
    # The guide's next step (loaded with the workflow panel after the page) leads to each form.
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "restatement")
    with page.expect_navigation():
        page.get_by_test_id("next-step").get_by_role("link", name="Record an event").click()
    form = page.locator("main form")
    form.get_by_label("Event").select_option("board_concluded")
    form.get_by_label("Date").fill(CONCLUDED)
    submit(form, "Save")
    expect(page.get_by_test_id("required-on")).to_contain_text(CONCLUDED)
    # The restated figures are the case's own (from the restated filing).
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "figures")
    with page.expect_navigation():
        page.get_by_test_id("next-step").get_by_role("link", name="Record restated values").click()
    form = page.locator("main form")
    for row, (period, figure) in enumerate(
        (("FY2023", "44,000,000"), ("FY2024", "47,000,000"), ("FY2025", "52,000,000")), start=1
    ):
        form.get_by_label(f"Measure and period, row {row}").select_option(
            label=f"Operating income — {period}"
        )
        form.get_by_label(f"As restated, row {row}").fill(figure)
        form.get_by_label(f"Source, row {row}").fill("2026 Form 10-K/A")
    submit(form, "Save restated values")
    expect(page.get_by_test_id("restated-values")).to_contain_text("52,000,000")
    case = Restatement.objects.get(title=TITLE)
    assert list(case.covered_executives.values_list("key", flat=True).order_by("key")) == [
        "clindqvist",
        "mreyes",
    ]
    case_url = f"{live_server.url}/clawback/restatements/{case.pk}/"
    sign_out(page)
    Recusal.objects.create(
        restatement=case, user=demo["committee2"], reason="Audit committee member in FY2025"
    )

    # --- The committee reviews the worksheet, then submits the case for review ---
    sign_in(page, live_server, "committee")
    worksheet = page.goto(f"{case_url}worksheet/")
    assert worksheet.status == 200
    expect(page.locator('tr[data-award="mreyes-fy2024-bonus"]')).to_contain_text("$75,000.00")
    expect(page.locator('tr[data-award="clindqvist-fy2025-bonus"]')).to_contain_text("$120,000.00")
    expect(page.locator('tr[data-award="mreyes-tsr-psu"]')).to_contain_text("estimate required")
    expect(page.get_by_test_id("outcome")).to_contain_text("reasonable estimate")
    shot(page, "clawback-worksheet")
    page.goto(case_url)
    status_is(page, "Draft")
    submit(panel(page), "Submit for review")
    confirm(
        page,
        "Submit for review",
        says="2 executives, $195,000.00 recoverable, 1 award still awaiting a reasonable estimate",
        keyboard=True,
    )
    status_is(page, "Under committee review")
    expect(page.get_by_test_id("estimates-needed")).to_contain_text("mreyes-tsr-psu")
    expect(page.get_by_test_id("approval-blockers")).to_contain_text("mreyes-tsr-psu")

    # --- The TSR estimate, its method and documents, provided to the exchange ---
    form = page.get_by_test_id("estimate-form")
    form.get_by_label("Award").select_option(label="mreyes-tsr-psu — Morgan Reyes")
    form.get_by_label("Estimated value on the restated basis").fill("55")
    form.get_by_label("Method").fill("Event study of the abnormal return on the restatement announcement.")
    form.get_by_label("Supporting documents").fill("Event study memo (valuation advisers)\nPeer TSR extract")
    form.get_by_label("Adopted on").fill(ADOPTED)
    form.get_by_label("Documentation provided to the exchange on").fill(PROVIDED)
    submit(form, "Record estimate")
    expect(page.get_by_test_id("estimates")).to_contain_text("Event study")
    expect(page.get_by_test_id("determination-total")).to_contain_text("$445,000.00")
    expect(page.get_by_test_id("approval-blockers")).to_have_count(0)

    # --- The meeting's vote, recorded from its minutes: committee2 is recused and has no vote; the two
    # other members of the committee (the demo's Riley Chair and Priya Raman) vote for ---
    minutes_on(case, demo["secretary"])
    page.reload()
    form = page.get_by_test_id("decision-form")
    recused_row = form.locator('tr[data-member="committee2"]')
    expect(recused_row.get_by_test_id("recused-member")).to_be_visible()
    expect(recused_row.locator("select")).to_have_count(0)
    for member in ("committee", "praman"):
        row = form.locator(f'tr[data-member="{member}"]')
        row.locator("input[type=checkbox]").check()
        row.locator("select").select_option("for")
    form.get_by_label("Minutes of the meeting").select_option(index=1)
    form.get_by_label("Held on").fill(MEETING)
    form.get_by_label("Quorum").fill("2")
    form.get_by_label("Resolution").fill("RESOLVED, that the recovery determination is approved.")
    shot(page, "clawback-decision-form")
    submit(form, "Record decision")
    shot(page, "clawback-confirm-decision")
    confirm(page, "Record decision", says="adopts it and approves determination")
    status_is(page, "Approved")
    expect(page.get_by_test_id("approval")).to_contain_text(MEETING)
    expect(page.get_by_test_id("claims")).to_contain_text("Morgan Reyes")

    # --- No indemnification, then recovery until nothing is outstanding (the guide's next step is the
    # signatures, so these steps are opened from their collapsed sections) ---
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "signatures")
    open_section(page, "indemnification")
    form = page.get_by_test_id("no-indemnification-form")
    for checkbox in form.locator("input[type=checkbox]").all():
        checkbox.check()
    submit(form, "Confirm the checklist")
    confirm(page, "Confirm the checklist")
    open_section(page, "indemnification")
    expect(page.get_by_test_id("no-indemnification-confirmed")).to_be_visible()
    submit(panel(page), "Start recovery")
    confirm(page, "Start recovery", says="($445,000.00 in all)")
    status_is(page, "Recovery in progress")
    for name, amount, units, method in (
        ("Morgan Reyes", "325000.00", "4000", "(d) Cancellation of awards"),
        ("Casey Lindqvist", "120000.00", "", "(a) Reimbursement of cash incentive compensation"),
    ):
        open_section(page, "recovery")
        form = page.get_by_test_id("recovery-event-form")
        form.get_by_label("Claim").select_option(label=f"{name} — ${Decimal(amount):,} owed")
        form.get_by_label("Occurred on").fill(PAID)
        form.get_by_label("Method").select_option(label=method)
        form.get_by_label("Amount recovered (USD)").fill(amount)
        form.get_by_label("Shares or units recovered").fill(units)
        form.get_by_label("Evidence").fill(f"Recovery from {name}")
        submit(form, "Record recovery")
        confirm(page, "Record recovery", says="$0.00 will then remain outstanding")
    outstanding = page.get_by_test_id("claim-outstanding")
    expect(outstanding).to_have_count(2)
    for cell in outstanding.all():
        expect(cell).to_have_text("$0.00")
    submit(panel(page), "Close the case")
    confirm(page, "Close the case", says="$445,000.00 recovered")
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
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    page.goto(f"{case_url}worksheet/")
    expect(page.get_by_test_id("acknowledgement-form")).to_have_count(0)
    sign_out(page)

    # --- The covered executive (the demo CEO) cannot reach the case about their own pay ---
    ceo = User.objects.get(username="ceo")
    own_case = Restatement.objects.get(covered_executives__user=ceo)
    sign_in(page, live_server, "ceo")
    for url in (
        f"/clawback/restatements/{own_case.pk}/",
        f"/clawback/restatements/{own_case.pk}/workflow/",
        f"/clawback/restatements/{own_case.pk}/worksheet/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status in {403, 404}, url
        expect(page.locator("main")).not_to_contain_text(own_case.title)
